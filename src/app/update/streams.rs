//! Streams follow the view, as requests do (`refresh_visible`): after every message the views
//! that became visible are prepared, the streams the visible view wants are started and the
//! others stopped. Stream events go to the view they were started for; events of a stream
//! that was stopped meanwhile are dropped.

use super::messages::error;
use super::session::session_ended;
use crate::app::effect::{Effect, Schedule};
use crate::app::live::StreamKey;
use crate::app::state::{AppState, DeploymentTab, Route};
use crate::app::streams::{StreamEvent, StreamId};
use crate::houston::model::Timestamp;
use crate::houston::request::Request;
use crate::houston::subscription::Subscription;

/// Bring the running streams in line with the visible view.
pub(crate) fn sync(state: &mut AppState) -> Vec<Effect> {
    let mut effects = super::logs::prepare(state);
    super::metrics::prepare(state);
    let wanted = wanted(state);
    let stale: Vec<StreamId> = state
        .live
        .running
        .iter()
        .filter(|(_, key)| !wanted.iter().any(|(k, _)| k == *key))
        .map(|(id, _)| *id)
        .collect();
    for id in stale {
        state.live.running.remove(&id);
        effects.push(Effect::Unsubscribe(id));
    }
    for (key, subscription) in wanted {
        if state.live.running.values().any(|k| *k == key) {
            continue;
        }
        state.live.next_id += 1;
        let id = state.live.next_id;
        state.live.running.insert(id, key);
        effects.push(Effect::Subscribe { id, subscription });
    }
    effects
}

/// The streams the visible view wants, and what each is for.
fn wanted(state: &AppState) -> Vec<(StreamKey, Subscription)> {
    if state.session.login.is_some() {
        return Vec::new();
    }
    let Route::Deployment { id, tab } = state.route() else {
        return Vec::new();
    };
    match tab {
        DeploymentTab::Logs => state
            .live
            .log_view(id)
            .and_then(|v| {
                let key = StreamKey::Logs {
                    deployment: id.clone(),
                    component: v.component_name().to_string(),
                };
                Some((key, v.subscription()?))
            })
            .into_iter()
            .collect(),
        DeploymentTab::Metrics => state
            .live
            .metrics_view(id)
            .and_then(|v| {
                let key = StreamKey::Metrics {
                    deployment: id.clone(),
                    window: v.window,
                };
                Some((key, v.subscription()?))
            })
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn on_stream(
    state: &mut AppState,
    id: StreamId,
    at: Timestamp,
    event: StreamEvent,
) -> Vec<Effect> {
    let Some(key) = state.live.running.get(&id).cloned() else {
        return Vec::new();
    };
    if matches!(event, StreamEvent::Failed(_) | StreamEvent::Ended) {
        // Over: `sync` starts it again if the view still wants it.
        state.live.running.remove(&id);
    }
    match key {
        StreamKey::Logs { deployment, .. } => super::logs::on_event(state, &deployment, at, event),
        StreamKey::Metrics { deployment, .. } => {
            super::metrics::on_event(state, &deployment, at, event)
        }
    }
}

/// Houston refused a stream mid-way. An expired token ends the session (the login screen
/// says why); otherwise the view says so and the session is checked, which ends it if Houston
/// refuses the token for everything.
pub(crate) fn refused(state: &mut AppState, at: Timestamp, what: &str, text: &str) -> Vec<Effect> {
    if state.session.token_expires_at.is_some_and(|exp| exp <= at) {
        return session_ended(
            state,
            &format!("the token expired; the {what} stopped: {text}"),
        );
    }
    error(
        state,
        format!("The {what} stopped: Houston refused it ({text})"),
    );
    vec![Schedule::ensure(Request::Me)]
}
