//! What `update` asks the outside world to do, and the executor that does it with the
//! `Clients`: one tokio task per request, results sent back as messages.

use std::collections::HashMap;
use std::path::PathBuf;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::airflow::{AirflowMutation, AirflowRequest, AirflowTarget};
use super::clients::{AirflowClients, Clients};
use super::msg::{Msg, Secret, UrlKind};
use super::streams::{Inbox, StreamId, StreamManager};
use crate::houston::model::DeploymentConfig;
use crate::houston::mutation::Mutation;
use crate::houston::request::Request;
use crate::houston::subscription::Subscription;
use crate::houston::transport::TransportOptions;
use crate::houston::{HoustonClient, TrustOptions};

/// Largest file `ReadFile` reads (a `.env` file is a few kilobytes).
const MAX_FILE_BYTES: u64 = 1 << 20;

// A few effects exist at a time and live for one loop turn: their size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send a read; its reply comes back as `Msg::Api` with the same request and seq.
    Fetch {
        seq: u64,
        request: Request,
    },
    /// Stop waiting for a request of a view the user left.
    Cancel(Request),
    /// Send a read to a deployment's Airflow or Flower; the reply comes back as
    /// `Msg::AirflowReply` with the same request and seq.
    AirflowFetch {
        seq: u64,
        request: AirflowRequest,
        target: AirflowTarget,
    },
    /// Make a change to a deployment's Airflow; answered by `Msg::AirflowMutated`.
    AirflowMutate {
        id: u64,
        mutation: AirflowMutation,
        target: AirflowTarget,
    },
    /// Make a change; the answer comes back as `Msg::Mutated` with the same id. `config`
    /// holds the platform's AU sizes for resource changes.
    Mutate {
        id: u64,
        mutation: Mutation,
        config: DeploymentConfig,
    },
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
        text: Secret,
        label: String,
    },
    /// Read a local file (e.g. a `.env` to import); comes back as `Msg::FileRead`.
    ReadFile {
        path: PathBuf,
    },
    /// Start a live stream; what it receives comes back as `Msg::Stream` with the same id.
    Subscribe {
        id: StreamId,
        subscription: Subscription,
    },
    /// Stop a live stream (its view was left).
    Unsubscribe(StreamId),
    /// Write a new local file (never over an existing one); comes back as `Msg::FileWritten`.
    WriteFile {
        path: PathBuf,
        contents: String,
    },
    /// From now on talk to `url` as `token` (none: logged out), for the context `context`:
    /// everything still running for the previous one is stopped. Answered by `Msg::Connected`;
    /// when no client can be made for it, nothing changes.
    Connect {
        context: String,
        url: String,
        token: Option<Secret>,
        /// Which certificates that context trusts.
        trust: TrustOptions,
    },
    /// Ask tmux whether OSC 52 reaches the outer terminal (`tmux show -gv set-clipboard`);
    /// comes back as `Msg::TmuxClipboard`.
    QueryTmuxClipboard,
    Quit,
    /// What a feature wants read. Never reaches the executor: `update` turns it into `Fetch`
    /// and `Cancel` effects in one place (`update::refresh::schedule`), with the freshness
    /// policy, before it returns.
    Schedule(Schedule),
}

/// A feature's wish for data, carried out by the reducer's scheduler.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// Read it again now, even while a read is on its way (what a change made stale).
    Fetch(Request),
    /// Read it unless a read is already on its way.
    Ensure(Request),
    /// Read what the visible view needs and has never had.
    Missing,
    /// The view changed (or `force`: the user or a change asks for it now): cancel what it no
    /// longer needs, read what it needs.
    Visible { force: bool },
}

impl Schedule {
    pub(crate) fn fetch(request: Request) -> Effect {
        Effect::Schedule(Schedule::Fetch(request))
    }
    pub(crate) fn ensure(request: Request) -> Effect {
        Effect::Schedule(Schedule::Ensure(request))
    }
    pub(crate) fn missing() -> Effect {
        Effect::Schedule(Schedule::Missing)
    }
    pub(crate) fn visible(force: bool) -> Effect {
        Effect::Schedule(Schedule::Visible { force })
    }
}

/// Runs network, browser and file effects off the UI task.
pub(crate) struct Executor {
    clients: Clients,
    /// The context `clients` belong to, and the Houston clients of contexts left (they keep
    /// what they learnt about their server, e.g. its version).
    context: String,
    other_clients: HashMap<String, HoustonClient>,
    tx: UnboundedSender<Msg>,
    tasks: HashMap<Request, JoinHandle<()>>,
    airflow_tasks: HashMap<AirflowRequest, JoinHandle<()>>,
    login_task: Option<JoinHandle<()>>,
    streams: StreamManager,
}

impl Executor {
    pub(crate) fn new(client: HoustonClient, tx: UnboundedSender<Msg>) -> Self {
        Executor {
            clients: Clients::new(client),
            context: String::new(),
            other_clients: HashMap::new(),
            tx,
            tasks: HashMap::new(),
            airflow_tasks: HashMap::new(),
            login_task: None,
            streams: StreamManager::default(),
        }
    }

    /// Where the live streams' events wait for the event loop.
    pub(crate) fn inbox(&self) -> Inbox {
        self.streams.inbox()
    }

    /// Name the context the first client belongs to.
    pub(crate) fn with_context(mut self, name: &str) -> Self {
        self.context = name.to_string();
        self
    }

    /// Stop everything in flight (mutations excepted: they run to their answer).
    fn abort_all(&mut self) {
        for (_, task) in self.tasks.drain() {
            task.abort();
        }
        for (_, task) in self.airflow_tasks.drain() {
            task.abort();
        }
        if let Some(t) = self.login_task.take() {
            t.abort();
        }
    }

