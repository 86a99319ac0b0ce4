//! Deployments: listing, creating (defaults and validation), the status simulation, updates,
//! deletion, a deployment editor's rights, and the response cache seeing every write.
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
    // houston-local serves each deployment's Airflow and Flower at its own address.
    let own = format!("http://{}", s.h.addr());
    assert_eq!(
        core["urls"],
        json!([
            {"type": "airflow", "url": format!("{own}/{rn}/airflow")},
            {"type": "flower", "url": format!("{own}/{rn}/flower")}
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
