//! Houston 0.36 / 0.37 (Software) and 1.0.x, 2.0.x, 2.1.x (Astro Private Cloud): what each
//! exposes (introspection against the public sources' lists), what each refuses, the config
//! tiers of `appConfig`, and the system-level reads real tools send.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::clusters::AWS;
use common::*;
use serde_json::{Value, json};

const INTROSPECT: &str =
    "{ __schema { types { name fields { name args { name } } inputFields { name } } } }";

/// `Type` → `field` → sorted argument names.
async fn introspected(s: &Srv) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let d = s.ok(ADMIN, INTROSPECT, json!({})).await;
    let mut out = BTreeMap::new();
    for t in d["__schema"]["types"].as_array().unwrap() {
        let mut fields = BTreeMap::new();
        for f in t["fields"].as_array().into_iter().flatten() {
            let args = f["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["name"].as_str().unwrap().to_string())
                .collect();
            fields.insert(f["name"].as_str().unwrap().to_string(), args);
        }
        out.insert(t["name"].as_str().unwrap().to_string(), fields);
    }
    out
}

fn set(list: &str) -> BTreeSet<String> {
    list.split_whitespace().map(str::to_string).collect()
}

fn fields(
    schema: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    ty: &str,
) -> BTreeSet<String> {
    schema[ty].keys().cloned().collect()
}

fn args(
    schema: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    ty: &str,
    field: &str,
) -> BTreeSet<String> {
    schema[ty][field].clone()
}

#[tokio::test]
async fn software_0_36_and_0_37_expose_what_0_35_does() {
    let base = seeded_at("0.35.0").await;
    let expected = introspected(&base).await;
    base.h.shutdown().await;
    for v in ["0.36.0", "0.37.2"] {
        let s = seeded_at(v).await;
        assert_eq!(introspected(&s).await, expected, "{v}");
        let d = s.ok(ADMIN, "{ appConfig { version } }", json!({})).await;
        assert_eq!(d["appConfig"]["version"], v);
        s.h.shutdown().await;
    }
}

#[tokio::test]
async fn apc_1_0_adds_clusters_and_upsert_and_keeps_the_certified_fields() {
    let s = seeded_at("1.0.0").await;
    let schema = introspected(&s).await;
    let query = fields(&schema, "Query");
    for f in [
        "paginatedClusters",
        "cluster",
        "sysWorkspaces",
        "deploymentTaskUsage",
    ] {
        assert!(query.contains(f), "Query.{f}");
    }
    assert_eq!(
        args(&schema, "Query", "paginatedClusters"),
        set("take cursor pageNumber searchPhrase k8sVersion id sortBy sortDirection")
    );
    assert_eq!(args(&schema, "Query", "cluster"), set("id"));
    assert_eq!(
        args(&schema, "Query", "deploymentTaskUsage"),
        set("releaseName startDate endDate")
    );
    assert_eq!(args(&schema, "Query", "appConfig"), set("clusterId"));
    assert_eq!(
        args(&schema, "Query", "availableNamespaces"),
        set("clusterId")
    );
    assert!(args(&schema, "Query", "paginatedDeployments").contains("clusterId"));
    assert!(args(&schema, "Query", "runtimeReleases").contains("clusterId"));
    let mutation = fields(&schema, "Mutation");
    for f in [
        "upsertDeployment",
        "registerCluster",
        "updateCluster",
        "deregisterCluster",
        "reconcileClusterMetadataJob",
        "createSystemServiceAccount",
        "adoptDeployment",
    ] {
        assert!(mutation.contains(f), "Mutation.{f}");
    }
    let upsert = args(&schema, "Mutation", "upsertDeployment");
    for a in [
        "workspaceUuid",
        "deploymentUuid",
        "clusterId",
        "label",
        "description",
        "releaseName",
        "namespace",
        "runtimeVersion",
        "executor",
        "triggerer",
        "dagDeployment",
        "cloudRole",
        "image",
        "airflowVersion",
    ] {
        assert!(upsert.contains(a), "upsertDeployment({a})");
    }
    assert!(!upsert.contains("mode"), "mode arrives with 2.1");
    assert!(args(&schema, "Mutation", "adoptDeployment").contains("clusterId"));
    let deployment = fields(&schema, "Deployment");
    for f in [
        "clusterId",
        "cluster",
        "analyticsPluginEnabled",
        "airflowDbCleanupPluginEnabled",
        "alertEmails",
        "config",
        "environmentVariables",
        "runtimeAirflowVersion",
        "airflowVersion",
        "desiredAirflowVersion",
    ] {
        assert!(deployment.contains(f), "Deployment.{f}");
    }
    assert!(!deployment.contains("mode"));
    let cluster = fields(&schema, "Cluster");
    assert!(cluster.is_superset(&set(
        "id name k8sVersion cloudProvider status statusReason config"
    )));
    assert_eq!(fields(&schema, "PaginatedClusters"), set("clusters count"));
    assert!(fields(&schema, "AppConfig").is_superset(&set(
        "manualReleaseNames configureDagDeployment nfsMountDagDeployment manualNamespaceNames hardDeleteDeployment triggererEnabled prometheusEnabled elasticSearchEnabled featureFlags"
    )));
    s.h.shutdown().await;
}

