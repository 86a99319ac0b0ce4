//! Where astrodash connects and with which token: flags and env, the astrodash TOML config,
//! and the astro CLI's `~/.astro/config.yaml` current context.
//!
//! `Settings` is what `app::run` receives (a contract: fields may be added with a default).
//!
//! Precedence: `--url`/`ASTRODASH_URL` and `--token`/`ASTRODASH_TOKEN` first; then a context of
//! the astrodash config file (see `file` for its format); then the astro CLI's current context.
//! No token anywhere means the login screen.
//!
//! Flags and the environment outrank the files: a broken or newer-than-known *default* config
//! file is a warning (carried in `Settings::warnings`) when `--url`/`--token` or their variables
//! are given, and unknown keys are always only warnings. A token that cannot be used (control
//! characters, an unset `token_env` variable) is dropped with a reason the login screen shows.

pub(crate) mod astro;
pub(crate) mod contexts;
pub(crate) mod file;
mod target;
pub(crate) mod theme;
pub(crate) mod url;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::Cli;
use crate::houston::{ApiError, HoustonClient, Secret, TransportOptions, TrustOptions};
pub use contexts::{ContextEntry, ContextSource};
pub(crate) use target::expand_home;
use target::{Target, find_target};
pub use theme::{ThemeChoice, ThemeName};
use url::context_name_of;
pub(crate) use url::{app_url_of, normalize_endpoint};

/// Where the token came from (shown in the header; decides what "log in again" means).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    Env,
    ConfigFile,
    AstroCli,
    Demo,
    Login,
    #[default]
    None,
}

/// Everything the app needs to connect.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Name of the context shown in the header and breadcrumbs (e.g. `demo`, `astro.example.com`).
    pub context_name: String,
    /// Houston GraphQL endpoint, e.g. `https://houston.example.com/v1`.
    pub url: String,
    pub token: Option<Secret>,
    pub token_source: TokenSource,
    /// Where the token came from, in words (`--token`, `PROD_TOKEN (token_env of the context
    /// 'prod' in …)`); empty when nobody said.
    pub token_origin: String,
    /// `https://app.<domain>` when known: the login screen points at `<app_url>/token`.
    pub app_url: Option<String>,
    pub read_only: bool,
    pub refresh: Duration,
    /// Problems that did not stop start-up (a broken default config file, unknown keys), each a
    /// full sentence naming the file: shown once in the TUI, printed on stderr otherwise.
    pub warnings: Vec<String>,
    /// Why there is no usable token although one was configured (shown on the login screen).
    pub login_reason: Option<String>,
    /// Which server certificates to trust (`ca_file`, `insecure_skip_verify`).
    pub trust: TrustOptions,
    /// Lines a log view keeps (`log_lines`; default `DEFAULT_LOG_LINES`).
    pub log_lines: usize,
    /// `--theme`, the file's `theme` and `NO_COLOR`: each context's theme is picked from these
    /// and the context's own `theme`.
    pub theme: ThemeChoice,
    /// Mouse capture (click selects, the wheel scrolls): `--mouse` or `mouse = true`. Off by
    /// default, so the terminal's own text selection keeps working (over SSH, the clipboard).
    pub mouse: bool,
    /// `[keys]` of the config file: action name → keys.
    pub keys: Vec<(String, Vec<String>)>,
    /// Every installation `:ctx` offers (astrodash config and astro CLI config).
    pub contexts: Vec<ContextEntry>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            context_name: String::new(),
            url: String::new(),
            token: None,
            token_source: TokenSource::None,
            token_origin: String::new(),
            app_url: None,
            read_only: false,
            refresh: Duration::from_secs(DEFAULT_REFRESH_SECS),
            warnings: Vec::new(),
            login_reason: None,
            trust: TrustOptions::default(),
            log_lines: DEFAULT_LOG_LINES,
            theme: ThemeChoice::default(),
            mouse: false,
            keys: Vec::new(),
            contexts: Vec::new(),
        }
    }
}

impl Settings {
    /// A Houston client for these settings (endpoint, token and which certificates to trust).
    pub(crate) fn client(&self) -> Result<HoustonClient, ApiError> {
        let options = TransportOptions {
            trust: self.trust.clone(),
            ..TransportOptions::default()
        };
        HoustonClient::with_options(&self.url, self.token.clone(), &options)
    }
}

/// A config problem, reported before the terminal is touched.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The process environment `resolve` reads, as a value so tests never touch the real one.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// The user's home directory (for `~/.astro/config.yaml`).
    pub home: Option<PathBuf>,
    /// astrodash's config directory (holds the default `astrodash.toml`).
    pub config_dir: Option<PathBuf>,
    /// Environment variables (`ASTRO_HOME`, `ASTRO_DOMAIN`, `ASTRODASH_TOKEN`, `token_env`s):
    /// secrets, since values include tokens.
    pub vars: HashMap<String, Secret>,
}

