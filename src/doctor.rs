//! `astrodash doctor`: checks the connection the dashboard would use and prints a plain report:
//! the URL, whether Houston answers, its version, how it lets people log in, the token (kind,
//! expiry, who it is — never the token itself) and, for every read document, which form this
//! Houston accepts.
//!
//! Each form of each read document is sent at most once, newest first, until one is accepted.
//! Validation comes before any resolver, so a document answered with a permission or not-found
//! error was accepted all the same: only a schema-mismatch answer means "refused".

use std::fmt::Write;

use chrono::Utc;

use crate::config::{Settings, TokenSource};
use crate::houston::documents::{HOUSTON_1_0, READ_OPERATIONS};
use crate::houston::model::{AuthConfig, Me, Timestamp};
use crate::houston::variants::{ProbeIds, ReadOperation};
use crate::houston::{ApiError, HoustonClient, HoustonVersion, Release, jwt};

/// Ids that exist nowhere, for probing when the caller sees no workspace or deployment: the
/// server still validates the document first.
const PLACEHOLDER_ID: &str = "00000000-0000-0000-0000-000000000000";

/// The report, and how many problems it found.
#[derive(Debug, Clone)]
pub struct Report {
    pub text: String,
    pub problems: usize,
}

impl Report {
    /// Everything works: exit code 0.
    pub fn ok(&self) -> bool {
        self.problems == 0
    }
}

/// Label column width of the header lines.
const LABEL: usize = 14;

struct Writer {
    text: String,
    problems: usize,
}

impl Writer {
    fn line(&mut self, label: &str, value: impl std::fmt::Display) {
        let _ = writeln!(self.text, "{:<LABEL$}{value}", format!("{label}:"));
    }

    fn problem(&mut self, label: &str, value: impl std::fmt::Display) {
        self.problems += 1;
        self.line(label, format!("PROBLEM: {value}"));
    }
}

/// Check everything; never panics, never prints the token.
pub async fn diagnose(settings: &Settings) -> Report {
    let mut out = Writer {
        text: String::new(),
        problems: 0,
    };
    let _ = writeln!(out.text, "astrodash {} doctor\n", env!("CARGO_PKG_VERSION"));
    out.line(
        "URL",
        format!("{} (context {})", settings.url, settings.context_name),
    );
    let client = match settings.client() {
        Ok(client) => client,
        Err(e) => {
            out.problem("Reachable", e);
            return finish(out);
        }
    };

    match client.probe_version().await {
        Ok(version) => {
            out.line("Reachable", "yes");
            version_line(&mut out, &version);
        }
        // Not Houston at that URL, or a certificate refused: nothing was really reached.
        Err(e)
            if e.is_transient()
                || matches!(
                    e,
                    ApiError::Decode(_)
                        | ApiError::Http { .. }
                        | ApiError::NotHouston(_)
                        | ApiError::Certificate(_)
                ) =>
        {
            out.problem("Reachable", e);
            return finish(out);
        }
        // Answering with an error is answering: some Houstons want a token for appConfig.
        Err(e) => {
            out.line("Reachable", "yes");
            out.problem("Houston", format!("version unknown: {e}"));
        }
    }

    match client.auth_config().await {
        Ok(auth) => out.line("Login", login_text(&auth)),
        Err(e) => out.problem("Login", e),
    }

    let me = token_lines(&mut out, settings, &client).await;
    let ids = probe_ids(&client, me.as_ref()).await;

    let _ = writeln!(out.text, "\nDocuments (the form this Houston accepts):");
    let mut rows = Vec::new();
    for &operation in READ_OPERATIONS.iter() {
        rows.push(document_row(&mut out, &client, operation, &ids).await);
    }
    document_table(&mut out, &rows);
    finish(out)
}

fn finish(mut out: Writer) -> Report {
    let _ = match out.problems {
        0 => writeln!(out.text, "\nEverything works."),
        1 => writeln!(out.text, "\n1 problem found."),
        n => writeln!(out.text, "\n{n} problems found."),
    };
    Report {
        text: out.text,
        problems: out.problems,
    }
}

