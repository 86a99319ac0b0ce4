//! Workspace rows.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;
use crate::auth;

#[derive(Clone, Debug)]
pub(crate) struct WorkspaceRow {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) description: Option<String>,
    /// False while suspended (`suspendWorkspace`).
    pub(crate) active: bool,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
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

pub(crate) fn workspace_by_id(c: &Connection, id: &str) -> R<Option<WorkspaceRow>> {
    c.prepare_cached(&format!("SELECT {WS_COLS} FROM workspaces WHERE id = ?1"))?
        .query_row([id], ws_row)
        .optional()
}

pub(crate) fn all_workspaces(c: &Connection) -> R<Vec<WorkspaceRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {WS_COLS} FROM workspaces ORDER BY created_at, id"
    ))?;
    st.query_map([], ws_row)?.collect()
}

pub(crate) fn insert_workspace(
    c: &Connection,
    label: &str,
    description: Option<&str>,
) -> R<WorkspaceRow> {
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

pub(crate) fn update_workspace(
    c: &Connection,
    id: &str,
    label: &str,
    description: Option<&str>,
) -> R<()> {
    c.execute(
        "UPDATE workspaces SET label = ?2, description = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, label, description, now_ts()],
    )?;
    Ok(())
}

pub(crate) fn delete_workspace(c: &Connection, id: &str) -> R<()> {
    c.execute("DELETE FROM invites WHERE workspace_id = ?1", [id])?;
    c.execute(
        "DELETE FROM service_accounts WHERE id IN (SELECT service_account_id FROM role_bindings WHERE workspace_id = ?1 AND service_account_id IS NOT NULL)",
        [id],
    )?;
    c.execute("DELETE FROM role_bindings WHERE workspace_id = ?1", [id])?;
    c.execute("DELETE FROM workspaces WHERE id = ?1", [id])?;
    Ok(())
}
