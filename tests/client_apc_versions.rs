//! The client against houston-local posing as Houston 0.37, 1.0.0, 1.0.1, 2.0.0 and 2.1.0: for
//! every read operation the document the version picks is accepted as it is (no schema
//! mismatch, no fallback), and what the 1.0 forms add comes back: each deployment's cluster,
//! the clusters with an INACTIVE one and its reason, a cluster's namespaces and switches.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use astrodash::houston::documents::READ_OPERATIONS;
use astrodash::houston::model::{ClusterId, ClusterStatus, DeploymentConfig};
use astrodash::houston::variants::ProbeIds;
use astrodash::houston::{ApiError, HoustonClient};

async fn server_at(version: &str) -> (houston_local::Handle, HoustonClient) {
    let handle = houston_local::start(houston_local::Config {
        seed: Some(houston_local::Seed::Demo),
        houston_version: version.parse().unwrap(),
        ..houston_local::Config::default()
    })
    .await
    .unwrap();
    let (email, password) = handle.seeded_admin().unwrap();
    let anonymous = HoustonClient::new(&handle.url(), None).unwrap();
    let token = anonymous.create_token(&email, &password).await.unwrap();
    let client = HoustonClient::new(&handle.url(), Some(token)).unwrap();
    client.probe_version().await.unwrap();
    (handle, client)
}

/// Ids from the demo seed for the probes.
async fn ids(client: &HoustonClient) -> ProbeIds {
    let me = client.me().await.unwrap();
    let workspaces = client.workspaces(me.user_id()).await.unwrap();
    let ws = workspaces
        .iter()
        .find(|w| w.label == "Data Platform")
        .unwrap();
    let deployments = client.workspace_deployments(&ws.id).await.unwrap();
    let d = &deployments[0];
    ProbeIds {
        workspace_id: ws.id.clone(),
        deployment_id: d.id.clone(),
        release_name: d.release_name.clone(),
        me_id: me.user_id().cloned(),
    }
}

#[tokio::test]
async fn every_version_accepts_the_documents_it_is_sent() {
    for version in ["0.37.0", "1.0.0", "1.0.1", "2.0.0", "2.1.0"] {
        let (handle, client) = server_at(version).await;
        let ids = ids(&client).await;
        for op in READ_OPERATIONS {
            let Some(chosen) = op.document_for(client.houston_version().as_ref()) else {
                continue;
            };
            let index = op
                .variants()
                .iter()
                .position(|v| v.document == chosen)
                .unwrap();
            // Operations that need a cluster id are checked below.
            let Some(probe) = op.probe(&client, index, &ids) else {
                continue;
            };
            match probe.await {
                Ok(()) => {}
                Err(e @ ApiError::Unsupported { .. }) => {
                    panic!("{version}: {chosen} was refused: {e}")
                }
                // Permission and not-found answers mean the document itself was accepted.
                Err(_) => {}
            }
        }
        assert!(
            client.refused_documents().is_empty(),
            "{version}: {:?}",
            client.refused_documents()
        );
        handle.shutdown().await;
    }
}

