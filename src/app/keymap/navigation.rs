//! Keys every screen has for getting around and looking closer: vim-style open and back, `-`
//! to the previous view, describe, sorting and the command palette. They come after each
//! screen's own keys, which win where both claim a letter.

use crossterm::event::KeyCode;

use super::Cond::{CanGoBack, HasHistory, HasRow, HasTable, Opens};
use super::bindings::{bind, ch, key};
use super::{Action, Binding};

pub(crate) fn screen_keys() -> Vec<Binding> {
    vec![
        bind(
            const { &[ch('l'), key(KeyCode::Right)] },
            "l/→",
            Action::Open,
            "open (like Enter)",
            None,
            &[HasRow, Opens],
        ),
        bind(
            const { &[ch('h'), key(KeyCode::Left), key(KeyCode::Backspace)] },
            "h/←/Bksp",
            Action::Back,
            "back (like Esc)",
            None,
            &[CanGoBack],
        ),
        bind(
            const { &[ch('-')] },
            "-",
            Action::PreviousView,
            "previous view",
            None,
            &[HasHistory],
        ),
        bind(
            const { &[ch('d')] },
            "d",
            Action::Describe,
            "describe: the item as YAML",
            None,
            &[HasRow],
        ),
        bind(
            const { &[ch('s')] },
            "s",
            Action::SortNext,
            "sort by the next column",
            None,
            &[HasTable],
        ),
        bind(
            const { &[ch('S')] },
            "S",
            Action::SortReverse,
            "reverse the sort",
            None,
            &[HasTable],
        ),
        // Last: its hint takes what room the bar has left.
        bind(
            const { &[ch(':')] },
            ":",
            Action::Palette,
            "command palette (:ws, :deploy …)",
            Some("command"),
            &[],
        ),
    ]
}
