//! The documents for Astro Private Cloud's Houston (1.0+): clusters, deployments with their
//! cluster and without the Astronomer Certified fields, the platform's switches, and the
//! changes only those versions have. Re-exported by `ops` (reads) and `mutation_ops`
//! (changes) so `documents` and `mutation` use them like any other.

#![allow(clippy::upper_case_acronyms)]

use graphql_client::GraphQLQuery;

// Scalars and extern enums, by the names the schema uses (as in `ops`).
pub type Uuid = String;
pub type DateTime = String;
pub type JSON = serde_json::Value;
pub type ExecutorType = String;
pub type ClusterStatus = String;
pub type AllowedDeploymentModeValues = String;

/// `DeploymentRows` for Houston 1.0+: the cluster, no Astronomer Certified fields.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_rows_v100.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct DeploymentRowsV100;

/// `AllDeploymentRows` for Houston 1.0+.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/all_deployment_rows_v100.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct AllDeploymentRowsV100;

/// `Deployment` for Houston 1.0+.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_v100.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct DeploymentV100;

/// `DeploymentByRelease` for Houston 1.0+.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_by_release_v100.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct DeploymentByReleaseV100;

/// `WorkspaceDeployments` for Houston 1.0+.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/workspace_deployments_v100.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct WorkspaceDeploymentsV100;

/// `DeploymentConfig` without the Astronomer Certified images (Houston 1.0+).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_config_v100.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct DeploymentConfigV100;

/// The platform's clusters (Houston 1.0+).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/clusters.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct Clusters;

/// One cluster with its config (Houston 1.0+, `system.clusters.get`).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/cluster.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct Cluster;

/// The namespaces a new deployment on a cluster may use.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/available_namespaces.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct AvailableNamespaces;

/// Whether deployments on a cluster may pick a namespace (Houston 1.x).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/platform_flags_v100.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct PlatformFlagsV100;

/// Whether deployments may pick a namespace (Houston 0.25–0.x).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/platform_flags.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct PlatformFlags;

/// The same read from `featureFlags` (Houston 2.0+).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/platform_flags_v200.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct PlatformFlagsV200;

/// The same before 0.25: nothing to read.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/platform_flags_v023.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct PlatformFlagsV023;

/// Rename a cluster.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/update_cluster.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct UpdateCluster;

/// Create a deployment on a cluster (Houston 1.0+).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/upsert_deployment.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct UpsertDeployment;

/// The same with a deployment mode (Houston 2.1+).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/upsert_deployment_v210.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone",
    extern_enums("ExecutorType", "ClusterStatus", "AllowedDeploymentModeValues")
)]
pub struct UpsertDeploymentV210;
