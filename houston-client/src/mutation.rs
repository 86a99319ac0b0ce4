//! The changes astrodash makes: one `Mutation` per action of the web UI, and how each runs
//! against Houston (documents in `queries/mutations/`, derives in `mutation_ops`).

use serde_json::json;

use super::model::*;
use super::mutation_ops as m;
use super::{ApiError, HoustonClient};

pub use super::resources::{FIXED_COMPONENTS, ResourceSpec};

/// Whom a service account belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Workspace(WorkspaceId),
    Deployment(DeploymentId),
    /// The platform: a system service account (System Admin panel).
    System,
}

/// One environment variable of the complete set sent to Houston.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVarInput {
    pub key: String,
    /// Empty for a secret that keeps its stored value (Houston never returns it).
    pub value: Secret,
    pub is_secret: bool,
}

/// What a new or edited deployment looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentSpec {
    pub label: String,
    pub description: String,
    pub executor: Executor,
    pub resources: ResourceSpec,
}

/// Where a new deployment goes on Houston 1.0+ (created with `upsertDeployment`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// An ACTIVE cluster (Houston refuses an INACTIVE one).
    pub cluster: ClusterId,
    /// A pre-created namespace, where the platform lets deployments pick one.
    pub namespace: Option<String>,
    /// `helm` or `operator` (Houston 2.1+; `None` sends none: Houston's default, helm).
    pub mode: Option<String>,
}

/// A change to make on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mutation {
    CreateWorkspace {
        label: String,
        description: String,
    },
    UpdateWorkspace {
        id: WorkspaceId,
        label: String,
        description: String,
    },
    DeleteWorkspace {
        id: WorkspaceId,
        label: String,
    },
    UpdateSelf {
        full_name: String,
    },
    CreateDeployment {
        workspace: WorkspaceId,
        spec: DeploymentSpec,
        airflow_version: Option<String>,
        /// On Houston 1.0+: the cluster (and namespace, mode) it goes to.
        placement: Option<Placement>,
    },
    /// A cluster's new name (`system.clusters.update`).
    RenameCluster {
        id: ClusterId,
        name: String,
    },
    UpdateDeployment {
        id: DeploymentId,
        spec: DeploymentSpec,
    },
    /// Set the desired Airflow version; the current version cancels a pending upgrade.
    UpgradeAirflow {
        id: DeploymentId,
        label: String,
        version: String,
    },
    /// Set the desired Runtime version of a Runtime deployment (the only upgrade from Houston
    /// 1.0.1 on); the running version cancels a pending upgrade.
    UpgradeRuntime {
        id: DeploymentId,
        label: String,
        version: String,
        /// The running version: choosing it cancels (`cancelRuntimeUpdate`).
        running: String,
    },
    DeleteDeployment {
        id: DeploymentId,
        label: String,
    },
    /// Replace the whole set of environment variables.
    SetVariables {
        id: DeploymentId,
        release_name: String,
        variables: Vec<EnvVarInput>,
    },
    InviteUser {
        workspace: WorkspaceId,
        email: String,
        role: Role,
    },
    SetWorkspaceRole {
        workspace: WorkspaceId,
        email: String,
        role: Role,
    },
    RemoveWorkspaceUser {
        workspace: WorkspaceId,
        user: UserId,
        name: String,
    },
    RevokeInvite {
        workspace: WorkspaceId,
        invite: InviteId,
        email: String,
    },
    AddDeploymentUser {
        deployment: DeploymentId,
        email: String,
        role: Role,
    },
    SetDeploymentRole {
        deployment: DeploymentId,
        user: UserId,
        email: String,
        role: Role,
    },
    RemoveDeploymentUser {
        deployment: DeploymentId,
        user: UserId,
        email: String,
    },
    CreateServiceAccount {
        scope: Scope,
        label: String,
        category: String,
        role: Role,
    },
    UpdateServiceAccount {
        scope: Scope,
        id: ServiceAccountId,
        label: String,
        category: String,
        role: Role,
    },
    DeleteServiceAccount {
        scope: Scope,
        id: ServiceAccountId,
        label: String,
    },
    /// A team's workspace role (Houston 0.28+); `name` is for messages.
    SetWorkspaceTeamRole {
        workspace: WorkspaceId,
        team: TeamId,
        name: String,
        role: Role,
    },
    /// Every role of the team in the workspace and its deployments goes.
    RemoveWorkspaceTeam {
        workspace: WorkspaceId,
        team: TeamId,
        name: String,
    },
    SetDeploymentTeamRole {
        deployment: DeploymentId,
        team: TeamId,
        name: String,
        role: Role,
    },
    RemoveDeploymentTeam {
        deployment: DeploymentId,
        team: TeamId,
        name: String,
    },
    /// A platform-wide change of the System Admin panel.
    System(super::system_mutations::SystemChange),
}

