//! Configuration in a hostile first five minutes: broken or newer config files next to flags,
//! every spelling of a Houston URL, tokens that can never work, trust settings. Files are
//! written into a temporary home; the real home and environment are never read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use astrodash::cli::{Cli, ConnectionArgs};
use astrodash::config::{Env, Settings, TokenSource, resolve_with};
use astrodash::houston::Secret;
use tempfile::TempDir;

fn cli() -> Cli {
    Cli {
        connection: ConnectionArgs::default(),
        read_only: false,
        refresh: None,
        looks: Default::default(),
        command: None,
    }
}

fn with_url(url: &str) -> Cli {
    set(cli(), |c| c.url = Some(url.into()))
}

/// `cli` with its connection options changed by `change`.
fn set(mut cli: Cli, change: impl FnOnce(&mut ConnectionArgs)) -> Cli {
    change(&mut cli.connection);
    cli
}

/// A temporary home with an optional default `astrodash.toml` and astro CLI config.
struct Home {
    dir: TempDir,
    env: Env,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let env = Env {
            home: Some(dir.path().join("home")),
            config_dir: Some(dir.path().join("config")),
            vars: Default::default(),
        };
        std::fs::create_dir_all(dir.path().join("home/.astro")).unwrap();
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        Home { dir, env }
    }

    fn toml(self, text: &str) -> Home {
        std::fs::write(self.config_file(), text).unwrap();
        self
    }

    fn astro(self, yaml: &str) -> Home {
        std::fs::write(self.dir.path().join("home/.astro/config.yaml"), yaml).unwrap();
        self
    }

    fn var(mut self, k: &str, v: &str) -> Home {
        self.env.vars.insert(k.into(), v.into());
        self
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn config_file(&self) -> PathBuf {
        self.dir.path().join("config/astrodash.toml")
    }

    fn resolve(&self, cli: &Cli) -> Result<Settings, String> {
        resolve_with(cli, &self.env).map_err(|e| e.to_string())
    }
}

// ---- a broken or newer default config file ----

const BROKEN: &str = "[[context]\nname = \"prod\"\n";

#[test]
fn broken_default_file_is_a_warning_when_the_url_is_given() {
    let home = Home::new().toml(BROKEN);
    let s = home
        .resolve(&with_url("https://houston.example.com/v1"))
        .unwrap();
    assert_eq!(s.url, "https://houston.example.com/v1");
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    let warning = &s.warnings[0];
    assert!(warning.contains("ignored"), "{warning}");
    assert!(
        warning.contains(&format!("{}:1:", home.config_file().display())),
        "names the file and line: {warning}"
    );

    // ASTRODASH_URL arrives through the same field (clap merges flag and env).
    let home = Home::new().toml(BROKEN).var("ASTRODASH_TOKEN", "tok.en.x");
    let c = set(with_url("example.com"), |c| {
        c.token = Some("tok.en.x".into())
    });
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.token.as_ref().map(Secret::expose), Some("tok.en.x"));
    assert_eq!(s.token_source, TokenSource::Env);
    assert_eq!(s.warnings.len(), 1);
}

#[test]
fn broken_default_file_with_only_a_token_falls_through_to_the_astro_cli() {
    let home = Home::new()
        .toml("refresh_secs = \"often\"\n")
        .astro("context: astro.example.com\ncontexts:\n  astro_example_com:\n    domain: astro.example.com\n    token: astro-jwt\n");
    let c = set(cli(), |c| c.token = Some("flag.to.ken".into()));
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.url, "https://houston.astro.example.com/v1");
    assert_eq!(s.token.as_ref().map(Secret::expose), Some("flag.to.ken"));
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);

    // Nothing else gives a URL: the error says the file could not be used, and why.
    let home = Home::new().toml("refresh_secs = \"often\"\n");
    let err = home.resolve(&c).unwrap_err();
    assert!(err.contains("no Houston to connect to"), "{err}");
    assert!(err.contains("this config file could not be used"), "{err}");
    assert!(err.contains("astrodash.toml:1:"), "{err}");
}

