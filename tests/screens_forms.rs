//! Snapshots of forms, confirmations and the one-time API key at 80×24 and 160×48, each reached
//! with the keys a user presses, from fixed fixture data and a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::modal::{ApiKeyView, CopyStatus, Modal};
use astrodash::app::msg::Secret;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::request::{Payload, Request};
use common::screens::*;
use common::*;
use crossterm::event::KeyCode;

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

/// `keys` pressed on `s`, then a snapshot at both sizes; returns the 80×24 text.
fn snap_after(name: &str, mut s: AppState, keys: &[crossterm::event::KeyEvent]) -> String {
    for k in keys {
        update(&mut s, astrodash::app::msg::Msg::Key(*k));
    }
    snap(name, &s);
    render(&s, 80, 24)
}

#[test]
fn form_new_workspace() {
    let text = snap_after("form_new_workspace", loaded_state(), &[k('n')]);
    assert!(
        text.contains("New workspace") && text.contains("Name"),
        "{text}"
    );
}

#[test]
fn form_new_workspace_with_an_error() {
    // Submitting an empty name: the problem shows next to the field.
    let text = snap_after(
        "form_new_workspace_error",
        loaded_state(),
        &[k('n'), c('s')],
    );
    assert!(text.contains("Name is required"), "{text}");
}

#[test]
fn form_personal_settings() {
    let text = snap_after("form_personal_settings", loaded_state(), &[k('p')]);
    assert!(text.contains("Ada Lovelace"), "{text}");
}

#[test]
fn form_new_deployment_with_preview() {
    let s = at_workspace(WorkspaceTab::Deployments);
    let text = snap_after("form_new_deployment", s, &[k('n')]);
    assert!(text.contains("Executor"), "{text}");
    let wide = {
        let mut s = at_workspace(WorkspaceTab::Deployments);
        update(&mut s, ch('n'));
        render(&s, 160, 48)
    };
    assert!(wide.contains("Total") && wide.contains("33 AU"), "{wide}");
}

#[test]
fn form_edit_deployment_and_its_diff() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, ch('e'));
    // To "Workers" (the 8th field) and from 2 to 4.
    for _ in 0..7 {
        update(&mut s, key(KeyCode::Tab));
    }
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, ch('4'));
    snap("form_edit_deployment", &s);
    // The review comes once the deployment was read again (unchanged here).
    let fx = update(&mut s, ctrl('s'));
    answer_reads(&mut s, &fx);
    let text = render(&s, 160, 48);
    assert!(text.contains("Workers: 2 → 4"), "{text}");
    assert!(text.contains("Total"), "{text}");
    snap("confirm_deployment_diff", &s);
}

#[test]
fn form_upgrade_airflow() {
    let s = at_workspace(WorkspaceTab::Deployments);
    let text = snap_after("form_upgrade_airflow", s, &[k('u')]);
    assert!(text.contains("Upgrade"), "{text}");
}

#[test]
fn confirm_delete_deployment_asks_for_its_name() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, ctrl('d'));
    let text = render(&s, 80, 24);
    assert!(text.contains("Type the deployment's name"), "{text}");
    snap("confirm_delete_deployment", &s);
    type_text(&mut s, "prod-etl");
    assert!(render(&s, 80, 24).contains("Enter Delete"));
}

#[test]
fn confirm_delete_workspace() {
    let mut s = loaded_state();
    select(&mut s, 1);
    snap_after("confirm_delete_workspace", s, &[c('d')]);
}

#[test]
fn forms_for_variables() {
    let s = at_deployment("d-etl", DeploymentTab::Variables);
    let text = snap_after("form_add_variable", s, &[k('n')]);
    assert!(text.contains("Secret"), "{text}");
    let mut s = at_deployment("d-etl", DeploymentTab::Variables);
    // The secret variable (sorted by name: AIRFLOW…, ENVIRONMENT, SNOWFLAKE_PASSWORD).
    select(&mut s, 2);
    update(&mut s, ch('e'));
    // The secret choice comes before the value.
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    let text = render(&s, 80, 24);
    assert!(text.contains("leave empty to keep"), "{text}");
    snap("form_edit_secret_variable", &s);
    let s = at_deployment("d-etl", DeploymentTab::Variables);
    snap_after("form_import_env", s, &[k('i')]);
    let mut s = at_deployment("d-etl", DeploymentTab::Variables);
    update(&mut s, ctrl('d'));
    let text = render(&s, 80, 24);
    assert!(text.contains("- AIRFLOW__CORE__PARALLELISM = 64"), "{text}");
    snap("confirm_delete_variable", &s);
}

#[test]
fn forms_for_users_and_invites() {
    let s = at_workspace(WorkspaceTab::Users);
    let text = snap_after("form_invite_user", s, &[k('n')]);
    assert!(text.contains("E-mail") && text.contains("Viewer"), "{text}");
    let s = at_workspace(WorkspaceTab::Users);
    let text = snap_after("form_change_role", s, &[k('e')]);
    assert!(text.contains("ada@example.com"), "{text}");
    // Grace (the third row: Ada Lovelace, alan, Grace Hopper).
    let mut s = at_workspace(WorkspaceTab::Users);
    select(&mut s, 2);
    let text = snap_after("confirm_remove_user", s, &[c('d')]);
    assert!(text.contains("Remove Grace Hopper"), "{text}");
    // Ada is the only admin (no team is one): removing her is refused on the message line.
    let mut s = at_workspace(WorkspaceTab::Users);
    put(
        &mut s,
        Request::WorkspaceTeams("ws-data".into()),
        Payload::Teams(vec![]),
    );
    let text = snap_after("refused_remove_last_admin", s, &[c('d')]);
    assert!(text.contains("would have no admin left"), "{text}");
    let s = at_workspace(WorkspaceTab::Invites);
    let text = snap_after("confirm_revoke_invite", s, &[c('d')]);
    assert!(text.contains("katherine@example.com"), "{text}");
    let s = at_deployment("d-etl", DeploymentTab::Users);
    snap_after("form_add_deployment_user", s, &[k('n')]);
}

#[test]
fn forms_for_service_accounts() {
    let s = at_workspace(WorkspaceTab::ServiceAccounts);
    snap_after("form_new_service_account", s, &[k('n')]);
    let s = at_workspace(WorkspaceTab::ServiceAccounts);
    let text = snap_after("form_edit_service_account", s, &[k('e')]);
    assert!(text.contains("GitHub Actions deploy"), "{text}");
}

#[test]
fn discard_changes_asks_first() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    type_text(&mut s, "half-typed");
    update(&mut s, key(KeyCode::Esc));
    let text = render(&s, 80, 24);
    assert!(text.contains("Discard what you typed?"), "{text}");
    snap("confirm_discard", &s);
}

#[test]
fn the_one_time_api_key() {
    let mut s = at_workspace(WorkspaceTab::ServiceAccounts);
    s.ui.modals.push(Modal::ApiKey(ApiKeyView {
        label: "GitHub Actions deploy".into(),
        key: Secret("0f1e2d3c4b5a69788796a5b4c3d2e1f0".into()),
        copy: CopyStatus::Copied,
    }));
    let text = render(&s, 80, 24);
    assert!(text.contains("0f1e2d3c4b5a69788796a5b4c3d2e1f0"), "{text}");
    assert!(text.contains("only time the key is shown"), "{text}");
    assert!(text.contains("sent to your clipboard"), "{text}");
    snap("api_key", &s);
    // Closed: gone for good.
    update(&mut s, key(KeyCode::Esc));
    assert!(!render(&s, 160, 48).contains("0f1e2d3c4b5a"));
}
