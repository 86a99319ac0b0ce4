//! `:deploy NAME` for a deployment in a workspace not opened yet: the palette asks for the
//! platform-wide list (the one the all-deployments view reads) and opens the deployment when
//! that list has come — or says it found nothing.

use super::messages::{error, flash};
use super::refresh::ensure;
use crate::app::all_deployments::search_requests;
use crate::app::effect::Effect;
use crate::app::state::AppState;

/// Nothing loaded matches `wanted`: fetch what is missing of the platform-wide list and try
/// again when it is here. `Err` when that list is already complete (nothing more to look at).
pub fn start(state: &mut AppState, wanted: &str) -> Result<Vec<Effect>, String> {
    let missing = search_requests(&state.cache);
    if missing.is_empty() {
        return Err(format!("No deployment matches {wanted}"));
    }
    state.ui.deploy_search = Some(wanted.to_string());
    flash(
        state,
        format!("Looking for {wanted} among every deployment…"),
    );
    Ok(missing
        .into_iter()
        .flat_map(|request| ensure(state, request))
        .collect())
}

/// A reply came: once the platform-wide list is complete, run the `:deploy` that waited.
pub fn on_reply(state: &mut AppState) -> Vec<Effect> {
    if state.ui.deploy_search.is_none() || !search_requests(&state.cache).is_empty() {
        return vec![];
    }
    let Some(wanted) = state.ui.deploy_search.take() else {
        return vec![];
    };
    if state
        .ui
        .message
        .as_ref()
        .is_some_and(|m| m.text.starts_with("Looking for "))
    {
        state.ui.message = None;
    }
    match super::palette::open_deployment(state, &wanted) {
        Ok(effects) => effects,
        Err(problem) => {
            error(state, format!(":deploy {wanted} — {problem}"));
            vec![]
        }
    }
}
