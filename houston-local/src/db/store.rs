//! Row types and the SQL behind them. Functions take a `&Connection`, which is either a
//! reader or the writer's open transaction (a `Transaction` derefs to `Connection`).

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::auth;
use crate::rbac::{Grant, Role};

pub type R<T> = rusqlite::Result<T>;

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// RFC 3339 UTC with milliseconds, e.g. `2026-11-27T03:19:46.123Z`.
pub fn fmt_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

pub fn now_ts() -> String {
    fmt_ms(now_ms())
}

pub fn count_users(c: &Connection) -> R<i64> {
    c.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
}

pub fn count_workspaces(c: &Connection) -> R<i64> {
    c.query_row("SELECT COUNT(*) FROM workspaces", [], |r| r.get(0))
}

/// The JWT secret is generated once, when the database is created, and stored in it.
pub fn jwt_secret(c: &Connection) -> R<String> {
    c.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('jwt_secret', ?1)",
        [auth::random_hex(32)],
    )?;
    c.query_row("SELECT value FROM meta WHERE key = 'jwt_secret'", [], |r| {
        r.get(0)
    })
}

// ---------------------------------------------------------------- users

#[derive(Clone, Debug)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub email: String,
    pub full_name: Option<String>,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

pub(crate) const USER_COLS: &str = "id, username, email, full_name, status, created_at, updated_at";

pub(crate) fn user_row(r: &Row) -> R<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        username: r.get(1)?,
        email: r.get(2)?,
        full_name: r.get(3)?,
        status: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
    })
}

pub fn user_by_id(c: &Connection, id: &str) -> R<Option<UserRow>> {
    c.prepare_cached(&format!("SELECT {USER_COLS} FROM users WHERE id = ?1"))?
        .query_row([id], user_row)
        .optional()
}

pub fn user_by_email(c: &Connection, email: &str) -> R<Option<UserRow>> {
    c.prepare_cached(&format!(
        "SELECT {USER_COLS} FROM users WHERE email = lower(?1)"
    ))?
    .query_row([email], user_row)
    .optional()
}

/// Replace a user's password hash.
pub fn set_password_hash(c: &Connection, user_id: &str, hash: &str) -> R<()> {
    c.execute(
        "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1",
        params![user_id, hash, now_ts()],
    )?;
    Ok(())
}

/// Login identity: username or e-mail. Returns the row and its password hash.
pub fn user_by_identity(c: &Connection, identity: &str) -> R<Option<(UserRow, Option<String>)>> {
    c.prepare_cached(&format!(
        "SELECT {USER_COLS}, password_hash FROM users WHERE username = ?1 OR email = lower(?1) LIMIT 1"
    ))?
    .query_row([identity], |r| Ok((user_row(r)?, r.get(7)?)))
    .optional()
}

pub fn all_users(c: &Connection) -> R<Vec<UserRow>> {
    let mut st = c.prepare_cached(&format!("SELECT {USER_COLS} FROM users ORDER BY id"))?;
    st.query_map([], user_row)?.collect()
}

pub fn insert_user(
    c: &Connection,
    email: &str,
    username: &str,
    full_name: Option<&str>,
    password_hash: Option<&str>,
) -> R<UserRow> {
    let id = auth::new_id();
    let ts = now_ts();
    c.execute(
        "INSERT INTO users (id, username, email, full_name, status, password_hash, created_at, updated_at)
         VALUES (?1, ?2, lower(?3), ?4, 'active', ?5, ?6, ?6)",
        params![id, username, email, full_name, password_hash, ts],
    )?;
    Ok(UserRow {
        id,
        username: username.to_string(),
        email: email.to_lowercase(),
        full_name: full_name.map(str::to_string),
        status: "active".into(),
        created_at: ts.clone(),
        updated_at: ts,
    })
}

pub fn update_user_full_name(c: &Connection, id: &str, full_name: &str) -> R<()> {
    c.execute(
        "UPDATE users SET full_name = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, full_name, now_ts()],
    )?;
    Ok(())
}

