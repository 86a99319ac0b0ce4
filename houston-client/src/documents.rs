//! Every document astrodash sends, and the per-operation tables of their variants.
//!
//! Which selections are optional, and since when (docs/houston.md, "Version detection and
//! document fallback"; checked field by field against the introspected 0.23 schema,
//! `tests/fixtures/houston_0_23.graphql`):
//!
//! | operation | newest form (since) | older form | what the older form lacks |
//! |---|---|---|---|
//! | `workspaceDeployments` | `WorkspaceDeployments` (0.29.0) | `WorkspaceDeploymentsV025` (0.25.0), `WorkspaceDeploymentsV023` | Runtime fields; then `Deployment.namespace` |
//! | `deployment` | `Deployment` (0.29.0) | `DeploymentV025` (0.25.0), `DeploymentV023` | Runtime fields; then `Deployment.namespace` |
//! | `deployment` by release name | `DeploymentByRelease` (0.29.0) | `DeploymentByReleaseV025` (0.25.0), `DeploymentByReleaseV023` | as `deployment` |
//! | `workspaceServiceAccounts` | `WorkspaceServiceAccounts` (0.25.0) | `WorkspaceServiceAccountsV023` | `roleBinding` (reads `roleBindings`) |
//! | `deploymentServiceAccounts` | `DeploymentServiceAccounts` (0.25.0) | `DeploymentServiceAccountsV023` | `roleBinding` (reads `roleBindings`) |
//! | `workspaceTeams`, `deploymentTeams` | (0.28.0) | none: "needs Houston 0.28" | teams |
//! | `workspaceDeployments:rows` (lean list) | `DeploymentRows` (0.29.0) | `DeploymentRowsV023` | Runtime fields |
//! | `deployments:rows` (every deployment) | `AllDeploymentRows` (0.32.0, `paginatedDeployments`) | `AllDeploymentRowsV029` (0.29.0, `deployments`), `AllDeploymentRowsV023` | `paginatedDeployments`; then Runtime fields |
//! | `deployments:status` | `AllDeploymentStatuses` (0.32.0) | `AllDeploymentStatusesV023` | `paginatedDeployments` |
//!
//! Every other read document selects only what 0.23 has, so it has one form. 0.25.0 is the
//! first version after the 0.23 schema that astro-cli keys documents on; whether 0.25 already
//! serves `ServiceAccount.roleBinding` again is not known — if not, the fallback finds out on
//! the first request.
//!
//! Adding a form: a `.graphql` file in `queries/`, its derive in `ops`, a `Document` impl
//! below, one row in the operation's table (newest first).

use super::ApiError;
use super::cluster;
use super::convert;
use super::convert_lists;
use super::model::*;
use super::ops;
use super::variants::{Document, Operation, ReadOperation, Variant};
use super::version::Release;

/// Where the 0.23 schema ends: `Deployment.namespace` and friends appear.
const HOUSTON_0_25: Release = Release::new(0, 25, 0);
/// Teams.
const HOUSTON_0_28: Release = Release::new(0, 28, 0);
/// Astro Runtime fields on `Deployment`.
const HOUSTON_0_29: Release = Release::new(0, 29, 0);
/// `paginatedDeployments` (astro-cli's gate for `deployment list --all`).
const HOUSTON_0_32: Release = Release::new(0, 32, 0);
/// Astro Private Cloud: clusters, `Deployment.clusterId`; the Astronomer Certified fields go
/// (1.0.1; the 1.0 forms select none of them, since 1.0 runs Runtime images only).
pub const HOUSTON_1_0: Release = Release::new(1, 0, 0);
/// appConfig's switches move into `featureFlags`.
pub const HOUSTON_2_0: Release = Release::new(2, 0, 0);

/// `impl Document` for a derive in `ops`: input and output types, the variables built from the
/// input, and the conversion of the reply.
macro_rules! document {
    (
        $query:ident in $module:ident, $input:ty => $output:ty,
        variables($in_vars:pat_param) $variables:expr,
        convert($data:pat_param, $in_conv:pat_param) $convert:expr $(,)?
    ) => {
        impl Document for ops::$query {
            const NAME: &'static str = ops::$module::OPERATION_NAME;
            const QUERY: &'static str = ops::$module::QUERY;
            type Input = $input;
            type Output = $output;

            fn variables($in_vars: &$input) -> ops::$module::Variables {
                $variables
            }

            fn convert(
                $data: ops::$module::ResponseData,
                $in_conv: &$input,
            ) -> Result<$output, ApiError> {
                $convert
            }
        }
    };
}

