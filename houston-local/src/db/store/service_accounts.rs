//! Service account rows (each with its one role binding).

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;
use crate::auth;
use crate::rbac::Role;

#[derive(Clone, Debug)]
pub(crate) struct SaRow {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) category: Option<String>,
    pub(crate) key_prefix: String,
    pub(crate) active: bool,
    pub(crate) last_used_at: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) binding: BindingRow,
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

pub(crate) fn sa_by_id(c: &Connection, id: &str) -> R<Option<SaRow>> {
    c.prepare_cached(&format!("{SA_SELECT} WHERE s.id = ?1"))?
        .query_row([id], sa_row)
        .optional()
}

pub(crate) fn sa_by_key_hash(c: &Connection, hash: &str) -> R<Option<SaRow>> {
    c.prepare_cached(&format!("{SA_SELECT} WHERE s.key_hash = ?1"))?
        .query_row([hash], sa_row)
        .optional()
}

pub(crate) fn sas_of_workspace(c: &Connection, ws: &str) -> R<Vec<SaRow>> {
    let mut st = c.prepare_cached(&format!(
        "{SA_SELECT} WHERE b.workspace_id = ?1 AND b.deployment_id IS NULL ORDER BY s.created_at, s.id"
    ))?;
    st.query_map([ws], sa_row)?.collect()
}

pub(crate) fn sas_of_deployment(c: &Connection, dep: &str) -> R<Vec<SaRow>> {
    let mut st = c.prepare_cached(&format!(
        "{SA_SELECT} WHERE b.deployment_id = ?1 ORDER BY s.created_at, s.id"
    ))?;
    st.query_map([dep], sa_row)?.collect()
}

/// Insert a service account (with its binding); returns the row and the clear-text key.
pub(crate) fn insert_sa(
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

pub(crate) fn update_sa(c: &Connection, sa: &SaRow) -> R<()> {
    c.execute(
        "UPDATE service_accounts SET label = ?2, category = ?3, active = ?4, updated_at = ?5 WHERE id = ?1",
        params![sa.id, sa.label, sa.category, sa.active, now_ts()],
    )?;
    Ok(())
}

pub(crate) fn touch_sa(c: &Connection, id: &str) -> R<()> {
    c.prepare_cached("UPDATE service_accounts SET last_used_at = ?2 WHERE id = ?1")?
        .execute(params![id, now_ts()])?;
    Ok(())
}

pub(crate) fn delete_sa(c: &Connection, id: &str) -> R<()> {
    c.execute(
        "DELETE FROM role_bindings WHERE service_account_id = ?1",
        [id],
    )?;
    c.execute("DELETE FROM service_accounts WHERE id = ?1", [id])?;
    Ok(())
}

/// Label uniqueness per workspace or deployment.
pub(crate) fn sa_label_taken(
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
