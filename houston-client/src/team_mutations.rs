//! Team role changes (Houston 0.28+): a team's role on a workspace or a deployment, changed or
//! removed. Documents in `queries/mutations/`, run for the team variants of `Mutation`.

#![allow(clippy::upper_case_acronyms)]

use graphql_client::GraphQLQuery;

use super::mutation::Mutation;
use super::{ApiError, HoustonClient};

pub type Uuid = String;
pub type Role = String;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/workspace_update_team_role.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct WorkspaceUpdateTeamRole;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/workspace_remove_team.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct WorkspaceRemoveTeam;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/deployment_update_team_role.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct DeploymentUpdateTeamRole;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/deployment_remove_team_role.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role")
)]
pub struct DeploymentRemoveTeamRole;

/// Run a team mutation; `Ok(false)` when `m` is not one.
pub async fn run(m: &Mutation, client: &HoustonClient) -> Result<bool, ApiError> {
    match m {
        Mutation::SetWorkspaceTeamRole {
            workspace,
            team,
            role,
            ..
        } => {
            client
                .run::<WorkspaceUpdateTeamRole>(workspace_update_team_role::Variables {
                    workspace_uuid: workspace.to_string(),
                    team_uuid: team.to_string(),
                    role: role.as_str().to_string(),
                })
                .await?;
        }
        Mutation::RemoveWorkspaceTeam {
            workspace, team, ..
        } => {
            client
                .run::<WorkspaceRemoveTeam>(workspace_remove_team::Variables {
                    workspace_uuid: workspace.to_string(),
                    team_uuid: team.to_string(),
                })
                .await?;
        }
        Mutation::SetDeploymentTeamRole {
            deployment,
            team,
            role,
            ..
        } => {
            client
                .run::<DeploymentUpdateTeamRole>(deployment_update_team_role::Variables {
                    team_uuid: team.to_string(),
                    deployment_uuid: deployment.to_string(),
                    role: role.as_str().to_string(),
                })
                .await?;
        }
        Mutation::RemoveDeploymentTeam {
            deployment, team, ..
        } => {
            client
                .run::<DeploymentRemoveTeamRole>(deployment_remove_team_role::Variables {
                    deployment_uuid: deployment.to_string(),
                    team_uuid: team.to_string(),
                })
                .await?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}
