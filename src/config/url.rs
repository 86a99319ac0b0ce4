//! The one place where what a user typed as "the Houston URL" becomes the GraphQL endpoint:
//! `--url`, `ASTRODASH_URL`, a context's `url` in astrodash.toml and the astro CLI's
//! `local.houston` all go through [`normalize_endpoint`].
//!
//! Accepted forms (docs/houston.md, "Endpoints"):
//! - a full endpoint: `https://houston.example.com/v1` (kept);
//! - a base URL without a path: `https://houston.example.com` → `…/v1`;
//! - a bare base domain: `example.com` → `https://houston.example.com/v1` (`houston.` is added
//!   unless the name already starts with it; a port is kept: `example.com:8443` →
//!   `https://houston.example.com:8443/v1`);
//! - a bare host with a path: `houston.example.com/v1` → `https://houston.example.com/v1`;
//! - a loopback host without a scheme (`localhost:8871`, `127.0.0.1:8871`, `[::1]:8871`) →
//!   `http://…/v1`: a Houston on this machine (houston-local) speaks plain HTTP, and both
//!   spellings of "this machine" must behave the same.

use reqwest::Url;

/// What a URL normalises to, or why it cannot be used (a sentence for the operator).
pub(crate) fn normalize_endpoint(input: &str) -> Result<String, String> {
    let text = input.trim();
    if text.is_empty() {
        return Err("it is empty".into());
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains spaces or control characters".into());
    }
    let mut url = match text.split_once("://") {
        Some((scheme, _)) => {
            let scheme = scheme.to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return Err(format!(
                    "the scheme '{scheme}://' is not supported; use https:// (or http://)"
                ));
            }
            Url::parse(text).map_err(|e| format!("it is not a valid URL ({e})"))?
        }
        None => without_scheme(text)?,
    };
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it has no host name".into());
    }
    url.set_fragment(None);
    // A base URL names the server, not the endpoint: Houston's GraphQL endpoint is `/v1`.
    if url.path().is_empty() || url.path() == "/" {
        url.set_path("/v1");
    } else if url.path().len() > 1 && url.path().ends_with('/') {
        let trimmed = url.path().trim_end_matches('/').to_string();
        url.set_path(&trimmed);
    }
    Ok(url.to_string())
}

