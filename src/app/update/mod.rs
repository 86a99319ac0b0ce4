//! The pure reducer: `update(state, msg) -> effects`. No I/O and no clock reads — time arrives in
//! messages — so every flow is testable without a terminal or a network. Split by concern:
//! navigation, refresh, login, the filter line, dialogs (forms, confirmations), the changes each
//! screen offers, and mutations.

mod actions;
mod admin;
pub mod airflow;
mod airflow_drill;
mod all_deployments;
mod contexts;
mod dag_marks;
mod deploy_search;
mod describe;
mod dialogs;
mod filter;
mod fleet;
mod full_deployment;
mod history;
mod login;
mod logs;
mod menu;
mod messages;
mod metrics;
mod mouse;
mod mutations;
mod nav;
mod palette;
mod recheck;
mod refresh;
// The freshness policy is part of fetching; its reply handlers are reached as before.
use refresh::freshness;
mod replies;
mod session;
mod sort;
mod streams;
mod timeouts;

use crossterm::event::KeyEvent;

pub use super::freshness::{MAX_BACKOFF_SECS, backoff_secs};
pub use logs::log_page;

use super::effect::{Effect, Schedule};
use super::keymap::{self, Action, KeyScope};
use super::modal::{Modal, UrlKind};
use super::msg::Msg;
use super::state::AppState;

/// The first effects after start: log in or fetch who we are.
pub fn init(state: &mut AppState) -> Vec<Effect> {
    let mut effects = vec![Schedule::visible(false)];
    effects.extend(streams::sync(state));
    if state.ui.clipboard.in_tmux {
        // Known before the first copy, so no copy is claimed that tmux may drop.
        effects.push(Effect::QueryTmuxClipboard);
    }
    refresh::schedule(state, effects)
}

pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    let mut effects = match msg {
        Msg::Tick(now) => {
            let mut effects = refresh::on_tick(state, now);
            effects.extend(timeouts::on_tick(state));
            effects
        }
        Msg::Resize(w, h) => {
            state.ui.size = (w, h);
            nav::on_resize(state, h);
            vec![]
        }
        Msg::Key(key) => on_key(state, key),
        Msg::Mouse(event) => mouse::on_mouse(state, event),
        Msg::TmuxClipboard(setting) => {
            state.ui.clipboard.tmux_set_clipboard = setting;
            vec![]
        }
        Msg::Paste(text) => {
            on_paste(state, &text);
            vec![]
        }
        Msg::Api {
            request,
            seq,
            at,
            result,
        } => replies::on_reply(state, request, seq, at, result),
        Msg::Focus(focused) => freshness::on_focus(state, focused),
        Msg::Mutated { id, at, result } => mutations::on_mutated(state, id, at, result),
        Msg::AirflowReply {
            request,
            seq,
            at,
            result,
        } => airflow::on_reply(state, request, seq, at, result),
        Msg::AirflowMutated { id, at, result } => airflow::on_mutated(state, id, at, result),
        Msg::LoginResult { at: _, result } => login::on_result(state, result),
        Msg::OpenResult { url, what, outcome } => nav::on_open_result(state, url, what, outcome),
        Msg::CopyResult {
            text,
            label,
            outcome,
        } => {
            nav::on_copy_result(state, &text, &label, outcome);
            vec![]
        }
        Msg::FileRead { path, result } => dialogs::on_file_read(state, path, result),
        Msg::Stream { id, at, event } => streams::on_stream(state, id, at, event),
        Msg::FileWritten { path, result } => {
            logs::on_saved(state, path, result);
            vec![]
        }
        Msg::Connected { context, result } => contexts::on_connected(state, &context, result),
    };
    messages::expire(state);
    // Streams follow the view: whatever changed, start and stop them to match.
    effects.extend(streams::sync(state));
    let mut effects = refresh::schedule(state, effects);
    // So do the DAGs tab's per-DAG reads, once the view is settled.
    effects.extend(dag_marks::pump(state));
    effects
}

