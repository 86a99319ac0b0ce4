//! Snapshots (80×24 and 160×48) of the System Admin panel: each tab (users with their system
//! and workspace roles, every pending invite, the system service accounts), a user's
//! system-role form, the type-to-confirm deletion of a user, and what a non-admin is told.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::state::*;
use astrodash::app::update::update;
use common::admin::*;
use common::*;

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn the_users_tab() {
    let s = admin_tab(AdminTab::Users);
    let text = render(&s, 160, 48);
    assert!(text.contains("System admin"), "{text}");
    assert!(
        text.contains("Data Platform (Editor), ML Research (Admin)"),
        "{text}"
    );
    assert!(text.contains("pending"), "{text}");
    snap("admin_users", &s);
}

#[test]
fn the_invites_tab() {
    let s = admin_tab(AdminTab::Invites);
    let text = render(&s, 80, 24);
    assert!(text.contains("Platform"), "{text}");
    assert!(text.contains("Workspace Viewer"), "{text}");
    snap("admin_invites", &s);
}

#[test]
fn the_workspaces_tab() {
    let s = admin_tab(AdminTab::Workspaces);
    let text = render(&s, 80, 24);
    assert!(text.contains("Data Platform"), "{text}");
    assert!(text.contains("Finance"), "{text}");
    assert!(text.contains("Enter open"), "{text}");
    snap("admin_workspaces", &s);
}

#[test]
fn the_service_accounts_tab() {
    let s = admin_tab(AdminTab::ServiceAccounts);
    let text = render(&s, 80, 24);
    assert!(text.contains("platform-ops"), "{text}");
    snap("admin_service_accounts", &s);
}

#[test]
fn a_users_system_role_form() {
    let mut s = admin_tab(AdminTab::Users);
    update(&mut s, ch('j'));
    update(&mut s, ch('e'));
    let text = render(&s, 80, 24);
    assert!(text.contains("System role of Grace Hopper"), "{text}");
    snap("admin_role_form", &s);
}

#[test]
fn deleting_a_user_is_confirmed_by_their_address() {
    let mut s = admin_tab(AdminTab::Users);
    update(&mut s, ch('j'));
    update(&mut s, ctrl('d'));
    let text = render(&s, 80, 24);
    assert!(text.contains("Type grace@example.com to confirm"), "{text}");
    snap("admin_delete_user", &s);
}

#[test]
fn a_non_admin_is_told_why() {
    let mut s = loaded_state();
    update(&mut s, ch('A'));
    let text = render(&s, 160, 48);
    assert!(text.contains("is for system admins"), "{text}");
    snap("admin_refused", &s);
}

#[test]
fn the_task_usage_tab() {
    let mut s = admin_tab(AdminTab::TaskUsage);
    task_usage(&mut s, 30);
    let text = render(&s, 80, 24);
    assert!(text.contains("Task runs of the last 30 days"), "{text}");
    assert!(text.contains("10.0 %"), "{text}");
    snap("admin_task_usage", &s);
}

#[test]
fn task_usage_on_a_houston_without_it_says_so() {
    use astrodash::houston::ApiError;
    use astrodash::houston::request::{Payload, Request};
    let mut s = admin_tab(AdminTab::TaskUsage);
    let all = s.cache.deployments(&"ws-data".into()).unwrap().to_vec();
    put(
        &mut s,
        Request::AllDeployments,
        Payload::Deployments(all.clone()),
    );
    for d in &all {
        let request = Request::TaskUsage {
            release: d.release_name.clone(),
            days: 30,
        };
        s.cache.start(&request);
        s.cache.fail(
            &request,
            ApiError::Unsupported {
                message: "deploymentTaskUsage needs Houston 1.0.0 or later".into(),
                houston_version: Some("0.35.0".into()),
            },
            now(),
        );
    }
    let text = render(&s, 80, 24);
    assert!(
        text.contains("Not available on Houston 0.35.0 (task usage needs Houston 1.0.0 or later)"),
        "{text}"
    );
    snap("admin_task_usage_unavailable", &s);
}
