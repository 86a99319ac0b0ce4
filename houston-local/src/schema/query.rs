//! Query root.

use async_graphql::{Context, Object, Result};

use super::inputs::{DeploymentWhereUniqueInput, InviteSearch, UserSearch};
use super::types::*;
use super::{
    DateTime, Id, Uuid, caller, dep_entity, load_deployment, non_empty, read, require, state,
};
use crate::db::store::{self, DeploymentRow, UserRow, WorkspaceRow};
use crate::error::{bad_input, not_found};
use crate::rbac::{Entity, Permission, Principal, PrincipalKind};

/// The core queries (workspaces, deployments, users, service accounts, logs).
#[derive(Default)]
pub struct Query;

/// Houston's UserSearch rule: userUuid/userId exact, else e-mail exact, else username
/// contains, else fullName contains — the first non-empty criterion wins.
pub fn user_matches(u: &UserRow, s: Option<&UserSearch>) -> bool {
    let Some(s) = s else { return true };
    if let Some(id) = non_empty(s.user_uuid.as_ref().map(|x| x.0.as_str()))
        .or(non_empty(s.user_id.as_ref().map(|x| x.0.as_str())))
    {
        return u.id == id;
    }
    if let Some(e) = non_empty(s.email.as_deref()) {
        return u.email == e.to_lowercase();
    }
    if let Some(n) = non_empty(s.username.as_deref()) {
        return u.username.to_lowercase().contains(&n.to_lowercase());
    }
    if let Some(n) = non_empty(s.full_name.as_deref()) {
        return u
            .full_name
            .as_deref()
            .unwrap_or("")
            .to_lowercase()
            .contains(&n.to_lowercase());
    }
    true
}

/// Workspaces where the caller has a workspace binding. Deviation from Houston (which shows a
/// system admin only their own workspaces): callers holding `system.workspace.get`
/// (SYSTEM_VIEWER and up) see every workspace — what an operator dashboard needs.
pub fn visible_workspaces(
    c: &rusqlite::Connection,
    p: &Principal,
) -> rusqlite::Result<Vec<WorkspaceRow>> {
    let all = store::all_workspaces(c)?;
    if p.has(Permission::SystemWorkspaceGet, Entity::System) {
        return Ok(all);
    }
    Ok(all
        .into_iter()
        .filter(|w| {
            p.grants
                .iter()
                .any(|g| g.deployment_id.is_none() && g.workspace_id.as_deref() == Some(&w.id))
        })
        .collect())
}

pub(crate) fn page<T>(items: Vec<T>, take: Option<i32>, page_number: Option<i32>) -> Vec<T> {
    match take {
        Some(t) if t > 0 => {
            let skip = (page_number.unwrap_or(0).max(0) as usize).saturating_mul(t as usize);
            items.into_iter().skip(skip).take(t as usize).collect()
        }
        _ => items,
    }
}

/// Cursor paging over id-sorted rows: positive take = rows after the cursor, negative =
/// rows before it; negative take without a cursor = everything.
pub(crate) fn cursor_page<T>(
    items: Vec<T>,
    id: impl Fn(&T) -> &str,
    cursor: Option<&str>,
    take: Option<i32>,
) -> Vec<T> {
    let pos = cursor.and_then(|c| items.iter().position(|x| id(x) == c));
    match (take, pos) {
        (Some(t), Some(p)) if t < 0 => {
            // unsigned_abs: `-t` overflows for i32::MIN.
            let n = t.unsigned_abs() as usize;
            let start = p.saturating_sub(n);
            items.into_iter().skip(start).take(p - start).collect()
        }
        (t, Some(p)) => {
            let it = items.into_iter().skip(p + 1);
            match t {
                Some(t) if t > 0 => it.take(t as usize).collect(),
                _ => it.collect(),
            }
        }
        (Some(t), None) if t > 0 => items.into_iter().take(t as usize).collect(),
        _ => items,
    }
}

