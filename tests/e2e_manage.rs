//! End-to-end changes: the real binary in a pseudo-terminal against houston-local, driven by the
//! keys a user presses, checked on screen and through the API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::pty::{ENTER, ESC, Server, Tui, logged_in};
use serde_json::json;

const CTRL_S: &str = "\x13";
const CTRL_D: &str = "\x04";
const TAB: &str = "\t";
const RIGHT: &str = "\x1b[C";

/// The id of the deployment labelled `label` in workspace `label_ws`, through the API.
fn deployment_id(server: &Server, ws_label: &str, label: &str) -> String {
    let token = server.admin_token();
    let data = server.graphql(&token, "{ workspaces { id label } }", json!({}));
    let ws = data["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["label"] == ws_label)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let data = server.graphql(
        &token,
        "query($w: Uuid!) { workspaceDeployments(workspaceUuid: $w) { id label } }",
        json!({ "w": ws }),
    );
    data["workspaceDeployments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["label"] == label)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Type `text` and give the app a moment (each `send` already pauses).
fn type_in(tui: &mut Tui, text: &str) {
    tui.send(text);
}

#[test]
fn create_change_and_delete_everything_from_the_keyboard() {
    let server = Server::start(houston_local::Config {
        seed: Some(houston_local::Seed::Demo),
        deploying_secs: 2,
        ..houston_local::Config::default()
    });
    // Everything astrodash logs, so the key's absence from the log means something.
    let (url, token) = (server.url(), server.admin_token());
    let mut tui = Tui::spawn(
        &["--url", url.as_str()],
        &[
            ("ASTRODASH_TOKEN", token.as_str()),
            ("ASTRODASH_LOG", "trace"),
        ],
        120,
        40,
    );
    tui.wait_for("Data Platform");

    // A workspace.
    tui.send("n");
    tui.wait_for("New workspace");
    type_in(&mut tui, "E2E Space");
    tui.send(TAB);
    type_in(&mut tui, "made by the e2e test");
    tui.send(CTRL_S);
    tui.wait_for("Created workspace E2E Space");
    // The cursor is on it once the list holds it: open it.
    tui.wait_until("the new workspace selected", |s| s.contains("E2E Space"));
    std::thread::sleep(Duration::from_millis(500));
    tui.send(ENTER);
    tui.wait_for("No deployments in this workspace yet");

    // A deployment, then more workers: the preview and the diff show what it costs.
    tui.send("n");
    tui.wait_for("New deployment");
    type_in(&mut tui, "e2e-dep");
    tui.send(CTRL_S);
    tui.wait_for("Created deployment e2e-dep");
    let screen = tui.wait_for("DEPLOYING");
    assert!(screen.contains("e2e-dep"), "{screen}");
    // Settles without a refresh key.
    tui.wait_for("HEALTHY");
    tui.send("e");
    tui.wait_for("Edit e2e-dep");
    for _ in 0..7 {
        tui.send(TAB);
    }
    tui.send("\x7f");
    tui.send("3");
    tui.send(CTRL_S);
    let screen = tui.wait_for("Workers: 1 → 3");
    assert!(screen.contains("Total: 33 AU"), "{screen}");
    tui.send(ENTER);
    tui.wait_for("Saved e2e-dep");
    let dep = deployment_id(&server, "E2E Space", "e2e-dep");
    let workers = server.graphql(
        &server.admin_token(),
        "query($id: String!) { deployment(where: {id: $id}) { config } }",
        json!({ "id": dep }),
    )["deployment"]["config"]["workers"]["replicas"]
        .clone();
    assert_eq!(workers, json!(3));

    // Environment variables: a secret, then a plain one; the secret keeps its value.
    tui.send(ENTER);
    tui.wait_for("Overview");
    tui.send("2");
    tui.wait_for("No environment variables");
    tui.send("n");
    tui.wait_for("Add an environment variable");
    type_in(&mut tui, "E2E_SECRET");
    // Marked secret before the value is typed (then masked as it is typed).
    tui.send(TAB);
    tui.send(RIGHT);
    tui.send(TAB);
    type_in(&mut tui, "s3cr3t");
    assert!(!tui.screen().contains("s3cr3t"), "masked while typed");
    tui.send(CTRL_S);
    tui.wait_for("+ E2E_SECRET = ••••••");
    tui.send(ENTER);
    tui.wait_for("Saved 1 environment variable");
    let screen = tui.wait_for("E2E_SECRET");
    assert!(
        !screen.contains("s3cr3t"),
        "never shown after saving:\n{screen}"
    );
    tui.send("n");
    type_in(&mut tui, "PLAIN");
    tui.send(TAB);
    tui.send(TAB);
    type_in(&mut tui, "hello");
    tui.send(CTRL_S);
    tui.wait_for("+ PLAIN = hello");
    tui.send(ENTER);
    tui.wait_for("Saved 2 environment variables");
    let stored = server
        .handle()
        .stored_env_value(&dep, "E2E_SECRET")
        .unwrap();
    assert_eq!(
        stored.as_deref(),
        Some("s3cr3t"),
        "the secret kept its value"
    );
    // Remove the secret (first by name).
    tui.send("g");
    tui.send(CTRL_D);
    tui.wait_for("- E2E_SECRET");
    tui.send(ENTER);
    tui.wait_for("Saved 1 environment variable");
    assert_eq!(
        server
            .handle()
            .stored_env_value(&dep, "E2E_SECRET")
            .unwrap(),
        None
    );

    // Users: an existing user is added at once, then made admin.
    tui.send(ESC);
    tui.wait_for("Deployments (1)");
    tui.send("2");
    tui.wait_for("Users (");
    tui.send("n");
    tui.wait_for("Invite a user");
    type_in(&mut tui, "linus@astrodash.local");
    tui.send(TAB);
    tui.send(RIGHT);
    tui.send(CTRL_S);
    tui.wait_for("Invited linus@astrodash.local as Editor");
    tui.wait_for("linus@astrodash.local");
    tui.send("/linus");
    tui.send(ENTER);
    tui.send("e");
    tui.wait_for("Workspace role of linus@astrodash.local");
    tui.send(RIGHT);
    tui.send(CTRL_S);
    tui.wait_for("linus@astrodash.local is now Admin");
    tui.send(ESC);

    // An unknown e-mail becomes a pending invite; revoke it.
    tui.send("n");
    type_in(&mut tui, "someone.new@example.com");
    tui.send(CTRL_S);
    tui.wait_for("Invited someone.new@example.com");
    tui.send("3");
    tui.wait_for("someone.new@example.com");
    tui.send(CTRL_D);
    tui.wait_for("Revoke the invite of someone.new@example.com?");
    tui.send(ENTER);
    tui.wait_for("Revoked the invite of someone.new@example.com");
    tui.wait_for("No pending invites");

    // A service account: its key shown once, and it works as a token.
    tui.send("5");
    tui.wait_for("Service accounts (");
    tui.send("n");
    tui.wait_for("New service account");
    type_in(&mut tui, "e2e-ci");
    tui.send(CTRL_S);
    let screen = tui.wait_for("only time the key is shown");
    let key = screen
        .split(|c: char| !c.is_ascii_hexdigit())
        .find(|w| w.len() == 32)
        .unwrap_or_else(|| panic!("no key on screen:\n{screen}"))
        .to_string();
    let me = server.graphql(&key, "{ self { user { id } } }", json!({}));
    assert!(me["self"]["user"].is_null(), "a key authenticates: {me}");
    tui.send(ESC);
    let screen = tui.wait_gone("only time the key is shown");
    assert!(!screen.contains(&key), "gone for good:\n{screen}");
    let log = std::fs::read_to_string(tui.home().join("data/astrodash/astrodash.log"))
        .expect("astrodash writes its log under XDG_DATA_HOME");
    assert!(
        log.contains("houston request ok"),
        "the session is logged:\n{log}"
    );
    assert!(!log.contains(&key), "the key is never logged:\n{log}");
    tui.wait_for("e2e-ci");

    // Delete the deployment (its name typed), then the workspace.
    tui.send("1");
    tui.wait_for("e2e-dep");
    tui.send(CTRL_D);
    tui.wait_for("Type the deployment's name");
    tui.send(ENTER);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        tui.screen().contains("Type the deployment's name"),
        "Enter alone does nothing"
    );
    type_in(&mut tui, "e2e-dep");
    tui.send(ENTER);
    tui.wait_for("Deleted deployment e2e-dep");
    tui.wait_for("No deployments in this workspace yet");
    tui.send("6");
    tui.wait_for("Settings");
    tui.send(CTRL_D);
    tui.wait_for("Delete workspace E2E Space?");
    type_in(&mut tui, "E2E Space");
    tui.send(ENTER);
    tui.wait_for("Deleted workspace E2E Space");
    let screen = tui.wait_for("Workspaces (4)");
    assert!(
        !screen.contains("│E2E Space"),
        "no longer listed:\n{screen}"
    );

    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_viewer_sees_no_changes_and_read_only_offers_none() {
    let server = Server::demo();
    // Vera is a viewer of "Marketing Analytics".
    let token = server.handle().issue_token("vera@astrodash.local").unwrap();
    let url = server.url();
    let mut tui = Tui::spawn(
        &["--url", &url],
        &[("ASTRODASH_TOKEN", token.as_str())],
        120,
        40,
    );
    tui.wait_for("Marketing Analytics");
    tui.send("/Marketing");
    tui.send(ENTER);
    tui.send(ENTER);
    let screen = tui.wait_for("Campaign Attribution");
    for hint in ["n new", "e edit", "C-d delete"] {
        assert!(
            !screen.contains(hint),
            "{hint} offered to a viewer:\n{screen}"
        );
    }
    tui.send("n");
    tui.send("e");
    tui.send(CTRL_D);
    std::thread::sleep(Duration::from_millis(300));
    let screen = tui.screen();
    assert!(
        !screen.contains("New deployment") && !screen.contains("Delete deployment"),
        "{screen}"
    );
    tui.send("q");
    tui.wait_exit();

    // The admin in read-only mode: the badge, and no change anywhere.
    let mut tui = logged_in(&server, &["--read-only"]);
    let screen = tui.wait_for("READ-ONLY");
    assert!(!screen.contains("n new"), "{screen}");
    tui.send("n");
    tui.send(ENTER);
    tui.wait_for("Deployments (");
    tui.send("e");
    tui.send(CTRL_D);
    tui.send("u");
    std::thread::sleep(Duration::from_millis(300));
    let screen = tui.screen();
    for dialog in [
        "New workspace",
        "Edit ",
        "Delete deployment",
        "Upgrade Airflow",
    ] {
        assert!(!screen.contains(dialog), "{dialog} in read-only:\n{screen}");
    }
    tui.send("q");
    tui.wait_exit();
}

#[test]
fn the_cursor_stays_on_its_item_when_rows_change_above_it() {
    let server = Server::demo();
    let mut tui = logged_in(&server, &["--refresh", "1"]);
    tui.wait_for("Data Platform");
    tui.send("/Data Platform");
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Core ETL");
    // The last row, then copy its release name to learn which one it is (y: the copy menu;
    // y again: its first entry).
    tui.send("G");
    tui.send("yy");
    let copied = tui.wait_for("Copied release name");
    let release = copied
        .lines()
        .find_map(|l| {
            l.split("Copied release name ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
        })
        .unwrap()
        .to_string();
    // Rows change above it: one deployment deleted, two created.
    let token = server.admin_token();
    let first = deployment_id(&server, "Data Platform", "Core ETL");
    server.graphql(
        &token,
        "mutation($id: Uuid!) { deleteDeployment(deploymentUuid: $id) { id } }",
        json!({ "id": first }),
    );
    let data = server.graphql(&token, "{ workspaces { id label } }", json!({}));
    let ws = data["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["label"] == "Data Platform")
        .unwrap()["id"]
        .clone();
    for label in ["aaa-first", "aab-second"] {
        server.graphql(
            &token,
            "mutation($w: Uuid!, $l: String!) { createDeployment(workspaceUuid: $w, type: \"airflow\", label: $l) { id } }",
            json!({ "w": ws, "l": label }),
        );
    }
    tui.wait_for("aab-second");
    tui.wait_gone("Core ETL");
    tui.send("yy");
    let screen = tui.wait_until("a second copy message", |s| {
        s.matches("Copied release name").count() == 1 && s.contains(&release)
    });
    assert!(
        screen.contains(&format!("Copied release name {release}")),
        "the cursor stayed on {release}:\n{screen}"
    );
}
