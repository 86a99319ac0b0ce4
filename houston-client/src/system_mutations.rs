//! The changes of the System Admin panel: system roles granted and revoked, users deleted,
//! people invited to the platform (and the invite withdrawn), and system service accounts.
//! Documents in `queries/mutations/`; run for `Mutation::System` and the `Scope::System`
//! service-account changes.

#![allow(clippy::upper_case_acronyms)]

use graphql_client::GraphQLQuery;

use super::model::{InviteId, Role as RoleValue, ServiceAccountId, UserId};
use super::{ApiError, HoustonClient};

pub type Uuid = String;
pub type ID = String;
pub type JSON = serde_json::Value;
pub type Role = String;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/create_system_role_binding.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct CreateSystemRoleBinding;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/delete_system_role_binding.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct DeleteSystemRoleBinding;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/remove_user.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct RemoveUser;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/invite_platform_user.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct InvitePlatformUser;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/withdraw_platform_invite.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct WithdrawPlatformInvite;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/create_system_service_account.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct CreateSystemServiceAccount;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/update_system_service_account.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct UpdateSystemServiceAccount;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/delete_system_service_account.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct DeleteSystemServiceAccount;

/// A platform-wide change (needs a system role that allows it; Houston decides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SystemChange {
    /// A user's system role becomes `grant` (none: no system role): the roles in `revoke` go
    /// first, so that a refusal (the last system admin) leaves everything as it was. `name` is
    /// for messages.
    SetRole {
        user: UserId,
        name: String,
        revoke: Vec<RoleValue>,
        grant: Option<RoleValue>,
    },
    DeleteUser {
        user: UserId,
        name: String,
    },
    /// An invite to the platform, without a workspace.
    Invite {
        email: String,
    },
    WithdrawInvite {
        invite: InviteId,
        email: String,
    },
}

impl SystemChange {
    pub async fn run(&self, client: &HoustonClient) -> Result<(), ApiError> {
        match self {
            SystemChange::SetRole {
                user,
                revoke,
                grant,
                ..
            } => {
                for role in revoke {
                    client
                        .run::<DeleteSystemRoleBinding>(delete_system_role_binding::Variables {
                            user_id: user.to_string(),
                            role: role.as_str().to_string(),
                        })
                        .await?;
                }
                if let Some(role) = grant {
                    client
                        .run::<CreateSystemRoleBinding>(create_system_role_binding::Variables {
                            user_id: user.to_string(),
                            role: role.as_str().to_string(),
                        })
                        .await?;
                }
            }
            SystemChange::DeleteUser { user, .. } => {
                client
                    .run::<RemoveUser>(remove_user::Variables {
                        user_uuid: user.to_string(),
                    })
                    .await?;
            }
            SystemChange::Invite { email } => {
                client
                    .run::<InvitePlatformUser>(invite_platform_user::Variables {
                        email: email.trim().to_string(),
                    })
                    .await?;
            }
            SystemChange::WithdrawInvite { invite, .. } => {
                client
                    .run::<WithdrawPlatformInvite>(withdraw_platform_invite::Variables {
                        invite_uuid: Some(invite.to_string()),
                    })
                    .await?;
            }
        }
        Ok(())
    }
}

/// A new system service account: its id and API key (shown once).
pub async fn create_service_account(
    client: &HoustonClient,
    label: &str,
    category: Option<String>,
    role: &RoleValue,
) -> Result<Option<(String, Option<String>)>, ApiError> {
    Ok(client
        .run::<CreateSystemServiceAccount>(create_system_service_account::Variables {
            label: label.to_string(),
            category,
            role: role.as_str().to_string(),
        })
        .await?
        .create_system_service_account
        .map(|sa| (sa.id, sa.api_key)))
}

/// A system service account's label, category and role (Houston has no scoped update for
/// system accounts: the legacy `updateServiceAccount` by id).
pub async fn update_service_account(
    client: &HoustonClient,
    id: &ServiceAccountId,
    payload: JSON,
) -> Result<(), ApiError> {
    client
        .run::<UpdateSystemServiceAccount>(update_system_service_account::Variables {
            service_account_uuid: id.to_string(),
            payload,
        })
        .await?;
    Ok(())
}

pub async fn delete_service_account(
    client: &HoustonClient,
    id: &ServiceAccountId,
) -> Result<(), ApiError> {
    client
        .run::<DeleteSystemServiceAccount>(delete_system_service_account::Variables {
            service_account_uuid: id.to_string(),
        })
        .await?;
    Ok(())
}
