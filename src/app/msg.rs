//! Everything that can change the app state: terminal events, the clock, and what effects
//! report back.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

pub use super::modal::UrlKind;
use crate::houston::ApiError;
pub use crate::houston::model::Secret;
use crate::houston::model::Timestamp;
use crate::houston::mutation::Outcome;
use crate::houston::request::{Payload, Request};
use crate::platform::{CopyOutcome, OpenOutcome};

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
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
    /// What became of an `Effect::ReadFile`.
    FileRead {
        path: PathBuf,
        result: Result<String, String>,
    },
}
