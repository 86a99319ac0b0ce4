//! Workspace invites.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;
use crate::auth;
use crate::rbac::Role;

#[derive(Clone, Debug)]
pub(crate) struct InviteRow {
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) role: Role,
    pub(crate) token: String,
    pub(crate) workspace_id: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
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

pub(crate) fn invites_of_workspace(c: &Connection, ws: &str) -> R<Vec<InviteRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {INV_COLS} FROM invites WHERE workspace_id = ?1 ORDER BY created_at, id"
    ))?;
    st.query_map([ws], inv_row)?.collect()
}

pub(crate) fn invite_by_id(c: &Connection, id: &str) -> R<Option<InviteRow>> {
    c.prepare_cached(&format!("SELECT {INV_COLS} FROM invites WHERE id = ?1"))?
        .query_row([id], inv_row)
        .optional()
}

pub(crate) fn invite_by_token(c: &Connection, token: &str) -> R<Option<InviteRow>> {
    c.prepare_cached(&format!("SELECT {INV_COLS} FROM invites WHERE token = ?1"))?
        .query_row([token], inv_row)
        .optional()
}

pub(crate) fn invites_for_email(c: &Connection, email: &str) -> R<Vec<InviteRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {INV_COLS} FROM invites WHERE email = lower(?1)"
    ))?;
    st.query_map([email], inv_row)?.collect()
}

pub(crate) fn workspace_invite_for(c: &Connection, ws: &str, email: &str) -> R<Option<InviteRow>> {
    c.prepare_cached(&format!(
        "SELECT {INV_COLS} FROM invites WHERE workspace_id = ?1 AND email = lower(?2)"
    ))?
    .query_row([ws, email], inv_row)
    .optional()
}

pub(crate) fn insert_invite(c: &Connection, ws: &str, email: &str, role: Role) -> R<InviteRow> {
    let id = auth::new_id();
    let token = auth::random_hex(16);
    let ts = now_ts();
    c.execute(
        "INSERT INTO invites (id, email, role, token, workspace_id, created_at, updated_at) VALUES (?1, lower(?2), ?3, ?4, ?5, ?6, ?6)",
        params![id, email, role.as_str(), token, ws, ts],
    )?;
    invite_by_id(c, &id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)
}

pub(crate) fn set_invite_role(c: &Connection, id: &str, role: Role) -> R<()> {
    c.execute(
        "UPDATE invites SET role = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, role.as_str(), now_ts()],
    )?;
    Ok(())
}

pub(crate) fn delete_invite(c: &Connection, id: &str) -> R<()> {
    c.execute("DELETE FROM invites WHERE id = ?1", [id])?;
    Ok(())
}
