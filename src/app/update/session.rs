//! The session's end: the token is refused or the user logs out, and the login screen takes
//! over (remembering the view, so the same user returns there).

use crate::app::effect::{Effect, Schedule};
use crate::app::state::{AppState, LoginState};
use crate::houston::model::UserId;
use crate::houston::request::Request;

/// Houston no longer accepts the token: say so and show the login screen, remembering where
/// the user was so the same user returns there.
pub(crate) fn session_ended(state: &mut AppState, text: &str) -> Vec<Effect> {
    let reason = if state.cache.me().is_some() {
        format!("Your session ended: Houston no longer accepts the token ({text}). Log in again.")
    } else {
        format!("Houston did not accept the token: {text}")
    };
    to_login(state, Some(reason))
}

/// Drop everything tied to the old token and show the login screen.
pub(crate) fn to_login(state: &mut AppState, reason: Option<String>) -> Vec<Effect> {
    let mut effects: Vec<Effect> = std::mem::take(&mut state.net.in_flight)
        .into_iter()
        .map(Effect::Cancel)
        .collect();
    state.net.latest_seq.clear();
    // A token refused at once: the login screen comes back as the user left it, with the error.
    let mut login = match state.session.last_login.take() {
        Some(mut previous) if state.cache.me().is_none() => {
            previous.form_mut().error = reason;
            previous.submitting = false;
            previous
        }
        _ => LoginState::new(reason),
    };
    if let Some(me) = state.me() {
        login.return_to = Some((me.user_id().cloned(), state.nav.routes.clone()));
    }
    state.session.login = Some(login);
    state.ui.modals.clear();
    state.ui.filter_input = None;
    state.ui.message = None;
    state.ui.deploy_search = None;
    state.net.failures = 0;
    state.cache.forget(&Request::Me);
    effects.push(Schedule::visible(true));
    effects
}

/// After a new login: the same user goes back to the view they were on.
pub(crate) fn restore_view(state: &mut AppState, me: Option<&UserId>) {
    if let Some((previous, routes)) = state.session.return_to.take()
        && previous.as_ref() == me
        && me.is_some()
    {
        state.nav.routes = routes;
    }
}