/// Users with a workspace-level binding on the workspace, ordered by id (cursor paging).
pub fn workspace_users(c: &Connection, ws: &str) -> R<Vec<UserRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {} FROM users u WHERE u.id IN
           (SELECT user_id FROM role_bindings WHERE workspace_id = ?1 AND deployment_id IS NULL AND user_id IS NOT NULL)
         ORDER BY u.id",
        USER_COLS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
    ))?;
    st.query_map([ws], user_row)?.collect()
}

/// Users with a binding on the deployment.
pub fn deployment_users(c: &Connection, dep: &str) -> R<Vec<UserRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {} FROM users u WHERE u.id IN
           (SELECT user_id FROM role_bindings WHERE deployment_id = ?1 AND user_id IS NOT NULL)
         ORDER BY u.id",
        USER_COLS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    st.query_map([dep], user_row)?.collect()
}

// ---------------------------------------------------------------- role bindings

#[derive(Clone, Debug)]
pub struct BindingRow {
    pub id: String,
    pub role: Role,
    pub user_id: Option<String>,
    pub service_account_id: Option<String>,
    pub workspace_id: Option<String>,
    pub deployment_id: Option<String>,
    /// Set for a team's binding (its members hold the role).
    pub team_id: Option<String>,
    pub created_at: String,
}

impl BindingRow {
    pub fn grant(&self) -> Grant {
        Grant {
            role: self.role,
            workspace_id: self.workspace_id.clone(),
            deployment_id: self.deployment_id.clone(),
        }
    }
}

pub(crate) const RB_COLS: &str =
    "id, role, user_id, service_account_id, workspace_id, deployment_id, created_at, team_id";

pub(crate) fn rb_row(r: &Row) -> R<BindingRow> {
    let role: String = r.get(1)?;
    Ok(BindingRow {
        id: r.get(0)?,
        role: Role::parse(&role).unwrap_or(Role::User),
        user_id: r.get(2)?,
        service_account_id: r.get(3)?,
        workspace_id: r.get(4)?,
        deployment_id: r.get(5)?,
        created_at: r.get(6)?,
        team_id: r.get(7)?,
    })
}

pub fn bindings_of_user(c: &Connection, user: &str) -> R<Vec<BindingRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE user_id = ?1 ORDER BY created_at, id"
    ))?;
    st.query_map([user], rb_row)?.collect()
}

pub fn bindings_of_sa(c: &Connection, sa: &str) -> R<Vec<BindingRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE service_account_id = ?1"
    ))?;
    st.query_map([sa], rb_row)?.collect()
}

pub fn bindings_of_workspace(c: &Connection, ws: &str) -> R<Vec<BindingRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE workspace_id = ?1 AND deployment_id IS NULL ORDER BY created_at, id"
    ))?;
    st.query_map([ws], rb_row)?.collect()
}

pub fn bindings_of_deployment(c: &Connection, dep: &str) -> R<Vec<BindingRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE deployment_id = ?1 ORDER BY created_at, id"
    ))?;
    st.query_map([dep], rb_row)?.collect()
}

pub fn binding_by_id(c: &Connection, id: &str) -> R<Option<BindingRow>> {
    c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE id = ?1"
    ))?
    .query_row([id], rb_row)
    .optional()
}

pub fn user_workspace_binding(c: &Connection, user: &str, ws: &str) -> R<Option<BindingRow>> {
    c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE user_id = ?1 AND workspace_id = ?2 AND deployment_id IS NULL"
    ))?
    .query_row([user, ws], rb_row)
    .optional()
}

pub fn user_deployment_binding(c: &Connection, user: &str, dep: &str) -> R<Option<BindingRow>> {
    c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE user_id = ?1 AND deployment_id = ?2"
    ))?
    .query_row([user, dep], rb_row)
    .optional()
}

pub struct NewBinding<'a> {
    pub role: Role,
    pub user_id: Option<&'a str>,
    pub service_account_id: Option<&'a str>,
    pub workspace_id: Option<&'a str>,
    pub deployment_id: Option<&'a str>,
}

