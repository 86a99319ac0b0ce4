//! The GraphQL documents of the changes astrodash makes (`queries/mutations/`): one
//! `graphql_client` derive each. `mutation` builds their variables and runs them.
//!
//! Variables derive no `Debug`: some carry secret values.

#![allow(clippy::upper_case_acronyms)]

use graphql_client::GraphQLQuery;

// Scalars and extern enums, by the names the schema uses (as in `ops`).
pub type Uuid = String;
pub type Id = String;
pub type JSON = serde_json::Value;
pub type Role = String;
pub(crate) type ExecutorType = String;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/create_workspace.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct CreateWorkspace;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/update_workspace.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct UpdateWorkspace;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/delete_workspace.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeleteWorkspace;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/update_self.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct UpdateSelf;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/create_deployment.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct CreateDeployment;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/update_deployment.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct UpdateDeployment;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/update_deployment_airflow.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct UpdateDeploymentAirflow;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/delete_deployment.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeleteDeployment;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/update_deployment_variables.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct UpdateDeploymentVariables;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/workspace_add_user.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct WorkspaceAddUser;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/workspace_update_user_role.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct WorkspaceUpdateUserRole;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/workspace_remove_user.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct WorkspaceRemoveUser;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/delete_invite_token.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeleteInviteToken;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/deployment_add_user_role.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentAddUserRole;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/deployment_update_user_role.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentUpdateUserRole;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/deployment_remove_user_role.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeploymentRemoveUserRole;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/create_workspace_service_account.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct CreateWorkspaceServiceAccount;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/create_deployment_service_account.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct CreateDeploymentServiceAccount;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/update_workspace_service_account.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct UpdateWorkspaceServiceAccount;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/update_deployment_service_account.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct UpdateDeploymentServiceAccount;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/delete_workspace_service_account.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeleteWorkspaceServiceAccount;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/delete_deployment_service_account.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("Role", "ExecutorType")
)]
pub struct DeleteDeploymentServiceAccount;
