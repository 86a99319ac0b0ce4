//! The keymap of the log view: scrolling (which pauses follow mode), search, filter,
//! components and display toggles.

use crossterm::event::KeyCode;

use super::Cond::{LogLines, LogPaused, LogSearch, LogTabs};
use super::bindings::{bind, ch, key};
use super::{Action, Binding};

/// The log view: scrolling (which pauses follow mode), search, filter, components, display.
pub(crate) fn log_view() -> Vec<Binding> {
    vec![
        bind(
            const { &[ch('F')] },
            "F",
            Action::Follow,
            "follow new lines again",
            Some("follow"),
            &[LogPaused],
        ),
        bind(
            const { &[ch('/')] },
            "/",
            Action::Search,
            "search (highlights matches)",
            Some("search"),
            &[],
        ),
        bind(
            const { &[ch('n')] },
            "n",
            Action::NextMatch,
            "next (newer) match",
            Some("next"),
            &[LogSearch],
        ),
        bind(
            const { &[ch('N')] },
            "N",
            Action::PrevMatch,
            "previous (older) match",
            None,
            &[LogSearch],
        ),
        bind(
            const { &[ch('&')] },
            "&",
            Action::FilterLines,
            "filter: show only matching lines",
            Some("filter"),
            &[],
        ),
        bind(
            const { &[ch('c')] },
            "c",
            Action::NextComponent,
            "next component",
            Some("component"),
            &[],
        ),
        bind(
            const { &[ch('C')] },
            "C",
            Action::PrevComponent,
            "previous component",
            None,
            &[],
        ),
        bind(
            const { &[ch('s')] },
            "s",
            Action::SaveLines,
            "save the shown lines to a file",
            Some("save"),
            &[LogLines],
        ),
        bind(
            const { &[ch('T')] },
            "T",
            Action::CycleWindow,
            "time window: 5 min / hour / day",
            Some("window"),
            &[],
        ),
        bind(
            const { &[ch('w')] },
            "w",
            Action::ToggleWrap,
            "wrap long lines",
            None,
            &[],
        ),
        bind(
            const { &[ch('t')] },
            "t",
            Action::ToggleTimestamps,
            "show timestamps",
            None,
            &[],
        ),
        bind(
            const { &[ch('k'), key(KeyCode::Up)] },
            "k/↑",
            Action::Up,
            "scroll up (pauses following)",
            None,
            &[],
        ),
        bind(
            const { &[ch('j'), key(KeyCode::Down)] },
            "j/↓",
            Action::Down,
            "scroll down",
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
            const { &[key(KeyCode::PageDown)] },
            "PgDn",
            Action::PageDown,
            "page down",
            None,
            &[],
        ),
        bind(
            const { &[ch('g'), key(KeyCode::Home)] },
            "g/Home",
            Action::Top,
            "oldest line",
            None,
            &[],
        ),
        bind(
            const { &[ch('G'), key(KeyCode::End)] },
            "G/End",
            Action::Bottom,
            "newest line (follows)",
            None,
            &[],
        ),
    ]
}

/// A task instance's log: the log view's keys, with its tries for components and no time
/// window (Airflow gives the whole log of a try).
pub(crate) fn task_log_view() -> Vec<Binding> {
    log_view()
        .into_iter()
        .filter(|b| b.action != Action::CycleWindow)
        .map(|mut b| {
            match b.action {
                // A task that ran once has one try: no key to switch.
                Action::NextComponent => {
                    b.description = "next try";
                    b.hint = Some("try");
                    b.when = &[LogTabs];
                }
                Action::PrevComponent => {
                    b.description = "previous try";
                    b.when = &[LogTabs];
                }
                _ => {}
            }
            b
        })
        .collect()
}
