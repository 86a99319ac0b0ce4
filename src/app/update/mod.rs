//! The pure reducer: `update(state, msg) -> effects`. No I/O and no clock reads — time arrives in
//! messages — so every flow is testable without a terminal or a network. Split by concern:
//! navigation, refresh, login, the filter line, dialogs (forms, confirmations), the changes each
//! screen offers, and mutations.

mod actions;
mod all_deployments;
mod dialogs;
mod filter;
mod live;
mod login;
mod messages;
mod mutations;
mod nav;
mod refresh;

use crossterm::event::KeyEvent;

pub use refresh::{MAX_BACKOFF_SECS, backoff_secs};

use super::effect::Effect;
use super::keymap::{self, Action, KeyContext};
use super::modal::{Modal, UrlKind};
use super::msg::Msg;
use super::state::AppState;

/// The first effects after start: log in or fetch who we are.
pub fn init(state: &mut AppState) -> Vec<Effect> {
    refresh::refresh_visible(state, false)
}

pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    let effects = match msg {
        Msg::Tick(now) => refresh::on_tick(state, now),
        Msg::Resize(_, h) => {
            nav::on_resize(state, h);
            vec![]
        }
        Msg::Key(key) => on_key(state, key),
        Msg::Paste(text) => {
            on_paste(state, &text);
            vec![]
        }
        Msg::Api {
            request,
            seq,
            at,
            result,
        } => {
            let mut effects = refresh::on_api(state, request, seq, at, result);
            // A slot may have freed up for a queued workspace list.
            effects.extend(live::pump(state));
            effects
        }
        Msg::Focus(focused) => live::on_focus(state, focused),
        Msg::Mutated { id, at, result } => mutations::on_mutated(state, id, at, result),
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
    };
    messages::expire(state);
    effects
}

fn on_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let ctx = state.key_context();
    let action = keymap::resolve(state, ctx, &key);
    match ctx {
        KeyContext::Login => login::on_key(state, key, action),
        KeyContext::Filter => filter::on_key(state, key, action),
        KeyContext::Help => dialogs::on_help_key(state, action),
        KeyContext::Url => dialogs::on_url_key(state, action),
        KeyContext::Form => dialogs::on_form_key(state, key, action),
        KeyContext::Confirm => dialogs::on_confirm_key(state, key, action),
        KeyContext::ApiKey => dialogs::on_api_key_key(state, action),
        KeyContext::Screen(_) => match action {
            Some(action) => on_screen_action(state, action, &key),
            None => vec![],
        },
    }
}

fn on_paste(state: &mut AppState, text: &str) {
    match state.key_context() {
        KeyContext::Login => login::paste(state, text),
        KeyContext::Filter => filter::paste(state, text),
        KeyContext::Form => dialogs::paste_into_form(state, text),
        KeyContext::Confirm => dialogs::paste_into_confirm(state, text),
        _ => {}
    }
}

pub(crate) fn quit(state: &mut AppState) -> Vec<Effect> {
    state.quit = true;
    vec![Effect::Quit]
}

fn on_screen_action(state: &mut AppState, action: Action, key: &KeyEvent) -> Vec<Effect> {
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
        Action::Copy => return nav::copy_selected(state),
        Action::AllDeployments => return nav::open_all_deployments(state),
        Action::Refresh => {
            messages::flash(state, "Refreshing…");
            return refresh::refresh_visible(state, true);
        }
        Action::Quit => return quit(state),
        Action::New
        | Action::Edit
        | Action::Delete
        | Action::Upgrade
        | Action::CancelUpgrade
        | Action::Import
        | Action::PersonalSettings => return actions::on_change_action(state, action),
        // Keys of other contexts.
        Action::NextField
        | Action::PrevField
        | Action::SubmitOrNext
        | Action::Submit
        | Action::ChangeValue
        | Action::Cancel
        | Action::ToggleLoginMode
        | Action::Confirm
        | Action::KeepFilter
        | Action::ClearFilter
        | Action::Close
        | Action::CopyKey => {}
    }
    vec![]
}
