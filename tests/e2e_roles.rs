//! End-to-end role changes: the real binary in a pseudo-terminal against houston-local. A team's
//! role is changed from the Teams tab and checked through the API; a viewer's `e` says why it
//! does nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{ENTER, Server, Tui, logged_in};
use serde_json::json;

const CTRL_S: &str = "\x13";
const RIGHT: &str = "\x1b[C";

fn open_data_platform(tui: &mut Tui) {
    tui.wait_for("Data Platform");
    tui.send("/Data Platform");
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Core ETL");
}

#[test]
fn a_teams_workspace_role_is_changed_from_the_teams_tab() {
    let server = Server::demo();
    let mut tui = logged_in(&server, &[]);
    open_data_platform(&mut tui);
    tui.send("4");
    tui.wait_for("Data Engineering");
    tui.send("e");
    tui.wait_for("Workspace role of team Data Engineering");
    tui.send(RIGHT);
    tui.send(CTRL_S);
    tui.wait_for("Team Data Engineering is now Admin");

    let token = server.admin_token();
    let data = server.graphql(&token, "{ workspaces { id label } }", json!({}));
    let ws = data["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["label"] == "Data Platform")
        .unwrap()["id"]
        .clone();
    let data = server.graphql(
        &token,
        "query($w: Uuid!) { workspaceTeams(workspaceUuid: $w) { name roleBindings { role workspace { id } deployment { id } } } }",
        json!({ "w": ws }),
    );
    let team = data["workspaceTeams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Data Engineering")
        .unwrap()
        .clone();
    let roles: Vec<_> = team["roleBindings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["workspace"]["id"] == ws && b["deployment"].is_null())
        .map(|b| b["role"].clone())
        .collect();
    assert_eq!(roles, vec![json!("WORKSPACE_ADMIN")], "{team}");
}

#[test]
fn a_viewers_edit_key_says_why_it_does_nothing() {
    let server = Server::demo();
    let url = server.url();
    let token = server.handle().issue_token("vera@astrodash.local").unwrap();
    let mut tui = Tui::spawn(
        &["--url", url.as_str()],
        &[("ASTRODASH_TOKEN", token.as_str())],
        120,
        40,
    );
    open_data_platform(&mut tui);
    tui.send("e");
    tui.wait_for("your role on this deployment is Viewer");
    let screen = tui.wait_for("needs Editor or Admin");
    assert!(!screen.contains("Edit Core ETL"), "{screen}");
}
