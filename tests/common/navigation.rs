//! Helpers of the navigation reducer flows (`navigation_flows`, `palette_flows`, `context_switch_flows`):
//! reach a workspace tab, run a `:` command, read what the palette and the effects say.

/// Every step here gets the executor's answer to a context switch at once.
use super::update_connected as update;
use super::*;
use astrodash::app::effect::Effect;
use astrodash::app::modal::Modal;
use astrodash::app::state::*;
use astrodash::config::{ContextEntry, ContextSource, Settings, ThemeChoice, ThemeName};
use astrodash::houston::request::Request;
use crossterm::event::KeyCode;

pub fn fetched(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

pub fn at_workspace(tab: WorkspaceTab) -> AppState {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab,
    });
    s
}

pub fn palette(s: &AppState) -> &astrodash::app::palette::Palette {
    match s.ui.modals.last() {
        Some(Modal::Palette(p)) => p,
        other => panic!("no palette on top: {other:?}"),
    }
}

/// `:` + `text` + Enter.
pub fn command(s: &mut AppState, text: &str) -> Vec<Effect> {
    update(s, ch(':'));
    type_text(s, text);
    update(s, key(KeyCode::Enter))
}

/// The message line's text, if it shows one.
pub fn failure(s: &AppState) -> Option<String> {
    s.visible_message().map(|m| m.text.clone())
}

pub fn deployment_route(id: &str) -> Route {
    Route::Deployment {
        id: id.into(),
        tab: DeploymentTab::Overview,
    }
}

pub fn ws_route(tab: WorkspaceTab) -> Route {
    Route::Workspace {
        id: "ws-data".into(),
        tab,
    }
}

// ---- contexts ---------------------------------------------------------------------------

pub fn entry(name: &str, url: &str, token: Option<&str>, theme: Option<ThemeName>) -> ContextEntry {
    ContextEntry {
        name: name.into(),
        source: ContextSource::Config,
        url: url.into(),
        app_url: None,
        token: token.map(Into::into),
        read_only: false,
        theme,
        trust: Default::default(),
        problem: None,
    }
}

/// Logged in to "demo", with "staging" (a token, dark theme), "nologin" (no token) and a
/// broken "cloud" context configured.
pub fn with_contexts() -> AppState {
    let settings = Settings {
        contexts: vec![
            entry("demo", "http://127.0.0.1:8871/v1", Some("token"), None),
            entry(
                "staging",
                "https://houston.staging.example.com/v1",
                Some("staging-token"),
                Some(ThemeName::Dark),
            ),
            entry("nologin", "http://localhost:9999/v1", None, None),
            ContextEntry {
                problem: Some("Astro Cloud has no Houston API".into()),
                ..entry("cloud", "https://houston.astronomer.io/v1", None, None)
            },
        ],
        theme: ThemeChoice {
            global: Some(ThemeName::Light),
            ..ThemeChoice::default()
        },
        ..settings(Some("token"))
    };
    let mut s = AppState::new(&settings, now(), false);
    let loaded = loaded_state();
    s.cache = loaded.cache;
    s
}
