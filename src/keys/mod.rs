//! What keys mean, as the config file names them: the actions a key press can trigger, how a
//! key is written (`ctrl-r`, `f5`) and the user's overrides (`[keys]` in `astrodash.toml`).
//! Below both `config` (which checks `[keys]`) and `app` (whose keymap binds them): it knows
//! nothing of screens or state.

mod action;

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use action::ALL_ACTIONS;
pub use action::Action;

/// One key pattern. Letters match regardless of Shift (the case is in the char itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    pub(crate) code: KeyCode,
    pub(crate) ctrl: bool,
}

impl KeySpec {
    /// A printable character without Ctrl: in a text field it is text.
    pub(crate) fn types_text(&self) -> bool {
        !self.ctrl && matches!(self.code, KeyCode::Char(_))
    }

    pub(crate) fn matches(&self, ev: &KeyEvent) -> bool {
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

    /// Parse `q`, `ctrl-r`, `enter`, `esc`, `tab`, `shift-tab`, `up`, `f5` … (config overrides).
    pub(crate) fn parse(text: &str) -> Option<KeySpec> {
        let lower = text.trim().to_ascii_lowercase();
        let (ctrl, name) = match lower.strip_prefix("ctrl-").or(lower.strip_prefix("c-")) {
            Some(rest) => (true, rest.to_string()),
            None => (false, lower.clone()),
        };
        let code = match name.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "shift-tab" | "backtab" => KeyCode::BackTab,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
            _ => {
                // A single character keeps its case (`G` is not `g`).
                let original = text.trim();
                let ch = original
                    .rsplit('-')
                    .next()
                    .filter(|_| ctrl)
                    .unwrap_or(original);
                let mut chars = ch.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
        };
        Some(KeySpec { code, ctrl })
    }

    /// How the key is written in help and hints.
    pub(crate) fn label(&self) -> String {
        let name = match self.code {
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "S-Tab".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Backspace => "Bksp".to_string(),
            KeyCode::Delete => "Del".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            _ => "?".to_string(),
        };
        if self.ctrl { format!("C-{name}") } else { name }
    }
}

/// The default bindings with the user's overrides (`[keys]` in `astrodash.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    /// Read by `app::keymap`, which lays them over its default bindings.
    pub(crate) overrides: HashMap<Action, Vec<KeySpec>>,
}

impl Keymap {
    /// Build from `action name → keys`; names and keys that mean nothing are reported.
    pub(crate) fn with_overrides(entries: &[(String, Vec<String>)]) -> (Keymap, Vec<String>) {
        let mut overrides = HashMap::new();
        let mut problems = Vec::new();
        for (name, keys) in entries {
            let Some(action) = ALL_ACTIONS
                .iter()
                .copied()
                .find(|a| a.config_name() == name)
            else {
                problems.push(format!("[keys]: unknown action '{name}'"));
                continue;
            };
            let mut specs = Vec::new();
            for k in keys {
                match KeySpec::parse(k) {
                    Some(spec) => specs.push(spec),
                    None => problems.push(format!("[keys] {name}: cannot read key '{k}'")),
                }
            }
            if !specs.is_empty() {
                overrides.insert(action, specs);
            }
        }
        (Keymap { overrides }, problems)
    }
}
