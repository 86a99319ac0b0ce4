//! An edit asked for on a list row waits for the whole deployment (rows lack its description
//! and resources), a Runtime upgrade for the releases it offers: fetched, then the form opens
//! if the user is still there.

use super::dialogs::open_form;
use super::messages::flash;
use crate::app::effect::{Effect, Schedule};
use crate::app::forms::FormKind;
use crate::app::state::AppState;
use crate::houston::model::DeploymentId;
use crate::houston::request::Request;

/// `e` on a list row: the edit form needs the whole deployment (description, resources),
/// which rows lack. Fetch it; the form opens when it arrives.
pub(crate) fn await_full_deployment(state: &mut AppState, id: DeploymentId) -> Vec<Effect> {
    let name = state
        .cache
        .deployment(&id)
        .map_or_else(|| id.to_string(), |d| d.label.clone());
    flash(state, format!("Loading {name}…"));
    state.freshness.awaiting_edit = Some(id.clone());
    vec![Schedule::ensure(Request::Deployment(id))]
}

/// The whole deployment arrived: open the edit form asked for, if the user is still on that
/// row with nothing open on top.
pub(crate) fn on_full_deployment(state: &mut AppState, id: &DeploymentId) -> Vec<Effect> {
    if state.freshness.awaiting_edit.as_ref() != Some(id) {
        return vec![];
    }
    state.freshness.awaiting_edit = None;
    let still_there = state.ui.modals.is_empty()
        && state.ui.filter_input.is_none()
        && state.target_deployment().is_some_and(|d| &d.id == id);
    if !still_there {
        return vec![];
    }
    if state
        .ui
        .message
        .as_ref()
        .is_some_and(|m| m.text.starts_with("Loading "))
    {
        state.ui.message = None;
    }
    open_form(state, FormKind::EditDeployment(id.clone()))
}

/// The whole deployment could not be had: stop waiting for it.
pub(crate) fn on_failed(state: &mut AppState, request: &Request) {
    if let Request::Deployment(id) = request
        && state.freshness.awaiting_edit.as_ref() == Some(id)
    {
        state.freshness.awaiting_edit = None;
    }
}

/// `u` on a Runtime deployment: its form offers the releases of the deployment's cluster.
/// Read them; the form opens when they arrive.
pub(crate) fn await_runtime_releases(state: &mut AppState, id: DeploymentId) -> Vec<Effect> {
    let Some(d) = state.cache.deployment(&id) else {
        return vec![];
    };
    let request = crate::app::forms::upgrade::releases_request(d);
    flash(
        state,
        format!("Loading the Runtime versions for {}…", d.label),
    );
    state.freshness.awaiting_upgrade = Some((id, request.clone()));
    vec![Schedule::ensure(request)]
}

/// A reply to the releases an upgrade waits for: open its form (the user still on that
/// deployment with nothing on top), or say why not.
pub(crate) fn on_runtime_releases(
    state: &mut AppState,
    request: &Request,
    failure: Option<&str>,
) -> Vec<Effect> {
    let Some((id, _)) = state
        .freshness
        .awaiting_upgrade
        .take_if(|(_, awaited)| awaited == request)
    else {
        return vec![];
    };
    if let Some(why) = failure {
        super::messages::error(
            state,
            format!("The Runtime versions could not be read: {why}"),
        );
        return vec![];
    }
    let still_there = state.ui.modals.is_empty()
        && state.ui.filter_input.is_none()
        && state.target_deployment().is_some_and(|d| d.id == id);
    if !still_there {
        return vec![];
    }
    state.ui.message = None;
    super::actions::on_change_action(state, crate::app::keymap::Action::Upgrade)
}
