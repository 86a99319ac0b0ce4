//! Connection settings from flags/env, the astrodash TOML file and the astro CLI config, with
//! fixture files in a temporary home (the real home and environment are never read).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use astrodash::cli::{Cli, ConnectionArgs};
use astrodash::config::{Env, Settings, TokenSource, resolve_with};
use astrodash::houston::Secret;
use tempfile::TempDir;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn cli() -> Cli {
    Cli {
        connection: ConnectionArgs::default(),
        read_only: false,
        refresh: None,
        looks: Default::default(),
        command: None,
    }
}

/// A fake home: `astro` is copied to `<home>/.astro/config.yaml`, `toml` to the default
/// astrodash config path.
struct Home {
    dir: TempDir,
    env: Env,
}

impl Home {
    fn new(astro: Option<&str>, toml: Option<&str>) -> Home {
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
        if let Some(toml) = toml {
            std::fs::copy(
                fixture(&format!("astrodash/{toml}")),
                config_dir.join("astrodash.toml"),
            )
            .unwrap();
        }
        let env = Env {
            home: Some(home),
            config_dir: Some(config_dir),
            vars: Default::default(),
        };
        Home { dir, env }
    }

    fn var(mut self, k: &str, v: &str) -> Home {
        self.env.vars.insert(k.into(), v.into());
        self
    }

    fn resolve(&self, cli: &Cli) -> Result<Settings, String> {
        resolve_with(cli, &self.env).map_err(|e| e.to_string())
    }
}

// ---- astro CLI config ----

#[test]
fn astro_current_context_with_token() {
    let home = Home::new(Some("logged_in.yaml"), None);
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.context_name, "astro.example.com");
    assert_eq!(s.url, "https://houston.astro.example.com/v1");
    assert_eq!(
        s.token.as_ref().map(Secret::expose),
        Some("eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln"),
        "Bearer prefix stripped"
    );
    assert_eq!(s.token_source, TokenSource::AstroCli);
    assert_eq!(s.app_url.as_deref(), Some("https://app.astro.example.com"));
    assert!(!s.read_only);
    assert_eq!(s.refresh, Duration::from_secs(5));
}

#[test]
fn astro_domain_env_overrides_context() {
    let home = Home::new(Some("logged_in.yaml"), None).var("ASTRO_DOMAIN", "other.example.org");
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.url, "https://houston.other.example.org/v1");
    assert_eq!(
        s.token.as_ref().map(Secret::expose),
        Some("other-token-value")
    );
}

#[test]
fn context_flag_selects_astro_domain() {
    let home = Home::new(Some("logged_in.yaml"), None);
    let mut c = cli();
    c.connection.context = Some("other.example.org".into());
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.context_name, "other.example.org");
    assert_eq!(
        s.token.as_ref().map(Secret::expose),
        Some("other-token-value")
    );
}

#[test]
fn astro_missing_token_means_login_screen() {
    let home = Home::new(Some("missing_token.yaml"), None);
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.url, "https://houston.astro.example.com/v1");
    assert_eq!(s.token, None);
    assert_eq!(s.token_source, TokenSource::None);
}

#[test]
fn astro_logged_out_gives_no_url_error() {
    let home = Home::new(Some("logged_out.yaml"), None);
    let err = home.resolve(&cli()).unwrap_err();
    assert!(err.contains("--url"), "{err}");
    assert!(err.contains("ASTRODASH_URL"), "{err}");
    assert!(err.contains("astro login"), "{err}");
    assert!(err.contains("astrodash demo"), "{err}");
    assert!(
        err.contains("astrodash.toml"),
        "names the config path: {err}"
    );
}

#[test]
fn astro_malformed_yaml_names_file_and_line() {
    let home = Home::new(Some("malformed.yaml"), None);
    let err = home.resolve(&cli()).unwrap_err();
    assert!(err.contains(".astro/config.yaml:5:"), "{err}");
}

#[test]
fn astro_malformed_is_ignored_with_explicit_url() {
    let home = Home::new(Some("malformed.yaml"), None);
    let mut c = cli();
    c.connection.url = Some("https://houston.example.com/v1".into());
    c.connection.token = Some("t".into());
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.url, "https://houston.example.com/v1");
}

