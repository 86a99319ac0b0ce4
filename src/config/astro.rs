//! The astro CLI's `~/.astro/config.yaml`: reuse the session of `astro login <domain>`.
//!
//! Read loosely (as a YAML value tree): the file is written by viper with many keys we do not
//! care about, and their types vary between CLI versions.

use std::path::{Path, PathBuf};

use serde_yaml_ng::Value;

use super::ConfigError;
use crate::houston::Secret;

/// One usable astro CLI context.
#[derive(Clone, PartialEq, Debug)]
pub(crate) struct AstroContext {
    /// The base domain, with dots (`astro.example.com`).
    pub(crate) domain: String,
    pub(crate) url: String,
    pub(crate) app_url: Option<String>,
    /// `None` after `astro logout` (empty token).
    pub(crate) token: Option<Secret>,
}

/// `$ASTRO_HOME/.astro/config.yaml`, else `<home>/.astro/config.yaml`.
pub(crate) fn config_path(astro_home: Option<&str>, home: Option<&Path>) -> Option<PathBuf> {
    match astro_home {
        Some(dir) => Some(PathBuf::from(dir)),
        None => home.map(Path::to_path_buf),
    }
    .map(|dir| dir.join(".astro").join("config.yaml"))
}

/// The parsed file. A missing file is `Ok(None)`; malformed YAML names the file and line.
pub(crate) fn load(path: &Path) -> Result<Option<Value>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ConfigError(format!("{}: {e}", path.display()))),
    };
    parse(&text)
        .map(Some)
        .map_err(|e| ConfigError(format!("{}:{e}", path.display())))
}

/// Errors read `LINE:COL: problem`.
pub(crate) fn parse(text: &str) -> Result<Value, String> {
    serde_yaml_ng::from_str::<Value>(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let message = e.to_string();
        // The message ends with " at line L column C"; we lead with the location instead.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        format!("{line}:{col}: {message}")
    })
}

/// The current context's domain: `ASTRO_DOMAIN`, else the `context` key. `None` when logged out.
pub(crate) fn current_domain(config: &Value, astro_domain_env: Option<&str>) -> Option<String> {
    astro_domain_env
        .map(str::to_string)
        .or_else(|| scalar(config.get("context")?))
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
}

/// The context for `domain`, with its URLs derived the way the astro CLI derives them.
pub(crate) fn context(config: &Value, domain: &str) -> Option<AstroContext> {
    let contexts = config.get("contexts")?.as_mapping()?;
    let key = domain.replace('.', "_");
    let entry = contexts.get(key.as_str()).or_else(|| {
        // Fall back to the `domain` field, in case the key was written differently.
        contexts
            .values()
            .find(|c| c.get("domain").and_then(scalar).as_deref() == Some(domain))
    })?;
    let domain = entry
        .get("domain")
        .and_then(scalar)
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| domain.to_string());
    let token = entry
        .get("token")
        .and_then(scalar)
        .and_then(|t| Secret::token(&t));
    let (url, app_url) = urls(config, &domain);
    Some(AstroContext {
        domain,
        url,
        app_url,
        token,
    })
}

/// Domains of all contexts, for messages.
pub(crate) fn domains(config: &Value) -> Vec<String> {
    let Some(contexts) = config.get("contexts").and_then(Value::as_mapping) else {
        return Vec::new();
    };
    contexts
        .iter()
        .filter_map(|(k, v)| v.get("domain").and_then(scalar).or_else(|| scalar(k)))
        .collect()
}

