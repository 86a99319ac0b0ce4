//! Astro Private Cloud data planes ("clusters"), the cluster each deployment lives on (with its
//! mode and its tier of the config), and the workspace tier of the config.
//!
//! A deployment without a `deployment_cluster` row (created by a 0.x mutation, or before the
//! database knew clusters) lives on the default cluster: the oldest one.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::store::{R, now_ts};
use crate::auth;

pub const ACTIVE: &str = "ACTIVE";
pub const INACTIVE: &str = "INACTIVE";

#[derive(Clone, Debug)]
pub struct ClusterRow {
    pub id: String,
    pub name: String,
    pub metadata_url: String,
    pub k8s_version: String,
    pub cloud_provider: String,
    /// `ACTIVE` or `INACTIVE`.
    pub status: String,
    /// JSON object saying why the cluster is INACTIVE (null when ACTIVE).
    pub status_reason: Option<String>,
    /// JSON: `dataplane`, `commander` and the cluster tier of the config (`deployments`).
    pub config: String,
    pub sort_id: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl ClusterRow {
    pub fn is_active(&self) -> bool {
        self.status == ACTIVE
    }
    pub fn config_json(&self) -> Value {
        serde_json::from_str(&self.config).unwrap_or(Value::Null)
    }
    pub fn reason_json(&self) -> Option<Value> {
        self.status_reason
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
    }
}

/// What a new cluster is made of (the id, order and timestamps are assigned on insert).
pub struct NewCluster<'a> {
    pub name: &'a str,
    pub metadata_url: &'a str,
    pub k8s_version: &'a str,
    pub cloud_provider: &'a str,
    pub config: Value,
}

const COLS: &str = "id, name, metadata_url, k8s_version, cloud_provider, status, status_reason, config, sort_id, created_at, updated_at";