#[tokio::test]
async fn apc_1_0_1_drops_astronomer_certified() {
    let s = seeded_at("1.0.1").await;
    let schema = introspected(&s).await;
    let deployment = fields(&schema, "Deployment");
    assert!(
        !deployment.contains("airflowVersion") && !deployment.contains("desiredAirflowVersion")
    );
    assert!(deployment.contains("runtimeAirflowVersion"));
    let config = fields(&schema, "DeploymentConfig");
    for gone in ["airflowImages", "airflowVersions", "defaultAirflowImageTag"] {
        assert!(!config.contains(gone), "DeploymentConfig.{gone}");
    }
    assert_eq!(
        args(&schema, "Mutation", "updateDeploymentImage"),
        set("releaseName image runtimeVersion")
    );
    assert!(!args(&schema, "Mutation", "upsertDeployment").contains("airflowVersion"));
    // A document still selecting them is refused as a real Houston refuses an unknown field.
    let body = refused(
        &s,
        ADMIN,
        "{ deployments { id airflowVersion } }",
        json!({}),
    )
    .await;
    assert_eq!(
        message(&body),
        "Cannot query field \"airflowVersion\" on type \"Deployment\"."
    );
    let body = refused(
        &s,
        ADMIN,
        "{ deploymentConfig { airflowImages { tag } } }",
        json!({}),
    )
    .await;
    assert!(message(&body).starts_with("Cannot query field \"airflowImages\""));
    s.h.shutdown().await;
    // One version earlier, the same document runs.
    let s = seeded_at("1.0.0").await;
    s.ok(ADMIN, "{ deployments { id airflowVersion } }", json!({}))
        .await;
    s.h.shutdown().await;
}

#[tokio::test]
async fn apc_2_0_moves_the_deployment_settings_to_feature_flags() {
    let s = seeded_at("2.0.0").await;
    let schema = introspected(&s).await;
    assert_eq!(
        fields(&schema, "AppConfig"),
        set(
            "version baseDomain smtpConfigured prometheusEnabled elasticSearchEnabled featureFlags byoUpdateRegistryHost"
        )
    );
    assert_eq!(
        args(&schema, "Query", "appConfig"),
        set("clusterId workspaceUuid deploymentUuid")
    );
    let body = refused(
        &s,
        ADMIN,
        "{ appConfig { version triggererEnabled } }",
        json!({}),
    )
    .await;
    assert_eq!(
        message(&body),
        "Cannot query field \"triggererEnabled\" on type \"AppConfig\"."
    );
    let d = s
        .ok(ADMIN, "{ appConfig { featureFlags } }", json!({}))
        .await;
    let flags = &d["appConfig"]["featureFlags"];
    for key in [
        "manualReleaseNames",
        "configureDagDeployment",
        "nfsMountDagDeployment",
        "manualNamespaceNames",
        "hardDeleteDeployment",
        "triggererEnabled",
        "gitSyncDagDeployment",
        "namespaceFreeFormEntry",
        "byoUpdateRegistryEnabled",
        "astroRuntimeEnabled",
        "dagOnlyDeployment",
    ] {
        assert!(flags[key].is_boolean(), "featureFlags.{key}: {flags}");
    }
    assert!(!fields(&schema, "Deployment").contains("mode"));
    s.h.shutdown().await;
}

