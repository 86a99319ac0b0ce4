//! Astro Private Cloud data planes (Houston 1.0+): `paginatedClusters`, `cluster`,
//! `registerCluster`, `updateCluster`, `deregisterCluster`, `reconcileClusterMetadataJob`, and
//! the checks other operations make on a cluster. There is no Commander to call: a cluster's
//! status is what the seed, `Config::inactive_clusters` or `Handle::set_cluster_status` set
//! (houston-local/README.md).

use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use serde_json::{Value, json};

use super::query::{cursor_page, page};
use super::types::CHART_VERSION;
use super::{
    AllowedDeploymentModeValues, DateTime, Json, Uuid, caller, non_empty, read, require, write,
};
use crate::db::clusters::{self as db, ClusterRow, NewCluster};
use crate::error::{DbErr, bad_input, not_found};
use crate::rbac::{Entity, Permission};

/// What Commander's `/metadata` reports for a cluster registered here (there is none to ask).
pub const REGISTERED_K8S_VERSION: &str = "1.31.4";
pub const REGISTERED_CLOUD_PROVIDER: &str = "local";
pub const COMMANDER_VERSION: &str = "1.0.3";

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum ClusterStatus {
    Active,
    Inactive,
}

/// A data plane.
pub struct Cluster(pub ClusterRow);

#[Object]
impl Cluster {
    async fn id(&self) -> Uuid {
        Uuid(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    #[graphql(name = "k8sVersion")]
    async fn k8s_version(&self) -> Option<&str> {
        Some(&self.0.k8s_version)
    }
    async fn cloud_provider(&self) -> Option<&str> {
        Some(&self.0.cloud_provider)
    }
    async fn metadata_url(&self) -> Option<&str> {
        Some(&self.0.metadata_url)
    }
    /// ACTIVE: new deployments and config updates allowed; INACTIVE: neither.
    async fn status(&self) -> ClusterStatus {
        if self.0.is_active() {
            ClusterStatus::Active
        } else {
            ClusterStatus::Inactive
        }
    }
    /// Why the cluster is INACTIVE (null when ACTIVE).
    async fn status_reason(&self) -> Option<Json> {
        self.0.reason_json().map(async_graphql::Json)
    }
    /// Commander's last health report.
    async fn health_status(&self) -> Option<Json> {
        let health = if self.0.is_active() {
            "HEALTHY"
        } else {
            "UNREACHABLE"
        };
        Some(async_graphql::Json(
            json!({"status": health, "checkedAt": self.0.updated_at}),
        ))
    }
    /// `dataplane`, `commander` and the cluster's tier of the deployment config.
    async fn config(&self) -> Option<Json> {
        Some(async_graphql::Json(self.0.config_json()))
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at.clone())
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at.clone())
    }
}

#[derive(SimpleObject)]
pub struct PaginatedClusters {
    pub clusters: Vec<Cluster>,
    /// Every match before paging.
    pub count: i32,
}

/// The config a data plane reports, with its tier of the deployment config.
pub fn cluster_config(name: &str, dataplane_url: &str, deployments: Value) -> Value {
    json!({
        "dataplane": {
            "id": name,
            "url": dataplane_url,
            "mode": "data",
            "chartVersion": CHART_VERSION,
            "releaseNamespace": "astronomer",
            "releaseName": "astronomer",
        },
        "commander": {
            "url": format!("{}/commander", dataplane_url.trim_end_matches('/')),
            "version": COMMANDER_VERSION,
        },
        "deployments": deployments,
    })
}

/// A cluster that takes new deployments: known and ACTIVE (inside a transaction).
pub fn require_active(c: &rusqlite::Connection, id: &str) -> Result<ClusterRow, DbErr> {
    let cluster = db::cluster_by_id(c, id)?.ok_or_else(not_found)?;
    if !cluster.is_active() {
        let reason = cluster
            .reason_json()
            .map(|r| match r.get("message").and_then(Value::as_str) {
                Some(m) => m.to_string(),
                None => r.to_string(),
            })
            .unwrap_or_else(|| "no reason reported".into());
        return Err(bad_input(format!(
            "Cluster {} is INACTIVE and cannot accept new deployments or config updates: {reason}",
            cluster.name
        ))
        .into());
    }
    Ok(cluster)
}

