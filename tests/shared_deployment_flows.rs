//! A user whose only role is on one deployment (a `DEPLOYMENT_*` binding, no workspace role):
//! reducer flows of the account dashboard, `a` and the `:` palette reaching that deployment.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::update;
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

fn campaign() -> Deployment {
    Deployment {
        workspace_id: Some("ws-mkt".into()),
        workspace_label: Some("Marketing Analytics".into()),
        ..deployment(
            "d-camp",
            "Campaign Attribution",
            "lunar-eclipse-4321",
            Executor::Celery,
            DeploymentStatus::Healthy,
        )
    }
}

fn dan() -> Me {
    Me {
        id: Some("u-dan".into()),
        username: "dan".into(),
        full_name: Some("Dan Deploy".into()),
        email: Some("dan@example.com".into()),
        is_system_admin: false,
        deployment_roles: vec![DeploymentRole {
            role: Role::DeploymentEditor,
            deployment_id: "d-camp".into(),
            label: "Campaign Attribution".into(),
            release_name: "lunar-eclipse-4321".into(),
            workspace_id: Some("ws-mkt".into()),
            workspace_label: Some("Marketing Analytics".into()),
        }],
    }
}

/// Logged in as `me`, Houston listing `workspaces` for them; the account dashboard shown with
/// whatever it asked for answered.
fn logged_in(me: Me, workspaces: Vec<Workspace>) -> AppState {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    update(&mut s, Msg::Resize(160, 48));
    put(
        &mut s,
        Request::AppConfig,
        Payload::AppConfig(AppConfig {
            version: Some("0.35.0".into()),
            base_domain: None,
        }),
    );
    put(&mut s, Request::Me, Payload::Me(me));
    let fx = update(&mut s, ctrl('r'));
    let ws = Request::Workspaces {
        me_id: Some("u-dan".into()),
    };
    let fx = answer(&mut s, &fx, &ws, Ok(Payload::Workspaces(workspaces)));
    // The workspace list said which roles lie outside it: those deployments are read.
    let own = Request::Deployment("d-camp".into());
    assert!(fetched(&fx).contains(&own), "{fx:?}");
    answer(
        &mut s,
        &fx,
        &own,
        Ok(Payload::Deployment(Box::new(campaign()))),
    );
    s
}

#[test]
fn the_account_dashboard_lists_the_deployment_shared_with_a_deployment_only_user() {
    let mut s = logged_in(dan(), vec![]);
    assert_eq!(s.current_table(), Some(TableId::SharedDeployments));
    let text = render(&s, 160, 48);
    assert!(text.contains("Deployments shared with you (1)"), "{text}");
    assert!(
        text.contains("Campaign Attribution") && text.contains("Marketing Analytics"),
        "{text}"
    );
    assert!(!text.contains("not a member of any workspace"), "{text}");
    // Enter opens it; its workspace is in the path.
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-camp".into(),
            tab: DeploymentTab::Overview
        }
    );
    assert!(fetched(&fx).contains(&Request::Deployment("d-camp".into())));
    assert_eq!(
        s.breadcrumbs(),
        [
            "demo",
            "Marketing Analytics",
            "Campaign Attribution",
            "Overview"
        ]
    );
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.route(), &Route::Account);
}

#[test]
fn all_deployments_includes_the_shared_deployment_when_the_platform_list_is_refused() {
    let mut s = logged_in(dan(), vec![]);
    let fx = update(&mut s, ch('a'));
    assert!(fetched(&fx).contains(&Request::AllDeployments), "{fx:?}");
    answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        Err(ApiError::Forbidden(
            "You do not have the appropriate permissions for that".into(),
        )),
    );
    assert_eq!(s.visible_message(), None, "the refusal is expected");
    let text = render(&s, 160, 48);
    assert!(text.contains("All deployments (1)"), "{text}");
    assert!(text.contains("Campaign Attribution"), "{text}");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-camp".into(),
            tab: DeploymentTab::Overview
        }
    );
}

#[test]
fn the_palette_finds_the_shared_deployment() {
    let mut s = logged_in(dan(), vec![]);
    update(&mut s, ch(':'));
    type_text(&mut s, "campaign");
    update(&mut s, key(KeyCode::Enter));
    // Not by way of its workspace, where Dan has no role.
    assert_eq!(
        s.nav.routes,
        vec![
            Route::Account,
            Route::Deployment {
                id: "d-camp".into(),
                tab: DeploymentTab::Overview
            }
        ]
    );
    // By release name too, from anywhere.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch(':'));
    type_text(&mut s, "deploy lunar-eclipse-4321");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.visible_message(), None);
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-camp".into(),
            tab: DeploymentTab::Overview
        }
    );
}

#[test]
fn a_user_with_workspaces_too_sees_the_shared_deployment_below_them() {
    let mut ws = workspaces();
    for w in &mut ws {
        // Dan's own role, not Ada's.
        w.my_role = Some(Role::WorkspaceViewer);
    }
    let s = logged_in(dan(), ws);
    assert_eq!(s.current_table(), Some(TableId::Workspaces));
    let text = render(&s, 160, 48);
    assert!(text.contains("Workspaces (3)"), "{text}");
    assert!(text.contains("Deployments shared with you (1)"), "{text}");
    assert!(text.contains("Campaign Attribution"), "{text}");
}

#[test]
fn a_deployment_role_inside_a_listed_workspace_is_not_shown_twice() {
    let mut me = dan();
    me.deployment_roles[0].workspace_id = Some("ws-data".into());
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    put(&mut s, Request::Me, Payload::Me(me));
    put(
        &mut s,
        Request::Workspaces {
            me_id: Some("u-dan".into()),
        },
        Payload::Workspaces(workspaces()),
    );
    assert!(astrodash::app::shared::roles(&s.cache).is_empty());
    assert!(
        !s.visible_requests()
            .contains(&Request::Deployment("d-camp".into()))
    );
}

