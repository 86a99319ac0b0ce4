//! Helpers of the live-tab flows (`live_flows`, `live_stream_flows`): log lines, stream events,
//! a workspace to start from, what an update subscribed to or fetched.

use super::*;
use astrodash::app::effect::Effect;
use astrodash::app::logs::LogView;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::streams::{StreamEvent, StreamId};
use astrodash::app::update::update;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use astrodash::houston::subscription::Subscription;

pub fn fetched(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

pub fn seq_of(effects: &[Effect], request: &Request) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { seq, request: r } if r == request => Some(*seq),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fetch of {request:?} in {effects:?}"))
}

pub fn subscribed(effects: &[Effect]) -> Vec<(StreamId, Subscription)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Subscribe { id, subscription } => Some((*id, subscription.clone())),
            _ => None,
        })
        .collect()
}

pub fn unsubscribed(effects: &[Effect]) -> Vec<StreamId> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Unsubscribe(id) => Some(*id),
            _ => None,
        })
        .collect()
}

/// The one `logs` request among `effects`.
pub fn logs_request(effects: &[Effect]) -> Request {
    let requests: Vec<Request> = fetched(effects)
        .into_iter()
        .filter(|r| matches!(r, Request::Logs { .. }))
        .collect();
    assert_eq!(requests.len(), 1, "{effects:?}");
    requests[0].clone()
}

pub fn line_at(i: i64, secs_ago: i64, level: &str, message: &str) -> LogLine {
    LogLine {
        id: format!("l{i}"),
        timestamp: Some(ago(secs_ago)),
        component: Some("scheduler".into()),
        level: Some(level.into()),
        message: message.into(),
    }
}

/// Lines `from..to`, one a second, ending a few seconds ago; every fifth is a heartbeat.
pub fn lines(from: i64, to: i64) -> Vec<LogLine> {
    (from..to)
        .map(|i| {
            let message = if i % 5 == 0 {
                format!("[scheduler_job_runner.py:1578] Scheduler heartbeat {i}")
            } else {
                format!("[dag_processing.py:1099] Processing file dag_{i}.py")
            };
            line_at(i, 1000 - i, "INFO", &message)
        })
        .collect()
}

pub fn stream(id: StreamId, event: StreamEvent) -> Msg {
    Msg::Stream {
        id,
        at: now(),
        event,
    }
}

pub fn at_workspace() -> AppState {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    s
}

pub fn view(s: &AppState) -> &LogView {
    s.live
        .log_view(&"d-etl".into())
        .expect("the log view of prod-etl")
}

/// `l` on prod-etl (Celery), the backlog answered with `backlog`, the live stream started.
/// Returns the state and the stream's id.
pub fn live_logs(backlog: Vec<LogLine>) -> (AppState, StreamId) {
    let mut s = at_workspace();
    let fx = update(&mut s, ch('l'));
    let request = logs_request(&fx);
    let seq = seq_of(&fx, &request);
    let fx = update(&mut s, reply(request, seq, 0, Payload::Logs(backlog)));
    let subs = subscribed(&fx);
    assert_eq!(subs.len(), 1, "{fx:?}");
    let id = subs[0].0;
    update(&mut s, stream(id, StreamEvent::Started));
    (s, id)
}
