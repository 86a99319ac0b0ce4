//! The config of navigation and looks: themes (flag, file, context, NO_COLOR), mouse, `[keys]`
//! (problems become warnings, never errors) and the list of contexts `:ctx` offers, from
//! files in a temporary home (the real home and environment are never read).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use astrodash::cli::Cli;
use astrodash::config::{ContextSource, Env, Settings, ThemeName, resolve_with};
use astrodash::houston::Secret;
use clap::Parser;
use tempfile::TempDir;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// A home with an optional astro CLI fixture and an astrodash.toml of `toml`.
struct Home {
    _dir: TempDir,
    env: Env,
    config: PathBuf,
}

impl Home {
    fn new(astro: Option<&str>, toml: &str) -> Home {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let config_dir = dir.path().join("config");
        std::fs::create_dir_all(home.join(".astro")).unwrap();
        std::fs::create_dir_all(&config_dir).unwrap();
        if let Some(astro) = astro {
            std::fs::copy(
                fixture(&format!("astro/{astro}")),
                home.join(".astro/config.yaml"),
            )
            .unwrap();
        }
        let config = config_dir.join("astrodash.toml");
        std::fs::write(&config, toml).unwrap();
        Home {
            _dir: dir,
            env: Env {
                home: Some(home),
                config_dir: Some(config_dir),
                vars: Default::default(),
            },
            config,
        }
    }

    fn var(mut self, k: &str, v: &str) -> Home {
        self.env.vars.insert(k.into(), v.into());
        self
    }

    fn resolve(&self, args: &[&str]) -> Result<Settings, String> {
        let mut argv = vec!["astrodash"];
        argv.extend_from_slice(args);
        let cli = Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
        resolve_with(&cli, &self.env).map_err(|e| e.to_string())
    }
}

const TWO_CONTEXTS: &str = r#"
theme = "light"
mouse = true

[keys]
describe = ["D", "f2"]
quit = "x"

[[context]]
name = "prod"
url = "https://houston.prod.example.com/v1"
token_env = "PROD_TOKEN"
theme = "dark"

[[context]]
name = "staging"
url = "staging.example.com"
token_file = "missing.token"
"#;

#[test]
fn theme_mouse_and_keys_come_from_the_file() {
    let home = Home::new(None, TWO_CONTEXTS).var("PROD_TOKEN", "prod-jwt");
    let s = home.resolve(&[]).unwrap();
    assert_eq!(s.theme.global, Some(ThemeName::Light));
    assert_eq!(s.theme.flag, None);
    assert!(s.mouse);
    assert_eq!(
        s.keys,
        vec![
            (
                "describe".to_string(),
                vec!["D".to_string(), "f2".to_string()]
            ),
            ("quit".to_string(), vec!["x".to_string()]),
        ]
    );
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // The context's own theme wins over the file's, the flag over both.
    let prod = s.contexts.iter().find(|c| c.name == "prod").unwrap();
    assert_eq!(s.theme.resolve(prod.theme), ThemeName::Dark);
    let s = home.resolve(&["--theme", "mono"]).unwrap();
    assert_eq!(s.theme.resolve(prod.theme), ThemeName::Mono);
}

#[test]
fn no_color_gives_mono_unless_the_flag_says_otherwise() {
    let home = Home::new(None, TWO_CONTEXTS)
        .var("PROD_TOKEN", "prod-jwt")
        .var("NO_COLOR", "1");
    let s = home.resolve(&[]).unwrap();
    assert_eq!(s.theme.resolve(Some(ThemeName::Dark)), ThemeName::Mono);
    let s = home.resolve(&["--theme", "light"]).unwrap();
    assert_eq!(s.theme.resolve(Some(ThemeName::Dark)), ThemeName::Light);
    // An empty NO_COLOR is not set.
    let home = Home::new(None, TWO_CONTEXTS).var("NO_COLOR", "");
    assert!(!home.resolve(&[]).unwrap().theme.no_color);
}