/// `Deployment.clusterId`.
pub fn cluster_id_of(ctx: &Context<'_>, deployment_id: &str) -> Result<Option<Uuid>> {
    Ok(read(ctx, |c| Ok(db::cluster_of(c, deployment_id)?))?.map(Uuid))
}

/// `Deployment.cluster`.
pub fn cluster_of(ctx: &Context<'_>, deployment_id: &str) -> Result<Option<Cluster>> {
    let row = read(ctx, |c| match db::cluster_of(c, deployment_id)? {
        Some(id) => Ok(db::cluster_by_id(c, &id)?),
        None => Ok(None),
    })?;
    Ok(row.map(Cluster))
}

/// `Deployment.mode`.
pub fn mode_of(ctx: &Context<'_>, deployment_id: &str) -> Result<AllowedDeploymentModeValues> {
    let mode = read(ctx, |c| Ok(db::mode_of(c, deployment_id)?))?;
    Ok(if mode == "operator" {
        AllowedDeploymentModeValues::Operator
    } else {
        AllowedDeploymentModeValues::Helm
    })
}

fn sort_clusters(rows: &mut [ClusterRow], by: Option<&str>, direction: Option<&str>) -> Result<()> {
    match by.unwrap_or("createdAt") {
        "createdAt" => rows.sort_by_key(|r| r.sort_id),
        "name" => rows.sort_by_key(|r| r.name.to_lowercase()),
        "k8sVersion" => rows.sort_by(|a, b| a.k8s_version.cmp(&b.k8s_version)),
        "status" => rows.sort_by(|a, b| a.status.cmp(&b.status)),
        other => {
            return Err(bad_input(format!(
                "Invalid sortBy: {other} (expected createdAt, name, k8sVersion or status)"
            )));
        }
    }
    match direction.map(str::to_ascii_lowercase).as_deref() {
        None | Some("asc") => Ok(()),
        Some("desc") => {
            rows.reverse();
            Ok(())
        }
        Some(other) => Err(bad_input(format!(
            "Invalid sortDirection: {other} (expected asc or desc)"
        ))),
    }
}

#[derive(Default)]
pub struct ClusterQuery;

#[Object]
impl ClusterQuery {
    /// Clusters for any authenticated user: filtered (`searchPhrase` in the name, `k8sVersion`
    /// as a prefix, `id`), sorted, then paged by `cursor` (an id) or `pageNumber`.
    #[allow(clippy::too_many_arguments)]
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn paginated_clusters(
        &self,
        ctx: &Context<'_>,
        take: Option<i32>,
        cursor: Option<Uuid>,
        page_number: Option<i32>,
        search_phrase: Option<String>,
        #[graphql(name = "k8sVersion")] k8s_version: Option<String>,
        id: Option<Uuid>,
        sort_by: Option<String>,
        sort_direction: Option<String>,
    ) -> Result<PaginatedClusters> {
        caller(ctx)?;
        let mut rows = read(ctx, |c| Ok(db::all_clusters(c)?))?;
        if let Some(phrase) = non_empty(search_phrase.as_deref()) {
            let phrase = phrase.to_lowercase();
            rows.retain(|r| r.name.to_lowercase().contains(&phrase));
        }
        if let Some(k8s) = non_empty(k8s_version.as_deref()) {
            rows.retain(|r| r.k8s_version.starts_with(k8s));
        }
        if let Some(id) = non_empty(id.as_ref().map(|i| i.0.as_str())) {
            rows.retain(|r| r.id == id);
        }
        sort_clusters(
            &mut rows,
            non_empty(sort_by.as_deref()),
            non_empty(sort_direction.as_deref()),
        )?;
        let count = rows.len() as i32;
        let rows = match non_empty(cursor.as_ref().map(|c| c.0.as_str())) {
            Some(cursor) => cursor_page(rows, |r| r.id.as_str(), Some(cursor), take),
            None => page(rows, take, page_number),
        };
        Ok(PaginatedClusters {
            clusters: rows.into_iter().map(Cluster).collect(),
            count,
        })
    }

    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn cluster(&self, ctx: &Context<'_>, id: Uuid) -> Result<Option<Cluster>> {
        require(ctx, &[Permission::SystemClustersGet], Entity::System)?;
        let mut row = read(ctx, |c| Ok(db::cluster_by_id(c, &id.0)?))?.ok_or_else(not_found)?;
        row.config = super::app_config::with_platform_default(&row.config_json()).to_string();
        Ok(Some(Cluster(row)))
    }
}

