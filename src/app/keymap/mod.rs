//! Key bindings as data. Each binding carries the conditions under which it exists (`writable`,
//! `celery`, a capability …), so the dispatcher, the hint bar and the `?` help all show exactly
//! what is possible here and now — read-only mode is one condition, checked in one place.

mod action;
mod bindings;
mod conditions;
mod denied;
mod dialogs;
mod logs;
mod navigation;
mod overlays;

use std::borrow::Cow;
use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use action::ALL_ACTIONS;
pub use action::Action;
pub use bindings::defaults;
pub use conditions::holds;
pub use denied::why_not;

use super::state::{DeploymentTab, WorkspaceTab};

/// A screen under any modal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Account,
    Workspace(WorkspaceTab),
    Deployment(DeploymentTab),
    AllDeployments,
}

/// Where keys are being dispatched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    Login,
    Screen(Screen),
    Filter,
    Help,
    Url,
    Form,
    Confirm,
    /// An edit that conflicts with a change on the server.
    Conflict,
    ApiKey,
    /// Typing a search or filter in the log view.
    LogPrompt,
    Palette,
    Describe,
    /// Typing a search in the describe view.
    Search,
    CopyMenu,
    Contexts,
}

impl KeyContext {
    /// Whether keys here are typed into a text field (letters, digits, space are text).
    pub fn types_text(self) -> bool {
        matches!(
            self,
            KeyContext::Login
                | KeyContext::Filter
                | KeyContext::Form
                | KeyContext::Confirm
                | KeyContext::Palette
                | KeyContext::Search
        )
    }

    pub fn title(self) -> &'static str {
        match self {
            KeyContext::Screen(Screen::Account) => "Account dashboard",
            KeyContext::Screen(Screen::Workspace(_)) => "Workspace dashboard",
            KeyContext::Screen(Screen::Deployment(_)) => "Deployment dashboard",
            KeyContext::Screen(Screen::AllDeployments) => "All deployments",
            KeyContext::Login => "Login",
            KeyContext::Filter => "Filter",
            KeyContext::Help => "Help",
            KeyContext::Url => "URL",
            KeyContext::Form => "Form",
            KeyContext::Confirm => "Confirmation",
            KeyContext::Conflict => "Conflict",
            KeyContext::ApiKey => "New API key",
            KeyContext::LogPrompt => "Log search / filter",
            KeyContext::Palette => "Command palette",
            KeyContext::Describe => "Describe",
            KeyContext::Search => "Search",
            KeyContext::CopyMenu => "Copy",
            KeyContext::Contexts => "Contexts",
        }
    }
}

/// When a binding exists. All conditions of a binding must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cond {
    /// Not read-only.
    Writable,
    /// The screen has a table.
    HasTable,
    /// A row is selected (or the dashboard has its own subject).
    HasRow,
    /// The deployment in question runs the Celery executor.
    Celery,
    /// The deployment in question has an Airflow upgrade pending.
    UpgradePending,
    /// There is a level to go back to.
    CanGoBack,
    /// There is a previous view to return to (`-`).
    HasHistory,
    /// The screen's rows open something (workspaces, deployments): Enter and `l` go in.
    Opens,
    /// The caller's role allows it (from Houston's capabilities).
    Can(Cap),
    /// The log view is paused (not following the newest lines).
    LogPaused,
    /// The log view has a search.
    LogSearch,
    /// The log view shows at least one line.
    LogLines,
}

/// Capabilities Houston computes per workspace/deployment (houston-api.md §3.3–3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    CreateWorkspace,
    UpdateSelf,
    UpdateWorkspace,
    DeleteWorkspace,
    CreateDeployment,
    UpdateDeployment,
    DeleteDeployment,
    UpdateVariables,
    /// Invite, change roles, remove users, revoke invites.
    ManageUsers,
    CreateServiceAccount,
    UpdateServiceAccount,
    DeleteServiceAccount,
    ManageDeploymentUsers,
}

/// One key pattern. Letters match regardless of Shift (the case is in the char itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl KeySpec {
    /// A printable character without Ctrl: in a text field it is text.
    pub fn types_text(&self) -> bool {
        !self.ctrl && matches!(self.code, KeyCode::Char(_))
    }

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

    /// Parse `q`, `ctrl-r`, `enter`, `esc`, `tab`, `shift-tab`, `up`, `f5` … (config overrides).
    pub fn parse(text: &str) -> Option<KeySpec> {
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
    pub fn label(&self) -> String {
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

/// A row of the keymap: the keys, how they are shown, what they do, when they exist.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Cow<'static, [KeySpec]>,
    /// How the keys are written in the help and hint bar.
    pub label: Cow<'static, str>,
    pub action: Action,
    pub description: &'static str,
    /// The short text shown in the one-line hint bar, if this binding is worth a hint.
    pub hint: Option<&'static str>,
    pub when: &'static [Cond],
}

/// The default bindings with the user's overrides (`[keys]` in `astrodash.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    overrides: HashMap<Action, Vec<KeySpec>>,
}

