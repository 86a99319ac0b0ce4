//! Deployments, env vars, deployment roles, service accounts, logs, status simulation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

const LIST: &str = "query($w: Uuid!, $r: String) { workspaceDeployments(workspaceUuid: $w, releaseName: $r) { id label releaseName executor status airflowVersion desiredAirflowVersion version deployInfo { current nextCli } urls { type url } createdAt updatedAt workspace { id label } } }";

const CREATE: &str = "mutation($w: Uuid!, $label: String!, $rn: String, $ex: ExecutorType, $config: JSON, $props: JSON, $workers: Workers, $trig: Int, $af: String) { createDeployment(workspaceUuid: $w, label: $label, releaseName: $rn, executor: $ex, config: $config, properties: $props, workers: $workers, triggerer: {replicas: $trig}, airflowVersion: $af) { id label releaseName namespace executor status deploymentStatus { status } airflowVersion desiredAirflowVersion version deployInfo { current nextCli } urls { type url } config properties workers { replicas terminationGracePeriodSeconds resources { limits { cpu memory } } } scheduler { replicas { default } resources { requests { cpu memory } } } webserver { resources { limits { cpu } } } deploymentCapabilities { canUpdateDeployment canDeleteDeployment canUpdateVariables } workspace { id } createdAt updatedAt } }";