fn version_line(out: &mut Writer, version: &HoustonVersion) {
    if version.as_str().is_empty() {
        out.line("Houston", "version unknown (appConfig.version is empty)");
    } else if version.is_known() {
        out.line("Houston", version);
    } else {
        out.line(
            "Houston",
            format!("{version} (not a version number: newest documents first)"),
        );
    }
}

fn login_text(auth: &AuthConfig) -> String {
    let mut ways = Vec::new();
    if auth.local_enabled {
        ways.push("local accounts (e-mail and password)".to_string());
    }
    if !auth.providers.is_empty() {
        ways.push(format!("single sign-on: {}", auth.providers.join(", ")));
    }
    if ways.is_empty() {
        "no login method offered".into()
    } else {
        ways.join("; ")
    }
}

fn source_text(source: &TokenSource) -> &'static str {
    match source {
        TokenSource::Flag => "--token",
        TokenSource::Env => "ASTRODASH_TOKEN",
        TokenSource::ConfigFile => "the astrodash config file",
        TokenSource::AstroCli => "the astro CLI config",
        TokenSource::Demo => "the demo server",
        TokenSource::Login => "a login",
        TokenSource::None => "nowhere",
    }
}

/// The token's kind, expiry and owner. Returns who it is, when Houston says.
async fn token_lines(out: &mut Writer, settings: &Settings, client: &HoustonClient) -> Option<Me> {
    let Some(token) = client.token() else {
        out.problem(
            "Token",
            "none (the dashboard will ask you to log in; pass --token or set ASTRODASH_TOKEN)",
        );
        return None;
    };
    // The words resolving the settings found (`PROD_TOKEN (token_env of the context …)`) say
    // more than the kind of source.
    let source = if settings.token_origin.is_empty() {
        source_text(&settings.token_source).to_string()
    } else {
        settings.token_origin.clone()
    };
    let expires_at = jwt::expires_at(token);
    match expires_at {
        Some(at) if at <= Utc::now() => out.problem(
            "Token",
            format!("user token (JWT) from {source}, expired {}", when(at)),
        ),
        Some(at) => out.line(
            "Token",
            format!("user token (JWT) from {source}, expires {}", when(at)),
        ),
        None => out.line(
            "Token",
            format!("API key or token without expiry, from {source}"),
        ),
    }
    match client.me().await {
        Ok(me) => {
            out.line("Signed in as", who(&me));
            Some(me)
        }
        Err(e) => {
            out.problem("Signed in as", format!("Houston refused the token: {e}"));
            None
        }
    }
}

/// `2026-11-28 12:00 UTC (in 23h)` / `(5m ago)`.
fn when(at: Timestamp) -> String {
    let secs = (at - Utc::now()).num_seconds();
    let span = |s: i64| match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86400 => format!("{}h {}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d", s / 86400),
    };
    let relative = if secs >= 0 {
        format!("in {}", span(secs))
    } else {
        format!("{} ago", span(-secs))
    };
    format!("{} ({relative})", at.format("%Y-%m-%d %H:%M UTC"))
}

fn who(me: &Me) -> String {
    let admin = if me.is_system_admin {
        ", system admin"
    } else {
        ""
    };
    if me.is_service_account() {
        return format!("a service account{admin}");
    }
    let mut text = me.full_name.clone().unwrap_or_else(|| me.username.clone());
    if let Some(email) = &me.email {
        let _ = write!(text, " <{email}>");
    }
    if me.full_name.is_some() {
        let _ = write!(text, " ({})", me.username);
    }
    text + admin
}