/// `scheme://host[:port]` of an http(s) URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let valid = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then(|| format!("{scheme}://{host}"))
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 {
        return Err(bad_input(
            "Cluster name must not be empty (at most 64 characters)",
        ));
    }
    Ok(name.to_string())
}

#[derive(Default)]
pub struct ClusterMutation;

#[Object]
impl ClusterMutation {
    /// Registers a data plane (system admins). Real Houston asks its Commander for
    /// `GET /metadata`; houston-local has none, so the cluster reports fixed metadata, a data
    /// plane at the metadata URL's origin, and starts ACTIVE.
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn register_cluster(
        &self,
        ctx: &Context<'_>,
        name: String,
        metadata_url: String,
    ) -> Result<Cluster> {
        require(ctx, &[Permission::SystemClustersCreate], Entity::System)?;
        let name = check_name(&name)?;
        let url = metadata_url.trim().to_string();
        let origin =
            origin_of(&url).ok_or_else(|| bad_input(format!("Invalid metadata URL: {url}")))?;
        let row = write(ctx, |c| {
            if db::cluster_by_name(c, &name)?.is_some() {
                return Err(bad_input(format!("A cluster named {name} already exists")).into());
            }
            if db::metadata_url_taken(c, &url)? {
                return Err(bad_input(format!(
                    "A cluster with the metadata URL {url} is already registered"
                ))
                .into());
            }
            Ok(db::insert_cluster(
                c,
                &NewCluster {
                    name: &name,
                    metadata_url: &url,
                    k8s_version: REGISTERED_K8S_VERSION,
                    cloud_provider: REGISTERED_CLOUD_PROVIDER,
                    config: cluster_config(&name, &origin, json!({})),
                },
            )?)
        })?;
        Ok(Cluster(row))
    }

    /// Renames a cluster: the name is the only editable part of "Cluster Information".
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn update_cluster(&self, ctx: &Context<'_>, id: Uuid, name: String) -> Result<Cluster> {
        require(ctx, &[Permission::SystemClustersUpdate], Entity::System)?;
        let name = check_name(&name)?;
        let row = write(ctx, |c| {
            let current = db::cluster_by_id(c, &id.0)?.ok_or_else(not_found)?;
            if current.name != name && db::cluster_by_name(c, &name)?.is_some() {
                return Err(bad_input(format!("A cluster named {name} already exists")).into());
            }
            db::rename_cluster(c, &id.0, &name)?;
            Ok(db::cluster_by_id(c, &id.0)?.ok_or_else(not_found)?)
        })?;
        Ok(Cluster(row))
    }

    /// Removes a data plane (system admins); refused while deployments live on it.
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn deregister_cluster(&self, ctx: &Context<'_>, id: Uuid) -> Result<Cluster> {
        require(ctx, &[Permission::SystemClustersDelete], Entity::System)?;
        let row = write(ctx, |c| {
            let cluster = db::cluster_by_id(c, &id.0)?.ok_or_else(not_found)?;
            let living = db::deployment_ids_on(c, &cluster.id)?.len();
            if living > 0 {
                return Err(bad_input(format!(
                    "Cluster {} still has {living} deployment(s): delete them before deregistering it",
                    cluster.name
                ))
                .into());
            }
            db::delete_cluster(c, &cluster.id)?;
            Ok(cluster)
        })?;
        Ok(Cluster(row))
    }

    /// Houston's hourly metadata refresh, run now. Without Commanders nothing changes here:
    /// statuses stay as set. True when the cluster (or, without `id`, every cluster) exists.
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn reconcile_cluster_metadata_job(
        &self,
        ctx: &Context<'_>,
        id: Option<Uuid>,
    ) -> Result<bool> {
        require(ctx, &[Permission::SystemClustersUpdate], Entity::System)?;
        if let Some(id) = non_empty(id.as_ref().map(|i| i.0.as_str())) {
            read(ctx, |c| Ok(db::cluster_by_id(c, id)?))?.ok_or_else(not_found)?;
        }
        Ok(true)
    }
}