/// GraphQL and app URLs for a domain, as the astro CLI derives them (docs/houston.md,
/// "Endpoints").
pub(crate) fn urls(config: &Value, domain: &str) -> (String, Option<String>) {
    if domain == "localhost" || domain == "houston" {
        let local = config
            .get("local")
            .and_then(|l| l.get("houston"))
            .and_then(scalar)
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "http://localhost:8871/v1".to_string());
        return (local, None);
    }
    let api = config.get("cloud").and_then(|c| c.get("api"));
    let protocol = api
        .and_then(|a| a.get("protocol"))
        .and_then(scalar)
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "https".to_string());
    let port = api
        .and_then(|a| a.get("port"))
        .and_then(scalar)
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "443".to_string());
    let default_port = matches!(
        (protocol.as_str(), port.as_str()),
        ("https", "443") | ("http", "80")
    );
    let url = if default_port {
        format!("{protocol}://houston.{domain}/v1")
    } else {
        format!("{protocol}://houston.{domain}:{port}/v1")
    };
    (url, Some(format!("{protocol}://app.{domain}")))
}

/// Astro Cloud domains (`astronomer.io`, `cloud.astronomer-dev.io`, `pr1234.astronomer-stage.io`,
/// ...), which run no Houston.
pub(crate) fn is_astro_cloud(domain: &str) -> bool {
    let domain = domain
        .trim()
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .to_ascii_lowercase();
    let mut rest = domain.as_str();
    // Optional `prNNNN.` preview prefix, then optional `cloud.`.
    if let Some((first, tail)) = rest.split_once('.')
        && first.len() > 2
        && first.starts_with("pr")
        && first[2..].bytes().all(|b| b.is_ascii_digit())
    {
        rest = tail;
    }
    rest = rest.strip_prefix("cloud.").unwrap_or(rest);
    matches!(
        rest,
        "astronomer.io" | "astronomer-dev.io" | "astronomer-stage.io" | "astronomer-perf.io"
    )
}

/// A YAML scalar as text (viper writes ports as strings or numbers, depending on version).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_prefers_astro_home() {
        assert_eq!(
            config_path(Some("/opt/astro"), Some(Path::new("/home/u"))),
            Some(PathBuf::from("/opt/astro/.astro/config.yaml"))
        );
        assert_eq!(
            config_path(None, Some(Path::new("/home/u"))),
            Some(PathBuf::from("/home/u/.astro/config.yaml"))
        );
        assert_eq!(config_path(None, None), None);
    }

    #[test]
    fn url_rules() {
        let empty = Value::Null;
        assert_eq!(
            urls(&empty, "example.com"),
            (
                "https://houston.example.com/v1".to_string(),
                Some("https://app.example.com".to_string())
            )
        );
        let custom = parse("cloud:\n  api:\n    protocol: http\n    port: \"8871\"\n").unwrap();
        assert_eq!(
            urls(&custom, "dev.local").0,
            "http://houston.dev.local:8871/v1"
        );
        let http80 = parse("cloud:\n  api:\n    protocol: http\n    port: 80\n").unwrap();
        assert_eq!(urls(&http80, "x.io").0, "http://houston.x.io/v1");
        let https8443 = parse("cloud:\n  api:\n    port: 8443\n").unwrap();
        assert_eq!(urls(&https8443, "x.io").0, "https://houston.x.io:8443/v1");
        assert_eq!(urls(&empty, "localhost").0, "http://localhost:8871/v1");
    }

    #[test]
    fn cloud_domains() {
        for d in [
            "astronomer.io",
            "cloud.astronomer.io",
            "astronomer-dev.io",
            "pr1234.cloud.astronomer-dev.io",
            "pr55.astronomer-stage.io",
            "https://cloud.astronomer.io/",
        ] {
            assert!(is_astro_cloud(d), "{d}");
        }
        for d in [
            "astro.example.com",
            "astronomer.example.com",
            "localhost",
            "myastronomer.io",
            "prx.astronomer.io.evil",
        ] {
            assert!(!is_astro_cloud(d), "{d}");
        }
    }

    #[test]
    fn debug_hides_token() {
        let c = AstroContext {
            domain: "d".into(),
            url: "u".into(),
            app_url: None,
            token: Some("s3cret".into()),
        };
        assert!(!format!("{c:?}").contains("s3cret"));
    }
}
