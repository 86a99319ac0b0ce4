//! The fleet's scheduler (see `app::fleet` for the budget): while a fleet view is shown, send
//! each deployment's reads it never had, then at most one read per deployment per
//! `MIN_INTERVAL_SECS` (the stalest), never more than `MAX_IN_FLIGHT` at once and one per
//! deployment. Called on every refresh of the view and after each of its replies, so a slot
//! that frees up is used at once.

use super::airflow::fetch_at;
use crate::app::airflow::{AirflowRequest, AirflowTarget};
use crate::app::all_deployments::lists;
use crate::app::effect::Effect;
use crate::app::fleet::{MAX_IN_FLIGHT, MIN_INTERVAL_SECS, progress, reads, shown};
use crate::app::state::AppState;
use crate::houston::model::Timestamp;

/// Send what is due, within the bounds.
pub(crate) fn pump(state: &mut AppState) -> Vec<Effect> {
    if !shown(state.route()) {
        return vec![];
    }
    let mut effects = Vec::new();
    for (request, target) in due(state) {
        state
            .fleet
            .last_sent
            .insert(target.deployment.clone(), state.now);
        state.fleet.in_flight.insert(request.clone());
        effects.extend(fetch_at(state, request, target));
    }
    state.fleet.progress = progress(state.route(), &state.cache);
    effects
}

/// The reads to send now, in the view's list order, as many as there are free slots.
fn due(state: &AppState) -> Vec<(AirflowRequest, AirflowTarget)> {
    let free = MAX_IN_FLIGHT.saturating_sub(state.fleet.in_flight.len());
    let interval = chrono::Duration::seconds(MIN_INTERVAL_SECS);
    let mut out = Vec::new();
    if free == 0 {
        return out;
    }
    for d in lists(&state.cache).parts.iter().flat_map(|p| p.iter()) {
        if d.url("airflow").is_none() {
            continue;
        }
        let wanted = reads(state.route(), &d.id);
        if wanted.iter().any(|r| state.fleet.in_flight.contains(r)) {
            continue;
        }
        let never_read = wanted
            .iter()
            .find(|r| state.cache.airflow.remote(r).is_none())
            .cloned();
        let rested = || {
            state
                .fleet
                .last_sent
                .get(&d.id)
                .is_none_or(|at| state.now - *at >= interval)
        };
        let request = match never_read {
            Some(request) => request,
            None if rested() => match stalest(state, wanted) {
                Some(request) => request,
                None => continue,
            },
            None => continue,
        };
        let Some(target) = AirflowTarget::of(d) else {
            continue;
        };
        out.push((request, target));
        if out.len() == free {
            break;
        }
    }
    out
}

/// The read whose answer (data or failure) is oldest.
fn stalest(state: &AppState, wanted: Vec<AirflowRequest>) -> Option<AirflowRequest> {
    wanted.into_iter().min_by_key(|r| answered_at(state, r))
}

fn answered_at(state: &AppState, request: &AirflowRequest) -> Option<Timestamp> {
    use crate::app::remote::Remote;
    match state.cache.airflow.remote(request)? {
        Remote::Failed { at, .. } | Remote::Ready { at, .. } => Some(*at),
        other => other.data_at(),
    }
}

/// A reply to one of the fleet's reads: free its slot. Returns whether it was one.
pub(crate) fn on_reply(state: &mut AppState, request: &AirflowRequest) -> bool {
    state.fleet.in_flight.remove(request)
}
