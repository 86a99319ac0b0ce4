//! End to end against houston-local posing as Software 0.36 / 0.37 and Astro Private Cloud's
//! Houston (1.0.0, 1.0.1, 2.0.0, 2.1.0): every screen draws without an error, the System Admin
//! panel's tabs too, the Clusters view shows the data planes with the INACTIVE one's reason
//! and `d` its merged config (before 1.0: "not available"), a deployment is created on a
//! chosen cluster, Houston's refusal of an INACTIVE cluster is shown in its words, and the
//! upgrade at 1.0.1 is a Runtime one.
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

/// Whether `version` is Astro Private Cloud's (clusters, task usage).
fn is_apc(version: &str) -> bool {
    !version.starts_with("0.")
}

/// `A`: every tab of the System Admin panel, and a user whose only workspace role comes from
/// a team (nora, in the demo's Data Engineering team) has that workspace, via the team.
fn walk_the_admin_panel(tui: &mut Tui, version: &str) {
    tui.send("A");
    let screen = tui.wait_for("Ada Admin");
    assert_clean(&screen, "admin users");
    tui.send("/nora");
    tui.send(ENTER);
    tui.send("d");
    let screen = tui.wait_for("viaTeam: Data Engineering");
    assert_clean(&screen, "nora described");
    tui.send(ESC);
    tui.send(ESC);
    for (key, what) in [
        ("2", ["Pending invites (", "No pending invites"]),
        ("3", ["Workspaces (", "No workspaces"]),
        (
            "4",
            ["Service accounts (", "No system service accounts yet"],
        ),
    ] {
        tui.send(key);
        let screen = tui.wait_until(what[0], |s| what.iter().any(|w| s.contains(w)));
        assert_clean(&screen, what[0]);
    }
    tui.send("5");
    let screen = if is_apc(version) {
        tui.wait_for("Task runs of the last 30 days")
    } else {
        tui.wait_for(&format!("ot available on Houston {version}"))
    };
    assert_clean(&screen, "task usage");
    tui.send(ESC);
    tui.wait_for("Workspaces (");
}

fn walk_every_screen(tui: &mut Tui, version: &str) {
    let screen = tui.wait_for("Data Platform");
    assert!(screen.contains(&format!("Houston {version}")), "{screen}");
    assert_clean(&screen, "account");
    walk_the_admin_panel(tui, version);
    tui.send(ENTER);
    let screen = tui.wait_for("Core ETL");
    assert_eq!(
        screen.contains("Cluster"),
        is_apc(version),
        "the Cluster column:\n{screen}"
    );
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
    // `u`: from 1.0.1 a Runtime upgrade (the Astronomer Certified one is refused there).
    tui.send("u");
    let screen = tui.wait_until("the upgrade", |s| {
        s.contains("Upgrade Runtime of")
            || s.contains("Upgrade Airflow of")
            || s.contains("already runs")
    });
    assert_clean(&screen, "upgrade");
    if version != "1.0.0" && is_apc(version) {
        assert!(!screen.contains("Upgrade Airflow of"), "{screen}");
    }
    if screen.contains("Upgrade ") {
        tui.send(ESC);
        tui.wait_until("the form gone", |s| !s.contains(" of Core ETL"));
    }
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
    if !is_apc(version) {
        assert_clean(&screen, "all deployments");
        tui.send(ESC);
        tui.send(":clusters");
        tui.send(ENTER);
        let screen = tui.wait_for(&format!("ot available on Houston {version}"));
        assert_clean(&screen, "clusters");
        return;
    }
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

/// The other versions of the brief, walked the same way.
macro_rules! walks {
    ($($name:ident: $version:literal,)*) => {
        $(
            #[test]
            fn $name() {
                let server = server_at($version);
                let mut tui = logged_in(&server, &[]);
                walk_every_screen(&mut tui, $version);
                tui.send("q");
                assert!(tui.wait_exit().success());
            }
        )*
    };
}

walks! {
    houston_0_36_walks_every_screen: "0.36.0",
    houston_0_37_walks_every_screen: "0.37.0",
    houston_1_0_0_walks_every_screen_with_clusters: "1.0.0",
    houston_2_0_0_walks_every_screen_with_clusters: "2.0.0",
}

/// At 1.0.1 the upgrade is sent as `updateDeploymentRuntime` and Houston takes it.
#[test]
fn houston_1_0_1_upgrades_to_a_runtime_release() {
    let server = server_at("1.0.1");
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");
    tui.send(ENTER);
    tui.wait_for("Core ETL");
    tui.send("/Core ETL");
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Namespace");
    tui.send("u");
    tui.wait_for("Upgrade Runtime of Core ETL");
    tui.send("\x13"); // Ctrl-s
    let screen = tui.wait_for("Core ETL will run Runtime");
    assert_clean(&screen, "upgraded");
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
