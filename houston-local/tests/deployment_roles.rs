//! Callers whose only role is on one deployment — a user with a `DEPLOYMENT_*` binding and no
//! workspace role, and a deployment service account's key — get what Houston gives them: their
//! bindings from `self` (a user), no workspace, no platform-wide list, and their deployment by id
//! or release name.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::json;

const SELF_Q: &str = "{ self { user { id roleBindings { role deployment { id label releaseName \
                      workspace { id label } } } } } }";
const DEPLOYMENT_Q: &str = "query($id: String!) { deployment(where: {id: $id}) { id label } }";
const BY_RELEASE_Q: &str =
    "query($r: String!) { deployment(where: {releaseName: $r}) { id label } }";

/// Dan's seeded workspace role (viewer of Sandbox) taken away: his one role is DEPLOYMENT_EDITOR
/// on Campaign Attribution.
pub async fn dan_with_a_deployment_role_only(s: &Srv) {
    let sandbox = s.workspace_id("Sandbox").await;
    let me = s.ok(DAN, "{ self { user { id } } }", json!({})).await;
    let dan = me["self"]["user"]["id"].as_str().unwrap().to_string();
    s.ok(
        ADMIN,
        "mutation($w: Uuid!, $u: Uuid!) { workspaceRemoveUser(workspaceUuid: $w, userUuid: $u) { id } }",
        json!({"w": sandbox, "u": dan}),
    )
    .await;
}

#[tokio::test]
async fn a_deployment_only_user_finds_the_deployment_in_self_and_reads_it() {
    let s = seeded().await;
    dan_with_a_deployment_role_only(&s).await;
    let (dep, release) = s.deployment("Campaign Attribution").await;
    let mkt = s.workspace_id("Marketing Analytics").await;

    let me = s.ok(DAN, SELF_Q, json!({})).await;
    let bindings = me["self"]["user"]["roleBindings"]
        .as_array()
        .unwrap()
        .clone();
    let on_deployment: Vec<_> = bindings
        .iter()
        .filter(|b| b["deployment"].is_object())
        .collect();
    assert_eq!(on_deployment.len(), 1, "{me}");
    let b = on_deployment[0];
    assert_eq!(b["role"], "DEPLOYMENT_EDITOR", "{me}");
    assert_eq!(b["deployment"]["id"], dep.as_str());
    assert_eq!(b["deployment"]["label"], "Campaign Attribution");
    assert_eq!(b["deployment"]["releaseName"], release.as_str());
    // The deployment's workspace is named, though the user has no role on it.
    assert_eq!(b["deployment"]["workspace"]["id"], mkt.as_str());
    assert_eq!(b["deployment"]["workspace"]["label"], "Marketing Analytics");

    // No workspace is theirs; the workspace's list and the platform's are refused.
    let ws = s.ok(DAN, "{ workspaces { id } }", json!({})).await;
    assert_eq!(ws["workspaces"], json!([]), "{ws}");
    let list = s
        .gql(
            DAN,
            "query($w: Uuid!) { workspaceDeployments(workspaceUuid: $w) { id } }",
            json!({"w": mkt}),
        )
        .await;
    assert_forbidden(&list, "workspaceDeployments");
    let all = s
        .gql(DAN, "{ paginatedDeployments(take: -1) { id } }", json!({}))
        .await;
    assert_forbidden(&all, "paginatedDeployments");

    // The deployment itself, by id and by release name.
    let d = s.ok(DAN, DEPLOYMENT_Q, json!({"id": dep})).await;
    assert_eq!(d["deployment"]["label"], "Campaign Attribution");
    let d = s.ok(DAN, BY_RELEASE_Q, json!({"r": release})).await;
    assert_eq!(d["deployment"]["id"], dep.as_str());
    s.h.shutdown().await;
}

#[tokio::test]
async fn a_deployment_service_account_key_reads_its_deployment_and_nothing_else() {
    let s = seeded().await;
    let (dep, release) = s.deployment("Campaign Attribution").await;
    let (other, _) = s.deployment("Core ETL").await;
    let created = s
        .ok(
            ADMIN,
            "mutation($d: Uuid!) { createDeploymentServiceAccount(label: \"ci\", category: \"CI\", \
             deploymentUuid: $d, role: DEPLOYMENT_VIEWER) { apiKey } }",
            json!({"d": dep}),
        )
        .await;
    let key = created["createDeploymentServiceAccount"]["apiKey"]
        .as_str()
        .unwrap()
        .to_string();
    let as_key = |q: &'static str, v: serde_json::Value| {
        let (s, key) = (&s, key.clone());
        async move { s.raw(Some(&key), q, v).await }
    };

    // A key has no user: `self` names no binding (as Houston), and no workspace is listed.
    let me = as_key("{ self { user { id } } }", json!({})).await;
    assert!(me.get("errors").is_none(), "{me}");
    assert!(me["data"]["self"]["user"].is_null(), "{me}");
    let ws = as_key("{ workspaces { id } }", json!({})).await;
    assert_eq!(ws["data"]["workspaces"], json!([]), "{ws}");
    let all = as_key("{ paginatedDeployments(take: -1) { id } }", json!({})).await;
    assert_forbidden(&all, "paginatedDeployments");

    // Its deployment, by id or release name; another deployment is refused.
    let d = as_key(DEPLOYMENT_Q, json!({"id": dep})).await;
    assert_eq!(
        d["data"]["deployment"]["label"], "Campaign Attribution",
        "{d}"
    );
    let d = as_key(BY_RELEASE_Q, json!({"r": release})).await;
    assert_eq!(d["data"]["deployment"]["id"], dep.as_str(), "{d}");
    let d = as_key(DEPLOYMENT_Q, json!({"id": other})).await;
    assert_forbidden(&d, "deployment");
    s.h.shutdown().await;
}
