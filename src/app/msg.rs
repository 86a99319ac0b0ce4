//! Everything that can change the app state, and the requests/replies that travel between the
//! reducer and the effect executor.

use crossterm::event::KeyEvent;

use crate::houston::ApiError;
use crate::houston::model::*;
use crate::platform::{CopyOutcome, OpenOutcome};

/// A token or password: compared in tests, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Identifies a piece of server data; the newest request per key wins.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequestKey {
    AuthConfig,
    Me,
    Workspaces,
    Deployments(WorkspaceId),
    WorkspaceUsers(WorkspaceId),
    WorkspaceInvites(WorkspaceId),
    WorkspaceServiceAccounts(WorkspaceId),
    Deployment(DeploymentId),
    DeploymentVariables(DeploymentId),
    DeploymentServiceAccounts(DeploymentId),
    DeploymentUsers(DeploymentId),
}

/// One read request with everything needed to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    AuthConfig,
    Me,
    Workspaces {
        /// `None` for a service account.
        me_id: Option<UserId>,
    },
    Deployments {
        workspace_id: WorkspaceId,
    },
    WorkspaceUsers {
        workspace_id: WorkspaceId,
    },
    WorkspaceInvites {
        workspace_id: WorkspaceId,
    },
    WorkspaceServiceAccounts {
        workspace_id: WorkspaceId,
    },
    Deployment {
        deployment_id: DeploymentId,
    },
    DeploymentVariables {
        deployment_id: DeploymentId,
        release_name: String,
    },
    DeploymentServiceAccounts {
        deployment_id: DeploymentId,
    },
    DeploymentUsers {
        deployment_id: DeploymentId,
    },
}

impl Request {
    pub fn key(&self) -> RequestKey {
        match self {
            Request::AuthConfig => RequestKey::AuthConfig,
            Request::Me => RequestKey::Me,
            Request::Workspaces { .. } => RequestKey::Workspaces,
            Request::Deployments { workspace_id } => RequestKey::Deployments(workspace_id.clone()),
            Request::WorkspaceUsers { workspace_id } => {
                RequestKey::WorkspaceUsers(workspace_id.clone())
            }
            Request::WorkspaceInvites { workspace_id } => {
                RequestKey::WorkspaceInvites(workspace_id.clone())
            }
            Request::WorkspaceServiceAccounts { workspace_id } => {
                RequestKey::WorkspaceServiceAccounts(workspace_id.clone())
            }
            Request::Deployment { deployment_id } => RequestKey::Deployment(deployment_id.clone()),
            Request::DeploymentVariables { deployment_id, .. } => {
                RequestKey::DeploymentVariables(deployment_id.clone())
            }
            Request::DeploymentServiceAccounts { deployment_id } => {
                RequestKey::DeploymentServiceAccounts(deployment_id.clone())
            }
            Request::DeploymentUsers { deployment_id } => {
                RequestKey::DeploymentUsers(deployment_id.clone())
            }
        }
    }
}

/// A successful reply to a [`Request`].
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    AuthConfig(AuthConfig),
    Me(Me),
    Workspaces(Vec<Workspace>),
    Deployments(Vec<Deployment>),
    WorkspaceUsers(Vec<WorkspaceUser>),
    WorkspaceInvites(Vec<Invite>),
    ServiceAccounts(Vec<ServiceAccount>),
    Deployment(Box<Deployment>),
    DeploymentVariables(Vec<EnvVar>),
    DeploymentUsers(Vec<DeploymentUser>),
}

/// Which deployment link is being opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    Airflow,
    Flower,
}

impl UrlKind {
    /// The `DeploymentUrl.kind` Houston uses.
    pub fn kind(self) -> &'static str {
        match self {
            UrlKind::Airflow => "airflow",
            UrlKind::Flower => "flower",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            UrlKind::Airflow => "Airflow UI",
            UrlKind::Flower => "Flower",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// The clock moved: refreshes and back-off retries fall due; ages on screen change.
    Tick(Timestamp),
    Api {
        key: RequestKey,
        seq: u64,
        at: Timestamp,
        result: Result<Payload, ApiError>,
    },
    LoginResult {
        at: Timestamp,
        result: Result<Secret, ApiError>,
    },
    OpenResult {
        url: String,
        what: UrlKind,
        outcome: OpenOutcome,
    },
    /// What became of an `Effect::Copy`.
    CopyResult {
        text: String,
        label: String,
        outcome: CopyOutcome,
    },
}