document!(AppConfig in app_config, () => AppConfig,
    variables(_) ops::app_config::Variables,
    convert(data, _) Ok(convert::app_config(data)));

document!(AuthConfig in auth_config, () => AuthConfig,
    variables(_) ops::auth_config::Variables,
    convert(data, _) convert::auth_config(data));

document!(Me in me, () => Me,
    variables(_) ops::me::Variables,
    convert(data, _) convert::me(data));

document!(Workspaces in workspaces, Option<UserId> => Vec<Workspace>,
    variables(_) ops::workspaces::Variables,
    convert(data, me_id) Ok(convert::workspaces(data, me_id.as_ref())));

document!(Workspace in workspace, (WorkspaceId, Option<UserId>) => Workspace,
    variables((id, _)) ops::workspace::Variables { workspace_uuid: id.to_string() },
    convert(data, (_, me_id)) convert::workspace(data, me_id.as_ref()));

document!(WorkspaceDeployments in workspace_deployments, WorkspaceId => Vec<Deployment>,
    variables(id) ops::workspace_deployments::Variables { workspace_uuid: id.to_string() },
    convert(data, _) Ok(convert::workspace_deployments(data)));

document!(WorkspaceDeploymentsV025 in workspace_deployments_v025, WorkspaceId => Vec<Deployment>,
    variables(id) ops::workspace_deployments_v025::Variables { workspace_uuid: id.to_string() },
    convert(data, _) Ok(convert::workspace_deployments_v025(data)));

document!(DeploymentV025 in deployment_v025, DeploymentId => Deployment,
    variables(id) ops::deployment_v025::Variables { id: id.to_string() },
    convert(data, _) convert::deployment_v025(data));

document!(WorkspaceTeams in workspace_teams, WorkspaceId => Vec<Team>,
    variables(id) ops::workspace_teams::Variables { workspace_uuid: id.to_string() },
    convert(data, id) Ok(convert::workspace_teams(data, id)));

document!(DeploymentTeams in deployment_teams, DeploymentId => Vec<Team>,
    variables(id) ops::deployment_teams::Variables { deployment_uuid: id.to_string() },
    convert(data, id) Ok(convert::deployment_teams(data, id)));

document!(WorkspaceDeploymentsV023 in workspace_deployments_v023, WorkspaceId => Vec<Deployment>,
    variables(id) ops::workspace_deployments_v023::Variables { workspace_uuid: id.to_string() },
    convert(data, _) Ok(convert::workspace_deployments_v023(data)));

document!(Deployment in deployment, DeploymentId => Deployment,
    variables(id) ops::deployment::Variables { id: id.to_string() },
    convert(data, _) convert::deployment(data));

document!(DeploymentV023 in deployment_v023, DeploymentId => Deployment,
    variables(id) ops::deployment_v023::Variables { id: id.to_string() },
    convert(data, _) convert::deployment_v023(data));

document!(DeploymentByRelease in deployment_by_release, String => Deployment,
    variables(name) ops::deployment_by_release::Variables { release_name: name.clone() },
    convert(data, _) convert::deployment_by_release(data));

document!(DeploymentByReleaseV025 in deployment_by_release_v025, String => Deployment,
    variables(name) ops::deployment_by_release_v025::Variables { release_name: name.clone() },
    convert(data, _) convert::deployment_by_release_v025(data));

document!(DeploymentByReleaseV023 in deployment_by_release_v023, String => Deployment,
    variables(name) ops::deployment_by_release_v023::Variables { release_name: name.clone() },
    convert(data, _) convert::deployment_by_release_v023(data));

document!(WorkspaceUsers in workspace_users, WorkspaceId => Vec<WorkspaceUser>,
    variables(id) ops::workspace_users::Variables { workspace_uuid: id.to_string() },
    convert(data, id) Ok(convert::workspace_users(data, id)));

document!(WorkspaceInvites in workspace_invites, WorkspaceId => Vec<Invite>,
    variables(id) ops::workspace_invites::Variables { workspace_uuid: id.to_string() },
    convert(data, _) Ok(convert::workspace_invites(data)));

