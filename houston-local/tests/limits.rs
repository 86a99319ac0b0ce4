//! One request must not take the server down: document limits, the work and time budget,
//! cancellation on disconnect, body size, and the limits on websocket documents.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::ws::*;
use common::*;
use houston_local::limits::Limits;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

/// `workspaces { deployments { workspace { deployments { ... { id } } } } }`, `levels` deep.
fn nested(levels: usize) -> String {
    let mut q = String::from("id");
    for i in (1..levels).rev() {
        let f = match i {
            1 => "workspaces",
            i if i % 2 == 0 => "deployments",
            _ => "workspace",
        };
        q = format!("{f} {{ {q} }}");
    }
    format!("{{ {q} }}")
}

fn with_limits(limits: Limits) -> houston_local::Config {
    houston_local::Config {
        limits,
        ..test_config()
    }
}

/// POST returning (status, body).
async fn post(s: &Srv, auth: &str, query: &str) -> (u16, Value) {
    let resp = s
        .http
        .post(s.h.url())
        .header("Authorization", auth)
        .json(&json!({"query": query}))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

/// A WORKSPACE_VIEWER service-account key of Data Platform: the least a caller needs.
async fn viewer_key(s: &Srv) -> String {
    let dp = s.workspace_id("Data Platform").await;
    let d = s
        .ok(
            ADMIN,
            "mutation($w: Uuid!) { createWorkspaceServiceAccount(label: \"viewer-key\", workspaceUuid: $w, role: WORKSPACE_VIEWER) { apiKey } }",
            json!({"w": dp}),
        )
        .await;
    d["createWorkspaceServiceAccount"]["apiKey"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deep_query_is_refused_at_once_while_others_are_answered() {
    let s = Arc::new(seeded().await);
    s.h.bulk_workspace("Bulk", 300).unwrap();
    let key = viewer_key(&s).await;
    // Other clients keep polling the deployment list while the attack runs.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poller = {
        let (s, stop) = (s.clone(), stop.clone());
        let token = s.token(ADMIN);
        tokio::spawn(async move {
            let mut answered = 0;
            loop {
                let (status, body) = post(&s, &token, "{ deployments { id label status } }").await;
                assert_eq!(status, 200, "{body}");
                assert_eq!(body["data"]["deployments"].as_array().unwrap().len(), 310);
                answered += 1;
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break answered;
                }
            }
        })
    };
    let deep = nested(15);
    let attacks: Vec<_> = (0..16)
        .map(|_| {
            let (s, key, deep) = (s.clone(), key.clone(), deep.clone());
            tokio::spawn(async move {
                let started = Instant::now();
                let (status, body) = post(&s, &key, &deep).await;
                (started.elapsed(), status, body)
            })
        })
        .collect();
    for a in attacks {
        let (took, status, body) = a.await.unwrap();
        assert_eq!(status, 400, "{body}");
        assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED");
        assert_eq!(
            message(&body),
            "Query is nested too deep: more than 10 levels of fields"
        );
        assert_eq!(body["errors"][0]["extensions"]["limit"], "depth");
        assert!(took < Duration::from_secs(1), "refused after {took:?}");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(poller.await.unwrap() > 0);
    // Ten levels are allowed (and answered: the viewer sees one workspace).
    let (status, body) = post(&s, &key, &nested(10)).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
}

#[tokio::test]
async fn a_shallow_query_that_multiplies_stops_at_the_budget() {
    // 300 deployments, each listing its workspace's 300 deployments: 90,000 items.
    let s = start_with(with_limits(Limits {
        max_resolved: 20_000,
        ..Limits::default()
    }))
    .await;
    s.h.bulk_workspace("Bulk", 300).unwrap();
    let token = s.token(ADMIN);
    let bomb = "{ workspaces { deployments { workspace { deployments { id label } } } } }";
    let started = Instant::now();
    let (status, body) = post(&s, &token, bomb).await;
    assert_eq!(status, 200);
    assert_eq!(code(&body), "RESPONSE_TOO_LARGE", "{body}");
    assert!(message(&body).contains("more than 20000 values"), "{body}");
    assert!(body.get("data").is_none());
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(s.h.requests_running(), 0);
    // The same shape over a small workspace is fine.
    let ok = "{ workspaces { label deployments { workspace { deployments { id } } } } }";
    let (status, body) = post(&s, &s.token(VERA), ok).await;
    assert_eq!(status, 200);
    assert!(body.get("errors").is_none(), "{body}");
}

#[tokio::test]
async fn aliases_fields_and_body_size_are_capped() {
    let s = seeded().await;
    let token = s.token(VERA);
    let aliased: String = (0..2000)
        .map(|i| format!("w{i}: workspaces {{ deployments {{ urls {{ url }} }} }} "))
        .collect();
    let (status, body) = post(&s, &token, &format!("{{ {aliased} }}")).await;
    assert_eq!(status, 400);
    assert_eq!(message(&body), "Query has too many aliases: more than 30");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "aliases");
    // Fragments count at each use.
    let mut bomb = String::from("{ workspaces { ...F0 } }\n");
    for i in 0..30 {
        bomb.push_str(&format!(
            "fragment F{i} on Workspace {{ ...F{} ...F{} }}\n",
            i + 1,
            i + 1
        ));
    }
    bomb.push_str("fragment F30 on Workspace { id }");
    let (status, body) = post(&s, &token, &bomb).await;
    assert_eq!(status, 400);
    assert_eq!(
        message(&body),
        "Query is too complex: more than 1000 fields (fragments expanded)"
    );
    // A body over 1 MiB is refused before it is parsed.
    let padding = " ".repeat(1024 * 1024);
    let (status, body) = post(&s, &token, &format!("{{ workspaces {{ id }} }}{padding}")).await;
    assert_eq!(status, 413);
    assert_eq!(code(&body), "PAYLOAD_TOO_LARGE");
    assert_eq!(
        message(&body),
        "Request body too large: at most 1048576 bytes"
    );
    // Absurd nesting in the text is a syntax error, not a crash.
    let deep = format!("{}{}", "{a".repeat(100_000), "}".repeat(100_000));
    let (status, body) = post(&s, &token, &deep).await;
    assert_eq!(status, 400);
    assert_eq!(code(&body), "GRAPHQL_PARSE_FAILED");
    let (status, _) = post(&s, &token, "{ workspaces { id } }").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_request_past_its_deadline_is_cancelled() {
    // A 1 ms deadline against 1,000 deployments (a million values).
    let s = start_with(with_limits(Limits {
        request_timeout: Duration::from_millis(1),
        ..Limits::default()
    }))
    .await;
    s.h.bulk_workspace("Bulk", 1000).unwrap();
    let token = s.token(ADMIN);
    // A document that could multiply runs metered and yields every couple of milliseconds.
    let (status, body) = post(
        &s,
        &token,
        "{ deployments { id label workspace { deployments { id label } } } }",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(code(&body), "REQUEST_TIMEOUT", "{body}");
    assert!(message(&body).starts_with("Request timed out"), "{body}");
    assert_eq!(s.h.requests_running(), 0);
    // Small requests finish before they would yield.
    let (_, body) = post(&s, &token, "{ appConfig { version } }").await;
    assert!(body.get("errors").is_none(), "{body}");
}

#[tokio::test]
async fn work_stops_when_the_client_disconnects() {
    // 2,000 deployments listing 2,000 each would take minutes; no budget or deadline here.
    let s = start_with(with_limits(Limits {
        max_resolved: usize::MAX,
        request_timeout: Duration::from_secs(3600),
        ..Limits::default()
    }))
    .await;
    s.h.bulk_workspace("Bulk", 2000).unwrap();
    let token = s.token(ADMIN);
    let body = json!({"query": "{ workspaces { deployments { workspace { deployments { id label releaseName } } } } }"}).to_string();
    let mut conn = tokio::net::TcpStream::connect(s.h.addr()).await.unwrap();
    let request = format!(
        "POST /v1 HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(request.as_bytes()).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.h.requests_running() == 0 {
        assert!(Instant::now() < deadline, "the request never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Let it work a little, then hang up.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(s.h.requests_running(), 1);
    drop(conn);
    let hung_up = Instant::now();
    while s.h.requests_running() > 0 {
        assert!(
            hung_up.elapsed() < Duration::from_secs(5),
            "still working after the client left"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // And the server is fine.
    let (status, _) = post(&s, &token, "{ workspaces { id } }").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn websocket_documents_are_limited_too() {
    let s = start_with(with_limits(Limits {
        max_resolved: 200,
        ..Limits::default()
    }))
    .await;
    let (dep, _) = s.deployment("Core ETL").await;
    s.h.bulk_workspace("Bulk", 100).unwrap();
    let token = s.token(ADMIN);
    // A subscription document with 31 aliases: an error frame naming the limit.
    let aliased: String = (0..31)
        .map(|i| format!("l{i}: log(deploymentUuid: $d) {{ id }} "))
        .collect();
    let sub = format!("subscription($d: Uuid!) {{ {aliased} }}");
    let mut ws = legacy_subscription(&s, &token, &sub, json!({"d": dep}), "a").await;
    let f = next(&mut ws).await.unwrap();
    assert_eq!(f["type"], "error", "{f}");
    assert_eq!(f["id"], "a");
    assert_eq!(f["payload"]["extensions"]["limit"], "aliases");
    // A deep query sent over the socket.
    send(
        &mut ws,
        json!({"type": "start", "id": "b", "payload": {"query": nested(12)}}),
    )
    .await;
    let f = next(&mut ws).await.unwrap();
    assert_eq!(f["payload"]["extensions"]["limit"], "depth", "{f}");
    // A query over the socket that resolves too much: stopped by the budget.
    send(
        &mut ws,
        json!({"type": "start", "id": "c", "payload": {"query": "{ deployments { id label } }"}}),
    )
    .await;
    let f = next(&mut ws).await.unwrap();
    assert_eq!(f["type"], "error", "{f}");
    assert_eq!(f["payload"]["extensions"]["code"], "RESPONSE_TOO_LARGE");
    // Over HTTP the same plain list runs unmetered: its size is bounded by the data.
    let (status, body) = post(&s, &token, "{ deployments { id label } }").await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["deployments"].as_array().unwrap().len(), 110);
    // graphql-transport-ws gets the errors list.
    let mut t = connect(&s, "graphql-transport-ws").await;
    send(
        &mut t,
        json!({"type": "connection_init", "payload": {"authorization": token}}),
    )
    .await;
    assert_eq!(next(&mut t).await.unwrap()["type"], "connection_ack");
    send(
        &mut t,
        json!({"type": "subscribe", "id": "d", "payload": {"query": nested(11)}}),
    )
    .await;
    let f = next(&mut t).await.unwrap();
    assert_eq!(f["type"], "error", "{f}");
    assert_eq!(f["payload"][0]["extensions"]["limit"], "depth");
    // A message over the size limit closes the socket; the server carries on.
    let huge =
        json!({"type": "subscribe", "id": "e", "payload": {"query": " ".repeat(2 * 1024 * 1024)}});
    let _ = futures_util::SinkExt::send(
        &mut t,
        tokio_tungstenite::tungstenite::Message::text(huge.to_string()),
    )
    .await;
    assert!(next(&mut t).await.is_none(), "socket closed");
    let (status, _) = post(&s, &token, "{ workspaces { id } }").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn introspection_and_client_documents_fit_the_default_limits() {
    let s = seeded().await;
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/introspection.graphql"
    ))
    .unwrap();
    let (status, body) = post(&s, &s.token(VERA), &doc).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let types = body["data"]["__schema"]["types"].as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "Deployment"));
    assert!(types.iter().any(|t| t["name"] == "MetricType"));
}

const LOGIN: &str = "mutation($i: String, $p: String!) { createToken(identity: $i, password: $p) { token { value } } }";

async fn login(s: &Srv, identity: &str, password: &str) -> Value {
    s.raw(None, LOGIN, json!({"i": identity, "p": password}))
        .await
}

fn logged_in(body: &Value) -> bool {
    body["data"]["createToken"]["token"]["value"].is_string()
}

#[tokio::test]
async fn repeated_failed_logins_back_off_per_user() {
    let s = start_with(with_limits(Limits {
        login_failures_allowed: 3,
        login_backoff_max: Duration::from_secs(2),
        ..Limits::default()
    }))
    .await;
    let (email, password) = s.h.seeded_admin().unwrap();
    for _ in 0..3 {
        let b = login(&s, &email, "wrong").await;
        // Houston's own answer to a wrong password.
        assert_eq!(
            message(&b),
            "Invalid password and username combination",
            "{b}"
        );
        assert_eq!(code(&b), "INTERNAL_SERVER_ERROR");
    }
    // Now even the right password is not checked, under either identity of the user.
    for identity in [email.as_str(), "admin"] {
        let b = login(&s, identity, &password).await;
        assert_eq!(code(&b), "TOO_MANY_REQUESTS", "{b}");
        assert_eq!(
            message(&b),
            "Too many failed login attempts for this user; try again in 1 s"
        );
    }
    // Another user is not affected.
    let grace = s.h.reset_password(GRACE).await.unwrap();
    assert!(logged_in(&login(&s, GRACE, &grace).await));
    // Refused attempts do not extend the back-off: the right password works once it is over.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let b = login(&s, &email, &password).await;
        if logged_in(&b) {
            break;
        }
        assert_eq!(code(&b), "TOO_MANY_REQUESTS", "{b}");
        assert!(Instant::now() < deadline, "still backing off");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Success forgets the failures: a wrong password gets Houston's answer again.
    let b = login(&s, &email, "wrong").await;
    assert_eq!(message(&b), "Invalid password and username combination");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_wrong_passwords_is_refused_early_and_others_are_answered() {
    let s = Arc::new(seeded().await);
    let (email, _) = s.h.seeded_admin().unwrap();
    let flood: Vec<_> = (0..64)
        .map(|_| {
            let (s, email) = (s.clone(), email.clone());
            tokio::spawn(async move { login(&s, &email, "guess").await })
        })
        .collect();
    // Meanwhile, another client is answered.
    let token = s.token(VERA);
    for _ in 0..10 {
        let (status, body) = post(&s, &token, "{ workspaces { id } }").await;
        assert_eq!(status, 200);
        assert!(body.get("errors").is_none(), "{body}");
    }
    let (mut checked, mut refused) = (0, 0);
    for f in flood {
        let b = f.await.unwrap();
        match code(&b) {
            "INTERNAL_SERVER_ERROR" => {
                assert_eq!(message(&b), "Invalid password and username combination");
                checked += 1;
            }
            "TOO_MANY_REQUESTS" => refused += 1,
            other => panic!("unexpected {other}: {b}"),
        }
    }
    // One slot and a queue of 16, then the back-off after 5 failures: most guesses are
    // refused without running argon2 (the exact split depends on arrival times).
    assert!((5..=48).contains(&checked), "{checked} checked");
    assert!(refused >= 16, "{refused} refused");
}
