//! Where astrodash connects and with which token: flags and env, the astrodash TOML config,
//! and the astro CLI's `~/.astro/config.yaml` current context.
//!
//! CONTRACT SKELETON: `Settings` is what `app::run` receives; `resolve` is filled in by the
//! config work.

use std::time::Duration;

use crate::cli::Cli;

/// Where the token came from (shown in the header; decides what "log in again" means).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    Env,
    ConfigFile,
    AstroCli,
    Demo,
    Login,
    None,
}

/// Everything the app needs to connect. Never `Debug`-prints the token.
#[derive(Clone)]
pub struct Settings {
    /// Name of the context shown in the header and breadcrumbs (e.g. `demo`, `astro.example.com`).
    pub context_name: String,
    /// Houston GraphQL endpoint, e.g. `https://houston.example.com/v1`.
    pub url: String,
    pub token: Option<String>,
    pub token_source: TokenSource,
    /// `https://app.<domain>` when known: the login screen points at `<app_url>/token`.
    pub app_url: Option<String>,
    pub read_only: bool,
    pub refresh: Duration,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("context_name", &self.context_name)
            .field("url", &self.url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("token_source", &self.token_source)
            .field("app_url", &self.app_url)
            .field("read_only", &self.read_only)
            .field("refresh", &self.refresh)
            .finish()
    }
}

/// A config problem, reported before the terminal is touched.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Resolve connection settings from the command line, env, astrodash config and astro CLI config.
pub fn resolve(_cli: &Cli) -> Result<Settings, ConfigError> {
    Err(ConfigError("config resolution not implemented yet".into()))
}
