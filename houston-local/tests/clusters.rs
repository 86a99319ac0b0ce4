//! Astro Private Cloud clusters (Houston 1.0+): listing, reading, registering, renaming,
//! deregistering, with their permissions and errors; deployments on clusters; INACTIVE
//! clusters refusing new deployments; `serve`'s INACTIVE switch.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::clusters::{AWS, GCP};
use common::*;
use serde_json::{Value, json};

const LIST: &str = "query($take: Int, $cursor: Uuid, $page: Int, $s: String, $k: String, $id: Uuid, $by: String, $dir: String) { paginatedClusters(take: $take, cursor: $cursor, pageNumber: $page, searchPhrase: $s, k8sVersion: $k, id: $id, sortBy: $by, sortDirection: $dir) { count clusters { id name k8sVersion cloudProvider status statusReason metadataUrl config } } }";

fn names(d: &Value) -> Vec<String> {
    d["paginatedClusters"]["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn every_user_lists_the_demo_clusters_with_their_status() {
    let s = seeded_at("2.1.0").await;
    for who in [ADMIN, VERA, DAN] {
        let d = s.ok(who, LIST, json!({})).await;
        assert_eq!(names(&d), [AWS, GCP], "{who}");
        assert_eq!(d["paginatedClusters"]["count"], 2);
    }
    let d = s.ok(VERA, LIST, json!({})).await;
    let [aws, gcp] = d["paginatedClusters"]["clusters"]
        .as_array()
        .unwrap()
        .as_slice()
    else {
        panic!("two clusters: {d}");
    };
    assert_eq!(aws["status"], "ACTIVE");
    assert!(aws["statusReason"].is_null());
    assert_eq!(aws["cloudProvider"], "aws");
    assert_eq!(gcp["status"], "INACTIVE");
    assert_eq!(
        gcp["statusReason"]["message"],
        "Commander metadata request failed: connection refused"
    );
    let dataplane = &aws["config"]["dataplane"];
    for key in [
        "id",
        "url",
        "mode",
        "chartVersion",
        "releaseNamespace",
        "releaseName",
    ] {
        assert!(!dataplane[key].is_null(), "dataplane.{key}: {aws}");
    }
    assert!(aws["config"]["commander"]["url"].is_string());
    assert!(aws["config"]["commander"]["version"].is_string());
    // Anonymous callers see nothing.
    let body = s.raw(None, LIST, json!({})).await;
    assert_forbidden(&body, "paginatedClusters");
    s.h.shutdown().await;
}

#[tokio::test]
async fn clusters_filter_sort_and_page() {
    let s = seeded_at("1.0.0").await;
    let search = s.ok(ADMIN, LIST, json!({"s": "EUROPE"})).await;
    assert_eq!(names(&search), [GCP]);
    assert_eq!(search["paginatedClusters"]["count"], 1);
    assert_eq!(names(&s.ok(ADMIN, LIST, json!({"k": "1.30"})).await), [AWS]);
    let gcp = s.cluster_id(GCP).await;
    assert_eq!(names(&s.ok(ADMIN, LIST, json!({"id": gcp})).await), [GCP]);
    let desc = s
        .ok(ADMIN, LIST, json!({"by": "name", "dir": "desc"}))
        .await;
    assert_eq!(names(&desc), [GCP, AWS]);
    let second = s.ok(ADMIN, LIST, json!({"take": 1, "page": 1})).await;
    assert_eq!(names(&second), [GCP]);
    assert_eq!(
        second["paginatedClusters"]["count"], 2,
        "count is before paging"
    );
    let aws = s.cluster_id(AWS).await;
    let after = s.ok(ADMIN, LIST, json!({"take": 5, "cursor": aws})).await;
    assert_eq!(names(&after), [GCP]);
    assert_bad_input(
        &s.gql(ADMIN, LIST, json!({"by": "colour"})).await,
        "Invalid sortBy",
    );
    s.h.shutdown().await;
}

#[tokio::test]
async fn reading_one_cluster_needs_system_clusters_get() {
    let s = seeded_at("2.0.0").await;
    let id = s.cluster_id(AWS).await;
    let q = "query($id: Uuid!) { cluster(id: $id) { id name status } }";
    for who in [ADMIN, SAM] {
        let d = s.ok(who, q, json!({"id": id})).await;
        assert_eq!(d["cluster"]["name"], AWS, "{who}");
    }
    assert_forbidden(&s.gql(GRACE, q, json!({"id": id})).await, "cluster");
    assert_forbidden(&s.raw(None, q, json!({"id": id})).await, "cluster");
    // One cluster's config is its merged deployment config: the platform default with the
    // cluster's tier over it; the list keeps the cluster's tier only.
    let q_config = "query($id: Uuid!) { cluster(id: $id) { config } }";
    let one = s.ok(ADMIN, q_config, json!({"id": id})).await;
    let merged = &one["cluster"]["config"]["deployments"];
    assert_eq!(merged["manualNamespaceNames"], true, "cluster tier: {one}");
    assert_eq!(merged["hardDeleteDeployment"], false, "cluster tier: {one}");
    assert_eq!(merged["triggererEnabled"], true, "platform default: {one}");
    assert!(one["cluster"]["config"]["dataplane"]["url"].is_string());
    let listed = s.ok(ADMIN, LIST, json!({"id": id})).await;
    let tier = &listed["paginatedClusters"]["clusters"][0]["config"]["deployments"];
    assert!(tier["triggererEnabled"].is_null(), "list: {listed}");
    let unknown = s.gql(ADMIN, q, json!({"id": "no-such-cluster"})).await;
    assert_eq!(code(&unknown), "RESOURCE_NOT_FOUND", "{unknown}");
    s.h.shutdown().await;
}

const REGISTER: &str = "mutation($n: String!, $u: String!) { registerCluster(name: $n, metadataUrl: $u) { id name status k8sVersion config } }";

#[tokio::test]
async fn a_system_admin_registers_renames_and_deregisters_a_cluster() {
    let s = seeded_at("2.1.0").await;
    let vars = json!({"n": "azure-west", "u": "https://commander.azure-west.example.com/metadata"});
    for who in [SAM, GRACE] {
        assert_forbidden(&s.gql(who, REGISTER, vars.clone()).await, "registerCluster");
    }
    assert_forbidden(
        &s.raw(None, REGISTER, vars.clone()).await,
        "registerCluster",
    );
    let d = s.ok(ADMIN, REGISTER, vars.clone()).await;
    let c = &d["registerCluster"];
    assert_eq!(c["status"], "ACTIVE", "a registered cluster starts ACTIVE");
    assert_eq!(
        c["config"]["dataplane"]["url"],
        "https://commander.azure-west.example.com"
    );
    let id = c["id"].as_str().unwrap().to_string();
    // Names and metadata URLs are unique.
    let same_name = json!({"n": "azure-west", "u": "https://other.example.com/metadata"});
    assert_bad_input(&s.gql(ADMIN, REGISTER, same_name).await, "already exists");
    let same_url =
        json!({"n": "azure-2", "u": "https://commander.azure-west.example.com/metadata"});
    assert_bad_input(
        &s.gql(ADMIN, REGISTER, same_url).await,
        "already registered",
    );
    let bad_url = json!({"n": "azure-3", "u": "commander.example.com"});
    assert_bad_input(
        &s.gql(ADMIN, REGISTER, bad_url).await,
        "Invalid metadata URL",
    );

    let rename =
        "mutation($id: Uuid!, $n: String!) { updateCluster(id: $id, name: $n) { id name } }";
    assert_forbidden(
        &s.gql(SAM, rename, json!({"id": id, "n": "x"})).await,
        "updateCluster",
    );
    assert_bad_input(
        &s.gql(ADMIN, rename, json!({"id": id, "n": AWS})).await,
        "already exists",
    );
    let d = s
        .ok(ADMIN, rename, json!({"id": id, "n": "azure-west-2"}))
        .await;
    assert_eq!(d["updateCluster"]["name"], "azure-west-2");
    let unknown = s.gql(ADMIN, rename, json!({"id": "nope", "n": "y"})).await;
    assert_eq!(code(&unknown), "RESOURCE_NOT_FOUND");

    let reconcile = "mutation($id: Uuid) { reconcileClusterMetadataJob(id: $id) }";
    assert_eq!(
        s.ok(ADMIN, reconcile, json!({"id": id})).await["reconcileClusterMetadataJob"],
        true
    );
    assert_forbidden(
        &s.gql(VERA, reconcile, json!({})).await,
        "reconcileClusterMetadataJob",
    );

    let deregister = "mutation($id: Uuid!) { deregisterCluster(id: $id) { id name } }";
    assert_forbidden(
        &s.gql(SAM, deregister, json!({"id": id})).await,
        "deregisterCluster",
    );
    assert_forbidden(
        &s.raw(None, deregister, json!({"id": id})).await,
        "deregisterCluster",
    );
    let d = s.ok(ADMIN, deregister, json!({"id": id})).await;
    assert_eq!(
        d["deregisterCluster"],
        json!({"id": id, "name": "azure-west-2"})
    );
    assert_eq!(names(&s.ok(ADMIN, LIST, json!({})).await), [AWS, GCP]);
    // A cluster with deployments stays.
    let gcp = s.cluster_id(GCP).await;
    assert_bad_input(
        &s.gql(ADMIN, deregister, json!({"id": gcp})).await,
        "still has 3 deployment(s)",
    );
    let again = s.gql(ADMIN, deregister, json!({"id": id})).await;
    assert_eq!(code(&again), "RESOURCE_NOT_FOUND");
    s.h.shutdown().await;
}

#[tokio::test]
async fn deployments_live_on_clusters() {
    let s = seeded_at("1.0.1").await;
    let q = "{ workspaces { deployments { label clusterId cluster { id name status } } } }";
    let d = s.ok(ADMIN, q, json!({})).await;
    let (aws, gcp) = (s.cluster_id(AWS).await, s.cluster_id(GCP).await);
    let mut on_gcp = Vec::new();
    for w in d["workspaces"].as_array().unwrap() {
        for dep in w["deployments"].as_array().unwrap() {
            assert_eq!(dep["clusterId"], dep["cluster"]["id"], "{dep}");
            if dep["clusterId"] == gcp.as_str() {
                assert_eq!(dep["cluster"]["status"], "INACTIVE");
                on_gcp.push(dep["label"].as_str().unwrap().to_string());
            } else {
                assert_eq!(dep["clusterId"], aws.as_str(), "{dep}");
            }
        }
    }
    on_gcp.sort();
    assert_eq!(on_gcp, ["Email Metrics", "Feature Store", "Web Analytics"]);
    let paged =
        "query($c: Uuid) { paginatedDeployments(take: -1, clusterId: $c) { label clusterId } }";
    let d = s.ok(ADMIN, paged, json!({"c": gcp})).await;
    assert_eq!(d["paginatedDeployments"].as_array().unwrap().len(), 3);
    // A 0.x mutation still creates deployments: on the default (oldest) cluster.
    let ws = s.workspace_id("Sandbox").await;
    let create = "mutation($w: Uuid!) { createDeployment(workspaceUuid: $w, label: \"Old style\", executor: LocalExecutor) { clusterId } }";
    let d = s.ok(ADMIN, create, json!({"w": ws})).await;
    assert_eq!(d["createDeployment"]["clusterId"], aws.as_str());
    s.h.shutdown().await;
}

const UPSERT_CREATE: &str = "mutation($w: Uuid, $c: Uuid, $l: String, $m: AllowedDeploymentModeValues) { upsertDeployment(workspaceUuid: $w, clusterId: $c, label: $l, runtimeVersion: \"12.4.0\", executor: CeleryExecutor, mode: $m) { id label clusterId mode runtimeVersion } }";

#[tokio::test]
async fn upsert_creates_on_an_active_cluster_only() {
    let s = seeded_at("2.1.0").await;
    let ws = s.workspace_id("Data Platform").await;
    let (aws, gcp) = (s.cluster_id(AWS).await, s.cluster_id(GCP).await);
    let d = s
        .ok(
            LINUS,
            UPSERT_CREATE,
            json!({"w": ws, "c": aws, "l": "On AWS", "m": "operator"}),
        )
        .await;
    let created = &d["upsertDeployment"];
    assert_eq!(created["clusterId"], aws.as_str());
    assert_eq!(created["mode"], "operator");
    assert_eq!(created["runtimeVersion"], "12.4.0");
    let body = s
        .gql(
            LINUS,
            UPSERT_CREATE,
            json!({"w": ws, "c": gcp, "l": "On GCP"}),
        )
        .await;
    assert_bad_input(
        &body,
        "Cluster gcp-europe-west4 is INACTIVE and cannot accept new deployments or config updates: Commander metadata request failed: connection refused",
    );
    assert!(body["data"]["upsertDeployment"].is_null());
    let body = s
        .gql(LINUS, UPSERT_CREATE, json!({"w": ws, "l": "Nowhere"}))
        .await;
    assert_bad_input(&body, "A required argument was not sent: clusterId");
    let unknown = s
        .gql(
            LINUS,
            UPSERT_CREATE,
            json!({"w": ws, "c": "nope", "l": "X"}),
        )
        .await;
    assert_eq!(code(&unknown), "RESOURCE_NOT_FOUND");
    // A workspace viewer may not create; the default mode is helm.
    assert_forbidden(
        &s.gql(VERA, UPSERT_CREATE, json!({"w": ws, "c": aws, "l": "V"}))
            .await,
        "upsertDeployment",
    );
    // Permission comes before the cluster's state.
    assert_forbidden(
        &s.gql(VERA, UPSERT_CREATE, json!({"w": ws, "c": gcp, "l": "V"}))
            .await,
        "upsertDeployment",
    );
    let d = s
        .ok(
            ADMIN,
            UPSERT_CREATE,
            json!({"w": ws, "c": aws, "l": "Helm one"}),
        )
        .await;
    assert_eq!(d["upsertDeployment"]["mode"], "helm");
    s.h.shutdown().await;
}

#[tokio::test]
async fn upsert_updates_and_deploys_images_unless_the_cluster_is_inactive() {
    let s = seeded_at("2.1.0").await;
    let (core, _) = s.deployment("Core ETL").await;
    let update = "mutation($d: Uuid, $l: String) { upsertDeployment(deploymentUuid: $d, label: $l, description: \"changed\") { id label description } }";
    let d = s
        .ok(ADMIN, update, json!({"d": core, "l": "Core ETL v2"}))
        .await;
    assert_eq!(d["upsertDeployment"]["label"], "Core ETL v2");
    assert_eq!(d["upsertDeployment"]["description"], "changed");
    let (web, web_release) = s.deployment("Web Analytics").await;
    assert_bad_input(
        &s.gql(ADMIN, update, json!({"d": web, "l": "Renamed"}))
            .await,
        "Cluster gcp-europe-west4 is INACTIVE",
    );
    // DAN may change only Campaign Attribution: refused for the one on the INACTIVE cluster.
    assert_forbidden(
        &s.gql(DAN, update, json!({"d": web, "l": "Renamed"})).await,
        "upsertDeployment",
    );
    let image = "mutation($r: String!, $i: String!, $v: String!) { upsertDeployment(releaseName: $r, image: $i, runtimeVersion: $v) { id releaseName runtimeVersion } }";
    let (_, ingestion) = s.deployment("Ingestion").await;
    let d = s
        .ok(
            ADMIN,
            image,
            json!({"r": ingestion, "i": "registry/ingestion:v9", "v": "12.4.0"}),
        )
        .await;
    assert_eq!(d["upsertDeployment"]["releaseName"], ingestion.as_str());
    assert_bad_input(
        &s.gql(
            ADMIN,
            image,
            json!({"r": web_release, "i": "registry/web:v2", "v": "12.4.0"}),
        )
        .await,
        "is INACTIVE",
    );
    s.h.shutdown().await;
}

#[tokio::test]
async fn a_cluster_marked_inactive_at_startup_refuses_new_deployments() {
    let mut cfg = test_config();
    cfg.houston_version = "1.0.1".parse().unwrap();
    cfg.inactive_clusters = vec![(AWS.into(), Some("maintenance window".into()))];
    let s = start_with(cfg).await;
    let d = s.ok(SAM, LIST, json!({})).await;
    let clusters = d["paginatedClusters"]["clusters"].as_array().unwrap();
    assert!(clusters.iter().all(|c| c["status"] == "INACTIVE"), "{d}");
    assert_eq!(clusters[0]["statusReason"]["message"], "maintenance window");
    let ws = s.workspace_id("Sandbox").await;
    let aws = s.cluster_id(AWS).await;
    let create = "mutation($w: Uuid, $c: Uuid) { upsertDeployment(workspaceUuid: $w, clusterId: $c, label: \"X\") { id } }";
    assert_bad_input(
        &s.gql(ADMIN, create, json!({"w": ws, "c": aws})).await,
        "Cluster aws-us-east-1 is INACTIVE and cannot accept new deployments or config updates: maintenance window",
    );
    // Back to ACTIVE through the handle.
    s.h.set_cluster_status(AWS, true, None).unwrap();
    s.ok(ADMIN, create, json!({"w": ws, "c": aws})).await;
    assert!(s.h.set_cluster_status("nope", false, None).is_err());
    s.h.shutdown().await;

    let mut cfg = test_config();
    cfg.houston_version = "2.0.0".parse().unwrap();
    cfg.inactive_clusters = vec![("no-such-cluster".into(), None)];
    let Err(e) = houston_local::start(cfg).await else {
        panic!("an unknown cluster must be refused");
    };
    assert_eq!(e.to_string(), "no cluster named no-such-cluster");
}

#[tokio::test]
async fn an_unseeded_apc_database_has_one_default_cluster() {
    let mut cfg = test_config();
    cfg.seed = None;
    cfg.houston_version = "1.0.0".parse().unwrap();
    let s = start_with(cfg).await;
    let email = "first@example.com";
    s.raw(
        None,
        "mutation($e: String!) { createUser(email: $e, password: \"a-long-password\") { token { value } } }",
        json!({"e": email}),
    )
    .await;
    let d = s.ok(email, LIST, json!({})).await;
    assert_eq!(names(&d), ["default"]);
    assert_eq!(d["paginatedClusters"]["clusters"][0]["status"], "ACTIVE");
    s.h.shutdown().await;
}

#[tokio::test]
async fn adoption_needs_an_active_cluster_from_1_0() {
    let s = seeded_at("2.1.0").await;
    let ws = s.workspace_id("Sandbox").await;
    let (aws, gcp) = (s.cluster_id(AWS).await, s.cluster_id(GCP).await);
    let adopt = "mutation($w: Uuid!, $c: Uuid!, $n: String!) { adoptDeployment(workspaceUuid: $w, clusterId: $c, crNamespace: $n, crName: $n) { id clusterId mode } }";
    let d = s
        .ok(ADMIN, adopt, json!({"w": ws, "c": aws, "n": "adopted-one"}))
        .await;
    assert_eq!(d["adoptDeployment"]["clusterId"], aws.as_str());
    assert_eq!(d["adoptDeployment"]["mode"], "operator");
    assert_bad_input(
        &s.gql(ADMIN, adopt, json!({"w": ws, "c": gcp, "n": "adopted-two"}))
            .await,
        "is INACTIVE",
    );
    let unknown = s
        .gql(
            ADMIN,
            adopt,
            json!({"w": ws, "c": "nope", "n": "adopted-three"}),
        )
        .await;
    assert_eq!(code(&unknown), "RESOURCE_NOT_FOUND");
    let ns = "query($c: Uuid!) { availableNamespaces(clusterId: $c) { name } }";
    assert!(
        !s.ok(VERA, ns, json!({"c": aws})).await["availableNamespaces"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        code(&s.gql(VERA, ns, json!({"c": "nope"})).await),
        "RESOURCE_NOT_FOUND"
    );
    s.h.shutdown().await;
}