/// A deployment service account's key: Houston's `self` has no user, so no role is known.
fn with_a_deployment_key() -> AppState {
    let mut s = AppState::new(
        &settings(Some("0123456789abcdef0123456789abcdef")),
        now(),
        false,
    );
    update(&mut s, Msg::Resize(160, 48));
    put(&mut s, Request::Me, Payload::Me(Me::service_account(false)));
    put(
        &mut s,
        Request::Workspaces { me_id: None },
        Payload::Workspaces(vec![]),
    );
    s
}

#[test]
fn a_deployment_key_reaches_its_deployment_by_release_name() {
    let mut s = with_a_deployment_key();
    let text = render(&s, 160, 48);
    assert!(
        text.contains("This key has no role on a workspace. A deployment's key reaches its deployment by name: :deploy RELEASE-NAME"),
        "{text}"
    );
    update(&mut s, ch(':'));
    type_text(&mut s, "deploy lunar-eclipse-4321");
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(fetched(&fx), vec![Request::AllDeployments]);
    let fx = answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        Err(ApiError::Forbidden(
            "You do not have the appropriate permissions for that".into(),
        )),
    );
    let by_name = Request::DeploymentByRelease("lunar-eclipse-4321".into());
    assert!(fetched(&fx).contains(&by_name), "{fx:?}");
    let fx = answer(
        &mut s,
        &fx,
        &by_name,
        Ok(Payload::Deployment(Box::new(campaign()))),
    );
    // Not through its workspace: the key has no role there.
    assert_eq!(
        s.nav.routes,
        vec![
            Route::Account,
            Route::Deployment {
                id: "d-camp".into(),
                tab: DeploymentTab::Overview
            }
        ]
    );
    assert!(fetched(&fx).contains(&Request::Deployment("d-camp".into())));
    assert_eq!(s.visible_message(), None);
    assert!(s.ui.deploy_search.is_none());
    assert_eq!(
        s.breadcrumbs(),
        [
            "demo",
            "Marketing Analytics",
            "Campaign Attribution",
            "Overview"
        ]
    );
    // Back on the account dashboard, the deployment reached is listed for the session, and
    // kept fresh there.
    let fx = update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.route(), &Route::Account);
    assert_eq!(s.current_table(), Some(TableId::SharedDeployments));
    let text = render(&s, 160, 48);
    assert!(text.contains("Deployments shared with you (1)"), "{text}");
    assert!(text.contains("Campaign Attribution"), "{text}");
    assert!(
        s.visible_requests()
            .contains(&Request::Deployment("d-camp".into())),
        "{fx:?}"
    );
    // `a` too (the platform-wide list was refused already: not asked again).
    let fx = update(&mut s, ch('a'));
    assert!(!fetched(&fx).contains(&Request::AllDeployments), "{fx:?}");
    let text = render(&s, 160, 48);
    assert!(text.contains("All deployments (1)"), "{text}");
    assert!(text.contains("Campaign Attribution"), "{text}");
}

#[test]
fn a_deployment_key_asking_for_another_name_is_told_nothing_matches() {
    let mut s = with_a_deployment_key();
    update(&mut s, ch(':'));
    type_text(&mut s, "deploy not-mine-0001");
    let fx = update(&mut s, key(KeyCode::Enter));
    let refused =
        || ApiError::Forbidden("You do not have the appropriate permissions for that".into());
    let fx = answer(&mut s, &fx, &Request::AllDeployments, Err(refused()));
    let by_name = Request::DeploymentByRelease("not-mine-0001".into());
    answer(&mut s, &fx, &by_name, Err(refused()));
    assert_eq!(s.route(), &Route::Account);
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some(":deploy not-mine-0001 — No deployment matches not-mine-0001")
    );
    assert!(s.ui.deploy_search.is_none());
    // Asked again, the deployment is read again (it may have been shared since).
    update(&mut s, ch(':'));
    type_text(&mut s, "deploy not-mine-0001");
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(fetched(&fx).contains(&by_name), "{fx:?}");
}

#[test]
fn snapshot_the_dashboard_of_a_deployment_only_user() {
    let mut s = logged_in(dan(), vec![]);
    // A fixed clock for the "Updated" column; the "Refreshing…" of the set-up gone.
    s.now = now();
    s.ui.message = None;
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(&s, w, h);
        insta::assert_snapshot!(format!("shared_dashboard_{w}x{h}"), text);
    }
}

#[test]
fn a_deployment_reached_by_name_that_is_deleted_leaves_the_dashboard() {
    let mut s = with_a_deployment_key();
    put(
        &mut s,
        Request::DeploymentByRelease("lunar-eclipse-4321".into()),
        Payload::Deployment(Box::new(campaign())),
    );
    assert_eq!(s.current_table(), Some(TableId::SharedDeployments));
    let fx = update(&mut s, ctrl('r'));
    let own = Request::Deployment("d-camp".into());
    assert!(fetched(&fx).contains(&own), "{fx:?}");
    answer(
        &mut s,
        &fx,
        &own,
        Err(ApiError::NotFound("Deployment not found".into())),
    );
    assert!(astrodash::app::shared::ids(&s.cache).is_empty());
    assert_eq!(s.current_table(), Some(TableId::Workspaces));
    assert!(render(&s, 160, 48).contains("This key has no role on a workspace"));
}
