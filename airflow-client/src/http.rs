//! The HTTP side shared by the Airflow and Flower clients: one `reqwest::Client` that never
//! follows redirects (the ingress's refusal is a redirect), URLs built segment by segment under
//! the UI root (run ids hold `:` and `+`), the credential attached as a sensitive header, the
//! reply read with a size cap and classified by `error::classify`.

use std::time::Duration;

use houston_client::tls::{self, TrustOptions};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, LOCATION};
use reqwest::{Method, Url};

use crate::credential::Credential;
use crate::error::{AirflowError, RawReply};

const LOG_TARGET: &str = "astrodash::airflow";

/// The largest reply read: a page of 100 DAGs is well under 1 MiB, a task log can be long.
pub const DEFAULT_MAX_REPLY_BYTES: usize = 16 * 1024 * 1024;

/// Timeouts, the size cap and which certificates to trust (the context's, as for Houston).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub max_reply_bytes: usize,
    pub trust: TrustOptions,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
            trust: TrustOptions::default(),
        }
    }
}

/// One request: path segments under the root, query, JSON body, the type wanted back.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub method: Method,
    pub path: Vec<String>,
    pub query: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
    pub accept: &'static str,
}

impl Call {
    pub(crate) fn get<S: Into<String>>(path: impl IntoIterator<Item = S>) -> Call {
        Call {
            method: Method::GET,
            path: path.into_iter().map(Into::into).collect(),
            query: Vec::new(),
            body: None,
            accept: "application/json",
        }
    }

    pub(crate) fn with_method(mut self, method: Method) -> Call {
        self.method = method;
        self
    }

    pub(crate) fn query(mut self, key: &str, value: impl ToString) -> Call {
        self.query.push((key.to_string(), value.to_string()));
        self
    }

    pub(crate) fn json(mut self, body: serde_json::Value) -> Call {
        self.body = Some(body);
        self
    }

    pub(crate) fn accept(mut self, accept: &'static str) -> Call {
        self.accept = accept;
        self
    }
}

/// The status, headers that matter and body of a reply.
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub(crate) fn raw<'a>(&'a self, service: &'a str) -> RawReply<'a> {
        RawReply {
            service,
            status: self.status,
            content_type: self.content_type.as_deref(),
            location: self.location.as_deref(),
            body: &self.body,
        }
    }
}

#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    root: Url,
    credential: Credential,
    max_reply_bytes: usize,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The credential's own Debug is redacted; the pool is noise.
        f.debug_struct("Http")
            .field("root", &self.root.as_str())
            .field("credential", &self.credential)
            .finish()
    }
}

impl Http {
    pub(crate) fn new(
        root: &str,
        credential: Credential,
        options: &Options,
    ) -> Result<Http, AirflowError> {
        let root = root.trim();
        let parsed = Url::parse(root)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && !u.cannot_be_a_base())
            .ok_or_else(|| {
                AirflowError::Setup(format!("'{root}' is not an http:// or https:// URL"))
            })?;
        let tls = tls::client_config(&options.trust).map_err(AirflowError::Setup)?;
        let client = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("astrodash/", env!("CARGO_PKG_VERSION")))
            .tls_backend_preconfigured((*tls).clone())
            .build()
            .map_err(|e| AirflowError::Setup(e.to_string()))?;
        Ok(Http {
            client,
            root: parsed,
            credential,
            max_reply_bytes: options.max_reply_bytes,
        })
    }

    pub(crate) fn root(&self) -> &str {
        self.root.as_str()
    }

    /// The URL of `call` under the root, each segment percent-encoded.
    pub(crate) fn url(&self, prefix: &[&str], call: &Call) -> Url {
        let mut url = self.root.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty();
            segments.extend(prefix.iter().copied());
            segments.extend(call.path.iter());
        }
        if !call.query.is_empty() {
            url.query_pairs_mut().extend_pairs(call.query.iter());
        }
        url
    }

    pub(crate) async fn send(&self, prefix: &[&str], call: &Call) -> Result<Reply, AirflowError> {
        let url = self.url(prefix, call);
        let mut request = self
            .client
            .request(call.method.clone(), url.clone())
            .header(ACCEPT, call.accept);
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }
        if let Some(header) = self.credential.header() {
            let mut value = HeaderValue::from_str(&header).map_err(|_| {
                AirflowError::Setup(
                    "the credential holds characters that cannot be sent in an HTTP header".into(),
                )
            })?;
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        let started = std::time::Instant::now();
        let response = request.send().await.map_err(|e| self.transport_error(&e))?;
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let status = response.status().as_u16();
        let content_type = header(CONTENT_TYPE);
        let location = header(LOCATION);
        let body = self.read_capped(response).await?;
        tracing::debug!(
            target: LOG_TARGET,
            method = %call.method,
            path = url.path(),
            status,
            ms = started.elapsed().as_millis() as u64,
            "airflow request"
        );
        Ok(Reply {
            status,
            content_type,
            location,
            body,
        })
    }

    async fn read_capped(&self, mut response: reqwest::Response) -> Result<Vec<u8>, AirflowError> {
        let limit = self.max_reply_bytes;
        let too_large = AirflowError::ReplyTooLarge {
            limit_bytes: limit as u64,
        };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(&e))?
        {
            if body.len() + chunk.len() > limit {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn transport_error(&self, e: &reqwest::Error) -> AirflowError {
        if e.is_timeout() {
            return AirflowError::Timeout;
        }
        if let Some(problem) = tls::certificate_problem(e) {
            return AirflowError::Setup(format!("{problem} ({})", self.root));
        }
        let mut cause = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            cause = s.to_string();
            source = s.source();
        }
        AirflowError::Network(format!("{}: {cause}", self.root))
    }
}
