//! End-to-end runs in a pseudo-terminal of what the terminal itself asks for: Ctrl-z under a
//! shell with job control (suspend, give the terminal back, redraw on `fg`), a terminal that
//! cannot draw (`TERM=dumb`) and a locale without UTF-8 (`LANG=C`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::pty::{ESC, Server, Tui, WAIT, logged_in};

/// The state letter of process `pid` (`T` when stopped), from /proc.
#[cfg(target_os = "linux")]
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) S …`: the state follows the last `)`.
    stat.rsplit_once(") ")?.1.chars().next()
}

/// The pid of the child of `parent` running `name`.
#[cfg(target_os = "linux")]
fn child_named(parent: u32, name: &str) -> Option<u32> {
    std::fs::read_dir("/proc").ok()?.find_map(|entry| {
        let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let (comm, rest) = stat.split_once(" (")?.1.rsplit_once(") ")?;
        let ppid: u32 = rest.split_whitespace().nth(1)?.parse().ok()?;
        (ppid == parent && comm == name).then_some(pid)
    })
}

fn wait_for_state(pid: u32, what: &str, ok: impl Fn(Option<char>) -> bool) {
    let start = Instant::now();
    while !ok(process_state(pid)) {
        assert!(
            start.elapsed() < WAIT,
            "process {pid} never {what}: {:?}",
            process_state(pid)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Ctrl-z in a shell: the terminal is given back as it was (main screen, cursor, no paste or
/// focus reports), the process stops and the shell says so; `fg` continues it, and it takes
/// the terminal again and redraws.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    let server = Server::demo();
    let token = server.admin_token();
    let home = tempfile::tempdir().unwrap();
    let mut shell = Tui::spawn_program_in(
        "bash",
        home,
        &["--norc", "--noprofile", "--noediting", "-i"],
        &[("ASTRODASH_TOKEN", token.as_str()), ("PS1", "shell$ ")],
        120,
        40,
    );
    shell.wait_for("shell$");
    let command = format!(
        "{} --url {}\r",
        env!("CARGO_BIN_EXE_astrodash"),
        server.url()
    );
    shell.send(&command);
    shell.wait_for("Data Platform");
    assert!(shell.alternate_screen());
    let pid = child_named(shell.pid(), "astrodash").expect("astrodash runs under the shell");

    let before = shell.raw_len();
    shell.send("\x1a");
    wait_for_state(pid, "stopped", |s| s == Some('T'));
    let screen = shell.wait_for("Stopped");
    let out = shell.raw_since(before);
    assert!(!shell.alternate_screen(), "main screen back:\n{screen}");
    for (sequence, what) in [
        ("\x1b[?1049l", "alternate screen left"),
        ("\x1b[?2004l", "bracketed paste off"),
        ("\x1b[?1004l", "focus reports off"),
        ("\x1b[?25h", "cursor shown"),
    ] {
        assert!(out.contains(sequence), "{what}: {out:?}");
    }
    assert!(!screen.contains("Data Platform"), "{screen}");

    // `fg` continues it (SIGCONT, the terminal handed back): it draws the dashboard again.
    let before = shell.raw_len();
    shell.send("fg\r");
    wait_for_state(pid, "continued", |s| s != Some('T'));
    let screen = shell.wait_for("Data Platform");
    assert!(
        shell.alternate_screen(),
        "alternate screen again:\n{screen}"
    );
    assert!(!shell.terminal_is_cooked(), "raw mode again");
    let out = shell.raw_since(before);
    assert!(
        out.contains("\x1b[?1049h") && out.contains("\x1b[?2004h"),
        "{out:?}"
    );
    // …and works: keys reach it.
    shell.send("?");
    shell.wait_for("help");
    shell.send(ESC);
    shell.send("q");
    wait_for_state(pid, "exited", |s| s.is_none() || s == Some('Z'));
    shell.wait_for("shell$");
    assert!(!shell.alternate_screen());
}

/// `TERM=dumb` cannot draw a screen: refused with a clear message before the terminal is
/// touched (no alternate screen, no raw mode).
#[cfg(unix)]
#[test]
fn a_dumb_terminal_is_refused_before_it_is_touched() {
    let mut tui = Tui::spawn(
        &["--url", "http://127.0.0.1:9/v1"],
        &[("TERM", "dumb")],
        100,
        30,
    );
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 2);
    let screen = tui.wait_for("TERM is \"dumb\"");
    assert!(screen.contains("cannot move the cursor"), "{screen}");
    let raw = tui.raw_output();
    assert!(!raw.contains("\x1b[?1049h"), "no alternate screen: {raw:?}");
    assert!(!raw.contains("\x1b[38;5;"), "no 256 colours: {raw:?}");
    assert!(tui.terminal_is_cooked());
}

/// A locale without UTF-8 (`LANG=C`) gets ASCII only: borders, arrows, bullets, names.
#[test]
fn a_locale_without_utf8_gets_ascii_only() {
    let server = Server::demo();
    let url = server.url();
    let token = server.admin_token();
    let tui = Tui::spawn(
        &["--url", &url],
        &[("ASTRODASH_TOKEN", token.as_str()), ("LANG", "C")],
        120,
        40,
    );
    tui.wait_for("Data Platform");
    // Give the header's freshness and the hints a moment to settle.
    std::thread::sleep(Duration::from_millis(500));
    let screen = tui.screen();
    assert!(screen.is_ascii(), "{screen}");
    assert!(
        screen.contains("+ Workspaces ("),
        "an ASCII border:\n{screen}"
    );
    let raw = tui.raw_output();
    assert!(
        raw.is_ascii(),
        "nothing but ASCII is written: {:?}",
        raw.chars().filter(|c| !c.is_ascii()).collect::<String>()
    );

    // The same in a UTF-8 locale draws the usual glyphs.
    let tui = logged_in(&server, &[]);
    let screen = tui.wait_for("Data Platform");
    assert!(screen.contains("╭ Workspaces ("), "{screen}");
}
