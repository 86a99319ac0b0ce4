//! Everything that can change the app state: terminal events, the clock, and what effects
//! report back.

use std::path::PathBuf;

use crossterm::event::{KeyEvent, MouseEvent};

use super::airflow::{AirflowPayload, AirflowRequest};
use super::streams::{StreamEvent, StreamId};
use crate::airflow::AirflowError;
use crate::houston::ApiError;
pub use crate::houston::model::Secret;
use crate::houston::model::Timestamp;
use crate::houston::mutation::Outcome;
use crate::houston::request::{Payload, Request};
use crate::platform::{CopyOutcome, OpenOutcome};

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    /// Only while mouse capture is on (`--mouse`).
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// The clock moved: refreshes and back-off retries fall due; ages on screen change.
    Tick(Timestamp),
    /// The terminal gained (`true`) or lost focus, where it reports focus changes.
    Focus(bool),
    /// The reply to `Effect::Fetch`.
    Api {
        request: Request,
        seq: u64,
        at: Timestamp,
        result: Result<Payload, ApiError>,
    },
    /// The reply to `Effect::AirflowFetch`.
    AirflowReply {
        request: AirflowRequest,
        seq: u64,
        at: Timestamp,
        result: Result<AirflowPayload, AirflowError>,
    },
    /// The answer to `Effect::AirflowMutate`.
    AirflowMutated {
        id: u64,
        at: Timestamp,
        result: Result<(), AirflowError>,
    },
    /// The answer to `Effect::Mutate`.
    Mutated {
        id: u64,
        at: Timestamp,
        result: Result<Outcome, ApiError>,
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
        text: Secret,
        label: String,
        outcome: CopyOutcome,
    },
    /// tmux's `set-clipboard` option (`Effect::QueryTmuxClipboard`); `None` when tmux could not
    /// be asked.
    TmuxClipboard(Option<String>),
    /// What became of an `Effect::ReadFile`.
    FileRead {
        path: PathBuf,
        result: Result<String, String>,
    },
    /// What a live stream (`Effect::Subscribe`) received or how it ended.
    Stream {
        id: StreamId,
        at: Timestamp,
        event: StreamEvent,
    },
    /// The answer to `Effect::Connect`: the executor now talks to `context`, or why it could
    /// not (it kept the connection it had).
    Connected {
        context: String,
        result: Result<(), String>,
    },
    /// What became of an `Effect::WriteFile`: the file's absolute path, or why not.
    FileWritten {
        path: PathBuf,
        result: Result<PathBuf, String>,
    },
}

/// Which deployment link is being opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    Airflow,
    Flower,
}

impl UrlKind {
    /// The `DeploymentUrl.kind` Houston uses.
    pub(crate) fn kind(self) -> &'static str {
        match self {
            UrlKind::Airflow => "airflow",
            UrlKind::Flower => "flower",
        }
    }
    pub(crate) fn label(self) -> &'static str {
        match self {
            UrlKind::Airflow => "Airflow UI",
            UrlKind::Flower => "Flower",
        }
    }
}
