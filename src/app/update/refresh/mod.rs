//! Fetching and keeping the visible view fresh: latest-wins requests, the refresh schedule and
//! back-off while the server is unreachable, and the freshness policy (`freshness`: statuses
//! instead of whole lists, a few workspace lists at a time, slower out of focus). Re-sorting
//! the table on screen is `sort`'s, what a reply means `replies`'s.
//! Features ask for data by returning `Effect::Schedule`; `schedule` carries those wishes out,
//! in order, before `update` returns; no feature calls in here (a re-read that waits for its
//! own reply counts replies from the next sequence number on, `recheck::reread`).

pub(crate) mod freshness;

use chrono::Duration as ChronoDuration;

use crate::app::effect::{Effect, Schedule};
use crate::app::state::{AppState, Route, WorkspaceTab};
use crate::houston::model::*;
use crate::houston::request::Request;

/// While something is DEPLOYING, the view refreshes this often to show it settle.
const DEPLOYING_REFRESH_SECS: i64 = 2;

pub(crate) fn fetch(state: &mut AppState, request: Request) -> Effect {
    state.net.next_seq += 1;
    let seq = state.net.next_seq;
    state.net.latest_seq.insert(request.clone(), seq);
    state.net.in_flight.insert(request.clone());
    state.cache.start(&request);
    Effect::Fetch { seq, request }
}

/// Turn every `Effect::Schedule` in `effects` into the fetches (and cancels) it asks for, in
/// order: the one place a feature's wish for data meets the freshness policy.
pub(crate) fn schedule(state: &mut AppState, effects: Vec<Effect>) -> Vec<Effect> {
    let mut out = Vec::with_capacity(effects.len());
    for effect in effects {
        match effect {
            Effect::Schedule(Schedule::Fetch(request)) => out.push(fetch(state, request)),
            Effect::Schedule(Schedule::Ensure(request)) => out.extend(ensure(state, request)),
            Effect::Schedule(Schedule::Missing) => out.extend(fetch_missing(state)),
            Effect::Schedule(Schedule::Visible { force }) => {
                out.extend(refresh_visible(state, force))
            }
            other => out.push(other),
        }
    }
    out
}

/// Stop requests the visible view no longer needs, then request what it needs (all of it when
/// `force`, else only what is not already on its way) and schedule the next refresh.
fn refresh_visible(state: &mut AppState, force: bool) -> Vec<Effect> {
    let wanted = state.visible_requests();
    let supporting = state.supporting_requests();
    let mut effects = Vec::new();
    let stale: Vec<Request> = state
        .net
        .in_flight
        .iter()
        .filter(|r| !wanted.contains(r) && !supporting.contains(r) && !is_background(r))
        // A re-read that tells whether a timed-out change was applied is needed wherever the
        // user looks now.
        .filter(|r| !state.net.unsure.iter().any(|u| u.waiting.contains(r)))
        .cloned()
        .collect();
    for request in stale {
        state.net.in_flight.remove(&request);
        // A late reply for a cancelled request must not be applied.
        state.net.latest_seq.remove(&request);
        effects.push(Effect::Cancel(request));
    }
    let all: Vec<Request> = wanted.iter().chain(&supporting).cloned().collect();
    freshness::prune_queue(state, &all);
    for request in all {
        let due = (force
            || (!state.net.in_flight.contains(&request)
                && !freshness::fresh_enough(state, &request, &wanted)))
            && !freshness::covered(state, &request);
        if due && let Some(effect) = freshness::fetch_bounded(state, request) {
            effects.push(effect);
        }
    }
    if effects.iter().any(|e| matches!(e, Effect::Fetch { .. })) {
        state.net.round_failed = false;
    }
    schedule_refresh(state);
    // What the view needs from a deployment's own Airflow.
    effects.extend(super::airflow::refresh_visible(state, force));
    // A view shown again may hold rows that changed while it was away: sort them once now,
    // not on every frame until the next reply.
    if let Some(table) = state.current_table()
        && state.ui.tables.contains_key(&table)
    {
        super::sort::reapply_table(state, &table);
    }
    effects
}

/// Fetch what the visible view needs and has never had (e.g. once who we are, or a
/// workspace's capabilities, became known). Nothing already loaded is fetched again.
fn fetch_missing(state: &mut AppState) -> Vec<Effect> {
    let wanted: Vec<Request> = state
        .visible_requests()
        .into_iter()
        .chain(state.supporting_requests())
        .filter(|r| state.cache.remote(r).is_none() && !state.net.in_flight.contains(r))
        // Statuses refresh rows that carry them already: never missing, only due.
        .filter(|r| crate::app::freshness::rows_for(r).is_none())
        .collect();
    wanted
        .into_iter()
        .filter_map(|r| freshness::fetch_bounded(state, r))
        .collect()
}

/// Requests that check the session or the platform, which no view switch cancels.
fn is_background(request: &Request) -> bool {
    matches!(
        request,
        Request::Me | Request::DeploymentConfig | Request::AppConfig | Request::Workspaces { .. }
    )
}

/// Fetch `request` unless it is already on its way.
fn ensure(state: &mut AppState, request: Request) -> Vec<Effect> {
    if state.net.in_flight.contains(&request) {
        return vec![];
    }
    vec![fetch(state, request)]
}

fn schedule_refresh(state: &mut AppState) {
    // A zero interval would refresh on every tick; one second is the floor.
    let mut every = ChronoDuration::from_std(state.session.refresh)
        .unwrap_or(ChronoDuration::seconds(5))
        .max(ChronoDuration::seconds(1));
    if shows_deploying(state) {
        every = every.min(ChronoDuration::seconds(DEPLOYING_REFRESH_SECS));
    }
    if polls_logs(state) {
        every = every.min(ChronoDuration::seconds(crate::app::logs::LOG_POLL_SECS));
    }
    // Nobody looking: everything slows down, log polling included.
    every = freshness::paced_interval(state, every);
    state.net.next_refresh_at = Some(state.now + every);
}

/// Whether the log view on screen polls `logs` (its live stream is unavailable).
fn polls_logs(state: &AppState) -> bool {
    match state.route() {
        Route::Deployment {
            id,
            tab: crate::app::state::DeploymentTab::Logs,
        } => state.live.polls_logs(id),
        _ => false,
    }
}

/// Whether a deployment on screen is DEPLOYING (the view then follows it more closely).
fn shows_deploying(state: &AppState) -> bool {
    match state.route() {
        Route::Deployment { id, .. } => state
            .cache
            .deployment(id)
            .is_some_and(|d| d.status == DeploymentStatus::Deploying),
        Route::Workspace {
            id,
            tab: WorkspaceTab::Deployments,
        } => state
            .cache
            .deployments(id)
            .is_some_and(|l| l.iter().any(|d| d.status == DeploymentStatus::Deploying)),
        _ => false,
    }
}

pub(crate) fn on_tick(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    state.now = now;
    super::messages::expire(state);
    freshness::on_tick(state);
    match state.net.next_refresh_at {
        Some(due) if now >= due => refresh_visible(state, false),
        _ => vec![],
    }
}
