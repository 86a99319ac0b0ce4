//! End-to-end recovery after a fault: the real binary in a pseudo-terminal, houston-local
//! stopped for ten seconds and started again on the same port and database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::pty::{Server, Tui};

fn log_of(tui: &Tui) -> String {
    std::fs::read_to_string(log_path(tui.home())).unwrap_or_default()
}

fn log_path(home: &Path) -> PathBuf {
    home.join("data/astrodash/astrodash.log")
}

/// Successful requests of `operation` in `log` (one line each).
fn ok_count(log: &str, operation: &str) -> usize {
    let quoted = format!("\"{operation}\"");
    log.lines()
        .filter(|l| l.contains("houston request ok") && l.contains(&quoted))
        .count()
}

#[test]
fn after_a_ten_second_outage_stale_clears_and_status_polling_resumes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db: PathBuf = dir.path().join("houston.db");
    let mut server = Server::start(houston_local::Config {
        db: Some(db.clone()),
        seed: Some(houston_local::Seed::Demo),
        deploying_secs: 3600,
        ..houston_local::Config::default()
    });
    let port = server.handle().addr().port();
    let (url, token) = (server.url(), server.admin_token());
    let mut tui = Tui::spawn(
        &["--url", url.as_str(), "--refresh", "1"],
        &[
            ("ASTRODASH_TOKEN", token.as_str()),
            ("ASTRODASH_LOG", "astrodash=debug"),
        ],
        120,
        40,
    );
    tui.wait_for("Data Platform");
    tui.send("a");
    tui.wait_for("All deployments (");
    // Live: statuses between full reloads.
    tui.wait_until("status polling", |_| {
        ok_count(&log_of(&tui), "AllDeploymentStatuses") >= 2
    });

    server.stop();
    tui.wait_for("STALE");
    std::thread::sleep(Duration::from_secs(10));
    let restarted = Server::start(houston_local::Config {
        port,
        db: Some(db),
        deploying_secs: 3600,
        ..houston_local::Config::default()
    });
    let screen = tui.wait_gone("STALE");
    assert!(
        screen.contains("All deployments ("),
        "recovered view:\n{screen}"
    );

    // From now on: statuses every second, the whole list not every round.
    let before = log_of(&tui);
    std::thread::sleep(Duration::from_secs(6));
    let after = log_of(&tui);
    let since = &after[before.len().min(after.len())..];
    let statuses = ok_count(since, "AllDeploymentStatuses");
    let full = ok_count(since, "AllDeploymentRows");
    assert!(
        statuses >= 3,
        "status polling is back ({statuses} in 6 s):\n{since}"
    );
    assert!(
        full <= 1,
        "no full reload every round ({full} in 6 s):\n{since}"
    );
    assert!(!tui.screen().contains("STALE"), "{}", tui.screen());

    tui.send("q");
    assert!(tui.wait_exit().success());
    drop(restarted);
}

#[test]
fn a_url_nothing_answers_says_what_could_not_load_and_keeps_retrying() {
    // A port nothing listens on: the connection is refused at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    drop(listener);
    let url = format!("http://127.0.0.1:{port}/v1");
    let mut tui = Tui::spawn(
        &["--url", url.as_str()],
        &[("ASTRODASH_TOKEN", "some-token")],
        120,
        40,
    );
    let screen = tui.wait_for("Could not load your workspaces");
    assert!(screen.contains("UNREACHABLE"), "{screen}");
    assert!(screen.contains("cannot reach Houston"), "{screen}");
    assert!(!screen.contains("Loading…"), "{screen}");
    tui.wait_until("a retry", |s| s.contains("retrying"));
    tui.send("q");
    assert!(tui.wait_exit().success());
}
