//! Helpers of the reducer flows where two operators edit the same thing: screens to start on,
//! the mutations among effects, and what is on top (a conflict, a review, a form).

use astrodash::app::effect::Effect;
use astrodash::app::modal::{ConfirmLine, ConflictView, Modal};
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::mutation::Mutation;
use crossterm::event::KeyCode;

use super::{key, loaded_state};

pub fn at(route: Route) -> AppState {
    let mut s = loaded_state();
    if let Route::Deployment { .. } = route {
        s.nav.routes.push(Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Deployments,
        });
    }
    s.nav.routes.push(route);
    s
}

pub fn deployment_tab(tab: DeploymentTab) -> AppState {
    at(Route::Deployment {
        id: "d-etl".into(),
        tab,
    })
}

pub fn workspace_tab(tab: WorkspaceTab) -> AppState {
    at(Route::Workspace {
        id: "ws-data".into(),
        tab,
    })
}

pub fn mutations(effects: &[Effect]) -> Vec<Mutation> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { mutation, .. } => Some(mutation.clone()),
            _ => None,
        })
        .collect()
}

pub fn one_mutation(effects: &[Effect]) -> Mutation {
    let sent = mutations(effects);
    assert_eq!(sent.len(), 1, "expected one mutation in {effects:?}");
    sent.into_iter().next().unwrap()
}

pub fn no_mutation(effects: &[Effect]) {
    assert!(mutations(effects).is_empty(), "unexpected mutation");
}

pub fn conflict(s: &AppState) -> &ConflictView {
    match s.ui.modals.last() {
        Some(Modal::Conflict(c)) => c,
        other => panic!("expected a conflict on top, got {other:?}"),
    }
}

pub fn review_lines(s: &AppState) -> Vec<ConfirmLine> {
    match s.ui.modals.last() {
        Some(Modal::Confirm(c)) => c.lines.clone(),
        other => panic!("expected a review on top, got {other:?}"),
    }
}

pub fn form_error(s: &AppState) -> Option<String> {
    match s.ui.modals.last() {
        Some(Modal::Form(f)) => f.form.error.clone(),
        other => panic!("expected a form on top, got {other:?}"),
    }
}

pub fn clear_field(s: &mut AppState, n: usize) {
    for _ in 0..n {
        update(s, key(KeyCode::Backspace));
    }
}
