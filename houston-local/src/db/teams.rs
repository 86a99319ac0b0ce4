//! Teams (Houston's IdP groups), their members and their role bindings. A team binding is a
//! `role_bindings` row with `team_id` set and no user or service account; its members hold
//! the role.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::store::{self, BindingRow, R, RB_COLS, UserRow, now_ts, rb_row};
use crate::auth;
use crate::rbac::{Grant, Role};

#[derive(Clone, Debug)]
pub(crate) struct TeamRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) sort_id: i64,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

const TEAM_COLS: &str = "t.id, t.name, t.sort_id, t.created_at, t.updated_at";

fn team_row(r: &Row) -> R<TeamRow> {
    Ok(TeamRow {
        id: r.get(0)?,
        name: r.get(1)?,
        sort_id: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
    })
}

pub(crate) fn team_by_id(c: &Connection, id: &str) -> R<Option<TeamRow>> {
    c.prepare_cached(&format!("SELECT {TEAM_COLS} FROM teams t WHERE t.id = ?1"))?
        .query_row([id], team_row)
        .optional()
}

/// Every team, ordered by id (cursor paging).
pub(crate) fn all_teams(c: &Connection) -> R<Vec<TeamRow>> {
    let mut st = c.prepare_cached(&format!("SELECT {TEAM_COLS} FROM teams t ORDER BY t.id"))?;
    st.query_map([], team_row)?.collect()
}

/// Teams with a workspace-level binding on the workspace, ordered by id.
pub(crate) fn teams_of_workspace(c: &Connection, ws: &str) -> R<Vec<TeamRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {TEAM_COLS} FROM teams t WHERE t.id IN
           (SELECT team_id FROM role_bindings WHERE workspace_id = ?1 AND deployment_id IS NULL AND team_id IS NOT NULL)
         ORDER BY t.id"
    ))?;
    st.query_map([ws], team_row)?.collect()
}

/// Teams with a binding on the deployment, ordered by id.
pub(crate) fn teams_of_deployment(c: &Connection, dep: &str) -> R<Vec<TeamRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {TEAM_COLS} FROM teams t WHERE t.id IN
           (SELECT team_id FROM role_bindings WHERE deployment_id = ?1 AND team_id IS NOT NULL)
         ORDER BY t.id"
    ))?;
    st.query_map([dep], team_row)?.collect()
}

pub(crate) fn teams_of_user(c: &Connection, user: &str) -> R<Vec<TeamRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {TEAM_COLS} FROM teams t JOIN team_members m ON m.team_id = t.id
         WHERE m.user_id = ?1 ORDER BY t.sort_id, t.id"
    ))?;
    st.query_map([user], team_row)?.collect()
}

pub(crate) fn team_users(c: &Connection, team: &str) -> R<Vec<UserRow>> {
    let mut out = Vec::new();
    let ids: Vec<String> = {
        let mut st = c.prepare_cached(
            "SELECT user_id FROM team_members WHERE team_id = ?1 ORDER BY user_id",
        )?;
        st.query_map([team], |r| r.get(0))?.collect::<R<_>>()?
    };
    for id in ids {
        if let Some(u) = store::user_by_id(c, &id)? {
            out.push(u);
        }
    }
    Ok(out)
}

/// Every binding of the team (system, workspace and deployment), oldest first.
pub(crate) fn team_bindings(c: &Connection, team: &str) -> R<Vec<BindingRow>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE team_id = ?1 ORDER BY created_at, id"
    ))?;
    st.query_map([team], rb_row)?.collect()
}

pub(crate) fn team_workspace_binding(
    c: &Connection,
    team: &str,
    ws: &str,
) -> R<Option<BindingRow>> {
    c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE team_id = ?1 AND workspace_id = ?2 AND deployment_id IS NULL"
    ))?
    .query_row([team, ws], rb_row)
    .optional()
}

pub(crate) fn team_deployment_binding(
    c: &Connection,
    team: &str,
    dep: &str,
) -> R<Option<BindingRow>> {
    c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE team_id = ?1 AND deployment_id = ?2"
    ))?
    .query_row([team, dep], rb_row)
    .optional()
}

pub(crate) fn team_system_binding(c: &Connection, team: &str, role: Role) -> R<Option<BindingRow>> {
    c.prepare_cached(&format!(
        "SELECT {RB_COLS} FROM role_bindings WHERE team_id = ?1 AND role = ?2
           AND workspace_id IS NULL AND deployment_id IS NULL"
    ))?
    .query_row([team, role.as_str()], rb_row)
    .optional()
}

/// Whether the team has any binding in the workspace (on it or on one of its deployments).
pub(crate) fn team_in_workspace(c: &Connection, team: &str, ws: &str) -> R<bool> {
    c.prepare_cached(
        "SELECT EXISTS(SELECT 1 FROM role_bindings WHERE team_id = ?1 AND (workspace_id = ?2 OR
           deployment_id IN (SELECT id FROM deployments WHERE workspace_id = ?2)))",
    )?
    .query_row([team, ws], |r| r.get(0))
}

pub(crate) fn insert_team(c: &Connection, name: &str, sort_id: i64) -> R<TeamRow> {
    let id = auth::new_id();
    let ts = now_ts();
    c.execute(
        "INSERT INTO teams (id, name, sort_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![id, name, sort_id, ts],
    )?;
    team_by_id(c, &id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)
}

pub(crate) fn add_team_member(c: &Connection, team: &str, user: &str) -> R<()> {
    c.execute(
        "INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?1, ?2)",
        [team, user],
    )?;
    Ok(())
}

/// A team binding on the system (no workspace, no deployment), a workspace or a deployment.
pub(crate) fn insert_team_binding(
    c: &Connection,
    team: &str,
    role: Role,
    workspace: Option<&str>,
    deployment: Option<&str>,
) -> R<BindingRow> {
    let id = auth::new_id();
    let ts = now_ts();
    c.execute(
        "INSERT INTO role_bindings (id, role, user_id, service_account_id, workspace_id, deployment_id, team_id, created_at, updated_at)
         VALUES (?1, ?2, NULL, NULL, ?3, ?4, ?5, ?6, ?6)",
        params![id, role.as_str(), workspace, deployment, team, ts],
    )?;
    store::binding_by_id(c, &id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)
}

/// Remove the team's bindings on a workspace and on its deployments.
pub(crate) fn remove_team_from_workspace(c: &Connection, team: &str, ws: &str) -> R<usize> {
    c.execute(
        "DELETE FROM role_bindings WHERE team_id = ?1 AND (workspace_id = ?2 OR deployment_id IN
            (SELECT id FROM deployments WHERE workspace_id = ?2))",
        [team, ws],
    )
}

/// The grants of a user: its own bindings and, when teams exist at the served version, the
/// bindings of every team it belongs to.
pub(crate) fn user_grants(c: &Connection, user: &str, with_teams: bool) -> R<Vec<Grant>> {
    let mut grants: Vec<Grant> = store::bindings_of_user(c, user)?
        .iter()
        .map(BindingRow::grant)
        .collect();
    if with_teams {
        let mut st = c.prepare_cached(&format!(
            "SELECT {} FROM role_bindings b JOIN team_members m ON m.team_id = b.team_id
             WHERE m.user_id = ?1 ORDER BY b.created_at, b.id",
            RB_COLS
                .split(", ")
                .map(|col| format!("b.{col}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        let team: Vec<BindingRow> = st.query_map([user], rb_row)?.collect::<R<_>>()?;
        grants.extend(team.iter().map(BindingRow::grant));
    }
    Ok(grants)
}
