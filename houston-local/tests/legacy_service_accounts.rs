//! The 0.23-era operations of the introspected schema that astrodash does not send: legacy and
//! system service accounts, deployment extras, billing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

fn list_len(d: &Value, field: &str) -> usize {
    d[field].as_array().unwrap().len()
}

#[tokio::test]
async fn legacy_and_system_service_accounts() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let mkt = s.workspace_id("Marketing Analytics").await;
    let (core, _) = s.deployment("Core ETL").await;
    let ci = s.sa_id("ci-deployer").await;
    let sync = s.sa_id("airflow-sync").await;
    let dbt = s.sa_id("dbt-cloud").await;
    let list = "query($t: EntityType!, $e: Uuid, $s: Uuid) { serviceAccounts(entityType: $t, entityUuid: $e, serviceAccountUuid: $s) { id label entityType roleBindings(first: 1) { role } } }";

    let d = s.ok(VERA, list, json!({"t": "WORKSPACE", "e": dp})).await;
    assert_eq!(d["serviceAccounts"][0]["label"], "ci-deployer");
    assert_eq!(
        d["serviceAccounts"][0]["roleBindings"][0]["role"],
        "WORKSPACE_EDITOR"
    );
    assert_eq!(
        list_len(
            &s.ok(VERA, list, json!({"t": "WORKSPACE", "e": dp, "s": dbt}))
                .await,
            "serviceAccounts"
        ),
        0
    );
    let d = s
        .ok(VERA, list, json!({"t": "DEPLOYMENT", "e": core}))
        .await;
    assert_eq!(d["serviceAccounts"][0]["label"], "airflow-sync");
    assert_eq!(
        list_len(
            &s.ok(SAM, list, json!({"t": "SYSTEM"})).await,
            "serviceAccounts"
        ),
        0
    );
    assert_bad_input(
        &s.gql(VERA, list, json!({"t": "WORKSPACE"})).await,
        "A required argument was not sent: entityUuid",
    );
    assert_forbidden(
        &s.gql(DAN, list, json!({"t": "WORKSPACE", "e": dp})).await,
        "serviceAccounts",
    );
    assert_forbidden(
        &s.gql(VERA, list, json!({"t": "SYSTEM"})).await,
        "serviceAccounts",
    );

    let one_ws = "query($w: Uuid!, $s: Uuid!) { workspaceServiceAccount(workspaceUuid: $w, serviceAccountUuid: $s) { label roleBindings(last: 0) { role } } }";
    let d = s.ok(VERA, one_ws, json!({"w": dp, "s": ci})).await;
    assert_eq!(
        d["workspaceServiceAccount"],
        json!({"label": "ci-deployer", "roleBindings": []})
    );
    assert_eq!(
        code(&s.gql(ADMIN, one_ws, json!({"w": mkt, "s": ci})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_forbidden(
        &s.gql(DAN, one_ws, json!({"w": dp, "s": ci})).await,
        "workspaceServiceAccount",
    );
    let one_dep = "query($d: Uuid!, $s: Uuid!) { deploymentServiceAccount(deploymentUuid: $d, serviceAccountUuid: $s) { label } }";
    assert_eq!(
        s.ok(VERA, one_dep, json!({"d": core, "s": sync})).await["deploymentServiceAccount"]["label"],
        "airflow-sync"
    );
    assert_eq!(
        code(&s.gql(ADMIN, one_dep, json!({"d": core, "s": ci})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_forbidden(
        &s.gql(DAN, one_dep, json!({"d": core, "s": sync})).await,
        "deploymentServiceAccount",
    );

    // Legacy creation by entity follows the scoped rules.
    let create = "mutation($t: EntityType!, $e: Uuid, $r: Role!, $l: String!) { createServiceAccount(label: $l, entityType: $t, entityUuid: $e, role: $r) { id apiKey entityType } }";
    let before = s.h.db_generation();
    assert_forbidden(
        &s.gql(
            VERA,
            create,
            json!({"t": "WORKSPACE", "e": dp, "r": "WORKSPACE_VIEWER", "l": "k"}),
        )
        .await,
        "createServiceAccount",
    );
    assert_forbidden(
        &s.gql(
            LINUS,
            create,
            json!({"t": "WORKSPACE", "e": dp, "r": "WORKSPACE_ADMIN", "l": "k"}),
        )
        .await,
        "createServiceAccount",
    );
    assert_forbidden(
        &s.gql(
            LINUS,
            create,
            json!({"t": "SYSTEM", "r": "SYSTEM_VIEWER", "l": "k"}),
        )
        .await,
        "createServiceAccount",
    );
    assert_bad_input(
        &s.gql(
            LINUS,
            create,
            json!({"t": "DEPLOYMENT", "e": core, "r": "WORKSPACE_VIEWER", "l": "k"}),
        )
        .await,
        "Invalid role",
    );
    assert_bad_input(
        &s.gql(
            ADMIN,
            create,
            json!({"t": "SYSTEM", "r": "WORKSPACE_VIEWER", "l": "k"}),
        )
        .await,
        "Invalid role",
    );
    assert_eq!(s.h.db_generation(), before);
    let d = s
        .ok(
            LINUS,
            create,
            json!({"t": "WORKSPACE", "e": dp, "r": "WORKSPACE_VIEWER", "l": "legacy-ws"}),
        )
        .await;
    assert_eq!(d["createServiceAccount"]["entityType"], "WORKSPACE");
    let d = s
        .ok(
            LINUS,
            create,
            json!({"t": "DEPLOYMENT", "e": core, "r": "DEPLOYMENT_VIEWER", "l": "legacy-dep"}),
        )
        .await;
    assert_eq!(d["createServiceAccount"]["entityType"], "DEPLOYMENT");
    let sys = "mutation($r: Role!) { createSystemServiceAccount(label: \"monitoring\", role: $r) { id apiKey entityType } }";
    assert_forbidden(
        &s.gql(GRACE, sys, json!({"r": "SYSTEM_VIEWER"})).await,
        "createSystemServiceAccount",
    );
    assert_bad_input(
        &s.gql(ADMIN, sys, json!({"r": "DEPLOYMENT_VIEWER"})).await,
        "Invalid role",
    );
    let d = s.ok(ADMIN, sys, json!({"r": "SYSTEM_VIEWER"})).await;
    assert_eq!(d["createSystemServiceAccount"]["entityType"], "SYSTEM");
    let system_key = d["createSystemServiceAccount"]["apiKey"]
        .as_str()
        .unwrap()
        .to_string();
    let system_sa = d["createSystemServiceAccount"]["id"].clone();
    let b = s
        .raw(Some(&system_key), "{ workspaces { id } }", json!({}))
        .await;
    assert_eq!(b["data"]["workspaces"].as_array().unwrap().len(), 4, "{b}");
    assert_eq!(
        list_len(
            &s.ok(SAM, list, json!({"t": "SYSTEM"})).await,
            "serviceAccounts"
        ),
        1
    );
    let b = s
        .raw(
            Some(&system_key),
            "mutation { createWorkspace(label: \"nope\") { id } }",
            json!({}),
        )
        .await;
    assert_forbidden(&b, "createWorkspace");

    // Legacy update / delete by id: the account's own entity decides who may.
    let update = "mutation($s: Uuid!, $p: JSON) { updateServiceAccount(serviceAccountUuid: $s, payload: $p) { label roleBinding { role } } }";
    let before = s.h.db_generation();
    assert_forbidden(
        &s.gql(VERA, update, json!({"s": ci, "p": {"label": "x"}}))
            .await,
        "updateServiceAccount",
    );
    assert_forbidden(
        &s.gql(
            LINUS,
            update,
            json!({"s": ci, "p": {"role": "WORKSPACE_ADMIN"}}),
        )
        .await,
        "updateServiceAccount",
    );
    assert_eq!(
        code(&s.gql(ADMIN, update, json!({"s": "nope", "p": {}})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_eq!(s.h.db_generation(), before);
    assert_eq!(
        s.ok(LINUS, update, json!({"s": ci})).await["updateServiceAccount"]["label"],
        "ci-deployer"
    );
    let d = s
        .ok(
            LINUS,
            update,
            json!({"s": ci, "p": {"label": "ci-renamed"}}),
        )
        .await;
    assert_eq!(d["updateServiceAccount"]["label"], "ci-renamed");

    let delete = "mutation($s: Uuid!) { deleteServiceAccount(serviceAccountUuid: $s) { label } }";
    assert_forbidden(
        &s.gql(VERA, delete, json!({"s": sync})).await,
        "deleteServiceAccount",
    );
    assert_eq!(
        s.ok(LINUS, delete, json!({"s": sync})).await["deleteServiceAccount"]["label"],
        "airflow-sync"
    );
    let delete_sys =
        "mutation($s: Uuid!) { deleteSystemServiceAccount(serviceAccountUuid: $s) { label } }";
    assert_eq!(
        code(&s.gql(ADMIN, delete_sys, json!({"s": ci})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_forbidden(
        &s.gql(SAM, delete_sys, json!({"s": system_sa})).await,
        "deleteSystemServiceAccount",
    );
    assert_eq!(
        s.ok(ADMIN, delete_sys, json!({"s": system_sa})).await["deleteSystemServiceAccount"]["label"],
        "monitoring"
    );
    assert_forbidden(
        &s.raw(Some(&system_key), "{ workspaces { id } }", json!({}))
            .await,
        "workspaces",
    );
    s.h.shutdown().await;
}

#[tokio::test]
async fn deployment_extras() {
    let s = seeded().await;
    let (core, _) = s.deployment("Core ETL").await;
    let (quality, _) = s.deployment("Data Quality").await;
    let keda = "mutation($d: Uuid!, $on: Boolean!) { updateDeploymentKedaConfig(deploymentUuid: $d, state: $on) { properties status } }";
    let alerts = "mutation($d: Uuid!, $e: [String]) { deploymentAlertsUpdate(deploymentUuid: $d, alertEmails: $e) { alertEmails } }";
    let chart = "mutation($d: Uuid!, $v: String) { upgradeDeployment(deploymentUuid: $d, version: $v) { version status } }";

    let before = s.h.db_generation();
    assert_forbidden(
        &s.gql(VERA, keda, json!({"d": core, "on": true})).await,
        "updateDeploymentKedaConfig",
    );
    assert_bad_input(
        &s.gql(LINUS, keda, json!({"d": quality, "on": true})).await,
        "KEDA autoscales Celery workers",
    );
    assert_forbidden(
        &s.gql(VERA, alerts, json!({"d": core, "e": ["a@b.c"]}))
            .await,
        "deploymentAlertsUpdate",
    );
    assert_bad_input(
        &s.gql(LINUS, alerts, json!({"d": core, "e": ["nope"]}))
            .await,
        "Invalid email address: nope",
    );
    assert_forbidden(
        &s.gql(VERA, chart, json!({"d": core, "v": "1.11.0"})).await,
        "upgradeDeployment",
    );
    assert_bad_input(
        &s.gql(LINUS, chart, json!({"d": core, "v": "1.9.0"})).await,
        "Cannot downgrade the Airflow chart from 1.10.0 to 1.9.0",
    );
    assert_bad_input(
        &s.gql(LINUS, chart, json!({"d": core, "v": "latest"})).await,
        "Invalid chart version: latest",
    );
    assert_eq!(
        code(&s.gql(LINUS, chart, json!({"d": "nope"})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_eq!(s.h.db_generation(), before);

    let d = s.ok(LINUS, keda, json!({"d": core, "on": true})).await;
    assert_eq!(
        d["updateDeploymentKedaConfig"]["properties"]["keda_enabled"],
        true
    );
    assert_eq!(d["updateDeploymentKedaConfig"]["status"], "DEPLOYING");
    let d = s.ok(LINUS, alerts, json!({"d": core, "e": ["Oncall@Example.com", "oncall@example.com", null, "ops@example.com"]})).await;
    assert_eq!(
        d["deploymentAlertsUpdate"]["alertEmails"],
        json!(["oncall@example.com", "ops@example.com"])
    );
    assert_eq!(
        s.ok(LINUS, alerts, json!({"d": core})).await["deploymentAlertsUpdate"]["alertEmails"],
        json!([])
    );
    assert_eq!(
        s.ok(LINUS, chart, json!({"d": core, "v": "1.11.0"})).await["upgradeDeployment"]["version"],
        "1.11.0"
    );
    assert_eq!(
        s.ok(LINUS, chart, json!({"d": quality})).await["upgradeDeployment"]["version"],
        "1.10.0"
    );
    s.h.shutdown().await;
}

#[tokio::test]
async fn billing_leftovers() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let ws = "query($w: Uuid!) { workspace(workspaceUuid: $w) { active stripeCustomerId trialEndsAt billingEnabled paywallEnabled } }";
    let d = s.ok(VERA, ws, json!({"w": dp})).await;
    assert_eq!(
        d["workspace"],
        json!({"active": true, "stripeCustomerId": null, "trialEndsAt": null, "billingEnabled": false, "paywallEnabled": false})
    );
    let card =
        "query($w: Uuid!) { card(workspaceUuid: $w, stripeCustomerId: \"cus_1\") { last4 } }";
    assert_eq!(
        s.ok(VERA, card, json!({"w": dp})).await["card"],
        Value::Null
    );
    assert_forbidden(&s.gql(DAN, card, json!({"w": dp})).await, "card");
    let add = "mutation($w: Uuid!) { addCard(workspaceUuid: $w, billingEmail: \"b@x.io\", token: \"tok\") { last4 } updateCard(workspaceUuid: $w, billingEmail: \"b@x.io\", token: \"tok\") { last4 } }";
    assert_eq!(
        s.ok(LINUS, add, json!({"w": dp})).await,
        json!({"addCard": null, "updateCard": null})
    );
    assert_forbidden(&s.gql(VERA, add, json!({"w": dp})).await, "addCard");
    let customer = "mutation($w: Uuid!) { addCustomerId(workspaceUuid: $w, stripeCustomerId: \"cus_1\") { id } }";
    assert_eq!(
        s.ok(ADMIN, customer, json!({"w": dp})).await["addCustomerId"],
        Value::Null
    );
    assert_forbidden(
        &s.gql(GRACE, customer, json!({"w": dp})).await,
        "addCustomerId",
    );
    let trial = "mutation($w: Uuid!, $n: Int!) { extendWorkspaceTrial(workspaceUuid: $w, extraDays: $n) { id } }";
    assert_eq!(
        s.ok(ADMIN, trial, json!({"w": dp, "n": 7})).await["extendWorkspaceTrial"],
        Value::Null
    );
    assert_bad_input(
        &s.gql(ADMIN, trial, json!({"w": dp, "n": -1})).await,
        "extraDays must not be negative",
    );
    assert_forbidden(
        &s.gql(GRACE, trial, json!({"w": dp, "n": 7})).await,
        "extendWorkspaceTrial",
    );

    let suspend = "mutation($w: Uuid!, $s: Boolean!) { suspendWorkspace(workspaceUuid: $w, isSuspended: $s) { active } }";
    let before = s.h.db_generation();
    assert_forbidden(
        &s.gql(GRACE, suspend, json!({"w": dp, "s": true})).await,
        "suspendWorkspace",
    );
    assert_eq!(
        code(&s.gql(ADMIN, suspend, json!({"w": "nope", "s": true})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_eq!(s.h.db_generation(), before);
    assert_eq!(
        s.ok(ADMIN, suspend, json!({"w": dp, "s": true})).await["suspendWorkspace"]["active"],
        false
    );
    assert_eq!(
        s.ok(VERA, ws, json!({"w": dp})).await["workspace"]["active"],
        false
    );
    assert_eq!(
        s.ok(ADMIN, suspend, json!({"w": dp, "s": false})).await["suspendWorkspace"]["active"],
        true
    );
    s.h.shutdown().await;
}
