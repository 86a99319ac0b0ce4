//! The reducer side of `app::freshness`: statuses applied to the cached rows (and highlighted
//! when they change), full lists only once a minute while statuses cover them, workspace lists a
//! few at a time, and the refresh slowed while the terminal is out of focus.

use std::collections::{HashMap, HashSet};

use chrono::Duration as ChronoDuration;

use super::{fetch, refresh_visible};
use crate::app::effect::Effect;
use crate::app::freshness::{
    HIGHLIGHT_SECS, MAX_LISTS_IN_FLIGHT, ROWS_REFRESH_SECS, UNFOCUSED_GRACE_SECS,
    UNFOCUSED_REFRESH_SECS, is_workspace_list, rows_for, statuses_for,
};
use crate::app::state::AppState;
use crate::houston::model::*;
use crate::houston::request::{Payload, Request};

fn lists_in_flight(state: &AppState) -> usize {
    state
        .net
        .in_flight
        .iter()
        .filter(|r| is_workspace_list(r))
        .count()
}

/// Fetch `request` now — or, when it is one of many workspace lists and enough of those are
/// on their way, queue it (`pump` starts it when one answers).
pub(crate) fn fetch_bounded(state: &mut AppState, request: Request) -> Option<Effect> {
    if is_workspace_list(&request) {
        if lists_in_flight(state) >= MAX_LISTS_IN_FLIGHT {
            if !state.freshness.queue.contains(&request) {
                state.freshness.queue.push_back(request);
            }
            return None;
        }
        state.freshness.queue.retain(|r| r != &request);
    }
    Some(fetch(state, request))
}

/// Start queued workspace lists while there is room (after each reply).
pub(crate) fn pump(state: &mut AppState) -> Vec<Effect> {
    let mut effects = Vec::new();
    while lists_in_flight(state) < MAX_LISTS_IN_FLIGHT {
        let Some(request) = state.freshness.queue.pop_front() else {
            break;
        };
        if !state.net.in_flight.contains(&request) {
            effects.push(fetch(state, request));
        }
    }
    effects
}

/// Drop queued lists the view no longer wants (it changed).
pub(crate) fn prune_queue(state: &mut AppState, wanted: &[Request]) {
    if state.freshness.queue.is_empty() {
        return;
    }
    let wanted: HashSet<&Request> = wanted.iter().collect();
    state.freshness.queue.retain(|r| wanted.contains(r));
}

/// A list kept live by statuses and fetched in full recently — or nobody is looking: the
/// statuses will do this round (deployments that come or go still reload the list).
pub(crate) fn fresh_enough(state: &AppState, request: &Request, wanted: &[Request]) -> bool {
    let Some(statuses) = statuses_for(request) else {
        return false;
    };
    let failed = |r: &Request| state.cache.remote(r).is_some_and(|r| r.is_failed());
    let statuses_work = wanted.contains(&statuses) && !failed(&statuses);
    let loaded = state.freshness.rows_at.get(request);
    // A list whose last reload failed is asked again at once, not left failed for a minute.
    statuses_work
        && !failed(request)
        && loaded.is_some_and(|at| {
            away(state) || state.now - *at < ChronoDuration::seconds(ROWS_REFRESH_SECS)
        })
}

/// The terminal has been out of focus for a while.
fn away(state: &AppState) -> bool {
    state
        .freshness
        .unfocused_since
        .is_some_and(|since| state.now - since >= ChronoDuration::seconds(UNFOCUSED_GRACE_SECS))
}

/// Statuses whose full list is on its way (or queued) this round: the list brings them.
pub(crate) fn covered(state: &AppState, request: &Request) -> bool {
    rows_for(request).is_some_and(|rows| {
        state.net.in_flight.contains(&rows) || state.freshness.queue.contains(&rows)
    })
}

