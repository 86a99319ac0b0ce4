//! `upsertDeployment` (APC 1.0+), how the astro CLI creates, updates and (2.1) deploys images:
//! with `deploymentUuid` an update, with `releaseName` + `image` (no workspace) an image
//! deploy, otherwise a create on `clusterId`. Each runs the 0.x mutation's rules
//! (`createDeployment`, `updateDeployment`, `updateDeploymentImage`); the cluster must be ACTIVE.

use async_graphql::{Context, Object, Result};
use serde_json::{Map, Value, json};

use super::clusters::require_active;
use super::inputs::{DagDeployment, Scheduler, Triggerer, Webserver, Workers};
use super::mutation::DeploymentMutation;
use super::runtime::RuntimeMutation;
use super::types::Deployment;
use super::{AllowedDeploymentModeValues, ExecutorType, Json, Uuid, non_empty, read, write};
use crate::db::clusters as db;
use crate::db::store;
use crate::error::{bad_input, not_found};

fn missing(arg: &str) -> async_graphql::Error {
    bad_input(format!("A required argument was not sent: {arg}"))
}

/// The cluster a deployment lives on must be ACTIVE before it changes.
fn require_home_active(ctx: &Context<'_>, deployment_id: &str) -> Result<()> {
    read(ctx, |c| {
        let cluster = db::cluster_of(c, deployment_id)?.ok_or_else(not_found)?;
        require_active(c, &cluster)?;
        Ok(())
    })
}

#[derive(Default)]
pub struct UpsertMutation;

#[Object]
impl UpsertMutation {
    #[allow(clippy::too_many_arguments)]
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn upsert_deployment(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Option<Uuid>,
        deployment_uuid: Option<Uuid>,
        cluster_id: Option<Uuid>,
        #[graphql(name = "type")] kind: Option<String>,
        label: Option<String>,
        description: Option<String>,
        release_name: Option<String>,
        namespace: Option<String>,
        version: Option<String>,
        #[graphql(visible = "crate::versioning::before_1_0_1")] airflow_version: Option<String>,
        runtime_version: Option<String>,
        executor: Option<ExecutorType>,
        workers: Option<Workers>,
        webserver: Option<Webserver>,
        scheduler: Option<Scheduler>,
        triggerer: Option<Triggerer>,
        config: Option<Json>,
        properties: Option<Json>,
        cloud_role: Option<String>,
        dag_deployment: Option<DagDeployment>,
        image: Option<String>,
        #[graphql(visible = "crate::versioning::since_2_1")] mode: Option<
            AllowedDeploymentModeValues,
        >,
    ) -> Result<Option<Deployment>> {
        let id = |u: &Option<Uuid>| non_empty(u.as_ref().map(|u| u.0.as_str())).map(str::to_string);
        let (workspace, deployment, cluster) =
            (id(&workspace_uuid), id(&deployment_uuid), id(&cluster_id));

        if let Some(dep) = deployment {
            let d = super::load_deployment(ctx, &dep)?;
            require_home_active(ctx, &d.id)?;
            let mut payload = Map::new();
            if let Some(l) = non_empty(label.as_deref()) {
                payload.insert("label".into(), json!(l));
            }
            if let Some(desc) = description {
                payload.insert("description".into(), json!(desc));
            }
            if let Some(p) = properties.filter(|p| !p.0.is_null()) {
                payload.insert("properties".into(), p.0);
            }
            let updated = DeploymentMutation
                .update_deployment(
                    ctx,
                    Uuid(dep.clone()),
                    Some(async_graphql::Json(Value::Object(payload))),
                    executor,
                    workers,
                    webserver,
                    scheduler,
                    triggerer,
                    config,
                    cloud_role,
                    dag_deployment,
                    None,
                )
                .await?;
            if let Some(m) = mode {
                write(ctx, |c| {
                    let home = db::cluster_of(c, &dep)?.ok_or_else(not_found)?;
                    Ok(db::place_deployment(c, &dep, &home, mode_name(m))?)
                })?;
            }
            return Ok(updated);
        }

        if workspace.is_none()
            && let (Some(rn), Some(img)) = (
                non_empty(release_name.as_deref()),
                non_empty(image.as_deref()),
            )
        {
            let d = read(ctx, |c| Ok(store::deployment_by_release(c, rn.trim())?))?
                .ok_or_else(not_found)?;
            require_home_active(ctx, &d.id)?;
            return RuntimeMutation
                .update_deployment_image(
                    ctx,
                    rn.to_string(),
                    img.to_string(),
                    airflow_version,
                    runtime_version,
                )
                .await;
        }

        let workspace = workspace.ok_or_else(|| missing("workspaceUuid"))?;
        let cluster = cluster.ok_or_else(|| missing("clusterId"))?;
        let label = non_empty(label.as_deref().map(str::trim))
            .ok_or_else(|| missing("label"))?
            .to_string();
        read(ctx, |c| require_active(c, &cluster))?;
        let created = DeploymentMutation
            .create_deployment(
                ctx,
                Uuid(workspace),
                kind,
                label,
                description,
                release_name,
                version,
                airflow_version,
                runtime_version,
                executor,
                workers,
                webserver,
                scheduler,
                triggerer,
                config,
                properties,
                cloud_role,
                namespace,
                dag_deployment,
            )
            .await?;
        if let Some(d) = &created {
            let mode = mode_name(mode.unwrap_or(AllowedDeploymentModeValues::Helm));
            write(ctx, |c| {
                Ok(db::place_deployment(c, &d.row.id, &cluster, mode)?)
            })?;
        }
        Ok(created)
    }
}

pub fn mode_name(m: AllowedDeploymentModeValues) -> &'static str {
    match m {
        AllowedDeploymentModeValues::Helm => "helm",
        AllowedDeploymentModeValues::Operator => "operator",
    }
}
