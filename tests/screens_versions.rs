//! What an older Houston lacks is said once and never shown as data: on 0.23/0.25 the
//! deployment's Users tab once showed "Teams (0)" above "not available", and describe showed
//! `namespace: null` where the Overview shows "—".
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::modal::Modal;
use astrodash::app::state::{AppState, DeploymentTab, Route, WorkspaceTab};
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::request::{Payload, Request};
use common::*;
use crossterm::event::KeyCode;

fn at_deployment(tab: DeploymentTab) -> AppState {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    s.nav.routes.push(Route::Deployment {
        id: "d-etl".into(),
        tab,
    });
    s
}

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(state, w, h));
    }
}

#[test]
fn deployment_users_on_houston_0_23_say_teams_are_not_available_without_a_count() {
    let mut s = at_deployment(DeploymentTab::Users);
    let teams = Request::DeploymentTeams("d-etl".into());
    s.cache.start(&teams);
    s.cache.fail(
        &teams,
        ApiError::Unsupported {
            message: "`deploymentTeams` needs Houston 0.28.0 or later".into(),
            houston_version: Some("0.23.0".into()),
        },
        ago(1),
    );
    let text = render(&s, 80, 24);
    assert!(!text.contains("Teams ("), "{text}");
    assert!(text.contains("Not available on Houston 0.23.0"), "{text}");
    assert!(
        text.contains("Users (2)"),
        "the users keep their count:\n{text}"
    );
    snap("deployment_users_houston_0_23", &s);

    // Once a newer Houston answers, the count is back.
    put(&mut s, teams, Payload::Teams(vec![]));
    assert!(render(&s, 80, 24).contains("Teams (0)"));
}

#[test]
fn describe_leaves_out_what_the_server_did_not_report() {
    let mut s = at_deployment(DeploymentTab::Overview);
    let mut d = admin_deployments()[0].clone();
    // Houston 0.23 has no namespace field.
    d.namespace = None;
    put(
        &mut s,
        Request::Deployment(d.id.clone()),
        Payload::Deployment(Box::new(d)),
    );
    let overview = render(&s, 160, 48);
    assert!(
        overview
            .lines()
            .any(|l| l.contains("Namespace") && l.contains("—")),
        "{overview}"
    );
    update(&mut s, ch('d'));
    let Some(Modal::Describe(view)) = s.ui.modals.last() else {
        panic!("no describe view");
    };
    let text = view.text();
    assert!(!text.contains("null"), "{text}");
    assert!(!text.contains("namespace"), "{text}");
    assert!(
        text.contains("\nreleaseName: quantum-nebula-1234\n"),
        "{text}"
    );
    // `y` copies what is shown.
    let fx = update(&mut s, ch('y'));
    let [Effect::Copy { text: copied, .. }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    assert_eq!(copied.expose(), text);
    // Where `namespace: null` was: between `label` and `releaseName`.
    update(&mut s, ch('/'));
    type_text(&mut s, "label:");
    update(&mut s, key(KeyCode::Enter));
    snap("describe_deployment_houston_0_23", &s);
}
