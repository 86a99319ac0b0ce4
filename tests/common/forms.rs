//! Helpers of the change flows (`form_flows`, `member_form_flows`, `variable_form_flows`): reach a
//! view, read the form or confirmation on top, the mutation an update sent, and answer it.

use super::*;
use astrodash::app::effect::Effect;
use astrodash::app::modal::Modal;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::mutation::{Mutation, Outcome};
use astrodash::houston::request::{Payload, Request};

pub fn at(route: Route) -> AppState {
    let mut s = loaded_state();
    if route == Route::AllDeployments {
        // The platform-wide list: the demo workspace's deployments.
        let list = s.cache.deployments(&"ws-data".into()).unwrap().to_vec();
        s.cache
            .succeed(Request::AllDeployments, Payload::Deployments(list), now());
    }
    if let Route::Deployment { .. } = route {
        s.nav.routes.push(Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Deployments,
        });
    }
    s.nav.routes.push(route);
    s
}

pub fn workspace_tab(tab: WorkspaceTab) -> AppState {
    at(Route::Workspace {
        id: "ws-data".into(),
        tab,
    })
}

pub fn deployment_tab(tab: DeploymentTab) -> AppState {
    at(Route::Deployment {
        id: "d-etl".into(),
        tab,
    })
}

/// The single mutation sent among `effects`, with its id.
pub fn mutation(effects: &[Effect]) -> (u64, Mutation) {
    let sent: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { id, mutation, .. } => Some((*id, mutation.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(sent.len(), 1, "expected one mutation in {effects:?}");
    sent.into_iter().next().unwrap()
}

pub fn no_mutation(effects: &[Effect]) {
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Mutate { .. })),
        "unexpected mutation in {effects:?}"
    );
}

pub fn top_form(s: &AppState) -> &astrodash::app::modal::FormModal {
    match s.ui.modals.last() {
        Some(Modal::Form(f)) => f,
        other => panic!("expected a form on top, got {other:?}"),
    }
}

pub fn top_confirm(s: &AppState) -> &astrodash::app::modal::Confirm {
    match s.ui.modals.last() {
        Some(Modal::Confirm(c)) => c,
        other => panic!("expected a confirmation on top, got {other:?}"),
    }
}

pub fn answered(s: &mut AppState, id: u64, result: Result<Outcome, ApiError>) -> Vec<Effect> {
    update(
        s,
        Msg::Mutated {
            id,
            at: now(),
            result,
        },
    )
}

pub fn fetched(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}
