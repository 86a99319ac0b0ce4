//! The pick-one menus: `y` (what to copy from the row: its copy targets and the row as JSON)
//! and `:ctx` (which installation). A number picks an entry, Enter the selected one.

use crossterm::event::{KeyCode, KeyEvent};

use super::messages::{error, flash};
use crate::app::describe::{current_subject, to_json};
use crate::app::effect::Effect;
use crate::app::keymap::Action;
use crate::app::menu::{Menu, MenuAction, MenuItem, MenuKind, preview};
use crate::app::modal::Modal;
use crate::app::msg::Secret;
use crate::app::state::{AppState, Route};
use crate::app::tables::{copy_targets_of, specs};

/// Longest value shown next to a copy entry.
const PREVIEW_CHARS: usize = 56;

/// What `y` offers here: (label, text) pairs, the item's JSON last.
fn copy_entries(state: &AppState) -> Option<(String, Vec<(String, String)>)> {
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
            Route::Account => Vec::new(),
        },
    };
    let mut entries: Vec<(String, String)> = targets
        .into_iter()
        .map(|(label, text)| (label.to_string(), text))
        .collect();
    entries.push((format!("{} as JSON", subject.noun), to_json(&subject.value)));
    Some((format!("{} {}", subject.noun, subject.name), entries))
}

/// `y`: the copy menu of the row (or the dashboard's subject).
pub fn open_copy_menu(state: &mut AppState) -> Vec<Effect> {
    let Some((title, entries)) = copy_entries(state) else {
        flash(state, "Nothing to copy here");
        return vec![];
    };
    let items = entries
        .into_iter()
        .map(|(label, text)| MenuItem {
            detail: preview(&text, PREVIEW_CHARS),
            current: false,
            action: MenuAction::Copy {
                label: label.clone(),
                text: Secret(text),
            },
            label,
        })
        .collect();
    state.ui.modals.push(Modal::Menu(Menu::new(
        MenuKind::Copy,
        format!("Copy from {title}"),
        items,
    )));
    vec![]
}

fn menu_mut(state: &mut AppState) -> Option<&mut Menu> {
    match state.ui.modals.last_mut() {
        Some(Modal::Menu(menu)) => Some(menu),
        _ => None,
    }
}

pub fn on_key(state: &mut AppState, key: &KeyEvent, action: Option<Action>) -> Vec<Effect> {
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
