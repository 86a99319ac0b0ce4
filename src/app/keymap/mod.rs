//! Key bindings as data. Each binding carries the conditions under which it exists (`writable`,
//! `celery`, a capability …), so the dispatcher, the hint bar and the `?` help all show exactly
//! what is possible here and now — read-only mode is one condition, checked in one place.

mod admin;
mod bindings;
pub(crate) mod cond;
mod conditions;
mod denied;
mod dialogs;
mod logs;
mod navigation;
mod overlays;

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use crossterm::event::{KeyEvent, KeyEventKind};

pub(crate) use bindings::defaults;
pub(crate) use cond::{Cap, Cond};
pub(crate) use conditions::holds;
pub(crate) use denied::{hidden, why_not};

use super::menu::MenuKind;
use super::modal::Modal;
use super::state::AppState;
pub use super::state::Screen;
// The key vocabulary sits below `config` and `app`; re-exported so bindings read as before.
pub use crate::keys::{Action, KeySpec, Keymap};

/// Where keys are being dispatched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyScope {
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

impl KeyScope {
    /// Whether keys here are typed into a text field (letters, digits, space are text).
    pub(crate) fn types_text(self) -> bool {
        matches!(
            self,
            KeyScope::Login
                | KeyScope::Filter
                | KeyScope::Form
                | KeyScope::Confirm
                | KeyScope::Palette
                | KeyScope::Search
        )
    }

    pub(crate) fn title(self) -> &'static str {
        match self {
            KeyScope::Screen(Screen::Account) => "Account dashboard",
            KeyScope::Screen(Screen::Workspace(_)) => "Workspace dashboard",
            KeyScope::Screen(Screen::Deployment(_)) => "Deployment dashboard",
            KeyScope::Screen(Screen::AllDeployments) => "All deployments",
            KeyScope::Screen(Screen::Admin(_)) => "System Admin",
            KeyScope::Screen(Screen::Clusters) => "Clusters",
            KeyScope::Screen(Screen::FleetRuns) => "Failing DAG runs",
            KeyScope::Screen(Screen::DagRuns) => "DAG runs",
            KeyScope::Screen(Screen::TaskInstances) => "Task instances",
            KeyScope::Screen(Screen::TaskLog) => "Task log",
            KeyScope::Login => "Login",
            KeyScope::Filter => "Filter",
            KeyScope::Help => "Help",
            KeyScope::Url => "URL",
            KeyScope::Form => "Form",
            KeyScope::Confirm => "Confirmation",
            KeyScope::Conflict => "Conflict",
            KeyScope::ApiKey => "New API key",
            KeyScope::LogPrompt => "Log search / filter",
            KeyScope::Palette => "Command palette",
            KeyScope::Describe => "Describe",
            KeyScope::Search => "Search",
            KeyScope::CopyMenu => "Copy",
            KeyScope::Contexts => "Contexts",
        }
    }
}

// Which key scope applies is read off the state here, so that `state` needs nothing of `keymap`.
impl AppState {
    /// Which keymap applies right now.
    pub fn key_scope(&self) -> KeyScope {
        if let Some(modal) = self.ui.modals.last() {
            return match modal {
                // Scrolled and closed with the help overlay's keys.
                Modal::Help { .. } | Modal::Messages { .. } => KeyScope::Help,
                Modal::Url(_) => KeyScope::Url,
                Modal::Form(_) => KeyScope::Form,
                Modal::Confirm(_) => KeyScope::Confirm,
                Modal::Conflict(_) => KeyScope::Conflict,
                Modal::ApiKey(_) => KeyScope::ApiKey,
                Modal::Palette(_) => KeyScope::Palette,
                Modal::Describe(d) if d.search.is_some() => KeyScope::Search,
                Modal::Describe(_) => KeyScope::Describe,
                Modal::Menu(m) => m.kind.key_scope(),
            };
        }
        if self.session.login.is_some() {
            return KeyScope::Login;
        }
        if self.ui.filter_input.is_some() {
            return KeyScope::Filter;
        }
        if self.shown_log_view().is_some_and(|v| v.prompt.is_some()) {
            return KeyScope::LogPrompt;
        }
        KeyScope::Screen(self.screen())
    }

    /// The keymap of what is under the help overlay.
    pub(crate) fn screen_scope(&self) -> KeyScope {
        let top = self
            .ui
            .modals
            .iter()
            .rev()
            .find(|m| !matches!(m, Modal::Help { .. }));
        match top {
            Some(Modal::Url(_)) => KeyScope::Url,
            Some(Modal::Form(_)) => KeyScope::Form,
            Some(Modal::Confirm(_)) => KeyScope::Confirm,
            Some(Modal::Conflict(_)) => KeyScope::Conflict,
            Some(Modal::ApiKey(_)) => KeyScope::ApiKey,
            Some(Modal::Palette(_)) => KeyScope::Palette,
            Some(Modal::Describe(_)) => KeyScope::Describe,
            Some(Modal::Menu(m)) => m.kind.key_scope(),
            _ if self.session.login.is_some() => KeyScope::Login,
            _ => KeyScope::Screen(self.screen()),
        }
    }
}

impl MenuKind {
    pub(crate) fn key_scope(self) -> KeyScope {
        match self {
            MenuKind::Copy => KeyScope::CopyMenu,
            MenuKind::Contexts => KeyScope::Contexts,
        }
    }
}

