//! End-to-end runs of the real binary in a pseudo-terminal under hostile conditions: signals,
//! broken config, odd URLs, untrusted certificates, no terminal at all.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::pty::Tui;

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
/// found it: alternate screen left, raw mode off.
#[cfg(unix)]
#[test]
fn terminating_signals_restore_the_terminal() {
    for (name, signal) in [
        ("SIGTERM", libc::SIGTERM),
        ("SIGINT", libc::SIGINT),
        ("SIGHUP", libc::SIGHUP),
        ("SIGQUIT", libc::SIGQUIT),
    ] {
        let mut tui = tui_on_the_login_screen();
        let before = tui.raw_len();
        tui.signal(signal);
        tui.wait_exit();
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