pub fn insert_binding(c: &Connection, b: NewBinding<'_>) -> R<BindingRow> {
    let id = auth::new_id();
    let ts = now_ts();
    c.execute(
        "INSERT INTO role_bindings (id, role, user_id, service_account_id, workspace_id, deployment_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![id, b.role.as_str(), b.user_id, b.service_account_id, b.workspace_id, b.deployment_id, ts],
    )?;
    Ok(BindingRow {
        id,
        role: b.role,
        user_id: b.user_id.map(str::to_string),
        service_account_id: b.service_account_id.map(str::to_string),
        workspace_id: b.workspace_id.map(str::to_string),
        deployment_id: b.deployment_id.map(str::to_string),
        team_id: None,
        created_at: ts,
    })
}

pub fn set_binding_role(c: &Connection, id: &str, role: Role) -> R<()> {
    c.execute(
        "UPDATE role_bindings SET role = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, role.as_str(), now_ts()],
    )?;
    Ok(())
}

pub fn delete_binding(c: &Connection, id: &str) -> R<()> {
    c.execute("DELETE FROM role_bindings WHERE id = ?1", [id])?;
    Ok(())
}

/// Remove a user's bindings on a workspace and on its deployments.
pub fn remove_user_from_workspace(c: &Connection, user: &str, ws: &str) -> R<usize> {
    c.execute(
        "DELETE FROM role_bindings WHERE user_id = ?1 AND (workspace_id = ?2 OR deployment_id IN
            (SELECT id FROM deployments WHERE workspace_id = ?2))",
        [user, ws],
    )
}

pub fn count_system_admins(c: &Connection) -> R<i64> {
    c.query_row(
        "SELECT COUNT(*) FROM role_bindings WHERE role = 'SYSTEM_ADMIN' AND user_id IS NOT NULL",
        [],
        |r| r.get(0),
    )
}

// ---------------------------------------------------------------- workspaces

#[derive(Clone, Debug)]
pub struct WorkspaceRow {
    pub id: String,
    pub label: String,
    pub description: Option<String>,
    /// False while suspended (`suspendWorkspace`).
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

const WS_COLS: &str = "id, label, description, created_at, updated_at, active";

fn ws_row(r: &Row) -> R<WorkspaceRow> {
    Ok(WorkspaceRow {
        id: r.get(0)?,
        label: r.get(1)?,
        description: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
        active: r.get(5)?,
    })
}

pub fn workspace_by_id(c: &Connection, id: &str) -> R<Option<WorkspaceRow>> {
    c.prepare_cached(&format!("SELECT {WS_COLS} FROM workspaces WHERE id = ?1"))?
        .query_row([id], ws_row)
        .optional()
}

pub fn all_workspaces(c: &Connection) -> R<Vec<WorkspaceRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {WS_COLS} FROM workspaces ORDER BY created_at, id"
    ))?;
    st.query_map([], ws_row)?.collect()
}

pub fn insert_workspace(c: &Connection, label: &str, description: Option<&str>) -> R<WorkspaceRow> {
    let id = auth::new_id();
    let ts = now_ts();
    c.execute(
        "INSERT INTO workspaces (id, label, description, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![id, label, description, ts],
    )?;
    Ok(WorkspaceRow {
        id,
        label: label.into(),
        description: description.map(str::to_string),
        active: true,
        created_at: ts.clone(),
        updated_at: ts,
    })
}

pub fn update_workspace(c: &Connection, id: &str, label: &str, description: Option<&str>) -> R<()> {
    c.execute(
        "UPDATE workspaces SET label = ?2, description = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, label, description, now_ts()],
    )?;
    Ok(())
}

pub fn delete_workspace(c: &Connection, id: &str) -> R<()> {
    c.execute("DELETE FROM invites WHERE workspace_id = ?1", [id])?;
    c.execute(
        "DELETE FROM service_accounts WHERE id IN (SELECT service_account_id FROM role_bindings WHERE workspace_id = ?1 AND service_account_id IS NOT NULL)",
        [id],
    )?;
    c.execute("DELETE FROM role_bindings WHERE workspace_id = ?1", [id])?;
    c.execute("DELETE FROM workspaces WHERE id = ?1", [id])?;
    Ok(())
}

// ---------------------------------------------------------------- deployments