/// A row of the keymap: the keys, how they are shown, what they do, when they exist.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Cow<'static, [KeySpec]>,
    /// How the keys are written in the help and hint bar.
    pub label: Cow<'static, str>,
    pub(crate) action: Action,
    pub description: &'static str,
    /// The short text shown in the one-line hint bar, if this binding is worth a hint.
    pub(crate) hint: Option<&'static str>,
    pub(crate) when: &'static [Cond],
}

/// The bindings built so far, per key scope, for one set of overrides.
#[derive(Default)]
struct Built {
    overrides: std::collections::HashMap<Action, Vec<KeySpec>>,
    /// A few dozen scopes at most: a list is enough.
    scopes: Vec<(KeyScope, Rc<[Binding]>)>,
}

thread_local! {
    static BUILT: RefCell<Built> = RefCell::new(Built::default());
}

impl Keymap {
    /// Every binding of `scope`, conditions not yet applied, overrides applied (built once per
    /// scope, see `built`).
    #[cfg(test)]
    pub(crate) fn all(&self, scope: KeyScope) -> Vec<Binding> {
        self.built(scope).to_vec()
    }

    /// The bindings of `scope` as `all` lists them, built on the first key press in `scope` and
    /// kept for this thread until the overrides change (the defaults depend on `scope` alone).
    pub(crate) fn built(&self, scope: KeyScope) -> Rc<[Binding]> {
        BUILT.with(|cell| {
            let mut built = cell.borrow_mut();
            if built.overrides != self.overrides {
                built.overrides = self.overrides.clone();
                built.scopes.clear();
            }
            if let Some((_, bindings)) = built.scopes.iter().find(|(c, _)| *c == scope) {
                return Rc::clone(bindings);
            }
            let bindings: Rc<[Binding]> = self.build(scope).into();
            built.scopes.push((scope, Rc::clone(&bindings)));
            bindings
        })
    }

    /// An override names all the keys of its action: where the defaults spread an action over
    /// two bindings (`Esc` and `h/←/Bksp`), the first takes the keys and the others go.
    fn build(&self, scope: KeyScope) -> Vec<Binding> {
        let mut out = defaults(scope);
        let mut overridden = Vec::new();
        out.retain_mut(|b| {
            let Some(keys) = self.overrides.get(&b.action) else {
                return true;
            };
            // Where letters are text, a letter bound to an action would stop being typed:
            // only keys that type nothing (Ctrl-…, Esc, F-keys …) apply there.
            let keys: Vec<KeySpec> = keys
                .iter()
                .filter(|k| !scope.types_text() || !k.types_text())
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

/// The bindings that exist right now in `scope` (conditions applied), in help order.
pub(crate) fn active(state: &AppState, scope: KeyScope) -> Vec<Binding> {
    state
        .ui
        .keymap
        .built(scope)
        .iter()
        .filter(|b| b.when.iter().all(|c| holds(state, *c)))
        .cloned()
        .collect()
}

/// What the help shows: the active bindings without the keys an earlier binding already takes
/// (on a deployment row `l` opens the logs, so "open" is listed under `→` alone there).
pub fn shown(state: &AppState, scope: KeyScope) -> Vec<Binding> {
    let mut claimed: Vec<KeySpec> = Vec::new();
    let mut out = Vec::new();
    for mut binding in active(state, scope) {
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

/// The action `ev` triggers in `scope` right now, if any.
pub fn resolve(state: &AppState, scope: KeyScope, ev: &KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    // The first active binding with this key, as `active` would list them.
    state
        .ui
        .keymap
        .built(scope)
        .iter()
        .filter(|b| b.keys.iter().any(|k| k.matches(ev)))
        .find(|b| b.when.iter().all(|c| holds(state, *c)))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;

    #[test]
    fn bindings_are_built_once_per_scope_and_again_when_the_overrides_change() {
        let scope = KeyScope::Screen(Screen::Account);
        let defaults = Keymap::default();
        let first = defaults.built(scope);
        assert!(Rc::ptr_eq(&first, &defaults.built(scope)));
        let labels = |b: &[Binding]| b.iter().map(|b| b.label.to_string()).collect::<Vec<_>>();
        assert_eq!(labels(&first), labels(&bindings::defaults(scope)));
        let (map, _) = Keymap::with_overrides(&[("quit".into(), vec!["x".into()])]);
        let overridden = map.built(scope);
        assert!(!Rc::ptr_eq(&first, &overridden));
        assert_eq!(labels(&overridden), labels(&map.build(scope)));
        // Back to the defaults: what the defaults build, not the overridden list.
        assert_eq!(labels(&defaults.built(scope)), labels(&first));
    }

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
            .all(KeyScope::Screen(Screen::Account))
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
        let keys = |scope, action| -> Vec<String> {
            map.all(scope)
                .into_iter()
                .filter(|b| b.action == action)
                .map(|b| b.label.to_string())
                .collect()
        };
        let screen = KeyScope::Screen(Screen::Account);
        assert_eq!(keys(screen, Action::Quit), vec!["x/C-q"]);
        // Esc and h/←/Bksp were two bindings of `back`: the override is the only one left.
        assert_eq!(keys(screen, Action::Back), vec!["Esc"]);
        // In the filter line `x` is a letter: only Ctrl-q quits there.
        assert_eq!(keys(KeyScope::Filter, Action::Quit), vec!["C-q"]);
        assert_eq!(keys(KeyScope::Palette, Action::Quit), vec!["C-q"]);
    }
}
