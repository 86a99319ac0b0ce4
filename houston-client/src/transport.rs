//! HTTP transport: one `reqwest::Client`, `POST <endpoint>` with a JSON GraphQL body, the reply
//! read with a size cap, and the mapping of every failure to get one onto `ApiError` (what the
//! reply itself means is `reply`'s job).

use std::sync::Arc;
use std::time::{Duration, Instant};

use graphql_client::{GraphQLQuery, QueryBody};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;

use super::ApiError;
use super::reply::{RawReply, classify_reply};
use super::secret::Secret;
use super::tls::{self, TrustOptions};

/// The target of the client's log events: the one they had inside the app, so that
/// `ASTRODASH_LOG=astrodash=debug` still shows each request.
const LOG_TARGET: &str = "astrodash::houston::transport";

pub use super::reply::{decode_reply, graphql_error};

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

/// The largest reply astrodash reads by default: 32 MiB. The largest real lists are deployment
/// lists: 1,000 deployments with the TUI's selection are 1.7 MiB of JSON (BENCHMARKS.md), so
/// 5,000 — more than any installation we know of — are about 8.5 MiB; 32 MiB leaves almost 4×
/// room for longer names and fields while stopping a runaway reply long before it hurts.
pub(crate) const DEFAULT_MAX_REPLY_BYTES: usize = 32 * 1024 * 1024;

/// How the transport talks to Houston: timeouts, the reply size cap, which certificates to
/// trust. `Default` is what the app uses unless the settings say otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportOptions {
    pub timeouts: Timeouts,
    /// Replies larger than this are refused (`ApiError::ReplyTooLarge`) without reading on.
    pub max_reply_bytes: usize,
    pub trust: TrustOptions,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            timeouts: Timeouts::default(),
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
            trust: TrustOptions::default(),
        }
    }
}

/// Posts GraphQL documents to one endpoint. Cheap to clone (reqwest's client is an `Arc`).
#[derive(Clone, Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    url: reqwest::Url,
    /// The endpoint as the user gave it (the parsed form may gain a trailing `/`).
    given_url: String,
    max_reply_bytes: usize,
    /// The TLS configuration, shared with the log websocket so both trust the same servers.
    tls: Arc<rustls::ClientConfig>,
    insecure: bool,
}

impl Transport {
    pub fn new(given_url: &str, timeouts: Timeouts) -> Result<Self, ApiError> {
        Self::with_options(
            given_url,
            &TransportOptions {
                timeouts,
                ..TransportOptions::default()
            },
        )
    }