impl Env {
    /// The real environment of this process.
    pub(crate) fn from_process() -> Env {
        Env {
            home: directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()),
            config_dir: project_dirs().map(|p| p.config_dir().to_path_buf()),
            // `vars_os` rather than `vars`: a non-UTF-8 variable must not panic.
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?.into())))
                .collect(),
        }
    }

    /// A set, non-empty variable.
    pub(crate) fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(Secret::expose)
            .filter(|v| !v.trim().is_empty())
    }

    /// Where the astrodash config file lives unless `--config` says otherwise.
    pub(crate) fn default_config_path(&self) -> Option<PathBuf> {
        self.config_dir.as_ref().map(|d| d.join("astrodash.toml"))
    }
}

/// astrodash's platform directories (config, data).
pub(crate) fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "astrodash")
}

const DEFAULT_REFRESH_SECS: u64 = 5;

/// Lines kept per log view unless `log_lines` in the config says otherwise.
pub const DEFAULT_LOG_LINES: usize = 10_000;
/// The smallest log buffer the config may ask for.
pub const MIN_LOG_LINES: usize = 100;
/// The largest log buffer the config may ask for.
pub const MAX_LOG_LINES: usize = 1_000_000;
/// The background refresh interval allowed, in seconds: at least once an hour, at most once a
/// second (0 would poll in a busy loop; a huge value overflows date arithmetic).
pub(crate) const REFRESH_SECS_RANGE: std::ops::RangeInclusive<u64> = 1..=3600;

/// Whether `secs` is a usable refresh interval; the problem in words when not.
pub(crate) fn check_refresh_secs(secs: u64) -> Result<u64, String> {
    if REFRESH_SECS_RANGE.contains(&secs) {
        Ok(secs)
    } else {
        Err(format!(
            "{secs} is not a usable refresh interval: give between {} and {} seconds",
            REFRESH_SECS_RANGE.start(),
            REFRESH_SECS_RANGE.end()
        ))
    }
}

/// Resolve connection settings from the command line, env, astrodash config and astro CLI config.
pub fn resolve(cli: &Cli) -> Result<Settings, ConfigError> {
    resolve_with(cli, &Env::from_process())
}

