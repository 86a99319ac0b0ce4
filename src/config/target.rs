//! Where to connect when no `--url` is given: a context of the astrodash config file, else the
//! astro CLI's current context — and, when there is none, an error that says every way to give one.

use std::path::{Path, PathBuf};

use super::{ConfigError, Env, TokenSource, astro, display, file};
use crate::cli::Cli;
use crate::houston::Secret;
use crate::houston::TrustOptions;

/// Where to connect, before flags and defaults are applied.
#[derive(Default)]
pub(super) struct Target {
    /// The context's own name; `None`: derived from the URL.
    pub(super) context_name: Option<String>,
    /// As written by the user (normalised by `resolve_with`).
    pub(super) url: String,
    pub(super) token: Option<Secret>,
    pub(super) token_source: TokenSource,
    /// Where the token came from, in words (for the login reason).
    pub(super) token_origin: String,
    /// Why a configured token is missing (shown on the login screen).
    pub(super) login_reason: Option<String>,
    pub(super) app_url: Option<String>,
    pub(super) read_only: bool,
    pub(super) trust: TrustOptions,
    /// Where `trust.ca_file` came from, for error messages.
    pub(super) ca_origin: String,
    /// Where the URL came from, for error messages.
    pub(super) origin: String,
}

/// No `--url`: an astrodash context, else the astro CLI's current context.
pub(super) fn find_target(
    cli: &Cli,
    env: &Env,
    file: Option<&file::FileConfig>,
    config_path: Option<&Path>,
    have_explicit_token: bool,
    file_problem: Option<&str>,
) -> Result<Target, ConfigError> {
    let wanted = cli
        .connection
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
            let notes = [file_problem, Some(e.0.as_str())];
            return Err(no_url_error(config_path, &notes));
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
                context_name: Some(context.domain),
                url: context.url,
                token_source: if context.token.is_some() {
                    TokenSource::AstroCli
                } else {
                    TokenSource::None
                },
                token: context.token,
                token_origin: format!(
                    "the astro CLI context '{}' ({})",
                    context_domain,
                    display(astro_path.as_deref())
                ),
                app_url: context.app_url,
                origin: format!(
                    "astro CLI context '{}' in {}",
                    context_domain,
                    display(astro_path.as_deref())
                ),
                ..Target::default()
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
    Err(no_url_error(config_path, &[file_problem]))
}

pub(super) fn target_from_file(
    context: &file::FileContext,
    env: &Env,
    config_path: Option<&Path>,
) -> Result<Target, ConfigError> {
    let in_file = format!("context '{}' in {}", context.name, display(config_path));
    // A relative path is relative to the config file, not to wherever astrodash was started.
    let file_path = |path: &Path| {
        let path = expand_home(path, env.home.as_deref());
        match config_path.and_then(Path::parent) {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path,
        }
    };
    let mut login_reason = None;
    // The token as written (a variable, a file, the context's `token`); read as a token below.
    let (raw, token_origin) = if let Some(var) = &context.token_env {
        let raw = env.var(var);
        if raw.is_none() {
            tracing::warn!(context = %context.name, var = %var, "token_env variable is not set");
            login_reason = Some(format!(
                "{var} is not set (the token_env of the {in_file}): log in here, or set {var} \
                 and start astrodash again."
            ));
        }
        (
            raw.map(Secret::from),
            format!("{var} (token_env of the {in_file})"),
        )
    } else if let Some(path) = &context.token_file {
        let path = file_path(path);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            ConfigError(format!(
                "{}: context '{}': cannot read token_file {}: {e}",
                display(config_path),
                context.name,
                path.display()
            ))
        })?;
        (
            Some(Secret::from(text)),
            format!("token_file {} of the {in_file}", path.display()),
        )
    } else {
        (context.token.clone(), format!("the token of the {in_file}"))
    };
    let token = raw.and_then(Secret::into_token);
    Ok(Target {
        context_name: Some(context.name.clone()),
        url: context.url.clone(),
        token_source: if token.is_some() {
            TokenSource::ConfigFile
        } else {
            TokenSource::None
        },
        token,
        token_origin,
        login_reason,
        read_only: context.read_only,
        trust: TrustOptions {
            ca_file: context.ca_file.as_deref().map(file_path),
            insecure_skip_verify: context.insecure_skip_verify,
        },
        ca_origin: in_file.clone(),
        origin: in_file,
        ..Target::default()
    })
}

/// `~/x` → `<home>/x` (paths typed by hand: config files, the `.env` import).
pub(crate) fn expand_home(path: &Path, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

fn no_url_error(config_path: Option<&Path>, notes: &[Option<&str>]) -> ConfigError {
    let mut text = format!(
        "no Houston to connect to. Either:\n  \
         - pass --url https://houston.<domain>/v1 (and --token, or log in on the login screen)\n  \
         - set ASTRODASH_URL (and ASTRODASH_TOKEN)\n  \
         - add a [[context]] to {}\n  \
         - run `astro login <domain>`: astrodash reuses the astro CLI's current context\n  \
         - or try `astrodash demo` for a local demo",
        display(config_path)
    );
    for note in notes.iter().flatten() {
        text.push_str("\n(this config file could not be used: ");
        text.push_str(note);
        text.push(')');
    }
    ConfigError(text)
}