    pub fn with_options(given_url: &str, options: &TransportOptions) -> Result<Self, ApiError> {
        let timeouts = options.timeouts;
        let url = given_url.trim();
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| ApiError::Network(format!("invalid URL '{url}': {e}")))?;
        // `localhost:8871/v1` parses with scheme "localhost"; say what is wrong instead.
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ApiError::Network(format!(
                "invalid URL '{url}': it must start with https:// or http://"
            )));
        }
        let tls = tls::client_config(&options.trust).map_err(ApiError::Certificate)?;
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .user_agent(concat!("astrodash/", env!("CARGO_PKG_VERSION")))
            .tls_backend_preconfigured((*tls).clone())
            .build()
            .map_err(|e| ApiError::Network(error_chain(&e)))?;
        Ok(Transport {
            http,
            url: parsed,
            given_url: url.to_string(),
            max_reply_bytes: options.max_reply_bytes,
            tls,
            insecure: options.trust.insecure_skip_verify,
        })
    }

    pub fn url(&self) -> &str {
        &self.given_url
    }

    /// The TLS configuration both clients use.
    pub(crate) fn tls_config(&self) -> Arc<rustls::ClientConfig> {
        self.tls.clone()
    }

    /// Certificates are not verified (the header shows it).
    pub fn is_insecure(&self) -> bool {
        self.insecure
    }

    /// Run operation `Q` and return its `data`, or the error the reply amounts to.
    pub async fn run<Q: GraphQLQuery>(
        &self,
        token: Option<&Secret>,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, ApiError> {
        let body = Q::build_query(variables);
        let started = Instant::now();
        let result = self
            .post::<Q::Variables, Q::ResponseData>(token, &body, body.operation_name)
            .await;
        match &result {
            Ok(_) => tracing::debug!(
                target: LOG_TARGET,
                operation = body.operation_name,
                ms = started.elapsed().as_millis() as u64,
                "houston request ok"
            ),
            Err(e) => tracing::info!(
                target: LOG_TARGET,
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
        token: Option<&Secret>,
        body: &QueryBody<V>,
        operation: &str,
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
        let response = request.send().await.map_err(|e| self.request_error(&e))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = self.read_capped(response).await?;
        classify_reply(&RawReply {
            url: &self.given_url,
            operation,
            status,
            content_type: content_type.as_deref(),
            body: &bytes,
        })
    }

    /// The body, chunk by chunk, refusing it as soon as it would pass the cap (a 50 MB reply is
    /// never held in memory, and `Content-Length` refuses it before a byte is read).
    async fn read_capped(&self, mut response: reqwest::Response) -> Result<Vec<u8>, ApiError> {
        let limit = self.max_reply_bytes;
        let too_large = || ApiError::ReplyTooLarge {
            limit_bytes: limit as u64,
        };
        let announced = response.content_length();
        if announced.is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(announced.map_or(0, |n| n as usize).min(limit));
        while let Some(chunk) = response.chunk().await.map_err(|e| self.request_error(&e))? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// A failure to get a reply, in words: timeouts, refused certificates (with the fix) and
    /// network problems naming the URL tried.
    fn request_error(&self, e: &reqwest::Error) -> ApiError {
        if e.is_timeout() {
            return ApiError::Timeout;
        }
        if let Some(problem) = tls::certificate_problem(e) {
            // The fix first: the message line may show only the start.
            return ApiError::Certificate(format!("{problem} ({})", self.given_url));
        }
        ApiError::Network(format!("{}: {}", self.given_url, network_cause(e)))
    }
}

/// The useful part of a network failure, in words ("connection refused", "host not found").
fn network_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut current = Some(e);
    let mut innermost = e.to_string();
    while let Some(error) = current {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            match io.kind() {
                ErrorKind::ConnectionRefused => {
                    return "connection refused: nothing listens on that host and port \
                            (is Houston running, and is the port right?)"
                        .into();
                }
                ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => {
                    return "the connection was closed by the server".into();
                }
                ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => {
                    return "the host cannot be reached from this machine".into();
                }
                _ => {}
            }
        }
        innermost = error.to_string();
        current = error.source();
    }
    let lower = error_chain(e).to_lowercase();
    if lower.contains("dns error") || lower.contains("failed to lookup address") {
        "the host name could not be resolved (check the URL's host, or your DNS)".into()
    } else if lower.contains("invalidcontenttype") || lower.contains("corrupt message") {
        "the server does not speak TLS on that port (should the URL start with http://?)".into()
    } else if lower.contains("connection closed before message completed") {
        "the server closed the connection without answering".into()
    } else {
        innermost
    }
}

fn auth_header_value(token: &Secret) -> Result<HeaderValue, ApiError> {
    let mut value = HeaderValue::from_str(token.expose()).map_err(|_| {
        // Do not echo the token: it may be a real secret with a stray character.
        ApiError::InvalidToken(
            "it contains characters that cannot be sent in an HTTP header \
             (control characters or line breaks)"
                .into(),
        )
    })?;
    // Keeps the value out of reqwest/hyper debug output.
    value.set_sensitive(true);
    Ok(value)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_with_control_characters_are_refused_without_echoing_them() {
        let err = auth_header_value(&"abc\u{1}def".into()).unwrap_err();
        assert!(matches!(err, ApiError::InvalidToken(_)), "{err:?}");
        assert!(!err.is_transient());
        assert!(!err.to_string().contains("abc"), "{err}");
        assert!(auth_header_value(&"eyJ.abc-_.x".into()).is_ok());
    }
}
