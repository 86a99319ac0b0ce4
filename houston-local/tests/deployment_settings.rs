//! What hangs off a deployment: its environment variables, its users' roles and its service
//! accounts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn environment_variables() {
    let s = seeded().await;
    let (id, rn) = s.deployment("Core ETL").await;
    let q = "query($d: Uuid!, $r: String) { deploymentVariables(deploymentUuid: $d, releaseName: $r) { key value isSecret } }";
    let d = s.ok(VERA, q, json!({"d": id, "r": rn})).await;
    assert_eq!(
        d["deploymentVariables"],
        json!([
            {"key": "AIRFLOW__CORE__PARALLELISM", "value": "64", "isSecret": false},
            {"key": "SNOWFLAKE_ACCOUNT", "value": "acme-eu1", "isSecret": false},
            {"key": "SNOWFLAKE_PASSWORD", "value": "", "isSecret": true}
        ])
    );
    let (ml, _) = s.deployment("Feature Store").await;
    assert_forbidden(
        &s.gql(VERA, q, json!({"d": ml})).await,
        "deploymentVariables",
    );

    let up = "mutation($d: Uuid!, $r: String, $vars: [InputEnvironmentVariable]!) { updateDeploymentVariables(deploymentUuid: $d, releaseName: $r, environmentVariables: $vars) { key value isSecret } }";
    // Full replacement: PARALLELISM dropped, secret kept by sending "" back, new secret added.
    let d = s
        .ok(
            LINUS,
            up,
            json!({"d": id, "r": rn, "vars": [
                {"key": "ZED", "value": "last", "isSecret": false},
                {"key": "SNOWFLAKE_PASSWORD", "value": "", "isSecret": true},
                {"key": "API_TOKEN", "value": "tok", "isSecret": true},
                {"key": "SNOWFLAKE_ACCOUNT", "value": "acme-us1", "isSecret": false}
            ]}),
        )
        .await;
    assert_eq!(
        d["updateDeploymentVariables"],
        json!([
            {"key": "API_TOKEN", "value": "", "isSecret": true},
            {"key": "SNOWFLAKE_ACCOUNT", "value": "acme-us1", "isSecret": false},
            {"key": "SNOWFLAKE_PASSWORD", "value": "", "isSecret": true},
            {"key": "ZED", "value": "last", "isSecret": false}
        ])
    );
    // The stored secret survived: un-secret it to reveal the value.
    let d = s.ok(LINUS, up, json!({"d": id, "vars": [{"key": "SNOWFLAKE_PASSWORD", "value": "", "isSecret": true}]})).await;
    assert_eq!(d["updateDeploymentVariables"].as_array().unwrap().len(), 1);
    let reveal = s.ok(LINUS, up, json!({"d": id, "vars": [{"key": "SNOWFLAKE_PASSWORD", "value": "s3cr3t-snowflake", "isSecret": false}]})).await;
    assert_eq!(
        reveal["updateDeploymentVariables"][0]["value"],
        "s3cr3t-snowflake"
    );

    let before = s.ok(ADMIN, q, json!({"d": id})).await;
    let bad: Vec<(Value, &str)> = vec![
        (
            json!([{"key": "lower", "value": "x"}]),
            "Invalid Environment Variable Key: lower (use alphanumeric and underscores)",
        ),
        (
            json!([{"key": "1ABC", "value": "x"}]),
            "Invalid Environment Variable Key: 1ABC",
        ),
        (
            json!([{"key": "___", "value": "x"}]),
            "Invalid Environment Variable Key: ___",
        ),
        (
            json!([{"key": "OK", "value": "x"}, {"key": "A-B", "value": "x"}]),
            "Invalid Environment Variable Key: A-B",
        ),
        (
            json!([{"key": "AIRFLOW__CORE__FERNET_KEY", "value": "x"}]),
            "AIRFLOW__CORE__FERNET_KEY is set automatically and cannot be overridden",
        ),
        (
            json!([{"key": "AIRFLOW__KUBERNETES__NAMESPACE", "value": "x"}]),
            "is set automatically",
        ),
        (
            json!([{"key": "DUP", "value": "x"}, {"key": "DUP", "value": "y"}]),
            "Duplicate",
        ),
    ];
    for (vars, text) in bad {
        let b = s.gql(LINUS, up, json!({"d": id, "vars": vars})).await;
        if text == "Duplicate" {
            assert_bad_input(&b, text);
        } else {
            // Houston raises key errors as plain Errors (INTERNAL_SERVER_ERROR).
            assert!(message(&b).contains(text), "{b}");
            assert_eq!(code(&b), "INTERNAL_SERVER_ERROR", "{b}");
        }
    }
    assert_forbidden(
        &s.gql(VERA, up, json!({"d": id, "vars": []})).await,
        "updateDeploymentVariables",
    );
    assert_eq!(s.ok(ADMIN, q, json!({"d": id})).await, before);
    // Empty list clears everything.
    let d = s.ok(LINUS, up, json!({"d": id, "vars": []})).await;
    assert_eq!(d["updateDeploymentVariables"], json!([]));
}

