//! The key bindings of each screen: one table that both the key dispatcher and the help overlay /
//! hint bar read, so what is documented is exactly what works.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// A user intent after key resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    Back,
    NextTab,
    PrevTab,
    /// `1`–`9`: the tab number comes from the key.
    TabByNumber,
    Help,
    Filter,
    OpenAirflow,
    OpenFlower,
    Copy,
    Refresh,
    Quit,
    // Login screen.
    SwitchField,
    Submit,
    ToggleLoginMode,
    // Filter line.
    ClearFilter,
    KeepFilter,
    // Overlays.
    Close,
}

/// Where keys are being dispatched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    Account,
    /// The workspace's Deployments tab: rows open and have Airflow/Flower links.
    WorkspaceDeployments,
    /// The workspace's other tabs.
    Workspace,
    Deployment,
    Login,
    Filter,
    Help,
    UrlPopup,
}

impl KeyContext {
    pub fn title(self) -> &'static str {
        match self {
            KeyContext::Account => "Account dashboard",
            KeyContext::WorkspaceDeployments | KeyContext::Workspace => "Workspace dashboard",
            KeyContext::Deployment => "Deployment dashboard",
            KeyContext::Login => "Login",
            KeyContext::Filter => "Filter",
            KeyContext::Help => "Help",
            KeyContext::UrlPopup => "URL",
        }
    }
}

/// One key pattern. Letters match regardless of Shift (the case is in the char itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn key(code: KeyCode) -> KeySpec {
    KeySpec { code, ctrl: false }
}
const fn ch(c: char) -> KeySpec {
    key(KeyCode::Char(c))
}
const fn ctrl(c: char) -> KeySpec {
    KeySpec {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl KeySpec {
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl != self.ctrl {
            return false;
        }
        match (self.code, ev.code) {
            // Some terminals report Shift-Tab as BackTab, others as Tab + SHIFT.
            (KeyCode::BackTab, KeyCode::Tab) => ev.modifiers.contains(KeyModifiers::SHIFT),
            (KeyCode::Tab, KeyCode::Tab) => !ev.modifiers.contains(KeyModifiers::SHIFT),
            (a, b) => a == b,
        }
    }
}

/// A row of the keymap: the keys, how they are shown, what they do.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [KeySpec],
    /// How the keys are written in the help and hint bar.
    pub label: &'static str,
    pub action: Action,
    pub description: &'static str,
    /// The short text shown in the one-line hint bar, if this binding is worth a hint.
    pub hint: Option<&'static str>,
}

const fn bind(
    keys: &'static [KeySpec],
    label: &'static str,
    action: Action,
    description: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        description,
        hint,
    }
}

const MOVE: [Binding; 6] = [
    bind(
        &[ch('j'), key(KeyCode::Down)],
        "j/↓",
        Action::Down,
        "move down",
        None,
    ),
    bind(
        &[ch('k'), key(KeyCode::Up)],
        "k/↑",
        Action::Up,
        "move up",
        None,
    ),
    bind(
        &[ch('g'), key(KeyCode::Home)],
        "g/Home",
        Action::Top,
        "first row",
        None,
    ),
    bind(
        &[ch('G'), key(KeyCode::End)],
        "G/End",
        Action::Bottom,
        "last row",
        None,
    ),
    bind(
        &[key(KeyCode::PageUp)],
        "PgUp",
        Action::PageUp,
        "page up",
        None,
    ),
    bind(
        &[key(KeyCode::PageDown)],
        "PgDn",
        Action::PageDown,
        "page down",
        None,
    ),
];

const TABS: [Binding; 3] = [
    bind(
        &[key(KeyCode::Tab)],
        "Tab",
        Action::NextTab,
        "next tab",
        Some("tabs"),
    ),
    bind(
        &[key(KeyCode::BackTab)],
        "S-Tab",
        Action::PrevTab,
        "previous tab",
        None,
    ),
    bind(
        &[
            ch('1'),
            ch('2'),
            ch('3'),
            ch('4'),
            ch('5'),
            ch('6'),
            ch('7'),
            ch('8'),
            ch('9'),
        ],
        "1-9",
        Action::TabByNumber,
        "go to tab N",
        None,
    ),
];

const COMMON: [Binding; 6] = [
    bind(
        &[ch('/')],
        "/",
        Action::Filter,
        "filter the table",
        Some("filter"),
    ),
    bind(
        &[ch('y')],
        "y",
        Action::Copy,
        "copy id / release / URL",
        None,
    ),
    bind(&[ctrl('r')], "C-r", Action::Refresh, "refresh now", None),
    bind(&[ch('?')], "?", Action::Help, "help", Some("help")),
    bind(
        &[ch('q'), ctrl('c')],
        "q",
        Action::Quit,
        "quit",
        Some("quit"),
    ),
    bind(
        &[key(KeyCode::Esc)],
        "Esc",
        Action::Back,
        "back / clear message",
        Some("back"),
    ),
];

