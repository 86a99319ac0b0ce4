//! End to end against houston-local pretending to be an older Houston (0.23: no namespace, no
//! teams, no Runtime, no pagination) and the current one (teams, Runtime): every screen draws
//! without an error, what the server lacks shows as "—" or says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{ENTER, ESC, Server, logged_in};

/// Screens must never show these (a raw error, a failed load).
const ERRORS: [&str; 5] = [
    "Could not load",
    "Cannot query field",
    "HTTP 400",
    "✗ ",
    "STALE",
];

fn assert_clean(screen: &str, what: &str) {
    for e in ERRORS {
        assert!(!screen.contains(e), "{what}: {e:?} on screen:\n{screen}");
    }
}

#[test]
fn houston_0_23_walks_every_screen_without_an_error() {
    let server = Server::start(houston_local::Config {
        seed: Some(houston_local::Seed::Demo),
        deploying_secs: 3600,
        houston_version: "0.23.0".parse().unwrap(),
        ..houston_local::Config::default()
    });
    let mut tui = logged_in(&server, &[]);
    let screen = tui.wait_for("Data Platform");
    assert!(
        screen.contains("Houston 0.23.0"),
        "the header says which Houston:\n{screen}"
    );
    assert_clean(&screen, "account");

    tui.send(ENTER);
    let screen = tui.wait_for("Core ETL");
    assert_clean(&screen, "deployments");
    // Every tab of the workspace.
    for (key, expect) in [
        ("2", "Users ("),
        ("3", "Pending invites"),
        ("4", "Not available on Houston 0.23.0"),
        ("5", "Service accounts ("),
        ("6", "Description"),
    ] {
        tui.send(key);
        let screen = tui.wait_for(expect);
        assert_clean(&screen, expect);
    }
    // The deployment: namespace unknown to 0.23 shows as a dash.
    tui.send("1");
    tui.wait_for("Core ETL");
    tui.send(ENTER);
    let screen = tui.wait_for("Namespace");
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Namespace") && l.contains("—")),
        "{screen}"
    );
    assert_clean(&screen, "overview");
    for (key, expect) in [
        ("2", "Environment variables ("),
        ("3", "Users ("),
        ("4", "Service accounts ("),
    ] {
        tui.send(key);
        let screen = tui.wait_for(expect);
        assert_clean(&screen, expect);
    }
    // No teams on 0.23: the Users tab says so once, with no "Teams (0)" above it.
    tui.send("3");
    let screen = tui.wait_for("Not available on Houston 0.23.0");
    assert!(!screen.contains("Teams ("), "{screen}");
    // Describe leaves the namespace out, as the Overview shows "—" for it.
    tui.send("1");
    tui.wait_for("Namespace");
    tui.send("d");
    let screen = tui.wait_for("releaseName:");
    assert!(!screen.contains("null"), "{screen}");
    assert!(!screen.contains("namespace"), "{screen}");
    tui.send(ESC);
    // Live logs work on 0.23; metrics show, or say this Houston lacks them.
    tui.send("5");
    let screen = tui.wait_for("● live");
    assert_clean(&screen, "logs");
    tui.send("6");
    let screen = tui.wait_until("metrics or their absence", |s| {
        s.contains("Not available on Houston 0.23.0") || s.contains("heartbeat")
    });
    assert_clean(&screen, "metrics");
    tui.send(ESC);
    tui.send(ESC);
    tui.wait_for("Workspaces (");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn teams_and_runtime_on_houston_0_35() {
    let server = Server::demo();
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");
    tui.send(ENTER);
    tui.wait_for("Core ETL");
    tui.send("4");
    let screen = tui.wait_for("Teams (");
    assert!(
        screen.contains("Data Engineering"),
        "the seeded team:\n{screen}"
    );
    // "Ingestion" runs Astro Runtime.
    tui.send("1");
    tui.send("/Ingestion");
    tui.send(ENTER);
    tui.send(ENTER);
    let screen = tui.wait_for("Runtime");
    assert!(screen.contains("12.4.0"), "{screen}");
    tui.send("3");
    let screen = tui.wait_for("Teams (");
    assert_clean(&screen, "deployment users and teams");
    tui.send("q");
    assert!(tui.wait_exit().success());
}