    /// Switch to `context`'s client; on failure (a URL or CA file that cannot be used) keep the
    /// current one, and everything running with it, and say why.
    fn connect(
        &mut self,
        context: String,
        url: &str,
        token: Option<Secret>,
        trust: TrustOptions,
    ) -> Result<(), String> {
        if context == self.context && self.clients.houston.url() == url {
            self.abort_all();
            self.clients.houston = self.clients.houston.with_token(token);
            return Ok(());
        }
        let known = self
            .other_clients
            .remove(&context)
            .filter(|c| c.url() == url);
        let client = match known {
            Some(c) => c.with_token(token),
            None => match HoustonClient::with_options(
                url,
                token,
                &TransportOptions {
                    trust: trust.clone(),
                    ..TransportOptions::default()
                },
            ) {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot create a client for context {context}");
                    return Err(e.to_string());
                }
            },
        };
        self.abort_all();
        // Another installation: its deployments' Airflows are trusted as its Houston is.
        self.clients.airflow = AirflowClients::with_trust(trust);
        let old = std::mem::replace(&mut self.clients.houston, client);
        let old_context = std::mem::replace(&mut self.context, context);
        self.other_clients.insert(old_context, old);
        Ok(())
    }

    /// Start an effect. `Copy` and `Quit` belong to the event loop and are ignored here.
    pub(crate) fn execute(&mut self, effect: Effect) {
        match effect {
            Effect::Fetch { seq, request } => {
                let clients = self.clients.clone();
                let tx = self.tx.clone();
                let key = request.clone();
                let handle = tokio::spawn(async move {
                    let result = clients.fetch(&request).await;
                    let at = chrono::Utc::now();
                    // The receiver is gone only when the app is shutting down.
                    let _ = tx.send(Msg::Api {
                        request,
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
            Effect::Cancel(request) => {
                if let Some(old) = self.tasks.remove(&request) {
                    old.abort();
                }
            }
            // `update` has turned every wish into fetches already.
            Effect::Schedule(_) => {}
            Effect::AirflowFetch {
                seq,
                request,
                target,
            } => {
                let clients = self.clients.clone();
                let tx = self.tx.clone();
                let key = request.clone();
                let handle = tokio::spawn(async move {
                    let result = clients.fetch_airflow(&target, &request).await;
                    let _ = tx.send(Msg::AirflowReply {
                        request,
                        seq,
                        at: chrono::Utc::now(),
                        result,
                    });
                });
                if let Some(old) = self.airflow_tasks.insert(key, handle) {
                    old.abort();
                }
            }
            Effect::AirflowMutate {
                id,
                mutation,
                target,
            } => {
                let clients = self.clients.clone();
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = clients.mutate_airflow(&target, &mutation).await;
                    let _ = tx.send(Msg::AirflowMutated {
                        id,
                        at: chrono::Utc::now(),
                        result,
                    });
                });
            }
            Effect::Mutate {
                id,
                mutation,
                config,
            } => {
                let clients = self.clients.clone();
                let tx = self.tx.clone();
                // A change is never cancelled half-way by navigation: it runs to its answer.
                tokio::spawn(async move {
                    let result = clients.mutate(&mutation, &config).await;
                    let _ = tx.send(Msg::Mutated {
                        id,
                        at: chrono::Utc::now(),
                        result,
                    });
                });
            }
            Effect::Login { username, password } => {
                let client = self.clients.houston.clone();
                let tx = self.tx.clone();
                if let Some(old) = self.login_task.take() {
                    old.abort();
                }
                self.login_task = Some(tokio::spawn(async move {
                    let result = client.create_token(&username, password.expose()).await;
                    let _ = tx.send(Msg::LoginResult {
                        at: chrono::Utc::now(),
                        result,
                    });
                }));
            }
            Effect::UseToken(token) => {
                self.clients.houston = self.clients.houston.with_token(Some(token));
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
            Effect::ReadFile { path } => {
                let tx = self.tx.clone();
                // A file on a slow mount must not stall the UI task.
                tokio::task::spawn_blocking(move || {
                    let result = read_small_file(&path);
                    let _ = tx.send(Msg::FileRead { path, result });
                });
            }
            Effect::Subscribe { id, subscription } => {
                self.streams
                    .subscribe(&self.clients.houston, id, subscription);
            }
            Effect::Unsubscribe(id) => self.streams.unsubscribe(id),
            Effect::WriteFile { path, contents } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let result = super::files::write_new_file(&path, &contents);
                    let _ = tx.send(Msg::FileWritten { path, result });
                });
            }
            Effect::Connect {
                context,
                url,
                token,
                trust,
            } => {
                let result = self.connect(context.clone(), &url, token, trust);
                let _ = self.tx.send(Msg::Connected { context, result });
            }
            Effect::QueryTmuxClipboard => {
                let tx = self.tx.clone();
                // Running a process can take a moment: never on the UI task.
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::TmuxClipboard(crate::platform::tmux_set_clipboard()));
                });
            }
            Effect::Copy { .. } | Effect::Quit => {}
        }
    }

    /// Drop finished task handles so the maps do not grow.
    pub(crate) fn reap(&mut self) {
        self.tasks.retain(|_, h| !h.is_finished());
        self.streams.reap();
    }
}

/// A text file of at most `MAX_FILE_BYTES`, with the reason in words when it cannot be read.
fn read_small_file(path: &std::path::Path) -> Result<String, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!("{} is not a file", path.display()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{} is {} bytes; a .env file of at most {} KiB is expected",
            path.display(),
            meta.len(),
            MAX_FILE_BYTES / 1024
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))
}

impl Drop for Executor {
    fn drop(&mut self) {
        self.abort_all();
    }
}