#[tokio::test]
async fn apc_versions_bring_clusters_namespaces_and_switches() {
    for version in ["1.0.0", "1.0.1", "2.0.0", "2.1.0"] {
        let (handle, client) = server_at(version).await;
        handle
            .set_cluster_status("gcp-europe-west4", false, Some("maintenance"))
            .unwrap();
        let clusters = client.clusters().await.unwrap();
        let names: Vec<&str> = clusters.iter().map(|c| c.name.as_str()).collect();
        assert!(names.contains(&"aws-us-east-1"), "{version}: {names:?}");
        let west = clusters
            .iter()
            .find(|c| c.name == "gcp-europe-west4")
            .unwrap();
        assert_eq!(west.status, ClusterStatus::Inactive, "{version}");
        assert!(west.status_reason.is_some(), "{version}: {west:?}");
        let east: ClusterId = clusters
            .iter()
            .find(|c| c.name == "aws-us-east-1")
            .unwrap()
            .id
            .clone();
        let full = client.cluster(&east).await.unwrap();
        assert!(full.config.is_some(), "{version}: {full:?}");
        client.available_namespaces(&east).await.unwrap();
        let flags = client.platform_flags(&east).await.unwrap();
        assert!(
            flags.manual_namespaces,
            "{version}: aws-us-east-1's tier turns manual namespaces on"
        );
        // Every deployment names its cluster.
        let all = client.all_deployment_rows().await.unwrap();
        assert!(!all.is_empty());
        assert!(
            all.iter().all(|d| d.cluster.is_some()),
            "{version}: {:?}",
            all.iter().find(|d| d.cluster.is_none())
        );
        assert!(client.refused_documents().is_empty(), "{version}");
        handle.shutdown().await;
    }
}

/// The upgrade where Houston refuses the Astronomer Certified fields (1.0.1 on): the Runtime
/// releases of the deployment's cluster, `updateDeploymentRuntime` and `cancelRuntimeUpdate`,
/// as the astro CLI sends them, run against the real schema, for a Runtime deployment and for
/// one the seed still has on Astronomer Certified (it moves to Runtime); nothing is refused.
#[tokio::test]
async fn runtime_upgrades_run_where_the_ac_fields_are_gone() {
    use astrodash::houston::mutation::Mutation;
    let key = |v: &str| -> Vec<u32> { v.split('.').filter_map(|p| p.parse().ok()).collect() };
    for version in ["1.0.1", "2.0.0", "2.1.0"] {
        let (handle, client) = server_at(version).await;
        let all = client.all_deployment_rows().await.unwrap();
        let runtime = all.iter().find(|d| d.runtime_version.is_some()).unwrap();
        let certified = all.iter().find(|d| d.runtime_version.is_none()).unwrap();
        assert!(
            all.iter().all(|d| d.airflow_version.is_none()),
            "{version}: no AC field read"
        );
        let cluster = runtime.cluster.as_ref().map(|c| c.id.clone());
        let releases = client.runtime_releases(cluster.as_ref()).await.unwrap();
        let newest = releases
            .iter()
            .map(|r| r.version.clone())
            .max_by(|a, b| key(a).cmp(&key(b)))
            .unwrap();
        let config = DeploymentConfig::default();
        let upgrade =
            |d: &astrodash::houston::model::Deployment, to: &str| Mutation::UpgradeRuntime {
                id: d.id.clone(),
                label: d.label.clone(),
                version: to.to_string(),
                running: d.runtime_version.clone().unwrap_or_default(),
            };
        let running = runtime.runtime_version.clone().unwrap();
        if key(&running) < key(&newest) {
            upgrade(runtime, &newest)
                .run(&client, &config)
                .await
                .unwrap();
            let after = client.deployment(&runtime.id).await.unwrap();
            assert_eq!(
                after.desired_runtime_version.as_deref(),
                Some(newest.as_str())
            );
            assert_eq!(after.runtime_version.as_deref(), Some(running.as_str()));
        }
        // The running version cancels.
        upgrade(runtime, &running)
            .run(&client, &config)
            .await
            .unwrap();
        let after = client.deployment(&runtime.id).await.unwrap();
        assert_eq!(
            after.desired_runtime_version.as_deref(),
            Some(running.as_str()),
            "{version}"
        );
        // An Astronomer Certified deployment moves to Runtime.
        upgrade(certified, &newest)
            .run(&client, &config)
            .await
            .unwrap();
        let after = client.deployment(&certified.id).await.unwrap();
        assert_eq!(
            after.desired_runtime_version.as_deref(),
            Some(newest.as_str()),
            "{version}"
        );
        assert!(
            client.refused_documents().is_empty(),
            "{version}: {:?}",
            client.refused_documents()
        );
        handle.shutdown().await;
    }
}
