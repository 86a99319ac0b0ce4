//! Why an Airflow or Flower request failed, and the one function that reads an HTTP reply into
//! its data or its error (`classify`): pure, so the fuzz tests can feed it anything.

use serde::de::DeserializeOwned;

/// `Clone` so it can live in app state beside the last good data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AirflowError {
    /// The platform's ingress refused the request: it answers a redirect to its login page,
    /// not a 401.
    #[error(
        "not allowed — needs a deployment role with Airflow access \
         (the platform redirected to its login page)"
    )]
    LoginRedirect { status: u16 },
    /// A body that is an HTML page (nginx's error pages, a login form): never shown as if it
    /// were Airflow's message.
    #[error("HTTP {status}: the platform's proxy answered with an HTML page")]
    HtmlPage { status: u16 },
    /// Airflow's RFC 7807 problem (`title`, `detail`), or FastAPI's `detail` on Airflow 3.
    #[error("{}", problem_text(*.status, .title, .detail))]
    Problem {
        status: u16,
        title: String,
        detail: String,
    },
    /// Any other refusal (plain text, JSON that is no problem): the status and the start of
    /// the body.
    #[error("HTTP {status}: {body}")]
    Http { status: u16, body: String },
    /// A redirect somewhere else than a login page.
    #[error("HTTP {status}: redirected to {location}")]
    Redirect { status: u16, location: String },
    /// Flower ≥ 2 without its own authentication refuses its API (Astronomer's setup): only
    /// `/healthcheck` and `/metrics` answer.
    #[error(
        "Flower refuses its API without its own authentication \
         (FLOWER_UNAUTHENTICATED_API is not set); only its health check and metrics answer"
    )]
    FlowerUnauthenticated,
    /// A success whose body is not what the endpoint returns.
    #[error("unexpected reply from {service}: {detail}")]
    Decode { service: String, detail: String },
    #[error("cannot reach {0}")]
    Network(String),
    #[error("request timed out")]
    Timeout,
    /// The reply was larger than the client accepts.
    #[error("the reply is larger than {} MiB, the most astrodash accepts", limit_bytes / (1024 * 1024))]
    ReplyTooLarge { limit_bytes: u64 },
    /// What this Airflow's API cannot do (said before anything is sent).
    #[error("{0}")]
    Unsupported(String),
    /// The URL or TLS setup cannot be used (bad URL, CA file, a header that cannot be sent).
    #[error("{0}")]
    Setup(String),
}

fn problem_text(status: u16, title: &str, detail: &str) -> String {
    match (title.is_empty(), detail.is_empty()) {
        (false, false) if title != detail => format!("{title}: {detail} (HTTP {status})"),
        (false, _) => format!("{title} (HTTP {status})"),
        (true, false) => format!("{detail} (HTTP {status})"),
        (true, true) => format!("HTTP {status}"),
    }
}

impl AirflowError {
    /// Worth retrying by itself later (unreachable, slow or failing server).
    pub fn is_transient(&self) -> bool {
        match self {
            AirflowError::Network(_) | AirflowError::Timeout => true,
            AirflowError::HtmlPage { status }
            | AirflowError::Http { status, .. }
            | AirflowError::Problem { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }

    /// The caller may not see this (a login redirect, 401, 403): a permission for this view,
    /// never the end of the Houston session.
    pub fn is_permission_denied(&self) -> bool {
        match self {
            AirflowError::LoginRedirect { .. } | AirflowError::FlowerUnauthenticated => true,
            AirflowError::HtmlPage { status }
            | AirflowError::Http { status, .. }
            | AirflowError::Problem { status, .. } => matches!(status, 401 | 403),
            _ => false,
        }
    }

    /// The HTTP status a refusal carried, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            AirflowError::LoginRedirect { status }
            | AirflowError::HtmlPage { status }
            | AirflowError::Problem { status, .. }
            | AirflowError::Http { status, .. }
            | AirflowError::Redirect { status, .. } => Some(*status),
            AirflowError::FlowerUnauthenticated => Some(401),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}

/// One HTTP reply, as read off the wire.
#[derive(Debug, Clone, Copy)]
pub struct RawReply<'a> {
    /// "Airflow" or "Flower", for the messages.
    pub service: &'a str,
    pub status: u16,
    pub content_type: Option<&'a str>,
    pub location: Option<&'a str>,
    pub body: &'a [u8],
}

impl RawReply<'_> {
    fn is_html(&self) -> bool {
        let declared = self
            .content_type
            .is_some_and(|t| t.to_ascii_lowercase().contains("html"));
        let start: Vec<u8> = self
            .body
            .iter()
            .copied()
            .skip_while(u8::is_ascii_whitespace)
            .take(15)
            .map(|b| b.to_ascii_lowercase())
            .collect();
        declared || start.starts_with(b"<!doctype html") || start.starts_with(b"<html")
    }
}

/// A reply's body as JSON `T`, or the error it amounts to.
pub fn classify<T: DeserializeOwned>(reply: &RawReply<'_>) -> Result<T, AirflowError> {
    let body = success_body(reply)?;
    serde_json::from_slice(body).map_err(|e| AirflowError::Decode {
        service: reply.service.to_string(),
        detail: json_problem(&e),
    })
}

