//! The demo's Astro Private Cloud data planes (shown from Houston 1.0 on): an ACTIVE
//! `aws-us-east-1` (the default cluster: every deployment not placed elsewhere lives there)
//! and an INACTIVE `gcp-europe-west4` with three deployments, plus one config override on
//! each tier so that `appConfig`'s merge can be seen. Also the default cluster an unseeded
//! database gets at 1.0+ ("unified" mode: one cluster from start-up).

use rusqlite::Connection;
use serde_json::{Value, json};

use crate::db::clusters::{self, INACTIVE, NewCluster};
use crate::db::store;
use crate::schema::clusters::cluster_config;

pub const ACTIVE_CLUSTER: &str = "aws-us-east-1";
pub const INACTIVE_CLUSTER: &str = "gcp-europe-west4";
/// Why the INACTIVE demo cluster is INACTIVE.
pub const INACTIVE_REASON: &str = "Commander metadata request failed: connection refused";
/// The deployments that live on the INACTIVE cluster.
const ON_INACTIVE: [&str; 3] = ["Email Metrics", "Web Analytics", "Feature Store"];

/// The JSON `statusReason` of an INACTIVE cluster.
pub fn inactive_reason(message: &str) -> Value {
    json!({
        "healthStatus": "UNREACHABLE",
        "message": message,
        "checkedAt": store::now_ts(),
    })
}

/// Adds the demo clusters to a freshly seeded database.
pub fn demo(c: &Connection, base_domain: &str) -> rusqlite::Result<()> {
    let aws = clusters::insert_cluster(
        c,
        &NewCluster {
            name: ACTIVE_CLUSTER,
            metadata_url: &format!("https://commander.{ACTIVE_CLUSTER}.{base_domain}/metadata"),
            k8s_version: "1.30.6",
            cloud_provider: "aws",
            config: cluster_config(
                ACTIVE_CLUSTER,
                &format!("https://{ACTIVE_CLUSTER}.{base_domain}"),
                json!({"manualNamespaceNames": true, "hardDeleteDeployment": false}),
            ),
        },
    )?;
    let gcp = clusters::insert_cluster(
        c,
        &NewCluster {
            name: INACTIVE_CLUSTER,
            metadata_url: &format!("https://commander.{INACTIVE_CLUSTER}.{base_domain}/metadata"),
            k8s_version: "1.29.10",
            cloud_provider: "gcp",
            config: cluster_config(
                INACTIVE_CLUSTER,
                &format!("https://{INACTIVE_CLUSTER}.{base_domain}"),
                json!({"triggererEnabled": false}),
            ),
        },
    )?;
    clusters::set_cluster_status(
        c,
        INACTIVE_CLUSTER,
        INACTIVE,
        Some(&inactive_reason(INACTIVE_REASON)),
    )?;
    for d in store::all_deployments(c)? {
        let home = if ON_INACTIVE.contains(&d.label.as_str()) {
            &gcp.id
        } else {
            &aws.id
        };
        clusters::place_deployment(c, &d.id, home, "helm")?;
        if d.label == "Core ETL" {
            clusters::set_deployment_config(
                c,
                &d.id,
                &json!({"deployments": {"dagOnlyDeployment": false, "triggererEnabled": false}}),
            )?;
            c.execute(
                "UPDATE deployments SET properties = json_set(properties, '$.analyticsPluginEnabled', json('true'), '$.airflowDbCleanupPluginEnabled', json('true')) WHERE id = ?1",
                [&d.id],
            )?;
        }
    }
    if let Some(ws) = store::all_workspaces(c)?
        .into_iter()
        .find(|w| w.label == "Data Platform")
    {
        clusters::set_workspace_config(
            c,
            &ws.id,
            &json!({"deployments": {"hardDeleteDeployment": true, "dagOnlyDeployment": true}}),
        )?;
    }
    Ok(())
}

/// At Houston 1.0+ a database without clusters gets one ACTIVE `default` cluster.
pub fn ensure_default(c: &Connection, base_domain: &str) -> rusqlite::Result<()> {
    if clusters::default_cluster_id(c)?.is_some() {
        return Ok(());
    }
    clusters::insert_cluster(
        c,
        &NewCluster {
            name: "default",
            metadata_url: &format!("https://commander.{base_domain}/metadata"),
            k8s_version: "1.30.6",
            cloud_provider: "local",
            config: cluster_config("default", &format!("https://{base_domain}"), json!({})),
        },
    )?;
    Ok(())
}
