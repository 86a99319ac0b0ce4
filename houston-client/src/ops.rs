//! The GraphQL operations astrodash sends: one `graphql_client` derive per document in
//! `queries/`. Only types are generated here; `transport` posts them and `convert` turns the
//! replies into `model` types.

#![allow(clippy::upper_case_acronyms)]

use graphql_client::GraphQLQuery;

// The documents of Houston 1.0+ (Astro Private Cloud).
pub use super::apc_ops::*;

// The derive tracks only `query_path`; including the schema makes schema edits rebuild too.
const _SCHEMA: &str = include_str!("../../schema.graphql");

// Custom scalars, by the names the schema uses.
pub type Uuid = String;
pub type Id = String;
pub type DateTime = String;
pub type JSON = serde_json::Value;

// Enums are read as plain strings (`extern_enums`) and parsed once in `convert`, so every
// operation shares one mapping and an unknown future value is kept, not rejected.
pub type Role = String;
pub type ExecutorType = String;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/app_config.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct AppConfig;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/auth_config.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct AuthConfig;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/create_token.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct CreateToken;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/me.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct Me;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/workspaces.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct Workspaces;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/workspace.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct Workspace;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/workspace_deployments.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct WorkspaceDeployments;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct Deployment;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/workspace_users.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct WorkspaceUsers;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/workspace_invites.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct WorkspaceInvites;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/workspace_service_accounts.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct WorkspaceServiceAccounts;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_service_accounts.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentServiceAccounts;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_variables.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentVariables;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_users.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentUsers;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/logs.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct Logs;

// Older forms of the documents above, for Houstons whose schema lacks some of their fields
// (`houston::documents` says which form goes to which version).

/// `WorkspaceDeployments` for Houston before 0.25: no `namespace`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/workspace_deployments_v023.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct WorkspaceDeploymentsV023;

/// `Deployment` for Houston before 0.25: no `namespace`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_v023.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentV023;

/// `WorkspaceServiceAccounts` for Houston 0.23: the role from `roleBindings`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/workspace_service_accounts_v023.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct WorkspaceServiceAccountsV023;

/// `DeploymentServiceAccounts` for Houston 0.23: the role from `roleBindings`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_service_accounts_v023.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentServiceAccountsV023;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_config.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentConfig;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/workspace_deployments_v025.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct WorkspaceDeploymentsV025;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_v025.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentV025;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/workspace_teams.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct WorkspaceTeams;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_teams.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentTeams;

// The lean list documents (`houston::lists`): rows as the tables draw them, and statuses.

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_rows.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentRows;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_rows_v023.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentRowsV023;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_statuses.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentStatuses;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/all_deployment_rows.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct AllDeploymentRows;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/all_deployment_rows_v029.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct AllDeploymentRowsV029;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/all_deployment_rows_v023.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct AllDeploymentRowsV023;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/all_deployment_statuses.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct AllDeploymentStatuses;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/all_deployment_statuses_v023.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct AllDeploymentStatusesV023;

/// `Deployment` by release name (a deployment service account's key reaches its deployment so).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_by_release.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentByRelease;

/// `DeploymentByRelease` for Houston 0.25–0.28.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_by_release_v025.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentByReleaseV025;

/// `DeploymentByRelease` for Houston before 0.25.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_by_release_v023.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentByReleaseV023;