#[test]
fn a_bad_theme_flag_is_refused_before_anything_starts() {
    let home = Home::new(None, TWO_CONTEXTS);
    let err = home.resolve(&["--theme", "solarized"]).unwrap_err();
    assert!(
        err.contains("unknown theme 'solarized' (themes: default, dark, light, mono)"),
        "{err}"
    );
}

#[test]
fn themes_and_keys_that_cannot_be_used_are_warnings_with_their_line() {
    let toml = r#"theme = "neon"

[keys]
fly = "z"
quit = 7
describe = ["d", "hyper-d"]

[[context]]
name = "a"
url = "a.example.com"
theme = "sepia"
"#;
    let home = Home::new(None, toml);
    let s = home.resolve(&[]).unwrap();
    let path = home.config.display().to_string();
    assert_eq!(
        s.warnings,
        vec![
            format!(
                "{path}:1:1: unknown theme 'neon' (themes: default, dark, light, mono); using the default theme"
            ),
            format!(
                "{path}:11:1: unknown theme 'sepia' (themes: default, dark, light, mono) in context 'a'; using the default theme"
            ),
            format!(
                "{path}:5:1: [keys] quit: expected a key (\"x\") or a list of keys ([\"x\", \"ctrl-x\"])"
            ),
            format!("{path}: [keys] describe: cannot read key 'hyper-d'"),
            format!("{path}: [keys]: unknown action 'fly'"),
        ]
    );
    assert_eq!(s.theme.global, None, "an unknown theme is the default");
    assert!(!s.mouse);
}

#[test]
fn contexts_list_the_file_then_the_astro_cli_with_their_problems() {
    let home = Home::new(Some("logged_in.yaml"), TWO_CONTEXTS).var("PROD_TOKEN", "prod-jwt");
    let s = home.resolve(&["--read-only"]).unwrap();
    assert_eq!(s.context_name, "prod");
    let names: Vec<(&str, ContextSource)> = s
        .contexts
        .iter()
        .map(|c| (c.name.as_str(), c.source))
        .collect();
    assert_eq!(
        names,
        vec![
            ("prod", ContextSource::Config),
            ("staging", ContextSource::Config),
            ("astro.example.com", ContextSource::AstroCli),
            ("other.example.org", ContextSource::AstroCli),
        ]
    );
    let by_name = |n: &str| s.contexts.iter().find(|c| c.name == n).unwrap();
    assert_eq!(
        by_name("prod").token.as_ref().map(Secret::expose),
        Some("prod-jwt")
    );
    assert_eq!(by_name("prod").theme, Some(ThemeName::Dark));
    let staging = by_name("staging");
    assert_eq!(staging.url, "https://houston.staging.example.com/v1");
    assert!(
        staging
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("cannot read token_file")),
        "{staging:?}"
    );
    let astro = by_name("other.example.org");
    assert_eq!(astro.url, "https://houston.other.example.org/v1");
    assert_eq!(
        astro.token.as_ref().map(Secret::expose),
        Some("other-token-value")
    );
    assert!(
        s.contexts.iter().all(|c| c.read_only),
        "--read-only is for every context"
    );
    // Tokens never show in Debug output.
    let debug = format!("{s:?}");
    assert!(!debug.contains("prod-jwt") && !debug.contains("other-token-value"));
}

#[test]
fn a_url_from_the_command_line_is_a_context_too_and_astro_cloud_is_refused() {
    let home = Home::new(Some("cloud.yaml"), "");
    let s = home
        .resolve(&["--url", "https://houston.example.com/v1", "--token", "t"])
        .unwrap();
    let first = &s.contexts[0];
    assert_eq!(first.name, "example.com");
    assert_eq!(first.source, ContextSource::CommandLine);
    assert_eq!(first.token.as_ref().map(Secret::expose), Some("t"));
    let cloud = s
        .contexts
        .iter()
        .find(|c| c.name == "cloud.astronomer.io")
        .unwrap();
    assert!(
        cloud
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("Astro Cloud")),
        "{cloud:?}"
    );
}
