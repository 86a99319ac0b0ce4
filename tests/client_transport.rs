//! The client against a tiny canned HTTP server: every kind of reply (and no reply) maps onto the
//! right `ApiError`, and the request carries the headers Houston expects.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use astrodash::houston::model::{DeploymentConfig, Role};
use astrodash::houston::mutation::Mutation;
use astrodash::houston::{ApiError, HoustonClient, Secret, Timeouts, TransportOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// What the canned server saw.
struct Seen {
    head: String,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// Serve one request with `status` and `body`, after `delay`. Returns the endpoint URL and
/// the request it received.
async fn canned(
    status: &'static str,
    content_type: &'static str,
    body: String,
    delay: Duration,
) -> (String, oneshot::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        // Read the head, then as much body as Content-Length says.
        let (head, body_start) = loop {
            let n = socket.read(&mut chunk).await.unwrap();
            assert!(n > 0, "client closed early");
            buf.extend_from_slice(&chunk[..n]);
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break (String::from_utf8_lossy(&buf[..pos]).to_string(), pos + 4);
            }
        };
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .unwrap_or(0);
        while buf.len() < body_start + length {
            let n = socket.read(&mut chunk).await.unwrap();
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let request_body = String::from_utf8_lossy(&buf[body_start..]).to_string();
        let _ = tx.send(Seen {
            head,
            body: request_body,
        });
        tokio::time::sleep(delay).await;
        let reply = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = socket.write_all(reply.as_bytes()).await;
        let _ = socket.shutdown().await;
    });
    (url, rx)
}

async fn json_reply(status: &'static str, body: &str) -> (String, oneshot::Receiver<Seen>) {
    canned(status, "application/json", body.to_string(), Duration::ZERO).await
}

const APP_CONFIG: &str =
    r#"{"data":{"appConfig":{"version":"0.35.1","baseDomain":"example.com"}}}"#;