/// `resolve` over an explicit environment.
pub fn resolve_with(cli: &Cli, env: &Env) -> Result<Settings, ConfigError> {
    let mut warnings = Vec::new();
    let explicit_url = cli
        .connection
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let explicit_token = cli.connection.token.as_deref().and_then(Secret::token);
    // clap merges flag and env; equal to the env var means it (most likely) came from there.
    let explicit_source = if env.var("ASTRODASH_TOKEN").and_then(Secret::token) == explicit_token {
        TokenSource::Env
    } else {
        TokenSource::Flag
    };

    let config_path = cli
        .connection
        .config
        .clone()
        .or_else(|| env.default_config_path());
    let explicit_config = cli.connection.config.is_some();
    // Why the default file could not be used, for the "no URL" message.
    let mut file_problem = None;
    let file = match &config_path {
        Some(path) => match file::load(path, explicit_config) {
            Ok(file) => file,
            // Flags and environment outrank the default file: note it and go on.
            Err(e) if !explicit_config && (explicit_url.is_some() || explicit_token.is_some()) => {
                warnings.push(format!(
                    "the config file was ignored because it cannot be read: {e}"
                ));
                file_problem = Some(e.0);
                None
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    if let (Some(file), Some(path)) = (&file, &config_path) {
        warnings.extend(
            file.warnings
                .iter()
                .map(|w| format!("{}:{w}", path.display())),
        );
    }
    let keys = file.as_ref().map(file::key_overrides).unwrap_or_default();
    let (_, key_problems) = crate::keys::Keymap::with_overrides(&keys);
    warnings.extend(
        key_problems
            .into_iter()
            .map(|p| format!("{}: {p}", display(config_path.as_deref()))),
    );

    let refresh_secs = match cli.refresh {
        Some(secs) => check_refresh_secs(secs)
            .map_err(|problem| ConfigError(format!("--refresh: {problem}")))?,
        None => file
            .as_ref()
            .and_then(|f| f.refresh_secs)
            .unwrap_or(DEFAULT_REFRESH_SECS),
    };

    let mut target = match explicit_url {
        Some(url) => Target {
            url: url.to_string(),
            origin: "--url / ASTRODASH_URL".into(),
            ..Target::default()
        },
        None => find_target(
            cli,
            env,
            file.as_ref(),
            config_path.as_deref(),
            explicit_token.is_some(),
            file_problem.as_deref(),
        )?,
    };
    if let Some(token) = explicit_token {
        target.token = Some(token);
        target.token_source = explicit_source.clone();
        target.token_origin = match explicit_source {
            TokenSource::Env => "ASTRODASH_TOKEN".into(),
            _ => "--token".into(),
        };
        target.login_reason = None;
    }
    if let Some(token) = &target.token
        && let Some(problem) = token_problem(token.expose())
    {
        // Sending it would fail on every request as if the server were down: say it once.
        // The essentials first: the login screen may show only one line of it.
        target.login_reason = Some(format!(
            "Token unusable: it {problem} (from {}). Paste a valid token, or fix its source.",
            target.token_origin
        ));
        target.token = None;
    }
    if target.token.is_none() {
        target.token_source = TokenSource::None;
    }

    let url = normalize_endpoint(&target.url).map_err(|problem| {
        ConfigError(format!(
            "invalid Houston URL '{}' (from {}): {problem}. Give https://houston.<domain>/v1, \
             a base URL such as https://houston.example.com, or a bare domain such as example.com",
            target.url, target.origin
        ))
    })?;
    let context_name = match target.context_name.take() {
        Some(name) => name,
        None => context_name_of(&url),
    };
    let app_url = target.app_url.take().or_else(|| app_url_of(&url));

    if let Some(path) = &cli.connection.ca_file {
        target.trust.ca_file = Some(path.clone());
        target.ca_origin = "--ca-file".into();
    }
    if let Some(path) = &target.trust.ca_file
        && !target.trust.insecure_skip_verify
    {
        crate::houston::tls::load_ca_file(path)
            .map_err(|problem| ConfigError(format!("{}: ca_file: {problem}", target.ca_origin)))?;
    }

    let read_only = cli.read_only || target.read_only;
    let theme = ThemeChoice {
        flag: cli.looks.theme,
        global: file
            .as_ref()
            .and_then(|f| f.theme.as_deref())
            .and_then(|t| ThemeName::parse(t).ok()),
        no_color: env.var("NO_COLOR").is_some(),
    };
    let mut contexts = contexts::list(file.as_ref(), config_path.as_deref(), env);
    // The context in use as it really started (a flag's token, --read-only), first when new.
    let listed = contexts.iter().find(|c| c.name == context_name);
    let current = ContextEntry {
        name: context_name.clone(),
        source: listed.map_or(ContextSource::CommandLine, |c| c.source),
        url: url.clone(),
        app_url: app_url.clone(),
        token: target.token.clone(),
        read_only,
        theme: listed.and_then(|c| c.theme),
        trust: target.trust.clone(),
        problem: None,
    };
    for c in &mut contexts {
        c.read_only |= cli.read_only;
    }
    match contexts.iter_mut().find(|c| c.name == current.name) {
        Some(slot) => *slot = current,
        None => contexts.insert(0, current),
    }

    Ok(Settings {
        context_name,
        url,
        token: target.token,
        token_source: target.token_source,
        token_origin: target.token_origin,
        app_url,
        read_only,
        refresh: Duration::from_secs(refresh_secs),
        warnings,
        login_reason: target.login_reason,
        trust: target.trust,
        log_lines: file
            .as_ref()
            .and_then(|f| f.log_lines)
            .unwrap_or(DEFAULT_LOG_LINES),
        theme,
        mouse: cli.looks.mouse || file.as_ref().and_then(|f| f.mouse).unwrap_or(false),
        keys,
        contexts,
    })
}

/// What is wrong with a token that can never work, in words (the token itself is never shown).
/// Houston's tokens are JWTs or 32-hex-digit keys: printable ASCII without spaces.
pub(crate) fn token_problem(token: &str) -> Option<String> {
    let (position, c) = token
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_graphic())?;
    let what = if c.is_control() {
        format!("contains a control character ({})", control_name(c))
    } else if c.is_whitespace() {
        "contains a space".to_string()
    } else {
        format!("contains a non-ASCII character (U+{:04X})", u32::from(c))
    };
    Some(format!("{what} at position {}", position + 1))
}

fn control_name(c: char) -> String {
    match c {
        '\t' => "a tab".into(),
        '\n' | '\r' => "a line break".into(),
        '\u{1b}' => "ESC".into(),
        '\u{7f}' => "DEL".into(),
        other => format!("U+{:04X}", u32::from(other)),
    }
}

fn display(path: Option<&Path>) -> String {
    path.map_or_else(|| "<unknown>".into(), |p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_problems_in_words() {
        assert_eq!(token_problem("eyJhbGciOi.J9.x-_"), None);
        assert_eq!(token_problem("0123456789abcdef0123456789abcdef"), None);
        assert_eq!(
            token_problem("tab\there").as_deref(),
            Some("contains a control character (a tab) at position 4")
        );
        assert_eq!(
            token_problem("a\u{1b}[31m").as_deref(),
            Some("contains a control character (ESC) at position 2")
        );
        assert_eq!(
            token_problem("two words").as_deref(),
            Some("contains a space at position 4")
        );
        assert_eq!(
            token_problem("é").as_deref(),
            Some("contains a non-ASCII character (U+00E9) at position 1")
        );
    }

    #[test]
    fn refresh_range() {
        assert_eq!(check_refresh_secs(1), Ok(1));
        assert_eq!(check_refresh_secs(3600), Ok(3600));
        assert!(
            check_refresh_secs(0)
                .unwrap_err()
                .contains("between 1 and 3600")
        );
        assert!(check_refresh_secs(u64::MAX).is_err());
    }

    #[test]
    fn home_expansion() {
        assert_eq!(
            expand_home(Path::new("~/t"), Some(Path::new("/h"))),
            PathBuf::from("/h/t")
        );
        assert_eq!(
            expand_home(Path::new("/a/t"), Some(Path::new("/h"))),
            PathBuf::from("/a/t")
        );
    }
}