fn ws_perm(ctx: &Context<'_>, ws: &str, perms: &[Permission]) -> Result<()> {
    require(ctx, perms, Entity::Workspace(ws))?;
    Ok(())
}

fn dep_perm(ctx: &Context<'_>, id: &str, perms: &[Permission]) -> Result<DeploymentRow> {
    let d = load_deployment(ctx, id)?;
    require(ctx, perms, dep_entity(&d))?;
    Ok(d)
}

#[Object(name = "CoreQuery")]
impl Query {
    async fn auth_config(
        &self,
        ctx: &Context<'_>,
        redirect: Option<String>,
        duration: Option<i32>,
        extras: Option<super::Json>,
        invite_token: Option<String>,
    ) -> Result<Option<AuthConfig>> {
        let _ = (redirect, duration, extras, invite_token);
        let users = read(ctx, |c| Ok(store::count_users(c)?))?;
        Ok(Some(AuthConfig {
            public_signup: Some(state(ctx).public_signup),
            external_signup_url: None,
            initial_signup: Some(users == 0),
            local_enabled: Some(true),
            providers: Some(Vec::new()),
        }))
    }

    #[graphql(name = "self")]
    async fn self_(&self, ctx: &Context<'_>) -> Result<Option<AuthUser>> {
        let p = caller(ctx)?;
        let user = match &p.kind {
            PrincipalKind::User(id) => read(ctx, |c| Ok(store::user_by_id(c, id)?))?,
            PrincipalKind::ServiceAccount(_) => None,
        };
        Ok(Some(AuthUser {
            user,
            grants: p.grants.clone(),
        }))
    }

    async fn workspaces(&self, ctx: &Context<'_>) -> Result<Option<Vec<Option<Workspace>>>> {
        let p = caller(ctx)?;
        let rows = read(ctx, |c| Ok(visible_workspaces(c, &p)?))?;
        Ok(Some(
            rows.into_iter()
                .map(|w| Some(Workspace::loaded(w)))
                .collect(),
        ))
    }

    async fn workspace(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
    ) -> Result<Option<Workspace>> {
        ws_perm(
            ctx,
            &workspace_uuid.0,
            &[
                Permission::WorkspaceConfigGet,
                Permission::SystemWorkspaceGet,
            ],
        )?;
        Ok(
            read(ctx, |c| Ok(store::workspace_by_id(c, &workspace_uuid.0)?))?
                .map(Workspace::loaded),
        )
    }

    #[graphql(visible = "crate::versioning::since_0_30")]
    async fn paginated_workspaces(
        &self,
        ctx: &Context<'_>,
        take: Option<i32>,
        page_number: Option<i32>,
    ) -> Result<Option<Vec<Option<Workspace>>>> {
        let p = caller(ctx)?;
        let rows = read(ctx, |c| Ok(visible_workspaces(c, &p)?))?;
        Ok(Some(
            page(rows, take, page_number)
                .into_iter()
                .map(|w| Some(Workspace::loaded(w)))
                .collect(),
        ))
    }

    async fn workspace_deployments(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        release_name: Option<String>,
    ) -> Result<Option<Vec<Option<Deployment>>>> {
        ws_perm(
            ctx,
            &workspace_uuid.0,
            &[
                Permission::WorkspaceDeploymentsGet,
                Permission::SystemDeploymentsGet,
            ],
        )?;
        let rows = read(ctx, |c| {
            Ok(store::deployments_of_workspace(c, &workspace_uuid.0)?)
        })?;
        let rn = non_empty(release_name.as_deref());
        Ok(Some(
            rows.into_iter()
                .filter(|d| rn.is_none_or(|r| d.release_name == r))
                .map(|d| Some(Deployment::new(d)))
                .collect(),
        ))
    }

