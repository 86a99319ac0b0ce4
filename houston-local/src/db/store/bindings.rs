//! Role bindings of users, service accounts and teams.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;
use crate::auth;
use crate::rbac::{Grant, Role};

#[derive(Clone, Debug)]
pub(crate) struct BindingRow {
    pub(crate) id: String,
    pub(crate) role: Role,
    pub(crate) user_id: Option<String>,
    pub(crate) service_account_id: Option<String>,
    pub(crate) workspace_id: Option<String>,
    pub(crate) deployment_id: Option<String>,
    /// Set for a team's binding (its members hold the role).
    pub(crate) team_id: Option<String>,
    pub(crate) created_at: String,
}

impl BindingRow {
    pub(crate) fn grant(&self) -> Grant {
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

pub(crate) fn bindings_of_user(c: &Connection, user: &str) -> R<Vec<BindingRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE user_id = ?1 ORDER BY created_at, id"
    ))?;
    st.query_map([user], rb_row)?.collect()
}

pub(crate) fn bindings_of_workspace(c: &Connection, ws: &str) -> R<Vec<BindingRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE workspace_id = ?1 AND deployment_id IS NULL ORDER BY created_at, id"
    ))?;
    st.query_map([ws], rb_row)?.collect()
}

pub(crate) fn bindings_of_deployment(c: &Connection, dep: &str) -> R<Vec<BindingRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE deployment_id = ?1 ORDER BY created_at, id"
    ))?;
    st.query_map([dep], rb_row)?.collect()
}

pub(crate) fn binding_by_id(c: &Connection, id: &str) -> R<Option<BindingRow>> {
    c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE id = ?1"
    ))?
    .query_row([id], rb_row)
    .optional()
}

pub(crate) fn user_workspace_binding(
    c: &Connection,
    user: &str,
    ws: &str,
) -> R<Option<BindingRow>> {
    c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE user_id = ?1 AND workspace_id = ?2 AND deployment_id IS NULL"
    ))?
    .query_row([user, ws], rb_row)
    .optional()
}

pub(crate) fn user_deployment_binding(
    c: &Connection,
    user: &str,
    dep: &str,
) -> R<Option<BindingRow>> {
    c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE user_id = ?1 AND deployment_id = ?2"
    ))?
    .query_row([user, dep], rb_row)
    .optional()
}

pub(crate) struct NewBinding<'a> {
    pub(crate) role: Role,
    pub(crate) user_id: Option<&'a str>,
    pub(crate) service_account_id: Option<&'a str>,
    pub(crate) workspace_id: Option<&'a str>,
    pub(crate) deployment_id: Option<&'a str>,
}

pub(crate) fn insert_binding(c: &Connection, b: NewBinding<'_>) -> R<BindingRow> {
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

pub(crate) fn set_binding_role(c: &Connection, id: &str, role: Role) -> R<()> {
    c.execute(
        "UPDATE role_bindings SET role = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, role.as_str(), now_ts()],
    )?;
    Ok(())
}

pub(crate) fn delete_binding(c: &Connection, id: &str) -> R<()> {
    c.execute("DELETE FROM role_bindings WHERE id = ?1", [id])?;
    Ok(())
}

/// Remove a user's bindings on a workspace and on its deployments.
pub(crate) fn remove_user_from_workspace(c: &Connection, user: &str, ws: &str) -> R<usize> {
    c.execute(
        "DELETE FROM role_bindings WHERE user_id = ?1 AND (workspace_id = ?2 OR deployment_id IN
            (SELECT id FROM deployments WHERE workspace_id = ?2))",
        [user, ws],
    )
}

pub(crate) fn count_system_admins(c: &Connection) -> R<i64> {
    c.query_row(
        "SELECT COUNT(*) FROM role_bindings WHERE role = 'SYSTEM_ADMIN' AND user_id IS NOT NULL",
        [],
        |r| r.get(0),
    )
}
