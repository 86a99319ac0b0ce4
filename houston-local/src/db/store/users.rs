//! User rows.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;
use crate::auth;

#[derive(Clone, Debug)]
pub(crate) struct UserRow {
    pub(crate) id: String,
    pub(crate) username: String,
    pub(crate) email: String,
    pub(crate) full_name: Option<String>,
    pub(crate) status: String,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
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

pub(crate) fn user_by_id(c: &Connection, id: &str) -> R<Option<UserRow>> {
    c.prepare_cached(&format!("SELECT {USER_COLS} FROM users WHERE id = ?1"))?
        .query_row([id], user_row)
        .optional()
}

pub(crate) fn user_by_email(c: &Connection, email: &str) -> R<Option<UserRow>> {
    c.prepare_cached(&format!(
        "SELECT {USER_COLS} FROM users WHERE email = lower(?1)"
    ))?
    .query_row([email], user_row)
    .optional()
}

/// Replace a user's password hash.
pub(crate) fn set_password_hash(c: &Connection, user_id: &str, hash: &str) -> R<()> {
    c.execute(
        "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1",
        params![user_id, hash, now_ts()],
    )?;
    Ok(())
}

/// Login identity: username or e-mail. Returns the row and its password hash.
pub(crate) fn user_by_identity(
    c: &Connection,
    identity: &str,
) -> R<Option<(UserRow, Option<String>)>> {
    c.prepare_cached(&format!(
        "SELECT {USER_COLS}, password_hash FROM users WHERE username = ?1 OR email = lower(?1) LIMIT 1"
    ))?
    .query_row([identity], |r| Ok((user_row(r)?, r.get(7)?)))
    .optional()
}

pub(crate) fn all_users(c: &Connection) -> R<Vec<UserRow>> {
    let mut st = c.prepare_cached(&format!("SELECT {USER_COLS} FROM users ORDER BY id"))?;
    st.query_map([], user_row)?.collect()
}

pub(crate) fn insert_user(
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

pub(crate) fn update_user_full_name(c: &Connection, id: &str, full_name: &str) -> R<()> {
    c.execute(
        "UPDATE users SET full_name = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, full_name, now_ts()],
    )?;
    Ok(())
}

/// Users with a workspace-level binding on the workspace, ordered by id (cursor paging).
pub(crate) fn workspace_users(c: &Connection, ws: &str) -> R<Vec<UserRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {} FROM users u WHERE u.id IN
           (SELECT user_id FROM role_bindings WHERE workspace_id = ?1 AND deployment_id IS NULL AND user_id IS NOT NULL)
         ORDER BY u.id",
        USER_COLS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
    ))?;
    st.query_map([ws], user_row)?.collect()
}

/// Users with a binding on the deployment.
pub(crate) fn deployment_users(c: &Connection, dep: &str) -> R<Vec<UserRow>> {
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