const OPEN_ROW: Binding = bind(
    &[key(KeyCode::Enter)],
    "Enter",
    Action::Open,
    "open",
    Some("open"),
);
const OPEN_AIRFLOW: Binding = bind(
    &[ch('o')],
    "o",
    Action::OpenAirflow,
    "open Airflow UI",
    Some("airflow"),
);
const OPEN_FLOWER: Binding = bind(
    &[ch('f')],
    "f",
    Action::OpenFlower,
    "open Flower (Celery)",
    Some("flower"),
);

const LOGIN: [Binding; 4] = [
    bind(
        &[key(KeyCode::Enter)],
        "Enter",
        Action::Submit,
        "log in",
        Some("log in"),
    ),
    bind(
        &[key(KeyCode::Tab), key(KeyCode::BackTab)],
        "Tab",
        Action::SwitchField,
        "switch field",
        Some("next field"),
    ),
    bind(
        &[ctrl('t')],
        "C-t",
        Action::ToggleLoginMode,
        "password / paste a token",
        Some("token/password"),
    ),
    bind(&[ctrl('c')], "C-c", Action::Quit, "quit", Some("quit")),
];

const FILTER: [Binding; 3] = [
    bind(
        &[key(KeyCode::Enter)],
        "Enter",
        Action::KeepFilter,
        "keep the filter",
        Some("keep"),
    ),
    bind(
        &[key(KeyCode::Esc)],
        "Esc",
        Action::ClearFilter,
        "clear the filter",
        Some("clear"),
    ),
    bind(&[ctrl('c')], "C-c", Action::Quit, "quit", None),
];

const OVERLAY: [Binding; 2] = [
    bind(
        &[key(KeyCode::Esc), key(KeyCode::Enter), ch('?')],
        "Esc",
        Action::Close,
        "close",
        Some("close"),
    ),
    bind(
        &[ch('q'), ctrl('c')],
        "q",
        Action::Quit,
        "quit",
        Some("quit"),
    ),
];

/// The keymap of a screen, in the order the help overlay lists it.
pub fn bindings(ctx: KeyContext) -> Vec<Binding> {
    let mut out = Vec::new();
    match ctx {
        KeyContext::Account => {
            out.push(OPEN_ROW);
            out.extend(MOVE);
            out.extend(COMMON);
        }
        KeyContext::WorkspaceDeployments => {
            out.push(OPEN_ROW);
            out.push(OPEN_AIRFLOW);
            out.push(OPEN_FLOWER);
            out.extend(TABS);
            out.extend(MOVE);
            out.extend(COMMON);
        }
        KeyContext::Workspace => {
            out.extend(TABS);
            out.extend(MOVE);
            out.extend(COMMON);
        }
        KeyContext::Deployment => {
            out.push(OPEN_AIRFLOW);
            out.push(OPEN_FLOWER);
            out.extend(TABS);
            out.extend(MOVE);
            out.extend(COMMON);
        }
        KeyContext::Login => out.extend(LOGIN),
        KeyContext::Filter => out.extend(FILTER),
        KeyContext::Help | KeyContext::UrlPopup => out.extend(OVERLAY),
    }
    out
}

/// The action bound to `ev` on this screen, if any.
pub fn resolve(ctx: KeyContext, ev: &KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    bindings(ctx)
        .into_iter()
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn resolves_keys_from_the_table() {
        let ctx = KeyContext::WorkspaceDeployments;
        assert_eq!(
            resolve(ctx, &press(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            resolve(ctx, &press(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            resolve(ctx, &press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            resolve(ctx, &press(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            Some(Action::Refresh)
        );
        assert_eq!(
            resolve(ctx, &press(KeyCode::Char('r'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            resolve(ctx, &press(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevTab)
        );
        assert_eq!(
            resolve(ctx, &press(KeyCode::Tab, KeyModifiers::SHIFT)),
            Some(Action::PrevTab)
        );
        assert_eq!(
            resolve(ctx, &press(KeyCode::Char('3'), KeyModifiers::NONE)),
            Some(Action::TabByNumber)
        );
        assert_eq!(
            resolve(
                KeyContext::Account,
                &press(KeyCode::Char('o'), KeyModifiers::NONE)
            ),
            None
        );
    }
}