/// A full list arrived: note when, and highlight the rows whose status differs from before.
pub(crate) fn on_rows(
    state: &mut AppState,
    request: &Request,
    fresh: &[Deployment],
    at: Timestamp,
) {
    if statuses_for(request).is_none() {
        return;
    }
    state.freshness.rows_at.insert(request.clone(), at);
    // The rows carry the statuses: a status request that failed (the server was down) is
    // as fresh as they are, so the next round goes back to asking for statuses only.
    if let Some(statuses) = statuses_for(request)
        && state.cache.remote(&statuses).is_some()
    {
        state
            .cache
            .succeed(statuses, Payload::Statuses(Vec::new()), at);
    }
    let Some(Payload::Deployments(old)) = state.cache.remote(request).and_then(|r| r.data()) else {
        return;
    };
    let before: HashMap<&str, DeploymentStatus> =
        old.iter().map(|d| (d.id.as_str(), d.status)).collect();
    for d in fresh {
        if before.get(d.id.as_str()).is_some_and(|s| *s != d.status) {
            state.freshness.changed.insert(d.id.clone(), at);
        }
    }
}

/// Statuses arrived: apply them to the cached rows (highlighting changes), or fetch the list
/// again when deployments came or went.
pub(crate) fn on_statuses(
    state: &mut AppState,
    request: Request,
    statuses: &[DeploymentStatusRow],
    at: Timestamp,
) -> Vec<Effect> {
    let Some(rows) = rows_for(&request) else {
        return vec![];
    };
    // Only a freshness mark is kept: the statuses themselves live in the rows.
    state
        .cache
        .succeed(request, Payload::Statuses(Vec::new()), at);
    let fresh: HashMap<&str, DeploymentStatus> =
        statuses.iter().map(|s| (s.id.as_str(), s.status)).collect();
    let Some(Payload::Deployments(list)) = state.cache.remote(&rows).and_then(|r| r.data()) else {
        return vec![];
    };
    let same_deployments =
        list.len() == fresh.len() && list.iter().all(|d| fresh.contains_key(d.id.as_str()));
    if !same_deployments {
        // Deployments came or went: only the full list says what they are.
        if state.net.in_flight.contains(&rows) {
            return vec![];
        }
        state.freshness.rows_at.remove(&rows);
        return fetch_bounded(state, rows).into_iter().collect();
    }
    let changed: Vec<DeploymentId> = list
        .iter()
        .filter(|d| fresh.get(d.id.as_str()).is_some_and(|s| *s != d.status))
        .map(|d| d.id.clone())
        .collect();
    for id in &changed {
        state.freshness.changed.insert(id.clone(), at);
    }
    state.cache.patch(&rows, at, |payload| {
        let Payload::Deployments(list) = payload else {
            return false;
        };
        let mut any = false;
        for d in list.iter_mut() {
            if let Some(&status) = fresh.get(d.id.as_str())
                && status != d.status
            {
                d.status = status;
                any = true;
            }
        }
        any
    });
    vec![]
}

/// The clock moved: highlights fade.
pub(crate) fn on_tick(state: &mut AppState) {
    let now = state.now;
    state
        .freshness
        .changed
        .retain(|_, at| now - *at < ChronoDuration::seconds(HIGHLIGHT_SECS));
}

/// The terminal gained or lost focus. Back after a long absence, the view refreshes at once.
pub(crate) fn on_focus(state: &mut AppState, focused: bool) -> Vec<Effect> {
    if !focused {
        state.freshness.unfocused_since.get_or_insert(state.now);
        return vec![];
    }
    let was_away = away(state);
    state.freshness.unfocused_since = None;
    if was_away {
        return refresh_visible(state, false);
    }
    vec![]
}

/// The refresh interval `every`, slowed once the terminal has been out of focus for a while.
pub(crate) fn paced_interval(state: &AppState, every: ChronoDuration) -> ChronoDuration {
    if away(state) {
        every.max(ChronoDuration::seconds(UNFOCUSED_REFRESH_SECS))
    } else {
        every
    }
}
