//! Domain types the app and UI work with. They are independent of the generated GraphQL types
//! (`houston::ops`), which are converted into these in one place (`houston::convert`).

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

pub type Timestamp = DateTime<Utc>;

/// A typed Houston id: opaque strings on the wire, but a workspace id can never be passed where
/// a deployment id is expected.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_string())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        // Maps keyed by id can be looked up with a plain `&str` (the hash is the string's).
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

id_type!(
    /// `Workspace.id`.
    WorkspaceId
);
id_type!(
    /// `Deployment.id`.
    DeploymentId
);
id_type!(
    /// `User.id`.
    UserId
);
id_type!(
    /// `ServiceAccount.id`.
    ServiceAccountId
);
id_type!(
    /// `Invite.id`.
    InviteId
);
id_type!(
    /// `Team.id`.
    TeamId
);
id_type!(
    /// `Cluster.id` (a data plane, Houston 1.0+).
    ClusterId
);

pub use crate::cluster::{Cluster, ClusterRef, ClusterStatus, PlatformFlags};

pub use crate::secret::Secret;

/// A Houston role (`Role` enum). Unknown values are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    SystemAdmin,
    SystemEditor,
    SystemViewer,
    WorkspaceAdmin,
    WorkspaceEditor,
    WorkspaceViewer,
    DeploymentAdmin,
    DeploymentEditor,
    DeploymentViewer,
    User,
    Other(String),
}

