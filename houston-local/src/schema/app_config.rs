//! `appConfig`: the platform's settings, and from APC 1.0 a cluster's, from APC 2.0 "config
//! governance": four tiers merged, platform default → cluster → workspace → deployment (a
//! later tier wins key by key). Each tier is a JSON object whose `deployments` keys are the
//! feature flags (`db::clusters` stores the cluster, workspace and deployment tiers).

use async_graphql::{Context, Object, Result};
use serde_json::{Map, Value, json};

use super::types::AppConfig;
use super::{Uuid, non_empty, read, state};
use crate::db::clusters;
use crate::db::store;
use crate::error::not_found;
use crate::versioning::{V0_29, V2_0};

/// The platform default tier (Houston's `deployments.*` settings).
fn platform_tier() -> Value {
    json!({"deployments": {
        "manualReleaseNames": true,
        "configureDagDeployment": false,
        "nfsMountDagDeployment": false,
        "manualNamespaceNames": false,
        "hardDeleteDeployment": true,
        "triggererEnabled": true,
        "gitSyncDagDeployment": false,
        "namespaceFreeFormEntry": false,
        "dagOnlyDeployment": false,
    }})
}

/// A cluster's config as its page's "Merged Deployment Config" shows it: the platform default
/// tier with the cluster's own `deployments` over it (`cluster(id)` answers this; the list
/// keeps the cluster's tier as stored).
pub fn with_platform_default(cluster_config: &Value) -> Value {
    let mut merged = platform_tier();
    merge(&mut merged, cluster_config);
    merged
}

/// `over` merged into `base`: objects key by key, anything else replaced.
pub fn merge(base: &mut Value, over: &Value) {
    match (base.as_object_mut(), over.as_object()) {
        (Some(b), Some(o)) => {
            for (k, v) in o {
                merge(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        _ => *base = over.clone(),
    }
}

/// The tiers `appConfig(clusterId, workspaceUuid, deploymentUuid)` names, merged. A
/// deployment implies its cluster and workspace when they are not sent.
fn merged_tiers(
    c: &rusqlite::Connection,
    cluster: Option<&str>,
    workspace: Option<&str>,
    deployment: Option<&str>,
) -> Result<Value, crate::error::DbErr> {
    let mut merged = platform_tier();
    let dep = match deployment {
        Some(id) => Some(store::deployment_by_id(c, id)?.ok_or_else(not_found)?),
        None => None,
    };
    let cluster_id = match (cluster, &dep) {
        (Some(id), _) => Some(id.to_string()),
        (None, Some(d)) => clusters::cluster_of(c, &d.id)?,
        (None, None) => None,
    };
    if let Some(id) = cluster_id {
        let row = clusters::cluster_by_id(c, &id)?.ok_or_else(not_found)?;
        let tier = row.config_json();
        if let Some(d) = tier.get("deployments") {
            merge(&mut merged, &json!({ "deployments": d }));
        }
    }
    let workspace_id = workspace
        .map(str::to_string)
        .or_else(|| dep.as_ref().map(|d| d.workspace_id.clone()));
    if let Some(ws) = workspace_id {
        store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?;
        if let Some(tier) = clusters::workspace_config(c, &ws)? {
            merge(&mut merged, &tier);
        }
    }
    if let Some(d) = &dep
        && let Some(tier) = clusters::deployment_config(c, &d.id)?
    {
        merge(&mut merged, &tier);
    }
    Ok(merged)
}

#[derive(Default)]
pub struct AppConfigQuery;

#[Object]
impl AppConfigQuery {
    async fn app_config(
        &self,
        ctx: &Context<'_>,
        #[graphql(visible = "crate::versioning::since_1_0")] cluster_id: Option<Uuid>,
        #[graphql(visible = "crate::versioning::since_2_0")] workspace_uuid: Option<Uuid>,
        #[graphql(visible = "crate::versioning::since_2_0")] deployment_uuid: Option<Uuid>,
    ) -> Result<Option<AppConfig>> {
        let version = state(ctx).houston_version;
        let id = |u: &Option<Uuid>| non_empty(u.as_ref().map(|u| u.0.as_str())).map(str::to_string);
        let (cluster, workspace, deployment) =
            (id(&cluster_id), id(&workspace_uuid), id(&deployment_uuid));
        let merged = read(ctx, |c| {
            merged_tiers(
                c,
                cluster.as_deref(),
                workspace.as_deref(),
                deployment.as_deref(),
            )
        })?;
        let flags: Map<String, Value> = merged["deployments"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let flag = |k: &str| flags.get(k).and_then(Value::as_bool);
        let mut feature_flags = json!({
            "nfsMountDagDeployment": flag("nfsMountDagDeployment"),
            "hardDeleteDeployment": flag("hardDeleteDeployment"),
            "manualNamespaceNames": flag("manualNamespaceNames"),
            "triggererEnabled": flag("triggererEnabled"),
            "gitSyncDagDeployment": flag("gitSyncDagDeployment"),
            "namespaceFreeFormEntry": flag("namespaceFreeFormEntry"),
            "byoUpdateRegistryEnabled": false,
            "astroRuntimeEnabled": version >= V0_29,
            "dagOnlyDeployment": flag("dagOnlyDeployment"),
        });
        if version >= V2_0 {
            // The top-level fields gone at 2.0 are read from the flags.
            feature_flags["manualReleaseNames"] = json!(flag("manualReleaseNames"));
            feature_flags["configureDagDeployment"] = json!(flag("configureDagDeployment"));
        }
        Ok(Some(AppConfig {
            version: Some(version.to_string()),
            base_domain: Some(state(ctx).base_domain.clone()),
            smtp_configured: Some(false),
            manual_release_names: flag("manualReleaseNames"),
            prometheus_enabled: Some(false),
            elastic_search_enabled: Some(true),
            configure_dag_deployment: flag("configureDagDeployment"),
            nfs_mount_dag_deployment: flag("nfsMountDagDeployment"),
            manual_namespace_names: flag("manualNamespaceNames"),
            hard_delete_deployment: flag("hardDeleteDeployment"),
            triggerer_enabled: flag("triggererEnabled"),
            feature_flags: Some(async_graphql::Json(feature_flags)),
            byo_update_registry_host: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_tiers_win_key_by_key() {
        let mut base = json!({"deployments": {"a": 1, "b": {"x": 1, "y": 2}}});
        merge(
            &mut base,
            &json!({"deployments": {"b": {"y": 3}, "c": true}}),
        );
        assert_eq!(
            base,
            json!({"deployments": {"a": 1, "b": {"x": 1, "y": 3}, "c": true}})
        );
    }
}
