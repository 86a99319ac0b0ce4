//! The refusals the all-deployments view expects (see `app::all_deployments`): the
//! platform-wide list for a caller without `system.deployments.get` switches the view to
//! reading workspace by workspace; a workspace the caller may not read is counted, not shouted.

use crate::app::all_deployments::per_workspace;
use crate::app::effect::{Effect, Schedule};
use crate::app::state::{AppState, Route};
use crate::houston::ApiError;
use crate::houston::model::Timestamp;
use crate::houston::request::Request;

/// Handles `error` when it is such a refusal; `None` for anything else.
pub(crate) fn on_refused(
    state: &mut AppState,
    request: &Request,
    error: &ApiError,
    at: Timestamp,
) -> Option<Vec<Effect>> {
    let refused = error.is_forbidden() || error.is_unsupported();
    let expected = match request {
        Request::AllDeployments | Request::AllDeploymentStatuses => refused,
        Request::Deployments(_) | Request::DeploymentStatuses(_) => {
            error.is_forbidden()
                && matches!(state.route(), Route::AllDeployments | Route::FleetRuns)
                && per_workspace(&state.cache)
        }
        _ => false,
    };
    if !expected {
        return None;
    }
    state.cache.fail(request, error.clone(), at);
    tracing::info!(?request, %error, "refused; the all-deployments view reads around it");
    let mut effects = vec![Schedule::missing()];
    if error.is_forbidden() {
        // A token that died reads as FORBIDDEN too: make sure the session is still good.
        effects.push(Schedule::ensure(Request::Me));
    }
    Some(effects)
}
