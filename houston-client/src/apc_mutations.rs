//! The changes only Astro Private Cloud's Houston (1.0+) has: a deployment created on a
//! cluster with `upsertDeployment` (as the astro CLI creates them there), and a cluster's new
//! name.

use super::apc_ops as m;
use super::model::{ClusterId, DeploymentId, WorkspaceId};
use super::mutation::{DeploymentSpec, Placement, executor_name, missing, opt};
use super::{ApiError, HoustonClient};

/// `upsertDeployment` without a deployment id creates one on `placement.cluster`; the mode is
/// sent only when chosen (the form offers it on Houston 2.1+, whose schema has it).
pub(crate) async fn create_on_cluster(
    client: &HoustonClient,
    workspace: &WorkspaceId,
    spec: &DeploymentSpec,
    placement: &Placement,
) -> Result<DeploymentId, ApiError> {
    let id = match &placement.mode {
        Some(mode) => client
            .run::<m::UpsertDeploymentV210>(m::upsert_deployment_v210::Variables {
                workspace_uuid: workspace.to_string(),
                cluster_id: placement.cluster.to_string(),
                label: spec.label.clone(),
                description: opt(&spec.description),
                namespace: placement.namespace.clone(),
                executor: Some(executor_name(&spec.executor)),
                mode: Some(mode.clone()),
            })
            .await?
            .upsert_deployment
            .map(|d| d.id),
        None => client
            .run::<m::UpsertDeployment>(m::upsert_deployment::Variables {
                workspace_uuid: workspace.to_string(),
                cluster_id: placement.cluster.to_string(),
                label: spec.label.clone(),
                description: opt(&spec.description),
                namespace: placement.namespace.clone(),
                executor: Some(executor_name(&spec.executor)),
            })
            .await?
            .upsert_deployment
            .map(|d| d.id),
    };
    id.map(DeploymentId).ok_or_else(|| missing("deployment"))
}

pub(crate) async fn rename_cluster(
    client: &HoustonClient,
    id: &ClusterId,
    name: &str,
) -> Result<(), ApiError> {
    client
        .run::<m::UpdateCluster>(m::update_cluster::Variables {
            id: id.to_string(),
            name: name.trim().to_string(),
        })
        .await?;
    Ok(())
}
