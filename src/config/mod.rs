//! Where astrodash connects and with which token: flags and env, the astrodash TOML config,
//! and the astro CLI's `~/.astro/config.yaml` current context.
//!
//! `Settings` is what `app::run` receives (a contract: fields may be added with a default).
//!
//! Precedence: `--url`/`ASTRODASH_URL` and `--token`/`ASTRODASH_TOKEN` first; then a context of
//! the astrodash config file (see `file` for its format); then the astro CLI's current context.
//! No token anywhere means the login screen.

pub mod astro;
pub mod contexts;
pub mod file;
pub mod theme;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::Cli;
use crate::houston::transport::normalize_token as clean_token;
pub use contexts::{ContextEntry, ContextSource};
pub use theme::{ThemeChoice, ThemeName};

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
    /// Problems that did not stop astrodash (a theme or key that does not exist): shown once
    /// in the dashboard and logged.
    pub warnings: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            context_name: String::new(),
            url: String::new(),
            token: None,
            token_source: TokenSource::None,
            app_url: None,
            read_only: false,
            refresh: Duration::from_secs(DEFAULT_REFRESH_SECS),
            theme: ThemeChoice::default(),
            mouse: false,
            keys: Vec::new(),
            contexts: Vec::new(),
            warnings: Vec::new(),
        }
    }
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
            .field("theme", &self.theme)
            .field("mouse", &self.mouse)
            .field("keys", &self.keys)
            .field("contexts", &self.contexts)
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// A config problem, reported before the terminal is touched.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The process environment `resolve` reads, as a value so tests never touch the real one.
#[derive(Clone, Default)]
pub struct Env {
    /// The user's home directory (for `~/.astro/config.yaml`).
    pub home: Option<PathBuf>,
    /// astrodash's config directory (holds the default `astrodash.toml`).
    pub config_dir: Option<PathBuf>,
    /// Environment variables (`ASTRO_HOME`, `ASTRO_DOMAIN`, `ASTRODASH_TOKEN`, `token_env`s).
    pub vars: HashMap<String, String>,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Variable names only: values include tokens.
        let mut names: Vec<&str> = self.vars.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("Env")
            .field("home", &self.home)
            .field("config_dir", &self.config_dir)
            .field("vars", &names)
            .finish()
    }
}

impl Env {
    /// The real environment of this process.
    pub fn from_process() -> Env {
        Env {
            home: directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()),
            config_dir: project_dirs().map(|p| p.config_dir().to_path_buf()),
            // `vars_os` rather than `vars`: a non-UTF-8 variable must not panic.
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    /// A set, non-empty variable.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// Where the astrodash config file lives unless `--config` says otherwise.
    pub fn default_config_path(&self) -> Option<PathBuf> {
        self.config_dir.as_ref().map(|d| d.join("astrodash.toml"))
    }
}

/// astrodash's platform directories (config, data).
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "astrodash")
}

const DEFAULT_REFRESH_SECS: u64 = 5;

/// Resolve connection settings from the command line, env, astrodash config and astro CLI config.
pub fn resolve(cli: &Cli) -> Result<Settings, ConfigError> {
    resolve_with(cli, &Env::from_process())
}

