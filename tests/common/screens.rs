//! Helpers of the screen tests (`screens`, `screens_forms`, `screens_render`): reach a view,
//! snapshot it at 80×24 and 160×48.

use super::*;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use crossterm::event::KeyCode;

pub fn at_workspace(tab: WorkspaceTab) -> AppState {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab,
    });
    s
}

pub fn at_deployment(id: &str, tab: DeploymentTab) -> AppState {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    s.nav.routes.push(Route::Deployment { id: id.into(), tab });
    s
}

/// Select the row of the current table at `pos`.
pub fn select(s: &mut AppState, pos: usize) {
    update(s, ch('g'));
    for _ in 0..pos {
        update(s, ch('j'));
    }
}

pub fn login_state(mode: LoginMode) -> AppState {
    let mut s = AppState::new(&settings(None), now(), false);
    put(
        &mut s,
        Request::AuthConfig,
        Payload::AuthConfig(AuthConfig {
            local_enabled: mode == LoginMode::Password,
            public_signup: false,
            initial_signup: false,
            providers: vec![],
        }),
    );
    s.session.login.as_mut().unwrap().mode = mode;
    s
}

pub fn k(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(KeyCode::Char(c), crossterm::event::KeyModifiers::NONE)
}

pub fn c(ch: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(KeyCode::Char(ch), crossterm::event::KeyModifiers::CONTROL)
}
