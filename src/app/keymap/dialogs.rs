//! The keymaps of dialogs and prompts: forms and the login screen, confirmations, the one-time
//! API key, the filter and log prompts, help and the URL popup.

use crossterm::event::KeyCode;

use super::bindings::{bind, ch, ctrl, key};
use super::{Action, Binding};

fn form_keys(submit: &'static str) -> Vec<Binding> {
    vec![
        bind(
            const { &[key(KeyCode::Enter)] },
            "Enter",
            Action::SubmitOrNext,
            "next field; on the last, submit",
            None,
            &[],
        ),
        bind(
            const { &[ctrl('s')] },
            "C-s",
            Action::Submit,
            submit,
            Some(submit),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Tab), key(KeyCode::Down)] },
            "Tab/↓",
            Action::NextField,
            "next field",
            Some("next field"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::BackTab), key(KeyCode::Up)] },
            "S-Tab/↑",
            Action::PrevField,
            "previous field",
            None,
            &[],
        ),
        bind(
            &[],
            "←/→ +/-",
            Action::ChangeValue,
            "change a choice / a number",
            None,
            &[],
        ),
    ]
}

/// The login screen: a form, plus switching between password and token.
pub(crate) fn login() -> Vec<Binding> {
    let mut out = form_keys("log in");
    out.push(bind(
        const { &[ctrl('t')] },
        "C-t",
        Action::ToggleLoginMode,
        "password / paste a token",
        Some("token/password"),
        &[],
    ));
    out.push(bind(
        const { &[ctrl('p')] },
        "C-p",
        Action::Palette,
        "command palette (:ctx, :q)",
        None,
        &[],
    ));
    out.push(bind(
        const { &[ctrl('c')] },
        "C-c",
        Action::Quit,
        "quit",
        Some("quit"),
        &[],
    ));
    out
}

/// A form.
pub(crate) fn form() -> Vec<Binding> {
    let mut out = form_keys("submit");
    out.push(bind(
        const { &[key(KeyCode::Esc)] },
        "Esc",
        Action::Cancel,
        "cancel (asks before dropping input)",
        Some("cancel"),
        &[],
    ));
    out
}

/// A confirmation.
pub(crate) fn confirm() -> Vec<Binding> {
    vec![
        bind(
            const { &[key(KeyCode::Enter)] },
            "Enter",
            Action::Confirm,
            "confirm",
            Some("confirm"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Esc)] },
            "Esc",
            Action::Cancel,
            "cancel",
            Some("cancel"),
            &[],
        ),
    ]
}

/// A conflict between the user's edit and the server's.
pub(crate) fn conflict() -> Vec<Binding> {
    vec![
        bind(
            const { &[ch('t')] },
            "t",
            Action::TakeTheirs,
            "take the server's values",
            Some("take theirs"),
            &[],
        ),
        bind(
            const { &[ch('m')] },
            "m",
            Action::KeepMine,
            "keep my values",
            Some("keep mine"),
            &[],
        ),
        bind(
            const { &[ch('e')] },
            "e",
            Action::Edit,
            "back to the form (it then holds the server's values with my changes)",
            Some("edit"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Esc)] },
            "Esc",
            Action::Cancel,
            "nothing sent; back to the form",
            Some("cancel"),
            &[],
        ),
    ]
}

/// The one-time API key.
pub(crate) fn api_key() -> Vec<Binding> {
    vec![
        bind(
            const { &[ch('y'), ch('c')] },
            "y",
            Action::CopyKey,
            "copy the key (OSC 52)",
            Some("copy"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Esc), key(KeyCode::Enter)] },
            "Esc",
            Action::Close,
            "close (the key is not shown again)",
            Some("close"),
            &[],
        ),
    ]
}

/// The log view's search or filter line.
pub(crate) fn log_prompt() -> Vec<Binding> {
    vec![
        bind(
            const { &[key(KeyCode::Enter)] },
            "Enter",
            Action::KeepFilter,
            "apply (search: to the newest match)",
            Some("apply"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Esc)] },
            "Esc",
            Action::Cancel,
            "cancel (keeps what was there before)",
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

/// The filter line of a table.
pub(crate) fn filter() -> Vec<Binding> {
    vec![
        bind(
            const { &[key(KeyCode::Enter)] },
            "Enter",
            Action::KeepFilter,
            "keep the filter",
            Some("keep"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Esc)] },
            "Esc",
            Action::ClearFilter,
            "clear the filter",
            Some("clear"),
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

/// The help overlay.
pub(crate) fn help() -> Vec<Binding> {
    vec![
        bind(
            const { &[key(KeyCode::Esc), key(KeyCode::Enter), ch('?')] },
            "Esc",
            Action::Close,
            "close",
            Some("close"),
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
            const { &[ch('k'), key(KeyCode::Up)] },
            "k/↑",
            Action::Up,
            "scroll up",
            None,
            &[],
        ),
        bind(
            const { &[ch('q'), ctrl('c')] },
            "q",
            Action::Quit,
            "quit",
            Some("quit"),
            &[],
        ),
    ]
}

/// The URL popup (no browser to open it in).
pub(crate) fn url_popup() -> Vec<Binding> {
    vec![
        bind(
            const { &[key(KeyCode::Esc), key(KeyCode::Enter)] },
            "Esc",
            Action::Close,
            "close",
            Some("close"),
            &[],
        ),
        bind(
            const { &[ch('y')] },
            "y",
            Action::CopyKey,
            "copy the URL again",
            Some("copy"),
            &[],
        ),
        bind(
            const { &[ch('q'), ctrl('c')] },
            "q",
            Action::Quit,
            "quit",
            Some("quit"),
            &[],
        ),
    ]
}