#[test]
fn astro_malformed_with_explicit_token_only_explains() {
    let home = Home::new(Some("malformed.yaml"), None);
    let mut c = cli();
    c.connection.token = Some("t".into());
    let err = home.resolve(&c).unwrap_err();
    assert!(err.contains("no Houston to connect to"), "{err}");
    assert!(err.contains("config.yaml:5:"), "{err}");
}

#[test]
fn astro_localhost_uses_local_houston() {
    let home = Home::new(Some("local_houston.yaml"), None);
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.url, "http://127.0.0.1:8871/v1");
    assert_eq!(s.token.as_ref().map(Secret::expose), Some("local-jwt"));
    assert_eq!(s.app_url, None);
}

#[test]
fn astro_custom_protocol_and_port() {
    let home = Home::new(Some("custom_port.yaml"), None);
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.url, "http://houston.dev.internal:8871/v1");
    assert_eq!(s.app_url.as_deref(), Some("http://app.dev.internal"));
}

#[test]
fn astro_home_env_moves_the_file() {
    let home = Home::new(None, None);
    let astro_home = home.dir.path().join("elsewhere");
    std::fs::create_dir_all(astro_home.join(".astro")).unwrap();
    std::fs::copy(
        fixture("astro/custom_port.yaml"),
        astro_home.join(".astro/config.yaml"),
    )
    .unwrap();
    let home = home.var("ASTRO_HOME", astro_home.to_str().unwrap());
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.context_name, "dev.internal");
}

#[test]
fn nothing_anywhere_is_an_error() {
    let home = Home::new(None, None);
    assert!(
        home.resolve(&cli())
            .unwrap_err()
            .contains("no Houston to connect to")
    );
}

// ---- flags and env ----

#[test]
fn url_alone_means_login_screen() {
    let home = Home::new(Some("logged_in.yaml"), None);
    let mut c = cli();
    c.connection.url = Some("https://houston.example.com/v1".into());
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.url, "https://houston.example.com/v1");
    assert_eq!(s.token, None, "the astro token is for another URL");
    assert_eq!(s.token_source, TokenSource::None);
    assert_eq!(s.context_name, "example.com");
    assert_eq!(s.app_url.as_deref(), Some("https://app.example.com"));
}

#[test]
fn token_flag_versus_env() {
    let home = Home::new(None, None);
    let mut c = cli();
    c.connection.url = Some("http://localhost:8871/v1".into());
    c.connection.token = Some("Bearer abc".into());
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.token.as_ref().map(Secret::expose), Some("abc"));
    assert_eq!(s.token_source, TokenSource::Flag);

    let home = home.var("ASTRODASH_TOKEN", "abc");
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.token_source, TokenSource::Env);
}

#[test]
fn token_flag_overrides_astro_token() {
    let home = Home::new(Some("logged_in.yaml"), None);
    let mut c = cli();
    c.connection.token = Some("mine".into());
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.url, "https://houston.astro.example.com/v1");
    assert_eq!(s.token.as_ref().map(Secret::expose), Some("mine"));
    assert_eq!(s.token_source, TokenSource::Flag);
}

#[test]
fn refresh_and_read_only_flags() {
    let home = Home::new(Some("logged_in.yaml"), None);
    let mut c = cli();
    c.refresh = Some(60);
    c.read_only = true;
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.refresh, Duration::from_secs(60));
    assert!(s.read_only);

    c.refresh = Some(0);
    let err = home.resolve(&c).unwrap_err();
    assert!(err.starts_with("--refresh: 0 is not a usable"), "{err}");
    assert!(err.contains("between 1 and 3600 seconds"), "{err}");
}

// ---- astrodash TOML ----

#[test]
fn toml_default_context_with_token_env() {
    let home = Home::new(Some("logged_in.yaml"), Some("valid.toml"))
        .var("PROD_HOUSTON_TOKEN", "prod-secret");
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.context_name, "prod");
    assert_eq!(s.url, "https://houston.prod.example.com/v1");
    assert_eq!(s.token.as_ref().map(Secret::expose), Some("prod-secret"));
    assert_eq!(s.token_source, TokenSource::ConfigFile);
    assert!(s.read_only);
    assert_eq!(s.refresh, Duration::from_secs(10));
    assert_eq!(s.app_url.as_deref(), Some("https://app.prod.example.com"));
}