/// `resolve` over an explicit environment.
pub fn resolve_with(cli: &Cli, env: &Env) -> Result<Settings, ConfigError> {
    let config_path = cli.config.clone().or_else(|| env.default_config_path());
    let file = match &config_path {
        Some(path) => file::load(path, cli.config.is_some())?,
        None => None,
    };
    let refresh_secs = cli
        .refresh
        .or(file.as_ref().and_then(|f| f.refresh_secs))
        .unwrap_or(DEFAULT_REFRESH_SECS)
        .max(1);

    let explicit_token = cli
        .token
        .as_deref()
        .map(clean_token)
        .filter(|t| !t.is_empty());
    // clap merges flag and env; equal to the env var means it (most likely) came from there.
    let explicit_source = if env.var("ASTRODASH_TOKEN").map(clean_token) == explicit_token {
        TokenSource::Env
    } else {
        TokenSource::Flag
    };

    let mut target = match cli.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => Target {
            context_name: context_name_of(url),
            url: url.to_string(),
            token: None,
            token_source: TokenSource::None,
            app_url: None,
            read_only: false,
            origin: "--url / ASTRODASH_URL".into(),
        },
        None => find_target(
            cli,
            env,
            file.as_ref(),
            config_path.as_deref(),
            explicit_token.is_some(),
        )?,
    };
    if let Some(token) = explicit_token {
        target.token = Some(token.to_string());
        target.token_source = explicit_source;
    }
    if target.token.is_none() {
        target.token_source = TokenSource::None;
    }
    check_url(&target.url).map_err(|problem| {
        ConfigError(format!(
            "invalid Houston URL '{}' (from {}): {problem}",
            target.url, target.origin
        ))
    })?;
    let app_url = target.app_url.or_else(|| app_url_of(&target.url));
    let read_only = cli.read_only || target.read_only;
    let mut warnings = Vec::new();
    let in_file = |w: &String| format!("{}:{w}", display(config_path.as_deref()));
    warnings.extend(file.iter().flat_map(|f| f.warnings.iter()).map(in_file));
    let keys = file.as_ref().map(file::key_overrides).unwrap_or_default();
    let (_, key_problems) = crate::app::keymap::Keymap::with_overrides(&keys);
    warnings.extend(
        key_problems
            .into_iter()
            .map(|p| format!("{}: {p}", display(config_path.as_deref()))),
    );
    let theme = ThemeChoice {
        flag: cli.theme,
        global: file
            .as_ref()
            .and_then(|f| f.theme.as_deref())
            .and_then(|t| ThemeName::parse(t).ok()),
        no_color: env.var("NO_COLOR").is_some(),
    };
    let mut contexts = contexts::list(file.as_ref(), config_path.as_deref(), env);
    // The context in use as it really started (a flag's token, --read-only), first when new.
    let current = ContextEntry {
        name: target.context_name.clone(),
        source: contexts
            .iter()
            .find(|c| c.name == target.context_name)
            .map_or(ContextSource::CommandLine, |c| c.source),
        url: target.url.clone(),
        app_url: app_url.clone(),
        token: target.token.clone(),
        read_only,
        theme: contexts
            .iter()
            .find(|c| c.name == target.context_name)
            .and_then(|c| c.theme),
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
        context_name: target.context_name,
        url: target.url,
        token: target.token,
        token_source: target.token_source,
        app_url,
        read_only,
        refresh: Duration::from_secs(refresh_secs),
        theme,
        mouse: cli.mouse || file.as_ref().and_then(|f| f.mouse).unwrap_or(false),
        keys,
        contexts,
        warnings,
    })
}

/// Where to connect, before flags and defaults are applied.
struct Target {
    context_name: String,
    url: String,
    token: Option<String>,
    token_source: TokenSource,
    app_url: Option<String>,
    read_only: bool,
    /// Where the URL came from, for error messages.
    origin: String,
}

/// No `--url`: an astrodash context, else the astro CLI's current context.
fn find_target(
    cli: &Cli,
    env: &Env,
    file: Option<&file::FileConfig>,
    config_path: Option<&Path>,
    have_explicit_token: bool,
) -> Result<Target, ConfigError> {
    let wanted = cli
        .context
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let file_context = file.and_then(|f| match wanted {
        Some(name) => f.contexts.iter().find(|c| c.name == name),
        None => match &f.default_context {
            Some(name) => f.contexts.iter().find(|c| &c.name == name),
            None => f.contexts.first(),
        },
    });
    if let Some(context) = file_context {
        return target_from_file(context, env, config_path);
    }

    let astro_path = astro::config_path(env.var("ASTRO_HOME"), env.home.as_deref());
    let astro_config = match astro_path.as_deref().map(astro::load).transpose() {
        Ok(config) => config.flatten(),
        // With an explicit token the user asked for something specific; a broken astro file
        // is then only worth a note in the "no URL" message below.
        Err(e) if have_explicit_token => {
            return Err(no_url_error(config_path, Some(&e.0)));
        }
        Err(e) => return Err(e),
    };
    if let Some(config) = &astro_config {
        let domain = match wanted {
            Some(name) => Some(name.to_string()),
            None => astro::current_domain(config, env.var("ASTRO_DOMAIN")),
        };
        if let Some(context) = domain.and_then(|d| astro::context(config, &d)) {
            if astro::is_astro_cloud(&context.domain) {
                return Err(ConfigError(format!(
                    "the astro CLI context '{}' ({}) is Astro Cloud, which has no Houston API; \
                     astrodash works with Astronomer Software. Pick a Software context with \
                     --context DOMAIN, or pass --url.",
                    context.domain,
                    display(astro_path.as_deref())
                )));
            }
            let context_domain = context.domain.clone();
            return Ok(Target {
                context_name: context.domain,
                url: context.url,
                token_source: if context.token.is_some() {
                    TokenSource::AstroCli
                } else {
                    TokenSource::None
                },
                token: context.token,
                app_url: context.app_url,
                read_only: false,
                origin: format!(
                    "astro CLI context '{}' in {}",
                    context_domain,
                    display(astro_path.as_deref())
                ),
            });
        }
    }

    if let Some(name) = wanted {
        let in_file = file
            .map(file::names)
            .unwrap_or_else(|| "no config file".into());
        let in_astro = astro_config
            .as_ref()
            .map(astro::domains)
            .filter(|d| !d.is_empty())
            .map(|d| d.join(", "))
            .unwrap_or_else(|| "none".into());
        return Err(ConfigError(format!(
            "no context named '{name}'.\n  astrodash contexts ({}): {in_file}\n  astro CLI contexts ({}): {in_astro}",
            display(config_path),
            display(astro_path.as_deref()),
        )));
    }
    Err(no_url_error(config_path, None))
}