/// A workspace and a deployment the caller can see, to probe with; placeholders otherwise.
/// These requests go through the client's normal fallback.
async fn probe_ids(client: &HoustonClient, me: Option<&Me>) -> ProbeIds {
    let mut ids = ProbeIds {
        workspace_id: PLACEHOLDER_ID.into(),
        deployment_id: PLACEHOLDER_ID.into(),
        release_name: String::new(),
        me_id: me.and_then(|m| m.id.clone()),
    };
    if me.is_none() {
        return ids;
    }
    let Ok(workspaces) = client.workspaces(ids.me_id.as_ref()).await else {
        return ids;
    };
    for workspace in workspaces {
        ids.workspace_id = workspace.id.clone();
        if let Ok(deployments) = client.workspace_deployments(&workspace.id).await
            && let Some(deployment) = deployments.into_iter().next()
        {
            ids.deployment_id = deployment.id;
            ids.release_name = deployment.release_name;
            break;
        }
    }
    ids
}

/// How one form fared.
enum Outcome {
    Accepted(Option<String>),
    Refused(String),
    Failed(String),
}

fn outcome(result: Result<(), ApiError>) -> Outcome {
    match result {
        Ok(()) => Outcome::Accepted(None),
        Err(ApiError::Unsupported { message, .. }) => Outcome::Refused(message),
        // The document validated; the answer is about this caller or these ids.
        Err(e @ (ApiError::Forbidden(_) | ApiError::NotFound(_) | ApiError::GraphQl { .. })) => {
            Outcome::Accepted(Some(e.to_string()))
        }
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

/// One line of the documents table: the operation, the form accepted (or `—`), the status.
type DocumentRow = (&'static str, String, String);

/// The documents table, each column as wide as its widest cell and two spaces apart.
fn document_table(out: &mut Writer, rows: &[DocumentRow]) {
    let field_width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0) + 2;
    let document_width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0) + 2;
    for (field, document, status) in rows {
        let _ = writeln!(
            out.text,
            "  {field:<field_width$}{document:<document_width$}{status}"
        );
    }
}

/// Probe the forms of one operation, newest first, until one is accepted; its table row.
async fn document_row(
    out: &mut Writer,
    client: &HoustonClient,
    operation: &dyn ReadOperation,
    ids: &ProbeIds,
) -> DocumentRow {
    let mut refusals = Vec::new();
    let mut line = None;
    let variants = operation.variants();
    // Newest first, to show what this Houston refuses; but not the forms of Houston 1.0 and
    // later to a Houston known to be older (another product line, not a newer form of its own).
    let version = client.houston_version();
    let first = variants
        .iter()
        .position(|v| {
            version
                .as_ref()
                .is_none_or(|ver| ver.at_least(v.since) || v.since < HOUSTON_1_0)
        })
        .unwrap_or(variants.len());
    for (index, variant) in variants.iter().enumerate().skip(first) {
        let Some(probe) = operation.probe(client, index, ids) else {
            break;
        };
        match outcome(probe.await) {
            Outcome::Refused(message) => {
                refusals.push(format!("{} refused: {message}", variant.document))
            }
            Outcome::Accepted(answer) => {
                let mut notes = Vec::new();
                if index > first {
                    notes.push("older form".to_string());
                }
                notes.append(&mut refusals);
                if let Some(answer) = answer {
                    notes.push(format!("answered: {answer}"));
                }
                let notes = if notes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", notes.join("; "))
                };
                line = Some((variant.document.to_string(), format!("ok{notes}"), false));
                break;
            }
            Outcome::Failed(message) => {
                line = Some((
                    variant.document.to_string(),
                    format!("PROBLEM: {message}"),
                    true,
                ));
                break;
            }
        }
    }
    // An operation that exists only from some Houston version (teams: 0.28) is not a problem
    // on an older one: the dashboard says so where it would show it.
    let since = variants
        .last()
        .map(|v| v.since)
        .filter(|since| *since != Release::ANY);
    let (document, status, problem) = line.unwrap_or_else(|| match since {
        _ if first < variants.len() && !operation.probeable() => (
            "—".to_string(),
            "not probed: it needs a cluster".to_string(),
            false,
        ),
        Some(since) => (
            "—".to_string(),
            format!("not offered: needs Houston {since} or later"),
            false,
        ),
        None => (
            "—".to_string(),
            format!("PROBLEM: not available ({})", refusals.join("; ")),
            true,
        ),
    });
    if problem {
        out.problems += 1;
    }
    (operation.field(), document, status)
}
