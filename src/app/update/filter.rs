//! The `/` filter line: typing narrows the current table live; Enter keeps the filter, Esc
//! clears it.

use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::sort::reapply_table;
use crate::app::effect::Effect;
use crate::app::keymap::Action;
use crate::app::state::AppState;

pub(crate) fn start(state: &mut AppState) {
    if let Some(table) = state.current_table() {
        let current = state.table(&table).filter.clone();
        state.ui.filter_input = Some(Input::new(current));
    }
}

pub(crate) fn on_key(state: &mut AppState, key: KeyEvent, action: Option<Action>) -> Vec<Effect> {
    let Some(table) = state.current_table() else {
        state.ui.filter_input = None;
        return vec![];
    };
    match action {
        Some(Action::KeepFilter) => state.ui.filter_input = None,
        Some(Action::Quit) => return super::quit(state),
        Some(Action::ClearFilter) => {
            state.ui.filter_input = None;
            state
                .ui
                .tables
                .entry(table.clone())
                .or_default()
                .filter
                .clear();
            reapply_table(state, &table);
        }
        _ => {
            if let Some(input) = state.ui.filter_input.as_mut()
                && let Some(req) = to_input_request(&Event::Key(key))
            {
                input.handle(req);
                apply(state);
            }
        }
    }
    vec![]
}

pub(crate) fn paste(state: &mut AppState, text: &str) {
    if let Some(input) = state.ui.filter_input.as_mut() {
        for c in text.chars().filter(|c| !c.is_control()) {
            input.handle(InputRequest::InsertChar(c));
        }
        apply(state);
    }
}

/// Mirror the typed filter into the table; the cursor stays on its item if it still matches.
fn apply(state: &mut AppState) {
    let (Some(table), Some(input)) = (state.current_table(), &state.ui.filter_input) else {
        return;
    };
    let value = input.value().to_string();
    let t = state.ui.tables.entry(table.clone()).or_default();
    if t.filter != value {
        t.filter = value;
        reapply_table(state, &table);
    }
}
