//! Service accounts (API keys) of a workspace, a deployment or the platform: created, changed,
//! deleted. Documents in `queries/mutations/` (derives in `mutation_ops`, the platform's in
//! `system_mutations`), run for the service-account variants of `Mutation`.

use serde_json::json;

use super::model::*;
use super::mutation::{Outcome, Scope, missing, opt};
use super::mutation_ops as m;
use super::{ApiError, HoustonClient};

/// A new service account: its API key is in the outcome (shown once, never stored).
pub(crate) async fn create(
    client: &HoustonClient,
    scope: &Scope,
    label: &str,
    category: &str,
    role: &Role,
) -> Result<Outcome, ApiError> {
    let created = match scope {
        Scope::Workspace(ws) => client
            .run::<m::CreateWorkspaceServiceAccount>(
                m::create_workspace_service_account::Variables {
                    workspace_uuid: ws.to_string(),
                    label: label.to_string(),
                    category: opt(category),
                    role: role.as_str().to_string(),
                },
            )
            .await?
            .create_workspace_service_account
            .map(|sa| (sa.id, sa.api_key)),
        Scope::Deployment(d) => client
            .run::<m::CreateDeploymentServiceAccount>(
                m::create_deployment_service_account::Variables {
                    deployment_uuid: d.to_string(),
                    label: label.to_string(),
                    category: opt(category),
                    role: role.as_str().to_string(),
                },
            )
            .await?
            .create_deployment_service_account
            .map(|sa| (sa.id, sa.api_key)),
        Scope::System => {
            super::system_mutations::create_service_account(client, label, opt(category), role)
                .await?
        }
    };
    let (id, api_key) = created.unzip();
    let key = api_key
        .flatten()
        .filter(|k| !k.is_empty())
        .ok_or_else(|| missing("API key for the new service account"))?;
    Ok(Outcome {
        api_key: Some(Secret(key)),
        service_account: id.map(ServiceAccountId),
        ..Outcome::default()
    })
}

pub(crate) async fn update(
    client: &HoustonClient,
    scope: &Scope,
    id: &ServiceAccountId,
    label: &str,
    category: &str,
    role: &Role,
) -> Result<(), ApiError> {
    let payload = json!({"label": label, "category": category, "role": role.as_str()});
    match scope {
        Scope::Workspace(ws) => {
            client
                .run::<m::UpdateWorkspaceServiceAccount>(
                    m::update_workspace_service_account::Variables {
                        workspace_uuid: ws.to_string(),
                        service_account_uuid: id.to_string(),
                        payload,
                    },
                )
                .await?;
        }
        Scope::Deployment(d) => {
            client
                .run::<m::UpdateDeploymentServiceAccount>(
                    m::update_deployment_service_account::Variables {
                        deployment_uuid: d.to_string(),
                        service_account_uuid: id.to_string(),
                        payload,
                    },
                )
                .await?;
        }
        Scope::System => {
            super::system_mutations::update_service_account(client, id, payload).await?
        }
    }
    Ok(())
}

pub(crate) async fn delete(
    client: &HoustonClient,
    scope: &Scope,
    id: &ServiceAccountId,
) -> Result<(), ApiError> {
    match scope {
        Scope::Workspace(ws) => {
            client
                .run::<m::DeleteWorkspaceServiceAccount>(
                    m::delete_workspace_service_account::Variables {
                        workspace_uuid: ws.to_string(),
                        service_account_uuid: id.to_string(),
                    },
                )
                .await?;
        }
        Scope::Deployment(d) => {
            client
                .run::<m::DeleteDeploymentServiceAccount>(
                    m::delete_deployment_service_account::Variables {
                        deployment_uuid: d.to_string(),
                        service_account_uuid: id.to_string(),
                    },
                )
                .await?;
        }
        Scope::System => super::system_mutations::delete_service_account(client, id).await?,
    }
    Ok(())
}
