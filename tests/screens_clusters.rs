//! The Clusters view and the Cluster column of Houston 1.0+ (insta snapshots, 80×24 and
//! 160×48).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::state::{AppState, Route, WorkspaceTab};
use common::clusters::*;
use common::*;

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(state, w, h));
    }
}

#[test]
fn clusters_view() {
    snap("clusters", &at_clusters());
}

#[test]
fn workspace_deployments_on_clusters() {
    let mut s = apc_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    snap("deployments_on_clusters", &s);
}

#[test]
fn all_deployments_on_clusters() {
    let mut s = apc_state();
    s.nav.routes.push(Route::AllDeployments);
    snap("all_deployments_on_clusters", &s);
}

#[test]
fn create_form_on_houston_2_1() {
    use astrodash::app::update::update;
    use astrodash::houston::model::{AppConfig, PlatformFlags};
    use astrodash::houston::request::{Payload, Request};
    let mut s = apc_state();
    put(
        &mut s,
        Request::AppConfig,
        Payload::AppConfig(AppConfig {
            version: Some("2.1.0".into()),
            base_domain: None,
        }),
    );
    put(
        &mut s,
        Request::PlatformFlags("cl-east".into()),
        Payload::PlatformFlags(PlatformFlags {
            manual_namespaces: true,
        }),
    );
    put(
        &mut s,
        Request::AvailableNamespaces("cl-east".into()),
        Payload::Namespaces(vec!["east-ns-1".into(), "east-ns-2".into()]),
    );
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    update(&mut s, ch('n'));
    type_text(&mut s, "lakehouse");
    snap("create_deployment_2_1", &s);
}
