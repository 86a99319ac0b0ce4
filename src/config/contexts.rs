//! Every installation `:ctx` can switch to: the contexts of the astrodash config file and of the
//! astro CLI config, each resolved to a URL and (in memory only) a token.

use std::path::Path;

use super::theme::ThemeName;
use super::{Env, astro, file, normalize_endpoint, token_problem};
use crate::houston::{Secret, TrustOptions};

/// Where a context was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextSource {
    /// A `[[context]]` of `astrodash.toml`.
    Config,
    /// A context of the astro CLI (`~/.astro/config.yaml`).
    AstroCli,
    /// `--url` / `ASTRODASH_URL`, or `astrodash demo`: only this run knows it.
    CommandLine,
}

impl ContextSource {
    pub(crate) fn label(self) -> &'static str {
        match self {
            ContextSource::Config => "astrodash config",
            ContextSource::AstroCli => "astro CLI",
            ContextSource::CommandLine => "command line",
        }
    }
}

/// One installation.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextEntry {
    pub name: String,
    pub source: ContextSource,
    /// The Houston GraphQL endpoint.
    pub url: String,
    pub app_url: Option<String>,
    pub token: Option<Secret>,
    pub read_only: bool,
    /// The context's own theme (`theme` in its `[[context]]`).
    pub theme: Option<ThemeName>,
    /// Which server certificates to trust (its `ca_file`, `insecure_skip_verify`).
    pub trust: TrustOptions,
    /// Why switching to it cannot work (an unreadable token file, an Astro Cloud domain …).
    pub problem: Option<String>,
}

/// The contexts of the astrodash config (in file order), then those of the astro CLI config
/// that the file does not already name. A context whose token cannot be read is listed with
/// its problem rather than left out, so `:ctx` can say why it does not work.
pub(crate) fn list(
    file: Option<&file::FileConfig>,
    config_path: Option<&Path>,
    env: &Env,
) -> Vec<ContextEntry> {
    let mut out = Vec::new();
    for context in file.map(|f| f.contexts.as_slice()).unwrap_or_default() {
        let theme = context
            .theme
            .as_deref()
            .and_then(|t| ThemeName::parse(t).ok());
        let url = normalize_endpoint(&context.url);
        let entry = match (
            super::target::target_from_file(context, env, config_path),
            url,
        ) {
            (Ok(target), Ok(url)) => ContextEntry {
                name: context.name.clone(),
                source: ContextSource::Config,
                app_url: target.app_url.or_else(|| super::app_url_of(&url)),
                url,
                // A token that can never work is no token: the context opens on its login.
                token: target.token.filter(|t| token_problem(t.expose()).is_none()),
                read_only: target.read_only,
                theme,
                trust: target.trust,
                problem: None,
            },
            (target, url) => ContextEntry {
                name: context.name.clone(),
                source: ContextSource::Config,
                url: url.clone().unwrap_or_else(|_| context.url.clone()),
                app_url: None,
                token: None,
                read_only: context.read_only,
                theme,
                trust: TrustOptions::default(),
                problem: match (target, url) {
                    (Err(e), _) => Some(e.0),
                    (_, Err(problem)) => Some(format!("invalid url: {problem}")),
                    _ => None,
                },
            },
        };
        out.push(entry);
    }
    let astro_path = astro::config_path(env.var("ASTRO_HOME"), env.home.as_deref());
    // A broken astro CLI file only costs its contexts here; `resolve` reports it when used.
    let astro_config = astro_path
        .as_deref()
        .and_then(|p| astro::load(p).ok())
        .flatten();
    if let Some(config) = astro_config {
        for domain in astro::domains(&config) {
            if out.iter().any(|e| e.name == domain) {
                continue;
            }
            let Some(context) = astro::context(&config, &domain) else {
                continue;
            };
            let problem = astro::is_astro_cloud(&context.domain).then(|| {
                "Astro Cloud has no Houston API: astrodash works with Astronomer Software".into()
            });
            out.push(ContextEntry {
                name: context.domain,
                source: ContextSource::AstroCli,
                url: context.url,
                app_url: context.app_url,
                token: context
                    .token
                    .filter(|t| token_problem(t.expose()).is_none()),
                read_only: false,
                theme: None,
                trust: TrustOptions::default(),
                problem,
            });
        }
    }
    out
}