#[tokio::test]
async fn ok_reply_is_decoded_and_headers_are_right() {
    let (url, seen) = json_reply("200 OK", APP_CONFIG).await;
    let client = HoustonClient::new(&url, Some("tok.en.value".into())).unwrap();
    let config = client.app_config().await.unwrap();
    assert_eq!(config.version.as_deref(), Some("0.35.1"));
    assert_eq!(config.base_domain.as_deref(), Some("example.com"));

    let seen = seen.await.unwrap();
    assert!(seen.head.starts_with("POST /v1 HTTP/1.1"), "{}", seen.head);
    assert_eq!(
        seen.header("authorization").as_deref(),
        Some("tok.en.value")
    );
    assert_eq!(
        seen.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(seen.header("accept").as_deref(), Some("application/json"));
    let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
    assert!(body["query"].as_str().unwrap().contains("appConfig"));
}

#[tokio::test]
async fn bearer_prefix_from_user_is_stripped() {
    let (url, seen) = json_reply("200 OK", APP_CONFIG).await;
    // Read as a token where it enters (`Secret::token`), once; the client sends it as it is.
    let client = HoustonClient::new(&url, Secret::token("Bearer abc123")).unwrap();
    assert_eq!(client.token().map(Secret::expose), Some("abc123"));
    client.app_config().await.unwrap();
    assert_eq!(
        seen.await.unwrap().header("authorization").as_deref(),
        Some("abc123")
    );
}

#[tokio::test]
async fn no_token_sends_no_authorization_header() {
    let (url, seen) = json_reply("200 OK", APP_CONFIG).await;
    let client = HoustonClient::new(&url, None).unwrap();
    client.app_config().await.unwrap();
    assert_eq!(seen.await.unwrap().header("authorization"), None);
}

#[tokio::test]
async fn variables_use_the_documented_names() {
    let (url, seen) = json_reply("200 OK", r#"{"data":{"deploymentVariables":[]}}"#).await;
    let client = HoustonClient::new(&url, Some("t".into())).unwrap();
    let vars = client
        .deployment_variables(&"dep-1".into(), "rel-1")
        .await
        .unwrap();
    assert!(vars.is_empty());
    let body: serde_json::Value = serde_json::from_str(&seen.await.unwrap().body).unwrap();
    assert_eq!(body["variables"]["deploymentUuid"], "dep-1");
    assert_eq!(body["variables"]["releaseName"], "rel-1");
}

#[tokio::test]
async fn login_sends_identity_and_password_without_old_token() {
    let (url, seen) = json_reply(
        "200 OK",
        r#"{"data":{"createToken":{"token":{"value":"new.jwt.here"}}}}"#,
    )
    .await;
    let client = HoustonClient::new(&url, Some("stale".into())).unwrap();
    let token = client
        .create_token("admin@example.com", "pw")
        .await
        .unwrap();
    assert_eq!(token.expose(), "new.jwt.here");
    let seen = seen.await.unwrap();
    assert_eq!(seen.header("authorization"), None);
    let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
    assert_eq!(body["variables"]["identity"], "admin@example.com");
    assert_eq!(body["variables"]["password"], "pw");
}

#[tokio::test]
async fn forbidden_error_on_200() {
    let (url, _seen) = json_reply(
        "200 OK",
        r#"{"data":{"self":null},"errors":[{"message":"You do not have the appropriate permissions for that","locations":[{"line":1,"column":9}],"path":["self"],"extensions":{"code":"FORBIDDEN"}}]}"#,
    )
    .await;
    let client = HoustonClient::new(&url, Some("expired".into())).unwrap();
    assert_eq!(
        client.me().await.unwrap_err(),
        ApiError::Forbidden("You do not have the appropriate permissions for that".into())
    );
}

#[tokio::test]
async fn other_graphql_error_on_200() {
    let (url, _seen) = json_reply(
        "200 OK",
        r#"{"data":null,"errors":[{"message":"Invalid password and username combination","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"#,
    )
    .await;
    let client = HoustonClient::new(&url, None).unwrap();
    assert_eq!(
        client.create_token("a", "b").await.unwrap_err(),
        ApiError::GraphQl {
            message: "Invalid password and username combination".into(),
            code: Some("INTERNAL_SERVER_ERROR".into())
        }
    );
}

#[tokio::test]
async fn schema_mismatch_400_is_unsupported_with_the_graphql_message() {
    let (url, _seen) = json_reply(
        "400 Bad Request",
        r#"{"errors":[{"message":"Cannot query field \"foo\" on type \"Query\".","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"#,
    )
    .await;
    let client = HoustonClient::new(&url, None).unwrap();
    assert_eq!(
        client.auth_config().await.unwrap_err(),
        ApiError::Unsupported {
            message: "Cannot query field \"foo\" on type \"Query\".".into(),
            houston_version: None,
        }
    );
}

#[tokio::test]
async fn other_validation_error_400_uses_the_graphql_message() {
    let (url, _seen) = json_reply(
        "400 Bad Request",
        r#"{"errors":[{"message":"Variable \"$x\" is not used.","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"#,
    )
    .await;
    let client = HoustonClient::new(&url, None).unwrap();
    assert_eq!(
        client.auth_config().await.unwrap_err(),
        ApiError::Http {
            status: 400,
            body: "Variable \"$x\" is not used.".into()
        }
    );
}

#[tokio::test]
async fn html_500_is_trimmed() {
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "nginx ".repeat(200)
    );
    let (url, _seen) = canned(
        "500 Internal Server Error",
        "text/html",
        page,
        Duration::ZERO,
    )
    .await;
    let client = HoustonClient::new(&url, None).unwrap();
    match client.app_config().await.unwrap_err() {
        ApiError::Http { status, body } => {
            assert_eq!(status, 500);
            assert!(body.starts_with("<html><head><title>502 Bad Gateway"));
            assert!(body.chars().count() <= 301, "{}", body.len());
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let (url, _seen) = json_reply("200 OK", r#"{"data":{"appConfig":"#).await;
    let client = HoustonClient::new(&url, None).unwrap();
    assert!(matches!(
        client.app_config().await.unwrap_err(),
        ApiError::Decode(_)
    ));
}

#[tokio::test]
async fn wrong_shape_is_a_decode_error() {
    let (url, _seen) = json_reply("200 OK", r#"{"data":{"workspaces":{"id":"x"}}}"#).await;
    let client = HoustonClient::new(&url, None).unwrap();
    assert!(matches!(
        client.workspaces(Some(&"me".into())).await.unwrap_err(),
        ApiError::Decode(_)
    ));
}

#[tokio::test]
async fn missing_data_is_a_decode_error_naming_the_operation() {
    let (url, _seen) = json_reply("200 OK", r#"{"data":null}"#).await;
    let client = HoustonClient::new(&url, None).unwrap();
    assert_eq!(
        client.app_config().await.unwrap_err(),
        ApiError::Decode("the reply to AppConfig has no data".into())
    );
}

#[tokio::test]
async fn json_that_is_not_graphql_is_not_houston() {
    let (url, _seen) = json_reply("200 OK", r#"{"status":"ok"}"#).await;
    let client = HoustonClient::new(&url, None).unwrap();
    let err = client.app_config().await.unwrap_err();
    assert!(matches!(err, ApiError::NotHouston(_)), "{err:?}");
    assert!(!err.is_transient());
    assert!(err.to_string().contains(&url), "names the URL tried: {err}");
}

/// The issue: `--url http://host:port` without `/v1` gave "HTTP 404:" and was retried forever.
#[tokio::test]
async fn a_404_at_a_base_url_names_the_url_and_the_fix() {
    let (url, _seen) = canned("404 Not Found", "text/plain", String::new(), Duration::ZERO).await;
    let base = url.trim_end_matches("/v1").to_string();
    let client = HoustonClient::new(&base, None).unwrap();
    let err = client.app_config().await.unwrap_err();
    assert!(!err.is_transient(), "a 404 will not fix itself: {err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "{base} answered HTTP 404 (not found): there is no GraphQL endpoint at that \
             address; Houston's endpoint ends in /v1 — did you mean {base}/v1?"
        )
    );
}

#[tokio::test]
async fn an_html_page_is_not_dumped_into_the_error() {
    let page = format!(
        "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>{}</body></html>",
        "<p>filler</p>".repeat(100)
    );
    let (url, _seen) = canned("200 OK", "text/html", page, Duration::ZERO).await;
    let client = HoustonClient::new(&url, None).unwrap();
    let err = client.workspaces(None).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ApiError::NotHouston(_)), "{err:?}");
    assert!(
        text.contains("web page titled \"Welcome to nginx!\""),
        "{text}"
    );
    assert!(!text.contains("<p>") && text.len() < 400, "{text}");
}

/// Serve one raw HTTP reply (head and body as given) to the first request.
async fn raw_reply(reply: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await;
        let _ = socket.write_all(&reply).await;
        let _ = socket.shutdown().await;
    });
    url
}

#[tokio::test]
async fn replies_over_the_cap_are_refused() {
    let options = |max_reply_bytes| TransportOptions {
        max_reply_bytes,
        ..TransportOptions::default()
    };
    // Announced by Content-Length: refused before the body is read.
    let body = format!(
        r#"{{"data":{{"workspaces":[]}},"pad":"{}"}}"#,
        "x".repeat(5000)
    );
    let (url, _seen) = json_reply("200 OK", &body).await;
    let client = HoustonClient::with_options(&url, None, &options(4096)).unwrap();
    let err = client.workspaces(None).await.unwrap_err();
    assert_eq!(err, ApiError::ReplyTooLarge { limit_bytes: 4096 });
    assert!(!err.is_transient());

    // Chunked, no length announced: refused once the cap is passed.
    let mut reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for _ in 0..10 {
        let chunk = "y".repeat(1000);
        reply.extend_from_slice(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes());
    }
    reply.extend_from_slice(b"0\r\n\r\n");
    let url = raw_reply(reply).await;
    let client = HoustonClient::with_options(&url, None, &options(4096)).unwrap();
    let err = client.workspaces(None).await.unwrap_err();
    assert_eq!(err, ApiError::ReplyTooLarge { limit_bytes: 4096 });

    // Under the cap: decoded as usual.
    let (url, _seen) = json_reply("200 OK", r#"{"data":{"workspaces":[]}}"#).await;
    let client = HoustonClient::with_options(&url, None, &options(4096)).unwrap();
    assert_eq!(client.workspaces(None).await.unwrap(), vec![]);
    assert_eq!(
        TransportOptions::default().max_reply_bytes,
        32 * 1024 * 1024
    );
}

#[tokio::test]
async fn a_token_with_control_characters_is_a_configuration_error() {
    let (url, _seen) = json_reply("200 OK", APP_CONFIG).await;
    let client = HoustonClient::new(&url, Some("abc\u{7}def".into())).unwrap();
    let err = client.me().await.unwrap_err();
    assert!(matches!(err, ApiError::InvalidToken(_)), "{err:?}");
    assert!(!err.is_transient(), "retrying cannot help: {err:?}");
    assert!(
        !err.to_string().contains("abc"),
        "the token is not echoed: {err}"
    );
}

#[tokio::test]
async fn connection_refused_is_a_network_error() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = HoustonClient::with_timeouts(
        &format!("http://127.0.0.1:{port}/v1"),
        None,
        Timeouts {
            connect: Duration::from_secs(2),
            request: Duration::from_secs(2),
        },
    )
    .unwrap();
    match client.app_config().await.unwrap_err() {
        ApiError::Network(msg) => {
            assert!(msg.contains("connection refused"), "{msg}");
            assert!(
                msg.contains(&format!("127.0.0.1:{port}")),
                "names the URL: {msg}"
            );
            assert!(!msg.contains("os error"), "no OS internals: {msg}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn slow_server_times_out() {
    let (url, _seen) = canned(
        "200 OK",
        "application/json",
        APP_CONFIG.to_string(),
        Duration::from_secs(5),
    )
    .await;
    let client = HoustonClient::with_timeouts(
        &url,
        None,
        Timeouts {
            connect: Duration::from_millis(500),
            request: Duration::from_millis(300),
        },
    )
    .unwrap();
    assert_eq!(client.app_config().await.unwrap_err(), ApiError::Timeout);
}

#[tokio::test]
async fn a_change_that_outlasts_the_timeout_reached_the_server_all_the_same() {
    // Houston got the whole mutation and would apply it; only its answer is late. The client
    // can only say "timed out" — the app then checks what the server holds.
    let (url, seen) = canned(
        "200 OK",
        "application/json",
        r#"{"data":{"workspaceUpdateUserRole":"WORKSPACE_EDITOR"}}"#.to_string(),
        Duration::from_secs(5),
    )
    .await;
    let client = HoustonClient::with_timeouts(
        &url,
        Some("t".into()),
        Timeouts {
            connect: Duration::from_millis(500),
            request: Duration::from_millis(300),
        },
    )
    .unwrap();
    let change = Mutation::SetWorkspaceRole {
        workspace: "ws-1".into(),
        email: "grace@example.com".into(),
        role: Role::WorkspaceEditor,
    };
    let err = change
        .run(&client, &DeploymentConfig::default())
        .await
        .unwrap_err();
    assert_eq!(err, ApiError::Timeout);
    let seen = seen.await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
    assert!(
        body["query"]
            .as_str()
            .unwrap()
            .contains("workspaceUpdateUserRole"),
        "{body}"
    );
    assert_eq!(body["variables"]["email"], "grace@example.com");
}

#[test]
fn invalid_url_is_rejected() {
    for url in ["not a url", "localhost:8871/v1", "ftp://x/v1", ""] {
        assert!(
            matches!(HoustonClient::new(url, None), Err(ApiError::Network(_))),
            "{url}"
        );
    }
}

#[test]
fn url_is_kept_as_given() {
    let client = HoustonClient::new(" https://houston.example.com ", None).unwrap();
    assert_eq!(client.url(), "https://houston.example.com");
    assert_eq!(client.with_token(Some("t".into())).url(), client.url());
}

#[test]
fn empty_token_is_no_token() {
    let client = HoustonClient::new("http://127.0.0.1:1/v1", Secret::token("  ")).unwrap();
    assert_eq!(client.token(), None);
    let client = client.with_token(Secret::token("Bearer x"));
    assert_eq!(client.token().map(Secret::expose), Some("x"));
}

#[test]
fn transient_errors() {
    assert!(ApiError::Timeout.is_transient());
    assert!(ApiError::Network("x".into()).is_transient());
    assert!(
        ApiError::Http {
            status: 503,
            body: String::new()
        }
        .is_transient()
    );
    assert!(
        !ApiError::Http {
            status: 400,
            body: String::new()
        }
        .is_transient()
    );
    assert!(!ApiError::Forbidden("x".into()).is_transient());
    assert!(ApiError::Forbidden("x".into()).is_forbidden());
}

#[test]
fn debug_never_shows_the_token() {
    let client = HoustonClient::new("http://127.0.0.1:1/v1", Some("s3cr3t-token".into())).unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(shown.contains("127.0.0.1"));
}
