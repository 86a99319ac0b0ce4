//! `:ctx` lists the installations and switches between them — each keeps its session, data and
//! view to come back to; the switch happens when the executor answers `Effect::Connect` with a
//! connection (`Msg::Connected`), so a context whose connection cannot be set up (a URL or CA file
//! that cannot be used) changes nothing —
//! and `:logout` forgets the current context's token (in memory; no
//! token is ever written anywhere) and shows the login screen.

use std::collections::HashMap;

use super::messages::{session_error, session_flash};
use super::session::to_login;
use crate::app::cache::Cache;
use crate::app::contexts::{SavedContext, new_nav, new_session};
use crate::app::effect::{Effect, Schedule};
use crate::app::menu::{Menu, MenuAction, MenuItem, MenuKind};
use crate::app::modal::Modal;
use crate::app::palette::best_matches;
use crate::app::state::AppState;
use crate::config::ContextEntry;

/// `:ctx`: the installations, the current one selected.
pub(crate) fn open_list(state: &mut AppState) -> Vec<Effect> {
    let current = state.session.context_name.clone();
    let items: Vec<MenuItem> = state
        .contexts
        .entries
        .iter()
        .map(|e| {
            let saved = state.contexts.saved.contains_key(&e.name);
            let status = match (&e.problem, e.name == current) {
                (Some(problem), _) => problem.clone(),
                (None, true) => "current".into(),
                (None, false) if saved => "visited: its view is kept".into(),
                (None, false) if e.token.is_some() => "token".into(),
                (None, false) => "log in".into(),
            };
            MenuItem {
                label: e.name.clone(),
                detail: format!("{} · {} · {status}", e.source.label(), e.url),
                current: e.name == current,
                action: MenuAction::SwitchContext(e.name.clone()),
            }
        })
        .collect();
    let mut menu = Menu::new(MenuKind::Contexts, "Contexts", items);
    menu.selected = menu.items.iter().position(|i| i.current).unwrap_or(0);
    state.ui.modals.push(Modal::Menu(menu));
    vec![]
}

