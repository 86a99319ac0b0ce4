//! Pre-created namespaces (Houston 0.25+: `availableNamespaces`, `createDeployment(namespace:)`)
//! and operator-mode adoption (`adoptDeployment` / `unadoptDeployment`: Houston added them with
//! APC 2.1, offered here at 0.35). Where Houston's documentation is silent the behaviour is
//! written down in houston-local/README.md ("Behaviour where Houston's documentation is
//! silent").

use async_graphql::{Context, Object, Result, SimpleObject};
use serde_json::json;

use super::types::{CHART_VERSION, Deployment, namespace_of};
use super::{Uuid, caller, dep_entity, load_deployment, non_empty, read, require, write};
use crate::auth;
use crate::db::store::{self, DeploymentRow};
use crate::error::{DbErr, bad_input, not_found};
use crate::rbac::{Entity, Permission};
use crate::resources;
use crate::validation;

/// The namespaces an operator pre-created for deployments (Houston's
/// `deployments.preCreatedNamespaces`).
pub const PRE_CREATED_NAMESPACES: [&str; 4] = [
    "airflow-analytics",
    "airflow-etl",
    "airflow-ml",
    "airflow-reporting",
];

/// Every namespace a deployment occupies, derived ones included.
fn occupied(c: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    Ok(store::all_deployments(c)?
        .iter()
        .map(namespace_of)
        .collect())
}

/// Takes a pre-created namespace for a new deployment (inside its transaction).
pub fn claim_pre_created(c: &rusqlite::Connection, ns: &str) -> Result<(), DbErr> {
    if !PRE_CREATED_NAMESPACES.contains(&ns) {
        return Err(bad_input(format!(
            "Namespace {ns} is not a pre-created namespace (available: {})",
            PRE_CREATED_NAMESPACES.join(", ")
        ))
        .into());
    }
    if occupied(c)?.iter().any(|n| n == ns) {
        return Err(bad_input(format!("Namespace {ns} is already in use")).into());
    }
    Ok(())
}

/// A Kubernetes namespace name (RFC 1123 label).
fn check_namespace(ns: &str) -> Result<()> {
    let ok = (1..=63).contains(&ns.len())
        && ns
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !ns.starts_with('-')
        && !ns.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(bad_input(format!(
            "Invalid namespace: {ns} (lowercase letters, digits and '-', at most 63 characters)"
        )))
    }
}

#[derive(SimpleObject)]
pub struct Namespace {
    pub name: Option<String>,
}

#[derive(Default)]
pub struct NamespaceQuery;

#[Object]
impl NamespaceQuery {
    /// Pre-created namespaces no deployment uses yet.
    #[graphql(visible = "crate::versioning::since_0_25")]
    async fn available_namespaces(
        &self,
        ctx: &Context<'_>,
        #[graphql(visible = "crate::versioning::since_1_0")] cluster_id: Option<Uuid>,
    ) -> Result<Option<Vec<Option<Namespace>>>> {
        caller(ctx)?;
        // One pool of pre-created namespaces serves every cluster; the cluster must exist.
        if let Some(id) = non_empty(cluster_id.as_ref().map(|c| c.0.as_str())) {
            read(ctx, |c| Ok(crate::db::clusters::cluster_by_id(c, id)?))?.ok_or_else(not_found)?;
        }
        let used = read(ctx, |c| Ok(occupied(c)?))?;
        Ok(Some(
            PRE_CREATED_NAMESPACES
                .iter()
                .filter(|n| !used.iter().any(|u| u == *n))
                .map(|n| {
                    Some(Namespace {
                        name: Some(n.to_string()),
                    })
                })
                .collect(),
        ))
    }
}

#[derive(Default)]
pub struct AdoptionMutation;