#[test]
fn broken_default_file_without_flags_is_still_an_error() {
    let home = Home::new().toml(BROKEN);
    let err = home.resolve(&cli()).unwrap_err();
    assert!(err.contains("astrodash.toml:1:"), "{err}");
}

#[test]
fn broken_explicit_config_file_is_an_error_even_with_a_url() {
    let home = Home::new();
    let path = home.file("mine.toml", BROKEN);
    let c = set(with_url("example.com"), |c| c.config = Some(path));
    let err = home.resolve(&c).unwrap_err();
    assert!(err.contains("mine.toml:1:"), "{err}");
}

#[test]
fn newer_keys_are_warnings_and_the_file_is_used() {
    let home = Home::new().toml(
        "skin = \"dracula\"\nplugins = true\n[hotkeys]\nquit = \"x\"\n\n[[context]]\nname = \"prod\"\nurl = \"example.com\"\ntoken = \"t.o.k\"\n",
    );
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.context_name, "prod");
    assert_eq!(s.token.as_ref().map(Secret::expose), Some("t.o.k"));
    let keys: Vec<&str> = ["'skin'", "'plugins'", "'hotkeys'"].to_vec();
    assert_eq!(s.warnings.len(), 3, "{:?}", s.warnings);
    for (warning, key) in s.warnings.iter().zip(keys) {
        assert!(warning.contains(key), "{warning}");
        assert!(warning.contains("ignored"), "{warning}");
    }
}

#[test]
fn refresh_secs_zero_in_the_file_is_an_error_naming_the_line() {
    let home = Home::new().toml("\nrefresh_secs = 0\n[[context]]\nname = \"a\"\nurl = \"x.com\"\n");
    let err = home.resolve(&cli()).unwrap_err();
    assert!(
        err.contains("astrodash.toml:2:1: refresh_secs: 0 is not"),
        "{err}"
    );
}

// ---- URLs: one normalisation for flags, env, astrodash config and astro config ----

#[test]
fn url_forms_from_flags() {
    let home = Home::new();
    for (given, expected, name) in [
        (
            "example.com",
            "https://houston.example.com/v1",
            "example.com",
        ),
        (
            "https://houston.example.com",
            "https://houston.example.com/v1",
            "example.com",
        ),
        (
            "http://127.0.0.1:28871",
            "http://127.0.0.1:28871/v1",
            "127.0.0.1:28871",
        ),
        (
            "127.0.0.1:28871",
            "http://127.0.0.1:28871/v1",
            "127.0.0.1:28871",
        ),
        (
            "localhost:28871",
            "http://localhost:28871/v1",
            "localhost:28871",
        ),
    ] {
        let s = home.resolve(&with_url(given)).unwrap();
        assert_eq!(s.url, expected, "{given}");
        assert_eq!(s.context_name, name, "{given}");
    }
    let s = home.resolve(&with_url("example.com")).unwrap();
    assert_eq!(s.app_url.as_deref(), Some("https://app.example.com"));
}

#[test]
fn url_forms_from_the_config_file_and_the_astro_cli() {
    let home = Home::new().toml(
        "[[context]]\nname = \"a\"\nurl = \"https://houston.a.example.com\"\n\
         [[context]]\nname = \"b\"\nurl = \"localhost:8871\"\n",
    );
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.url, "https://houston.a.example.com/v1");
    assert_eq!(s.app_url.as_deref(), Some("https://app.a.example.com"));
    let c = set(cli(), |c| c.context = Some("b".into()));
    assert_eq!(home.resolve(&c).unwrap().url, "http://localhost:8871/v1");

    let home = Home::new().astro(
        "context: localhost\ncontexts:\n  localhost:\n    domain: localhost\n    token: t\nlocal:\n  houston: 127.0.0.1:8871\n",
    );
    assert_eq!(
        home.resolve(&cli()).unwrap().url,
        "http://127.0.0.1:8871/v1"
    );
}

