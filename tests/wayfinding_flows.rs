//! Finding one's way: reducer flows of the breadcrumb of a deployment opened from All
//! deployments, `:deploy NAME` looking in the platform-wide list, and a server that cannot be
//! reached saying so (and retrying) instead of loading forever.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::{init, update};
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::*;
use crossterm::event::KeyCode;

fn fetched(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

fn answer(
    s: &mut AppState,
    effects: &[Effect],
    request: &Request,
    result: Result<Payload, ApiError>,
) -> Vec<Effect> {
    let seq = effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { seq, request: r } if r == request => Some(*seq),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fetch of {request:?} in {effects:?}"));
    update(
        s,
        Msg::Api {
            request: request.clone(),
            seq,
            at: later(1),
            result,
        },
    )
}

fn command(s: &mut AppState, text: &str) -> Vec<Effect> {
    update(s, ch(':'));
    type_text(s, text);
    update(s, key(KeyCode::Enter))
}

fn message(s: &AppState) -> Option<String> {
    s.visible_message().map(|m| m.text.clone())
}

/// A deployment in "Quarterly Revenue…" (`ws-long`), whose list nobody has opened.
fn far_away() -> Deployment {
    Deployment {
        workspace_id: Some("ws-long".into()),
        workspace_label: Some(
            "Quarterly Revenue Forecasting and Reconciliation Working Group (EMEA)".into(),
        ),
        ..deployment(
            "d-far",
            "forecasting",
            "distant-quasar-7777",
            Executor::Celery,
            DeploymentStatus::Healthy,
        )
    }
}

fn forbidden() -> ApiError {
    ApiError::Forbidden("You do not have the appropriate permissions for that".into())
}

// ---- breadcrumbs ----------------------------------------------------------------------------

#[test]
fn a_deployment_opened_from_all_deployments_names_its_workspace_in_the_breadcrumb() {
    let mut s = loaded_state();
    let fx = update(&mut s, ch('a'));
    let mut rows = admin_deployments();
    rows.push(far_away());
    answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        Ok(Payload::Deployments(rows)),
    );
    update(&mut s, ch('/'));
    type_text(&mut s, "forecasting");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-far".into(),
            tab: DeploymentTab::Overview
        }
    );
    assert_eq!(
        s.breadcrumbs(),
        [
            "demo",
            "Quarterly Revenue Forecasting and Reconciliation Working Group (EMEA)",
            "forecasting",
            "Overview"
        ]
    );
    let text = render(&s, 160, 48);
    assert!(
        text.contains("demo › Quarterly Revenue Forecasting a… › forecasting › Overview"),
        "{text}"
    );
    // Opened from its workspace, the workspace is named once.
    command(&mut s, "deploy prod-etl");
    assert_eq!(
        s.breadcrumbs(),
        ["demo", "Data Platform", "prod-etl", "Overview"]
    );
}

// ---- :deploy NAME ---------------------------------------------------------------------------

#[test]
fn deploy_name_looks_in_the_platform_wide_list_when_no_opened_workspace_has_it() {
    let mut s = loaded_state();
    let fx = command(&mut s, "deploy forecasting");
    assert!(s.ui.modals.is_empty());
    assert_eq!(fetched(&fx), vec![Request::AllDeployments]);
    assert_eq!(
        message(&s).as_deref(),
        Some("Looking for forecasting among every deployment…")
    );
    // A view switch meanwhile does not cancel the search.
    let tick = update(&mut s, Msg::Tick(later(30)));
    assert!(
        !tick
            .iter()
            .any(|e| matches!(e, Effect::Cancel(Request::AllDeployments))),
        "{tick:?}"
    );
    let mut rows = admin_deployments();
    rows.push(far_away());
    let fx = answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        Ok(Payload::Deployments(rows)),
    );
    assert_eq!(
        s.nav.routes,
        vec![
            Route::Account,
            Route::Workspace {
                id: "ws-long".into(),
                tab: WorkspaceTab::Deployments
            },
            Route::Deployment {
                id: "d-far".into(),
                tab: DeploymentTab::Overview
            }
        ]
    );
    assert!(fetched(&fx).contains(&Request::Deployment("d-far".into())));
    assert_eq!(message(&s), None, "the search is over");
    assert!(s.ui.deploy_search.is_none());
}

#[test]
fn refused_the_platform_list_deploy_name_reads_the_workspaces_not_opened() {
    let mut s = loaded_state();
    let fx = command(&mut s, "deploy distant-quasar-7777");
    let fx = answer(&mut s, &fx, &Request::AllDeployments, Err(forbidden()));
    // Data Platform and Analytics Sandbox are loaded: only the third workspace is asked.
    let long = Request::Deployments("ws-long".into());
    assert!(fetched(&fx).contains(&long), "{fx:?}");
    assert!(
        !fetched(&fx).contains(&Request::Deployments("ws-data".into())),
        "{fx:?}"
    );
    answer(
        &mut s,
        &fx,
        &long,
        Ok(Payload::Deployments(vec![far_away()])),
    );
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-far".into(),
            tab: DeploymentTab::Overview
        }
    );
}

#[test]
fn deploy_name_found_nowhere_says_so_and_keeps_the_command() {
    let mut s = loaded_state();
    let fx = command(&mut s, "deploy nothing-like-it");
    answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        Ok(Payload::Deployments(admin_deployments())),
    );
    assert_eq!(s.route(), &Route::Account);
    assert_eq!(
        message(&s).as_deref(),
        Some(":deploy nothing-like-it — No deployment matches nothing-like-it")
    );
    // The whole list is here now: asked again, it answers at once.
    let fx = command(&mut s, "deploy nothing-like-it");
    assert!(fetched(&fx).is_empty());
    assert_eq!(
        message(&s).as_deref(),
        Some(":deploy nothing-like-it — No deployment matches nothing-like-it")
    );
    assert_eq!(s.ui.palette_history, ["deploy nothing-like-it"]);
}

// ---- an unreachable server ------------------------------------------------------------------

#[test]
fn an_unreachable_server_says_what_could_not_load_and_retries() {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    update(&mut s, Msg::Resize(80, 24));
    let fx = init(&mut s);
    assert!(fetched(&fx).contains(&Request::Me));
    answer(
        &mut s,
        &fx,
        &Request::Me,
        Err(ApiError::Network("connection refused".into())),
    );
    let text = render(&s, 80, 24);
    assert!(text.contains("UNREACHABLE"), "{text}");
    assert!(!text.contains("Loading…"), "{text}");
    assert!(
        text.contains("Could not load your workspaces: cannot reach Houston"),
        "{text}"
    );
    assert!(text.contains("retrying in"), "{text}");
    // When the retry is due, who we are is asked again; once answered, the workspaces.
    let due = s.net.next_refresh_at.expect("a retry is scheduled");
    let fx = update(&mut s, Msg::Tick(due));
    assert!(fetched(&fx).contains(&Request::Me), "{fx:?}");
    let fx = answer(&mut s, &fx, &Request::Me, Ok(Payload::Me(me())));
    assert!(fetched(&fx).contains(&workspaces_request()), "{fx:?}");
    assert!(render(&s, 80, 24).contains("Loading…"));
}
