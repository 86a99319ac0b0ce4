//! End to end against houston-local posing as Astro Private Cloud's Houston (2.1.0 and
//! 1.0.1): every screen draws without an error, the Clusters view shows the data planes with
//! the INACTIVE one's reason, a deployment is created on a chosen cluster, and Houston's
//! refusal of an INACTIVE cluster is shown in its words.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{ENTER, ESC, Server, Tui, logged_in};

const ERRORS: [&str; 5] = [
    "Could not load",
    "Cannot query field",
    "HTTP 400",
    "✗ Unknown",
    "STALE",
];

fn assert_clean(screen: &str, what: &str) {
    for e in ERRORS {
        assert!(!screen.contains(e), "{what}: {e:?} on screen:\n{screen}");
    }
}

fn server_at(version: &str) -> Server {
    Server::start(houston_local::Config {
        seed: Some(houston_local::Seed::Demo),
        deploying_secs: 3600,
        houston_version: version.parse().unwrap(),
        ..houston_local::Config::default()
    })
}

fn walk_every_screen(tui: &mut Tui, version: &str) {
    let screen = tui.wait_for("Data Platform");
    assert!(screen.contains(&format!("Houston {version}")), "{screen}");
    assert_clean(&screen, "account");
    tui.send(ENTER);
    let screen = tui.wait_for("Core ETL");
    assert!(screen.contains("Cluster"), "the Cluster column:\n{screen}");
    assert_clean(&screen, "deployments");
    for (key, expect) in [
        ("2", "Users ("),
        ("3", "Pending invites"),
        ("4", "Teams ("),
        ("5", "Service accounts ("),
        ("6", "Description"),
    ] {
        tui.send(key);
        let screen = tui.wait_for(expect);
        assert_clean(&screen, expect);
    }
    tui.send("1");
    tui.wait_for("Core ETL");
    tui.send("/Core ETL");
    tui.send(ENTER);
    tui.send(ENTER);
    let screen = tui.wait_for("Namespace");
    assert_clean(&screen, "overview");
    for (key, expect) in [
        ("2", "Environment variables ("),
        ("3", "Users ("),
        ("4", "Service accounts ("),
        ("5", "● live"),
    ] {
        tui.send(key);
        let screen = tui.wait_for(expect);
        assert_clean(&screen, expect);
    }
    tui.send("6");
    let screen = tui.wait_until("metrics", |s| {
        s.contains("heartbeat") || s.contains("Not available")
    });
    assert_clean(&screen, "metrics");
    // Back to the account dashboard (the first Esc clears the filter).
    tui.send(ESC);
    tui.send(ESC);
    tui.send(ESC);
    tui.wait_for("Workspaces (");
    // Every deployment, with its cluster; an INACTIVE cluster's are marked.
    tui.send("a");
    let screen = tui.wait_for("All deployments (");
    // (The column is narrow at 120 columns: the mark and the name's start show.)
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Feature Store") && l.contains("✗ gcp-europe-")),
        "{screen}"
    );
    assert_clean(&screen, "all deployments");
    tui.send(ESC);
    // The clusters.
    tui.send(":clusters");
    tui.send(ENTER);
    let screen = tui.wait_for("Clusters (2)");
    assert!(screen.contains("aws-us-east-1"), "{screen}");
    assert!(screen.contains("INACTIVE: Commander"), "{screen}");
    assert_clean(&screen, "clusters");
    // `d` reads the cluster: its merged config has the platform default's keys too.
    tui.send("d");
    let screen = tui.wait_for("manualReleaseNames");
    assert!(!screen.contains("loading"), "{screen}");
    assert_clean(&screen, "describe a cluster");
    tui.send(ESC);
}

#[test]
fn houston_2_1_walks_every_screen_with_clusters() {
    let server = server_at("2.1.0");
    let mut tui = logged_in(&server, &[]);
    walk_every_screen(&mut tui, "2.1.0");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn houston_1_0_1_walks_every_screen_with_clusters() {
    let server = server_at("1.0.1");
    let mut tui = logged_in(&server, &[]);
    walk_every_screen(&mut tui, "1.0.1");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn create_on_a_chosen_cluster_then_houston_refuses_an_inactive_one() {
    let server = server_at("2.1.0");
    // Both clusters ACTIVE: the form offers both; the second is chosen.
    server
        .handle()
        .set_cluster_status("gcp-europe-west4", true, None)
        .unwrap();
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");
    tui.send(ENTER);
    tui.wait_for("Core ETL");
    tui.send("n");
    tui.wait_for("New deployment");
    tui.send("Lakehouse");
    tui.send("\t\t\t");
    let screen = tui.wait_for("Cluster");
    assert!(screen.contains("aws-us-east-1"), "{screen}");
    tui.send("l");
    tui.wait_for("◀ gcp-europe-west4");
    tui.send("\x13"); // Ctrl-s
    let screen = tui.wait_for("Created deployment Lakehouse");
    assert_clean(&screen, "created");
    let screen = tui.wait_until("the new row on its cluster", |s| {
        s.lines()
            .any(|l| l.contains("Lakehouse") && l.contains("gcp-europe-we"))
    });
    assert_clean(&screen, "list");

    // The form is opened while aws-us-east-1 is ACTIVE; by the time it is sent, Houston has
    // marked it INACTIVE: its refusal is shown, the form stays.
    tui.send("n");
    tui.wait_for("New deployment");
    tui.send("Late one");
    server
        .handle()
        .set_cluster_status("aws-us-east-1", false, Some("Commander unreachable"))
        .unwrap();
    tui.send("\x13");
    let screen = tui.wait_for("cannot accept new deployments");
    assert!(
        screen.contains("New deployment"),
        "the form stays:\n{screen}"
    );
    tui.send(ESC);
    tui.wait_for("Discard what you typed?");
    tui.send(ENTER);
    tui.wait_until("the form gone", |s| !s.contains("New deployment"));
    tui.send("q");
    assert!(tui.wait_exit().success());
}
