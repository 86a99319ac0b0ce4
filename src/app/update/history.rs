//! Where the user has been: every move between views is remembered (`Nav::remember`), and `-`
//! walks back through the views visited — unlike Esc, which only goes up one level.

use crate::app::effect::{Effect, Schedule};
use crate::app::state::{AppState, Route};

/// Show `routes`, remembering the current view for `-`.
pub(crate) fn go_to(state: &mut AppState, routes: Vec<Route>) -> Vec<Effect> {
    if routes.is_empty() || routes == state.nav.routes {
        return vec![];
    }
    state.nav.remember();
    state.nav.routes = routes;
    super::messages::expire(state);
    super::sort::reapply_current_table(state);
    vec![Schedule::visible(true)]
}

/// `-`: back to the view shown before the last move (again: the one before that).
pub(crate) fn previous_view(state: &mut AppState) -> Vec<Effect> {
    while let Some(routes) = state.nav.history.pop() {
        if routes != state.nav.routes && !routes.is_empty() {
            state.nav.routes = routes;
            super::messages::expire(state);
            super::sort::reapply_current_table(state);
            return vec![Schedule::visible(true)];
        }
    }
    vec![]
}
