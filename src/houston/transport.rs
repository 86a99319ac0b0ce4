//! HTTP transport: one `reqwest::Client`, `POST <endpoint>` with a JSON GraphQL body, and the
//! mapping of every possible reply (or failure to get one) onto `ApiError`.

use std::time::{Duration, Instant};

use graphql_client::{GraphQLQuery, QueryBody};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;

use super::ApiError;

/// How long to wait before giving up. Tests use short ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// TCP connect + TLS handshake.
    pub connect: Duration,
    /// The whole request, including reading the body.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(15),
        }
    }
}

/// Longest HTTP error body kept in `ApiError::Http` (HTML error pages can be huge).
const MAX_ERROR_BODY: usize = 300;

/// Posts GraphQL documents to one endpoint. Cheap to clone (reqwest's client is an `Arc`).
#[derive(Clone, Debug)]
pub struct Transport {
    http: reqwest::Client,
    url: reqwest::Url,
    /// The endpoint as the user gave it (the parsed form may gain a trailing `/`).
    given_url: String,
}

impl Transport {
    pub fn new(given_url: &str, timeouts: Timeouts) -> Result<Self, ApiError> {
        let url = given_url.trim();
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| ApiError::Network(format!("invalid URL '{url}': {e}")))?;
        // `localhost:8871/v1` parses with scheme "localhost"; say what is wrong instead.
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ApiError::Network(format!(
                "invalid URL '{url}': it must start with https:// or http://"
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .user_agent(concat!("astrodash/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Network(error_chain(&e)))?;
        Ok(Transport {
            http,
            url: parsed,
            given_url: url.to_string(),
        })
    }

    pub fn url(&self) -> &str {
        &self.given_url
    }

    /// Run operation `Q` and return its `data`, or the error the reply amounts to.
    pub async fn run<Q: GraphQLQuery>(
        &self,
        token: Option<&str>,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, ApiError> {
        let body = Q::build_query(variables);
        let started = Instant::now();
        let result = self
            .post::<Q::Variables, Q::ResponseData>(token, &body)
            .await;
        match &result {
            Ok(_) => tracing::debug!(
                operation = body.operation_name,
                ms = started.elapsed().as_millis() as u64,
                "houston request ok"
            ),
            Err(e) => tracing::info!(
                operation = body.operation_name,
                ms = started.elapsed().as_millis() as u64,
                error = %e,
                "houston request failed"
            ),
        }
        result
    }

    async fn post<V: serde::Serialize, T: DeserializeOwned>(
        &self,
        token: Option<&str>,
        body: &QueryBody<V>,
    ) -> Result<T, ApiError> {
        let mut request = self
            .http
            .post(self.url.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "application/json")
            .json(body);
        if let Some(value) = token.map(auth_header_value).transpose()? {
            request = request.header(AUTHORIZATION, value);
        }
        let response = request.send().await.map_err(map_reqwest_error)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(map_reqwest_error)?;
        decode_reply(status, &bytes)
    }
}

/// Houston wants the raw token; a `Bearer ` prefix pasted by the user is dropped.
pub fn normalize_token(token: &str) -> &str {
    let token = token.trim();
    token.strip_prefix("Bearer ").unwrap_or(token).trim()
}

fn auth_header_value(token: &str) -> Result<HeaderValue, ApiError> {
    let mut value = HeaderValue::from_str(normalize_token(token)).map_err(|_| {
        // Do not echo the token: it may be a real secret with a stray character.
        ApiError::Network("the token contains characters not allowed in an HTTP header".into())
    })?;
    // Keeps the value out of reqwest/hyper debug output.
    value.set_sensitive(true);
    Ok(value)
}

fn map_reqwest_error(e: reqwest::Error) -> ApiError {
    if e.is_timeout() {
        ApiError::Timeout
    } else {
        ApiError::Network(error_chain(&e))
    }
}

/// reqwest's top-level message ("error sending request") hides the useful part
/// ("Connection refused"), which lives in the source chain.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

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

/// Turn an HTTP status and body into the operation's data or an `ApiError`. Never panics.
pub fn decode_reply<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, ApiError> {
    if status >= 400 {
        let errors = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|reply| errors_of(&reply));
        // Apollo answers a document the schema cannot run with 400 (houston-api.md §8.2).
        if (400..500).contains(&status)
            && let Some(error) = errors.as_ref().and_then(schema_mismatch)
        {
            return Err(error);
        }
        let body = errors
            .and_then(|e| e.messages.into_iter().next())
            .unwrap_or_else(|| trim_body(body));
        return Err(ApiError::Http { status, body });
    }
    // The fast path decodes the typed data directly (no intermediate `Value` tree: a
    // 1,000-deployment list is megabytes). Only when that fails do we look at the reply as
    // plain JSON, to report its `errors[]` or why it does not fit.
    // (serde would also accept a JSON array for a struct: a reply must be an object.)
    let is_object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    match serde_json::from_slice::<Reply<T>>(body).map_err(|e| e.to_string()) {
        Ok(reply) if is_object => {
            if let Some(errors) = reply.errors
                && let Some(error) = graphql_error(&serde_json::json!({ "errors": errors }))
            {
                return Err(error);
            }
            reply
                .data
                .ok_or_else(|| ApiError::Decode("reply has no data".into()))
        }
        result => {
            let typed_error = result
                .err()
                .unwrap_or_else(|| "a reply must be a JSON object".into());
            let reply: serde_json::Value = serde_json::from_slice(body)
                .map_err(|e| ApiError::Decode(format!("not JSON ({e}): {}", trim_body(body))))?;
            if let Some(error) = graphql_error(&reply) {
                return Err(error);
            }
            match reply.get("data") {
                None | Some(serde_json::Value::Null) => {
                    Err(ApiError::Decode("reply has no data".into()))
                }
                Some(_) => Err(ApiError::Decode(typed_error)),
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
            Some(m) if !m.is_empty() => m.to_string(),
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

    #[test]
    fn bearer_prefix_is_stripped() {
        assert_eq!(normalize_token("Bearer abc.def"), "abc.def");
        assert_eq!(normalize_token("  abc  "), "abc");
        assert_eq!(normalize_token("bearer abc"), "bearer abc");
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
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Typed {
            x: i64,
        }
        let err = decode_reply::<Typed>(200, br#"{"data":{"x":"nope"}}"#).unwrap_err();
        assert!(matches!(err, ApiError::Decode(_)));
    }

    #[test]
    fn weird_error_shapes_do_not_panic() {
        let err = decode_reply::<Data>(200, br#"{"errors":[{"message":5},"x",null]}"#).unwrap_err();
        assert_eq!(
            err,
            ApiError::graphql("unknown error; unknown error; unknown error")
        );
    }
}
