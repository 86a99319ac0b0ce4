//! The mouse, when captured (`--mouse`): a click selects a row or a tab, the wheel scrolls the
//! table or the overlay on top.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::nav::{move_selection, switch_tab};
use crate::app::effect::Effect;
use crate::app::modal::Modal;
use crate::app::state::AppState;
use crate::ui::hit::{Hit, hit_test};

pub(crate) fn on_mouse(state: &mut AppState, event: MouseEvent) -> Vec<Effect> {
    if !state.ui.mouse {
        return vec![];
    }
    match event.kind {
        MouseEventKind::ScrollDown => scroll(state, 1),
        MouseEventKind::ScrollUp => scroll(state, -1),
        MouseEventKind::Down(MouseButton::Left) => click(state, event.column, event.row),
        _ => vec![],
    }
}

fn scroll(state: &mut AppState, delta: isize) -> Vec<Effect> {
    match state.ui.modals.last_mut() {
        Some(Modal::Help { scroll } | Modal::Messages { scroll }) => {
            *scroll = scroll.saturating_add_signed(delta as i16);
        }
        Some(Modal::Describe(view)) => view.scroll_by(delta),
        Some(Modal::Menu(menu)) => menu.move_by(delta),
        Some(_) => {}
        None if state.session.login.is_none() => {
            move_selection(state, |sel, _, _| sel.saturating_add_signed(delta));
        }
        None => {}
    }
    vec![]
}

fn click(state: &mut AppState, x: u16, y: u16) -> Vec<Effect> {
    let (w, h) = state.ui.size;
    match hit_test(state, Rect::new(0, 0, w, h), x, y) {
        Some(Hit::Tab(i)) => switch_tab(state, |current, n| if i < n { i } else { current }),
        Some(Hit::Row(pos)) => {
            move_selection(state, |_, _, _| pos);
            vec![]
        }
        None => vec![],
    }
}