/// `host[:port][/path]` typed without a scheme.
fn without_scheme(text: &str) -> Result<Url, String> {
    let (authority, path) = match text.find('/') {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    if authority.is_empty() {
        return Err("it has no host name".into());
    }
    // Parse once with a placeholder scheme to split host and port reliably (IPv6 brackets).
    let probe = Url::parse(&format!("https://{authority}"))
        .map_err(|e| format!("'{authority}' is not a valid host name ({e})"))?;
    let host = probe.host_str().unwrap_or_default().to_string();
    let loopback = is_loopback(&probe);
    let scheme = if loopback { "http" } else { "https" };
    // A bare base domain (no path) is what the astro CLI calls the domain: Houston lives on
    // `houston.<domain>`. Only for names with a dot: not for IPs, `localhost` or single labels.
    let is_domain_name = matches!(probe.host(), Some(url::Host::Domain(_))) && host.contains('.');
    let host = if path.is_empty() && is_domain_name && !loopback && !host.starts_with("houston.") {
        format!("houston.{host}")
    } else {
        // Keep IPv6 brackets as typed.
        match probe.host() {
            Some(url::Host::Ipv6(ip)) => format!("[{ip}]"),
            _ => host,
        }
    };
    let port = probe.port().map(|p| format!(":{p}")).unwrap_or_default();
    Url::parse(&format!("{scheme}://{host}{port}{path}"))
        .map_err(|e| format!("it is not a valid URL ({e})"))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost") || name.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A short name for an explicit URL: its domain (`houston.` dropped), port kept.
pub(crate) fn context_name_of(url: &str) -> String {
    let Ok(parsed) = Url::parse(url) else {
        return url.to_string();
    };
    let host = parsed.host_str().unwrap_or_default();
    let host = host.strip_prefix("houston.").unwrap_or(host);
    match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// `https://houston.<domain>/…` → `https://app.<domain>` (where Houston's token page lives).
pub(crate) fn app_url_of(url: &str) -> Option<String> {
    let parsed = Url::parse(url).ok()?;
    let domain = parsed.host_str()?.strip_prefix("houston.")?;
    (!domain.is_empty()).then(|| format!("https://app.{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        normalize_endpoint(input).unwrap_or_else(|e| panic!("{input:?}: {e}"))
    }

    #[test]
    fn full_endpoints_are_kept() {
        assert_eq!(
            ok("https://houston.example.com/v1"),
            "https://houston.example.com/v1"
        );
        assert_eq!(ok("http://127.0.0.1:8871/v1"), "http://127.0.0.1:8871/v1");
        assert_eq!(
            ok(" https://houston.example.com/v1/ "),
            "https://houston.example.com/v1"
        );
        assert_eq!(
            ok("https://proxy.example.com/houston/v1"),
            "https://proxy.example.com/houston/v1"
        );
    }

    #[test]
    fn base_urls_gain_v1() {
        assert_eq!(
            ok("https://houston.example.com"),
            "https://houston.example.com/v1"
        );
        assert_eq!(ok("http://127.0.0.1:28871/"), "http://127.0.0.1:28871/v1");
        assert_eq!(ok("HTTP://LOCALHOST:28871"), "http://localhost:28871/v1");
    }

    #[test]
    fn bare_domains_become_houston_endpoints() {
        assert_eq!(ok("example.com"), "https://houston.example.com/v1");
        assert_eq!(ok("houston.example.com"), "https://houston.example.com/v1");
        assert_eq!(ok("houston.example.com/"), "https://houston.example.com/v1");
        assert_eq!(
            ok("example.com:8443"),
            "https://houston.example.com:8443/v1"
        );
        assert_eq!(
            ok("houston.example.com/v1"),
            "https://houston.example.com/v1"
        );
        assert_eq!(
            ok("proxy.example.com/houston/v1"),
            "https://proxy.example.com/houston/v1"
        );
    }

    #[test]
    fn loopback_hosts_are_plain_http_however_spelled() {
        assert_eq!(ok("localhost:28871"), "http://localhost:28871/v1");
        assert_eq!(ok("127.0.0.1:28871"), "http://127.0.0.1:28871/v1");
        assert_eq!(ok("[::1]:28871"), "http://[::1]:28871/v1");
        assert_eq!(ok("localhost:8871/v1"), "http://localhost:8871/v1");
        // A LAN address is not loopback: https, and no `houston.` in front of an IP.
        assert_eq!(ok("10.1.2.3:8871"), "https://10.1.2.3:8871/v1");
    }

    #[test]
    fn unusable_input_is_explained() {
        for (input, words) in [
            ("", "empty"),
            ("   ", "empty"),
            ("ftp://example.com/v1", "not supported"),
            ("https://", "not a valid URL"),
            ("exa mple.com", "spaces"),
            ("tab\there.com", "control"),
            ("http://exa\u{7f}mple.com", "control"),
            ("/v1", "no host"),
            ("example.com:99999", "not a valid host"),
        ] {
            let err = normalize_endpoint(input).expect_err(input);
            assert!(err.contains(words), "{input:?}: {err}");
        }
    }

    #[test]
    fn app_url_from_houston_host() {
        assert_eq!(
            app_url_of("https://houston.example.com/v1").as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(
            app_url_of("https://houston.example.com:8443/v1").as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(app_url_of("http://localhost:8871/v1"), None);
        assert_eq!(app_url_of("https://houston./v1"), None);
    }

    #[test]
    fn context_names() {
        assert_eq!(
            context_name_of("https://houston.example.com/v1"),
            "example.com"
        );
        assert_eq!(
            context_name_of("http://127.0.0.1:8871/v1"),
            "127.0.0.1:8871"
        );
    }
}
