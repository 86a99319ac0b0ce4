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