#[tokio::test]
async fn deployment_user_roles() {
    let s = seeded().await;
    let (id, _) = s.deployment("Campaign Attribution").await;
    let users = "query($deploymentId: Id!) { deploymentUsers(deploymentId: $deploymentId, user: {userId: \"\", email: \"\", fullName: \"\"}) { username roleBindings { role deployment { id } } } }";
    let d = s.ok(LINUS, users, json!({"deploymentId": id})).await;
    assert_eq!(d["deploymentUsers"][0]["username"], "dan");
    let (ml, _) = s.deployment("Feature Store").await;
    assert_forbidden(
        &s.gql(VERA, users, json!({"deploymentId": ml})).await,
        "deploymentUsers",
    );

    let add = "mutation($e: String!, $d: Id!, $r: Role!) { deploymentAddUserRole(email: $e, deploymentId: $d, role: $r) { id role user { username } deployment { id releaseName } } }";
    let upd = "mutation($e: String!, $d: Id!, $r: Role!) { deploymentUpdateUserRole(email: $e, deploymentId: $d, role: $r) { id role user { username } } }";
    let rm = "mutation($e: String!, $d: Id!) { deploymentRemoveUserRole(email: $e, deploymentId: $d) { id role } }";
    // Workspace admins of Marketing? None besides system admin; LINUS (editor) lacks userRoles.update.
    assert_forbidden(
        &s.gql(
            LINUS,
            add,
            json!({"e": SAM, "d": id, "r": "DEPLOYMENT_VIEWER"}),
        )
        .await,
        "deploymentAddUserRole",
    );
    let d = s
        .ok(
            ADMIN,
            add,
            json!({"e": SAM, "d": id, "r": "DEPLOYMENT_VIEWER"}),
        )
        .await;
    assert_eq!(d["deploymentAddUserRole"]["role"], "DEPLOYMENT_VIEWER");
    assert_eq!(d["deploymentAddUserRole"]["deployment"]["id"], id);
    assert_bad_input(
        &s.gql(
            ADMIN,
            add,
            json!({"e": SAM, "d": id, "r": "DEPLOYMENT_VIEWER"}),
        )
        .await,
        "A duplicate role binding already exists",
    );
    assert_bad_input(
        &s.gql(
            ADMIN,
            add,
            json!({"e": VERA, "d": id, "r": "WORKSPACE_ADMIN"}),
        )
        .await,
        "Invalid role",
    );
    assert_eq!(
        code(
            &s.gql(
                ADMIN,
                add,
                json!({"e": "ghost@x.io", "d": id, "r": "DEPLOYMENT_VIEWER"})
            )
            .await
        ),
        "RESOURCE_NOT_FOUND"
    );
    let d = s
        .ok(
            ADMIN,
            upd,
            json!({"e": SAM, "d": id, "r": "DEPLOYMENT_ADMIN"}),
        )
        .await;
    assert_eq!(d["deploymentUpdateUserRole"]["role"], "DEPLOYMENT_ADMIN");
    // SAM is now DEPLOYMENT_ADMIN there and may manage roles on it.
    let d = s
        .ok(
            SAM,
            upd,
            json!({"e": DAN, "d": id, "r": "DEPLOYMENT_VIEWER"}),
        )
        .await;
    assert_eq!(d["deploymentUpdateUserRole"]["role"], "DEPLOYMENT_VIEWER");
    assert_bad_input(
        &s.gql(
            ADMIN,
            upd,
            json!({"e": VERA, "d": id, "r": "DEPLOYMENT_VIEWER"}),
        )
        .await,
        "The role binding does not exist for this user",
    );
    assert_forbidden(
        &s.gql(DAN, rm, json!({"e": SAM, "d": id})).await,
        "deploymentRemoveUserRole",
    );
    let d = s.ok(ADMIN, rm, json!({"e": SAM, "d": id})).await;
    assert_eq!(d["deploymentRemoveUserRole"]["role"], "DEPLOYMENT_ADMIN");
    assert_bad_input(
        &s.gql(ADMIN, rm, json!({"e": SAM, "d": id})).await,
        "does not exist",
    );
    let d = s.ok(ADMIN, users, json!({"deploymentId": id})).await;
    assert_eq!(d["deploymentUsers"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn service_accounts() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let (dep, _) = s.deployment("Core ETL").await;
    let fields = "id label apiKey category active lastUsedAt entityType entityUuid workspaceUuid deploymentUuid roleBinding { role } roleBindings { role } createdAt updatedAt";
    let wlist = format!(
        "query($w: Uuid!) {{ workspaceServiceAccounts(workspaceUuid: $w) {{ {fields} }} }}"
    );
    let dlist = format!(
        "query($d: Uuid!) {{ deploymentServiceAccounts(deploymentUuid: $d) {{ {fields} }} }}"
    );
    let d = s.ok(VERA, &wlist, json!({"w": dp})).await;
    let ci = &d["workspaceServiceAccounts"][0];
    assert_eq!(ci["label"], "ci-deployer");
    assert_eq!(ci["entityType"], "WORKSPACE");
    assert_eq!(ci["workspaceUuid"], dp);
    assert!(ci["lastUsedAt"].is_string());
    assert!(ci["apiKey"].as_str().unwrap().ends_with("**"));
    let d = s.ok(VERA, &dlist, json!({"d": dep})).await;
    let sync = &d["deploymentServiceAccounts"][0];
    assert_eq!(sync["entityType"], "DEPLOYMENT");
    assert_eq!(sync["deploymentUuid"], dep);
    assert_eq!(sync["entityUuid"], dep);
    assert_eq!(sync["workspaceUuid"], dp);
    assert_eq!(sync["roleBinding"]["role"], "DEPLOYMENT_VIEWER");
    let ml = s.workspace_id("ML Research").await;
    assert_forbidden(
        &s.gql(VERA, &wlist, json!({"w": ml})).await,
        "workspaceServiceAccounts",
    );
    let (mldep, _) = s.deployment("Feature Store").await;
    assert_forbidden(
        &s.gql(VERA, &dlist, json!({"d": mldep})).await,
        "deploymentServiceAccounts",
    );

    let cw = format!(
        "mutation($label: String!, $category: String, $w: Uuid!, $role: Role!) {{ createWorkspaceServiceAccount(label: $label, category: $category, workspaceUuid: $w, role: $role) {{ {fields} }} }}"
    );
    let cd = format!(
        "mutation($label: String!, $category: String, $d: Uuid!, $role: Role!) {{ createDeploymentServiceAccount(label: $label, category: $category, deploymentUuid: $d, role: $role) {{ {fields} }} }}"
    );
    let d = s
        .ok(
            LINUS,
            &cw,
            json!({"label": "etl-bot", "category": "CI", "w": dp, "role": "WORKSPACE_EDITOR"}),
        )
        .await;
    let sa = d["createWorkspaceServiceAccount"].clone();
    assert_eq!(sa["apiKey"].as_str().unwrap().len(), 32);
    assert!(!sa["apiKey"].as_str().unwrap().contains('*'));
    assert_eq!(sa["roleBinding"]["role"], "WORKSPACE_EDITOR");
    assert_bad_input(
        &s.gql(
            LINUS,
            &cw,
            json!({"label": "etl-bot", "w": dp, "role": "WORKSPACE_VIEWER"}),
        )
        .await,
        "Service Account already exists with the name etl-bot",
    );
    assert_bad_input(
        &s.gql(
            LINUS,
            &cw,
            json!({"label": "x", "w": dp, "role": "DEPLOYMENT_VIEWER"}),
        )
        .await,
        "invalid workspace role",
    );
    assert_bad_input(
        &s.gql(
            LINUS,
            &cw,
            json!({"label": " ", "w": dp, "role": "WORKSPACE_VIEWER"}),
        )
        .await,
        "label",
    );
    assert_forbidden(
        &s.gql(
            VERA,
            &cw,
            json!({"label": "v", "w": dp, "role": "WORKSPACE_VIEWER"}),
        )
        .await,
        "createWorkspaceServiceAccount",
    );
    // Same label in another workspace is fine.
    let mk = s.workspace_id("Marketing Analytics").await;
    s.ok(
        LINUS,
        &cw,
        json!({"label": "etl-bot", "w": mk, "role": "WORKSPACE_VIEWER"}),
    )
    .await;

    let d = s
        .ok(
            LINUS,
            &cd,
            json!({"label": "dep-bot", "d": dep, "role": "DEPLOYMENT_EDITOR"}),
        )
        .await;
    let dsa = d["createDeploymentServiceAccount"].clone();
    assert_eq!(dsa["entityType"], "DEPLOYMENT");
    assert_bad_input(
        &s.gql(
            LINUS,
            &cd,
            json!({"label": "x", "d": dep, "role": "WORKSPACE_EDITOR"}),
        )
        .await,
        "Invalid role",
    );
    assert_bad_input(
        &s.gql(
            LINUS,
            &cd,
            json!({"label": "dep-bot", "d": dep, "role": "DEPLOYMENT_VIEWER"}),
        )
        .await,
        "already exists",
    );
    assert_forbidden(
        &s.gql(
            VERA,
            &cd,
            json!({"label": "v", "d": dep, "role": "DEPLOYMENT_VIEWER"}),
        )
        .await,
        "createDeploymentServiceAccount",
    );

    // The deployment key can update its own deployment's variables but not others.
    let key = dsa["apiKey"].as_str().unwrap();
    let up = "mutation($d: Uuid!) { updateDeploymentVariables(deploymentUuid: $d, environmentVariables: [{key: \"FROM_CI\", value: \"1\"}]) { key } }";
    let b = s.raw(Some(key), up, json!({"d": dep})).await;
    assert!(b.get("errors").is_none(), "{b}");
    let (other, _) = s.deployment("Data Quality").await;
    assert_forbidden(
        &s.raw(Some(key), up, json!({"d": other})).await,
        "updateDeploymentVariables",
    );

    // Updates.
    let uw = format!(
        "mutation($s: Uuid!, $w: Uuid!, $p: JSON!) {{ updateWorkspaceServiceAccount(serviceAccountUuid: $s, workspaceUuid: $w, payload: $p) {{ {fields} }} }}"
    );
    let ud = format!(
        "mutation($s: Uuid!, $d: Uuid!, $p: JSON!) {{ updateDeploymentServiceAccount(serviceAccountUuid: $s, deploymentUuid: $d, payload: $p) {{ {fields} }} }}"
    );
    let d = s.ok(LINUS, &uw, json!({"s": sa["id"], "w": dp, "p": {"label": "etl-robot", "category": "Automation", "active": false}})).await;
    let u = &d["updateWorkspaceServiceAccount"];
    assert_eq!(u["label"], "etl-robot");
    assert_eq!(u["category"], "Automation");
    assert_eq!(u["active"], false);
    assert!(u["apiKey"].as_str().unwrap().contains('*'));
    // An inactive key no longer authenticates.
    let wkey = sa["apiKey"].as_str().unwrap();
    assert_forbidden(
        &s.raw(Some(wkey), "{ workspaces { id } }", json!({})).await,
        "workspaces",
    );
    assert_bad_input(
        &s.gql(
            LINUS,
            &uw,
            json!({"s": sa["id"], "w": dp, "p": {"label": "ci-deployer"}}),
        )
        .await,
        "already exists",
    );
    assert_forbidden(
        &s.gql(
            VERA,
            &uw,
            json!({"s": sa["id"], "w": dp, "p": {"label": "z"}}),
        )
        .await,
        "updateWorkspaceServiceAccount",
    );
    assert_eq!(
        code(
            &s.gql(
                LINUS,
                &uw,
                json!({"s": dsa["id"], "w": dp, "p": {"label": "z"}})
            )
            .await
        ),
        "RESOURCE_NOT_FOUND"
    );
    let d = s
        .ok(
            LINUS,
            &ud,
            json!({"s": dsa["id"], "d": dep, "p": {"role": "DEPLOYMENT_VIEWER"}}),
        )
        .await;
    assert_eq!(
        d["updateDeploymentServiceAccount"]["roleBinding"]["role"],
        "DEPLOYMENT_VIEWER"
    );
    assert_bad_input(
        &s.gql(
            LINUS,
            &ud,
            json!({"s": dsa["id"], "d": dep, "p": {"role": "WORKSPACE_ADMIN"}}),
        )
        .await,
        "Invalid role",
    );

    // Deletes.
    let dw = "mutation($s: Uuid!, $w: Uuid!) { deleteWorkspaceServiceAccount(serviceAccountUuid: $s, workspaceUuid: $w) { id label } }";
    let dd = "mutation($s: Uuid!, $d: Uuid!) { deleteDeploymentServiceAccount(serviceAccountUuid: $s, deploymentUuid: $d) { id label } }";
    assert_forbidden(
        &s.gql(VERA, dw, json!({"s": sa["id"], "w": dp})).await,
        "deleteWorkspaceServiceAccount",
    );
    assert_forbidden(
        &s.gql(VERA, dd, json!({"s": dsa["id"], "d": dep})).await,
        "deleteDeploymentServiceAccount",
    );
    let d = s.ok(LINUS, dw, json!({"s": sa["id"], "w": dp})).await;
    assert_eq!(d["deleteWorkspaceServiceAccount"]["label"], "etl-robot");
    let d = s.ok(LINUS, dd, json!({"s": dsa["id"], "d": dep})).await;
    assert_eq!(d["deleteDeploymentServiceAccount"]["label"], "dep-bot");
    assert_eq!(
        code(&s.gql(LINUS, dd, json!({"s": dsa["id"], "d": dep})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_forbidden(
        &s.raw(Some(key), "{ workspaces { id } }", json!({})).await,
        "workspaces",
    );
    let d = s.ok(VERA, &wlist, json!({"w": dp})).await;
    assert_eq!(d["workspaceServiceAccounts"].as_array().unwrap().len(), 1);
}
