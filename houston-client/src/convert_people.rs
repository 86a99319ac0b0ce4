//! The people and keys of a workspace or deployment — users, invites, service accounts, teams —
//! from the generated reply types to domain types (see `convert` for the rules).

use super::convert::{non_empty, parse_timestamp, primary_email, rows, user_name};
use super::model::*;
use super::ops;

pub fn workspace_users(
    data: ops::workspace_users::ResponseData,
    workspace_id: &WorkspaceId,
) -> Vec<WorkspaceUser> {
    rows(data.workspace_users)
        .map(|u| {
            let role = u
                .role_bindings
                .iter()
                .flatten()
                .find(|b| {
                    b.workspace
                        .as_ref()
                        .is_some_and(|w| *workspace_id == w.id.as_str())
                })
                .and_then(|b| b.role.as_deref())
                .map(Role::parse);
            let email = primary_email(u.emails.iter().map(|e| (e.primary, e.address.as_ref())));
            WorkspaceUser {
                username: user_name(u.username, email.as_ref(), &u.id),
                id: UserId(u.id),
                full_name: non_empty(u.full_name),
                email,
                role,
                status: non_empty(u.status),
            }
        })
        .collect()
}

pub fn workspace_invites(data: ops::workspace_invites::ResponseData) -> Vec<Invite> {
    rows(data.workspace_invites)
        .map(|i| Invite {
            id: InviteId(i.id),
            email: i.email.unwrap_or_default(),
            role: Role::parse(&i.role),
            created_at: parse_timestamp(Some(&i.created_at)),
        })
        .collect()
}

/// One conversion for the generated service-account types. `$role` is the account's role, read
/// from `roleBinding` or (Houston 0.23) `roleBindings` by the caller.
macro_rules! service_account_from {
    ($s:expr, $role:expr) => {{
        let s = $s;
        ServiceAccount {
            label: non_empty(s.label).unwrap_or_else(|| s.id.clone()),
            id: ServiceAccountId(s.id),
            category: non_empty(s.category),
            role: $role,
            active: s.active.unwrap_or(false),
            last_used_at: parse_timestamp(s.last_used_at.as_deref()),
            created_at: parse_timestamp(Some(&s.created_at)),
        }
    }};
}

/// The role of a `roleBinding { role }` selection.
fn binding_role(role: Option<String>) -> Option<Role> {
    role.as_deref().map(Role::parse)
}

/// The role of a `roleBindings { role }` selection: a service account has one binding, on its
/// workspace or deployment.
fn first_binding_role<'a>(roles: impl Iterator<Item = Option<&'a String>>) -> Option<Role> {
    roles.flatten().next().map(|r| Role::parse(r))
}

pub fn workspace_service_accounts(
    data: ops::workspace_service_accounts::ResponseData,
) -> Vec<ServiceAccount> {
    rows(data.workspace_service_accounts)
        .map(|mut s| {
            let role = binding_role(s.role_binding.take().and_then(|b| b.role));
            service_account_from!(s, role)
        })
        .collect()
}

/// Houston 0.23: the role from `roleBindings`.
pub fn workspace_service_accounts_v023(
    data: ops::workspace_service_accounts_v023::ResponseData,
) -> Vec<ServiceAccount> {
    rows(data.workspace_service_accounts)
        .map(|s| {
            let role = first_binding_role(s.role_bindings.iter().map(|b| b.role.as_ref()));
            service_account_from!(s, role)
        })
        .collect()
}

pub fn deployment_service_accounts(
    data: ops::deployment_service_accounts::ResponseData,
) -> Vec<ServiceAccount> {
    rows(data.deployment_service_accounts)
        .map(|mut s| {
            let role = binding_role(s.role_binding.take().and_then(|b| b.role));
            service_account_from!(s, role)
        })
        .collect()
}

/// Houston 0.23: the role from `roleBindings`.
pub fn deployment_service_accounts_v023(
    data: ops::deployment_service_accounts_v023::ResponseData,
) -> Vec<ServiceAccount> {
    rows(data.deployment_service_accounts)
        .map(|s| {
            let role = first_binding_role(s.role_bindings.iter().map(|b| b.role.as_ref()));
            service_account_from!(s, role)
        })
        .collect()
}

pub fn deployment_users(
    data: ops::deployment_users::ResponseData,
    deployment_id: &DeploymentId,
) -> Vec<DeploymentUser> {
    rows(data.deployment_users)
        .map(|u| {
            let role = u
                .role_bindings
                .iter()
                .flatten()
                .filter(|b| {
                    b.deployment
                        .as_ref()
                        .is_some_and(|d| *deployment_id == d.id.as_str())
                })
                .filter_map(|b| b.role.as_deref())
                .find(|r| r.starts_with("DEPLOYMENT_"))
                .map(Role::parse);
            let email = primary_email(u.emails.iter().map(|e| (None, e.address.as_ref())));
            DeploymentUser {
                username: user_name(u.username, email.as_ref(), &u.id),
                id: UserId(u.id),
                full_name: non_empty(u.full_name),
                email,
                role,
            }
        })
        .collect()
}

/// One conversion for the two generated team types: the role is the binding on `scope`.
macro_rules! teams_from {
    ($list:expr, $matches:expr) => {{
        rows($list)
            .map(|t| {
                let role = t
                    .role_bindings
                    .iter()
                    .flatten()
                    .filter(|b| $matches(b))
                    .find_map(|b| b.role.as_deref())
                    .map(Role::parse);
                Team {
                    name: non_empty(t.name).unwrap_or_else(|| t.id.clone()),
                    id: TeamId(t.id),
                    role,
                }
            })
            .collect()
    }};
}

pub fn workspace_teams(data: ops::workspace_teams::ResponseData, ws: &WorkspaceId) -> Vec<Team> {
    teams_from!(
        data.workspace_teams,
        |b: &ops::workspace_teams::WorkspaceTeamsWorkspaceTeamsRoleBindings| b.deployment.is_none()
            && b.workspace.as_ref().is_some_and(|w| *ws == w.id.as_str())
    )
}

pub fn deployment_teams(data: ops::deployment_teams::ResponseData, d: &DeploymentId) -> Vec<Team> {
    teams_from!(
        data.deployment_teams,
        |b: &ops::deployment_teams::DeploymentTeamsDeploymentTeamsRoleBindings| b
            .deployment
            .as_ref()
            .is_some_and(|x| *d == x.id.as_str())
    )
}