/// The context `wanted` names: exactly, in any case, or the one it fuzzy-matches best.
fn find(state: &AppState, wanted: &str) -> Result<ContextEntry, String> {
    let entries = &state.contexts.entries;
    if let Some(e) = entries
        .iter()
        .find(|e| e.name == wanted)
        .or_else(|| entries.iter().find(|e| e.name.eq_ignore_ascii_case(wanted)))
    {
        return Ok(e.clone());
    }
    let names = || {
        entries
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match best_matches(wanted, entries, |e| vec![e.name.as_str()]).as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(format!(
            "No context called {wanted} (contexts: {})",
            names()
        )),
        several => Err(format!(
            "{wanted} matches {} contexts ({}): type more of the name",
            several.len(),
            several
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// `:ctx NAME`: ask the executor for `NAME`'s connection; the context is entered when it
/// answers that it has one (`on_connected`), so a context whose client cannot be made leaves
/// the user where they were.
pub(crate) fn switch(state: &mut AppState, wanted: &str) -> Result<Vec<Effect>, String> {
    let entry = find(state, wanted)?;
    let name = entry.name.clone();
    if name == state.session.context_name {
        session_flash(state, format!("Already on context {name}"));
        return Ok(vec![]);
    }
    if let Some(problem) = &entry.problem {
        return Err(format!("Context {name} cannot be used: {problem}"));
    }
    if !state.net.mutations.is_empty() {
        return Err("A change is still being sent: switch contexts once it is done".into());
    }
    let token = match state.contexts.saved.get(&name) {
        Some(saved) => saved.token.clone(),
        None => entry.token.clone(),
    };
    Ok(vec![Effect::Connect {
        context: name,
        url: entry.url.clone(),
        token,
        trust: entry.trust.clone(),
    }])
}

/// The executor's answer to `Effect::Connect`: enter the context it now talks to, or stay and
/// say why it could not.
pub(crate) fn on_connected(
    state: &mut AppState,
    context: &str,
    result: Result<(), String>,
) -> Vec<Effect> {
    match result {
        Err(why) => {
            session_error(state, format!("Cannot connect to context {context}: {why}"));
            vec![]
        }
        // The same context reconnected (a logout): the reducer already did its part.
        Ok(()) if context == state.session.context_name => vec![],
        Ok(()) => match find(state, context) {
            Ok(entry) => enter(state, entry),
            Err(why) => {
                session_error(state, why);
                vec![]
            }
        },
    }
}

/// Leave the current context (its session, data and view are kept) and enter `entry` where it
/// was left, or fresh — the login screen when it has no token.
fn enter(state: &mut AppState, entry: ContextEntry) -> Vec<Effect> {
    let name = entry.name.clone();
    // Nothing of the old context may arrive in the new one.
    let mut effects: Vec<Effect> = std::mem::take(&mut state.net.in_flight)
        .into_iter()
        .map(Effect::Cancel)
        .collect();
    // Live streams run with the old connection's token: stop them; the view restarts its own.
    effects.extend(
        std::mem::take(&mut state.live.running)
            .into_keys()
            .map(Effect::Unsubscribe),
    );
    state.live.logs = None;
    state.live.metrics = None;
    // Highlights, queued lists and load marks belong to the context left.
    state.freshness.reset();
    state.net.latest_seq.clear();
    state.net.failures = 0;
    state.net.round_failed = false;
    state.net.next_refresh_at = None;
    state.ui.modals.clear();
    state.ui.filter_input = None;
    state.ui.message = None;
    // A `:deploy` search belongs to the context it was typed in.
    state.ui.deploy_search = None;

    let mut session = state.session.clone();
    if let Some(login) = session.login.as_mut() {
        // A login on its way is dropped with the old connection: it can be sent again there.
        login.submitting = false;
    }
    let left = SavedContext {
        session,
        cache: std::mem::take(&mut state.cache),
        nav: std::mem::replace(&mut state.nav, new_nav()),
        tables: std::mem::take(&mut state.ui.tables),
        token: state.contexts.token.take(),
    };
    state
        .contexts
        .saved
        .insert(left.session.context_name.clone(), left);

    // Airflow data is read again in the other installation (its replies in flight are dropped).
    state.airflow = Default::default();
    let back = state.contexts.saved.remove(&name);
    let token = match back {
        Some(saved) => {
            state.session = saved.session;
            state.cache = saved.cache;
            state.nav = saved.nav;
            state.ui.tables = saved.tables;
            saved.token
        }
        None => {
            state.session = new_session(&entry, state.session.refresh);
            state.cache = Cache::default();
            state.ui.tables = HashMap::new();
            entry.token.clone()
        }
    };
    state.contexts.token = token;
    state.ui.theme = state.contexts.theme_of(&name);
    super::sort::reapply_current_table(state);
    effects.push(Schedule::visible(true));
    session_flash(state, format!("Switched to context {name}"));
    effects
}

/// `:logout`: forget this context's token and everything fetched with it, and show the login
/// screen. Nothing is written to disk: the token only ever lived in memory here.
pub(crate) fn logout(state: &mut AppState) -> Vec<Effect> {
    let name = state.session.context_name.clone();
    state.contexts.token = None;
    if let Some(entry) = state.contexts.entries.iter_mut().find(|e| e.name == name) {
        entry.token = None;
    }
    state.session.token_expires_at = None;
    state.session.return_to = None;
    state.session.last_login = None;
    state.reset_remote_data();
    let (url, trust) = match state.contexts.entry(&name) {
        Some(e) => (e.url.clone(), e.trust.clone()),
        None => (
            state.session.houston_url.clone().unwrap_or_default(),
            Default::default(),
        ),
    };
    let mut effects = vec![Effect::Connect {
        context: name,
        url,
        token: None,
        trust,
    }];
    effects.extend(to_login(
        state,
        Some(
            "Logged out: the token is forgotten. Log in again, or switch context (C-p :ctx)."
                .into(),
        ),
    ));
    effects
}
