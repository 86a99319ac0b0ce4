//! The message line: info that times out, errors that stay until Esc; both belong to the view
//! they were raised in, or (`session_*`) to the whole session.

use crate::app::state::{AppState, Level, MESSAGE_LOG_LIMIT, Message};

fn set(state: &mut AppState, level: Level, text: String, scoped: bool) {
    let message = Message {
        text,
        level,
        at: state.now,
        route: scoped.then(|| state.route().clone()),
    };
    // The line shows one message, cut to its width: the log keeps them whole.
    let log = &mut state.ui.message_log;
    log.push_back(message.clone());
    while log.len() > MESSAGE_LOG_LIMIT {
        log.pop_front();
    }
    state.ui.message = Some(message);
}

/// Info about the current view; times out.
pub(crate) fn flash(state: &mut AppState, text: impl Into<String>) {
    set(state, Level::Info, text.into(), true);
}

/// A problem with the current view; stays there until Esc.
pub(crate) fn error(state: &mut AppState, text: impl Into<String>) {
    set(state, Level::Error, text.into(), true);
}

/// Info about the session (connection restored, a change that finished elsewhere).
pub(crate) fn session_flash(state: &mut AppState, text: impl Into<String>) {
    set(state, Level::Info, text.into(), false);
}

/// A problem with the session (the server is unreachable).
pub(crate) fn session_error(state: &mut AppState, text: impl Into<String>) {
    set(state, Level::Error, text.into(), false);
}

/// Drop messages that timed out or belong to a view that is not shown any more.
pub(crate) fn expire(state: &mut AppState) {
    let now = state.now;
    let route = state.route().clone();
    if let Some(m) = &state.ui.message {
        let timed_out = m.level == Level::Info
            && now - m.at >= chrono::Duration::seconds(crate::app::state::FLASH_SECONDS);
        let elsewhere = m.route.as_ref().is_some_and(|r| *r != route);
        if timed_out || elsewhere {
            state.ui.message = None;
        }
    }
}
