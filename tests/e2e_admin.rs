//! End-to-end System Admin panel: the real binary in a pseudo-terminal against houston-local.
//! A system admin opens the panel, grants and revokes a system role (checked through the API),
//! meets Houston's last-admin refusal, and creates a system service account whose key is shown
//! once; a user without a system role does not get the panel.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{ENTER, Server, Tui, logged_in};
use serde_json::{Value, json};

const CTRL_S: &str = "\x13";
const ESC: &str = "\x1b";
const RIGHT: &str = "\x1b[C";
const LEFT: &str = "\x1b[D";

/// The system roles of the user with `email`, as Houston holds them.
fn system_roles(server: &Server, email: &str) -> Vec<Value> {
    let data = server.graphql(
        &server.admin_token(),
        "{ users { emails { address } roleBindings { role workspace { id } deployment { id } } } }",
        json!({}),
    );
    let user = data["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["emails"][0]["address"] == email)
        .unwrap()
        .clone();
    user["roleBindings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["workspace"].is_null() && b["deployment"].is_null())
        .map(|b| b["role"].clone())
        .collect()
}

fn open_panel(tui: &mut Tui) {
    tui.wait_for("Data Platform");
    tui.send("A");
    tui.wait_for("4 Service accounts");
    tui.wait_for("Ada Admin");
}

/// Filter the users down to `who` and open their system-role form.
fn role_form(tui: &mut Tui, who: &str) {
    tui.send("/");
    tui.send(who);
    tui.send(ENTER);
    tui.send("e");
    tui.wait_for(&format!("System role of {who}"));
}

#[test]
fn a_system_admin_grants_and_revokes_a_role_and_meets_the_last_admin_rule() {
    let server = Server::demo();
    let mut tui = logged_in(&server, &[]);
    open_panel(&mut tui);

    // Grant: None → Viewer → Editor → Admin.
    role_form(&mut tui, "Grace Hopper");
    tui.send(RIGHT);
    tui.send(RIGHT);
    tui.send(RIGHT);
    tui.send(CTRL_S);
    tui.wait_for("Grace Hopper is now System admin");
    assert_eq!(
        system_roles(&server, "grace@astrodash.local"),
        vec![json!("SYSTEM_ADMIN")]
    );

    // Revoke: back to none.
    tui.send("e");
    tui.wait_for("System role of Grace Hopper");
    tui.send(LEFT);
    tui.send(LEFT);
    tui.send(LEFT);
    tui.send(CTRL_S);
    tui.wait_for("Grace Hopper has no system role now");
    assert!(system_roles(&server, "grace@astrodash.local").is_empty());

    // The only system admin cannot step down: Houston's refusal, on the form.
    tui.send(ESC);
    role_form(&mut tui, "Ada Admin");
    tui.send(LEFT);
    tui.send(CTRL_S);
    tui.wait_for("There are no other system administrators");
    assert_eq!(
        system_roles(&server, "admin@astrodash.local"),
        vec![json!("SYSTEM_ADMIN")]
    );
}

#[test]
fn a_system_service_account_is_created_with_its_key_shown_once() {
    let server = Server::demo();
    let mut tui = logged_in(&server, &[]);
    open_panel(&mut tui);
    tui.send("4");
    tui.wait_for("No system service accounts yet");
    tui.send("n");
    tui.wait_for("New service account");
    tui.send("backup-bot");
    tui.send(CTRL_S);
    let screen = tui.wait_for("This is the only time the key is shown");
    assert!(screen.contains("backup-bot"), "{screen}");
    let data = server.graphql(
        &server.admin_token(),
        "{ serviceAccounts(entityType: SYSTEM) { label roleBinding { role } } }",
        json!({}),
    );
    assert_eq!(
        data["serviceAccounts"],
        json!([{ "label": "backup-bot", "roleBinding": { "role": "SYSTEM_VIEWER" } }])
    );
    // Closed, the key is gone and the list shows the account.
    tui.send(ESC);
    tui.wait_gone("This is the only time the key is shown");
    tui.wait_for("backup-bot");
}

#[test]
fn a_user_without_a_system_role_does_not_get_the_panel() {
    let server = Server::demo();
    let url = server.url();
    let token = server
        .handle()
        .issue_token("grace@astrodash.local")
        .unwrap();
    let mut tui = Tui::spawn(
        &["--url", url.as_str()],
        &[("ASTRODASH_TOKEN", token.as_str())],
        120,
        40,
    );
    tui.wait_for("Data Platform");
    tui.send("A");
    let screen = tui.wait_for("is for system admins only");
    assert!(!screen.contains("1 Users"), "{screen}");
    tui.send(":admin");
    tui.send(ENTER);
    let screen = tui.wait_for("The System Admin panel is for system admins");
    assert!(!screen.contains("1 Users"), "{screen}");
}

/// houston-local posing as APC 1.0.0: `sysWorkspaces` and `deploymentTaskUsage` exist.
fn apc_demo() -> Server {
    Server::start(houston_local::Config {
        seed: Some(houston_local::Seed::Demo),
        deploying_secs: 3600,
        houston_version: "1.0.0".parse().unwrap(),
        ..houston_local::Config::default()
    })
}

#[test]
fn on_apc_the_panel_lists_every_workspace_and_task_usage_worst_first() {
    let server = apc_demo();
    let mut tui = logged_in(&server, &[]);
    open_panel(&mut tui);
    tui.send("3");
    tui.wait_for("Workspaces (");
    tui.wait_for("Data Platform");
    tui.send("5");
    let screen = tui.wait_for("Task runs of the last 30 days");
    assert!(screen.contains("Failure rate"), "{screen}");
    // Every deployment answered; the UNHEALTHY one (Email Metrics) fails most: first row.
    let screen = tui.wait_until("every deployment's task runs", |s| {
        s.contains("Task usage (10)") && s.matches(" %").count() == 10
    });
    let rows: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.contains("Failure rate"))
        .skip(1)
        .collect();
    assert!(rows[0].contains("Email Metrics"), "{screen}");
    tui.send("w");
    tui.wait_for("Task runs of the last 90 days");
}
