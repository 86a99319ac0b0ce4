//! Two operators, one installation, end to end: operator A is the real binary in a
//! pseudo-terminal; operator B changes the same thing through the API between A opening a form
//! and applying it. Checked through the API: nothing B wrote is lost, and when both changed the
//! same field A sees a conflict and nothing is sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::pty::{ENTER, Server, Tui, logged_in};
use serde_json::{Value, json};

const CTRL_S: &str = "\x13";
const TAB: &str = "\t";
const LEFT: &str = "\x1b[D";
const BACKSPACE: &str = "\x7f";

fn workspace_id(server: &Server, label: &str) -> String {
    let data = server.graphql(
        &server.admin_token(),
        "{ workspaces { id label } }",
        json!({}),
    );
    data["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["label"] == label)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Core ETL's id and release name.
fn core_etl(server: &Server) -> (String, String) {
    let ws = workspace_id(server, "Data Platform");
    let data = server.graphql(
        &server.admin_token(),
        "query($w: Uuid!) { workspaceDeployments(workspaceUuid: $w) { id label releaseName } }",
        json!({ "w": ws }),
    );
    let d = data["workspaceDeployments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["label"] == "Core ETL")
        .unwrap()
        .clone();
    (
        d["id"].as_str().unwrap().to_string(),
        d["releaseName"].as_str().unwrap().to_string(),
    )
}

/// The variables as Houston returns them (secrets without values).
fn variables(server: &Server, dep: &str) -> Vec<Value> {
    server.graphql(
        &server.admin_token(),
        "query($d: Uuid!) { deploymentVariables(deploymentUuid: $d) { key value isSecret } }",
        json!({ "d": dep }),
    )["deploymentVariables"]
        .as_array()
        .unwrap()
        .clone()
}

fn value_of(vars: &[Value], key: &str) -> Option<String> {
    vars.iter()
        .find(|v| v["key"] == key)
        .map(|v| v["value"].as_str().unwrap_or_default().to_string())
}

/// Operator B, as a Houston client: read the set, change it, send the whole set back (secrets
/// with empty values keep theirs).
fn b_sets_variable(server: &Server, dep: &str, release: &str, key: &str, value: &str) {
    let mut vars: Vec<Value> = variables(server, dep)
        .into_iter()
        .filter(|v| v["key"] != key)
        .map(|v| {
            json!({
                "key": v["key"],
                "value": if v["isSecret"] == true { json!("") } else { v["value"].clone() },
                "isSecret": v["isSecret"],
            })
        })
        .collect();
    vars.push(json!({ "key": key, "value": value, "isSecret": false }));
    server.graphql(
        &server.admin_token(),
        "mutation($d: Uuid!, $r: String!, $v: [InputEnvironmentVariable]!) { updateDeploymentVariables(deploymentUuid: $d, releaseName: $r, environmentVariables: $v) { key } }",
        json!({ "d": dep, "r": release, "v": vars }),
    );
}

/// A: Data Platform → Core ETL (the first row) → a tab by number.
fn open_core_etl(tui: &mut Tui, tab: &str) {
    tui.wait_for("Data Platform");
    tui.send("/Data Platform");
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Core ETL");
    tui.send(ENTER);
    tui.wait_for("scheduler");
    if !tab.is_empty() {
        tui.send(tab);
    }
}

/// A: `e` on SNOWFLAKE_ACCOUNT (second by name), its value replaced by `value`.
fn a_edits_snowflake_account(tui: &mut Tui, value: &str) {
    tui.wait_for("SNOWFLAKE_ACCOUNT");
    tui.send("j");
    tui.send("e");
    tui.wait_for("Edit SNOWFLAKE_ACCOUNT");
    tui.send(TAB);
    tui.send(TAB);
    for _ in 0.."acme-eu1".len() {
        tui.send(BACKSPACE);
    }
    tui.send(value);
}

#[test]
fn variables_added_by_someone_else_are_not_deleted() {
    let server = Server::demo();
    let (dep, release) = core_etl(&server);
    let mut tui = logged_in(&server, &[]);
    open_core_etl(&mut tui, "2");
    a_edits_snowflake_account(&mut tui, "acme-us2");
    // B adds a variable while A's form is open.
    b_sets_variable(&server, &dep, &release, "B_ONLY", "1");
    tui.send(CTRL_S);
    let screen = tui.wait_for("SNOWFLAKE_ACCOUNT: acme-eu1 → acme-us2");
    assert!(
        !screen.contains("- B_ONLY"),
        "B_ONLY is not removed:\n{screen}"
    );
    assert!(screen.contains("kept: B_ONLY"), "{screen}");
    assert!(screen.contains("3 variables unchanged"), "{screen}");
    // A leaves the review open; B saves again meanwhile.
    b_sets_variable(&server, &dep, &release, "B_LATER", "2");
    tui.send(ENTER);
    tui.wait_for("Changed on the server while you were reviewing, kept: B_LATER");
    tui.send(ENTER);
    tui.wait_for("Saved 5 environment variables");
    let vars = variables(&server, &dep);
    assert_eq!(value_of(&vars, "B_ONLY").as_deref(), Some("1"));
    assert_eq!(value_of(&vars, "B_LATER").as_deref(), Some("2"));
    assert_eq!(
        value_of(&vars, "SNOWFLAKE_ACCOUNT").as_deref(),
        Some("acme-us2")
    );
    assert_eq!(
        server
            .handle()
            .stored_env_value(&dep, "SNOWFLAKE_PASSWORD")
            .unwrap()
            .as_deref(),
        Some("s3cr3t-snowflake"),
        "the secret keeps its value"
    );
}

#[test]
fn the_same_variable_changed_by_both_is_a_conflict() {
    let server = Server::demo();
    let (dep, release) = core_etl(&server);
    let mut tui = logged_in(&server, &[]);
    open_core_etl(&mut tui, "2");
    a_edits_snowflake_account(&mut tui, "acme-us2");
    b_sets_variable(&server, &dep, &release, "SNOWFLAKE_ACCOUNT", "acme-b");
    tui.send(CTRL_S);
    let screen = tui.wait_for("changed on the server since you opened the form");
    assert!(screen.contains("Nothing was sent"), "{screen}");
    assert!(
        screen.contains("acme-b") && screen.contains("acme-us2"),
        "{screen}"
    );
    std::thread::sleep(Duration::from_millis(500));
    let vars = variables(&server, &dep);
    assert_eq!(
        value_of(&vars, "SNOWFLAKE_ACCOUNT").as_deref(),
        Some("acme-b"),
        "nothing is sent while the conflict is open"
    );
    // Keep mine: reviewed against B's value, then applied.
    tui.send("m");
    tui.wait_for("SNOWFLAKE_ACCOUNT: acme-b → acme-us2");
    tui.send(ENTER);
    tui.wait_for("Saved 3 environment variables");
    assert_eq!(
        value_of(&variables(&server, &dep), "SNOWFLAKE_ACCOUNT").as_deref(),
        Some("acme-us2")
    );
}

#[test]
fn deployment_settings_changed_by_someone_else_are_kept() {
    let server = Server::demo();
    let (dep, _) = core_etl(&server);
    let token = server.admin_token();
    let read = |server: &Server| {
        server.graphql(
            &token,
            "query($id: String!) { deployment(where: {id: $id}) { description config } }",
            json!({ "id": dep }),
        )["deployment"]
            .clone()
    };
    let mut tui = logged_in(&server, &[]);
    open_core_etl(&mut tui, "");
    tui.send("e");
    tui.wait_for("Edit Core ETL");
    // B sets the workers to 7 replicas.
    let mut config = read(&server)["config"].clone();
    config["workers"]["replicas"] = json!(7);
    server.graphql(
        &token,
        "mutation($d: Uuid!, $c: JSON) { updateDeployment(deploymentUuid: $d, config: $c) { id } }",
        json!({ "d": dep, "c": config }),
    );
    // A changes only the description.
    tui.send(TAB);
    tui.send(" (A)");
    tui.send(CTRL_S);
    let screen = tui.wait_for("Description:");
    assert!(!screen.contains("~ Workers"), "{screen}");
    assert!(screen.contains("kept: Workers"), "{screen}");
    tui.send(ENTER);
    tui.wait_for("Saved Core ETL");
    let d = read(&server);
    assert_eq!(
        d["config"]["workers"]["replicas"],
        json!(7),
        "B's workers kept"
    );
    assert_eq!(d["description"], json!("Nightly warehouse loads (A)"));
}

fn role_of(server: &Server, ws: &str, email: &str) -> String {
    let data = server.graphql(
        &server.admin_token(),
        "query($w: Uuid!) { workspaceUsers(workspaceUuid: $w) { emails { address } roleBindings { role workspace { id } } } }",
        json!({ "w": ws }),
    );
    let user = data["workspaceUsers"]
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
        .find(|b| b["workspace"]["id"] == ws)
        .unwrap()["role"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_role_changed_by_both_is_a_conflict_and_nothing_is_sent() {
    let server = Server::demo();
    let ws = workspace_id(&server, "Data Platform");
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");
    tui.send("/Data Platform");
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Core ETL");
    tui.send("2");
    tui.wait_for("linus@astrodash.local");
    tui.send("/linus");
    tui.send(ENTER);
    tui.send("e");
    tui.wait_for("Workspace role of linus@astrodash.local");
    // B makes Linus an admin; A lowers him to Viewer.
    server.graphql(
        &server.admin_token(),
        "mutation($w: Uuid!, $e: String!, $r: Role!) { workspaceUpdateUserRole(workspaceUuid: $w, email: $e, role: $r) }",
        json!({ "w": ws, "e": "linus@astrodash.local", "r": "WORKSPACE_ADMIN" }),
    );
    tui.send(LEFT);
    tui.send(CTRL_S);
    let screen = tui.wait_for("Nothing was sent");
    assert!(
        screen.contains("Admin") && screen.contains("Viewer"),
        "{screen}"
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        role_of(&server, &ws, "linus@astrodash.local"),
        "WORKSPACE_ADMIN"
    );
    // Take theirs: nothing sent, B's role stays.
    tui.send("t");
    tui.wait_for("Kept what the server holds: nothing was sent");
    assert_eq!(
        role_of(&server, &ws, "linus@astrodash.local"),
        "WORKSPACE_ADMIN"
    );
}

#[test]
fn a_service_account_keeps_the_role_someone_else_set() {
    let server = Server::demo();
    let ws = workspace_id(&server, "Data Platform");
    let token = server.admin_token();
    let accounts = |server: &Server| {
        server.graphql(
            &token,
            "query($w: Uuid!) { workspaceServiceAccounts(workspaceUuid: $w) { id label category roleBinding { role } } }",
            json!({ "w": ws }),
        )["workspaceServiceAccounts"]
            .as_array()
            .unwrap()
            .clone()
    };
    let ci = accounts(&server)
        .into_iter()
        .find(|a| a["label"] == "ci-deployer")
        .unwrap();
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");
    tui.send("/Data Platform");
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Core ETL");
    tui.send("5");
    tui.wait_for("ci-deployer");
    tui.send("/ci-deployer");
    tui.send(ENTER);
    tui.send("e");
    tui.wait_for("Service account ci-deployer");
    // B makes it a viewer; A renames it.
    server.graphql(
        &token,
        "mutation($s: Uuid!, $w: Uuid!, $p: JSON!) { updateWorkspaceServiceAccount(serviceAccountUuid: $s, workspaceUuid: $w, payload: $p) { id } }",
        json!({ "s": ci["id"], "w": ws, "p": { "label": "ci-deployer", "category": "CI/CD", "role": "WORKSPACE_VIEWER" } }),
    );
    tui.send("-v2");
    tui.send(CTRL_S);
    tui.wait_for("Saved service account ci-deployer-v2");
    let now = accounts(&server)
        .into_iter()
        .find(|a| a["id"] == ci["id"])
        .unwrap();
    assert_eq!(now["label"], json!("ci-deployer-v2"));
    assert_eq!(
        now["roleBinding"]["role"],
        json!("WORKSPACE_VIEWER"),
        "B's role kept"
    );
}

#[test]
fn importing_a_plain_env_onto_a_secret_keeps_it_secret() {
    let server = Server::demo();
    let (dep, _) = core_etl(&server);
    let mut tui = logged_in(&server, &[]);
    let file = tui.home().join("prod.env");
    std::fs::write(&file, "SNOWFLAKE_PASSWORD=n3w-pass\nNEW_PLAIN=1\n").unwrap();
    open_core_etl(&mut tui, "2");
    tui.wait_for("SNOWFLAKE_PASSWORD");
    tui.send("i");
    tui.wait_for("Import a .env file");
    tui.send(file.to_str().unwrap());
    tui.send(CTRL_S);
    tui.wait_for("stays secret");
    tui.send(ENTER);
    tui.wait_for("Saved 4 environment variables");
    let vars = variables(&server, &dep);
    let secret = vars
        .iter()
        .find(|v| v["key"] == "SNOWFLAKE_PASSWORD")
        .unwrap();
    assert_eq!(secret["isSecret"], json!(true), "still secret: {secret}");
    assert_eq!(
        server
            .handle()
            .stored_env_value(&dep, "SNOWFLAKE_PASSWORD")
            .unwrap()
            .as_deref(),
        Some("n3w-pass")
    );
    // A workspace viewer cannot read it.
    let vera = server.handle().issue_token("vera@astrodash.local").unwrap();
    let seen = server.graphql(
        &vera,
        "query($d: Uuid!) { deploymentVariables(deploymentUuid: $d) { key value isSecret } }",
        json!({ "d": dep }),
    );
    let text = seen.to_string();
    assert!(!text.contains("n3w-pass"), "{text}");
}

fn deployment_role_of(server: &Server, dep: &str, email: &str) -> String {
    let data = server.graphql(
        &server.admin_token(),
        "query($d: Id!) { deploymentUsers(deploymentId: $d) { emails { address } roleBindings { role deployment { id } } } }",
        json!({ "d": dep }),
    );
    let user = data["deploymentUsers"]
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
        .find(|b| b["deployment"]["id"] == dep)
        .unwrap()["role"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_deployment_role_conflict_then_keep_mine() {
    let server = Server::demo();
    let (dep, _) = core_etl(&server);
    let token = server.admin_token();
    server.graphql(
        &token,
        "mutation($d: Id!, $e: String!, $r: Role!) { deploymentAddUserRole(deploymentId: $d, email: $e, role: $r) { id } }",
        json!({ "d": dep, "e": "linus@astrodash.local", "r": "DEPLOYMENT_VIEWER" }),
    );
    let mut tui = logged_in(&server, &[]);
    open_core_etl(&mut tui, "3");
    tui.wait_for("linus@astrodash.local");
    tui.send("/linus");
    tui.send(ENTER);
    tui.send("e");
    tui.wait_for("Deployment role of linus@astrodash.local");
    // B makes Linus an admin of the deployment; A makes him an editor.
    server.graphql(
        &token,
        "mutation($d: Id!, $e: String!, $r: Role!) { deploymentUpdateUserRole(deploymentId: $d, email: $e, role: $r) { id } }",
        json!({ "d": dep, "e": "linus@astrodash.local", "r": "DEPLOYMENT_ADMIN" }),
    );
    tui.send("\x1b[C");
    tui.send(CTRL_S);
    tui.wait_for("Nothing was sent");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        deployment_role_of(&server, &dep, "linus@astrodash.local"),
        "DEPLOYMENT_ADMIN"
    );
    // Keep mine: read again, unchanged since, so sent.
    tui.send("m");
    tui.wait_for("linus@astrodash.local is now Editor");
    assert_eq!(
        deployment_role_of(&server, &dep, "linus@astrodash.local"),
        "DEPLOYMENT_EDITOR"
    );
}
