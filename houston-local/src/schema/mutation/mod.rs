//! Mutation root. Every mutation checks permissions first, validates, then runs its reads and
//! writes in one transaction, so a rejected or interrupted call changes nothing.
//!
//! The core mutations are split by domain, one `#[Object]` part per file. `schema::MutationRoot`
//! merges the parts; the order it lists them in is the order of the fields in the SDL.

mod deployment_users;
mod deployments;
mod service_accounts;
mod session;
mod workspace_users;
mod workspaces;

use crate::error::bad_input;
use crate::rbac::Permission;

pub(crate) use deployment_users::DeploymentUserMutation;
pub(crate) use deployments::DeploymentMutation;
pub(crate) use service_accounts::ScopedServiceAccountMutation;
pub(crate) use service_accounts::{SaOp, SaScope, create_sa, sa_in_scope, scoped_sa_op};
pub(crate) use session::SessionMutation;
pub(crate) use workspace_users::WorkspaceUserMutation;
pub(crate) use workspaces::WorkspaceMutation;

pub(crate) const IAM: &[Permission] =
    &[Permission::WorkspaceIamUpdate, Permission::SystemIamUpdate];
pub(crate) const DEP_UPDATE: &[Permission] = &[
    Permission::DeploymentConfigUpdate,
    Permission::SystemDeploymentsUpdate,
];

pub(crate) fn dup_binding() -> async_graphql::Error {
    bad_input("A duplicate role binding already exists")
}

pub(crate) fn version_key(v: &str) -> Vec<u64> {
    v.split(['-', '+'])
        .next()
        .unwrap_or("")
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect()
}
