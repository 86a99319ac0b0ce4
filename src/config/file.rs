//! The astrodash config file (TOML).
//!
//! ```toml
//! default_context = "prod"      # optional; else the first context
//! refresh_secs = 5              # optional; background refresh, seconds (minimum 1)
//! log_lines = 10000             # optional; lines a log view keeps (100 to 1,000,000)
//! theme = "dark"                # optional; default, dark, light or mono
//! mouse = true                  # optional; click to select, wheel to scroll (default off)
//!
//! [keys]                        # optional; replace the keys of an action
//! describe = ["d", "f2"]
//! quit = "x"
//!
//! [[context]]
//! name = "prod"
//! url = "https://houston.example.com/v1"   # or a bare domain: "example.com"
//! token_env = "PROD_HOUSTON_TOKEN"          # at most one of token_env, token_file, token;
//!                                           # none of them -> the login screen
//! read_only = true                          # optional
//! ca_file = "~/certs/houston-ca.pem"        # optional; extra CA certificates (PEM) to trust
//! insecure_skip_verify = false              # optional; never verify the server's certificate
//! theme = "light"                           # optional; this context's theme
//!
//! [[context]]
//! name = "staging"
//! url = "staging.example.com"
//! token_file = "staging.token"            # `~/` expands; relative to this file's directory
//! ```
//!
//! Unknown keys are warnings, not errors: a file written for a newer astrodash (or with a typo,
//! `tokn_env`) still works, and the warning names the key, its line and the likely intended key.
//! A theme or key binding that cannot be used is a warning too.
//! `token` (a literal secret in the file) works but is discouraged.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ConfigError;
use super::theme::ThemeName;
use crate::houston::Secret;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FileConfig {
    pub(crate) default_context: Option<String>,
    pub(crate) refresh_secs: Option<u64>,
    pub(crate) log_lines: Option<usize>,
    #[serde(default, rename = "context")]
    pub(crate) contexts: Vec<FileContext>,
    /// The theme of every context without its own.
    pub(crate) theme: Option<String>,
    pub(crate) mouse: Option<bool>,
    /// `[keys]`: action name → a key or a list of keys.
    pub(crate) keys: Option<toml::Table>,
    /// Problems that did not stop the file from being used (unknown keys, themes or keys
    /// that do not exist), each `LINE:COL: text` (the caller adds the path).
    #[serde(skip)]
    pub(crate) warnings: Vec<String>,
}

/// Keys of the file's top level (unknown ones are warned about, not refused).
const TOP_LEVEL_KEYS: &[&str] = &[
    "default_context",
    "refresh_secs",
    "context",
    "theme",
    "mouse",
    "keys",
];
/// Keys of a `[[context]]`.
const CONTEXT_KEYS: &[&str] = &[
    "name",
    "url",
    "token_env",
    "token_file",
    "token",
    "read_only",
    "ca_file",
    "insecure_skip_verify",
    "theme",
];

#[derive(Debug, Deserialize)]
pub(crate) struct FileContext {
    pub(crate) name: String,
    pub(crate) url: String,
    pub(crate) token_env: Option<String>,
    pub(crate) token_file: Option<PathBuf>,
    pub(crate) token: Option<Secret>,
    #[serde(default)]
    pub(crate) read_only: bool,
    /// Extra CA certificates (PEM) trusted for this context's Houston.
    pub(crate) ca_file: Option<PathBuf>,
    /// Skip certificate verification for this context (shown as a red badge).
    #[serde(default)]
    pub(crate) insecure_skip_verify: bool,
    pub(crate) theme: Option<String>,
}

/// Load the file at `path`. `Ok(None)` when it does not exist and `must_exist` is false.
pub(crate) fn load(path: &Path, must_exist: bool) -> Result<Option<FileConfig>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => return Ok(None),
        Err(e) => return Err(ConfigError(format!("{}: {e}", path.display()))),
    };
    let config = parse(&text).map_err(|e| ConfigError(format!("{}:{e}", path.display())))?;
    Ok(Some(config))
}

/// Parse and check the file's text. Errors read `LINE:COL: problem` (the caller adds the path).
pub(crate) fn parse(text: &str) -> Result<FileConfig, String> {
    let mut config: FileConfig = toml::from_str(text).map_err(|e| {
        let (line, col) = e
            .span()
            .map(|span| line_col(text, span.start))
            .unwrap_or((1, 1));
        format!("{line}:{col}: {}", e.message().trim())
    })?;
    validate(&config, text)?;
    config.warnings = unknown_key_warnings(text);
    config.warnings.extend(appearance_warnings(&config, text));
    Ok(config)
}

