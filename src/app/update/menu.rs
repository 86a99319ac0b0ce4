//! The pick-one menus: `y` (what to copy from the row: its copy targets and the row as JSON)
//! and `:ctx` (which installation). A number picks an entry, Enter the selected one.

use crossterm::event::{KeyCode, KeyEvent};

use super::describe::{current_subject, lean_row_deployment};
use super::messages::{error, flash};
use crate::app::describe::to_json;
use crate::app::effect::{Effect, Schedule};
use crate::app::keymap::Action;
use crate::app::menu::{Menu, MenuAction, MenuItem, MenuKind, preview};
use crate::app::modal::Modal;
use crate::app::msg::Secret;
use crate::app::state::{AppState, Route};
use crate::app::tables::{copy_targets_of, specs};
use crate::houston::model::DeploymentId;
use crate::houston::request::Request;

/// Longest value shown next to a copy entry.
const PREVIEW_CHARS: usize = 56;

fn copy_item(label: String, text: String, shown: &str) -> MenuItem {
    MenuItem {
        detail: preview(shown, PREVIEW_CHARS),
        current: false,
        action: MenuAction::Copy {
            label: label.clone(),
            text: Secret(text),
        },
        label,
    }
}

/// The copy menu of the row (or the dashboard's subject): its copy targets, its JSON last.
fn copy_menu(state: &AppState) -> Option<Menu> {
    let subject = current_subject(state)?;
    let targets = match state.current_table() {
        Some(table) => {
            let i = state.selected_index(&table)?;
            state.rows(&table).copy_targets(i)
        }
        None => match state.route() {
            Route::Deployment { id, .. } => {
                copy_targets_of(&specs::DEPLOYMENTS, state.cache.deployment(id)?)
            }
            Route::Workspace { id, .. } => {
                copy_targets_of(&specs::WORKSPACES, state.cache.workspace(id)?)
            }
            _ => Vec::new(),
        },
    };
    let mut items: Vec<MenuItem> = targets
        .into_iter()
        .map(|(label, text)| {
            let shown = text.clone();
            copy_item(label.to_string(), text, &shown)
        })
        .collect();
    // Copied pretty, shown compact (its first line alone would be a lone brace).
    let compact = serde_json::to_string(&subject.value).unwrap_or_default();
    items.push(copy_item(
        format!("{} as JSON", subject.noun),
        to_json(&subject.value),
        &compact,
    ));
    let title = format!("Copy from {} {}", subject.noun, subject.name);
    Some(Menu::new(MenuKind::Copy, title, items))
}

/// `y`: the copy menu of the row (or the dashboard's subject).
pub(crate) fn open_copy_menu(state: &mut AppState) -> Vec<Effect> {
    let Some(mut menu) = copy_menu(state) else {
        flash(state, "Nothing to copy here");
        return vec![];
    };
    // A list row's JSON is the lean record: fetch the whole deployment for it.
    let mut effects = vec![];
    if let Some(id) = lean_row_deployment(state) {
        effects = vec![Schedule::ensure(Request::Deployment(id.clone()))];
        if let Some(json) = menu.items.last_mut() {
            json.detail = "list row; loading the whole record…".into();
        }
        menu.awaiting = Some(id);
    }
    state.ui.modals.push(Modal::Menu(menu));
    effects
}

/// The whole deployment arrived (or could not be read): a copy menu waiting for it offers its
/// JSON now (or the row's, as it is).
pub(crate) fn on_full_deployment(state: &mut AppState, id: &DeploymentId) {
    let Some(Modal::Menu(menu)) = state.ui.modals.last() else {
        return;
    };
    if menu.awaiting.as_ref() != Some(id) {
        return;
    }
    let fresh = copy_menu(state);
    if let (Some(Modal::Menu(menu)), Some(fresh)) = (state.ui.modals.last_mut(), fresh) {
        menu.items = fresh.items;
        menu.selected = menu.selected.min(menu.items.len().saturating_sub(1));
        menu.awaiting = None;
    }
}

/// The whole deployment could not be read: the menu keeps the row's JSON and says so.
pub(crate) fn on_fetch_failed(state: &mut AppState, request: &Request) {
    let Request::Deployment(id) = request else {
        return;
    };
    if let Some(Modal::Menu(menu)) = state.ui.modals.last_mut()
        && menu.awaiting.as_ref() == Some(id)
    {
        menu.awaiting = None;
        if let Some(json) = menu.items.last_mut() {
            json.detail = "list row only (the whole record could not be read)".into();
        }
    }
}

fn menu_mut(state: &mut AppState) -> Option<&mut Menu> {
    match state.ui.modals.last_mut() {
        Some(Modal::Menu(menu)) => Some(menu),
        _ => None,
    }
}

pub(crate) fn on_key(state: &mut AppState, key: &KeyEvent, action: Option<Action>) -> Vec<Effect> {
    let Some(menu) = menu_mut(state) else {
        return vec![];
    };
    match action {
        Some(Action::Down) => menu.move_by(1),
        Some(Action::Up) => menu.move_by(-1),
        Some(Action::Open) => {
            let i = menu.selected;
            return pick(state, i);
        }
        Some(Action::Copy) => return pick(state, 0),
        Some(Action::PickNumber) => {
            if let KeyCode::Char(c) = key.code
                && let Some(n) = c.to_digit(10).filter(|&n| n >= 1)
            {
                return pick(state, n as usize - 1);
            }
        }
        Some(Action::Close) => {
            state.ui.modals.pop();
        }
        Some(Action::Quit) => return super::quit(state),
        _ => {}
    }
    vec![]
}

/// Do what entry `index` says (nothing when there is no such entry).
fn pick(state: &mut AppState, index: usize) -> Vec<Effect> {
    let Some(item) = menu_mut(state).and_then(|m| m.items.get(index).cloned()) else {
        return vec![];
    };
    state.ui.modals.pop();
    match item.action {
        // What became of it is said when the event loop reports back.
        MenuAction::Copy { label, text } => vec![Effect::Copy { text, label }],
        MenuAction::SwitchContext(name) => match super::contexts::switch(state, &name) {
            Ok(effects) => effects,
            Err(problem) => {
                error(state, problem);
                vec![]
            }
        },
        MenuAction::Unavailable => vec![],
    }
}
