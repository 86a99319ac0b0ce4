//! Astro Runtime (catalogue, two-phase upgrades, image deploys), pre-created namespaces and
//! operator-mode adoption.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

const DEP_FIELDS: &str = "id label releaseName namespace status airflowVersion desiredAirflowVersion runtimeVersion desiredRuntimeVersion runtimeAirflowVersion deployInfo { current } properties";

fn versions(d: &Value) -> Vec<String> {
    d["runtimeReleases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_str().unwrap().to_string())
        .collect()
}

async fn get(s: &Srv, id: &str) -> Value {
    let q = format!("query($id: String!) {{ deployment(where: {{id: $id}}) {{ {DEP_FIELDS} }} }}");
    s.ok(ADMIN, &q, json!({"id": id})).await["deployment"].clone()
}

#[tokio::test]
async fn runtime_catalogue() {
    let s = seeded().await;
    let q = "query($a: String) { runtimeReleases(airflowVersion: $a) { version airflowVersion airflowDatabaseMigrations } }";
    let all = s.ok(VERA, q, json!({})).await;
    assert_eq!(versions(&all).len(), 7);
    assert_eq!(all, s.ok(VERA, q, json!({"a": ""})).await);
    let first = &all["runtimeReleases"][0];
    assert_eq!(first["airflowDatabaseMigrations"], true);
    assert!(first["airflowVersion"].is_string());
    // Releases a deployment on that Airflow may move to.
    assert_eq!(
        versions(&s.ok(VERA, q, json!({"a": "2.9.2"})).await),
        ["11.6.0", "11.7.0", "12.4.0"]
    );
    assert_eq!(
        versions(&s.ok(VERA, q, json!({"a": "2.10.3"})).await),
        ["12.4.0"]
    );
    assert_bad_input(
        &s.gql(VERA, q, json!({"a": "banana"})).await,
        "Invalid Airflow version: banana",
    );
    assert_forbidden(&s.raw(None, q, json!({})).await, "runtimeReleases");

    // The seed: an Astronomer Certified deployment, one on Runtime, one with an upgrade pending.
    let (core, _) = s.deployment("Core ETL").await;
    let (ingestion, _) = s.deployment("Ingestion").await;
    let (training, _) = s.deployment("Model Training").await;
    let c = get(&s, &core).await;
    assert_eq!(
        (
            c["runtimeVersion"].clone(),
            c["desiredRuntimeVersion"].clone()
        ),
        (Value::Null, Value::Null)
    );
    let i = get(&s, &ingestion).await;
    assert_eq!(i["runtimeVersion"], "12.4.0");
    assert_eq!(i["runtimeAirflowVersion"], "2.10.3");
    assert_eq!(i["desiredRuntimeVersion"], "12.4.0");
    let t = get(&s, &training).await;
    assert_eq!(
        (
            t["runtimeVersion"].as_str(),
            t["desiredRuntimeVersion"].as_str()
        ),
        (Some("10.2.0"), Some("11.6.0"))
    );
    assert_eq!(t["runtimeAirflowVersion"], "2.8.1");
    s.h.shutdown().await;
}

const UPGRADE: &str = "mutation($d: Uuid!, $v: String!) { updateDeploymentRuntime(deploymentUuid: $d, desiredRuntimeVersion: $v) { id runtimeVersion desiredRuntimeVersion runtimeAirflowVersion } }";
const CANCEL: &str = "mutation($d: Uuid!) { cancelRuntimeUpdate(deploymentUuid: $d) { runtimeVersion desiredRuntimeVersion } }";

#[tokio::test]
async fn runtime_upgrades_wait_for_a_deploy_and_can_be_cancelled() {
    let s = seeded().await;
    let ml = s.workspace_id("ML Research").await;
    let (training, _) = s.deployment("Model Training").await;
    let (core, _) = s.deployment("Core ETL").await;
    let viewer_key = s.workspace_key(&ml, "WORKSPACE_VIEWER").await;

    let before = s.h.db_generation();
    let vars = json!({"d": training, "v": "11.7.0"});
    assert_forbidden(
        &s.gql(VERA, UPGRADE, vars.clone()).await,
        "updateDeploymentRuntime",
    );
    assert_forbidden(
        &s.gql(DAN, UPGRADE, vars.clone()).await,
        "updateDeploymentRuntime",
    );
    assert_forbidden(
        &s.raw(Some(&viewer_key), UPGRADE, vars.clone()).await,
        "updateDeploymentRuntime",
    );
    assert_bad_input(
        &s.gql(GRACE, UPGRADE, json!({"d": training, "v": "99.0.0"}))
            .await,
        "Invalid Runtime version: 99.0.0",
    );
    assert_bad_input(
        &s.gql(GRACE, UPGRADE, json!({"d": training, "v": "9.5.0"}))
            .await,
        "Cannot downgrade Runtime from 10.2.0 to 9.5.0",
    );
    // An Astronomer Certified deployment on Airflow 2.9.2 cannot move to a Runtime on 2.8.1.
    assert_bad_input(
        &s.gql(ADMIN, UPGRADE, json!({"d": core, "v": "10.2.0"}))
            .await,
        "older than the deployment's Airflow 2.9.2",
    );
    assert_eq!(
        code(
            &s.gql(ADMIN, UPGRADE, json!({"d": "nope", "v": "11.7.0"}))
                .await
        ),
        "RESOURCE_NOT_FOUND"
    );
    assert_eq!(s.h.db_generation(), before);
    assert_eq!(get(&s, &training).await["desiredRuntimeVersion"], "11.6.0");

    // Phase one only: the running version stays until an image on the new one is deployed.
    let d = s.ok(GRACE, UPGRADE, vars).await;
    assert_eq!(
        d["updateDeploymentRuntime"],
        json!({"id": training, "runtimeVersion": "10.2.0", "desiredRuntimeVersion": "11.7.0", "runtimeAirflowVersion": "2.8.1"})
    );
    // Migration of an Astronomer Certified deployment to Runtime.
    let d = s
        .ok(ADMIN, UPGRADE, json!({"d": core, "v": "11.6.0"}))
        .await;
    assert_eq!(d["updateDeploymentRuntime"]["runtimeVersion"], Value::Null);
    assert_eq!(
        d["updateDeploymentRuntime"]["desiredRuntimeVersion"],
        "11.6.0"
    );

    assert_forbidden(
        &s.gql(VERA, CANCEL, json!({"d": training})).await,
        "cancelRuntimeUpdate",
    );
    let d = s.ok(GRACE, CANCEL, json!({"d": training})).await;
    assert_eq!(
        d["cancelRuntimeUpdate"],
        json!({"runtimeVersion": "10.2.0", "desiredRuntimeVersion": "10.2.0"})
    );
    let d = s.ok(ADMIN, CANCEL, json!({"d": core})).await;
    assert_eq!(
        d["cancelRuntimeUpdate"],
        json!({"runtimeVersion": null, "desiredRuntimeVersion": null})
    );
    // Nothing pending: a no-op.
    let d = s.ok(GRACE, CANCEL, json!({"d": training})).await;
    assert_eq!(d["cancelRuntimeUpdate"]["desiredRuntimeVersion"], "10.2.0");
    s.h.shutdown().await;
}

const IMAGE: &str = "mutation($r: String!, $i: String!, $a: String, $v: String) { updateDeploymentImage(releaseName: $r, image: $i, airflowVersion: $a, runtimeVersion: $v) { releaseName airflowVersion runtimeVersion desiredRuntimeVersion status deployInfo { current } } }";

#[tokio::test]
async fn deploying_an_image_completes_an_upgrade() {
    let s = seeded().await;
    let (training, training_rn) = s.deployment("Model Training").await;
    let (ingestion, ingestion_rn) = s.deployment("Ingestion").await;
    let (core, core_rn) = s.deployment("Core ETL").await;
    let ml = s.workspace_id("ML Research").await;
    let viewer_key = s.workspace_key(&ml, "WORKSPACE_VIEWER").await;

    let before = s.h.db_generation();
    let image = "registry.astrodash.local/model-training/airflow:deploy-18";
    let vars = json!({"r": training_rn, "i": image, "a": "", "v": "11.6.0"});
    assert_forbidden(
        &s.gql(VERA, IMAGE, vars.clone()).await,
        "updateDeploymentImage",
    );
    assert_forbidden(
        &s.raw(Some(&viewer_key), IMAGE, vars.clone()).await,
        "updateDeploymentImage",
    );
    assert_bad_input(
        &s.gql(
            GRACE,
            IMAGE,
            json!({"r": training_rn, "i": " ", "v": "11.6.0"}),
        )
        .await,
        "A required argument was not sent: image",
    );
    assert_bad_input(
        &s.gql(
            GRACE,
            IMAGE,
            json!({"r": training_rn, "i": image, "a": "", "v": ""}),
        )
        .await,
        "runtimeVersion or airflowVersion",
    );
    assert_bad_input(
        &s.gql(
            GRACE,
            IMAGE,
            json!({"r": training_rn, "i": image, "v": "9.5.0"}),
        )
        .await,
        "Cannot downgrade Runtime",
    );
    assert_bad_input(
        &s.gql(
            GRACE,
            IMAGE,
            json!({"r": training_rn, "i": image, "a": "2.9.2"}),
        )
        .await,
        "runs Astro Runtime",
    );
    assert_bad_input(
        &s.gql(
            ADMIN,
            IMAGE,
            json!({"r": core_rn, "i": image, "a": "2.8.1"}),
        )
        .await,
        "Cannot downgrade Airflow from 2.9.2 to 2.8.1",
    );
    assert_eq!(
        code(
            &s.gql(
                ADMIN,
                IMAGE,
                json!({"r": "no-such-release", "i": image, "v": "12.4.0"})
            )
            .await
        ),
        "RESOURCE_NOT_FOUND"
    );
    assert_eq!(s.h.db_generation(), before);

    // The pending upgrade (10.2.0 → 11.6.0) completes with an image on 11.6.0.
    let d = s.ok(GRACE, IMAGE, vars).await;
    let u = &d["updateDeploymentImage"];
    assert_eq!(u["runtimeVersion"], "11.6.0");
    assert_eq!(u["desiredRuntimeVersion"], "11.6.0");
    assert_eq!(u["airflowVersion"], "2.9.2");
    assert_eq!(u["status"], "DEPLOYING");
    assert_eq!(u["deployInfo"]["current"], "deploy-18");
    assert_eq!(get(&s, &training).await["runtimeAirflowVersion"], "2.9.2");

    // A deployment key (CI/CD) may deploy its own deployment.
    let key = s
        .ok(ADMIN, "mutation($d: Uuid!) { createDeploymentServiceAccount(label: \"ci\", deploymentUuid: $d, role: DEPLOYMENT_EDITOR) { apiKey } }", json!({"d": ingestion}))
        .await["createDeploymentServiceAccount"]["apiKey"]
        .as_str()
        .unwrap()
        .to_string();
    let b = s
        .raw(
            Some(&key),
            IMAGE,
            json!({"r": ingestion_rn, "i": "img:deploy-4", "v": "12.4.0"}),
        )
        .await;
    assert_eq!(
        b["data"]["updateDeploymentImage"]["deployInfo"]["current"], "deploy-4",
        "{b}"
    );
    assert_forbidden(
        &s.raw(
            Some(&key),
            IMAGE,
            json!({"r": core_rn, "i": "img", "a": "2.10.3"}),
        )
        .await,
        "updateDeploymentImage",
    );

    // Astronomer Certified: the Airflow upgrade completes the same way.
    s.ok(ADMIN, "mutation($d: Uuid!) { updateDeploymentAirflow(deploymentUuid: $d, desiredAirflowVersion: \"2.10.3\") { id } }", json!({"d": core})).await;
    assert_eq!(get(&s, &core).await["airflowVersion"], "2.9.2");
    let d = s
        .ok(
            ADMIN,
            IMAGE,
            json!({"r": core_rn, "i": "img:deploy-15", "a": "2.10.3", "v": ""}),
        )
        .await;
    assert_eq!(d["updateDeploymentImage"]["airflowVersion"], "2.10.3");
    let c = get(&s, &core).await;
    assert_eq!(
        (
            c["airflowVersion"].as_str(),
            c["desiredAirflowVersion"].as_str()
        ),
        (Some("2.10.3"), Some("2.10.3"))
    );
    s.h.shutdown().await;
}

#[tokio::test]
async fn deployments_created_on_runtime_and_in_pre_created_namespaces() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let create = format!(
        "mutation($w: Uuid!, $l: String!, $rv: String, $af: String, $ns: String) {{ createDeployment(workspaceUuid: $w, label: $l, runtimeVersion: $rv, airflowVersion: $af, namespace: $ns) {{ {DEP_FIELDS} }} }}"
    );
    let ns = "{ availableNamespaces { name } }";
    let names = |d: &Value| -> Vec<String> {
        d["availableNamespaces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_string())
            .collect()
    };

    let before = s.h.db_generation();
    assert_bad_input(
        &s.gql(LINUS, &create, json!({"w": dp, "l": "R", "rv": "1.0.0"}))
            .await,
        "Invalid Runtime version: 1.0.0",
    );
    assert_bad_input(
        &s.gql(
            LINUS,
            &create,
            json!({"w": dp, "l": "R", "rv": "11.6.0", "af": "2.7.3"}),
        )
        .await,
        "Runtime 11.6.0 runs Airflow 2.9.2, not 2.7.3",
    );
    assert_bad_input(
        &s.gql(
            LINUS,
            &create,
            json!({"w": dp, "l": "R", "ns": "kube-system"}),
        )
        .await,
        "Namespace kube-system is not a pre-created namespace",
    );
    assert_eq!(s.h.db_generation(), before);

    let d = s
        .ok(
            LINUS,
            &create,
            json!({"w": dp, "l": "On Runtime", "rv": "11.6.0", "af": ""}),
        )
        .await;
    let r = &d["createDeployment"];
    assert_eq!(
        (r["runtimeVersion"].as_str(), r["airflowVersion"].as_str()),
        (Some("11.6.0"), Some("2.9.2"))
    );
    assert_eq!(
        r["namespace"],
        format!("astronomer-{}", r["releaseName"].as_str().unwrap())
    );

    assert_forbidden(&s.raw(None, ns, json!({})).await, "availableNamespaces");
    assert_eq!(
        names(&s.ok(VERA, ns, json!({})).await),
        [
            "airflow-analytics",
            "airflow-etl",
            "airflow-ml",
            "airflow-reporting"
        ]
    );
    let d = s
        .ok(
            LINUS,
            &create,
            json!({"w": dp, "l": "Pinned", "ns": "airflow-etl"}),
        )
        .await;
    assert_eq!(d["createDeployment"]["namespace"], "airflow-etl");
    let pinned = d["createDeployment"]["id"].as_str().unwrap().to_string();
    assert!(!names(&s.ok(VERA, ns, json!({})).await).contains(&"airflow-etl".to_string()));
    let before = s.h.db_generation();
    assert_bad_input(
        &s.gql(
            LINUS,
            &create,
            json!({"w": dp, "l": "Again", "ns": "airflow-etl"}),
        )
        .await,
        "Namespace airflow-etl is already in use",
    );
    assert_eq!(s.h.db_generation(), before);
    // Deleting the deployment frees its namespace.
    s.ok(
        ADMIN,
        "mutation($d: Uuid!) { deleteDeployment(deploymentUuid: $d) { id } }",
        json!({"d": pinned}),
    )
    .await;
    assert_eq!(names(&s.ok(VERA, ns, json!({})).await).len(), 4);
    s.h.shutdown().await;
}

const ADOPT: &str = "mutation($w: Uuid!, $c: Uuid!, $ns: String!, $name: String!, $l: String, $logging: Boolean) { adoptDeployment(workspaceUuid: $w, clusterId: $c, crNamespace: $ns, crName: $name, label: $l, useApcLogging: $logging) { id label releaseName namespace status executor runtimeVersion airflowVersion properties workspace { label } } }";
const UNADOPT: &str =
    "mutation($d: Uuid!) { unadoptDeployment(deploymentUuid: $d) { id releaseName namespace } }";

#[tokio::test]
async fn adopting_and_handing_back_an_operator_deployment() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let mkt = s.workspace_id("Marketing Analytics").await;
    let (core, core_rn) = s.deployment("Core ETL").await;
    let viewer_key = s.workspace_key(&dp, "WORKSPACE_VIEWER").await;
    let vars = |ns: &str, name: &str, label: &str| json!({"w": dp, "c": "cluster-1", "ns": ns, "name": name, "l": label, "logging": true});

    let before = s.h.db_generation();
    let ok_vars = vars("airflow-prod4", "prod-airflow-4", "Prod 4");
    assert_forbidden(
        &s.gql(VERA, ADOPT, ok_vars.clone()).await,
        "adoptDeployment",
    );
    assert_forbidden(
        &s.raw(Some(&viewer_key), ADOPT, ok_vars.clone()).await,
        "adoptDeployment",
    );
    let mut other = ok_vars.clone();
    other["w"] = json!(mkt);
    assert_forbidden(&s.gql(GRACE, ADOPT, other).await, "adoptDeployment");
    assert_bad_input(
        &s.gql(LINUS, ADOPT, vars("airflow-prod4", "Bad_Name", ""))
            .await,
        "Release name not formatted correctly.",
    );
    assert_bad_input(
        &s.gql(LINUS, ADOPT, vars("Not A Namespace", "prod-airflow-4", ""))
            .await,
        "Invalid namespace: Not A Namespace",
    );
    let mut no_cluster = ok_vars.clone();
    no_cluster["c"] = json!("");
    assert_bad_input(
        &s.gql(LINUS, ADOPT, no_cluster).await,
        "A required argument was not sent: clusterId",
    );
    assert_bad_input(
        &s.gql(LINUS, ADOPT, vars("airflow-prod4", &core_rn, ""))
            .await,
        "is already in use",
    );
    assert_bad_input(
        &s.gql(
            LINUS,
            ADOPT,
            vars(&format!("astronomer-{core_rn}"), "prod-airflow-4", ""),
        )
        .await,
        "Namespace astronomer-",
    );
    assert_bad_input(
        &s.gql(
            LINUS,
            ADOPT,
            vars("airflow-prod4", "prod-airflow-4", "Core ETL"),
        )
        .await,
        "Workspace already has a deployment named Core ETL",
    );
    let mut nowhere = ok_vars.clone();
    nowhere["w"] = json!("no-such-workspace");
    assert_eq!(
        code(&s.gql(ADMIN, ADOPT, nowhere).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_eq!(s.h.db_generation(), before);

    let d = s.ok(LINUS, ADOPT, ok_vars).await;
    let a = &d["adoptDeployment"];
    assert_eq!(a["label"], "Prod 4");
    assert_eq!(a["releaseName"], "prod-airflow-4");
    assert_eq!(a["namespace"], "airflow-prod4");
    assert_eq!(a["status"], "HEALTHY");
    assert_eq!(a["runtimeVersion"], "12.4.0");
    assert_eq!(a["workspace"]["label"], "Data Platform");
    assert_eq!(a["properties"]["adopted"], true);
    assert_eq!(a["properties"]["use_apc_logging"], true);
    let adopted = a["id"].as_str().unwrap().to_string();
    // The label defaults to the custom resource's name.
    let d = s
        .ok(ADMIN, ADOPT, vars("airflow-prod5", "prod-airflow-5", ""))
        .await;
    assert_eq!(d["adoptDeployment"]["label"], "prod-airflow-5");

    // Handing back: deployment-admin rights; only adopted deployments.
    let before = s.h.db_generation();
    assert_forbidden(
        &s.gql(LINUS, UNADOPT, json!({"d": adopted})).await,
        "unadoptDeployment",
    );
    assert_forbidden(
        &s.gql(VERA, UNADOPT, json!({"d": adopted})).await,
        "unadoptDeployment",
    );
    assert_bad_input(
        &s.gql(GRACE, UNADOPT, json!({"d": core})).await,
        "was not adopted",
    );
    assert_eq!(
        code(&s.gql(GRACE, UNADOPT, json!({"d": "nope"})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_eq!(s.h.db_generation(), before);
    let d = s.ok(GRACE, UNADOPT, json!({"d": adopted})).await;
    assert_eq!(
        d["unadoptDeployment"],
        json!({"id": adopted, "releaseName": "prod-airflow-4", "namespace": "airflow-prod4"})
    );
    let gone = s
        .gql(
            ADMIN,
            "query($d: String!) { deployment(where: {id: $d}) { id } }",
            json!({"d": adopted}),
        )
        .await;
    assert_eq!(code(&gone), "RESOURCE_NOT_FOUND");
    // The namespace and release name may be adopted again.
    s.ok(ADMIN, ADOPT, vars("airflow-prod4", "prod-airflow-4", ""))
        .await;
    s.h.shutdown().await;
}