/// One warning per key this version does not know, at its line and column. Generic on purpose:
/// keys added later (`theme`, `keys`, `mouse` …) are simply added to the lists above.
fn unknown_key_warnings(text: &str) -> Vec<String> {
    use toml::de::{DeTable, DeValue};
    let Ok(root) = DeTable::parse(text) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    let mut warn = |span: std::ops::Range<usize>, key: &str, place: String, known: &[&str]| {
        let (line, col) = line_col(text, span.start);
        let hint = closest(key, known)
            .map(|k| format!("; did you mean '{k}'?"))
            .unwrap_or_else(|| " (not known to this version of astrodash)".into());
        warnings.push((
            span.start,
            format!("{line}:{col}: unknown key '{key}'{place} ignored{hint}"),
        ));
    };
    for (key, value) in root.get_ref() {
        let name = key.get_ref().as_ref();
        if !TOP_LEVEL_KEYS.contains(&name) {
            warn(key.span(), name, String::new(), TOP_LEVEL_KEYS);
            continue;
        }
        let DeValue::Array(contexts) = value.get_ref() else {
            continue;
        };
        for context in contexts.iter() {
            let DeValue::Table(table) = context.get_ref() else {
                continue;
            };
            let context_name = table
                .iter()
                .find(|(k, _)| k.get_ref() == "name")
                .and_then(|(_, v)| match v.get_ref() {
                    DeValue::String(s) => Some(s.to_string()),
                    _ => None,
                })
                .unwrap_or_default();
            for key in table.keys() {
                let name = key.get_ref().as_ref();
                if !CONTEXT_KEYS.contains(&name) {
                    warn(
                        key.span(),
                        name,
                        format!(" in context '{context_name}'"),
                        CONTEXT_KEYS,
                    );
                }
            }
        }
    }
    // In the order of the file (the parsed tables are sorted by key).
    warnings.sort_by_key(|(at, _)| *at);
    warnings.into_iter().map(|(_, text)| text).collect()
}

/// The known key a typo most likely meant (at most two edits away).
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous_diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous_diagonal + usize::from(ca != *cb);
            previous_diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The line of the first line that starts with `key` (1 when none does).
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map_or(1, |i| i + 1)
}

/// Themes that do not exist and `[keys]` values that are not keys: warnings, not errors (the
/// dashboard is usable without them).
fn appearance_warnings(config: &FileConfig, text: &str) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut theme = |value: &Option<String>, place: &str| {
        if let Some(name) = value
            && let Err(problem) = ThemeName::parse(name)
        {
            let at = text
                .lines()
                .position(|l| l.trim_start().starts_with("theme") && l.contains(name.as_str()))
                .map_or(1, |i| i + 1);
            warnings.push(format!("{at}:1: {problem}{place}; using the default theme"));
        }
    };
    theme(&config.theme, "");
    for c in &config.contexts {
        theme(&c.theme, &format!(" in context '{}'", c.name));
    }
    if let Some(keys) = &config.keys {
        for (action, value) in keys {
            let ok = match value {
                toml::Value::String(_) => true,
                toml::Value::Array(items) => items.iter().all(toml::Value::is_str),
                _ => false,
            };
            if !ok {
                warnings.push(format!(
                    "{}:1: [keys] {action}: expected a key (\"x\") or a list of keys ([\"x\", \"ctrl-x\"])",
                    line_of(text, action)
                ));
            }
        }
    }
    warnings
}

