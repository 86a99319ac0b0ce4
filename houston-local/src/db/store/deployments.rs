//! Deployment rows, their environment variables, and the legacy stored log rows.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;

#[derive(Clone, Debug)]
pub(crate) struct DeploymentRow {
    pub(crate) id: String,
    pub(crate) workspace_id: String,
    pub(crate) label: String,
    pub(crate) description: Option<String>,
    pub(crate) release_name: String,
    pub(crate) executor: String,
    pub(crate) airflow_version: String,
    pub(crate) desired_airflow_version: String,
    pub(crate) version: String,
    pub(crate) config: String,
    pub(crate) properties: String,
    pub(crate) deploy_count: i64,
    pub(crate) deploying_until: i64,
    pub(crate) unhealthy: bool,
    /// Astro Runtime version (None: an Astronomer Certified image).
    pub(crate) runtime_version: Option<String>,
    pub(crate) desired_runtime_version: Option<String>,
    /// A pre-created or adopted namespace (None: `astronomer-<release>`).
    pub(crate) namespace: Option<String>,
    /// Created by `adoptDeployment` (only those can be un-adopted).
    pub(crate) adopted: bool,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

const DEP_COLS: &str = "id, workspace_id, label, description, release_name, executor, airflow_version, desired_airflow_version, version, config, properties, deploy_count, deploying_until, unhealthy, created_at, updated_at, runtime_version, desired_runtime_version, namespace, adopted";

fn dep_row(r: &Row) -> R<DeploymentRow> {
    Ok(DeploymentRow {
        id: r.get(0)?,
        workspace_id: r.get(1)?,
        label: r.get(2)?,
        description: r.get(3)?,
        release_name: r.get(4)?,
        executor: r.get(5)?,
        airflow_version: r.get(6)?,
        desired_airflow_version: r.get(7)?,
        version: r.get(8)?,
        config: r.get(9)?,
        properties: r.get(10)?,
        deploy_count: r.get(11)?,
        deploying_until: r.get(12)?,
        unhealthy: r.get(13)?,
        created_at: r.get(14)?,
        updated_at: r.get(15)?,
        runtime_version: r.get(16)?,
        desired_runtime_version: r.get(17)?,
        namespace: r.get(18)?,
        adopted: r.get(19)?,
    })
}

pub(crate) fn deployment_by_id(c: &Connection, id: &str) -> R<Option<DeploymentRow>> {
    c.prepare_cached(&format!("SELECT {DEP_COLS} FROM deployments WHERE id = ?1"))?
        .query_row([id], dep_row)
        .optional()
}

pub(crate) fn deployment_by_release(c: &Connection, release: &str) -> R<Option<DeploymentRow>> {
    c.prepare_cached(&format!(
        "SELECT {DEP_COLS} FROM deployments WHERE release_name = ?1"
    ))?
    .query_row([release], dep_row)
    .optional()
}

pub(crate) fn deployments_of_workspace(c: &Connection, ws: &str) -> R<Vec<DeploymentRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {DEP_COLS} FROM deployments WHERE workspace_id = ?1 ORDER BY created_at, id"
    ))?;
    st.query_map([ws], dep_row)?.collect()
}

pub(crate) fn all_deployments(c: &Connection) -> R<Vec<DeploymentRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {DEP_COLS} FROM deployments ORDER BY created_at, id"
    ))?;
    st.query_map([], dep_row)?.collect()
}

pub(crate) fn count_deployments_of_workspace(c: &Connection, ws: &str) -> R<i64> {
    c.prepare_cached("SELECT COUNT(*) FROM deployments WHERE workspace_id = ?1")?
        .query_row([ws], |r| r.get(0))
}

pub(crate) fn label_taken(c: &Connection, ws: &str, label: &str, except: Option<&str>) -> R<bool> {
    c.prepare_cached(
        "SELECT EXISTS(SELECT 1 FROM deployments WHERE workspace_id = ?1 AND label = ?2 AND id != ?3)",
    )?
    .query_row(params![ws, label, except.unwrap_or("")], |r| r.get(0))
}

pub(crate) fn insert_deployment(c: &Connection, d: &DeploymentRow) -> R<()> {
    c.prepare_cached(&format!(
        "INSERT INTO deployments ({DEP_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
    ))?
    .execute(params![
        d.id,
        d.workspace_id,
        d.label,
        d.description,
        d.release_name,
        d.executor,
        d.airflow_version,
        d.desired_airflow_version,
        d.version,
        d.config,
        d.properties,
        d.deploy_count,
        d.deploying_until,
        d.unhealthy,
        d.created_at,
        d.updated_at,
        d.runtime_version,
        d.desired_runtime_version,
        d.namespace,
        d.adopted
    ])?;
    Ok(())
}

