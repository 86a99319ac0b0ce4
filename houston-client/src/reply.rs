//! What an HTTP reply amounts to: the operation's data, Houston's `errors[]`, or a reply that is
//! not from Houston at all — every failure as an `ApiError` whose text an operator can act on
//! (no Rust type names, no HTML pages, no serde positions). Never panics, whatever the bytes.

use serde::de::DeserializeOwned;

use super::ApiError;
pub use super::serde_words::plain_serde_error;

/// Longest HTTP error body kept in `ApiError::Http` (HTML error pages can be huge).
pub(crate) const MAX_ERROR_BODY: usize = 300;

/// A GraphQL reply decoded in one pass straight into the operation's types.
#[derive(serde::Deserialize)]
struct Reply<T> {
    #[serde(default = "none")]
    data: Option<T>,
    #[serde(default)]
    errors: Option<serde_json::Value>,
}

fn none<T>() -> Option<T> {
    None
}

/// Everything the transport knows about one reply.
pub struct RawReply<'a> {
    /// The endpoint as tried (named in "not Houston" errors).
    pub url: &'a str,
    /// The GraphQL operation (named in decode errors).
    pub operation: &'a str,
    pub status: u16,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

/// Decode a reply fetched over HTTP: "not Houston" replies are told apart from Houston's own
/// errors, and decode errors name the operation.
pub fn classify_reply<T: DeserializeOwned>(reply: &RawReply<'_>) -> Result<T, ApiError> {
    if let Some(error) = not_houston(reply) {
        return Err(error);
    }
    match decode_reply(reply.status, reply.body) {
        Err(ApiError::Decode(_)) if !is_graphql_shaped(reply.body) => {
            Err(ApiError::NotHouston(format!(
                "{} answered with {}, not a GraphQL reply: {}",
                reply.url,
                what_the_body_is(reply.body),
                endpoint_hint(reply.url)
            )))
        }
        Err(ApiError::Decode(detail)) => {
            Err(ApiError::Decode(match detail.strip_prefix("the reply ") {
                Some(rest) => format!("the reply to {} {rest}", reply.operation),
                None => format!("the reply to {}: {detail}", reply.operation),
            }))
        }
        other => other,
    }
}

/// A 404/405, or a web page where JSON was expected: the URL does not point at Houston's
/// GraphQL endpoint. Gateways failing (5xx) are left to `decode_reply`: those are transient.
fn not_houston(reply: &RawReply<'_>) -> Option<ApiError> {
    let status = reply.status;
    if matches!(status, 404 | 405) {
        let reason = if status == 404 {
            "not found"
        } else {
            "method not allowed"
        };
        return Some(ApiError::NotHouston(format!(
            "{} answered HTTP {status} ({reason}): there is no GraphQL endpoint at that address; {}",
            reply.url,
            endpoint_hint(reply.url)
        )));
    }
    let html = reply
        .content_type
        .is_some_and(|t| t.to_ascii_lowercase().contains("text/html"))
        || first_byte(reply.body) == Some(b'<');
    if html && status < 500 && !is_graphql_shaped(reply.body) {
        let title = html_title(reply.body)
            .map(|t| format!(" titled \"{t}\""))
            .unwrap_or_default();
        return Some(ApiError::NotHouston(format!(
            "{} answered HTTP {status} with a web page{title}, not GraphQL: it is not Houston's API \
             endpoint (a login page or proxy in front of it?); {}",
            reply.url,
            endpoint_hint(reply.url)
        )));
    }
    None
}

/// What to try instead, given the URL that was tried.
fn endpoint_hint(url: &str) -> String {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return "Houston's endpoint looks like https://houston.<domain>/v1".into();
    };
    let path = parsed.path().trim_end_matches('/');
    if !path.ends_with("/v1") {
        // Houston serves `/v1` at the root of its host: `…/nope/v1` or `…/ws/v1` would be
        // as wrong as the path tried.
        let mut base = parsed.clone();
        base.set_path("/v1");
        base.set_query(None);
        base.set_fragment(None);
        return format!("Houston's endpoint ends in /v1 — did you mean {base}?");
    }
    "check the host and port: Houston's endpoint looks like https://houston.<domain>/v1".into()
}

fn first_byte(body: &[u8]) -> Option<u8> {
    body.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// A JSON object carrying `data` or `errors`: a GraphQL reply, well-formed or not.
fn is_graphql_shaped(body: &[u8]) -> bool {
    if first_byte(body) != Some(b'{') {
        return false;
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => value.get("data").is_some() || value.get("errors").is_some(),
        // A truncated or damaged object: Houston's reply cut short, not another server.
        Err(_) => true,
    }
}

fn what_the_body_is(body: &[u8]) -> &'static str {
    match first_byte(body) {
        None => "an empty body",
        Some(b'{') => "JSON without data or errors",
        Some(b'[') => "a JSON list",
        Some(b'<') => "a web page (HTML)",
        _ if serde_json::from_slice::<serde_json::Value>(body).is_ok() => "a bare JSON value",
        _ => "text that is not JSON",
    }
}