/// `[keys]` as `(action, keys)` pairs; values that are not keys are left out (see the warnings).
pub(crate) fn key_overrides(config: &FileConfig) -> Vec<(String, Vec<String>)> {
    let Some(keys) = &config.keys else {
        return Vec::new();
    };
    keys.iter()
        .filter_map(|(action, value)| {
            let keys = match value {
                toml::Value::String(k) => vec![k.clone()],
                toml::Value::Array(items) => items
                    .iter()
                    .map(|k| k.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()?,
                _ => return None,
            };
            Some((action.clone(), keys))
        })
        .collect()
}

/// Checks serde cannot express. Errors point at the context's `name` line.
fn validate(config: &FileConfig, text: &str) -> Result<(), String> {
    if let Some(secs) = config.refresh_secs
        && let Err(problem) = super::check_refresh_secs(secs)
    {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("refresh_secs"))
            .map_or(1, |i| i + 1);
        return Err(format!("{line}:1: refresh_secs: {problem}"));
    }
    let at = |name: &str| {
        let needle = format!("\"{name}\"");
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("name") && l.contains(&needle))
            .map_or(1, |i| i + 1);
        format!("{line}:1")
    };
    if let Some(n) = config.log_lines {
        use super::{MAX_LOG_LINES, MIN_LOG_LINES};
        if !(MIN_LOG_LINES..=MAX_LOG_LINES).contains(&n) {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("log_lines"))
                .map_or(1, |i| i + 1);
            return Err(format!(
                "{line}:1: log_lines must be between {MIN_LOG_LINES} and {MAX_LOG_LINES}, not {n}"
            ));
        }
    }
    for (i, c) in config.contexts.iter().enumerate() {
        if c.name.trim().is_empty() {
            return Err(format!("1:1: context #{} has an empty name", i + 1));
        }
        if config.contexts[..i].iter().any(|o| o.name == c.name) {
            return Err(format!(
                "{}: context '{}' is defined twice",
                at(&c.name),
                c.name
            ));
        }
        if c.url.trim().is_empty() {
            return Err(format!(
                "{}: context '{}' has an empty url",
                at(&c.name),
                c.name
            ));
        }
        let sources = [
            c.token_env.is_some(),
            c.token_file.is_some(),
            c.token.is_some(),
        ];
        if sources.iter().filter(|s| **s).count() > 1 {
            return Err(format!(
                "{}: context '{}' sets more than one of token_env, token_file, token",
                at(&c.name),
                c.name
            ));
        }
    }
    if let Some(default) = &config.default_context
        && !config.contexts.iter().any(|c| &c.name == default)
    {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("default_context"))
            .map_or(1, |i| i + 1);
        return Err(format!(
            "{line}:1: default_context '{default}' is not one of the contexts ({})",
            names(config)
        ));
    }
    Ok(())
}

/// The context names, for messages.
pub(crate) fn names(config: &FileConfig) -> String {
    if config.contexts.is_empty() {
        return "none defined".into();
    }
    config
        .contexts
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 8), (2, 3));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn debug_hides_literal_tokens() {
        let c = parse("[[context]]\nname = \"a\"\nurl = \"x.com\"\ntoken = \"s3cret\"\n").unwrap();
        assert!(!format!("{c:?}").contains("s3cret"));
    }

    #[test]
    fn two_token_sources_are_rejected() {
        let err =
            parse("[[context]]\nname = \"a\"\nurl = \"x.com\"\ntoken = \"t\"\ntoken_env = \"E\"\n")
                .unwrap_err();
        assert_eq!(
            err,
            "2:1: context 'a' sets more than one of token_env, token_file, token"
        );
    }

    #[test]
    fn unknown_default_context_is_rejected() {
        let err = parse("default_context = \"b\"\n[[context]]\nname = \"a\"\nurl = \"x.com\"\n")
            .unwrap_err();
        assert_eq!(
            err,
            "1:1: default_context 'b' is not one of the contexts (a)"
        );
    }

    #[test]
    fn unknown_keys_are_warnings_with_a_suggestion() {
        // `theme` is known at both levels, `mouse` only at the top.
        let c = parse(
            "skin = \"dark\"\ntheme = \"dark\"\n[[context]]\nname = \"a\"\nurl = \"x.com\"\ntokn_env = \"E\"\nmouse = true\ntheme = \"light\"\n",
        )
        .unwrap();
        assert_eq!(
            c.warnings,
            vec![
                "1:1: unknown key 'skin' ignored (not known to this version of astrodash)",
                "6:1: unknown key 'tokn_env' in context 'a' ignored; did you mean 'token_env'?",
                "7:1: unknown key 'mouse' in context 'a' ignored (not known to this version of astrodash)",
            ]
        );
        assert_eq!(
            c.contexts[0].token_env, None,
            "a misspelt key is not guessed"
        );
    }

    #[test]
    fn refresh_secs_out_of_range_is_an_error() {
        let err = parse("refresh_secs = 0\n").unwrap_err();
        assert!(err.starts_with("1:1: refresh_secs:"), "{err}");
        let err = parse("\nrefresh_secs = 99999999\n").unwrap_err();
        assert!(err.starts_with("2:1: refresh_secs:"), "{err}");
        assert_eq!(parse("refresh_secs = 30\n").unwrap().refresh_secs, Some(30));
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("tokn_env", "token_env"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("url", "url"), 0);
        assert_eq!(closest("ur", CONTEXT_KEYS), Some("url"));
        assert_eq!(closest("mouse", CONTEXT_KEYS), None);
    }
}