#[Object]
impl AdoptionMutation {
    /// Records an Airflow that an operator already runs (custom resource `crName` in
    /// `crNamespace`) as a deployment of the workspace: release name = `crName`, namespace =
    /// `crNamespace`, the newest Runtime, HEALTHY at once (it is already running). `clusterId`
    /// must be sent; from APC 1.0 it must name an ACTIVE cluster, which the deployment then
    /// lives on in operator mode (before, it is not checked). The `useApc*` choices are kept
    /// in `properties`.
    #[allow(clippy::too_many_arguments)]
    #[graphql(visible = "crate::versioning::since_0_35")]
    async fn adopt_deployment(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        cluster_id: Uuid,
        cr_namespace: String,
        cr_name: String,
        label: Option<String>,
        description: Option<String>,
        use_apc_logging: Option<bool>,
        use_apc_registry: Option<bool>,
        accept_incompatibilities: Option<bool>,
    ) -> Result<Option<Deployment>> {
        let _ = accept_incompatibilities; // every field of a custom resource maps here
        let ws = workspace_uuid.0;
        require(
            ctx,
            &[
                Permission::WorkspaceDeploymentsCreate,
                Permission::SystemDeploymentsCreate,
            ],
            Entity::Workspace(&ws),
        )?;
        if non_empty(Some(cluster_id.0.as_str())).is_none() {
            return Err(bad_input("A required argument was not sent: clusterId"));
        }
        let name = cr_name.trim().to_string();
        validation::check_release_name(&name).map_err(bad_input)?;
        let namespace = cr_namespace.trim().to_string();
        check_namespace(&namespace)?;
        let label = non_empty(label.as_deref().map(str::trim))
            .unwrap_or(&name)
            .to_string();
        // From APC 1.0 the custom resource runs on a known, ACTIVE cluster (operator mode).
        let apc = super::state(ctx).houston_version >= crate::versioning::V1_0;
        let runtime = super::runtime::latest();
        let executor = "CeleryExecutor";
        let now = store::now_ms();
        let ts = store::fmt_ms(now);
        let row = DeploymentRow {
            id: auth::new_id(),
            workspace_id: ws.clone(),
            label,
            description: non_empty(description.as_deref()).map(str::to_string),
            release_name: name,
            executor: executor.into(),
            airflow_version: runtime.airflow_version.into(),
            desired_airflow_version: runtime.airflow_version.into(),
            version: CHART_VERSION.into(),
            config: resources::default_config(executor).to_string(),
            properties: json!({
                "extra_au": resources::default_extra_au(executor),
                "adopted": true,
                "use_apc_logging": use_apc_logging.unwrap_or(false),
                "use_apc_registry": use_apc_registry.unwrap_or(false),
            })
            .to_string(),
            deploy_count: 1,
            deploying_until: 0,
            unhealthy: false,
            runtime_version: Some(runtime.version.into()),
            desired_runtime_version: Some(runtime.version.into()),
            namespace: Some(namespace),
            adopted: true,
            created_at: ts.clone(),
            updated_at: ts,
        };
        let row = write(ctx, |c| {
            store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?;
            if store::label_taken(c, &ws, &row.label, None)? {
                return Err(bad_input(format!(
                    "Workspace already has a deployment named {}",
                    row.label
                ))
                .into());
            }
            if store::deployment_by_release(c, &row.release_name)?.is_some() {
                return Err(bad_input(format!(
                    "Release name {} is already in use",
                    row.release_name
                ))
                .into());
            }
            let ns = namespace_of(&row);
            if occupied(c)?.contains(&ns) {
                return Err(bad_input(format!("Namespace {ns} is already in use")).into());
            }
            if apc {
                super::clusters::require_active(c, &cluster_id.0)?;
            }
            store::insert_deployment(c, &row)?;
            if apc {
                crate::db::clusters::place_deployment(c, &row.id, &cluster_id.0, "operator")?;
            }
            Ok(row)
        })?;
        Ok(Some(Deployment::new(row)))
    }

    /// Hands an adopted deployment back to its operator: houston-local forgets it (the roles
    /// on it, its service accounts, variables and logs) and nothing else changes. Deployments
    /// created here are refused: they are deleted with `deleteDeployment`.
    #[graphql(visible = "crate::versioning::since_0_35")]
    async fn unadopt_deployment(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
    ) -> Result<Option<Deployment>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(
            ctx,
            &[
                Permission::DeploymentConfigDelete,
                Permission::SystemDeploymentsDelete,
            ],
            dep_entity(&d),
        )?;
        if !d.adopted {
            return Err(bad_input(format!(
                "Deployment {} was not adopted: delete it with deleteDeployment",
                d.release_name
            )));
        }
        write(ctx, |c| Ok(store::delete_deployment(c, &d.id)?))?;
        Ok(Some(Deployment::new(d)))
    }
}
