//! Platform administration SQL of the 0.23-era operations: e-mail lookups, system role
//! bindings, user removal, platform invites, system service accounts, workspace suspension.

use rusqlite::{Connection, OptionalExtension, params};

use super::store::{
    BindingRow, INV_COLS, InviteRow, R, RB_COLS, SA_SELECT, SaRow, USER_COLS, UserRow, inv_row,
    invite_by_id, now_ts, rb_row, sa_row, user_row,
};
use crate::auth;
use crate::rbac::Role;

pub(crate) fn user_by_email_id(c: &Connection, email_id: &str) -> R<Option<UserRow>> {
    // Email ids are derived from user ids (`Email.id` = `e` + the user id without its first
    // character), since a user has exactly one address here.
    let Some(rest) = email_id.strip_prefix('e') else {
        return Ok(None);
    };
    c.prepare_cached(&format!(
        "SELECT {USER_COLS} FROM users WHERE substr(id, 2) = ?1"
    ))?
    .query_row([rest], user_row)
    .optional()
}

/// A user's system-level binding with this role.
pub(crate) fn user_system_binding(c: &Connection, user: &str, role: Role) -> R<Option<BindingRow>> {
    c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE user_id = ?1 AND role = ?2 AND workspace_id IS NULL AND deployment_id IS NULL"
    ))?
    .query_row([user, role.as_str()], rb_row)
    .optional()
}

pub(crate) fn delete_user(c: &Connection, id: &str) -> R<()> {
    c.execute("DELETE FROM users WHERE id = ?1", [id])?;
    Ok(())
}

pub(crate) fn set_workspace_active(c: &Connection, id: &str, active: bool) -> R<()> {
    c.execute(
        "UPDATE workspaces SET active = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, active, now_ts()],
    )?;
    Ok(())
}

pub(crate) fn system_sas(c: &Connection) -> R<Vec<SaRow>> {
    let mut st = c.prepare_cached(&format!(
        "{SA_SELECT} WHERE b.workspace_id IS NULL AND b.deployment_id IS NULL ORDER BY s.created_at, s.id"
    ))?;
    st.query_map([], sa_row)?.collect()
}

/// A platform invite (`inviteUser`): no workspace, role `USER`.
pub(crate) fn insert_system_invite(c: &Connection, email: &str) -> R<InviteRow> {
    let id = auth::new_id();
    let token = auth::random_hex(16);
    let ts = now_ts();
    c.execute(
        "INSERT INTO invites (id, email, role, token, workspace_id, created_at, updated_at) VALUES (?1, lower(?2), 'USER', ?3, NULL, ?4, ?4)",
        params![id, email, token, ts],
    )?;
    invite_by_id(c, &id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)
}

/// The pending platform invite (no workspace) for an address.
pub(crate) fn system_invite_for(c: &Connection, email: &str) -> R<Option<InviteRow>> {
    c.prepare_cached(&format!(
        "SELECT {INV_COLS} FROM invites WHERE workspace_id IS NULL AND email = lower(?1)"
    ))?
    .query_row([email], inv_row)
    .optional()
}

pub(crate) fn all_invites(c: &Connection) -> R<Vec<InviteRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {INV_COLS} FROM invites ORDER BY created_at, id"
    ))?;
    st.query_map([], inv_row)?.collect()
}