document!(WorkspaceServiceAccounts in workspace_service_accounts,
    WorkspaceId => Vec<ServiceAccount>,
    variables(id) ops::workspace_service_accounts::Variables { workspace_uuid: id.to_string() },
    convert(data, _) Ok(convert::workspace_service_accounts(data)));

document!(WorkspaceServiceAccountsV023 in workspace_service_accounts_v023,
    WorkspaceId => Vec<ServiceAccount>,
    variables(id) ops::workspace_service_accounts_v023::Variables {
        workspace_uuid: id.to_string(),
    },
    convert(data, _) Ok(convert::workspace_service_accounts_v023(data)));

document!(DeploymentVariables in deployment_variables,
    (DeploymentId, String) => Vec<EnvVar>,
    variables((id, release_name)) ops::deployment_variables::Variables {
        deployment_uuid: id.to_string(),
        release_name: Some(release_name.clone()).filter(|r| !r.is_empty()),
    },
    convert(data, _) Ok(convert::deployment_variables(data)));

document!(DeploymentServiceAccounts in deployment_service_accounts,
    DeploymentId => Vec<ServiceAccount>,
    variables(id) ops::deployment_service_accounts::Variables { deployment_uuid: id.to_string() },
    convert(data, _) Ok(convert::deployment_service_accounts(data)));

document!(DeploymentServiceAccountsV023 in deployment_service_accounts_v023,
    DeploymentId => Vec<ServiceAccount>,
    variables(id) ops::deployment_service_accounts_v023::Variables {
        deployment_uuid: id.to_string(),
    },
    convert(data, _) Ok(convert::deployment_service_accounts_v023(data)));

document!(DeploymentUsers in deployment_users, DeploymentId => Vec<DeploymentUser>,
    variables(id) ops::deployment_users::Variables { deployment_id: id.to_string() },
    convert(data, id) Ok(convert::deployment_users(data, id)));

/// The input of `logs`: the deployment, one component (else all), lines newer than (else all
/// Houston keeps).
pub(crate) type LogsInput = (DeploymentId, Option<String>, Option<Timestamp>);

document!(Logs in logs, LogsInput => Vec<LogLine>,
    variables((id, component, after)) ops::logs::Variables {
        deployment_uuid: id.to_string(),
        component: component.clone().filter(|c| !c.is_empty()),
        timestamp: after.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        search: None,
    },
    convert(data, _) Ok(convert::logs(data)));
// Houston 1.0+ (Astro Private Cloud): deployments with their cluster, clusters, switches.

document!(WorkspaceDeploymentsV100 in workspace_deployments_v100, WorkspaceId => Vec<Deployment>,
    variables(id) ops::workspace_deployments_v100::Variables { workspace_uuid: id.to_string() },
    convert(data, _) Ok(convert::workspace_deployments_v100(data)));

document!(DeploymentV100 in deployment_v100, DeploymentId => Deployment,
    variables(id) ops::deployment_v100::Variables { id: id.to_string() },
    convert(data, _) convert::deployment_v100(data));

document!(DeploymentByReleaseV100 in deployment_by_release_v100, String => Deployment,
    variables(name) ops::deployment_by_release_v100::Variables { release_name: name.clone() },
    convert(data, _) convert::deployment_by_release_v100(data));

document!(DeploymentRowsV100 in deployment_rows_v100, WorkspaceId => Vec<Deployment>,
    variables(id) ops::deployment_rows_v100::Variables { workspace_uuid: id.to_string() },
    convert(data, _) Ok(convert_lists::deployment_rows_v100(data)));

document!(AllDeploymentRowsV100 in all_deployment_rows_v100, () => Vec<Deployment>,
    variables(_) ops::all_deployment_rows_v100::Variables,
    convert(data, _) Ok(convert_lists::all_deployment_rows_v100(data)));

document!(DeploymentConfig in deployment_config, () => DeploymentConfig,
    variables(_) ops::deployment_config::Variables,
    convert(data, _) Ok(convert::deployment_config(data)));

document!(DeploymentConfigV100 in deployment_config_v100, () => DeploymentConfig,
    variables(_) ops::deployment_config_v100::Variables,
    convert(data, _) Ok(convert::deployment_config_v100(data)));

