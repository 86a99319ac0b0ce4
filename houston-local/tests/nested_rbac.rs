//! Nested fields check the caller's permission on the entity they expose (not just the root).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

/// (path, code) of every error in a response.
fn errors(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    let path = e["path"]
                        .as_array()
                        .map(|p| {
                            p.iter()
                                .map(|x| match x {
                                    Value::String(s) => s.clone(),
                                    other => other.to_string(),
                                })
                                .collect::<Vec<_>>()
                                .join(".")
                        })
                        .unwrap_or_default();
                    let code = e["extensions"]["code"].as_str().unwrap_or("").to_string();
                    (path, code)
                })
                .collect()
        })
        .unwrap_or_default()
}

const DAN_Q: &str = "query($id: String!) { deployment(where: {id: $id}) { id label environmentVariables { key } workspace { id label invites { token email role } users { emails { address } } deployments { environmentVariables { key value } } serviceAccounts { label } roleBindings { role } } } }";

#[tokio::test]
async fn deployment_editor_cannot_reach_workspace_data_through_deployment() {
    let s = seeded().await;
    let (dep, _) = s.deployment("Campaign Attribution").await;
    let b = s.gql(DAN, DAN_Q, json!({"id": dep})).await;
    let d = &b["data"]["deployment"];
    // The deployment itself and its workspace's id/label stay readable.
    assert_eq!(d["label"], "Campaign Attribution", "{b}");
    assert!(d["environmentVariables"].is_array(), "{b}");
    let w = &d["workspace"];
    assert_eq!(w["label"], "Marketing Analytics", "{b}");
    for f in [
        "invites",
        "users",
        "deployments",
        "serviceAccounts",
        "roleBindings",
    ] {
        assert!(w[f].is_null(), "{f} leaked: {b}");
    }
    let errs = errors(&b);
    assert_eq!(errs.len(), 5, "{b}");
    for (path, code) in &errs {
        assert!(path.starts_with("deployment.workspace."), "{path}");
        assert_eq!(code, "FORBIDDEN");
    }
    assert!(!b.to_string().contains("contractor@example.com"), "{b}");

    // A system admin sees everything through the same path.
    let a = s.ok(ADMIN, DAN_Q, json!({"id": dep})).await;
    let w = &a["deployment"]["workspace"];
    assert_eq!(w["invites"][0]["email"], "contractor@example.com");
    assert!(
        w["invites"][0]["token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert!(!w["users"].as_array().unwrap().is_empty());
    assert!(!w["deployments"].as_array().unwrap().is_empty());
    s.h.shutdown().await;
}

const VERA_Q: &str = "query($w: Uuid!) { workspaceUsers(workspaceUuid: $w) { username roleBindings { role workspace { id deployments { environmentVariables { key value } } invites { token } } deployment { id } } } }";

#[tokio::test]
async fn workspace_viewer_cannot_reach_other_workspaces_through_role_bindings() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let mk = s.workspace_id("Marketing Analytics").await;
    let ml = s.workspace_id("ML Research").await;
    let b = s.gql(VERA, VERA_Q, json!({"w": dp})).await;
    let users = b["data"]["workspaceUsers"].as_array().unwrap();
    let mut seen = Vec::new();
    for u in users {
        for rb in u["roleBindings"].as_array().unwrap() {
            if let Some(id) = rb["workspace"]["id"].as_str() {
                seen.push(id.to_string());
            }
            assert!(
                rb["role"].as_str().unwrap().starts_with("WORKSPACE"),
                "{rb}"
            );
        }
        if u["username"] == "grace@astrodash.local" {
            // grace is also admin of ML Research: vera must not see that binding.
            assert_eq!(u["roleBindings"].as_array().unwrap().len(), 1, "{u}");
        }
    }
    assert!(seen.contains(&dp));
    assert!(!seen.contains(&ml), "{b}");
    assert!(seen.iter().all(|w| *w == dp || *w == mk), "{b}");
    // Invite tokens are never readable by a viewer.
    assert!(!b.to_string().contains("\"token\":\""), "{b}");
    for (path, code) in errors(&b) {
        assert!(path.ends_with(".invites"), "{path}");
        assert_eq!(code, "FORBIDDEN");
    }

    // Directly asking for the invites of a workspace she can see is forbidden too.
    let b = s
        .gql(
            VERA,
            "{ workspaces { label invites { token } } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&b), "FORBIDDEN");
    assert!(!b.to_string().contains("\"token\":\""), "{b}");

    // The admin sees every binding, including ML Research.
    let a = s.ok(ADMIN, VERA_Q, json!({"w": dp})).await;
    assert!(a.to_string().contains(&ml));
    s.h.shutdown().await;
}

#[tokio::test]
async fn role_binding_references_and_sa_bindings_are_checked() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    // dan sees his own bindings, including the deployment one, but not other users' ones.
    let me = s
        .ok(
            DAN,
            "{ self { user { roleBindings { role workspace { label } deployment { label } } } } }",
            json!({}),
        )
        .await;
    let rbs = me["self"]["user"]["roleBindings"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rbs.len(), 2, "{me}");
    assert!(
        rbs.iter()
            .any(|r| r["deployment"]["label"] == "Campaign Attribution")
    );
    assert!(rbs.iter().any(|r| r["workspace"]["label"] == "Sandbox"));

    // Service-account bindings are visible to workspace viewers of that workspace.
    let d = s
        .ok(
            VERA,
            "query($w: Uuid!) { workspaceServiceAccounts(workspaceUuid: $w) { label roleBinding { role } roleBindings { role } } }",
            json!({"w": dp}),
        )
        .await;
    let sa = &d["workspaceServiceAccounts"][0];
    assert_eq!(sa["roleBinding"]["role"], "WORKSPACE_EDITOR", "{d}");
    assert_eq!(sa["roleBindings"].as_array().unwrap().len(), 1);

    // Invite tokens: the workspace admin sees them, the editor cannot list invites at all.
    let g = s
        .ok(
            GRACE,
            "query($w: Uuid!) { workspace(workspaceUuid: $w) { invites { token } } workspaceInvites(workspaceUuid: $w) { token } }",
            json!({"w": dp}),
        )
        .await;
    assert!(g["workspace"]["invites"][0]["token"].as_str().is_some());
    assert!(g["workspaceInvites"][0]["token"].as_str().is_some());
    let l = s
        .gql(
            LINUS,
            "query($w: Uuid!) { workspace(workspaceUuid: $w) { label invites { token } } }",
            json!({"w": dp}),
        )
        .await;
    assert_eq!(code(&l), "FORBIDDEN");
    assert_eq!(l["data"]["workspace"]["label"], "Data Platform");
    assert!(l["data"]["workspace"]["invites"].is_null());
    s.h.shutdown().await;
}

const CREATE_WS_SA: &str = "mutation($w: Uuid!, $l: String!, $r: Role!) { createWorkspaceServiceAccount(label: $l, workspaceUuid: $w, role: $r) { id roleBinding { role } } }";
const UPDATE_WS_SA: &str = "mutation($w: Uuid!, $id: Uuid!, $p: JSON!) { updateWorkspaceServiceAccount(serviceAccountUuid: $id, workspaceUuid: $w, payload: $p) { id roleBinding { role } } }";
const CREATE_DEP_SA: &str = "mutation($d: Uuid!, $l: String!, $r: Role!) { createDeploymentServiceAccount(label: $l, deploymentUuid: $d, role: $r) { id roleBinding { role } } }";
const UPDATE_DEP_SA: &str = "mutation($d: Uuid!, $id: Uuid!, $p: JSON!) { updateDeploymentServiceAccount(serviceAccountUuid: $id, deploymentUuid: $d, payload: $p) { id roleBinding { role } } }";

async fn ws_sa_labels(s: &Srv, ws: &str) -> Vec<String> {
    let d = s
        .ok(
            ADMIN,
            "query($w: Uuid!) { workspaceServiceAccounts(workspaceUuid: $w) { label roleBinding { role } } }",
            json!({"w": ws}),
        )
        .await;
    d["workspaceServiceAccounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            format!(
                "{}:{}",
                x["label"].as_str().unwrap(),
                x["roleBinding"]["role"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn workspace_service_account_role_cannot_exceed_callers() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let before = ws_sa_labels(&s, &dp).await;
    // An editor cannot mint an admin key…
    let b = s
        .gql(
            LINUS,
            CREATE_WS_SA,
            json!({"w": dp, "l": "evil", "r": "WORKSPACE_ADMIN"}),
        )
        .await;
    assert_forbidden(&b, "createWorkspaceServiceAccount");
    assert_eq!(ws_sa_labels(&s, &dp).await, before, "nothing created");
    // …but may create one with its own role or less, and may not promote it.
    let d = s
        .ok(
            LINUS,
            CREATE_WS_SA,
            json!({"w": dp, "l": "ok", "r": "WORKSPACE_EDITOR"}),
        )
        .await;
    let id = d["createWorkspaceServiceAccount"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b = s
        .gql(
            LINUS,
            UPDATE_WS_SA,
            json!({"w": dp, "id": id, "p": {"role": "WORKSPACE_ADMIN", "label": "renamed"}}),
        )
        .await;
    assert_forbidden(&b, "updateWorkspaceServiceAccount");
    assert!(
        ws_sa_labels(&s, &dp)
            .await
            .contains(&"ok:WORKSPACE_EDITOR".to_string())
    );
    let d = s
        .ok(
            LINUS,
            UPDATE_WS_SA,
            json!({"w": dp, "id": id, "p": {"role": "WORKSPACE_VIEWER"}}),
        )
        .await;
    assert_eq!(
        d["updateWorkspaceServiceAccount"]["roleBinding"]["role"],
        "WORKSPACE_VIEWER"
    );
    // A workspace admin and a system admin may grant WORKSPACE_ADMIN.
    s.ok(
        GRACE,
        CREATE_WS_SA,
        json!({"w": dp, "l": "g", "r": "WORKSPACE_ADMIN"}),
    )
    .await;
    s.ok(
        ADMIN,
        UPDATE_WS_SA,
        json!({"w": dp, "id": id, "p": {"role": "WORKSPACE_ADMIN"}}),
    )
    .await;
    s.h.shutdown().await;
}

#[tokio::test]
async fn deployment_service_account_role_cannot_exceed_callers() {
    let s = seeded().await;
    let (ca, _) = s.deployment("Campaign Attribution").await;
    let (core, _) = s.deployment("Core ETL").await;
    let count = |d: &Value| d["deploymentServiceAccounts"].as_array().unwrap().len();
    let list = "query($d: Uuid!) { deploymentServiceAccounts(deploymentUuid: $d) { id } }";
    let before = count(&s.ok(ADMIN, list, json!({"d": ca})).await);
    // DEPLOYMENT_EDITOR (dan) and WORKSPACE_EDITOR's synthetic DEPLOYMENT_EDITOR (linus).
    for (who, dep) in [(DAN, &ca), (LINUS, &core)] {
        let b = s
            .gql(
                who,
                CREATE_DEP_SA,
                json!({"d": dep, "l": "evil", "r": "DEPLOYMENT_ADMIN"}),
            )
            .await;
        assert_forbidden(&b, "createDeploymentServiceAccount");
    }
    assert_eq!(count(&s.ok(ADMIN, list, json!({"d": ca})).await), before);
    let d = s
        .ok(
            DAN,
            CREATE_DEP_SA,
            json!({"d": ca, "l": "ok", "r": "DEPLOYMENT_EDITOR"}),
        )
        .await;
    let id = d["createDeploymentServiceAccount"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b = s
        .gql(
            DAN,
            UPDATE_DEP_SA,
            json!({"d": ca, "id": id, "p": {"role": "DEPLOYMENT_ADMIN"}}),
        )
        .await;
    assert_forbidden(&b, "updateDeploymentServiceAccount");
    let d = s
        .ok(ADMIN, UPDATE_DEP_SA, json!({"d": ca, "id": id, "p": {}}))
        .await;
    assert_eq!(
        d["updateDeploymentServiceAccount"]["roleBinding"]["role"],
        "DEPLOYMENT_EDITOR"
    );
    s.ok(
        ADMIN,
        UPDATE_DEP_SA,
        json!({"d": ca, "id": id, "p": {"role": "DEPLOYMENT_ADMIN"}}),
    )
    .await;
    s.h.shutdown().await;
}
