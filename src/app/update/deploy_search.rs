//! `:deploy NAME` for a deployment no loaded list holds: the palette asks for the platform-wide
//! list (the one the all-deployments view reads) and, when Houston refuses it, reads the
//! deployment itself by release name (a deployment service account's key lists nothing,
//! yet may read its deployment). The deployment opens when it has come — or the message line
//! says nothing matches.

use super::messages::{error, flash};
use crate::app::all_deployments::{direct_request, lookup_requests, search_requests};
use crate::app::effect::{Effect, Schedule};
use crate::app::state::AppState;
use crate::houston::request::{Payload, Request};

/// Nothing loaded matches `wanted`: fetch what may hold it and try again when it is here.
/// `Err` when everything has been looked at.
pub(crate) fn start(state: &mut AppState, wanted: &str) -> Result<Vec<Effect>, String> {
    let missing = lookup_requests(&state.cache, wanted);
    if missing.is_empty() {
        return Err(format!("No deployment matches {wanted}"));
    }
    state.ui.deploy_search = Some(wanted.to_string());
    flash(
        state,
        format!("Looking for {wanted} among every deployment…"),
    );
    Ok(missing.into_iter().map(Schedule::ensure).collect())
}

/// A reply came: once the lists (and a direct read, if one was asked) are here, run the
/// `:deploy` that waited — which may still ask for the direct read, when no list has it.
pub(crate) fn on_reply(state: &mut AppState) -> Vec<Effect> {
    let Some(wanted) = state.ui.deploy_search.clone() else {
        return vec![];
    };
    let direct = direct_request(&wanted);
    if !search_requests(&state.cache).is_empty() || state.net.in_flight.contains(&direct) {
        return vec![];
    }
    state.ui.deploy_search = None;
    if state
        .ui
        .message
        .as_ref()
        .is_some_and(|m| m.text.starts_with("Looking for "))
    {
        state.ui.message = None;
    }
    let failed = state.cache.remote(&direct).is_some_and(|r| r.is_failed());
    // Read directly: kept as the deployment's own fetch, then opened by id.
    let target = match state.cache.remote(&direct).and_then(|r| r.data()) {
        Some(Payload::Deployment(d)) => {
            let d = d.clone();
            let id = d.id.to_string();
            let at = state.now;
            state.cache.succeed(
                Request::Deployment(d.id.clone()),
                Payload::Deployment(d),
                at,
            );
            id
        }
        _ => wanted.clone(),
    };
    let result = super::palette::open_deployment(state, &target);
    if failed {
        // Asked again later, the direct read is tried again (it may be shared by then). A
        // deployment found stays: the account dashboard lists it for the session.
        state.cache.forget(&direct);
    }
    match result {
        Ok(effects) => effects,
        Err(problem) => {
            error(state, format!(":deploy {wanted} — {problem}"));
            vec![]
        }
    }
}