document!(Clusters in clusters, () => Vec<Cluster>,
    variables(_) ops::clusters::Variables,
    convert(data, _) Ok(cluster::clusters(data)));

document!(Cluster in cluster, ClusterId => Cluster,
    variables(id) ops::cluster::Variables { cluster_id: id.to_string() },
    convert(data, _) cluster::cluster(data));

document!(AvailableNamespaces in available_namespaces, ClusterId => Vec<String>,
    variables(id) ops::available_namespaces::Variables { cluster_id: id.to_string() },
    convert(data, _) Ok(cluster::available_namespaces(data)));

document!(PlatformFlagsV200 in platform_flags_v200, ClusterId => PlatformFlags,
    variables(id) ops::platform_flags_v200::Variables { cluster_id: id.to_string() },
    convert(data, _) Ok(cluster::platform_flags_v200(data)));

document!(PlatformFlagsV100 in platform_flags_v100, ClusterId => PlatformFlags,
    variables(id) ops::platform_flags_v100::Variables { cluster_id: id.to_string() },
    convert(data, _) Ok(cluster::platform_flags_v100(data)));

document!(PlatformFlags in platform_flags, ClusterId => PlatformFlags,
    variables(_) ops::platform_flags::Variables,
    convert(data, _) Ok(cluster::platform_flags(data)));

document!(PlatformFlagsV023 in platform_flags_v023, ClusterId => PlatformFlags,
    variables(_) ops::platform_flags_v023::Variables,
    convert(_data, _) Ok(PlatformFlags::default()));

// The lean list documents (`convert_lists`): rows as the tables draw them, and statuses.

document!(DeploymentRows in deployment_rows, WorkspaceId => Vec<Deployment>,
    variables(id) ops::deployment_rows::Variables { workspace_uuid: id.to_string() },
    convert(data, _) Ok(convert_lists::deployment_rows(data)));

document!(DeploymentRowsV023 in deployment_rows_v023, WorkspaceId => Vec<Deployment>,
    variables(id) ops::deployment_rows_v023::Variables { workspace_uuid: id.to_string() },
    convert(data, _) Ok(convert_lists::deployment_rows_v023(data)));

document!(DeploymentStatuses in deployment_statuses, WorkspaceId => Vec<DeploymentStatusRow>,
    variables(id) ops::deployment_statuses::Variables { workspace_uuid: id.to_string() },
    convert(data, _) Ok(convert_lists::deployment_statuses(data)));

document!(AllDeploymentRows in all_deployment_rows, () => Vec<Deployment>,
    variables(_) ops::all_deployment_rows::Variables,
    convert(data, _) Ok(convert_lists::all_deployment_rows(data)));

document!(AllDeploymentRowsV029 in all_deployment_rows_v029, () => Vec<Deployment>,
    variables(_) ops::all_deployment_rows_v029::Variables,
    convert(data, _) Ok(convert_lists::all_deployment_rows_v029(data)));

document!(AllDeploymentRowsV023 in all_deployment_rows_v023, () => Vec<Deployment>,
    variables(_) ops::all_deployment_rows_v023::Variables,
    convert(data, _) Ok(convert_lists::all_deployment_rows_v023(data)));

document!(AllDeploymentStatuses in all_deployment_statuses, () => Vec<DeploymentStatusRow>,
    variables(_) ops::all_deployment_statuses::Variables,
    convert(data, _) Ok(convert_lists::all_deployment_statuses(data)));

document!(AllDeploymentStatusesV023 in all_deployment_statuses_v023,
    () => Vec<DeploymentStatusRow>,
    variables(_) ops::all_deployment_statuses_v023::Variables,
    convert(data, _) Ok(convert_lists::all_deployment_statuses_v023(data)));

/// Login: `(identity, password)` → the JWT. Never sends the session's (possibly stale) token.
impl Document for ops::CreateToken {
    const NAME: &'static str = ops::create_token::OPERATION_NAME;
    const QUERY: &'static str = ops::create_token::QUERY;
    const AUTHENTICATED: bool = false;
    type Input = (String, String);
    type Output = String;

    fn variables((identity, password): &(String, String)) -> ops::create_token::Variables {
        ops::create_token::Variables {
            identity: Some(identity.clone()),
            password: password.clone(),
        }
    }