#[test]
fn toml_token_env_unset_means_login_screen() {
    let home = Home::new(None, Some("valid.toml"));
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.context_name, "prod");
    assert_eq!(s.token, None);
    assert_eq!(s.token_source, TokenSource::None);
}

#[test]
fn toml_context_by_name_with_bare_domain_and_literal_token() {
    let home = Home::new(None, Some("valid.toml"));
    let mut c = cli();
    c.connection.context = Some("staging".into());
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.url, "https://houston.staging.example.com/v1");
    assert_eq!(
        s.token.as_ref().map(Secret::expose),
        Some("literal-staging-token")
    );
    assert!(!s.read_only);

    c.connection.context = Some("nologin".into());
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.url, "http://localhost:8871/v1");
    assert_eq!(s.token_source, TokenSource::None);
    assert_eq!(s.app_url, None);
}

#[test]
fn toml_token_file() {
    let home = Home::new(None, None);
    let token_path = home.dir.path().join("tok");
    std::fs::write(&token_path, "file-token\n").unwrap();
    let config = home.dir.path().join("custom.toml");
    std::fs::write(
        &config,
        format!(
            "[[context]]\nname = \"f\"\nurl = \"example.com\"\ntoken_file = {:?}\n",
            token_path.to_str().unwrap()
        ),
    )
    .unwrap();
    let mut c = cli();
    c.connection.config = Some(config);
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.token.as_ref().map(Secret::expose), Some("file-token"));
    assert_eq!(s.token_source, TokenSource::ConfigFile);
}

#[test]
fn toml_token_file_relative_to_the_config_file() {
    let home = Home::new(None, None);
    let dir = home.dir.path().join("cfg");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("prod.token"), "  Bearer rel-token \n").unwrap();
    std::fs::write(
        dir.join("a.toml"),
        "[[context]]\nname = \"f\"\nurl = \"example.com\"\ntoken_file = \"prod.token\"\n",
    )
    .unwrap();
    let mut c = cli();
    c.connection.config = Some(dir.join("a.toml"));
    assert_eq!(
        home.resolve(&c).unwrap().token.as_ref().map(Secret::expose),
        Some("rel-token")
    );

    std::fs::remove_file(dir.join("prod.token")).unwrap();
    let err = home.resolve(&c).unwrap_err();
    assert!(
        err.contains("a.toml: context 'f': cannot read token_file"),
        "{err}"
    );
    assert!(err.contains("prod.token"), "{err}");
}

#[test]
fn toml_unknown_context_lists_both_sources() {
    let home = Home::new(Some("logged_in.yaml"), Some("valid.toml"));
    let mut c = cli();
    c.connection.context = Some("nope".into());
    let err = home.resolve(&c).unwrap_err();
    assert!(err.contains("no context named 'nope'"), "{err}");
    assert!(err.contains("prod, staging, nologin"), "{err}");
    assert!(err.contains("astro.example.com"), "{err}");
}

#[test]
fn toml_unknown_field_is_a_warning_naming_file_line_and_column() {
    let home = Home::new(None, Some("unknown_field.toml"));
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.url, "https://houston.example.com/v1", "the file is used");
    let expected = format!(
        "{}:5:1: unknown key 'tokn' in context 'prod' ignored; did you mean 'token'?",
        home.env
            .config_dir
            .as_ref()
            .unwrap()
            .join("astrodash.toml")
            .display()
    );
    assert_eq!(s.warnings, vec![expected]);
}

#[test]
fn toml_bad_type_names_the_line() {
    let home = Home::new(None, Some("bad_type.toml"));
    let err = home.resolve(&cli()).unwrap_err();
    assert!(err.contains("astrodash.toml:1:16:"), "{err}");
}

