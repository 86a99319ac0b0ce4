//! A change whose request timed out may or may not have been applied: say so, re-read what it
//! touches, and tell the user what the server now holds. The form that sent it stays locked (a
//! second submit sends nothing) until the check shows the change did not happen; only then may
//! it be sent again, so a retry never applies a change twice.

use chrono::Duration;

use super::messages::{error, flash};
use super::mutations::{after_success, doing};
use crate::app::applied::{self, Unsure};
use crate::app::effect::{Effect, Schedule};
use crate::app::modal::Modal;
use crate::app::state::AppState;
use crate::houston::mutation::Mutation;
use crate::houston::request::Request;

/// How long a re-read that failed (or was cancelled) waits before it is asked again.
pub(crate) const RETRY_SECS: i64 = 5;

/// The position of the form waiting for mutation `id`, if it is still open.
fn form_of(state: &AppState, id: u64) -> Option<usize> {
    state
        .ui
        .modals
        .iter()
        .position(|m| matches!(m, Modal::Form(f) if f.form.pending == Some(id)))
}

/// Put `text` on the form waiting for `id` (locked or not), else nowhere.
fn tell_form(state: &mut AppState, id: u64, text: &str, unlock: bool) {
    if let Some(i) = form_of(state, id)
        && let Some(Modal::Form(f)) = state.ui.modals.get_mut(i)
    {
        f.form.error = Some(text.to_string());
        if unlock {
            f.form.pending = None;
        }
        // A review left above the form has served its purpose.
        state.ui.modals.truncate(i + 1);
    }
}

/// Mutation `id` timed out: start checking whether it was applied.
pub(crate) fn on_timeout(
    state: &mut AppState,
    id: u64,
    mutation: Mutation,
    before: Option<usize>,
) -> Vec<Effect> {
    const UNSURE: &str = "timed out: it may or may not have been applied — checking…";
    // The form's title says what was sent; the message line says it too.
    tell_form(state, id, &format!("The request {UNSURE}"), false);
    error(state, format!("{} {UNSURE}", doing(&mutation)));
    let waiting = applied::rereads(&state.cache, &mutation);
    let changed = applied::changed_fields(&state.cache, &mutation);
    let effects = waiting.iter().cloned().map(Schedule::fetch).collect();
    state.net.unsure.push(Unsure {
        id,
        mutation,
        before,
        changed,
        waiting,
        retry_at: state.now + Duration::seconds(RETRY_SECS),
    });
    effects
}

/// A reply to `request` arrived (`fresh`: it succeeded and is the newest): conclude the checks
/// it completes.
pub(crate) fn on_reread(state: &mut AppState, request: &Request, fresh: bool) -> Vec<Effect> {
    if !fresh || state.net.unsure.is_empty() {
        return vec![];
    }
    for u in &mut state.net.unsure {
        u.waiting.retain(|r| r != request);
    }
    let (done, open): (Vec<Unsure>, Vec<Unsure>) = std::mem::take(&mut state.net.unsure)
        .into_iter()
        .partition(|u| u.waiting.is_empty());
    state.net.unsure = open;
    done.into_iter().flat_map(|u| conclude(state, u)).collect()
}

/// Ask again for re-reads that have not answered in time.
pub(crate) fn on_tick(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let mut again = Vec::new();
    for u in &mut state.net.unsure {
        if u.retry_at <= now {
            u.retry_at = now + Duration::seconds(RETRY_SECS);
            again.extend(u.waiting.iter().cloned());
        }
    }
    again.sort();
    again.dedup();
    again.retain(|r| !state.net.in_flight.contains(r));
    again.into_iter().map(Schedule::fetch).collect()
}

/// The fresh data is in: say what the server holds and whether the change is there.
fn conclude(state: &mut AppState, u: Unsure) -> Vec<Effect> {
    let Some(verdict) = applied::check(&state.cache, &u.mutation, u.before, &u.changed) else {
        // Unknown either way: the form stays locked (Esc closes it) rather than risk a double.
        let text = format!(
            "{} timed out and could not be checked: look at the data (Ctrl-r) before trying again",
            doing(&u.mutation)
        );
        tell_form(state, u.id, &text, false);
        error(state, text);
        return vec![];
    };
    if !verdict.applied {
        let text = format!("checked: {} — the change was not applied", verdict.holds);
        let retry = form_of(state, u.id).is_some();
        tell_form(state, u.id, &format!("{text}; submit again to retry"), true);
        error(
            state,
            if retry {
                format!("{text}; submit again to retry")
            } else {
                text
            },
        );
        return vec![];
    }
    if let Some(i) = form_of(state, u.id) {
        state.ui.modals.truncate(i);
    }
    let effects = after_success(state, &u.mutation);
    match &u.mutation {
        // Its key came only in the reply that never arrived.
        Mutation::CreateServiceAccount { .. } => error(
            state,
            format!(
                "checked: {} — it was created, but its API key was in the lost reply: delete it \
                 and create another to get a key",
                verdict.holds
            ),
        ),
        _ => flash(
            state,
            format!("checked: {} — the change was applied", verdict.holds),
        ),
    }
    effects
}