#[test]
fn unusable_urls_say_what_is_accepted() {
    let home = Home::new();
    let err = home.resolve(&with_url("houston example com")).unwrap_err();
    assert!(
        err.contains("'houston example com' (from --url / ASTRODASH_URL)"),
        "{err}"
    );
    assert!(err.contains("spaces"), "{err}");
    assert!(err.contains("a bare domain such as example.com"), "{err}");
}

// ---- tokens that can never work ----

#[test]
fn a_token_with_control_characters_goes_to_the_login_screen_with_the_reason() {
    let home = Home::new().var("ASTRODASH_TOKEN", "eyJ\u{1b}[2Jabc");
    let c = set(with_url("example.com"), |c| {
        c.token = Some("eyJ\u{1b}[2Jabc".into())
    });
    let s = home.resolve(&c).unwrap();
    assert_eq!(s.token, None);
    assert_eq!(s.token_source, TokenSource::None);
    let reason = s.login_reason.unwrap();
    assert!(reason.contains("ASTRODASH_TOKEN"), "{reason}");
    assert!(
        reason.contains("control character (ESC) at position 4"),
        "{reason}"
    );
    assert!(
        !reason.contains("abc"),
        "the token is never shown: {reason}"
    );

    // The same check for a token file (a tab inside, the final newline is fine).
    let home = Home::new();
    home.file("t.token", "abc\tdef\n");
    let home =
        home.toml("[[context]]\nname = \"f\"\nurl = \"x.com\"\ntoken_file = \"../t.token\"\n");
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.token, None);
    let reason = s.login_reason.unwrap();
    assert!(reason.contains("token_file"), "{reason}");
    assert!(reason.contains("a tab"), "{reason}");
}

#[test]
fn an_unset_token_env_variable_is_named_on_the_login_screen() {
    let home = Home::new().toml(
        "[[context]]\nname = \"prod\"\nurl = \"example.com\"\ntoken_env = \"PROD_HOUSTON_TOKEN\"\n",
    );
    let s = home.resolve(&cli()).unwrap();
    assert_eq!(s.token, None);
    let reason = s.login_reason.unwrap();
    assert!(reason.contains("PROD_HOUSTON_TOKEN"), "{reason}");
    assert!(reason.contains("not set"), "{reason}");

    // An explicit token makes the variable irrelevant: no reason.
    let c = set(cli(), |c| c.token = Some("a.b.c".into()));
    assert_eq!(home.resolve(&c).unwrap().login_reason, None);
}

// ---- trust ----

#[test]
fn ca_file_is_relative_to_the_config_file_and_checked_before_start() {
    let home = Home::new()
        .toml("[[context]]\nname = \"p\"\nurl = \"example.com\"\nca_file = \"missing-ca.pem\"\n");
    let err = home.resolve(&cli()).unwrap_err();
    assert!(err.contains("context 'p' in"), "{err}");
    assert!(err.contains("ca_file"), "{err}");
    assert!(
        err.contains(
            &home
                .dir
                .path()
                .join("config/missing-ca.pem")
                .display()
                .to_string()
        ),
        "resolved next to the config file: {err}"
    );

    let home = Home::new();
    let bad = home.file("bad.pem", "not a certificate\n");
    let c = set(with_url("example.com"), |c| c.ca_file = Some(bad));
    let err = home.resolve(&c).unwrap_err();
    assert!(err.starts_with("--ca-file: ca_file:"), "{err}");
    assert!(err.contains("holds no certificate"), "{err}");
}

#[test]
fn insecure_skip_verify_is_per_context() {
    let home = Home::new().toml(
        "[[context]]\nname = \"lab\"\nurl = \"lab.example.com\"\ninsecure_skip_verify = true\n\
         [[context]]\nname = \"prod\"\nurl = \"example.com\"\n",
    );
    let s = home.resolve(&cli()).unwrap();
    assert!(s.trust.insecure_skip_verify);
    let c = set(cli(), |c| c.context = Some("prod".into()));
    assert!(!home.resolve(&c).unwrap().trust.insecure_skip_verify);
    // A flag URL never inherits a context's trust settings.
    assert!(
        !home
            .resolve(&with_url("lab.example.com"))
            .unwrap()
            .trust
            .insecure_skip_verify
    );
}
