//! End-to-end runs of the real binary in a pseudo-terminal under hostile conditions: signals,
//! broken config, odd URLs, untrusted certificates, no terminal at all.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::pty::{Server, Tui, run_plain};
use common::tls::TestCa;

/// A TUI on the login screen (no token, nothing listening on the URL): quick to reach, no server.
fn tui_on_the_login_screen() -> Tui {
    let tui = Tui::spawn(&["--url", "http://127.0.0.1:9/v1"], &[], 100, 30);
    tui.wait_for("Password");
    assert!(
        tui.alternate_screen(),
        "the TUI runs on the alternate screen"
    );
    assert!(!tui.terminal_is_cooked(), "the TUI runs in raw mode");
    tui
}

/// Every signal that ends the program (SSH disconnects send SIGHUP) leaves the terminal as it
/// found it: alternate screen left, raw mode off; and the exit status says so (128 + n, as a
/// shell reports it: scripts and supervisors must not read "success").
#[cfg(unix)]
#[test]
fn terminating_signals_restore_the_terminal() {
    for (name, signal, code) in [
        ("SIGTERM", libc::SIGTERM, 143),
        ("SIGINT", libc::SIGINT, 130),
        ("SIGHUP", libc::SIGHUP, 129),
        ("SIGQUIT", libc::SIGQUIT, 131),
    ] {
        let mut tui = tui_on_the_login_screen();
        let before = tui.raw_len();
        tui.signal(signal);
        let status = tui.wait_exit();
        assert_eq!(
            status.exit_code(),
            code,
            "{name}: exit status 128 + {signal}"
        );
        let after = tui.raw_since_when(before, "\x1b[?1049l", Duration::from_secs(3));
        assert!(
            after.contains("\x1b[?1049l"),
            "{name}: alternate screen left; output after the signal: {after:?}"
        );
        assert!(
            tui.terminal_is_cooked(),
            "{name}: raw mode switched off; output after the signal: {after:?}"
        );
    }
}

/// A home whose default config file (`$XDG_CONFIG_HOME/astrodash/astrodash.toml`) holds `toml`.
fn home_with_default_config(toml: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("home");
    let dir = home.path().join("config/astrodash");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(dir.join("astrodash.toml"), toml).expect("config file");
    home
}

#[test]
fn a_broken_default_config_is_a_warning_when_url_and_token_are_given() {
    let server = Server::demo();
    let url = server.url();
    let token = server.admin_token();
    let home = home_with_default_config("[[context]\nname = \"prod\"\n");
    let tui = Tui::spawn_in(
        home,
        &["--url", &url],
        &[("ASTRODASH_TOKEN", token.as_str())],
        160,
        40,
    );
    let screen = tui.wait_for("Warning");
    assert!(
        screen.contains("config file was ignored"),
        "the warning says what happened:\n{screen}"
    );
    tui.wait_for("Data Platform");
}

#[test]
fn newer_config_keys_do_not_stop_start_up() {
    let server = Server::demo();
    let token = server.admin_token();
    let toml = format!(
        "skin = \"dracula\"\n[[context]]\nname = \"local\"\nurl = \"{}\"\nmouse = true\n",
        server.url()
    );
    let tui = Tui::spawn_in(
        home_with_default_config(&toml),
        &[],
        &[("ASTRODASH_TOKEN", token.as_str())],
        160,
        40,
    );
    let screen = tui.wait_for("unknown key 'skin'");
    assert!(screen.contains("Warning"), "{screen}");
    tui.wait_for("Data Platform");
}

#[test]
fn a_token_with_control_characters_shows_the_login_screen_with_the_reason() {
    let server = Server::demo();
    let url = server.url();
    let tui = Tui::spawn(
        &["--url", &url],
        &[("ASTRODASH_TOKEN", "eyJ\u{7}abc")],
        120,
        30,
    );
    let screen = tui.wait_for("Password");
    assert!(
        screen.contains("Token unusable: it contains a control character"),
        "the login screen says why:\n{screen}"
    );
    assert!(
        !screen.contains("cannot reach Houston"),
        "not reported as a server problem:\n{screen}"
    );
}

#[test]
fn an_unset_token_env_variable_is_named_on_the_login_screen() {
    let toml = "[[context]]\nname = \"prod\"\nurl = \"http://127.0.0.1:9/v1\"\ntoken_env = \"PROD_TOKEN\"\n";
    let tui = Tui::spawn_in(home_with_default_config(toml), &[], &[], 120, 30);
    let screen = tui.wait_for("Password");
    assert!(
        screen.contains("PROD_TOKEN is not set"),
        "the login screen names the variable:\n{screen}"
    );
}

/// houston-local behind a TLS front whose certificate a private CA made in the test issued.
struct TlsHouston {
    server: Server,
    ca: TestCa,
    /// The base URL, without `/v1` (normalisation adds it).
    base_url: String,
    token: String,
}

fn tls_houston() -> TlsHouston {
    let server = Server::demo();
    let ca = TestCa::new();
    let port = ca.front(server.runtime(), server.handle().addr());
    let token = server.admin_token();
    TlsHouston {
        server,
        ca,
        base_url: format!("https://localhost:{port}"),
        token,
    }
}