    fn convert(
        data: ops::create_token::ResponseData,
        _: &(String, String),
    ) -> Result<String, ApiError> {
        convert::create_token(data)
    }
}

// The tables. Newest form first; `since` is the first Houston version known to accept it.

pub static APP_CONFIG: Operation<(), AppConfig> = Operation {
    field: "appConfig",
    variants: &[Variant::of::<ops::AppConfig>(Release::ANY)],
    probe_input: Some(|_| ()),
};

pub(crate) static AUTH_CONFIG: Operation<(), AuthConfig> = Operation {
    field: "authConfig",
    variants: &[Variant::of::<ops::AuthConfig>(Release::ANY)],
    probe_input: Some(|_| ()),
};

pub(crate) static ME: Operation<(), Me> = Operation {
    field: "self",
    variants: &[Variant::of::<ops::Me>(Release::ANY)],
    probe_input: Some(|_| ()),
};

pub static WORKSPACES: Operation<Option<UserId>, Vec<Workspace>> = Operation {
    field: "workspaces",
    variants: &[Variant::of::<ops::Workspaces>(Release::ANY)],
    probe_input: Some(|ids| ids.me_id.clone()),
};

pub(crate) static WORKSPACE: Operation<(WorkspaceId, Option<UserId>), Workspace> = Operation {
    field: "workspace",
    variants: &[Variant::of::<ops::Workspace>(Release::ANY)],
    probe_input: Some(|ids| (ids.workspace_id.clone(), ids.me_id.clone())),
};

pub(crate) static WORKSPACE_DEPLOYMENTS: Operation<WorkspaceId, Vec<Deployment>> = Operation {
    field: "workspaceDeployments",
    variants: &[
        Variant::of::<ops::WorkspaceDeploymentsV100>(HOUSTON_1_0),
        Variant::of::<ops::WorkspaceDeployments>(HOUSTON_0_29),
        Variant::of::<ops::WorkspaceDeploymentsV025>(HOUSTON_0_25),
        Variant::of::<ops::WorkspaceDeploymentsV023>(Release::ANY),
    ],
    probe_input: Some(|ids| ids.workspace_id.clone()),
};

pub(crate) static DEPLOYMENT: Operation<DeploymentId, Deployment> = Operation {
    field: "deployment",
    variants: &[
        Variant::of::<ops::DeploymentV100>(HOUSTON_1_0),
        Variant::of::<ops::Deployment>(HOUSTON_0_29),
        Variant::of::<ops::DeploymentV025>(HOUSTON_0_25),
        Variant::of::<ops::DeploymentV023>(Release::ANY),
    ],
    probe_input: Some(|ids| ids.deployment_id.clone()),
};

/// The same forms as `DEPLOYMENT`, by release name.
pub static DEPLOYMENT_BY_RELEASE: Operation<String, Deployment> = Operation {
    field: "deployment",
    variants: &[
        Variant::of::<ops::DeploymentByReleaseV100>(HOUSTON_1_0),
        Variant::of::<ops::DeploymentByRelease>(HOUSTON_0_29),
        Variant::of::<ops::DeploymentByReleaseV025>(HOUSTON_0_25),
        Variant::of::<ops::DeploymentByReleaseV023>(Release::ANY),
    ],
    probe_input: None,
};

pub static WORKSPACE_USERS: Operation<WorkspaceId, Vec<WorkspaceUser>> = Operation {
    field: "workspaceUsers",
    variants: &[Variant::of::<ops::WorkspaceUsers>(Release::ANY)],
    probe_input: Some(|ids| ids.workspace_id.clone()),
};

pub(crate) static WORKSPACE_INVITES: Operation<WorkspaceId, Vec<Invite>> = Operation {
    field: "workspaceInvites",
    variants: &[Variant::of::<ops::WorkspaceInvites>(Release::ANY)],
    probe_input: Some(|ids| ids.workspace_id.clone()),
};

pub(crate) static WORKSPACE_SERVICE_ACCOUNTS: Operation<WorkspaceId, Vec<ServiceAccount>> =
    Operation {
        field: "workspaceServiceAccounts",
        variants: &[
            Variant::of::<ops::WorkspaceServiceAccounts>(HOUSTON_0_25),
            Variant::of::<ops::WorkspaceServiceAccountsV023>(Release::ANY),
        ],
        probe_input: Some(|ids| ids.workspace_id.clone()),
    };