/// serde's message in an operator's words: no Rust type names, no positions.
fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            "the body is not valid JSON (cut short or damaged)".into()
        }
        Category::Data => {
            let text = e.to_string();
            let text = text.split(" at line ").next().unwrap_or_default();
            let mut words: Vec<String> = Vec::new();
            let mut tokens = text.split(' ').peekable();
            while let Some(token) = tokens.next() {
                match token {
                    "struct" | "enum" | "tuple" => {
                        // `struct Page` / `enum Tag`: say what shape was wanted, not its name.
                        tokens.next();
                        words.push(
                            if token == "struct" {
                                "an object"
                            } else {
                                "a value"
                            }
                            .into(),
                        );
                    }
                    t if ["u8", "u16", "u32", "u64", "i64", "i32", "f64", "usize"]
                        .contains(&t.trim_end_matches([',', ')'])) =>
                    {
                        words.push("a number".into())
                    }
                    t => words.push(t.replace("::", " ").replace("Some(", "(")),
                }
            }
            words.join(" ")
        }
    }
}

/// A reply's body as text (a task log, `/metrics`, `/healthcheck`), or the error it amounts to.
pub fn classify_text(reply: &RawReply<'_>) -> Result<String, AirflowError> {
    let body = success_body(reply)?;
    Ok(String::from_utf8_lossy(body).into_owned())
}

/// The body of a 2xx reply that is not an HTML page; otherwise the refusal it amounts to.
fn success_body<'a>(reply: &RawReply<'a>) -> Result<&'a [u8], AirflowError> {
    let status = reply.status;
    if (300..400).contains(&status) {
        let location = reply.location.unwrap_or_default();
        return Err(if location.to_ascii_lowercase().contains("login") {
            AirflowError::LoginRedirect { status }
        } else {
            AirflowError::Redirect {
                status,
                location: location.to_string(),
            }
        });
    }
    let text = String::from_utf8_lossy(reply.body);
    // Before the HTML check: Flower (Tornado) labels this plain sentence text/html.
    if status == 401 && text.contains("FLOWER_UNAUTHENTICATED_API") {
        return Err(AirflowError::FlowerUnauthenticated);
    }
    if reply.is_html() {
        return Err(AirflowError::HtmlPage { status });
    }
    if (200..300).contains(&status) {
        return Ok(reply.body);
    }
    if let Ok(serde_json::Value::Object(problem)) = serde_json::from_slice(reply.body) {
        let title = words(problem.get("title"));
        let detail = words(problem.get("detail"));
        if !title.is_empty() || !detail.is_empty() {
            return Err(AirflowError::Problem {
                status,
                title,
                detail,
            });
        }
    }
    Err(AirflowError::Http {
        status,
        body: first_line(&text),
    })
}

/// A problem field in words: a string as is; FastAPI's list of validation errors by their `msg`.
fn words(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => first_line(s),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|item| match item.get("msg") {
                Some(msg) => words(Some(msg)),
                None => words(Some(item)),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => first_line(&other.to_string()),
    }
}

/// At most 200 characters of the first non-blank line.
fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut out: String = line.chars().take(200).collect();
    if line.chars().count() > 200 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply<'a>(
        status: u16,
        ct: &'a str,
        location: Option<&'a str>,
        body: &'a str,
    ) -> RawReply<'a> {
        RawReply {
            service: "Airflow",
            status,
            content_type: Some(ct),
            location,
            body: body.as_bytes(),
        }
    }

    #[test]
    fn a_redirect_to_login_is_a_refusal_not_a_session_end() {
        let r = reply(
            302,
            "text/html",
            Some("https://app.example.com/login?rd=x"),
            "",
        );
        let err = classify_text(&r).unwrap_err();
        assert_eq!(err, AirflowError::LoginRedirect { status: 302 });
        assert!(err.is_permission_denied());
        assert!(
            err.to_string()
                .contains("deployment role with Airflow access")
        );
    }

    #[test]
    fn an_html_error_page_is_never_shown_as_the_message() {
        let r = reply(
            502,
            "text/html",
            None,
            "<html><h1>502 Bad Gateway</h1>nginx</html>",
        );
        let err = classify_text(&r).unwrap_err();
        assert_eq!(
            err.to_string(),
            "HTTP 502: the platform's proxy answered with an HTML page"
        );
        assert!(err.is_transient());
        // Even when the server says it is JSON or says nothing.
        let r = reply(
            200,
            "application/json",
            None,
            "  <!DOCTYPE html><p>login</p>",
        );
        assert!(matches!(
            classify_text(&r),
            Err(AirflowError::HtmlPage { status: 200 })
        ));
    }

    #[test]
    fn problems_read_title_and_detail_and_fastapi_detail_lists() {
        let r = reply(
            404,
            "application/problem+json",
            None,
            r#"{"title":"DAG not found","detail":"DAG with dag_id: 'x' not found","status":404,"type":"t"}"#,
        );
        let err = classify_text(&r).unwrap_err();
        assert_eq!(
            err.to_string(),
            "DAG not found: DAG with dag_id: 'x' not found (HTTP 404)"
        );
        assert!(err.is_not_found());
        let r = reply(
            422,
            "application/json",
            None,
            r#"{"detail":[{"msg":"field required"}]}"#,
        );
        assert_eq!(
            classify_text(&r).unwrap_err().to_string(),
            "field required (HTTP 422)"
        );
    }

    #[test]
    fn flower_two_refusing_its_api_is_its_own_error() {
        let r = reply(
            401,
            "text/plain",
            None,
            "FLOWER_UNAUTHENTICATED_API environment variable is required to enable API without authentication",
        );
        assert_eq!(
            classify_text(&r).unwrap_err(),
            AirflowError::FlowerUnauthenticated
        );
    }

    #[test]
    fn malformed_json_is_a_decode_error() {
        let r = reply(200, "application/json", None, r#"{"dags": [}"#);
        let err = classify::<serde_json::Value>(&r).unwrap_err();
        assert!(matches!(err, AirflowError::Decode { .. }), "{err:?}");
    }
}
