//! The keys that change something (`n`, `e`, `Ctrl-d`, `u`, `U`, `i`, `p`): the screen's row of
//! the registry (`app::changes`) says what the key opens; this carries it out.

use super::dialogs::open_form;
use super::messages::{error, flash};
use crate::app::changes::{self, Then};
use crate::app::effect::{Effect, Schedule};
use crate::app::keymap::Action;
use crate::app::modal::{Confirm, Modal};
use crate::app::state::AppState;

pub(crate) fn on_change_action(state: &mut AppState, action: Action) -> Vec<Effect> {
    let Some(change) = changes::find(state.screen(), action) else {
        return vec![];
    };
    let mut effects = Vec::new();
    for then in (change.run)(state) {
        effects.extend(carry_out(state, then));
    }
    effects
}

fn carry_out(state: &mut AppState, then: Then) -> Vec<Effect> {
    match then {
        Then::Form(kind) => open_form(state, kind),
        Then::Confirm(c) => confirm(state, *c),
        // Deleted from a base: if the variable changes on the server meanwhile, a conflict.
        Then::DeleteVariable { deployment, key } => {
            match super::recheck::delete_confirm(state, &deployment, &key) {
                Some(c) => confirm(state, c),
                None => vec![],
            }
        }
        Then::AwaitFullDeployment(id) => super::full_deployment::await_full_deployment(state, id),
        Then::AwaitRuntimeReleases(id) => super::full_deployment::await_runtime_releases(state, id),
        Then::Error(text) => {
            error(state, text);
            vec![]
        }
        Then::Flash(text) => {
            flash(state, text);
            vec![]
        }
        Then::Ensure(request) => vec![Schedule::ensure(request)],
    }
}

fn confirm(state: &mut AppState, confirm: Confirm) -> Vec<Effect> {
    if super::mutations::refused_read_only(state) {
        return vec![];
    }
    state.ui.modals.push(Modal::Confirm(confirm));
    vec![]
}