    async fn workspace_deployment(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        release_name: String,
    ) -> Result<Option<Deployment>> {
        ws_perm(
            ctx,
            &workspace_uuid.0,
            &[
                Permission::WorkspaceDeploymentsGet,
                Permission::SystemDeploymentsGet,
            ],
        )?;
        let d = read(ctx, |c| Ok(store::deployment_by_release(c, &release_name)?))?;
        Ok(d.filter(|d| d.workspace_id == workspace_uuid.0)
            .map(Deployment::new))
    }

    /// Deviation: Houston lets every user (`system.getDeploymentById`) read any deployment by
    /// id; we require read access to that deployment.
    async fn deployment(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] where_: DeploymentWhereUniqueInput,
    ) -> Result<Option<Deployment>> {
        caller(ctx)?;
        let d = if let Some(id) = non_empty(where_.id.as_deref()) {
            read(ctx, |c| Ok(store::deployment_by_id(c, id)?))?
        } else if let Some(rn) = non_empty(where_.release_name.as_deref()) {
            read(ctx, |c| Ok(store::deployment_by_release(c, rn)?))?
        } else {
            return Err(bad_input(
                "A required argument was not sent: where.id or where.releaseName",
            ));
        };
        let d = d.ok_or_else(not_found)?;
        require(ctx, DEP_READ, dep_entity(&d))?;
        Ok(Some(Deployment::new(d)))
    }

    async fn deployments(&self, ctx: &Context<'_>) -> Result<Option<Vec<Option<Deployment>>>> {
        require(ctx, &[Permission::SystemDeploymentsGet], Entity::System)?;
        let rows = read(ctx, |c| Ok(store::all_deployments(c)?))?;
        Ok(Some(
            rows.into_iter().map(|d| Some(Deployment::new(d))).collect(),
        ))
    }

    #[graphql(visible = "crate::versioning::since_0_32")]
    async fn paginated_deployments(
        &self,
        ctx: &Context<'_>,
        take: Option<i32>,
        name: Option<String>,
        cursor: Option<Uuid>,
        page_number: Option<i32>,
        #[graphql(visible = "crate::versioning::since_1_0")] cluster_id: Option<Uuid>,
    ) -> Result<Option<Vec<Option<Deployment>>>> {
        require(ctx, &[Permission::SystemDeploymentsGet], Entity::System)?;
        let mut rows = read(ctx, |c| Ok(store::all_deployments(c)?))?;
        if let Some(cluster) = non_empty(cluster_id.as_ref().map(|c| c.0.as_str())) {
            let on = read(ctx, |c| {
                Ok(crate::db::clusters::deployment_ids_on(c, cluster)?)
            })?;
            rows.retain(|d| on.contains(&d.id));
        }
        if let Some(n) = non_empty(name.as_deref()) {
            let n = n.to_lowercase();
            rows.retain(|d| d.label.to_lowercase().contains(&n) || d.release_name.contains(&n));
        }
        let cursor = non_empty(cursor.as_ref().map(|c| c.0.as_str()));
        let rows = if cursor.is_some() {
            cursor_page(rows, |d| &d.id, cursor, take)
        } else {
            page(rows, take, page_number)
        };
        Ok(Some(
            rows.into_iter().map(|d| Some(Deployment::new(d))).collect(),
        ))
    }

    async fn deployment_config(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Option<Uuid>,
        deployment_uuid: Option<Uuid>,
        #[graphql(name = "type")] kind: Option<String>,
        version: Option<String>,
    ) -> Result<Option<DeploymentConfig>> {
        let _ = (workspace_uuid, deployment_uuid, kind, version);
        caller(ctx)?;
        Ok(Some(deployment_config()))
    }

    async fn deployment_variables(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        release_name: Option<String>,
    ) -> Result<Option<Vec<Option<EnvironmentVariable>>>> {
        let d = dep_perm(
            ctx,
            &deployment_uuid.0,
            &[
                Permission::DeploymentVariablesGet,
                Permission::SystemDeploymentVariablesGet,
            ],
        )?;
        if non_empty(release_name.as_deref()).is_some_and(|r| r != d.release_name) {
            return Err(not_found());
        }
        let rows = read(ctx, |c| Ok(store::env_vars(c, &d.id)?))?;
        Ok(Some(env_reply(rows).into_iter().map(Some).collect()))
    }

    async fn workspace_users(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        user: Option<UserSearch>,
    ) -> Result<Option<Vec<Option<User>>>> {
        ws_perm(
            ctx,
            &workspace_uuid.0,
            &[Permission::WorkspaceUsersGet, Permission::SystemUsersGet],
        )?;
        let rows = read(ctx, |c| Ok(store::workspace_users(c, &workspace_uuid.0)?))?;
        Ok(Some(
            rows.into_iter()
                .filter(|u| user_matches(u, user.as_ref()))
                .map(|u| Some(User::of(u)))
                .collect(),
        ))
    }

    async fn workspace_user(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        user: UserSearch,
    ) -> Result<Option<User>> {
        ws_perm(
            ctx,
            &workspace_uuid.0,
            &[Permission::WorkspaceUsersGet, Permission::SystemUsersGet],
        )?;
        let rows = read(ctx, |c| Ok(store::workspace_users(c, &workspace_uuid.0)?))?;
        rows.into_iter()
            .find(|u| user_matches(u, Some(&user)))
            .map(|u| Some(User::of(u)))
            .ok_or_else(not_found)
    }

    #[graphql(visible = "crate::versioning::since_0_30")]
    async fn paginated_workspace_users(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        cursor: Option<Uuid>,
        take: Option<i32>,
    ) -> Result<Option<Vec<Option<User>>>> {
        ws_perm(
            ctx,
            &workspace_uuid.0,
            &[Permission::WorkspaceUsersGet, Permission::SystemUsersGet],
        )?;
        let rows = read(ctx, |c| Ok(store::workspace_users(c, &workspace_uuid.0)?))?;
        let cursor = non_empty(cursor.as_ref().map(|c| c.0.as_str()));
        Ok(Some(
            cursor_page(rows, |u| &u.id, cursor, take)
                .into_iter()
                .map(|u| Some(User::of(u)))
                .collect(),
        ))
    }

    async fn workspace_invites(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        invite: Option<InviteSearch>,
    ) -> Result<Option<Vec<Option<Invite>>>> {
        ws_perm(
            ctx,
            &workspace_uuid.0,
            &[
                Permission::WorkspaceInvitesGet,
                Permission::SystemInvitesGet,
            ],
        )?;
        let rows = read(ctx, |c| {
            Ok(store::invites_of_workspace(c, &workspace_uuid.0)?)
        })?;
        let id = invite
            .as_ref()
            .and_then(|i| non_empty(i.invite_uuid.as_ref().map(|u| u.0.as_str())));
        let email = invite
            .as_ref()
            .and_then(|i| non_empty(i.email.as_deref()))
            .map(str::to_lowercase);
        Ok(Some(
            rows.into_iter()
                .filter(|i| id.is_none_or(|x| i.id == x))
                .filter(|i| email.as_deref().is_none_or(|e| i.email.contains(e)))
                .map(|i| Some(Invite(i)))
                .collect(),
        ))
    }

    async fn users(
        &self,
        ctx: &Context<'_>,
        user: Option<UserSearch>,
    ) -> Result<Option<Vec<Option<User>>>> {
        require(ctx, &[Permission::SystemUsersGet], Entity::System)?;
        let rows = read(ctx, |c| Ok(store::all_users(c)?))?;
        Ok(Some(
            rows.into_iter()
                .filter(|u| user_matches(u, user.as_ref()))
                .map(|u| Some(User::of(u)))
                .collect(),
        ))
    }

    async fn deployment_users(
        &self,
        ctx: &Context<'_>,
        deployment_id: Id,
        user: Option<UserSearch>,
    ) -> Result<Option<Vec<Option<User>>>> {
        let d = dep_perm(
            ctx,
            &deployment_id.0,
            &[Permission::DeploymentUsersGet, Permission::SystemUsersGet],
        )?;
        let rows = read(ctx, |c| Ok(store::deployment_users(c, &d.id)?))?;
        Ok(Some(
            rows.into_iter()
                .filter(|u| user_matches(u, user.as_ref()))
                .map(|u| Some(User::of(u)))
                .collect(),
        ))
    }

    async fn workspace_service_accounts(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
    ) -> Result<Option<Vec<Option<ServiceAccount>>>> {
        ws_perm(
            ctx,
            &workspace_uuid.0,
            &[
                Permission::WorkspaceServiceAccountsGet,
                Permission::SystemServiceAccountsGet,
            ],
        )?;
        let rows = read(ctx, |c| Ok(store::sas_of_workspace(c, &workspace_uuid.0)?))?;
        Ok(Some(
            rows.into_iter()
                .map(|s| Some(ServiceAccount::masked(s)))
                .collect(),
        ))
    }

    async fn deployment_service_accounts(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
    ) -> Result<Option<Vec<Option<ServiceAccount>>>> {
        let d = dep_perm(
            ctx,
            &deployment_uuid.0,
            &[
                Permission::DeploymentServiceAccountsGet,
                Permission::SystemServiceAccountsGet,
            ],
        )?;
        let rows = read(ctx, |c| Ok(store::sas_of_deployment(c, &d.id)?))?;
        Ok(Some(
            rows.into_iter()
                .map(|s| Some(ServiceAccount::masked(s)))
                .collect(),
        ))
    }

    /// Records newer than `timestamp` (absent = all), newest 800, returned oldest first.
    async fn logs(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        component: Option<String>,
        timestamp: Option<DateTime>,
        search: Option<String>,
    ) -> Result<Option<Vec<Option<DeploymentLog>>>> {
        let d = dep_perm(ctx, &deployment_uuid.0, LOG_PERMS)?;
        let after = parse_after(timestamp.as_ref())?;
        let filter = crate::sim::logs::Filter::new(
            non_empty(component.as_deref()),
            non_empty(search.as_deref()),
        );
        let rows = super::logs::source(state(ctx), &d)
            .map_err(crate::error::internal)?
            .map(|s| {
                s.records(
                    &filter,
                    after,
                    store::now_ms(),
                    crate::sim::logs::MAX_RECORDS,
                )
            })
            .unwrap_or_default();
        Ok(Some(
            rows.into_iter().map(|l| Some(DeploymentLog(l))).collect(),
        ))
    }
}

