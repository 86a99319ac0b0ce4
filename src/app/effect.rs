//! What `update` asks the outside world to do, and the executor that does it with a
//! `HoustonClient`: one tokio task per request, results sent back as messages.

use std::collections::HashMap;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::msg::{Msg, Payload, Request, RequestKey, Secret, UrlKind};
use crate::houston::{ApiError, HoustonClient};

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send a read request; its reply comes back as `Msg::Api` with the same key and seq.
    Fetch {
        seq: u64,
        request: Request,
    },
    /// Stop waiting for a request of a view the user left.
    Cancel(RequestKey),
    /// Local login (`createToken`); the reply comes back as `Msg::LoginResult`.
    Login {
        username: String,
        password: Secret,
    },
    /// Authenticate every later request with this token.
    UseToken(Secret),
    /// Try a browser; the outcome comes back as `Msg::OpenResult`.
    OpenUrl {
        url: String,
        what: UrlKind,
    },
    /// Put text on the user's clipboard (OSC 52, works over SSH). Done by the event loop, which
    /// owns the terminal; the outcome comes back as `Msg::CopyResult`. `label` says what the
    /// text is ("release name"), for the message line.
    Copy {
        text: String,
        label: String,
    },
    Quit,
}

/// Runs network and browser effects off the UI task.
pub struct Executor {
    client: HoustonClient,
    tx: UnboundedSender<Msg>,
    tasks: HashMap<RequestKey, JoinHandle<()>>,
    login_task: Option<JoinHandle<()>>,
}

async fn perform(client: &HoustonClient, request: Request) -> Result<Payload, ApiError> {
    Ok(match request {
        Request::AuthConfig => Payload::AuthConfig(client.auth_config().await?),
        Request::Me => Payload::Me(client.me().await?),
        Request::Workspaces { me_id } => {
            Payload::Workspaces(client.workspaces(me_id.as_ref()).await?)
        }
        Request::Deployments { workspace_id } => {
            Payload::Deployments(client.workspace_deployments(&workspace_id).await?)
        }
        Request::WorkspaceUsers { workspace_id } => {
            Payload::WorkspaceUsers(client.workspace_users(&workspace_id).await?)
        }
        Request::WorkspaceInvites { workspace_id } => {
            Payload::WorkspaceInvites(client.workspace_invites(&workspace_id).await?)
        }
        Request::WorkspaceServiceAccounts { workspace_id } => {
            Payload::ServiceAccounts(client.workspace_service_accounts(&workspace_id).await?)
        }
        Request::Deployment { deployment_id } => {
            Payload::Deployment(Box::new(client.deployment(&deployment_id).await?))
        }
        Request::DeploymentVariables {
            deployment_id,
            release_name,
        } => Payload::DeploymentVariables(
            client
                .deployment_variables(&deployment_id, &release_name)
                .await?,
        ),
        Request::DeploymentServiceAccounts { deployment_id } => {
            Payload::ServiceAccounts(client.deployment_service_accounts(&deployment_id).await?)
        }
        Request::DeploymentUsers { deployment_id } => {
            Payload::DeploymentUsers(client.deployment_users(&deployment_id).await?)
        }
    })
}

impl Executor {
    pub fn new(client: HoustonClient, tx: UnboundedSender<Msg>) -> Self {
        Executor {
            client,
            tx,
            tasks: HashMap::new(),
            login_task: None,
        }
    }

    /// Start an effect. `Copy` and `Quit` belong to the event loop and are ignored here.
    pub fn execute(&mut self, effect: Effect) {
        match effect {
            Effect::Fetch { seq, request } => {
                let key = request.key();
                let client = self.client.clone();
                let tx = self.tx.clone();
                let task_key = key.clone();
                let handle = tokio::spawn(async move {
                    let result = perform(&client, request).await;
                    let at = chrono::Utc::now();
                    // The receiver is gone only when the app is shutting down.
                    let _ = tx.send(Msg::Api {
                        key: task_key,
                        seq,
                        at,
                        result,
                    });
                });
                // A newer request supersedes the old one: stop waiting for it.
                if let Some(old) = self.tasks.insert(key, handle) {
                    old.abort();
                }
            }
            Effect::Cancel(key) => {
                if let Some(old) = self.tasks.remove(&key) {
                    old.abort();
                }
            }
            Effect::Login { username, password } => {
                let client = self.client.clone();
                let tx = self.tx.clone();
                if let Some(old) = self.login_task.take() {
                    old.abort();
                }
                self.login_task = Some(tokio::spawn(async move {
                    let result = client
                        .create_token(&username, &password.0)
                        .await
                        .map(Secret);
                    let _ = tx.send(Msg::LoginResult {
                        at: chrono::Utc::now(),
                        result,
                    });
                }));
            }
            Effect::UseToken(token) => {
                self.client = self.client.with_token(Some(token.0));
            }
            Effect::OpenUrl { url, what } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let target = url.clone();
                    // Launching a browser can block for a while: keep it off the UI task.
                    let outcome = tokio::task::spawn_blocking(move || {
                        crate::platform::open_in_browser(&target)
                    })
                    .await
                    .unwrap_or_else(|e| {
                        crate::platform::OpenOutcome::ShowUrl {
                            reason: format!("could not start a browser: {e}"),
                        }
                    });
                    let _ = tx.send(Msg::OpenResult { url, what, outcome });
                });
            }
            Effect::Copy { .. } | Effect::Quit => {}
        }
    }

    /// Drop finished task handles so the map does not grow.
    pub fn reap(&mut self) {
        self.tasks.retain(|_, h| !h.is_finished());
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        for (_, task) in self.tasks.drain() {
            task.abort();
        }
        if let Some(t) = self.login_task.take() {
            t.abort();
        }
    }
}