/// What a successful mutation brought back that the app needs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    pub workspace: Option<WorkspaceId>,
    pub deployment: Option<DeploymentId>,
    /// A new service account's API key: shown once, never stored.
    pub api_key: Option<Secret>,
    /// The new service account (the list puts its cursor on it).
    pub service_account: Option<ServiceAccountId>,
}

pub(crate) fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

pub(crate) fn executor_name(e: &Executor) -> String {
    match e {
        Executor::Local => "LocalExecutor".into(),
        Executor::Celery => "CeleryExecutor".into(),
        Executor::Kubernetes => "KubernetesExecutor".into(),
        Executor::Other(s) => s.clone(),
    }
}

/// Houston answered `null` for the object a mutation should return.
pub(crate) fn missing(what: &str) -> ApiError {
    ApiError::NotFound(format!("Houston returned no {what}"))
}

impl Mutation {
    /// Run the change. Needs the platform's deployment config for resource sizes.
    pub async fn run(
        &self,
        client: &HoustonClient,
        config: &DeploymentConfig,
    ) -> Result<Outcome, ApiError> {
        let done = Outcome::default();
        if super::team_mutations::run(self, client).await? {
            return Ok(done);
        }
        match self {
            Mutation::CreateWorkspace { label, description } => {
                let data = client
                    .run::<m::CreateWorkspace>(m::create_workspace::Variables {
                        label: label.clone(),
                        description: opt(description),
                    })
                    .await?;
                let w = data.create_workspace.ok_or_else(|| missing("workspace"))?;
                Ok(Outcome {
                    workspace: Some(WorkspaceId(w.id)),
                    ..done
                })
            }
            Mutation::UpdateWorkspace {
                id,
                label,
                description,
            } => {
                client
                    .run::<m::UpdateWorkspace>(m::update_workspace::Variables {
                        workspace_uuid: id.to_string(),
                        payload: json!({"label": label, "description": description}),
                    })
                    .await?
                    .update_workspace
                    .ok_or_else(|| missing("workspace"))?;
                Ok(done)
            }
            Mutation::DeleteWorkspace { id, .. } => {
                client
                    .run::<m::DeleteWorkspace>(m::delete_workspace::Variables {
                        workspace_uuid: id.to_string(),
                    })
                    .await?;
                Ok(done)
            }
            Mutation::UpdateSelf { full_name } => {
                client
                    .run::<m::UpdateSelf>(m::update_self::Variables {
                        payload: json!({ "fullName": full_name }),
                    })
                    .await?
                    .update_self
                    .ok_or_else(|| missing("user"))?;
                Ok(done)
            }
            Mutation::CreateDeployment {
                workspace,
                spec,
                placement: Some(placement),
                ..
            } => {
                let id =
                    super::apc_mutations::create_on_cluster(client, workspace, spec, placement)
                        .await?;
                Ok(Outcome {
                    deployment: Some(id),
                    ..done
                })
            }
            Mutation::RenameCluster { id, name } => {
                super::apc_mutations::rename_cluster(client, id, name).await?;
                Ok(done)
            }
            Mutation::CreateDeployment {
                workspace,
                spec,
                airflow_version,
                placement: None,
            } => {
                let data = client
                    .run::<m::CreateDeployment>(m::create_deployment::Variables {
                        workspace_uuid: workspace.to_string(),
                        // Houston has one deployment type.
                        type_: "airflow".into(),
                        label: spec.label.clone(),
                        description: opt(&spec.description),
                        executor: Some(executor_name(&spec.executor)),
                        airflow_version: airflow_version.clone(),
                        config: Some(spec.resources.to_config(&spec.executor, config)),
                        properties: Some(json!({"extra_au": spec.resources.extra_au})),
                    })
                    .await?;
                let d = data
                    .create_deployment
                    .ok_or_else(|| missing("deployment"))?;
                Ok(Outcome {
                    deployment: Some(DeploymentId(d.id)),
                    ..done
                })
            }
            Mutation::UpdateDeployment { id, spec } => {
                client
                    .run::<m::UpdateDeployment>(m::update_deployment::Variables {
                        deployment_uuid: id.to_string(),
                        payload: Some(json!({
                            "label": spec.label,
                            "description": spec.description,
                            "properties": {"extra_au": spec.resources.extra_au},
                        })),
                        executor: Some(executor_name(&spec.executor)),
                        config: Some(spec.resources.to_config(&spec.executor, config)),
                    })
                    .await?
                    .update_deployment
                    .ok_or_else(|| missing("deployment"))?;
                Ok(done)
            }
            Mutation::UpgradeAirflow { id, version, .. } => {
                client
                    .run::<m::UpdateDeploymentAirflow>(m::update_deployment_airflow::Variables {
                        deployment_uuid: id.to_string(),
                        desired_airflow_version: version.clone(),
                    })
                    .await?
                    .update_deployment_airflow
                    .ok_or_else(|| missing("deployment"))?;
                Ok(done)
            }
            Mutation::UpgradeRuntime {
                id,
                version,
                running,
                ..
            } => {
                super::runtime::upgrade(client, id, version, version == running).await?;
                Ok(done)
            }
            Mutation::DeleteDeployment { id, .. } => {
                client
                    .run::<m::DeleteDeployment>(m::delete_deployment::Variables {
                        deployment_uuid: id.to_string(),
                    })
                    .await?;
                Ok(done)
            }
            Mutation::SetVariables {
                id,
                release_name,
                variables,
            } => {
                let environment_variables = variables
                    .iter()
                    .map(|v| {
                        Some(m::update_deployment_variables::InputEnvironmentVariable {
                            key: Some(v.key.clone()),
                            value: Some(v.value.expose().to_string()),
                            is_secret: Some(v.is_secret),
                        })
                    })
                    .collect();
                client
                    .run::<m::UpdateDeploymentVariables>(
                        m::update_deployment_variables::Variables {
                            deployment_uuid: id.to_string(),
                            release_name: release_name.clone(),
                            environment_variables,
                        },
                    )
                    .await?;
                Ok(done)
            }
            Mutation::InviteUser {
                workspace,
                email,
                role,
            } => {
                client
                    .run::<m::WorkspaceAddUser>(m::workspace_add_user::Variables {
                        workspace_uuid: workspace.to_string(),
                        email: email.clone(),
                        role: role.as_str().to_string(),
                    })
                    .await?;
                Ok(done)
            }
            Mutation::SetWorkspaceRole {
                workspace,
                email,
                role,
            } => {
                client
                    .run::<m::WorkspaceUpdateUserRole>(m::workspace_update_user_role::Variables {
                        workspace_uuid: workspace.to_string(),
                        email: email.clone(),
                        role: role.as_str().to_string(),
                    })
                    .await?;
                Ok(done)
            }
            Mutation::RemoveWorkspaceUser {
                workspace, user, ..
            } => {
                client
                    .run::<m::WorkspaceRemoveUser>(m::workspace_remove_user::Variables {
                        workspace_uuid: workspace.to_string(),
                        user_uuid: user.to_string(),
                    })
                    .await?;
                Ok(done)
            }
            Mutation::RevokeInvite {
                workspace, invite, ..
            } => {
                client
                    .run::<m::DeleteInviteToken>(m::delete_invite_token::Variables {
                        invite_uuid: Some(invite.to_string()),
                        workspace_uuid: Some(workspace.to_string()),
                    })
                    .await?;
                Ok(done)
            }
            Mutation::AddDeploymentUser {
                deployment,
                email,
                role,
            } => {
                client
                    .run::<m::DeploymentAddUserRole>(m::deployment_add_user_role::Variables {
                        deployment_id: deployment.to_string(),
                        email: email.clone(),
                        role: role.as_str().to_string(),
                    })
                    .await?;
                Ok(done)
            }
            Mutation::SetDeploymentRole {
                deployment,
                user,
                email,
                role,
            } => {
                client
                    .run::<m::DeploymentUpdateUserRole>(m::deployment_update_user_role::Variables {
                        deployment_id: deployment.to_string(),
                        user_id: Some(user.to_string()),
                        email: email.clone(),
                        role: role.as_str().to_string(),
                    })
                    .await?;
                Ok(done)
            }
            Mutation::RemoveDeploymentUser {
                deployment,
                user,
                email,
            } => {
                client
                    .run::<m::DeploymentRemoveUserRole>(m::deployment_remove_user_role::Variables {
                        deployment_id: deployment.to_string(),
                        user_id: Some(user.to_string()),
                        email: email.clone(),
                    })
                    .await?;
                Ok(done)
            }
            Mutation::CreateServiceAccount {
                scope,
                label,
                category,
                role,
            } => {
                super::service_account_mutations::create(client, scope, label, category, role).await
            }
            Mutation::UpdateServiceAccount {
                scope,
                id,
                label,
                category,
                role,
            } => {
                super::service_account_mutations::update(client, scope, id, label, category, role)
                    .await?;
                Ok(done)
            }
            Mutation::DeleteServiceAccount { scope, id, .. } => {
                super::service_account_mutations::delete(client, scope, id).await?;
                Ok(done)
            }
            Mutation::SetWorkspaceTeamRole { .. }
            | Mutation::RemoveWorkspaceTeam { .. }
            | Mutation::SetDeploymentTeamRole { .. }
            | Mutation::RemoveDeploymentTeam { .. } => Ok(done),
            Mutation::System(change) => {
                change.run(client).await?;
                Ok(done)
            }
        }
    }
}
