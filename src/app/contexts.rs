//! Contexts (installations) within one run: the list `:ctx` offers, the token of the current
//! one (in memory only, never written anywhere), and what each context left behind — its
//! session, cached data, tables and view — so switching back continues where it was.

use std::collections::HashMap;
use std::time::Duration;

use super::cache::Cache;
use super::msg::Secret;
use super::state::route::{Nav, Route};
use super::state::session::{LoginState, Session};
use super::tables::{TableId, TableState};
use crate::config::{ContextEntry, ContextSource, Settings, ThemeChoice, ThemeName};

/// A context the user switched away from.
#[derive(Debug, Clone)]
pub struct SavedContext {
    pub(crate) session: Session,
    pub(crate) cache: Cache,
    pub(crate) nav: Nav,
    pub(crate) tables: HashMap<TableId, TableState>,
    pub token: Option<Secret>,
}

#[derive(Debug, Clone, Default)]
pub struct Contexts {
    /// Every installation `:ctx` offers; the current one included.
    pub(crate) entries: Vec<ContextEntry>,
    /// The current context's token, as the executor uses it.
    pub token: Option<Secret>,
    /// Contexts left during this run, by name.
    pub saved: HashMap<String, SavedContext>,
    /// Where themes come from (each context may have its own).
    pub(crate) theme: ThemeChoice,
}

impl Contexts {
    /// The installations of `settings`, the one in use always among them (a `--url` or the
    /// demo has no entry of its own); `mono`: `NO_COLOR` is set.
    pub(crate) fn from_settings(settings: &Settings, mono: bool) -> Contexts {
        let mut contexts = Contexts {
            entries: settings.contexts.clone(),
            token: settings.token.clone(),
            saved: HashMap::new(),
            theme: settings.theme,
        };
        contexts.theme.no_color |= mono;
        if contexts.entry(&settings.context_name).is_none() {
            contexts.entries.insert(
                0,
                ContextEntry {
                    name: settings.context_name.clone(),
                    source: ContextSource::CommandLine,
                    url: settings.url.clone(),
                    app_url: settings.app_url.clone(),
                    token: settings.token.clone(),
                    read_only: settings.read_only,
                    theme: None,
                    trust: settings.trust.clone(),
                    problem: None,
                },
            );
        }
        contexts
    }

    pub fn entry(&self, name: &str) -> Option<&ContextEntry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The theme of the context called `name`.
    pub(crate) fn theme_of(&self, name: &str) -> ThemeName {
        self.theme.resolve(self.entry(name).and_then(|e| e.theme))
    }
}

/// The session of a context entered for the first time: the login screen when it has no token.
pub(crate) fn new_session(entry: &ContextEntry, refresh: Duration) -> Session {
    Session {
        context_name: entry.name.clone(),
        houston_url: Some(entry.url.clone()),
        app_url: entry.app_url.clone(),
        read_only: entry.read_only,
        tls_unverified: entry.trust.insecure_skip_verify,
        refresh,
        token_expires_at: entry
            .token
            .as_ref()
            .and_then(crate::houston::jwt::expires_at),
        login: entry.token.is_none().then(|| LoginState::new(None)),
        return_to: None,
        last_login: None,
    }
}

/// The view a context starts on.
pub(crate) fn new_nav() -> Nav {
    Nav {
        routes: vec![Route::Account],
        history: Vec::new(),
    }
}