/// Write back every mutable column of a deployment.
pub(crate) fn update_deployment(c: &Connection, d: &DeploymentRow) -> R<()> {
    c.execute(
        "UPDATE deployments SET label = ?2, description = ?3, executor = ?4, airflow_version = ?5,
           desired_airflow_version = ?6, version = ?7, config = ?8, properties = ?9, deploy_count = ?10,
           deploying_until = ?11, unhealthy = ?12, updated_at = ?13, runtime_version = ?14,
           desired_runtime_version = ?15, namespace = ?16 WHERE id = ?1",
        params![
            d.id,
            d.label,
            d.description,
            d.executor,
            d.airflow_version,
            d.desired_airflow_version,
            d.version,
            d.config,
            d.properties,
            d.deploy_count,
            d.deploying_until,
            d.unhealthy,
            d.updated_at,
            d.runtime_version,
            d.desired_runtime_version,
            d.namespace
        ],
    )?;
    Ok(())
}

/// Set the UNHEALTHY switch; when it changes, remember when (the simulated logs and metrics
/// show the earlier state before that moment).
pub(crate) fn set_unhealthy(c: &Connection, release: &str, unhealthy: bool) -> R<usize> {
    c.execute(
        "INSERT INTO meta (key, value)
           SELECT 'health_changed:' || id, ?3 FROM deployments WHERE release_name = ?1 AND unhealthy != ?2
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![release, unhealthy, now_ms().to_string()],
    )?;
    c.execute(
        "UPDATE deployments SET unhealthy = ?2 WHERE release_name = ?1",
        params![release, unhealthy],
    )
}

/// When a deployment's UNHEALTHY switch last changed (epoch ms), if it ever did.
pub(crate) fn health_changed_at(c: &Connection, id: &str) -> R<Option<i64>> {
    let v: Option<String> = c
        .prepare_cached("SELECT value FROM meta WHERE key = 'health_changed:' || ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()))
}

/// When the next DEPLOYING → settled transition happens (cached responses expire then).
pub(crate) fn next_status_change(c: &Connection, now: i64) -> R<Option<i64>> {
    c.prepare_cached("SELECT MIN(deploying_until) FROM deployments WHERE deploying_until > ?1")?
        .query_row([now], |r| r.get(0))
}

pub(crate) fn delete_deployment(c: &Connection, id: &str) -> R<()> {
    c.execute(
        "DELETE FROM service_accounts WHERE id IN (SELECT service_account_id FROM role_bindings WHERE deployment_id = ?1 AND service_account_id IS NOT NULL)",
        [id],
    )?;
    c.execute("DELETE FROM role_bindings WHERE deployment_id = ?1", [id])?;
    c.execute("DELETE FROM env_vars WHERE deployment_id = ?1", [id])?;
    c.execute("DELETE FROM logs WHERE deployment_id = ?1", [id])?;
    c.execute("DELETE FROM meta WHERE key = 'health_changed:' || ?1", [id])?;
    c.execute("DELETE FROM deployments WHERE id = ?1", [id])?;
    Ok(())
}

// ---------------------------------------------------------------- environment variables

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EnvRow {
    pub(crate) key: String,
    pub(crate) value: String,
    pub(crate) is_secret: bool,
}

pub(crate) fn env_vars(c: &Connection, dep: &str) -> R<Vec<EnvRow>> {
    let mut st = c.prepare_cached(
        "SELECT key, value, is_secret FROM env_vars WHERE deployment_id = ?1 ORDER BY key",
    )?;
    st.query_map([dep], |r| {
        Ok(EnvRow {
            key: r.get(0)?,
            value: r.get(1)?,
            is_secret: r.get(2)?,
        })
    })?
    .collect()
}

pub(crate) fn replace_env_vars(c: &Connection, dep: &str, vars: &[EnvRow]) -> R<()> {
    c.execute("DELETE FROM env_vars WHERE deployment_id = ?1", [dep])?;
    let mut st = c.prepare_cached(
        "INSERT INTO env_vars (deployment_id, key, value, is_secret) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for v in vars {
        st.execute(params![dep, v.key, v.value, v.is_secret])?;
    }
    Ok(())
}

// ---------------------------------------------------------------- legacy log rows

/// Log lines are computed on demand now (`sim::logs`); rows an older version stored in the
/// `logs` table are dropped. Returns how many there were.
pub(crate) fn drop_stored_logs(c: &Connection) -> R<usize> {
    c.execute("DELETE FROM logs", [])
}
