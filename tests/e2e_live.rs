//! End-to-end journeys of the live tabs: the real `astrodash` binary in a pseudo-terminal
//! against houston-local, whose simulated components write log lines and whose metrics
//! subscription publishes moving series.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{ENTER, ESC, Server, Tui};
use std::path::PathBuf;

/// houston-local with the demo data, lines written every 200 ms per component.
fn live_server() -> Server {
    Server::start(houston_local::Config {
        seed: Some(houston_local::Seed::Demo),
        deploying_secs: 0,
        log_interval_ms: 200,
        ..houston_local::Config::default()
    })
}

/// The TUI logged in as the demo admin, started in `home` (its current directory).
fn logged_in_at(server: &Server, home: tempfile::TempDir) -> Tui {
    let url = server.url();
    let token = server.admin_token();
    Tui::spawn_in(
        home,
        &["--url", &url],
        &[("ASTRODASH_TOKEN", token.as_str())],
        120,
        40,
    )
}

/// From the account dashboard to the Data Platform deployments, Core ETL (Celery) selected.
fn to_core_etl(tui: &mut Tui) {
    tui.wait_for("Data Platform");
    tui.send("/Data Platform");
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Core ETL");
    tui.send("/Core ETL");
    tui.send(ENTER);
}

/// The `N lines` count in the log view's status line.
fn line_count(screen: &str) -> Option<usize> {
    let end = screen.find(" lines")?;
    let digits: String = screen[..end]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

#[test]
fn logs_arrive_live_search_finds_them_the_marker_counts_and_components_switch() {
    let server = live_server();
    let home = tempfile::tempdir().expect("temp home");
    let cwd: PathBuf = home.path().to_path_buf();
    let mut tui = logged_in_at(&server, home);
    to_core_etl(&mut tui);

    // `l` on the row: the log view of the scheduler, recent lines, then live.
    tui.send("l");
    let screen = tui.wait_for("● live");
    assert!(
        screen.contains(" scheduler ") && screen.contains(" worker "),
        "component tabs of a Celery deployment:\n{screen}"
    );
    assert!(screen.contains("last 5 min"), "{screen}");
    let first = tui.wait_until("some lines", |s| line_count(s).is_some_and(|n| n > 0));
    let before = line_count(&first).unwrap();
    // A line written after the stream started shows up without any key.
    let screen = tui.wait_until("a new line", |s| line_count(s).is_some_and(|n| n > before));
    assert!(
        screen.contains("INFO") || screen.contains("WARN") || screen.contains("ERROR"),
        "level tags:\n{screen}"
    );
    assert!(screen.contains("following"), "{screen}");

    // Search: the newest match is shown, the view pauses, new lines are counted.
    tui.send("/scheduler");
    tui.send(ENTER);
    let screen = tui.wait_for("matching lines (n newer, N older)");
    assert!(screen.contains("paused"), "{screen}");
    tui.wait_until("the new-lines marker", |s| s.contains("new line"));
    tui.send("N");
    tui.wait_for("Match ");
    // F follows again.
    tui.send("F");
    tui.wait_for("following");

    // s saves what is shown to a file in the current directory.
    tui.send("s");
    let screen = tui.wait_for("Saved ");
    let saved: Vec<PathBuf> = std::fs::read_dir(&cwd)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}\n{screen}");
    let text = std::fs::read_to_string(&saved[0]).unwrap();
    let name = saved[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with("astrodash-") && name.contains("-scheduler-"),
        "{name}"
    );
    assert!(text.lines().count() >= before, "{text}");
    assert!(
        text.lines().all(|l| l.contains('Z')),
        "full timestamps:\n{text}"
    );

    // Another component: its own lines (the webserver logs HTTP requests).
    tui.send("c");
    let screen = tui.wait_for("HTTP/1.1");
    assert!(!screen.contains("Scheduler heartbeat"), "{screen}");
    tui.wait_for("● live");

    // The filter hides the rest; Esc clears the search (still set), then the filter.
    tui.send("&GET /health");
    tui.send(ENTER);
    let screen = tui.wait_for("match &get /health");
    assert!(!screen.contains("GET /home"), "{screen}");
    tui.send(ESC);
    tui.wait_gone("/scheduler");
    assert!(tui.screen().contains("match &get /health"));
    tui.send(ESC);
    tui.wait_gone("match &get");

    tui.send("q");
    assert!(tui.wait_exit().success());
    drop(server);
}

#[test]
fn keys_are_not_lost_while_lines_flood_in() {
    // A line every 2 ms per component: far more than a terminal can show.
    let server = Server::start(houston_local::Config {
        seed: Some(houston_local::Seed::Demo),
        deploying_secs: 0,
        log_interval_ms: 2,
        ..houston_local::Config::default()
    });
    let home = tempfile::tempdir().expect("temp home");
    let mut tui = logged_in_at(&server, home);
    to_core_etl(&mut tui);
    tui.send("l");
    tui.wait_for("● live");
    tui.wait_until("lines pouring in", |s| {
        line_count(s).is_some_and(|n| n > 50)
    });
    // Five window changes (5 min → hour → day → 5 min → hour → day) and three wrap toggles,
    // typed without waiting for the screen: any lost key would leave another state.
    for _ in 0..5 {
        tui.send("T");
    }
    for _ in 0..3 {
        tui.send("w");
    }
    let screen = tui.wait_for("last day · wrap");
    assert!(
        screen.contains("● live") || screen.contains("loading"),
        "{screen}"
    );
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn the_metrics_tab_shows_moving_series() {
    let server = Server::start(houston_local::Config {
        seed: Some(houston_local::Seed::Demo),
        deploying_secs: 0,
        ..houston_local::Config::default()
    });
    let home = tempfile::tempdir().expect("temp home");
    let mut tui = logged_in_at(&server, home);
    to_core_etl(&mut tui);
    tui.send(ENTER);
    tui.wait_for("Overview");
    tui.send("6");
    // Every panel, however the frames fall under load.
    tui.wait_until("the heartbeat, tasks and quota panels", |s| {
        s.contains("heartbeat") && s.contains("Tasks") && s.contains("Quota")
    });
    // The live line counts the snapshots: it goes up, whichever count the first look catches.
    let first = updates(&tui.wait_until("a first snapshot", |s| updates(s) >= 1));
    let second = tui.wait_until("a later snapshot", |s| updates(s) > first);
    assert!(updates(&second) > first, "{second}");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

/// The count in the metrics tab's "● live · updated … · N updates" line (0 before it shows).
fn updates(screen: &str) -> u64 {
    screen
        .lines()
        .find_map(|l| {
            let (_, tail) = l.split_once("● live")?;
            let words: Vec<&str> = tail.split_whitespace().collect();
            let at = words
                .iter()
                .position(|w| w.starts_with("update") && *w != "updated")?;
            words.get(at.checked_sub(1)?)?.parse().ok()
        })
        .unwrap_or(0)
}