pub const LOG_PERMS: &[Permission] = &[
    Permission::DeploymentLogsGet,
    Permission::SystemDeploymentsLogs,
];

/// Exclusive lower bound in epoch ms; records are stored with ms precision, so flooring the
/// argument keeps "strictly newer" exact.
pub fn parse_after(ts: Option<&DateTime>) -> Result<i64> {
    match ts.map(|t| t.0.as_str()).filter(|s| !s.is_empty()) {
        None => Ok(i64::MIN),
        Some(s) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.timestamp_millis())
            .map_err(|_| bad_input(format!("Invalid timestamp: {s} (expected RFC 3339)"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_extremes_do_not_overflow() {
        let v: Vec<String> = (0..5).map(|i| i.to_string()).collect();
        let all = cursor_page(v.clone(), |x| x, Some("3"), Some(i32::MIN));
        assert_eq!(all, vec!["0", "1", "2"]);
        assert_eq!(
            cursor_page(v.clone(), |x| x, Some("3"), Some(-1)),
            vec!["2"]
        );
        assert_eq!(cursor_page(v.clone(), |x| x, None, Some(i32::MIN)).len(), 5);
        assert!(page(v.clone(), Some(i32::MAX), Some(i32::MAX)).is_empty());
        assert_eq!(page(v, Some(2), Some(1)), vec!["2", "3"]);
    }
}