#[derive(Clone, Debug)]
pub struct DeploymentRow {
    pub id: String,
    pub workspace_id: String,
    pub label: String,
    pub description: Option<String>,
    pub release_name: String,
    pub executor: String,
    pub airflow_version: String,
    pub desired_airflow_version: String,
    pub version: String,
    pub config: String,
    pub properties: String,
    pub deploy_count: i64,
    pub deploying_until: i64,
    pub unhealthy: bool,
    /// Astro Runtime version (None: an Astronomer Certified image).
    pub runtime_version: Option<String>,
    pub desired_runtime_version: Option<String>,
    /// A pre-created or adopted namespace (None: `astronomer-<release>`).
    pub namespace: Option<String>,
    /// Created by `adoptDeployment` (only those can be un-adopted).
    pub adopted: bool,
    pub created_at: String,
    pub updated_at: String,
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

pub fn deployment_by_id(c: &Connection, id: &str) -> R<Option<DeploymentRow>> {
    c.prepare_cached(&format!("SELECT {DEP_COLS} FROM deployments WHERE id = ?1"))?
        .query_row([id], dep_row)
        .optional()
}

pub fn deployment_by_release(c: &Connection, release: &str) -> R<Option<DeploymentRow>> {
    c.prepare_cached(&format!(
        "SELECT {DEP_COLS} FROM deployments WHERE release_name = ?1"
    ))?
    .query_row([release], dep_row)
    .optional()
}

pub fn deployments_of_workspace(c: &Connection, ws: &str) -> R<Vec<DeploymentRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {DEP_COLS} FROM deployments WHERE workspace_id = ?1 ORDER BY created_at, id"
    ))?;
    st.query_map([ws], dep_row)?.collect()
}

pub fn all_deployments(c: &Connection) -> R<Vec<DeploymentRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {DEP_COLS} FROM deployments ORDER BY created_at, id"
    ))?;
    st.query_map([], dep_row)?.collect()
}

pub fn count_deployments_of_workspace(c: &Connection, ws: &str) -> R<i64> {
    c.prepare_cached("SELECT COUNT(*) FROM deployments WHERE workspace_id = ?1")?
        .query_row([ws], |r| r.get(0))
}

pub fn label_taken(c: &Connection, ws: &str, label: &str, except: Option<&str>) -> R<bool> {
    c.prepare_cached(
        "SELECT EXISTS(SELECT 1 FROM deployments WHERE workspace_id = ?1 AND label = ?2 AND id != ?3)",
    )?
    .query_row(params![ws, label, except.unwrap_or("")], |r| r.get(0))
}

