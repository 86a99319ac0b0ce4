//! End to end: the all-deployments view of the real binary in a pseudo-terminal against
//! houston-local — worst first, live status changes highlighted, and the per-workspace reading
//! for a caller Houston refuses the platform-wide list.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{ENTER, ESC, Server, Tui};
use serde_json::json;

/// The release name of the deployment labelled `label`, through the API.
fn release_of(server: &Server, label: &str) -> String {
    let data = server.graphql(
        &server.admin_token(),
        "{ deployments { label releaseName } }",
        json!({}),
    );
    data["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["label"] == label)
        .unwrap_or_else(|| panic!("no deployment {label}"))["releaseName"]
        .as_str()
        .unwrap()
        .to_string()
}

fn spawn_as(server: &Server, token: &str) -> Tui {
    let url = server.url();
    Tui::spawn(
        &["--url", &url, "--refresh", "1"],
        &[("ASTRODASH_TOKEN", token)],
        160,
        40,
    )
}

/// The screen's lines from the table header down.
fn rows(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .skip_while(|l| !l.contains("Workspace") || !l.contains("Status"))
        .skip(1)
        .collect()
}

#[test]
fn all_lists_a_deployment_made_unhealthy_first_and_follows_live_changes() {
    let server = Server::demo();
    // Core ETL sorts before Email Metrics, the seed's UNHEALTHY one.
    server
        .handle()
        .set_unhealthy(&release_of(&server, "Core ETL"), true)
        .unwrap();
    let mut tui = spawn_as(&server, &server.admin_token());
    tui.wait_for("Data Platform");
    assert!(
        tui.raw_output().contains("\x1b[?1004h"),
        "the terminal is asked to report focus"
    );
    tui.send("a");
    let screen = tui.wait_for("All deployments (");
    let table = rows(&screen);
    // The two UNHEALTHY deployments come first; between them the one whose Airflow has more
    // failed runs (README, "The fleet"), which the simulated Airflow derives from the clock.
    assert!(
        table[..2].iter().all(|row| row.contains("UNHEALTHY")),
        "{screen}"
    );
    assert!(
        table[..2].iter().any(|row| row.contains("Core ETL"))
            && table[..2].iter().any(|row| row.contains("Email Metrics")),
        "{screen}"
    );
    assert!(
        table
            .iter()
            .any(|row| row.contains("Core ETL") && row.contains("Data Platform")),
        "the workspace: {screen}"
    );
    assert_ne!(tui.background_of("Core ETL"), Some(vt100::Color::Idx(3)));

    // Another one fails while we watch: it moves up, highlighted.
    server
        .handle()
        .set_unhealthy(&release_of(&server, "Data Quality"), true)
        .unwrap();
    let screen = tui.wait_until("Data Quality UNHEALTHY", |s| {
        rows(s)
            .iter()
            .take(3)
            .any(|l| l.contains("Data Quality") && l.contains("UNHEALTHY"))
    });
    assert_eq!(
        tui.background_of("Data Quality"),
        Some(vt100::Color::Idx(3)),
        "highlighted (yellow): {screen}"
    );
    assert_ne!(
        tui.background_of("Email Metrics"),
        Some(vt100::Color::Idx(3))
    );

    // Enter opens the row under the cursor, Esc comes back. The cursor follows its deployment
    // when the Airflow columns re-order the rows, so `g` puts it on the top one first.
    tui.send("g");
    let screen = tui.screen();
    let top = rows(&screen)[0].to_string();
    let opened = ["Core ETL", "Email Metrics", "Data Quality"]
        .into_iter()
        .find(|name| top.contains(name))
        .unwrap_or_else(|| panic!("an UNHEALTHY deployment on top: {top}"));
    tui.send(ENTER);
    tui.wait_for("Overview");
    assert!(tui.screen().contains(opened));
    tui.send(ESC);
    tui.wait_for("All deployments (");

    // The palette gets there too, from anywhere: `:all` from the account dashboard.
    tui.send(ESC);
    tui.wait_until("the account dashboard", |s| {
        s.contains("Workspaces (") && !s.contains("All deployments (")
    });
    tui.send(":all");
    tui.send(ENTER);
    let screen = tui.wait_for("All deployments (");
    assert!(rows(&screen)[0].contains("UNHEALTHY"), "{screen}");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_workspace_viewer_sees_the_deployments_of_their_workspaces() {
    let server = Server::demo();
    // Vera views Data Platform and Marketing Analytics only; Houston refuses her the
    // platform-wide list.
    let token = server.handle().issue_token("vera@astrodash.local").unwrap();
    let mut tui = spawn_as(&server, &token);
    tui.wait_for("Marketing Analytics");
    tui.send("a");
    let screen = tui.wait_until("both workspaces read", |s| {
        s.contains("All deployments (") && !s.contains("workspaces…")
    });
    assert!(screen.contains("Core ETL"), "{screen}");
    assert!(screen.contains("Campaign Attribution"), "{screen}");
    assert!(!screen.contains("Feature Store"), "not hers: {screen}");
    assert!(!screen.contains("Permission denied"), "{screen}");
    tui.send("q");
    assert!(tui.wait_exit().success());
}