fn on_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let scope = state.key_scope();
    let action = keymap::resolve(state, scope, &key);
    if crate::ui::too_small(state.ui.size) {
        // Only the size notice is shown: a key must not act on the hidden screen. `q` quits,
        // as the notice says, even over a form (the screen's keys, not the form's).
        let screen = KeyScope::Screen(state.screen());
        return match keymap::resolve(state, screen, &key) {
            Some(Action::Quit) => quit(state),
            _ => vec![],
        };
    }
    match scope {
        KeyScope::Login if action == Some(Action::Palette) => palette::open(state),
        KeyScope::Login => login::on_key(state, key, action),
        KeyScope::Palette => palette::on_key(state, key, action),
        KeyScope::Describe => describe::on_key(state, action),
        KeyScope::Search => describe::on_search_key(state, key, action),
        KeyScope::CopyMenu | KeyScope::Contexts => menu::on_key(state, &key, action),
        KeyScope::Filter => filter::on_key(state, key, action),
        KeyScope::Help => dialogs::on_help_key(state, action),
        KeyScope::Url => dialogs::on_url_key(state, action),
        KeyScope::Form => dialogs::on_form_key(state, key, action),
        KeyScope::Confirm => dialogs::on_confirm_key(state, key, action),
        KeyScope::Conflict => recheck::on_conflict_key(state, action),
        KeyScope::ApiKey => dialogs::on_api_key_key(state, action),
        KeyScope::LogPrompt => logs::on_prompt_key(state, key, action),
        KeyScope::Screen(_) => match action {
            Some(action) => on_screen_action(state, action, &key),
            None => {
                // A key bound to something unusable here says why instead of doing nothing.
                if let Some(reason) = keymap::why_not(state, scope, &key) {
                    messages::error(state, reason);
                }
                vec![]
            }
        },
    }
}

fn on_paste(state: &mut AppState, text: &str) {
    if crate::ui::too_small(state.ui.size) {
        return;
    }
    match state.key_scope() {
        KeyScope::Login => login::paste(state, text),
        KeyScope::Filter => filter::paste(state, text),
        KeyScope::Form => dialogs::paste_into_form(state, text),
        KeyScope::Confirm => dialogs::paste_into_confirm(state, text),
        KeyScope::LogPrompt => logs::paste(state, text),
        KeyScope::Palette => palette::paste(state, text),
        KeyScope::Search => describe::paste_into_search(state, text),
        _ => {}
    }
}

pub(crate) fn quit(state: &mut AppState) -> Vec<Effect> {
    state.quit = true;
    vec![Effect::Quit]
}

fn on_screen_action(state: &mut AppState, action: Action, key: &KeyEvent) -> Vec<Effect> {
    // The live tabs first: they own scrolling, search and Esc while shown.
    if let Some(effects) = logs::on_action(state, action) {
        return effects;
    }
    if let Some(effects) = admin::on_action(state, action) {
        return effects;
    }
    if let Some(effects) = metrics::on_action(state, action) {
        return effects;
    }
    match action {
        Action::Up => nav::move_selection(state, |sel, _, _| sel.saturating_sub(1)),
        Action::Down => nav::move_selection(state, |sel, _, _| sel.saturating_add(1)),
        Action::Top => nav::move_selection(state, |_, _, _| 0),
        Action::Bottom => nav::move_selection(state, |_, len, _| len.saturating_sub(1)),
        Action::PageUp => nav::move_selection(state, |sel, _, page| sel.saturating_sub(page)),
        Action::PageDown => nav::move_selection(state, |sel, _, page| sel.saturating_add(page)),
        Action::Open => return nav::open_selected(state),
        Action::Back => return nav::back(state),
        Action::NextTab => return nav::switch_tab(state, |i, n| (i + 1) % n),
        Action::PrevTab => return nav::switch_tab(state, |i, n| (i + n - 1) % n),
        Action::TabByNumber => return nav::tab_by_number(state, key),
        Action::Help => state.ui.modals.push(Modal::Help { scroll: 0 }),
        Action::Filter => filter::start(state),
        Action::OpenAirflow => return nav::open_link(state, UrlKind::Airflow),
        Action::OpenFlower => return nav::open_link(state, UrlKind::Flower),
        Action::Copy => return menu::open_copy_menu(state),
        Action::AllDeployments => return nav::open_all_deployments(state),
        Action::SystemAdmin => return nav::open_admin(state),
        Action::Palette => return palette::open(state),
        Action::PreviousView => return history::previous_view(state),
        Action::SortNext => sort::next_column(state),
        Action::SortReverse => sort::reverse(state),
        Action::Describe => return describe::open(state),
        Action::SwitchList => nav::switch_list(state),
        Action::Refresh => {
            messages::flash(state, "Refreshing…");
            return vec![Schedule::visible(true)];
        }
        Action::Quit => return quit(state),
        Action::OpenLogs => return logs::open(state),
        Action::New
        | Action::Edit
        | Action::Delete
        | Action::Upgrade
        | Action::CancelUpgrade
        | Action::Import
        | Action::PersonalSettings
        | Action::Pause
        | Action::Trigger
        | Action::ClearTask
        | Action::Mark => return actions::on_change_action(state, action),
        // The keys of other key scopes (forms, dialogs, overlays, the filter line, the palette)
        // and of the live tabs (handled above while they are shown) do nothing on a screen.
        _ => {}
    }
    vec![]
}