async fn count_deployments(s: &Srv) -> usize {
    s.ok(ADMIN, "{ deployments { id } }", json!({})).await["deployments"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn list_and_read_deployments() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let d = s.ok(VERA, LIST, json!({"w": dp})).await;
    let deps = d["workspaceDeployments"].as_array().unwrap();
    assert_eq!(deps.len(), 4);
    let core = &deps[0];
    assert_eq!(core["label"], "Core ETL");
    assert_eq!(core["executor"], "CeleryExecutor");
    assert_eq!(core["status"], "HEALTHY");
    assert_eq!(core["deployInfo"]["current"], "deploy-14");
    assert_eq!(core["deployInfo"]["nextCli"], "deploy-15");
    assert_eq!(core["version"], "1.10.0");
    let rn = core["releaseName"].as_str().unwrap();
    assert_eq!(
        core["urls"],
        json!([
            {"type": "airflow", "url": format!("https://deployments.astrodash.local/{rn}/airflow")},
            {"type": "flower", "url": format!("https://deployments.astrodash.local/{rn}/flower")}
        ])
    );
    assert_eq!(core["workspace"]["label"], "Data Platform");
    let reverse = deps.iter().find(|x| x["label"] == "Reverse ETL").unwrap();
    assert_eq!(reverse["airflowVersion"], "2.7.3");
    assert_eq!(reverse["desiredAirflowVersion"], "2.9.2");
    assert_eq!(reverse["urls"].as_array().unwrap().len(), 1);
    let ingestion = deps.iter().find(|x| x["label"] == "Ingestion").unwrap();
    assert_eq!(ingestion["status"], "DEPLOYING");
    // Filter by release name.
    let d = s.ok(VERA, LIST, json!({"w": dp, "r": rn})).await;
    assert_eq!(d["workspaceDeployments"].as_array().unwrap().len(), 1);
    let mk = s.workspace_id("Marketing Analytics").await;
    let d = s.ok(VERA, LIST, json!({"w": mk})).await;
    let email = d["workspaceDeployments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["label"] == "Email Metrics")
        .unwrap()
        .clone();
    assert_eq!(email["status"], "UNHEALTHY");
    let ml = s.workspace_id("ML Research").await;
    assert_forbidden(
        &s.gql(VERA, LIST, json!({"w": ml})).await,
        "workspaceDeployments",
    );

    let one = "query($w: Uuid!, $r: String!) { workspaceDeployment(workspaceUuid: $w, releaseName: $r) { label } }";
    let d = s.ok(VERA, one, json!({"w": dp, "r": rn})).await;
    assert_eq!(d["workspaceDeployment"]["label"], "Core ETL");
    assert_forbidden(
        &s.gql(VERA, one, json!({"w": ml, "r": rn})).await,
        "workspaceDeployment",
    );

    // deployment(where:) — astro-cli's GetDeployment document.
    let (id, _) = s.deployment("Core ETL").await;
    let get = "query($id: String!) { deployment(where: {id: $id}) { id airflowVersion desiredAirflowVersion urls { type url } deploymentStatus { status } config properties roleBindings { role } environmentVariables { key value isSecret } serviceAccounts { label } } }";
    let d = s.ok(VERA, get, json!({"id": id})).await;
    let dep = &d["deployment"];
    assert_eq!(dep["deploymentStatus"]["status"], "HEALTHY");
    assert_eq!(
        dep["config"]["scheduler"]["resources"]["limits"],
        json!({"cpu": 500, "memory": 1920})
    );
    assert_eq!(dep["properties"]["component_version"], "2.9.2");
    let secret = dep["environmentVariables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "SNOWFLAKE_PASSWORD")
        .unwrap()
        .clone();
    assert_eq!(secret["value"], "");
    let (ml_dep, ml_rn) = s.deployment("Feature Store").await;
    assert_forbidden(&s.gql(VERA, get, json!({"id": ml_dep})).await, "deployment");
    let d = s
        .ok(
            GRACE,
            "query($r: String) { deployment(where: {releaseName: $r}) { label } }",
            json!({"r": ml_rn}),
        )
        .await;
    assert_eq!(d["deployment"]["label"], "Feature Store");
    let b = s.gql(ADMIN, get, json!({"id": "nope"})).await;
    assert_eq!(code(&b), "RESOURCE_NOT_FOUND");

    // System-wide lists.
    assert_eq!(count_deployments(&s).await, 10);
    assert_forbidden(
        &s.gql(GRACE, "{ deployments { id } }", json!({})).await,
        "deployments",
    );
    let pq = "query($take: Int, $name: String, $cursor: Uuid, $pageNumber: Int) { paginatedDeployments(take: $take, name: $name, cursor: $cursor, pageNumber: $pageNumber) { id label } }";
    let all = s.ok(SAM, pq, json!({"take": -1})).await["paginatedDeployments"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(all.len(), 10);
    let page =
        s.ok(SAM, pq, json!({"take": 3, "pageNumber": 1})).await["paginatedDeployments"].clone();
    assert_eq!(page, json!([all[3], all[4], all[5]]));
    let after = s
        .ok(SAM, pq, json!({"take": 2, "cursor": all[7]["id"]}))
        .await["paginatedDeployments"]
        .clone();
    assert_eq!(after, json!([all[8], all[9]]));
    let named = s.ok(SAM, pq, json!({"name": "etl"})).await["paginatedDeployments"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(named, 2);
    assert_forbidden(
        &s.gql(GRACE, pq, json!({"take": -1})).await,
        "paginatedDeployments",
    );

    let cfg = s.ok(VERA, "{ deploymentConfig { astroUnit { cpu memory } maxExtraAu airflowVersions defaultAirflowImageTag defaultAirflowChartVersion airflowImages { version tag } executors limits defaults singleNamespace loggingEnabled latestVersion } }", json!({})).await;
    assert_eq!(
        cfg["deploymentConfig"]["astroUnit"],
        json!({"cpu": 100, "memory": 384})
    );
    assert_eq!(cfg["deploymentConfig"]["maxExtraAu"], 400);
    assert_forbidden(
        &s.raw(None, "{ deploymentConfig { maxExtraAu } }", json!({}))
            .await,
        "deploymentConfig",
    );
}

#[tokio::test]
async fn create_deployment_defaults_and_validation() {
    let s = start_with(long_deploying()).await;
    let sb = s.workspace_id("Sandbox").await;
    let dp = s.workspace_id("Data Platform").await;
    let d = s
        .ok(LINUS, CREATE, json!({"w": dp, "label": "Fresh"}))
        .await;
    let c = &d["createDeployment"];
    let rn = c["releaseName"].as_str().unwrap();
    let parts: Vec<&str> = rn.split('-').collect();
    assert_eq!(parts.len(), 3, "{rn}");
    assert_eq!(parts[2].len(), 4);
    assert_eq!(c["namespace"], format!("astronomer-{rn}"));
    assert_eq!(c["executor"], "CeleryExecutor");
    assert_eq!(c["status"], "DEPLOYING");
    assert_eq!(c["deploymentStatus"]["status"], "DEPLOYING");
    assert_eq!(
        c["deployInfo"],
        json!({"current": null, "nextCli": "deploy-1"})
    );
    assert_eq!(c["airflowVersion"], c["desiredAirflowVersion"]);
    assert_eq!(c["version"], "1.10.0");
    assert_eq!(c["urls"].as_array().unwrap().len(), 2);
    assert_eq!(c["properties"]["extra_au"], 0);
    let cfg = &c["config"];
    let au = |n: i64| json!({"limits": {"cpu": n * 100, "memory": n * 384}, "requests": {"cpu": n * 100, "memory": n * 384}});
    assert_eq!(cfg["executor"], "CeleryExecutor");
    for (comp, n) in [
        ("scheduler", 5),
        ("webserver", 5),
        ("workers", 10),
        ("triggerer", 5),
        ("statsd", 2),
        ("pgbouncer", 2),
        ("flower", 2),
        ("redis", 2),
    ] {
        assert_eq!(cfg[comp]["resources"], au(n), "{comp}");
    }
    assert_eq!(cfg["workers"]["replicas"], 1);
    assert_eq!(cfg["workers"]["terminationGracePeriodSeconds"], 600);
    assert_eq!(c["workers"]["terminationGracePeriodSeconds"], 600);
    assert_eq!(
        c["scheduler"]["resources"]["requests"],
        json!({"cpu": 500, "memory": 1920})
    );
    assert_eq!(
        c["deploymentCapabilities"],
        json!({"canUpdateDeployment": true, "canDeleteDeployment": false, "canUpdateVariables": true})
    );
    assert!(c["createdAt"].as_str().unwrap().ends_with('Z'));

    // Kubernetes: no Celery components, extra_au 10; overrides via typed input and config.
    let d = s.ok(ADMIN, CREATE, json!({"w": sb, "label": "K8s", "rn": "my-k8s-1", "ex": "KubernetesExecutor", "config": {"scheduler": {"replicas": 2, "resources": {"limits": {"cpu": 1000, "memory": 3840}}}}, "trig": 2, "af": "2.8.1"})).await;
    let c = &d["createDeployment"];
    assert_eq!(c["releaseName"], "my-k8s-1");
    assert_eq!(c["properties"]["extra_au"], 10);
    assert!(c["config"].get("workers").is_none() && c["config"].get("redis").is_none());
    assert!(c["workers"].is_null());
    assert_eq!(c["urls"].as_array().unwrap().len(), 1);
    assert_eq!(c["config"]["scheduler"]["replicas"], 2);
    assert_eq!(
        c["config"]["scheduler"]["resources"]["requests"],
        json!({"cpu": 1000, "memory": 3840})
    );
    assert_eq!(c["config"]["triggerer"]["replicas"], 2);
    assert_eq!(c["airflowVersion"], "2.8.1");
    let d = s.ok(ADMIN, CREATE, json!({"w": sb, "label": "Workers", "workers": {"replicas": 4, "terminationGracePeriodSeconds": 120, "resources": {"limits": {"cpu": 2000, "memory": 7680}}}})).await;
    assert_eq!(d["createDeployment"]["workers"]["replicas"], 4);
    assert_eq!(
        d["createDeployment"]["workers"]["resources"]["limits"],
        json!({"cpu": 2000, "memory": 7680})
    );

    // Invalid inputs: clear errors, nothing created.
    let before = count_deployments(&s).await;
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"w": sb, "label": "Fresh2", "rn": "bad_name"}),
            "Release name not formatted correctly.",
        ),
        (
            json!({"w": sb, "label": "Fresh2", "rn": "12345"}),
            "Release name not formatted correctly.",
        ),
        (
            json!({"w": sb, "label": "Fresh2", "rn": "-abc"}),
            "Release name not formatted correctly.",
        ),
        (
            json!({"w": sb, "label": "Fresh2", "rn": "abc-"}),
            "Release name not formatted correctly.",
        ),
        (
            json!({"w": sb, "label": "Fresh2", "rn": "a".repeat(64)}),
            "Release name exceeds maximum length.",
        ),
        (
            json!({"w": sb, "label": "Fresh2", "rn": "my-k8s-1"}),
            "already in use",
        ),
        (
            json!({"w": sb, "label": "K8s"}),
            "Workspace already has a deployment named K8s",
        ),
        (json!({"w": sb, "label": "  "}), "label"),
        (
            json!({"w": sb, "label": "Big", "config": {"scheduler": {"resources": {"limits": {"cpu": 3600}}}}}),
            "maxPodAu",
        ),
        (
            json!({"w": sb, "label": "Big", "workers": {"resources": {"limits": {"memory": 13441}}}}),
            "maxPodAu",
        ),
        (
            json!({"w": sb, "label": "Big", "props": {"extra_au": 401}}),
            "maxExtraAu",
        ),
        (
            json!({"w": sb, "label": "Big", "props": {"extra_au": -1}}),
            "maxExtraAu",
        ),
        (
            json!({"w": sb, "label": "Big", "config": {"executor": "SequentialExecutor"}}),
            "Invalid executor",
        ),
        (
            json!({"w": sb, "label": "Big", "ex": "LocalExecutor", "workers": {"replicas": 2}}),
            "CeleryExecutor",
        ),
        (
            json!({"w": sb, "label": "Big", "config": {"scheduler": {"replicas": 9}}}),
            "scheduler replicas",
        ),
        (
            json!({"w": sb, "label": "Big", "af": "latest"}),
            "Invalid Airflow version",
        ),
    ];
    for (vars, text) in cases {
        let b = s.gql(ADMIN, CREATE, vars.clone()).await;
        assert_bad_input(&b, text);
        assert!(b["data"]["createDeployment"].is_null(), "{vars}: {b}");
    }
    let b = s
        .gql(ADMIN, CREATE, json!({"w": sb, "label": "X", "ex": "Nope"}))
        .await;
    assert!(b.get("errors").is_some());
    // Without permission.
    let b = s
        .gql(VERA, CREATE, json!({"w": dp, "label": "Sneaky"}))
        .await;
    assert_forbidden(&b, "createDeployment");
    assert_eq!(count_deployments(&s).await, before);
}

/// Poll `status` of a deployment until it equals `want`, failing after `within`.
async fn wait_for_status(s: &Srv, q: &str, id: &str, want: &str, within: std::time::Duration) {
    let deadline = std::time::Instant::now() + within;
    loop {
        let d = s.ok(ADMIN, q, json!({"id": id})).await;
        if d["deployment"]["status"] == want {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "status still {} after {within:?}, want {want}",
            d["deployment"]["status"]
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// A server whose DEPLOYING period cannot end before the assertions right after a write.
fn long_deploying() -> houston_local::Config {
    let mut cfg = test_config();
    cfg.deploying_secs = 600;
    cfg
}

#[tokio::test]
async fn new_deployment_is_deploying() {
    let s = start_with(long_deploying()).await;
    let sb = s.workspace_id("Sandbox").await;
    let d = s.ok(ADMIN, CREATE, json!({"w": sb, "label": "Soon"})).await;
    let id = d["createDeployment"]["id"].as_str().unwrap().to_string();
    let q = "query($id: String!) { deployment(where: {id: $id}) { status deploymentStatus { status } } }";
    let d = s.ok(ADMIN, q, json!({"id": id})).await;
    assert_eq!(d["deployment"]["status"], "DEPLOYING");
    assert_eq!(d["deployment"]["deploymentStatus"]["status"], "DEPLOYING");
    s.h.shutdown().await;
}

#[tokio::test]
async fn deploying_then_healthy_and_unhealthy_switch() {
    let s = seeded().await; // deploying_secs: 1
    let sb = s.workspace_id("Sandbox").await;
    let d = s.ok(ADMIN, CREATE, json!({"w": sb, "label": "Soon"})).await;
    let id = d["createDeployment"]["id"].as_str().unwrap().to_string();
    let rn = d["createDeployment"]["releaseName"]
        .as_str()
        .unwrap()
        .to_string();
    let q = "query($id: String!) { deployment(where: {id: $id}) { status deploymentStatus { status } } }";
    wait_for_status(&s, q, &id, "HEALTHY", std::time::Duration::from_secs(15)).await;
    s.h.set_unhealthy(&rn, true).unwrap();
    let d = s.ok(ADMIN, q, json!({"id": id})).await;
    assert_eq!(d["deployment"]["status"], "UNHEALTHY");
    assert_eq!(d["deployment"]["deploymentStatus"]["status"], "UNHEALTHY");
    s.h.set_unhealthy(&rn, false).unwrap();
    assert_eq!(
        s.ok(ADMIN, q, json!({"id": id})).await["deployment"]["status"],
        "HEALTHY"
    );
    assert!(s.h.set_unhealthy("no-such-release", true).is_err());
}

#[tokio::test]
async fn update_airflow_and_delete_deployment() {
    let s = start_with(long_deploying()).await;
    let (id, _) = s.deployment("Core ETL").await;
    let up = "mutation($d: Uuid!, $p: JSON, $ex: ExecutorType, $config: JSON, $trig: Int) { updateDeployment(deploymentUuid: $d, payload: $p, executor: $ex, config: $config, triggerer: {replicas: $trig}) { label description executor status config urls { type } properties } }";
    let d = s.ok(LINUS, up, json!({"d": id, "p": {"label": "Core ETL v2", "description": "d2", "properties": {"extra_au": 20}}, "trig": 2})).await;
    let u = &d["updateDeployment"];
    assert_eq!(u["label"], "Core ETL v2");
    assert_eq!(u["status"], "DEPLOYING");
    assert_eq!(u["properties"]["extra_au"], 20);
    assert_eq!(u["config"]["triggerer"]["replicas"], 2);
    // Executor switch removes, then re-adds, the Celery components.
    let d = s
        .ok(LINUS, up, json!({"d": id, "ex": "LocalExecutor"}))
        .await;
    let u = &d["updateDeployment"];
    assert_eq!(u["executor"], "LocalExecutor");
    assert!(
        u["config"].get("workers").is_none()
            && u["config"].get("flower").is_none()
            && u["config"].get("redis").is_none()
    );
    assert_eq!(u["config"]["executor"], "LocalExecutor");
    assert_eq!(u["urls"].as_array().unwrap().len(), 1);
    let d = s
        .ok(
            LINUS,
            up,
            json!({"d": id, "ex": "CeleryExecutor", "config": {"workers": {"replicas": 5}}}),
        )
        .await;
    assert_eq!(d["updateDeployment"]["config"]["workers"]["replicas"], 5);
    assert_eq!(
        d["updateDeployment"]["config"]["redis"]["resources"]["limits"]["cpu"],
        200
    );

    // Invalid and forbidden updates change nothing.
    let get =
        "query($id: String!) { deployment(where: {id: $id}) { label config properties executor } }";
    let before = s.ok(ADMIN, get, json!({"id": id})).await;
    let bad = [
        json!({"d": id, "config": {"webserver": {"resources": {"limits": {"cpu": 99999}}}}}),
        json!({"d": id, "p": {"properties": {"extra_au": 1000}}}),
        json!({"d": id, "p": {"label": "Data Quality"}}),
        json!({"d": id, "p": {"label": ""}}),
    ];
    for vars in bad {
        let b = s.gql(LINUS, up, vars.clone()).await;
        assert_eq!(code(&b), "BAD_USER_INPUT", "{vars}: {b}");
    }
    assert_forbidden(
        &s.gql(VERA, up, json!({"d": id, "p": {"label": "nope"}}))
            .await,
        "updateDeployment",
    );
    assert_eq!(s.ok(ADMIN, get, json!({"id": id})).await, before);

    // Airflow upgrade is two-phase.
    let af = "mutation($d: Uuid!, $v: String!) { updateDeploymentAirflow(deploymentUuid: $d, desiredAirflowVersion: $v) { airflowVersion desiredAirflowVersion } }";
    let d = s.ok(LINUS, af, json!({"d": id, "v": "2.10.3"})).await;
    assert_eq!(
        d["updateDeploymentAirflow"],
        json!({"airflowVersion": "2.9.2", "desiredAirflowVersion": "2.10.3"})
    );
    let d = s.ok(LINUS, af, json!({"d": id, "v": "2.9.2"})).await;
    assert_eq!(
        d["updateDeploymentAirflow"]["desiredAirflowVersion"],
        "2.9.2"
    );
    assert_bad_input(
        &s.gql(LINUS, af, json!({"d": id, "v": "2.7.3"})).await,
        "downgrade",
    );
    assert_bad_input(
        &s.gql(LINUS, af, json!({"d": id, "v": "banana"})).await,
        "Invalid Airflow version",
    );
    assert_forbidden(
        &s.gql(VERA, af, json!({"d": id, "v": "2.10.3"})).await,
        "updateDeploymentAirflow",
    );
    let d = s
        .ok(
            ADMIN,
            "query($id: String!) { deployment(where: {id: $id}) { desiredAirflowVersion } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(d["deployment"]["desiredAirflowVersion"], "2.9.2");

    // Delete: editors cannot, admins (workspace admin via synthetic binding) can.
    let del = "mutation($d: Uuid!, $hard: Boolean) { deleteDeployment(deploymentUuid: $d, deploymentHardDelete: $hard) { id label } }";
    assert_forbidden(
        &s.gql(LINUS, del, json!({"d": id, "hard": false})).await,
        "deleteDeployment",
    );
    assert_eq!(count_deployments(&s).await, 10);
    let d = s.ok(GRACE, del, json!({"d": id, "hard": false})).await;
    assert_eq!(d["deleteDeployment"]["label"], "Core ETL v2");
    assert_eq!(count_deployments(&s).await, 9);
    assert_eq!(
        code(&s.gql(GRACE, del, json!({"d": id})).await),
        "RESOURCE_NOT_FOUND"
    );
}

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
async fn deployment_editor_via_direct_binding() {
    let s = seeded().await;
    let (id, _) = s.deployment("Campaign Attribution").await;
    let caps = "query($id: String!) { deployment(where: {id: $id}) { deploymentCapabilities { canDeploy canUpdateDeployment canDeleteDeployment canUpdateVariables canUpdateUserRole canCreateServiceAccount } } }";
    let d = s.ok(DAN, caps, json!({"id": id})).await;
    assert_eq!(
        d["deployment"]["deploymentCapabilities"],
        json!({"canDeploy": true, "canUpdateDeployment": true, "canDeleteDeployment": false, "canUpdateVariables": true, "canUpdateUserRole": false, "canCreateServiceAccount": true})
    );
    let d = s.ok(VERA, caps, json!({"id": id})).await;
    assert_eq!(
        d["deployment"]["deploymentCapabilities"]["canUpdateDeployment"],
        false
    );
    let d = s.ok(ADMIN, caps, json!({"id": id})).await;
    assert_eq!(
        d["deployment"]["deploymentCapabilities"]["canDeleteDeployment"],
        true
    );
    // DAN has no workspace role in Marketing, so the workspace list is hidden.
    let mk = s.workspace_id("Marketing Analytics").await;
    assert_forbidden(
        &s.gql(DAN, LIST, json!({"w": mk})).await,
        "workspaceDeployments",
    );
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

/// One line per component per second, and 2000 lines of history per component.
fn with_logs(interval_ms: u64) -> houston_local::Config {
    let mut cfg = test_config();
    cfg.log_interval_ms = interval_ms;
    cfg
}

const LOGS: &str = "query($d: Uuid!, $c: String, $t: DateTime, $s: String) { logs(deploymentUuid: $d, component: $c, timestamp: $t, search: $s) { id timestamp release component level message } }";

fn lines(d: &Value) -> Vec<Value> {
    d["logs"].as_array().unwrap().clone()
}

#[tokio::test]
async fn logs_query() {
    let s = start_with(with_logs(1000)).await;
    let (id, rn) = s.deployment("Core ETL").await;
    let all = lines(&s.ok(VERA, LOGS, json!({"d": id, "s": ""})).await);
    // Newest 800 (Houston's cap), oldest first.
    assert_eq!(all.len(), 800);
    assert!(
        all.windows(2)
            .all(|w| w[0]["timestamp"].as_str() <= w[1]["timestamp"].as_str())
    );
    assert_eq!(all[0]["release"], rn);
    let ids: std::collections::HashSet<_> = all.iter().map(|l| l["id"].clone()).collect();
    assert_eq!(ids.len(), 800, "ids are unique");
    let comps: std::collections::BTreeSet<_> = all
        .iter()
        .map(|l| l["component"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        comps.into_iter().collect::<Vec<_>>(),
        vec!["scheduler", "triggerer", "webserver", "worker"]
    );
    let web = lines(
        &s.ok(VERA, LOGS, json!({"d": id, "c": "webserver", "s": ""}))
            .await,
    );
    assert_eq!(web.len(), 800);
    assert!(
        web.iter().all(|l| l["component"] == "webserver"
            && l["message"].as_str().unwrap().contains("HTTP/1.1\""))
    );
    // Records newer than a timestamp: the same lines (ids, text) as before, then newer ones.
    let mid = all[700]["timestamp"].as_str().unwrap();
    let newer = lines(&s.ok(VERA, LOGS, json!({"d": id, "t": mid})).await);
    assert!(newer.len() >= 99, "{}", newer.len());
    assert_eq!(newer[..99], all[701..]);
    assert!(newer.iter().all(|l| l["timestamp"].as_str().unwrap() > mid));
    let hits = lines(&s.ok(VERA, LOGS, json!({"d": id, "s": "HEARTBEAT"})).await);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|l| {
        l["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("heartbeat")
    }));
    assert!(lines(&s.ok(VERA, LOGS, json!({"d": id, "c": "nonexistent"})).await).is_empty());
    assert_bad_input(
        &s.gql(VERA, LOGS, json!({"d": id, "t": "yesterday"})).await,
        "Invalid timestamp",
    );
    let (ml, _) = s.deployment("Feature Store").await;
    assert_forbidden(&s.gql(VERA, LOGS, json!({"d": ml})).await, "logs");
}

#[tokio::test]
async fn an_unhealthy_deployment_logs_missed_heartbeats_and_errors() {
    let s = start_with(with_logs(1000)).await;
    // Email Metrics is seeded UNHEALTHY; Campaign Attribution is healthy until marked so.
    let (sick, _) = s.deployment("Email Metrics").await;
    let scheduler = |d: &str| json!({"d": d, "c": "scheduler"});
    let sick_lines = lines(&s.ok(ADMIN, LOGS, scheduler(&sick)).await);
    assert!(sick_lines.iter().any(|l| {
        l["message"]
            .as_str()
            .unwrap()
            .contains("Scheduler heartbeat missed")
    }));
    assert!(sick_lines.iter().all(|l| {
        !l["message"]
            .as_str()
            .unwrap()
            .ends_with("Scheduler heartbeat")
    }));
    assert!(sick_lines.iter().filter(|l| l["level"] == "ERROR").count() > 100);

    let (id, rn) = s.deployment("Campaign Attribution").await;
    let before = lines(&s.ok(ADMIN, LOGS, scheduler(&id)).await);
    assert!(
        before
            .iter()
            .all(|l| !l["message"].as_str().unwrap().contains("heartbeat missed"))
    );
    s.h.set_unhealthy(&rn, true).unwrap();
    let marked = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    // Earlier lines keep their text; lines from now on show the failure.
    let after = lines(&s.ok(ADMIN, LOGS, scheduler(&id)).await);
    let last_before = before.last().unwrap();
    let same = after.iter().find(|l| l["id"] == last_before["id"]).unwrap();
    assert_eq!(same, last_before);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let new = lines(
            &s.ok(ADMIN, LOGS, json!({"d": id, "c": "scheduler", "t": marked}))
                .await,
        );
        if new
            .iter()
            .any(|l| l["level"] == "ERROR" || l["level"] == "WARNING")
        {
            assert!(new.iter().all(|l| {
                !l["message"]
                    .as_str()
                    .unwrap()
                    .ends_with("Scheduler heartbeat")
            }));
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{new:?}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn new_log_lines_appear_over_time() {
    let s = start_with(with_logs(20)).await;
    let (id, _) = s.deployment("Playground").await;
    let q = "query($d: Uuid!, $t: DateTime) { logs(deploymentUuid: $d, timestamp: $t) { timestamp component } }";
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let d = loop {
        let d = s.ok(ADMIN, q, json!({"d": id, "t": now})).await;
        let n = d["logs"].as_array().unwrap().len();
        if n >= 6 {
            break d;
        }
        assert!(std::time::Instant::now() < deadline, "only {n} new lines");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let fresh = d["logs"].as_array().unwrap();
    assert!(
        fresh
            .iter()
            .all(|l| l["timestamp"].as_str().unwrap() > now.as_str())
    );
    // Local executor: no worker lines.
    assert!(fresh.iter().all(|l| l["component"] != "worker"));
    // With log lines switched off there are none.
    let quiet = seeded().await;
    let (id, _) = quiet.deployment("Playground").await;
    assert!(lines(&quiet.ok(ADMIN, LOGS, json!({"d": id})).await).is_empty());
}

#[tokio::test]
async fn repeated_reads_see_every_write() {
    // Identical documents are served from the response cache; any write must invalidate it.
    let mut cfg = test_config();
    cfg.deploying_secs = 3;
    let s = start_with(cfg).await;
    let dp = s.workspace_id("Data Platform").await;
    let label = |d: &Value| d["workspaceDeployments"][0]["label"].clone();
    let first = s.ok(VERA, LIST, json!({"w": dp})).await;
    assert_eq!(s.ok(VERA, LIST, json!({"w": dp})).await, first);
    assert_eq!(label(&first), "Core ETL");
    let (id, _) = s.deployment("Core ETL").await;
    let written = std::time::Instant::now();
    s.ok(
        LINUS,
        "mutation($d: Uuid!) { updateDeployment(deploymentUuid: $d, payload: {label: \"Renamed\"}) { id } }",
        json!({"d": id}),
    )
    .await;
    let after = s.ok(VERA, LIST, json!({"w": dp})).await;
    assert_eq!(label(&after), "Renamed");
    // The 3 s DEPLOYING window can only have closed on a badly stalled machine.
    if written.elapsed() < std::time::Duration::from_millis(2500) {
        assert_eq!(after["workspaceDeployments"][0]["status"], "DEPLOYING");
    }
    // The cached DEPLOYING reply expires when the period ends: poll with a deadline.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let settled = s.ok(VERA, LIST, json!({"w": dp})).await;
        if settled["workspaceDeployments"][0]["status"] == "HEALTHY" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{settled}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Role changes are writes too: VERA loses access immediately.
    let vera =
        s.ok(VERA, "{ self { user { id } } }", json!({})).await["self"]["user"]["id"].clone();
    s.ok(
        GRACE,
        "mutation($w: Uuid!, $u: Uuid!) { workspaceRemoveUser(workspaceUuid: $w, userUuid: $u) { id } }",
        json!({"w": dp, "u": vera}),
    )
    .await;
    assert_forbidden(
        &s.gql(VERA, LIST, json!({"w": dp})).await,
        "workspaceDeployments",
    );
}