pub(crate) static DEPLOYMENT_VARIABLES: Operation<(DeploymentId, String), Vec<EnvVar>> =
    Operation {
        field: "deploymentVariables",
        variants: &[Variant::of::<ops::DeploymentVariables>(Release::ANY)],
        probe_input: Some(|ids| (ids.deployment_id.clone(), ids.release_name.clone())),
    };

pub(crate) static DEPLOYMENT_SERVICE_ACCOUNTS: Operation<DeploymentId, Vec<ServiceAccount>> =
    Operation {
        field: "deploymentServiceAccounts",
        variants: &[
            Variant::of::<ops::DeploymentServiceAccounts>(HOUSTON_0_25),
            Variant::of::<ops::DeploymentServiceAccountsV023>(Release::ANY),
        ],
        probe_input: Some(|ids| ids.deployment_id.clone()),
    };

pub static DEPLOYMENT_USERS: Operation<DeploymentId, Vec<DeploymentUser>> = Operation {
    field: "deploymentUsers",
    variants: &[Variant::of::<ops::DeploymentUsers>(Release::ANY)],
    probe_input: Some(|ids| ids.deployment_id.clone()),
};

pub(crate) static LOGS: Operation<LogsInput, Vec<LogLine>> = Operation {
    field: "logs",
    variants: &[Variant::of::<ops::Logs>(Release::ANY)],
    // One component keeps the probe's reply small.
    probe_input: Some(|ids| (ids.deployment_id.clone(), Some("scheduler".into()), None)),
};

/// Teams exist from Houston 0.28: older servers get "needs Houston 0.28" without a request.
pub(crate) static WORKSPACE_TEAMS: Operation<WorkspaceId, Vec<Team>> = Operation {
    field: "workspaceTeams",
    variants: &[Variant::of::<ops::WorkspaceTeams>(HOUSTON_0_28)],
    probe_input: Some(|ids| ids.workspace_id.clone()),
};

pub(crate) static DEPLOYMENT_TEAMS: Operation<DeploymentId, Vec<Team>> = Operation {
    field: "deploymentTeams",
    variants: &[Variant::of::<ops::DeploymentTeams>(HOUSTON_0_28)],
    probe_input: Some(|ids| ids.deployment_id.clone()),
};

/// A workspace's deployments as its list draws them (the dashboard fetches the rest).
pub(crate) static DEPLOYMENT_ROWS: Operation<WorkspaceId, Vec<Deployment>> = Operation {
    field: "workspaceDeployments:rows",
    variants: &[
        Variant::of::<ops::DeploymentRowsV100>(HOUSTON_1_0),
        Variant::of::<ops::DeploymentRows>(HOUSTON_0_29),
        Variant::of::<ops::DeploymentRowsV023>(Release::ANY),
    ],
    probe_input: Some(|ids| ids.workspace_id.clone()),
};

/// A workspace's deployment statuses: what keeps its list live between reloads.
pub(crate) static DEPLOYMENT_STATUSES: Operation<WorkspaceId, Vec<DeploymentStatusRow>> =
    Operation {
        field: "workspaceDeployments:status",
        variants: &[Variant::of::<ops::DeploymentStatuses>(Release::ANY)],
        probe_input: Some(|ids| ids.workspace_id.clone()),
    };

/// Every deployment on the platform (needs `system.deployments.get`; Houston says FORBIDDEN
/// otherwise, and the all-deployments view then asks workspace by workspace).
pub(crate) static ALL_DEPLOYMENT_ROWS: Operation<(), Vec<Deployment>> = Operation {
    field: "deployments:rows",
    variants: &[
        Variant::of::<ops::AllDeploymentRowsV100>(HOUSTON_1_0),
        Variant::of::<ops::AllDeploymentRows>(HOUSTON_0_32),
        Variant::of::<ops::AllDeploymentRowsV029>(HOUSTON_0_29),
        Variant::of::<ops::AllDeploymentRowsV023>(Release::ANY),
    ],
    probe_input: Some(|_| ()),
};

