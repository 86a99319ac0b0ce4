//! End to end: the fleet of the real binary in a pseudo-terminal against houston-local — the
//! all-deployments view's Airflow columns filled from every deployment's (simulated) Airflow,
//! and `:dags` listing failing runs across workspaces, Enter opening that run's task instances,
//! and the runs stuck for more than a day (read apart from the day's failures).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use common::pty::{ENTER, Server, Tui};
use serde_json::json;

/// Every deployment's label and its workspace's, through the API.
fn workspaces_of(server: &Server) -> Vec<(String, String, String)> {
    let data = server.graphql(
        &server.admin_token(),
        "{ deployments { label releaseName workspace { label } } }",
        json!({}),
    );
    data["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["label"].as_str().unwrap().to_string(),
                d["releaseName"].as_str().unwrap().to_string(),
                d["workspace"]["label"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn spawn(server: &Server) -> Tui {
    let url = server.url();
    let token = server.admin_token();
    Tui::spawn(
        &["--url", &url, "--refresh", "1"],
        &[("ASTRODASH_TOKEN", token.as_str())],
        160,
        40,
    )
}

/// The screen's lines from the table header down, up to the table's bottom border.
fn rows<'a>(screen: &'a str, header: &str) -> Vec<&'a str> {
    screen
        .lines()
        .skip_while(|l| !l.contains(header))
        .skip(1)
        .take_while(|l| !l.contains('╰'))
        .filter(|l| {
            !l.trim_matches(|c: char| c == '│' || c.is_whitespace())
                .is_empty()
        })
        .collect()
}

#[test]
fn all_deployments_shows_each_deployments_airflow() {
    let server = Server::demo();
    let mut tui = spawn(&server);
    tui.wait_for("Data Platform");
    tui.send("a");
    let screen = tui.wait_until("every Airflow read", |s| {
        s.contains("All deployments (") && s.contains("Fail 24h") && !s.contains("Reading Airflow")
    });
    let table = rows(&screen, "Fail 24h");
    assert!(!table.is_empty(), "{screen}");
    // Email Metrics, the seed's UNHEALTHY one, has failing runs and a broken DAG file.
    let email = table
        .iter()
        .find(|l| l.contains("Email Metrics"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(email.contains("UNHEALTHY"), "{screen}");
    assert!(
        !screen.contains("Airflow unreachable"),
        "houston-local serves every deployment's Airflow: {screen}"
    );
    // The heartbeat column holds ages once read.
    assert!(table.iter().all(|l| l.contains(" ago")), "{screen}");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn dags_lists_failing_runs_across_workspaces_and_enter_opens_the_run() {
    let server = Server::demo();
    let deployments = workspaces_of(&server);
    // A second workspace's deployment fails too (the seed's UNHEALTHY one is Marketing's).
    let core = deployments.iter().find(|d| d.0 == "Core ETL").unwrap();
    server.handle().set_unhealthy(&core.1, true).unwrap();
    let mut tui = spawn(&server);
    tui.wait_for("Data Platform");
    tui.send(":dags");
    tui.send(ENTER);
    let screen = tui.wait_until("every deployment's runs read", |s| {
        s.contains("Failing and long-running DAG runs (") && !s.contains("Reading Airflow")
    });
    let table = rows(&screen, "Duration");
    assert!(!table.is_empty(), "{screen}");
    let mut workspaces = BTreeSet::new();
    for line in &table {
        let (_, _, ws) = deployments
            .iter()
            .find(|(label, _, _)| line.starts_with(&format!("│{label} ")))
            .unwrap_or_else(|| panic!("a row of no deployment: {line}\n{screen}"));
        workspaces.insert(ws.clone());
        assert!(
            line.contains("failed") || line.contains("running"),
            "{line}"
        );
    }
    assert!(workspaces.len() >= 2, "{workspaces:?}\n{screen}");
    // Newest failure first: the top row failed.
    assert!(table[0].contains("✗ failed"), "{screen}");
    // The cursor followed the row it was on as rows came in: to the top first. Rows may move
    // as reads are renewed, so the run opened is checked against every deployment.
    tui.send("g");
    tui.send(ENTER);
    let screen = tui.wait_until("the run's task instances", |s| {
        s.contains("Task instances (")
    });
    let crumbs = screen.lines().nth(1).unwrap_or_default();
    assert!(
        deployments
            .iter()
            .any(|(label, _, _)| crumbs.contains(&format!("› {label} ›"))),
        "{screen}"
    );
    // Each task instance with its state; a failed run has a failed task.
    assert!(screen.contains("failed"), "{screen}");
    tui.send("\x1b");
    tui.wait_for("Failing and long-running DAG runs (");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn dags_shows_a_run_running_for_more_than_a_day() {
    let server = Server::demo();
    let mut tui = spawn(&server);
    tui.wait_for("Data Platform");
    tui.send(":dags");
    tui.send(ENTER);
    tui.wait_until("every deployment's runs read", |s| {
        s.contains("Failing and long-running DAG runs (") && !s.contains("Reading Airflow")
    });
    // The seed's UNHEALTHY deployment has a DAG whose backfills hang, one started 1–3 days ago.
    tui.send("/backfill__");
    tui.send(ENTER);
    let screen = tui.wait_until("the stuck backfill", |s| {
        rows(s, "Duration")
            .iter()
            .any(|l| l.contains("Email Metrics") && l.contains("running"))
    });
    let table = rows(&screen, "Duration");
    let stuck = table
        .iter()
        .find(|l| l.contains("Email Metrics") && l.contains("backfill__"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(stuck.contains("▶ running"), "{stuck}");
    assert!(
        stuck.contains("1d ago") || stuck.contains("2d ago"),
        "started more than a day ago: {stuck}\n{screen}"
    );
    let screen = {
        tui.send("g");
        tui.send(ENTER);
        tui.wait_until("the run's task instances", |s| {
            s.contains("Task instances (")
        })
    };
    // One task waits for ever; it is running, not failed.
    assert!(screen.contains("running"), "{screen}");
    tui.send("q");
    assert!(tui.wait_exit().success());
}