pub fn insert_deployment(c: &Connection, d: &DeploymentRow) -> R<()> {
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
pub fn update_deployment(c: &Connection, d: &DeploymentRow) -> R<()> {
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
pub fn set_unhealthy(c: &Connection, release: &str, unhealthy: bool) -> R<usize> {
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
pub fn health_changed_at(c: &Connection, id: &str) -> R<Option<i64>> {
    let v: Option<String> = c
        .prepare_cached("SELECT value FROM meta WHERE key = 'health_changed:' || ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()))
}

/// When the next DEPLOYING → settled transition happens (cached responses expire then).
pub fn next_status_change(c: &Connection, now: i64) -> R<Option<i64>> {
    c.prepare_cached("SELECT MIN(deploying_until) FROM deployments WHERE deploying_until > ?1")?
        .query_row([now], |r| r.get(0))
}

pub fn delete_deployment(c: &Connection, id: &str) -> R<()> {
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
pub struct EnvRow {
    pub key: String,
    pub value: String,
    pub is_secret: bool,
}

pub fn env_vars(c: &Connection, dep: &str) -> R<Vec<EnvRow>> {
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

pub fn replace_env_vars(c: &Connection, dep: &str, vars: &[EnvRow]) -> R<()> {
    c.execute("DELETE FROM env_vars WHERE deployment_id = ?1", [dep])?;
    let mut st = c.prepare_cached(
        "INSERT INTO env_vars (deployment_id, key, value, is_secret) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for v in vars {
        st.execute(params![dep, v.key, v.value, v.is_secret])?;
    }
    Ok(())
}

// ---------------------------------------------------------------- service accounts

#[derive(Clone, Debug)]
pub struct SaRow {
    pub id: String,
    pub label: String,
    pub category: Option<String>,
    pub key_prefix: String,
    pub active: bool,
    pub last_used_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub binding: BindingRow,
}

pub(crate) const SA_SELECT: &str = "SELECT s.id, s.label, s.category, s.key_prefix, s.active, s.last_used_at, s.created_at, s.updated_at,
    b.id, b.role, b.user_id, b.service_account_id, b.workspace_id, b.deployment_id, b.created_at, b.team_id
    FROM service_accounts s JOIN role_bindings b ON b.service_account_id = s.id";

pub(crate) fn sa_row(r: &Row) -> R<SaRow> {
    let role: String = r.get(9)?;
    Ok(SaRow {
        id: r.get(0)?,
        label: r.get(1)?,
        category: r.get(2)?,
        key_prefix: r.get(3)?,
        active: r.get(4)?,
        last_used_at: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        binding: BindingRow {
            id: r.get(8)?,
            role: Role::parse(&role).unwrap_or(Role::User),
            user_id: r.get(10)?,
            service_account_id: r.get(11)?,
            workspace_id: r.get(12)?,
            deployment_id: r.get(13)?,
            created_at: r.get(14)?,
            team_id: r.get(15)?,
        },
    })
}

pub fn sa_by_id(c: &Connection, id: &str) -> R<Option<SaRow>> {
    c.prepare_cached(&format!("{SA_SELECT} WHERE s.id = ?1"))?
        .query_row([id], sa_row)
        .optional()
}

pub fn sa_by_key_hash(c: &Connection, hash: &str) -> R<Option<SaRow>> {
    c.prepare_cached(&format!("{SA_SELECT} WHERE s.key_hash = ?1"))?
        .query_row([hash], sa_row)
        .optional()
}

pub fn sas_of_workspace(c: &Connection, ws: &str) -> R<Vec<SaRow>> {
    let mut st = c.prepare_cached(&format!(
        "{SA_SELECT} WHERE b.workspace_id = ?1 AND b.deployment_id IS NULL ORDER BY s.created_at, s.id"
    ))?;
    st.query_map([ws], sa_row)?.collect()
}

pub fn sas_of_deployment(c: &Connection, dep: &str) -> R<Vec<SaRow>> {
    let mut st = c.prepare_cached(&format!(
        "{SA_SELECT} WHERE b.deployment_id = ?1 ORDER BY s.created_at, s.id"
    ))?;
    st.query_map([dep], sa_row)?.collect()
}

/// Insert a service account (with its binding); returns the row and the clear-text key.
pub fn insert_sa(
    c: &Connection,
    label: &str,
    category: Option<&str>,
    role: Role,
    workspace_id: Option<&str>,
    deployment_id: Option<&str>,
) -> R<(SaRow, String)> {
    let id = auth::new_id();
    let key = auth::new_api_key();
    let ts = now_ts();
    c.execute(
        "INSERT INTO service_accounts (id, label, category, key_hash, key_prefix, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)",
        params![id, label, category, auth::hash_api_key(&key), &key[..6], ts],
    )?;
    insert_binding(
        c,
        NewBinding {
            role,
            user_id: None,
            service_account_id: Some(&id),
            workspace_id,
            deployment_id,
        },
    )?;
    let row = sa_by_id(c, &id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    Ok((row, key))
}

pub fn update_sa(c: &Connection, sa: &SaRow) -> R<()> {
    c.execute(
        "UPDATE service_accounts SET label = ?2, category = ?3, active = ?4, updated_at = ?5 WHERE id = ?1",
        params![sa.id, sa.label, sa.category, sa.active, now_ts()],
    )?;
    Ok(())
}

pub fn touch_sa(c: &Connection, id: &str) -> R<()> {
    c.prepare_cached("UPDATE service_accounts SET last_used_at = ?2 WHERE id = ?1")?
        .execute(params![id, now_ts()])?;
    Ok(())
}

pub fn delete_sa(c: &Connection, id: &str) -> R<()> {
    c.execute(
        "DELETE FROM role_bindings WHERE service_account_id = ?1",
        [id],
    )?;
    c.execute("DELETE FROM service_accounts WHERE id = ?1", [id])?;
    Ok(())
}

/// Label uniqueness per workspace or deployment.
pub fn sa_label_taken(
    c: &Connection,
    label: &str,
    workspace_id: Option<&str>,
    deployment_id: Option<&str>,
    except: &str,
) -> R<bool> {
    c.query_row(
        "SELECT EXISTS(SELECT 1 FROM service_accounts s JOIN role_bindings b ON b.service_account_id = s.id
          WHERE s.label = ?1 AND s.id != ?4 AND
            ((?3 IS NOT NULL AND b.deployment_id = ?3) OR (?3 IS NULL AND b.deployment_id IS NULL AND b.workspace_id IS ?2)))",
        params![label, workspace_id, deployment_id, except],
        |r| r.get(0),
    )
}

// ---------------------------------------------------------------- invites

#[derive(Clone, Debug)]
pub struct InviteRow {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub token: String,
    pub workspace_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub(crate) const INV_COLS: &str = "id, email, role, token, workspace_id, created_at, updated_at";

pub(crate) fn inv_row(r: &Row) -> R<InviteRow> {
    let role: String = r.get(2)?;
    Ok(InviteRow {
        id: r.get(0)?,
        email: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::WorkspaceAdmin),
        token: r.get(3)?,
        workspace_id: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
    })
}

pub fn invites_of_workspace(c: &Connection, ws: &str) -> R<Vec<InviteRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {INV_COLS} FROM invites WHERE workspace_id = ?1 ORDER BY created_at, id"
    ))?;
    st.query_map([ws], inv_row)?.collect()
}

pub fn invite_by_id(c: &Connection, id: &str) -> R<Option<InviteRow>> {
    c.prepare_cached(&format!("SELECT {INV_COLS} FROM invites WHERE id = ?1"))?
        .query_row([id], inv_row)
        .optional()
}

pub fn invite_by_token(c: &Connection, token: &str) -> R<Option<InviteRow>> {
    c.prepare_cached(&format!("SELECT {INV_COLS} FROM invites WHERE token = ?1"))?
        .query_row([token], inv_row)
        .optional()
}

pub fn invites_for_email(c: &Connection, email: &str) -> R<Vec<InviteRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {INV_COLS} FROM invites WHERE email = lower(?1)"
    ))?;
    st.query_map([email], inv_row)?.collect()
}