impl Role {
    /// The wire name, e.g. `WORKSPACE_ADMIN`.
    pub fn as_str(&self) -> &str {
        match self {
            Role::SystemAdmin => "SYSTEM_ADMIN",
            Role::SystemEditor => "SYSTEM_EDITOR",
            Role::SystemViewer => "SYSTEM_VIEWER",
            Role::WorkspaceAdmin => "WORKSPACE_ADMIN",
            Role::WorkspaceEditor => "WORKSPACE_EDITOR",
            Role::WorkspaceViewer => "WORKSPACE_VIEWER",
            Role::DeploymentAdmin => "DEPLOYMENT_ADMIN",
            Role::DeploymentEditor => "DEPLOYMENT_EDITOR",
            Role::DeploymentViewer => "DEPLOYMENT_VIEWER",
            Role::User => "USER",
            Role::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> Role {
        match s {
            "SYSTEM_ADMIN" => Role::SystemAdmin,
            "SYSTEM_EDITOR" => Role::SystemEditor,
            "SYSTEM_VIEWER" => Role::SystemViewer,
            "WORKSPACE_ADMIN" => Role::WorkspaceAdmin,
            "WORKSPACE_EDITOR" => Role::WorkspaceEditor,
            "WORKSPACE_VIEWER" => Role::WorkspaceViewer,
            "DEPLOYMENT_ADMIN" => Role::DeploymentAdmin,
            "DEPLOYMENT_EDITOR" => Role::DeploymentEditor,
            "DEPLOYMENT_VIEWER" => Role::DeploymentViewer,
            "USER" => Role::User,
            other => Role::Other(other.to_string()),
        }
    }

    /// Short human label: `Admin`, `Editor`, `Viewer` (scope dropped), for table cells.
    pub fn short(&self) -> &str {
        match self {
            Role::SystemAdmin | Role::WorkspaceAdmin | Role::DeploymentAdmin => "Admin",
            Role::SystemEditor | Role::WorkspaceEditor | Role::DeploymentEditor => "Editor",
            Role::SystemViewer | Role::WorkspaceViewer | Role::DeploymentViewer => "Viewer",
            Role::User => "User",
            Role::Other(s) => s,
        }
    }
}

/// Roles are written as Houston writes them (`WORKSPACE_ADMIN`), e.g. in `d` describe.
impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Executor {
    Local,
    Celery,
    Kubernetes,
    Other(String),
}

impl Executor {
    pub fn parse(s: &str) -> Executor {
        match s {
            "LocalExecutor" => Executor::Local,
            "CeleryExecutor" => Executor::Celery,
            "KubernetesExecutor" => Executor::Kubernetes,
            other => Executor::Other(other.to_string()),
        }
    }
    /// Display name: `Local`, `Celery`, `Kubernetes`.
    pub fn label(&self) -> &str {
        match self {
            Executor::Local => "Local",
            Executor::Celery => "Celery",
            Executor::Kubernetes => "Kubernetes",
            Executor::Other(s) => s,
        }
    }
}

impl Executor {
    /// The wire name, e.g. `CeleryExecutor`.
    pub fn as_str(&self) -> &str {
        match self {
            Executor::Local => "LocalExecutor",
            Executor::Celery => "CeleryExecutor",
            Executor::Kubernetes => "KubernetesExecutor",
            Executor::Other(s) => s,
        }
    }
}

impl Serialize for Executor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Deployment health as Houston reports it (`Deployment.status` / `DeploymentStatusType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeploymentStatus {
    // Ordered worst first, so sorting by status puts problems on top.
    Unhealthy,
    Unknown,
    Deploying,
    Healthy,
}

impl DeploymentStatus {
    pub fn parse(s: Option<&str>) -> DeploymentStatus {
        match s.map(|s| s.to_ascii_uppercase()).as_deref() {
            Some("HEALTHY") => DeploymentStatus::Healthy,
            Some("UNHEALTHY") => DeploymentStatus::Unhealthy,
            Some("DEPLOYING") => DeploymentStatus::Deploying,
            _ => DeploymentStatus::Unknown,
        }
    }
    pub fn label(&self) -> &'static str {
        match self {
            DeploymentStatus::Healthy => "HEALTHY",
            DeploymentStatus::Unhealthy => "UNHEALTHY",
            DeploymentStatus::Deploying => "DEPLOYING",
            DeploymentStatus::Unknown => "UNKNOWN",
        }
    }
}

impl Serialize for DeploymentStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

/// One deployment's status, from the small documents that keep lists live between reloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentStatusRow {
    pub id: DeploymentId,
    pub status: DeploymentStatus,
}

/// The logged-in principal (`self`): a user, or a service account when the token is a
/// service-account API key (Houston then answers `self { user: null }`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    /// The user id; `None` for a service account (see [`Me::is_service_account`]).
    pub id: Option<UserId>,
    pub username: String,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub is_system_admin: bool,
    /// The user's roles on single deployments (`DEPLOYMENT_*` bindings): what a user with a
    /// deployment role only can reach. Empty for a service account (Houston has no user).
    pub deployment_roles: Vec<DeploymentRole>,
}

/// A role on one deployment, with what `self` says of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentRole {
    pub role: Role,
    pub deployment_id: DeploymentId,
    pub label: String,
    pub release_name: String,
    pub workspace_id: Option<WorkspaceId>,
    pub workspace_label: Option<String>,
}

impl Me {
    /// What a service-account API key is: no user behind it, so no id, name or e-mail.
    pub fn service_account(is_system_admin: bool) -> Me {
        Me {
            id: None,
            username: "service account".into(),
            full_name: None,
            email: None,
            is_system_admin,
            deployment_roles: Vec::new(),
        }
    }

    pub fn is_service_account(&self) -> bool {
        self.id.is_none()
    }

    /// The user id to look for in role bindings; `None` for a service account.
    pub fn user_id(&self) -> Option<&UserId> {
        self.id.as_ref()
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceCapabilities {
    pub can_update_workspace: bool,
    pub can_delete_workspace: bool,
    pub can_create_deployment: bool,
    pub can_update_iam: bool,
    pub can_invite_user: bool,
    pub can_create_service_account: bool,
    pub can_update_service_account: bool,
    pub can_delete_service_account: bool,
}

/// A row of the account dashboard, and the header of a workspace dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub id: WorkspaceId,
    pub label: String,
    pub description: Option<String>,
    pub deployment_count: usize,
    /// The caller's own workspace role, if any (a system admin may have none).
    pub my_role: Option<Role>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub capabilities: WorkspaceCapabilities,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentUrl {
    /// `airflow`, `flower`, ...
    pub kind: String,
    pub url: String,
}

/// Resources of one component (scheduler, webserver, workers, triggerer, statsd, pgbouncer, flower, redis).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentResources {
    pub component: String,
    /// Astronomer Units: 1 AU = 100 millicpu + 384 MiB.
    pub au: f64,
    pub cpu_millis: i64,
    pub memory_mib: i64,
    pub replicas: Option<i64>,
    /// `workers.terminationGracePeriodSeconds`.
    pub grace_period_secs: Option<i64>,
}

impl ComponentResources {
    /// AU this component costs: its size times its replicas (one when it has no count).
    pub fn billed_au(&self) -> f64 {
        self.au * self.replicas.unwrap_or(1).max(0) as f64
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentCapabilities {
    pub can_update: bool,
    pub can_delete: bool,
    pub can_update_variables: bool,
    pub can_create_service_account: bool,
    pub can_update_service_account: bool,
    pub can_delete_service_account: bool,
    pub can_update_user_role: bool,
}

/// A deployment row (workspace dashboard) and the deployment dashboard's overview.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub id: DeploymentId,
    pub label: String,
    pub description: Option<String>,
    pub release_name: String,
    pub namespace: Option<String>,
    pub workspace_id: Option<WorkspaceId>,
    pub workspace_label: Option<String>,
    /// The cluster (data plane) it runs on (Houston 1.0+).
    pub cluster: Option<ClusterRef>,
    pub executor: Executor,
    pub airflow_version: Option<String>,
    /// Set (and different from `airflow_version`) when an upgrade is pending.
    pub desired_airflow_version: Option<String>,
    /// Astro Runtime (Houston 0.29+): running, desired, and the Airflow it carries.
    pub runtime_version: Option<String>,
    pub desired_runtime_version: Option<String>,
    pub runtime_airflow_version: Option<String>,
    /// Airflow Helm chart version (`Deployment.version`).
    pub chart_version: Option<String>,
    pub status: DeploymentStatus,
    /// `deployInfo.current`: the tag of the image running now.
    pub image_tag: Option<String>,
    pub urls: Vec<DeploymentUrl>,
    pub resources: Vec<ComponentResources>,
    pub extra_au: Option<i64>,
    pub capabilities: DeploymentCapabilities,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
}

impl Deployment {
    pub fn url(&self, kind: &str) -> Option<&str> {
        self.urls
            .iter()
            .find(|u| u.kind == kind)
            .map(|u| u.url.as_str())
    }
    pub fn upgrade_pending(&self) -> bool {
        matches!((&self.airflow_version, &self.desired_airflow_version), (Some(a), Some(d)) if a != d)
    }

    /// A Runtime upgrade is pending (desired ≠ running).
    pub fn runtime_upgrade_pending(&self) -> bool {
        matches!((&self.runtime_version, &self.desired_runtime_version), (Some(a), Some(d)) if a != d)
    }

    /// The AU the platform bills for this deployment: every component's size times its
    /// replicas, plus the extra capacity (docs/houston.md, "Deployment resources").
    pub fn total_au(&self) -> f64 {
        self.resources
            .iter()
            .map(ComponentResources::billed_au)
            .sum::<f64>()
            + self.extra_au.unwrap_or(0).max(0) as f64
    }

    pub fn component(&self, name: &str) -> Option<&ComponentResources> {
        self.resources.iter().find(|r| r.component == name)
    }
}

/// The platform's limits and choices for deployments (`deploymentConfig`), with the defaults of
/// Houston's reference configuration wherever the server does not say.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentConfig {
    /// Airflow versions a deployment can run or upgrade to, oldest first.
    pub airflow_versions: Vec<String>,
    pub default_airflow_version: Option<String>,
    /// Millicpu and MiB in one AU.
    pub au_cpu: i64,
    pub au_memory: i64,
    /// Largest size of one component, in AU (`maxPodAu`).
    pub max_pod_au: i64,
    pub max_extra_au: i64,
}

impl Default for DeploymentConfig {
    fn default() -> Self {
        DeploymentConfig {
            airflow_versions: Vec::new(),
            default_airflow_version: None,
            au_cpu: 100,
            au_memory: 384,
            max_pod_au: 35,
            max_extra_au: 400,
        }
    }
}

/// A member of a workspace with their workspace role.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceUser {
    pub id: UserId,
    pub username: String,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub role: Option<Role>,
    /// `active`, `pending`, `inactive`, `banned`.
    pub status: Option<String>,
}

impl WorkspaceUser {
    /// The name shown for the user: the full name, else the username.
    pub fn display_name(&self) -> &str {
        self.full_name.as_deref().unwrap_or(&self.username)
    }
}

/// A team (an identity-provider group) with its role on one workspace or deployment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub role: Option<Role>,
}

/// A pending invitation to a workspace.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invite {
    pub id: InviteId,
    pub email: String,
    pub role: Role,
    pub created_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccount {
    pub id: ServiceAccountId,
    pub label: String,
    pub category: Option<String>,
    pub role: Option<Role>,
    pub active: bool,
    pub last_used_at: Option<Timestamp>,
    pub created_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    pub key: String,
    /// Empty for secrets: Houston never returns secret values.
    pub value: String,
    pub is_secret: bool,
}

/// A user with a role on one deployment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentUser {
    pub id: UserId,
    pub username: String,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub role: Option<Role>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuthConfig {
    pub local_enabled: bool,
    pub public_signup: bool,
    pub initial_signup: bool,
    /// OAuth provider display names (informational).
    pub providers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    pub version: Option<String>,
    pub base_domain: Option<String>,
}

impl AppConfig {
    /// `version` as a comparable value (unknown when Houston sent none).
    pub fn houston_version(&self) -> super::version::HoustonVersion {
        super::version::HoustonVersion::parse(self.version.as_deref().unwrap_or_default())
    }
}

/// One log record of a deployment component (`DeploymentLog`, from the `log` subscription or
/// the `logs` query).
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub id: String,
    pub timestamp: Option<Timestamp>,
    /// `scheduler`, `webserver`, `worker`, `triggerer`, ...
    pub component: Option<String>,
    pub level: Option<String>,
    pub message: String,
}
