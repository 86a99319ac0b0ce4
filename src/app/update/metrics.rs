//! The Metrics tab's reducer: opening and putting it away with the route, the window key, and
//! what the `metrics` stream reports — snapshots, and failures (retried with back-off, or
//! "not available" when Houston cannot send metrics).

use super::messages::flash;
use crate::app::effect::Effect;
use crate::app::freshness::backoff_secs;
use crate::app::keymap::Action;
use crate::app::live::Link;
use crate::app::metrics::{MetricsFeed, MetricsView, Snapshot};
use crate::app::state::{AppState, DeploymentTab, Route};
use crate::app::streams::StreamEvent;
use crate::houston::ApiError;
use crate::houston::model::{DeploymentId, Timestamp};

/// A stream that ends sooner than this after starting is retried with back-off rather than
/// at once.
const MIN_STREAM_LIFE_SECS: i64 = 60;

/// Open or put away the tab's view as the route says; start a retry that fell due.
pub(crate) fn prepare(state: &mut AppState) {
    let now = state.now;
    let shown = match state.route() {
        Route::Deployment { id, tab } if state.session.login.is_none() => Some((id.clone(), *tab)),
        _ => None,
    };
    let Some((id, tab)) = shown else {
        state.live.metrics = None;
        return;
    };
    if state
        .live
        .metrics
        .as_ref()
        .is_some_and(|v| v.deployment != id)
    {
        state.live.metrics = None;
    }
    if tab != DeploymentTab::Metrics {
        if let Some(v) = state.live.metrics.as_mut() {
            v.feed = MetricsFeed::Idle;
        }
        return;
    }
    let view = state
        .live
        .metrics
        .get_or_insert_with(|| MetricsView::new(id));
    match &view.feed {
        MetricsFeed::Idle => {
            view.feed = MetricsFeed::Live;
            view.link = Link::Connecting;
        }
        MetricsFeed::Retrying { at, .. } if *at <= now => {
            view.feed = MetricsFeed::Live;
            view.link = Link::Connecting;
        }
        _ => {}
    }
}

/// What the metrics stream reported.
pub(crate) fn on_event(
    state: &mut AppState,
    deployment: &DeploymentId,
    at: Timestamp,
    event: StreamEvent,
) -> Vec<Effect> {
    let Some(view) = state.live.metrics_view_mut(deployment) else {
        return Vec::new();
    };
    match event {
        StreamEvent::Started => {
            view.link = Link::Open;
            view.live_since = Some(at);
        }
        StreamEvent::Metrics(list) => {
            view.snapshot = Some(Snapshot::new(at, list));
            view.updates += 1;
            view.failures = 0;
            view.link = Link::Open;
        }
        StreamEvent::Failed(ApiError::Forbidden(text)) => {
            view.feed = MetricsFeed::Unavailable {
                reason: format!("Houston refused the metrics: {text}"),
            };
            return super::streams::refused(state, at, "metrics stream", &text);
        }
        StreamEvent::Failed(e) if e.is_transient() || matches!(e, ApiError::Decode(_)) => {
            retry_later(view, at, e.to_string());
        }
        StreamEvent::Failed(ApiError::Unsupported { message, .. }) => {
            // Not a failure: this Houston has no metrics. Say which Houston, as tables do.
            let version = state.cache.app_config().and_then(|c| c.version.clone());
            let text = ApiError::Unsupported {
                message,
                houston_version: version,
            }
            .to_string();
            let mut chars = text.chars();
            let reason = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or(text);
            if let Some(view) = state.live.metrics_view_mut(deployment) {
                view.feed = MetricsFeed::NotOffered { reason };
            }
        }
        StreamEvent::Failed(e) => {
            view.feed = MetricsFeed::Unavailable {
                reason: format!("Houston cannot send metrics: {e}"),
            };
        }
        StreamEvent::Ended => {
            let lived = view
                .live_since
                .is_some_and(|t| (at - t).num_seconds() >= MIN_STREAM_LIFE_SECS);
            if lived {
                // Houston's time limit: `sync` starts it again.
                view.link = Link::Connecting;
            } else {
                retry_later(view, at, "Houston ended the metrics stream".into());
            }
        }
        StreamEvent::Lines { .. } | StreamEvent::Status(_) => {}
    }
    Vec::new()
}

fn retry_later(view: &mut MetricsView, at: Timestamp, reason: String) {
    view.failures = view.failures.saturating_add(1);
    view.link = Link::Connecting;
    view.live_since = None;
    view.feed = MetricsFeed::Retrying {
        reason,
        at: at + chrono::Duration::seconds(backoff_secs(view.failures)),
    };
}

/// Keys of the Metrics tab; `None` for keys it leaves to the dashboard.
pub(crate) fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Effect>> {
    let Route::Deployment {
        id,
        tab: DeploymentTab::Metrics,
    } = state.route().clone()
    else {
        return None;
    };
    let view = state.live.metrics_view_mut(&id)?;
    match action {
        Action::CycleWindow => {
            view.window = view.window.next();
            // A snapshot of another window would be drawn with the wrong time axis.
            view.snapshot = None;
            view.feed = MetricsFeed::Live;
            view.link = Link::Connecting;
            view.failures = 0;
            let label = view.window.label();
            flash(state, format!("Metrics of the last {label}"));
            Some(Vec::new())
        }
        _ => None,
    }
}