impl Keymap {
    /// Build from `action name → keys`; names and keys that mean nothing are reported.
    pub fn with_overrides(entries: &[(String, Vec<String>)]) -> (Keymap, Vec<String>) {
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

    /// Every binding of `ctx`, conditions not yet applied, overrides applied. An override
    /// names all the keys of its action: where the defaults spread an action over two bindings
    /// (`Esc` and `h/←/Bksp`), the first takes the keys and the others go.
    pub fn all(&self, ctx: KeyContext) -> Vec<Binding> {
        let mut out = defaults(ctx);
        let mut overridden = Vec::new();
        out.retain_mut(|b| {
            let Some(keys) = self.overrides.get(&b.action) else {
                return true;
            };
            // Where letters are text, a letter bound to an action would stop being typed:
            // only keys that type nothing (Ctrl-…, Esc, F-keys …) apply there.
            let keys: Vec<KeySpec> = keys
                .iter()
                .filter(|k| !ctx.types_text() || !k.types_text())
                .copied()
                .collect();
            if keys.is_empty() {
                return true;
            }
            if overridden.contains(&b.action) {
                return false;
            }
            overridden.push(b.action);
            b.label = Cow::Owned(
                keys.iter()
                    .map(KeySpec::label)
                    .collect::<Vec<_>>()
                    .join("/"),
            );
            b.keys = Cow::Owned(keys);
            true
        });
        out
    }
}

/// The bindings that exist right now in `ctx` (conditions applied), in help order.
pub fn active(state: &super::state::AppState, ctx: KeyContext) -> Vec<Binding> {
    state
        .ui
        .keymap
        .all(ctx)
        .into_iter()
        .filter(|b| b.when.iter().all(|c| holds(state, *c)))
        .collect()
}

/// What the help shows: the active bindings without the keys an earlier binding already takes
/// (on a deployment row `l` opens the logs, so "open" is listed under `→` alone there).
pub fn shown(state: &super::state::AppState, ctx: KeyContext) -> Vec<Binding> {
    let mut claimed: Vec<KeySpec> = Vec::new();
    let mut out = Vec::new();
    for mut binding in active(state, ctx) {
        let free: Vec<KeySpec> = binding
            .keys
            .iter()
            .filter(|k| !claimed.contains(k))
            .copied()
            .collect();
        claimed.extend(free.iter().copied());
        if free.is_empty() {
            continue;
        }
        if free.len() < binding.keys.len() {
            binding.label = Cow::Owned(
                free.iter()
                    .map(KeySpec::label)
                    .collect::<Vec<_>>()
                    .join("/"),
            );
            binding.keys = Cow::Owned(free);
        }
        out.push(binding);
    }
    out
}

/// The action `ev` triggers in `ctx` right now, if any.
pub fn resolve(state: &super::state::AppState, ctx: KeyContext, ev: &KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    active(state, ctx)
        .into_iter()
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_config_keys() {
        assert_eq!(
            KeySpec::parse("ctrl-r"),
            Some(KeySpec {
                code: KeyCode::Char('r'),
                ctrl: true
            })
        );
        assert_eq!(
            KeySpec::parse("G"),
            Some(KeySpec {
                code: KeyCode::Char('G'),
                ctrl: false
            })
        );
        assert_eq!(KeySpec::parse("f5").map(|k| k.code), Some(KeyCode::F(5)));
        assert_eq!(
            KeySpec::parse("enter").map(|k| k.code),
            Some(KeyCode::Enter)
        );
        assert_eq!(KeySpec::parse("nonsense"), None);
        let (map, problems) = Keymap::with_overrides(&[
            ("quit".into(), vec!["x".into()]),
            ("fly".into(), vec!["z".into()]),
        ]);
        assert_eq!(problems, vec!["[keys]: unknown action 'fly'".to_string()]);
        let quit = map
            .all(KeyContext::Screen(Screen::Account))
            .into_iter()
            .find(|b| b.action == Action::Quit)
            .map(|b| b.label.to_string());
        assert_eq!(quit.as_deref(), Some("x"));
    }

    #[test]
    fn an_override_replaces_every_binding_of_its_action_but_never_types_in_text_fields() {
        let (map, problems) = Keymap::with_overrides(&[
            ("quit".into(), vec!["x".into(), "ctrl-q".into()]),
            ("back".into(), vec!["esc".into()]),
        ]);
        assert!(problems.is_empty());
        let keys = |ctx, action| -> Vec<String> {
            map.all(ctx)
                .into_iter()
                .filter(|b| b.action == action)
                .map(|b| b.label.to_string())
                .collect()
        };
        let screen = KeyContext::Screen(Screen::Account);
        assert_eq!(keys(screen, Action::Quit), vec!["x/C-q"]);
        // Esc and h/←/Bksp were two bindings of `back`: the override is the only one left.
        assert_eq!(keys(screen, Action::Back), vec!["Esc"]);
        // In the filter line `x` is a letter: only Ctrl-q quits there.
        assert_eq!(keys(KeyContext::Filter, Action::Quit), vec!["C-q"]);
        assert_eq!(keys(KeyContext::Palette, Action::Quit), vec!["C-q"]);
    }
}
