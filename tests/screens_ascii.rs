//! Screens where the locale is not UTF-8 (`LANG=C`): drawn with ASCII only — borders, status
//! marks, arrows, the ellipsis, names from the server — in the same layout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::state::{AppState, DeploymentTab, Route, WorkspaceTab};
use common::*;

fn ascii_at(routes: Vec<Route>) -> AppState {
    let mut s = loaded_state();
    s.nav.routes.extend(routes);
    s.ui.ascii = true;
    s
}

fn snap_ascii(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        assert!(
            text.is_ascii(),
            "{name} {w}x{h}: {:?}",
            text.chars().filter(|c| !c.is_ascii()).collect::<String>()
        );
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn the_deployments_list_in_ascii() {
    let mut s = ascii_at(vec![Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    }]);
    // A name in another script, cut with an ellipsis at 80 columns.
    let mut list = admin_deployments();
    list[1].label = "Überwachung-日本語-reporting-pipeline".into();
    put(
        &mut s,
        astrodash::houston::request::Request::Deployments("ws-data".into()),
        astrodash::houston::request::Payload::Deployments(list),
    );
    astrodash::app::update::update(&mut s, ch('s'));
    let text = render(&s, 80, 24);
    assert!(text.contains("+ Deployments (4) ---"), "{text}");
    assert!(text.contains("Deployment^"), "the sort arrow:\n{text}");
    assert!(
        text.contains("* HEALTHY") && text.contains("x UNHEALTHY"),
        "{text}"
    );
    assert!(text.contains("2.8.1 > 2.9.2"), "the upgrade arrow:\n{text}");
    snap_ascii("ascii_deployments", &s);
}

#[test]
fn the_deployment_overview_in_ascii() {
    let s = ascii_at(vec![
        Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Deployments,
        },
        Route::Deployment {
            id: "d-etl".into(),
            tab: DeploymentTab::Overview,
        },
    ]);
    snap_ascii("ascii_deployment_overview", &s);
}