#[tokio::test]
async fn apc_2_1_adds_deployment_modes() {
    let s = seeded_at("2.1.0").await;
    let schema = introspected(&s).await;
    assert!(fields(&schema, "Deployment").contains("mode"));
    assert!(args(&schema, "Mutation", "upsertDeployment").contains("mode"));
    let d = s
        .ok(
            ADMIN,
            "{ __type(name: \"AllowedDeploymentModeValues\") { enumValues { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        d["__type"]["enumValues"],
        json!([{"name": "helm"}, {"name": "operator"}])
    );
    s.h.shutdown().await;
}

const APP_CONFIG: &str = "query($c: Uuid, $w: Uuid, $d: Uuid) { appConfig(clusterId: $c, workspaceUuid: $w, deploymentUuid: $d) { featureFlags } }";

/// The flags appConfig reports for these tier ids.
async fn flags(s: &Srv, vars: Value) -> (bool, bool, bool, bool) {
    let d = s.ok(VERA, APP_CONFIG, vars).await;
    let f = &d["appConfig"]["featureFlags"];
    let b = |k: &str| f[k].as_bool().unwrap_or_else(|| panic!("{k}: {f}"));
    (
        b("manualNamespaceNames"),
        b("hardDeleteDeployment"),
        b("dagOnlyDeployment"),
        b("triggererEnabled"),
    )
}

/// The demo's tiers: the aws cluster allows manual namespaces and forbids hard deletes, Data
/// Platform allows hard deletes and DAG-only deploys, Core ETL forbids DAG-only deploys and
/// the triggerer.
#[tokio::test]
async fn app_config_merges_platform_cluster_workspace_and_deployment_tiers() {
    let s = seeded_at("2.0.0").await;
    let aws = s.cluster_id(AWS).await;
    let ws = s.workspace_id("Data Platform").await;
    let (core, _) = s.deployment("Core ETL").await;
    assert_eq!(
        flags(&s, json!({})).await,
        (false, true, false, true),
        "platform"
    );
    assert_eq!(
        flags(&s, json!({"c": aws})).await,
        (true, false, false, true),
        "cluster"
    );
    assert_eq!(
        flags(&s, json!({"c": aws, "w": ws})).await,
        (true, true, true, true),
        "workspace over cluster"
    );
    let all = flags(&s, json!({"c": aws, "w": ws, "d": core})).await;
    assert_eq!(all, (true, true, false, false), "deployment over workspace");
    // A deployment implies its cluster and workspace.
    assert_eq!(flags(&s, json!({"d": core})).await, all);
    for vars in [
        json!({"c": "nope"}),
        json!({"w": "nope"}),
        json!({"d": "nope"}),
    ] {
        let body = s.gql(VERA, APP_CONFIG, vars.clone()).await;
        assert_eq!(code(&body), "RESOURCE_NOT_FOUND", "{vars}");
    }
    s.h.shutdown().await;
    // At 1.0 only the cluster tier exists, also in the top-level fields.
    let s = seeded_at("1.0.0").await;
    let aws = s.cluster_id(AWS).await;
    let q = "query($c: Uuid) { appConfig(clusterId: $c) { manualNamespaceNames hardDeleteDeployment featureFlags } }";
    let d = s.ok(VERA, q, json!({"c": aws})).await;
    assert_eq!(d["appConfig"]["manualNamespaceNames"], true);
    assert_eq!(d["appConfig"]["hardDeleteDeployment"], false);
    assert_eq!(d["appConfig"]["featureFlags"]["manualNamespaceNames"], true);
    s.h.shutdown().await;
}

const SYS_WORKSPACES: &str = "{ sysWorkspaces { id label deployments { id namespace releaseName label config environmentVariables { key value } runtimeAirflowVersion runtimeVersion analyticsPluginEnabled airflowDbCleanupPluginEnabled alertEmails mode createdAt updatedAt urls { type url } cluster { id name k8sVersion cloudProvider status config } } } }";

