//! The reads the app makes: one `Request` per piece of server data — it is also the key the
//! app caches the reply under — the `Payload` it comes back as, and how to fetch it.

use super::model::*;
use super::{ApiError, HoustonClient};

/// One read, with everything needed to send it. Two equal requests fetch the same data, so a
/// request is its own cache key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Request {
    AuthConfig,
    AppConfig,
    Me,
    Workspaces {
        /// Picks the caller's own role out of the bindings; `None` for a service account.
        me_id: Option<UserId>,
    },
    /// A workspace's deployments as its list draws them (the lean `DeploymentRows`).
    Deployments(WorkspaceId),
    WorkspaceUsers(WorkspaceId),
    WorkspaceInvites(WorkspaceId),
    WorkspaceServiceAccounts(WorkspaceId),
    Deployment(DeploymentId),
    /// A deployment by release name: how `:deploy NAME` reaches a deployment no list holds
    /// (a deployment service account's key lists none).
    DeploymentByRelease(String),
    DeploymentVariables(DeploymentId),
    DeploymentServiceAccounts(DeploymentId),
    DeploymentUsers(DeploymentId),
    DeploymentConfig,
    /// Log lines of one component newer than `after` (the log view's backlog, and its polling
    /// when the live stream is unavailable).
    Logs {
        deployment: DeploymentId,
        component: Option<String>,
        after: Option<Timestamp>,
    },
    WorkspaceTeams(WorkspaceId),
    DeploymentTeams(DeploymentId),
    /// Every deployment on the platform, as rows (needs `system.deployments.get`).
    AllDeployments,
    /// The statuses of a workspace's deployments: keeps `Deployments(ws)` live.
    DeploymentStatuses(WorkspaceId),
    /// The statuses of every deployment: keeps `AllDeployments` live.
    AllDeploymentStatuses,
    /// Every user of the platform (System Admin panel).
    SystemUsers,
    /// A deployment's task runs over the last `days` days (System Admin panel).
    TaskUsage {
        release: String,
        days: u16,
    },
    /// Every workspace of the platform (System Admin panel); `me_id` as in `Workspaces`.
    SystemWorkspaces {
        me_id: Option<UserId>,
    },
    /// Every pending invite, platform and workspace ones (System Admin panel).
    SystemInvites,
    /// The service accounts with a system role (System Admin panel).
    SystemServiceAccounts,
    /// The platform's clusters (Houston 1.0+).
    Clusters,
    /// One cluster with its config, for `d` on the Clusters view.
    Cluster(ClusterId),
    /// The namespaces a new deployment on this cluster may use.
    AvailableNamespaces(ClusterId),
    /// Whether deployments on this cluster pick their namespace.
    PlatformFlags(ClusterId),
    /// The Runtime releases a deployment (on this cluster, from 1.0) may be upgraded to.
    RuntimeReleases(Option<ClusterId>),
}

/// A successful reply to a [`Request`].
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    AuthConfig(AuthConfig),
    AppConfig(AppConfig),
    Me(Me),
    Workspaces(Vec<Workspace>),
    Deployments(Vec<Deployment>),
    WorkspaceUsers(Vec<WorkspaceUser>),
    Invites(Vec<Invite>),
    ServiceAccounts(Vec<ServiceAccount>),
    Deployment(Box<Deployment>),
    Variables(Vec<EnvVar>),
    DeploymentUsers(Vec<DeploymentUser>),
    DeploymentConfig(DeploymentConfig),
    Logs(Vec<LogLine>),
    Teams(Vec<Team>),
    Statuses(Vec<DeploymentStatusRow>),
    PlatformUsers(Vec<super::system::PlatformUser>),
    TaskUsage(super::system::TaskUsage),
    Clusters(Vec<Cluster>),
    Cluster(Box<Cluster>),
    Namespaces(Vec<String>),
    PlatformFlags(PlatformFlags),
    RuntimeReleases(Vec<super::runtime::RuntimeRelease>),
}