#[test]
fn a_private_ca_is_explained_then_trusted_with_ca_file_or_ssl_cert_file() {
    let tls = tls_houston();
    let token = [("ASTRODASH_TOKEN", tls.token.as_str())];

    let tui = Tui::spawn(&["--url", &tls.base_url], &token, 200, 40);
    let screen = tui.wait_for("not trusted");
    assert!(
        screen.contains("ca_file"),
        "the message says how to fix it:\n{screen}"
    );
    drop(tui);

    let ca_file = tls.ca.ca_file.to_str().expect("utf-8 path");
    let tui = Tui::spawn(
        &["--url", &tls.base_url, "--ca-file", ca_file],
        &token,
        160,
        40,
    );
    let screen = tui.wait_for("Data Platform");
    assert!(!screen.contains("TLS NOT VERIFIED"), "{screen}");
    drop(tui);

    let with_env = [token[0], ("SSL_CERT_FILE", ca_file)];
    let tui = Tui::spawn(&["--url", &tls.base_url], &with_env, 160, 40);
    tui.wait_for("Data Platform");
    drop(tls.server);
}

#[test]
fn insecure_skip_verify_connects_with_a_red_badge() {
    let tls = tls_houston();
    let toml = format!(
        "[[context]]\nname = \"lab\"\nurl = \"{}\"\ninsecure_skip_verify = true\n",
        tls.base_url
    );
    let tui = Tui::spawn_in(
        home_with_default_config(&toml),
        &[],
        &[("ASTRODASH_TOKEN", tls.token.as_str())],
        160,
        40,
    );
    let screen = tui.wait_for("Data Platform");
    assert!(
        screen.contains("TLS NOT VERIFIED"),
        "the header says certificates are not checked:\n{screen}"
    );
}

#[test]
fn without_a_terminal_the_dashboard_refuses_to_start_clearly() {
    let home = tempfile::tempdir().expect("home");
    for args in [&["--url", "example.com"][..], &["demo"]] {
        let out = run_plain(args, home.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("needs a terminal"), "{args:?}: {err}");
        assert!(
            !err.contains("os error") && !err.contains("No such device"),
            "{err}"
        );
        assert!(out.stdout.is_empty(), "nothing drawn: {:?}", out.stdout);
    }
}

#[test]
fn serve_help_lists_only_server_options() {
    let home = tempfile::tempdir().expect("home");
    let out = run_plain(&["serve", "--help"], home.path());
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--port") && help.contains("--db"), "{help}");
    for tui_option in [
        "--url",
        "--token",
        "--context",
        "--refresh",
        "--read-only",
        "--ca-file",
    ] {
        assert!(
            !help.contains(tui_option),
            "{tui_option} in serve --help:\n{help}"
        );
    }
    let out = run_plain(&["demo", "--help"], home.path());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("--refresh") && help.contains("--read-only"),
        "{help}"
    );
    assert!(!help.contains("--url"), "{help}");
    let out = run_plain(&["--help"], home.path());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("--ca-file") && help.contains("--url"),
        "{help}"
    );
}

#[test]
fn absurd_refresh_intervals_are_refused() {
    let home = tempfile::tempdir().expect("home");
    for args in [
        &["--url", "example.com", "--refresh", "0"][..],
        &["--refresh", "86401"],
        &["demo", "--refresh", "0"],
    ] {
        let out = run_plain(args, home.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("between 1 and 3600 seconds"),
            "{args:?}: {err}"
        );
    }
}

/// A browser launcher that fails is reported in words, not as Rust debug output
/// (`ExitStatus(unix_wait_status(512))`).
#[cfg(unix)]
#[test]
fn a_failing_browser_launcher_is_reported_in_words() {
    use std::os::unix::fs::PermissionsExt;
    let bin = tempfile::tempdir().expect("bin dir");
    let launcher = bin.path().join("xdg-open");
    std::fs::write(&launcher, "#!/bin/sh\nexit 2\n").expect("fake launcher");
    std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = bin.path().to_str().expect("utf-8 path");

    let server = Server::demo();
    let url = server.url();
    let token = server.admin_token();
    let mut tui = Tui::spawn(
        &["--url", &url],
        &[
            ("ASTRODASH_TOKEN", token.as_str()),
            ("DISPLAY", ":99"),
            ("PATH", path),
        ],
        140,
        40,
    );
    tui.wait_for("Data Platform");
    tui.send("/Data Platform");
    tui.send(common::pty::ENTER);
    tui.send(common::pty::ENTER);
    tui.wait_for("Core ETL");
    tui.send(common::pty::ENTER);
    tui.wait_for("scheduler");
    tui.send("o");
    let screen = tui.wait_for("xdg-open");
    // The popup wraps the sentence where its width (the URL's) puts the break:
    // "… (the browser launcher │ │xdg-open exited with status 2)."
    assert!(
        screen.contains("(the browser launcher")
            && screen.contains("xdg-open exited with status 2"),
        "{screen}"
    );
    assert!(!screen.contains("ExitStatus"), "{screen}");
}

/// Commands without the dashboard print config warnings on stderr (the TUI shows them in its
/// message line instead).
#[test]
fn doctor_prints_config_warnings_on_stderr() {
    let home = home_with_default_config("theme = \"dark\"\n[[context]\nbroken\n");
    let out = run_plain(&["doctor", "--url", "http://127.0.0.1:9/v1"], home.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("astrodash doctor: warning: the config file was ignored"),
        "{err}"
    );
    assert!(
        err.contains("astrodash.toml:2:"),
        "names the file and line: {err}"
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("http://127.0.0.1:9/v1"), "{report}");
    assert_eq!(out.status.code(), Some(1), "a problem was found: {report}");
}