/// The `<title>` of an HTML page, if short and present.
fn html_title(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title>")? + "<title>".len();
    let end = start + lower.get(start..)?.find("</title>")?;
    let title = text.get(start..end)?.split_whitespace().collect::<Vec<_>>();
    let title = title.join(" ");
    (!title.is_empty() && title.chars().count() <= 80).then_some(title)
}

/// Turn an HTTP status and body into the operation's data or an `ApiError`. Never panics.
pub fn decode_reply<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, ApiError> {
    if status >= 400 {
        let errors = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|reply| errors_of(&reply));
        // Apollo answers a document the schema cannot run with 400 (docs/houston.md, "Errors
        // and codes").
        if (400..500).contains(&status)
            && let Some(error) = errors.as_ref().and_then(schema_mismatch)
        {
            return Err(error);
        }
        let body = errors
            .and_then(|e| e.messages.into_iter().next())
            .unwrap_or_else(|| trim_body(body));
        let body = if body.is_empty() {
            reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("no reason given")
                .to_string()
        } else {
            body
        };
        return Err(ApiError::Http { status, body });
    }
    // The fast path decodes the typed data directly (no intermediate `Value` tree: a
    // 1,000-deployment list is megabytes). Only when that fails do we look at the reply as
    // plain JSON, to report its `errors[]` or why it does not fit.
    // (serde would also accept a JSON array for a struct: a reply must be an object.)
    let is_object = first_byte(body) == Some(b'{');
    match serde_json::from_slice::<Reply<T>>(body).map_err(|e| plain_serde_error(&e)) {
        Ok(reply) if is_object => {
            if let Some(errors) = reply.errors
                && let Some(error) = graphql_error(&serde_json::json!({ "errors": errors }))
            {
                return Err(error);
            }
            reply
                .data
                .ok_or_else(|| ApiError::Decode("the reply has no data".into()))
        }
        result => {
            let typed_error = result
                .err()
                .unwrap_or_else(|| "it is not a JSON object".into());
            let reply: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
                ApiError::Decode(format!(
                    "the reply is not valid JSON: {}",
                    plain_serde_error(&e)
                ))
            })?;
            if let Some(error) = graphql_error(&reply) {
                return Err(error);
            }
            match reply.get("data") {
                None | Some(serde_json::Value::Null) => {
                    Err(ApiError::Decode("the reply has no data".into()))
                }
                Some(_) => Err(ApiError::Decode(format!(
                    "the reply has an unexpected shape: {typed_error}"
                ))),
            }
        }
    }
}

/// A reply's non-empty `errors[]` as one error, messages joined with "; ": `Forbidden` when any
/// carries `extensions.code = FORBIDDEN`, `NotFound` for `RESOURCE_NOT_FOUND`, else `GraphQl`
/// with the first code Houston sent.
pub fn graphql_error(reply: &serde_json::Value) -> Option<ApiError> {
    let errors = errors_of(reply)?;
    if let Some(error) = schema_mismatch(&errors) {
        return Some(error);
    }
    let text = errors.messages.join("; ");
    let has = |code: &str| errors.codes.iter().any(|c| c == code);
    Some(if has("FORBIDDEN") {
        ApiError::Forbidden(text)
    } else if has("RESOURCE_NOT_FOUND") {
        ApiError::NotFound(text)
    } else {
        ApiError::GraphQl {
            message: text,
            code: errors.codes.into_iter().next(),
        }
    })
}

/// `Unsupported` when the errors say the schema lacks something the document uses.
fn schema_mismatch(errors: &ErrorList) -> Option<ApiError> {
    super::unsupported::errors_are_schema_mismatch(&errors.messages, &errors.codes)
        .then(|| ApiError::unsupported(errors.messages.join("; ")))
}

/// The messages and `extensions.code`s of a GraphQL `errors[]`.
struct ErrorList {
    messages: Vec<String>,
    codes: Vec<String>,
}

/// The messages and codes of a non-empty `errors[]`.
fn errors_of(reply: &serde_json::Value) -> Option<ErrorList> {
    let errors = reply.get("errors")?.as_array()?;
    if errors.is_empty() {
        return None;
    }
    let messages = errors
        .iter()
        .map(|e| match e.get("message").and_then(|m| m.as_str()) {
            Some(m) if !m.trim().is_empty() => m.to_string(),
            _ => "unknown error".to_string(),
        })
        .collect();
    let codes = errors
        .iter()
        .filter_map(|e| e.pointer("/extensions/code").and_then(|c| c.as_str()))
        .map(str::to_string)
        .collect();
    Some(ErrorList { messages, codes })
}