/// Every deployment's status.
pub(crate) static ALL_DEPLOYMENT_STATUSES: Operation<(), Vec<DeploymentStatusRow>> = Operation {
    field: "deployments:status",
    variants: &[
        Variant::of::<ops::AllDeploymentStatuses>(HOUSTON_0_32),
        Variant::of::<ops::AllDeploymentStatusesV023>(Release::ANY),
    ],
    probe_input: Some(|_| ()),
};

/// Sizes, limits and (before 1.0) the Airflow versions a deployment may run.
pub static DEPLOYMENT_CONFIG: Operation<(), DeploymentConfig> = Operation {
    field: "deploymentConfig",
    variants: &[
        Variant::of::<ops::DeploymentConfigV100>(HOUSTON_1_0),
        Variant::of::<ops::DeploymentConfig>(Release::ANY),
    ],
    probe_input: Some(|_| ()),
};

/// The platform's clusters (Houston 1.0+; any authenticated user).
pub static CLUSTERS: Operation<(), Vec<Cluster>> = Operation {
    field: "paginatedClusters",
    variants: &[Variant::of::<ops::Clusters>(HOUSTON_1_0)],
    probe_input: Some(|_| ()),
};

/// One cluster with its config (`system.clusters.get`). Never probed: it needs a cluster id.
pub static CLUSTER: Operation<ClusterId, Cluster> = Operation {
    field: "cluster",
    variants: &[Variant::of::<ops::Cluster>(HOUSTON_1_0)],
    probe_input: None,
};

/// The namespaces a new deployment on a cluster may use. Never probed: it needs a cluster id.
pub static AVAILABLE_NAMESPACES: Operation<ClusterId, Vec<String>> = Operation {
    field: "availableNamespaces",
    variants: &[Variant::of::<ops::AvailableNamespaces>(HOUSTON_1_0)],
    probe_input: None,
};

/// Whether deployments on a cluster pick their namespace: `featureFlags` from 2.0, appConfig
/// before; per cluster from 1.0 (the cluster's tier may turn it on). Never probed: it needs a
/// cluster id.
pub static PLATFORM_FLAGS: Operation<ClusterId, PlatformFlags> = Operation {
    field: "appConfig:flags",
    variants: &[
        Variant::of::<ops::PlatformFlagsV200>(HOUSTON_2_0),
        Variant::of::<ops::PlatformFlagsV100>(HOUSTON_1_0),
        Variant::of::<ops::PlatformFlags>(HOUSTON_0_25),
        Variant::of::<ops::PlatformFlagsV023>(Release::ANY),
    ],
    probe_input: None,
};

/// A mutation: never probed.
pub(crate) static CREATE_TOKEN: Operation<(String, String), String> = Operation {
    field: "createToken",
    variants: &[Variant::of::<ops::CreateToken>(Release::ANY)],
    probe_input: None,
};

/// Every read operation, in the order diagnostics list them.
pub static READ_OPERATIONS: [&dyn ReadOperation; 31] = [
    &APP_CONFIG,
    &AUTH_CONFIG,
    &ME,
    &WORKSPACES,
    &WORKSPACE,
    &WORKSPACE_DEPLOYMENTS,
    &DEPLOYMENT,
    &WORKSPACE_USERS,
    &WORKSPACE_INVITES,
    &WORKSPACE_SERVICE_ACCOUNTS,
    &DEPLOYMENT_VARIABLES,
    &DEPLOYMENT_SERVICE_ACCOUNTS,
    &DEPLOYMENT_USERS,
    &LOGS,
    &WORKSPACE_TEAMS,
    &DEPLOYMENT_TEAMS,
    &DEPLOYMENT_ROWS,
    &DEPLOYMENT_STATUSES,
    &ALL_DEPLOYMENT_ROWS,
    &ALL_DEPLOYMENT_STATUSES,
    &DEPLOYMENT_CONFIG,
    &CLUSTERS,
    &CLUSTER,
    &AVAILABLE_NAMESPACES,
    &PLATFORM_FLAGS,
    &super::runtime::RUNTIME_RELEASES,
    // The System Admin panel's (a non-admin's probe is answered with a refusal: still accepted).
    &super::system::SYSTEM_USERS,
    &super::system::SYSTEM_INVITES,
    &super::system::SYSTEM_WORKSPACES,
    &super::system::SYSTEM_SERVICE_ACCOUNTS,
    &super::system::DEPLOYMENT_TASK_USAGE,
];