pub fn workspace_invite_for(c: &Connection, ws: &str, email: &str) -> R<Option<InviteRow>> {
    c.prepare_cached(&format!(
        "SELECT {INV_COLS} FROM invites WHERE workspace_id = ?1 AND email = lower(?2)"
    ))?
    .query_row([ws, email], inv_row)
    .optional()
}

pub fn insert_invite(c: &Connection, ws: &str, email: &str, role: Role) -> R<InviteRow> {
    let id = auth::new_id();
    let token = auth::random_hex(16);
    let ts = now_ts();
    c.execute(
        "INSERT INTO invites (id, email, role, token, workspace_id, created_at, updated_at) VALUES (?1, lower(?2), ?3, ?4, ?5, ?6, ?6)",
        params![id, email, role.as_str(), token, ws, ts],
    )?;
    invite_by_id(c, &id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)
}

pub fn set_invite_role(c: &Connection, id: &str, role: Role) -> R<()> {
    c.execute(
        "UPDATE invites SET role = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, role.as_str(), now_ts()],
    )?;
    Ok(())
}

pub fn delete_invite(c: &Connection, id: &str) -> R<()> {
    c.execute("DELETE FROM invites WHERE id = ?1", [id])?;
    Ok(())
}

// ---------------------------------------------------------------- legacy log rows

/// Log lines are computed on demand now (`sim::logs`); rows an older version stored in the
/// `logs` table are dropped. Returns how many there were.
pub fn drop_stored_logs(c: &Connection) -> R<usize> {
    c.execute("DELETE FROM logs", [])
}