/// A body fit for one line of a status bar: whitespace collapsed, at most ~300 characters.
fn trim_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= MAX_ERROR_BODY {
        collapsed
    } else {
        let cut: String = collapsed.chars().take(MAX_ERROR_BODY).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Data = serde_json::Value;

    fn raw<'a>(status: u16, content_type: Option<&'a str>, body: &'a [u8]) -> RawReply<'a> {
        RawReply {
            url: "http://127.0.0.1:28871/",
            operation: "Workspaces",
            status,
            content_type,
            body,
        }
    }

    #[test]
    fn data_is_returned() {
        let data: Data = decode_reply(200, br#"{"data":{"x":1}}"#).unwrap();
        assert_eq!(data["x"], 1);
    }

    #[test]
    fn forbidden_code_wins() {
        let body = br#"{"data":null,"errors":[{"message":"a"},{"message":"You do not have the appropriate permissions for that","extensions":{"code":"FORBIDDEN"}}]}"#;
        let err = decode_reply::<Data>(200, body).unwrap_err();
        assert_eq!(
            err,
            ApiError::Forbidden("a; You do not have the appropriate permissions for that".into())
        );
    }

    #[test]
    fn other_errors_are_joined() {
        let body = br#"{"data":{"x":null},"errors":[{"message":"one"},{"message":"two","extensions":{"code":"BAD_USER_INPUT"}}]}"#;
        let err = decode_reply::<Data>(200, body).unwrap_err();
        assert_eq!(
            err,
            ApiError::GraphQl {
                message: "one; two".into(),
                code: Some("BAD_USER_INPUT".into())
            }
        );
    }

    #[test]
    fn empty_errors_list_is_not_an_error() {
        let data: Data = decode_reply(200, br#"{"data":{"x":2},"errors":[]}"#).unwrap();
        assert_eq!(data["x"], 2);
    }

    #[test]
    fn http_errors_prefer_graphql_message() {
        let body = br#"{"errors":[{"message":"Variable \"$x\" is not used.","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"#;
        let err = decode_reply::<Data>(400, body).unwrap_err();
        assert_eq!(
            err,
            ApiError::Http {
                status: 400,
                body: "Variable \"$x\" is not used.".into()
            }
        );
    }

    #[test]
    fn schema_mismatch_is_unsupported_on_400_and_200() {
        let message = r#"Cannot query field \"namespace\" on type \"Deployment\"."#;
        let body = format!(
            r#"{{"errors":[{{"message":"{message}","locations":[{{"line":6,"column":5}}],"extensions":{{"code":"GRAPHQL_VALIDATION_FAILED"}}}}]}}"#
        );
        let expected =
            ApiError::unsupported(r#"Cannot query field "namespace" on type "Deployment"."#);
        assert_eq!(
            decode_reply::<Data>(400, body.as_bytes()).unwrap_err(),
            expected
        );
        assert_eq!(
            decode_reply::<Data>(200, body.as_bytes()).unwrap_err(),
            expected
        );
        // A server error that happens to quote such a text is still a server error.
        match decode_reply::<Data>(500, body.as_bytes()).unwrap_err() {
            ApiError::Http { status: 500, .. } => {}
            other => panic!("unexpected {other:?}"),
        }
        // A resolver error code means the document ran: not a mismatch.
        let forbidden = format!(
            r#"{{"data":null,"errors":[{{"message":"{message}","extensions":{{"code":"FORBIDDEN"}}}}]}}"#
        );
        assert!(matches!(
            decode_reply::<Data>(200, forbidden.as_bytes()).unwrap_err(),
            ApiError::Forbidden(_)
        ));
    }

    #[test]
    fn empty_http_error_bodies_get_the_reason_phrase() {
        let err = decode_reply::<Data>(503, b"").unwrap_err();
        assert_eq!(err.to_string(), "HTTP 503: Service Unavailable");
    }

    #[test]
    fn http_error_body_is_trimmed() {
        let body = format!("<html>\n<body>{}</body></html>", "x".repeat(1000));
        match decode_reply::<Data>(502, body.as_bytes()).unwrap_err() {
            ApiError::Http { status, body } => {
                assert_eq!(status, 502);
                assert!(body.starts_with("<html> <body>xxx"));
                assert!(body.chars().count() <= MAX_ERROR_BODY + 1);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn malformed_replies_are_decode_errors() {
        for body in [
            &b"not json"[..],
            b"",
            b"{}",
            b"{\"data\":null}",
            b"[1,2]",
            b"\xff\xfe",
        ] {
            let err = decode_reply::<Data>(200, body).unwrap_err();
            assert!(matches!(err, ApiError::Decode(_)), "{body:?} -> {err:?}");
        }
    }

    #[test]
    fn decode_errors_have_no_rust_type_names() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct MeSelf {
            id: i64,
            name: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Data {
            #[serde(rename = "self")]
            me: MeSelf,
        }
        for (body, expected) in [
            (
                &br#"{"data":{"self":null}}"#[..],
                "found null where an object was expected",
            ),
            (
                br#"{"data":{"self":{"id":"x","name":"n"}}}"#,
                "found text \"x\" where a whole number was expected",
            ),
            (
                br#"{"data":{"self":{"id":1}}}"#,
                "the field \"name\" is missing",
            ),
            (
                br#"{"data":{"self":[1]}}"#,
                "found a list where an object was expected",
            ),
            (
                br#"{"data":{"self":{"id":1,"#,
                "it ends in the middle (cut off)",
            ),
        ] {
            let reply = RawReply {
                body,
                ..raw(200, Some("application/json"), b"")
            };
            let err = classify_reply::<Data>(&reply).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(expected), "{text}");
            assert!(text.contains("the reply to Workspaces"), "{text}");
            assert!(!text.contains("MeSelf") && !text.contains("i64"), "{text}");
            assert!(!text.contains("line 1"), "{text}");
        }
    }

    #[test]
    fn weird_error_shapes_do_not_panic() {
        let err = decode_reply::<Data>(200, br#"{"errors":[{"message":5},"x",null]}"#).unwrap_err();
        assert_eq!(
            err,
            ApiError::graphql("unknown error; unknown error; unknown error")
        );
    }

    #[test]
    fn a_404_names_the_url_and_suggests_v1() {
        let err = classify_reply::<Data>(&raw(404, Some("text/plain"), b"")).unwrap_err();
        assert!(!err.is_transient());
        let text = err.to_string();
        assert!(text.contains("http://127.0.0.1:28871/"), "{text}");
        assert!(text.contains("HTTP 404 (not found)"), "{text}");
        assert!(
            text.contains("did you mean http://127.0.0.1:28871/v1"),
            "{text}"
        );
    }

    #[test]
    fn a_wrong_path_gets_the_hosts_v1_suggested() {
        for (tried, meant) in [
            ("http://127.0.0.1:28871/nope", "http://127.0.0.1:28871/v1"),
            ("http://127.0.0.1:28871/ws", "http://127.0.0.1:28871/v1"),
            (
                "https://houston.example.com/a/b/?x=1",
                "https://houston.example.com/v1",
            ),
        ] {
            let reply = RawReply {
                url: tried,
                ..raw(404, Some("text/plain"), b"")
            };
            let text = classify_reply::<Data>(&reply).unwrap_err().to_string();
            assert!(text.contains(&format!("did you mean {meant}?")), "{text}");
            assert!(
                !text.contains("/nope/v1") && !text.contains("/ws/v1"),
                "{text}"
            );
        }
    }

    #[test]
    fn an_html_page_is_not_houston_and_is_not_dumped() {
        let page = b"<!doctype html><html><head><title>Sign in - Corp SSO</title></head><body>lots</body></html>";
        let err =
            classify_reply::<Data>(&raw(200, Some("text/html; charset=utf-8"), page)).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, ApiError::NotHouston(_)), "{err:?}");
        assert!(
            text.contains("web page titled \"Sign in - Corp SSO\""),
            "{text}"
        );
        assert!(!text.contains("<body>"), "{text}");
    }

    #[test]
    fn json_that_is_not_graphql_is_not_houston() {
        for body in [&b"{}"[..], br#"{"status":"ok"}"#, b"[1,2]", b"42", b"hello"] {
            let err =
                classify_reply::<Data>(&raw(200, Some("application/json"), body)).unwrap_err();
            assert!(matches!(err, ApiError::NotHouston(_)), "{body:?}: {err:?}");
        }
        // A GraphQL reply without data stays a decode error.
        let err = classify_reply::<Data>(&raw(200, None, br#"{"data":null}"#)).unwrap_err();
        assert!(matches!(err, ApiError::Decode(_)), "{err:?}");
    }

    #[test]
    fn gateway_errors_stay_transient() {
        let err = classify_reply::<Data>(&raw(502, Some("text/html"), b"<html>bad gateway</html>"))
            .unwrap_err();
        assert!(err.is_transient(), "{err:?}");
    }
}