#[tokio::test]
async fn sys_workspaces_answers_system_users_and_refuses_others() {
    let s = seeded_at("2.1.0").await;
    for who in [ADMIN, SAM] {
        let d = s.ok(who, SYS_WORKSPACES, json!({})).await;
        let wss = d["sysWorkspaces"].as_array().unwrap();
        assert_eq!(wss.len(), 4, "{who}");
        let core = wss[0]["deployments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["label"] == "Core ETL")
            .unwrap();
        assert_eq!(core["analyticsPluginEnabled"], true);
        assert_eq!(core["mode"], "helm");
        assert_eq!(core["cluster"]["name"], AWS);
        assert_eq!(core["alertEmails"], json!(["data-oncall@astrodash.local"]));
    }
    assert_forbidden(
        &s.gql(GRACE, SYS_WORKSPACES, json!({})).await,
        "sysWorkspaces",
    );
    // `workspace(workspaceUuid) { deployments }` reads the same fields for workspace members.
    let ws = s.workspace_id("Data Platform").await;
    let d = s
        .ok(
            GRACE,
            "query($w: Uuid!) { workspace(workspaceUuid: $w) { deployments { id clusterId cluster { name } analyticsPluginEnabled } } }",
            json!({"w": ws}),
        )
        .await;
    assert_eq!(d["workspace"]["deployments"].as_array().unwrap().len(), 4);
    s.h.shutdown().await;
    // orbis tells 0.x from 1.x by this probe: a validation error on 0.x.
    let s = seeded_at("0.37.0").await;
    refused(
        &s,
        ADMIN,
        "{ sysWorkspaces { deployments { cluster { id } } } }",
        json!({}),
    )
    .await;
    s.h.shutdown().await;
}

const TASK_USAGE: &str = "query($r: String!, $s: DateTime, $e: DateTime) { deploymentTaskUsage(releaseName: $r, startDate: $s, endDate: $e) { countSuccessfulTasks countFailedTasks countTotalTasks startDateRange endDateRange } }";

#[tokio::test]
async fn task_usage_is_deterministic_and_shows_failures_of_unhealthy_deployments() {
    let s = seeded_at("1.0.1").await;
    let (_, core) = s.deployment("Core ETL").await;
    let (_, email) = s.deployment("Email Metrics").await;
    let (_, campaign) = s.deployment("Campaign Attribution").await;
    let range = |r: &str| json!({"r": r, "s": "2026-11-01", "e": "2026-11-30T23:59:59Z"});
    let usage = |d: &Value| d["deploymentTaskUsage"].clone();
    let first = usage(&s.ok(ADMIN, TASK_USAGE, range(&core)).await);
    assert_eq!(first, usage(&s.ok(ADMIN, TASK_USAGE, range(&core)).await));
    let n = |u: &Value, k: &str| u[k].as_i64().unwrap();
    assert_eq!(
        n(&first, "countTotalTasks"),
        n(&first, "countSuccessfulTasks") + n(&first, "countFailedTasks")
    );
    assert!(
        n(&first, "countSuccessfulTasks") >= 30 * 40,
        "30 days: {first}"
    );
    assert!(n(&first, "countFailedTasks") < 30 * 3, "{first}");
    assert_eq!(first["startDateRange"], "2026-11-01T00:00:00.000Z");
    assert_eq!(first["endDateRange"], "2026-11-30T23:59:59.000Z");
    let unhealthy = usage(&s.ok(ADMIN, TASK_USAGE, range(&email)).await);
    assert!(n(&unhealthy, "countFailedTasks") >= 30 * 30, "{unhealthy}");
    // Deployment readers may ask; others may not.
    s.ok(DAN, TASK_USAGE, range(&campaign)).await;
    assert_forbidden(
        &s.gql(DAN, TASK_USAGE, range(&core)).await,
        "deploymentTaskUsage",
    );
    let backwards = json!({"r": core, "s": "2026-12-01", "e": "2026-11-01"});
    assert_bad_input(&s.gql(ADMIN, TASK_USAGE, backwards).await, "startDate");
    let garbled = json!({"r": core, "s": "last week"});
    assert_bad_input(
        &s.gql(ADMIN, TASK_USAGE, garbled).await,
        "Invalid startDate",
    );
    let unknown = s
        .gql(ADMIN, TASK_USAGE, json!({"r": "no-such-release"}))
        .await;
    assert_eq!(code(&unknown), "RESOURCE_NOT_FOUND");
    s.h.shutdown().await;
}

#[tokio::test]
async fn system_service_accounts_exist_at_apc_versions() {
    let s = seeded_at("2.1.0").await;
    let q = "mutation { createSystemServiceAccount(label: \"orbis\", role: SYSTEM_ADMIN) { id apiKey } }";
    let d = s.ok(ADMIN, q, json!({})).await;
    assert!(d["createSystemServiceAccount"]["apiKey"].is_string());
    assert_forbidden(
        &s.gql(SAM, q, json!({})).await,
        "createSystemServiceAccount",
    );
    s.h.shutdown().await;
}