#[test]
fn toml_missing_explicit_file_is_an_error_default_is_not() {
    let home = Home::new(Some("logged_in.yaml"), None);
    assert!(home.resolve(&cli()).is_ok(), "missing default file is fine");
    let mut c = cli();
    c.connection.config = Some(home.dir.path().join("nope.toml"));
    let err = home.resolve(&c).unwrap_err();
    assert!(err.contains("nope.toml"), "{err}");
}

#[test]
fn toml_without_contexts_falls_through_to_astro() {
    let home = Home::new(Some("logged_in.yaml"), Some("no_contexts.toml"));
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.token_source, TokenSource::AstroCli);
    assert_eq!(
        s.refresh,
        Duration::from_secs(30),
        "refresh_secs from the file"
    );
}

#[test]
fn precedence_url_flag_over_toml_over_astro() {
    let home = Home::new(Some("logged_in.yaml"), Some("valid.toml"))
        .var("PROD_HOUSTON_TOKEN", "prod-secret");
    let mut c = cli();
    c.connection.url = Some("http://127.0.0.1:9/v1".into());
    c.refresh = Some(3);
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.url, "http://127.0.0.1:9/v1");
    assert_eq!(s.token, None);
    assert_eq!(s.refresh, Duration::from_secs(3), "flag beats refresh_secs");
    assert!(!s.read_only, "the file's context is not used");
}

#[test]
fn settings_debug_hides_token() {
    let home = Home::new(Some("logged_in.yaml"), None);
    let s = home.resolve(&cli()).unwrap();
    assert!(!format!("{s:?}").contains("eyJ"));
}

#[test]
fn astro_cloud_context_is_explained() {
    let home = Home::new(Some("cloud.yaml"), None);
    let err = home.resolve(&cli()).unwrap_err();
    assert!(err.contains("Astro Cloud"), "{err}");
    assert!(err.contains("--url"), "{err}");
}

#[test]
fn env_debug_hides_values() {
    let home = Home::new(None, None).var("ASTRODASH_TOKEN", "s3cret");
    let shown = format!("{:?}", home.env);
    assert!(shown.contains("ASTRODASH_TOKEN"));
    assert!(!shown.contains("s3cret"));
}

#[test]
fn unusable_urls_are_reported_with_their_origin() {
    let home = Home::new(None, None);
    let mut c = cli();
    c.connection.url = Some("ftp://localhost:8871/v1".into());
    let err = home.resolve(&c).unwrap_err();
    assert!(err.contains("'ftp://localhost:8871/v1'"), "{err}");
    assert!(err.contains("--url"), "{err}");
    assert!(err.contains("https://"), "{err}");

    let config = home.dir.path().join("bad.toml");
    std::fs::write(
        &config,
        "[[context]]\nname = \"x\"\nurl = \"ftp://files/v1\"\n",
    )
    .unwrap();
    let mut c = cli();
    c.connection.config = Some(config);
    let err = home.resolve(&c).unwrap_err();
    assert!(err.contains("context 'x' in"), "{err}");
    assert!(err.contains("bad.toml"), "{err}");
}

// ---- the log view's buffer ----

#[test]
fn log_lines_comes_from_the_file_and_is_checked() {
    let home = Home::new(None, None);
    let mut c = cli();
    c.connection.url = Some("https://houston.example.com/v1".into());
    assert_eq!(
        home.resolve(&c).unwrap().log_lines,
        astrodash::app::logs::DEFAULT_LOG_LINES,
        "10,000 unless the file says"
    );

    let config = home.dir.path().join("logs.toml");
    std::fs::write(&config, "refresh_secs = 5\nlog_lines = 2500\n").unwrap();
    c.connection.config = Some(config.clone());
    assert_eq!(home.resolve(&c).unwrap().log_lines, 2500);

    std::fs::write(&config, "refresh_secs = 5\nlog_lines = 5\n").unwrap();
    let err = home.resolve(&c).unwrap_err();
    assert!(
        err.contains("logs.toml:2:1: log_lines must be between 100 and 1000000, not 5"),
        "{err}"
    );
    std::fs::write(&config, "log_lines = -3\n").unwrap();
    let err = home.resolve(&c).unwrap_err();
    assert!(err.contains("logs.toml:1:"), "{err}");
}