impl Request {
    pub async fn run(&self, client: &HoustonClient) -> Result<Payload, ApiError> {
        Ok(match self {
            Request::AuthConfig => Payload::AuthConfig(client.auth_config().await?),
            Request::AppConfig => Payload::AppConfig(client.app_config().await?),
            Request::Me => Payload::Me(client.me().await?),
            Request::Workspaces { me_id } => {
                Payload::Workspaces(client.workspaces(me_id.as_ref()).await?)
            }
            Request::Deployments(ws) => {
                Payload::Deployments(client.workspace_deployment_rows(ws).await?)
            }
            Request::AllDeployments => Payload::Deployments(client.all_deployment_rows().await?),
            Request::DeploymentStatuses(ws) => {
                Payload::Statuses(client.workspace_deployment_statuses(ws).await?)
            }
            Request::AllDeploymentStatuses => {
                Payload::Statuses(client.all_deployment_statuses().await?)
            }
            Request::WorkspaceUsers(ws) => {
                Payload::WorkspaceUsers(client.workspace_users(ws).await?)
            }
            Request::WorkspaceInvites(ws) => Payload::Invites(client.workspace_invites(ws).await?),
            Request::WorkspaceServiceAccounts(ws) => {
                Payload::ServiceAccounts(client.workspace_service_accounts(ws).await?)
            }
            Request::Deployment(d) => Payload::Deployment(Box::new(client.deployment(d).await?)),
            Request::DeploymentByRelease(name) => {
                Payload::Deployment(Box::new(client.deployment_by_release(name).await?))
            }
            Request::DeploymentVariables(d) => {
                // `releaseName` is optional (docs/houston.md, "Environment variables"): the id
                // is enough.
                Payload::Variables(client.deployment_variables(d, "").await?)
            }
            Request::DeploymentServiceAccounts(d) => {
                Payload::ServiceAccounts(client.deployment_service_accounts(d).await?)
            }
            Request::DeploymentUsers(d) => {
                Payload::DeploymentUsers(client.deployment_users(d).await?)
            }
            Request::DeploymentConfig => {
                Payload::DeploymentConfig(client.deployment_config().await?)
            }
            Request::Logs {
                deployment,
                component,
                after,
            } => Payload::Logs(
                client
                    .logs(deployment, component.as_deref(), *after)
                    .await?,
            ),
            Request::WorkspaceTeams(ws) => Payload::Teams(client.workspace_teams(ws).await?),
            Request::DeploymentTeams(d) => Payload::Teams(client.deployment_teams(d).await?),
            Request::SystemUsers => Payload::PlatformUsers(client.system_users().await?),
            Request::TaskUsage { release, days } => {
                // From the first of those days (UTC); the range ends now.
                let start = chrono::Utc::now() - chrono::Duration::days(i64::from(*days));
                let start = start.format("%Y-%m-%d").to_string();
                Payload::TaskUsage(client.deployment_task_usage(release, &start).await?)
            }
            Request::SystemWorkspaces { me_id } => {
                Payload::Workspaces(client.system_workspaces(me_id.as_ref()).await?)
            }
            Request::SystemInvites => Payload::Invites(client.system_invites().await?),
            Request::SystemServiceAccounts => {
                Payload::ServiceAccounts(client.system_service_accounts().await?)
            }
            Request::Clusters => Payload::Clusters(client.clusters().await?),
            Request::Cluster(id) => Payload::Cluster(Box::new(client.cluster(id).await?)),
            Request::AvailableNamespaces(id) => {
                Payload::Namespaces(client.available_namespaces(id).await?)
            }
            Request::PlatformFlags(id) => Payload::PlatformFlags(client.platform_flags(id).await?),
            Request::RuntimeReleases(cluster) => {
                Payload::RuntimeReleases(client.runtime_releases(cluster.as_ref()).await?)
            }
        })
    }

    /// The workspace whose data this is, if any.
    pub fn workspace(&self) -> Option<&WorkspaceId> {
        match self {
            Request::Deployments(ws)
            | Request::DeploymentStatuses(ws)
            | Request::WorkspaceUsers(ws)
            | Request::WorkspaceInvites(ws)
            | Request::WorkspaceServiceAccounts(ws)
            | Request::WorkspaceTeams(ws) => Some(ws),
            _ => None,
        }
    }

    /// The deployment whose data this is, if any.
    pub fn deployment(&self) -> Option<&DeploymentId> {
        match self {
            Request::Deployment(d)
            | Request::DeploymentVariables(d)
            | Request::DeploymentServiceAccounts(d)
            | Request::DeploymentUsers(d)
            | Request::Logs { deployment: d, .. }
            | Request::DeploymentTeams(d) => Some(d),
            _ => None,
        }
    }
}