fn target_from_file(
    context: &file::FileContext,
    env: &Env,
    config_path: Option<&Path>,
) -> Result<Target, ConfigError> {
    let token = if let Some(var) = &context.token_env {
        let token = env.var(var).map(clean_token).map(str::to_string);
        if token.is_none() {
            tracing::warn!(context = %context.name, var = %var, "token_env variable is not set");
        }
        token
    } else if let Some(path) = &context.token_file {
        let path = expand_home(path, env.home.as_deref());
        // A relative path is relative to the config file, not to wherever astrodash was started.
        let path = match config_path.and_then(Path::parent) {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            ConfigError(format!(
                "{}: context '{}': cannot read token_file {}: {e}",
                display(config_path),
                context.name,
                path.display()
            ))
        })?;
        Some(clean_token(&text).to_string())
    } else {
        context
            .token
            .as_deref()
            .map(clean_token)
            .map(str::to_string)
    }
    .filter(|t| !t.is_empty());
    let url = file::endpoint_url(&context.url);
    Ok(Target {
        context_name: context.name.clone(),
        app_url: app_url_of(&url),
        url,
        token_source: if token.is_some() {
            TokenSource::ConfigFile
        } else {
            TokenSource::None
        },
        token,
        read_only: context.read_only,
        origin: format!("context '{}' in {}", context.name, display(config_path)),
    })
}

/// `~/x` → `<home>/x` (config files are written by hand).
fn expand_home(path: &Path, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

fn display(path: Option<&Path>) -> String {
    path.map_or_else(|| "<unknown>".into(), |p| p.display().to_string())
}

fn no_url_error(config_path: Option<&Path>, note: Option<&str>) -> ConfigError {
    let mut text = format!(
        "no Houston to connect to. Either:\n  \
         - pass --url https://houston.<domain>/v1 (and --token, or log in on the login screen)\n  \
         - set ASTRODASH_URL (and ASTRODASH_TOKEN)\n  \
         - add a [[context]] to {}\n  \
         - run `astro login <domain>`: astrodash reuses the astro CLI's current context\n  \
         - or try `astrodash demo` for a local demo",
        display(config_path)
    );
    if let Some(note) = note {
        text.push_str("\n(the astro CLI config could not be used: ");
        text.push_str(note);
        text.push(')');
    }
    ConfigError(text)
}

/// Reject what the client could not use, before the terminal is taken over.
fn check_url(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| e.to_string())?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("it must start with https:// or http://".into());
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("it has no host".into());
    }
    Ok(())
}

/// A short name for an explicit URL: its domain (`houston.` dropped), port kept.
fn context_name_of(url: &str) -> String {
    let Ok(parsed) = reqwest::Url::parse(url) else {
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
pub fn app_url_of(url: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok()?;
    let domain = parsed.host_str()?.strip_prefix("houston.")?;
    (!domain.is_empty()).then(|| format!("https://app.{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
