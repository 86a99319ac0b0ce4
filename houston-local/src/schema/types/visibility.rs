//! Nested permission checks.
//!
//! Root fields check the caller's rights on the entity they return; every nested field that
//! exposes *another* entity's data checks again, on that entity. Lists of another entity's
//! children (users, deployments, variables, …) fail with FORBIDDEN (which nulls just that field,
//! as Houston's `@auth` directive does); references (`RoleBinding.workspace`, `Invite.token`)
//! become null, and `User.roleBindings` is filtered.

use async_graphql::{Context, Result};

use super::*;
use crate::db::store::{self, BindingRow};
use crate::error::forbidden;
use crate::rbac::{Entity, Permission, Principal};
use crate::schema::{dep_entity, read, state};

pub(crate) const WS_READ: &[Permission] = &[
    Permission::WorkspaceConfigGet,
    Permission::SystemWorkspaceGet,
];
pub(crate) const WS_USERS: &[Permission] =
    &[Permission::WorkspaceUsersGet, Permission::SystemUsersGet];
pub(crate) const WS_DEPLOYMENTS: &[Permission] = &[
    Permission::WorkspaceDeploymentsGet,
    Permission::SystemDeploymentsGet,
];
pub(crate) const WS_SAS: &[Permission] = &[
    Permission::WorkspaceServiceAccountsGet,
    Permission::SystemServiceAccountsGet,
];
pub(crate) const WS_INVITES: &[Permission] = &[
    Permission::WorkspaceInvitesGet,
    Permission::SystemInvitesGet,
];
pub(crate) const DEP_READ: &[Permission] = &[
    Permission::DeploymentConfigGet,
    Permission::SystemDeploymentsGet,
];
pub(crate) const DEP_USERS: &[Permission] =
    &[Permission::DeploymentUsersGet, Permission::SystemUsersGet];
pub(crate) const DEP_SAS: &[Permission] = &[
    Permission::DeploymentServiceAccountsGet,
    Permission::SystemServiceAccountsGet,
];
pub(crate) const DEP_VARS: &[Permission] = &[
    Permission::DeploymentVariablesGet,
    Permission::SystemDeploymentVariablesGet,
];

/// An entity's bindings as listed: team bindings only where the version has teams.
pub(super) fn listed_bindings(ctx: &Context<'_>, rows: Vec<BindingRow>) -> Vec<RoleBinding> {
    let teams = state(ctx).teams_enabled();
    rows.into_iter()
        .filter(|b| teams || b.team_id.is_none())
        .map(RoleBinding)
        .collect()
}

pub(crate) fn check(p: &Principal, perms: &[Permission], e: Entity<'_>) -> Result<()> {
    if p.any(perms, e) {
        Ok(())
    } else {
        Err(forbidden())
    }
}

/// Whether the caller may see this binding: its own bindings always, everything with
/// `system.users.get`, otherwise only bindings on entities whose members the caller may list.
pub(super) fn binding_visible(ctx: &Context<'_>, p: &Principal, b: &BindingRow) -> Result<bool> {
    if b.user_id.is_some() && b.user_id.as_deref() == p.user_id() {
        return Ok(true);
    }
    if let (crate::rbac::PrincipalKind::ServiceAccount(id), Some(sa)) =
        (&p.kind, &b.service_account_id)
        && id == sa
    {
        return Ok(true);
    }
    if p.has(Permission::SystemUsersGet, Entity::System) {
        return Ok(true);
    }
    if let Some(dep) = &b.deployment_id {
        let Some(d) = read(ctx, |c| Ok(store::deployment_by_id(c, dep)?))? else {
            return Ok(false);
        };
        return Ok(p.any(DEP_USERS, dep_entity(&d)));
    }
    if let Some(ws) = &b.workspace_id {
        return Ok(p.any(WS_USERS, Entity::Workspace(ws)));
    }
    Ok(false)
}

/// Whether the caller may read the service accounts of the account's entity.
pub(super) fn sa_visible(ctx: &Context<'_>, p: &Principal, b: &BindingRow) -> Result<bool> {
    if let Some(dep) = &b.deployment_id {
        let Some(d) = read(ctx, |c| Ok(store::deployment_by_id(c, dep)?))? else {
            return Ok(false);
        };
        return Ok(p.any(DEP_SAS, dep_entity(&d)));
    }
    if let Some(ws) = &b.workspace_id {
        return Ok(p.any(WS_SAS, Entity::Workspace(ws)));
    }
    Ok(p.has(Permission::SystemServiceAccountsGet, Entity::System))
}
