//! The keymaps of the palette, the describe view (and its search line) and the pick-one menus.

use crossterm::event::KeyCode;

use super::bindings::{bind, ch, ctrl, key};
use super::{Action, Binding, KeySpec};

const DIGITS: &[KeySpec] = &[
    ch('1'),
    ch('2'),
    ch('3'),
    ch('4'),
    ch('5'),
    ch('6'),
    ch('7'),
    ch('8'),
    ch('9'),
];

fn quit() -> Binding {
    bind(
        const { &[ch('q'), ctrl('c')] },
        "q",
        Action::Quit,
        "quit",
        None,
        &[],
    )
}

fn close() -> Binding {
    bind(
        const { &[key(KeyCode::Esc)] },
        "Esc",
        Action::Close,
        "close",
        Some("close"),
        &[],
    )
}

pub(crate) fn palette() -> Vec<Binding> {
    vec![
        bind(
            const { &[key(KeyCode::Enter)] },
            "Enter",
            Action::Run,
            "run the command",
            Some("run"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Tab)] },
            "Tab",
            Action::Complete,
            "complete (again: the next one)",
            Some("complete"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::BackTab)] },
            "S-Tab",
            Action::CompletePrev,
            "the previous suggestion",
            None,
            &[],
        ),
        bind(
            const { &[key(KeyCode::Up)] },
            "↑",
            Action::HistoryBack,
            "older command (history)",
            Some("history"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Down)] },
            "↓",
            Action::HistoryForward,
            "newer command",
            None,
            &[],
        ),
        close(),
        bind(
            const { &[ctrl('c')] },
            "C-c",
            Action::Quit,
            "quit",
            None,
            &[],
        ),
    ]
}

pub(crate) fn describe() -> Vec<Binding> {
    vec![
        bind(
            const { &[ch('j'), key(KeyCode::Down)] },
            "j/↓",
            Action::Down,
            "scroll down",
            None,
            &[],
        ),
        bind(
            const { &[ch('k'), key(KeyCode::Up)] },
            "k/↑",
            Action::Up,
            "scroll up",
            None,
            &[],
        ),
        bind(
            const { &[ch('g'), key(KeyCode::Home)] },
            "g/Home",
            Action::Top,
            "top",
            None,
            &[],
        ),
        bind(
            const { &[ch('G'), key(KeyCode::End)] },
            "G/End",
            Action::Bottom,
            "bottom",
            None,
            &[],
        ),
        bind(
            const { &[key(KeyCode::PageUp)] },
            "PgUp",
            Action::PageUp,
            "page up",
            None,
            &[],
        ),
        bind(
            const { &[key(KeyCode::PageDown), ch(' ')] },
            "PgDn",
            Action::PageDown,
            "page down",
            None,
            &[],
        ),
        bind(
            const { &[ch('/')] },
            "/",
            Action::Filter,
            "search",
            Some("search"),
            &[],
        ),
        bind(
            const { &[ch('n')] },
            "n",
            Action::NextMatch,
            "next match",
            Some("next"),
            &[],
        ),
        bind(
            const { &[ch('N')] },
            "N",
            Action::PrevMatch,
            "previous match",
            None,
            &[],
        ),
        bind(
            const { &[ch('y')] },
            "y",
            Action::CopyKey,
            "copy it all (OSC 52)",
            Some("copy"),
            &[],
        ),
        close(),
        quit(),
    ]
}

pub(crate) fn search() -> Vec<Binding> {
    vec![
        bind(
            const { &[key(KeyCode::Enter)] },
            "Enter",
            Action::KeepFilter,
            "search",
            Some("search"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Esc)] },
            "Esc",
            Action::ClearFilter,
            "cancel the search",
            Some("cancel"),
            &[],
        ),
        bind(
            const { &[ctrl('c')] },
            "C-c",
            Action::Quit,
            "quit",
            None,
            &[],
        ),
    ]
}

fn menu_moves() -> Vec<Binding> {
    vec![
        bind(
            const { &[ch('j'), key(KeyCode::Down)] },
            "j/↓",
            Action::Down,
            "next entry",
            None,
            &[],
        ),
        bind(
            const { &[ch('k'), key(KeyCode::Up)] },
            "k/↑",
            Action::Up,
            "previous entry",
            None,
            &[],
        ),
    ]
}

pub(crate) fn copy_menu() -> Vec<Binding> {
    let mut out = vec![
        bind(
            DIGITS,
            "1-9",
            Action::PickNumber,
            "copy entry N",
            Some("copy N"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Enter)] },
            "Enter",
            Action::Open,
            "copy the selected entry",
            Some("copy"),
            &[],
        ),
        bind(
            const { &[ch('y')] },
            "y",
            Action::Copy,
            "copy the first entry (y y)",
            None,
            &[],
        ),
    ];
    out.extend(menu_moves());
    out.push(close());
    out.push(quit());
    out
}

pub(crate) fn contexts() -> Vec<Binding> {
    let mut out = vec![
        bind(
            DIGITS,
            "1-9",
            Action::PickNumber,
            "switch to context N",
            None,
            &[],
        ),
        bind(
            const { &[key(KeyCode::Enter)] },
            "Enter",
            Action::Open,
            "switch to the selected context",
            Some("switch"),
            &[],
        ),
    ];
    out.extend(menu_moves());
    out.push(close());
    out.push(quit());
    out
}