fn cluster_row(r: &Row) -> R<ClusterRow> {
    Ok(ClusterRow {
        id: r.get(0)?,
        name: r.get(1)?,
        metadata_url: r.get(2)?,
        k8s_version: r.get(3)?,
        cloud_provider: r.get(4)?,
        status: r.get(5)?,
        status_reason: r.get(6)?,
        config: r.get(7)?,
        sort_id: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

/// Every cluster, oldest first.
pub fn all_clusters(c: &Connection) -> R<Vec<ClusterRow>> {
    let mut st = c.prepare_cached(&format!("SELECT {COLS} FROM clusters ORDER BY sort_id"))?;
    st.query_map([], cluster_row)?.collect()
}

pub fn cluster_by_id(c: &Connection, id: &str) -> R<Option<ClusterRow>> {
    c.prepare_cached(&format!("SELECT {COLS} FROM clusters WHERE id = ?1"))?
        .query_row([id], cluster_row)
        .optional()
}

pub fn cluster_by_name(c: &Connection, name: &str) -> R<Option<ClusterRow>> {
    c.prepare_cached(&format!("SELECT {COLS} FROM clusters WHERE name = ?1"))?
        .query_row([name], cluster_row)
        .optional()
}

pub fn metadata_url_taken(c: &Connection, url: &str) -> R<bool> {
    c.prepare_cached("SELECT EXISTS(SELECT 1 FROM clusters WHERE metadata_url = ?1)")?
        .query_row([url], |r| r.get(0))
}

/// Registers an ACTIVE cluster.
pub fn insert_cluster(c: &Connection, new: &NewCluster<'_>) -> R<ClusterRow> {
    let sort_id: i64 = c.query_row(
        "SELECT COALESCE(MAX(sort_id), 0) + 1 FROM clusters",
        [],
        |r| r.get(0),
    )?;
    let ts = now_ts();
    let row = ClusterRow {
        id: auth::new_id(),
        name: new.name.to_string(),
        metadata_url: new.metadata_url.to_string(),
        k8s_version: new.k8s_version.to_string(),
        cloud_provider: new.cloud_provider.to_string(),
        status: ACTIVE.into(),
        status_reason: None,
        config: new.config.to_string(),
        sort_id,
        created_at: ts.clone(),
        updated_at: ts,
    };
    c.prepare_cached(&format!(
        "INSERT INTO clusters ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?
    .execute(params![
        row.id,
        row.name,
        row.metadata_url,
        row.k8s_version,
        row.cloud_provider,
        row.status,
        row.status_reason,
        row.config,
        row.sort_id,
        row.created_at,
        row.updated_at
    ])?;
    Ok(row)
}

pub fn rename_cluster(c: &Connection, id: &str, name: &str) -> R<usize> {
    c.execute(
        "UPDATE clusters SET name = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, name, now_ts()],
    )
}

/// Sets a cluster's status by name; `reason` (JSON) only for INACTIVE. Returns rows changed.
pub fn set_cluster_status(
    c: &Connection,
    name: &str,
    status: &str,
    reason: Option<&Value>,
) -> R<usize> {
    c.execute(
        "UPDATE clusters SET status = ?2, status_reason = ?3, updated_at = ?4 WHERE name = ?1",
        params![name, status, reason.map(Value::to_string), now_ts()],
    )
}

pub fn delete_cluster(c: &Connection, id: &str) -> R<usize> {
    c.execute("DELETE FROM clusters WHERE id = ?1", [id])
}

/// The cluster deployments without a placement live on: the oldest.
pub fn default_cluster_id(c: &Connection) -> R<Option<String>> {
    c.prepare_cached("SELECT id FROM clusters ORDER BY sort_id LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()
}

/// Where a deployment lives (its placement, else the default cluster).
pub fn cluster_of(c: &Connection, deployment_id: &str) -> R<Option<String>> {
    let placed: Option<String> = c
        .prepare_cached("SELECT cluster_id FROM deployment_cluster WHERE deployment_id = ?1")?
        .query_row([deployment_id], |r| r.get(0))
        .optional()?;
    match placed {
        Some(id) => Ok(Some(id)),
        None => default_cluster_id(c),
    }
}

/// Ids of the deployments living on a cluster.
pub fn deployment_ids_on(c: &Connection, cluster_id: &str) -> R<Vec<String>> {
    let mut st = c.prepare_cached(
        "SELECT d.id FROM deployments d LEFT JOIN deployment_cluster p ON p.deployment_id = d.id
         WHERE COALESCE(p.cluster_id, (SELECT id FROM clusters ORDER BY sort_id LIMIT 1)) = ?1
         ORDER BY d.created_at, d.id",
    )?;
    st.query_map([cluster_id], |r| r.get(0))?.collect()
}

/// Places a deployment on a cluster with a mode (`helm` / `operator`).
pub fn place_deployment(
    c: &Connection,
    deployment_id: &str,
    cluster_id: &str,
    mode: &str,
) -> R<()> {
    c.execute(
        "INSERT INTO deployment_cluster (deployment_id, cluster_id, mode) VALUES (?1, ?2, ?3)
         ON CONFLICT (deployment_id) DO UPDATE SET cluster_id = excluded.cluster_id, mode = excluded.mode",
        params![deployment_id, cluster_id, mode],
    )?;
    Ok(())
}

/// A deployment's mode (`helm` unless placed otherwise).
pub fn mode_of(c: &Connection, deployment_id: &str) -> R<String> {
    let mode: Option<String> = c
        .prepare_cached("SELECT mode FROM deployment_cluster WHERE deployment_id = ?1")?
        .query_row([deployment_id], |r| r.get(0))
        .optional()?;
    Ok(mode.unwrap_or_else(|| "helm".into()))
}

/// The deployment tier of the config (JSON object), if set.
pub fn deployment_config(c: &Connection, deployment_id: &str) -> R<Option<Value>> {
    let v: Option<Option<String>> = c
        .prepare_cached("SELECT config FROM deployment_cluster WHERE deployment_id = ?1")?
        .query_row([deployment_id], |r| r.get(0))
        .optional()?;
    Ok(v.flatten().and_then(|s| serde_json::from_str(&s).ok()))
}

/// Sets the deployment tier (the deployment must be placed first).
pub fn set_deployment_config(c: &Connection, deployment_id: &str, config: &Value) -> R<usize> {
    c.execute(
        "UPDATE deployment_cluster SET config = ?2 WHERE deployment_id = ?1",
        params![deployment_id, config.to_string()],
    )
}

/// The workspace tier of the config (JSON object), if set.
pub fn workspace_config(c: &Connection, workspace_id: &str) -> R<Option<Value>> {
    let v: Option<String> = c
        .prepare_cached("SELECT config FROM workspace_config WHERE workspace_id = ?1")?
        .query_row([workspace_id], |r| r.get(0))
        .optional()?;
    Ok(v.and_then(|s| serde_json::from_str(&s).ok()))
}

pub fn set_workspace_config(c: &Connection, workspace_id: &str, config: &Value) -> R<()> {
    c.execute(
        "INSERT INTO workspace_config (workspace_id, config) VALUES (?1, ?2)
         ON CONFLICT (workspace_id) DO UPDATE SET config = excluded.config",
        params![workspace_id, config.to_string()],
    )?;
    Ok(())
}
