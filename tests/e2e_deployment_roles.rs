//! End-to-end: callers whose only role is on one deployment reach it — a user with a
//! DEPLOYMENT_* role and no workspace role, and a deployment service account's key — in the
//! real binary against houston-local.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{ENTER, ESC, Server, Tui};
use serde_json::json;

const DAN: &str = "dan@astrodash.local";

/// (id, releaseName) of the seeded "Campaign Attribution" (Marketing Analytics).
fn campaign(server: &Server) -> (String, String) {
    let admin = server.admin_token();
    let data = server.graphql(
        &admin,
        "{ deployments { id label releaseName } }",
        json!({}),
    );
    let d = data["deployments"]
        .as_array()
        .and_then(|l| l.iter().find(|d| d["label"] == "Campaign Attribution"))
        .expect("the seeded Campaign Attribution")
        .clone();
    (
        d["id"].as_str().unwrap().to_string(),
        d["releaseName"].as_str().unwrap().to_string(),
    )
}

fn spawn(server: &Server, token: &str) -> Tui {
    let url = server.url();
    Tui::spawn(
        &["--url", url.as_str()],
        &[("ASTRODASH_TOKEN", token)],
        140,
        40,
    )
}

#[test]
fn a_user_with_a_deployment_role_only_reaches_it_from_the_dashboard_a_and_the_palette() {
    let server = Server::demo();
    // Dan's seeded workspace role taken away: his one role is DEPLOYMENT_EDITOR on Campaign
    // Attribution, in a workspace he has no role in.
    let dan = server.handle().issue_token(DAN).expect("token");
    let me = server.graphql(&dan, "{ self { user { id } } }", json!({}));
    let dan_id = me["self"]["user"]["id"].as_str().unwrap().to_string();
    let admin = server.admin_token();
    let ws = server.graphql(&admin, "{ workspaces { id label } }", json!({}));
    let sandbox = ws["workspaces"]
        .as_array()
        .and_then(|l| l.iter().find(|w| w["label"] == "Sandbox"))
        .and_then(|w| w["id"].as_str())
        .unwrap()
        .to_string();
    server.graphql(
        &admin,
        "mutation($w: Uuid!, $u: Uuid!) { workspaceRemoveUser(workspaceUuid: $w, userUuid: $u) { id } }",
        json!({"w": sandbox, "u": dan_id}),
    );
    let (_, release) = campaign(&server);

    let mut tui = spawn(&server, &dan);
    // The account dashboard: the deployment shared with him, with its workspace.
    tui.wait_for("Deployments shared with you (1)");
    let screen = tui.wait_for("Campaign Attribution");
    assert!(screen.contains("Marketing Analytics"), "{screen}");
    assert!(screen.contains(&release), "{screen}");
    assert!(
        !screen.contains("not a member of any workspace"),
        "{screen}"
    );
    // Enter opens it.
    tui.send(ENTER);
    let screen = tui.wait_for("scheduler");
    assert!(
        screen.contains("Marketing Analytics › Campaign Attribution › Overview"),
        "{screen}"
    );
    tui.send(ESC);
    tui.wait_for("Deployments shared with you (1)");

    // `a`: Houston refuses him the platform-wide list; his deployment is there all the same.
    tui.send("a");
    // By release: the Airflow columns leave the name column too narrow for the whole label.
    let screen = tui.wait_for("All deployments (1)");
    assert!(screen.contains("spectral-probe-7594"), "{screen}");
    assert!(!screen.contains("Permission denied"), "{screen}");
    tui.send(ESC);
    tui.wait_for("Deployments shared with you (1)");

    // `:` finds it by name.
    tui.send(":");
    tui.send("campaign");
    tui.wait_for("deploy Campaign Attribution");
    tui.send(ENTER);
    tui.wait_for("scheduler");

    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_deployment_service_account_key_reaches_its_deployment_by_release_name() {
    let server = Server::demo();
    let (id, release) = campaign(&server);
    let admin = server.admin_token();
    let created = server.graphql(
        &admin,
        "mutation($d: Uuid!) { createDeploymentServiceAccount(label: \"ci\", category: \"CI\", \
         deploymentUuid: $d, role: DEPLOYMENT_VIEWER) { apiKey } }",
        json!({"d": id}),
    );
    let key = created["createDeploymentServiceAccount"]["apiKey"]
        .as_str()
        .expect("the new key")
        .to_string();

    let mut tui = spawn(&server, &key);
    // Houston's `self` names no role for a key: the dashboard says how to get in.
    tui.wait_for("This key has no role on a workspace");
    tui.send(":");
    tui.send(&format!("deploy {release}"));
    tui.send(ENTER);
    let screen = tui.wait_for("scheduler");
    assert!(screen.contains("Campaign Attribution"), "{screen}");
    assert!(screen.contains("Overview"), "{screen}");
    // Its variables (DEPLOYMENT_VIEWER may read them).
    tui.send("2");
    tui.wait_for("Environment variables (");
    // Back on the dashboard it is listed (for the session), and in `a`.
    tui.send(ESC);
    let screen = tui.wait_for("Deployments shared with you (1)");
    assert!(screen.contains("Campaign Attribution"), "{screen}");
    tui.send("a");
    let screen = tui.wait_for("All deployments (1)");
    assert!(screen.contains("spectral-probe-7594"), "{screen}");

    tui.send("q");
    assert!(tui.wait_exit().success());
}
