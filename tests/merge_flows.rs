//! Two operators, one installation (reducer flows): every edit form keeps the base it was
//! opened from, reads the server again before sending, applies the user's changes to what the
//! server holds now, and shows a conflict — sending nothing — when both changed the same field.
//! (Environment variables: `merge_variables_flows.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::forms::FieldId;
use astrodash::app::modal::{ConfirmLine, Modal};
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::mutation::{Mutation, Scope};
use astrodash::houston::request::{Payload, Request};
use common::merge::*;
use common::*;
use crossterm::event::KeyCode;

/// The fixture deployment as B left it: 7 workers.
fn etl_with_workers(replicas: i64) -> Payload {
    let mut d = admin_deployments().remove(0);
    for c in &mut d.resources {
        if c.component == "workers" {
            c.replicas = Some(replicas);
        }
    }
    Payload::Deployment(Box::new(d))
}

fn deployment_server(payload: Payload) -> impl Fn(&Request) -> Option<Payload> {
    move |r| matches!(r, Request::Deployment(_)).then(|| payload.clone())
}

fn spec_of(m: Mutation) -> astrodash::houston::mutation::DeploymentSpec {
    match m {
        Mutation::UpdateDeployment { spec, .. } => spec,
        other => panic!("{other:?}"),
    }
}

#[test]
fn deployment_settings_changed_by_someone_else_are_kept() {
    let mut s = deployment_tab(DeploymentTab::Overview);
    update(&mut s, ch('e'));
    // A changes only the description.
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, " (A)");
    let fx = update(&mut s, ctrl('s'));
    assert_eq!(
        reads(&fx).first().map(|(r, _)| r.clone()),
        Some(Request::Deployment("d-etl".into()))
    );
    no_mutation(&answer_reads_with(
        &mut s,
        &fx,
        deployment_server(etl_with_workers(7)),
    ));
    let lines = review_lines(&s);
    assert!(
        !lines
            .iter()
            .any(|l| matches!(l, ConfirmLine::Changed { what, .. } if what == "Workers")),
        "{lines:?}"
    );
    assert!(lines.contains(&ConfirmLine::Text(
        "Changed on the server since you opened the form, kept: Workers.".into()
    )));
    let fx = update(&mut s, key(KeyCode::Enter));
    let spec = spec_of(one_mutation(&answer_reads_with(
        &mut s,
        &fx,
        deployment_server(etl_with_workers(7)),
    )));
    assert_eq!(spec.resources.worker_replicas, 7, "B's workers are kept");
    assert_eq!(spec.description, "Nightly ETL (A)");
}

#[test]
fn workers_changed_by_both_is_a_conflict() {
    let mut s = deployment_tab(DeploymentTab::Overview);
    update(&mut s, ch('e'));
    for _ in 0..7 {
        update(&mut s, key(KeyCode::Tab));
    }
    clear_field(&mut s, 1);
    type_text(&mut s, "3");
    let fx = update(&mut s, ctrl('s'));
    no_mutation(&answer_reads_with(
        &mut s,
        &fx,
        deployment_server(etl_with_workers(7)),
    ));
    let row = &conflict(&s).rows[0];
    assert_eq!(
        (
            row.field.as_str(),
            row.base.as_str(),
            row.theirs.as_str(),
            row.mine.as_str()
        ),
        ("Workers", "2", "7", "3")
    );
    // Take theirs: the form holds 7, nothing else changed, nothing sent.
    let mut t = s.clone();
    no_mutation(&update(&mut t, ch('t')));
    assert!(t.ui.modals.is_empty());
    // Edit: the form shows mine (3) over the server's other values; base is now theirs.
    no_mutation(&update(&mut s, ch('e')));
    match s.ui.modals.last() {
        Some(Modal::Form(f)) => assert_eq!(f.form.text(FieldId::WorkerReplicas), "3"),
        other => panic!("{other:?}"),
    }
    let fx = update(&mut s, ctrl('s'));
    answer_reads_with(&mut s, &fx, deployment_server(etl_with_workers(7)));
    assert!(review_lines(&s).contains(&ConfirmLine::Changed {
        what: "Workers".into(),
        old: "7".into(),
        new: "3".into()
    }));
}

#[test]
fn workspace_settings_merge_name_and_description() {
    let mut s = workspace_tab(WorkspaceTab::Settings);
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, " (A)");
    let fx = update(&mut s, ctrl('s'));
    no_mutation(&fx);
    let renamed = {
        let mut list = workspaces();
        list[0].label = "Data Platform EU".into();
        Payload::Workspaces(list)
    };
    let m = one_mutation(&answer_reads_with(&mut s, &fx, |r| {
        matches!(r, Request::Workspaces { .. }).then(|| renamed.clone())
    }));
    assert_eq!(
        m,
        Mutation::UpdateWorkspace {
            id: "ws-data".into(),
            label: "Data Platform EU".into(),
            description: "Production pipelines (A)".into()
        }
    );
}

fn users_with_grace(role: Role) -> Payload {
    let mut list = users();
    for u in &mut list {
        if u.id == "u-grace" {
            u.role = Some(role.clone());
        }
    }
    Payload::WorkspaceUsers(list)
}

#[test]
fn a_workspace_role_changed_by_both_is_a_conflict() {
    let mut s = workspace_tab(WorkspaceTab::Users);
    while s
        .selected::<WorkspaceUser>()
        .as_ref()
        .map(|u| u.id.as_str())
        != Some("u-grace")
    {
        update(&mut s, ch('j'));
    }
    update(&mut s, ch('e'));
    // Editor → Viewer; B made Grace an Admin meanwhile.
    update(&mut s, key(KeyCode::Left));
    let fx = update(&mut s, ctrl('s'));
    let server = |r: &Request| {
        matches!(r, Request::WorkspaceUsers(_)).then(|| users_with_grace(Role::WorkspaceAdmin))
    };
    no_mutation(&answer_reads_with(&mut s, &fx, server));
    let row = &conflict(&s).rows[0];
    assert_eq!(
        (
            row.field.as_str(),
            row.base.as_str(),
            row.theirs.as_str(),
            row.mine.as_str()
        ),
        ("Role", "Editor", "Admin", "Viewer")
    );
    let mut t = s.clone();
    no_mutation(&update(&mut t, ch('t')));
    assert!(t.ui.modals.is_empty());
    // Keep mine: read again and, no further change, sent at once.
    let fx = update(&mut s, ch('m'));
    no_mutation(&fx);
    let m = one_mutation(&answer_reads_with(&mut s, &fx, server));
    assert!(matches!(
        m,
        Mutation::SetWorkspaceRole {
            role: Role::WorkspaceViewer,
            ..
        }
    ));
}

#[test]
fn a_deployment_role_removed_or_changed_meanwhile() {
    let mut s = deployment_tab(DeploymentTab::Users);
    while s
        .selected::<DeploymentUser>()
        .as_ref()
        .map(|u| u.id.as_str())
        != Some("u-grace")
    {
        update(&mut s, ch('j'));
    }
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Right));
    let fx = update(&mut s, ctrl('s'));
    // B removed Grace's role: nothing is sent, and the form says why.
    let mut t = s.clone();
    let without: Vec<DeploymentUser> = deployment_users()
        .into_iter()
        .filter(|u| u.id != "u-grace")
        .collect();
    no_mutation(&answer_reads_with(&mut t, &fx, |r| {
        matches!(r, Request::DeploymentUsers(_)).then(|| Payload::DeploymentUsers(without.clone()))
    }));
    assert_eq!(
        form_error(&t).as_deref(),
        Some("This item no longer exists on the server: nothing was sent.")
    );
    // B made Grace an Admin: a conflict; edit, then submit again sends Editor.
    let admin = {
        let mut list = deployment_users();
        list[1].role = Some(Role::DeploymentAdmin);
        Payload::DeploymentUsers(list)
    };
    let server = |r: &Request| matches!(r, Request::DeploymentUsers(_)).then(|| admin.clone());
    no_mutation(&answer_reads_with(&mut s, &fx, server));
    assert_eq!(conflict(&s).rows[0].theirs, "Admin");
    update(&mut s, ch('e'));
    let fx = update(&mut s, ctrl('s'));
    let m = one_mutation(&answer_reads_with(&mut s, &fx, server));
    assert!(matches!(
        m,
        Mutation::SetDeploymentRole {
            role: Role::DeploymentEditor,
            ..
        }
    ));
}

#[test]
fn a_service_account_keeps_the_role_someone_else_set() {
    let mut s = workspace_tab(WorkspaceTab::ServiceAccounts);
    while s
        .selected::<ServiceAccount>()
        .as_ref()
        .map(|a| a.id.as_str())
        != Some("sa-ci")
    {
        update(&mut s, ch('j'));
    }
    update(&mut s, ch('e'));
    type_text(&mut s, " v2");
    let fx = update(&mut s, ctrl('s'));
    let demoted = {
        let mut list = service_accounts();
        list[0].role = Some(Role::WorkspaceViewer);
        Payload::ServiceAccounts(list)
    };
    let m = one_mutation(&answer_reads_with(&mut s, &fx, |r| {
        matches!(r, Request::WorkspaceServiceAccounts(_)).then(|| demoted.clone())
    }));
    assert_eq!(
        m,
        Mutation::UpdateServiceAccount {
            scope: Scope::Workspace("ws-data".into()),
            id: "sa-ci".into(),
            label: "GitHub Actions deploy v2".into(),
            category: "CI/CD".into(),
            role: Role::WorkspaceViewer
        }
    );
}

#[test]
fn a_failed_re_read_sends_nothing_and_unchanged_forms_are_not_read() {
    let mut s = workspace_tab(WorkspaceTab::Settings);
    update(&mut s, ch('e'));
    // Nothing changed: said at once, no read, nothing sent.
    let fx = update(&mut s, ctrl('s'));
    assert!(reads(&fx).is_empty());
    assert_eq!(form_error(&s).as_deref(), Some("Nothing changed."));
    type_text(&mut s, "!");
    let fx = update(&mut s, ctrl('s'));
    let (request, seq) = reads(&fx).remove(0);
    // Typing is ignored while the server is read.
    type_text(&mut s, "zzz");
    let fx = update(
        &mut s,
        Msg::Api {
            request,
            seq,
            at: later(1),
            result: Err(ApiError::Network("connection refused".into())),
        },
    );
    no_mutation(&fx);
    let error = form_error(&s).unwrap();
    assert!(error.contains("nothing was sent"), "{error}");
    match s.ui.modals.last() {
        Some(Modal::Form(f)) => assert_eq!(f.form.text(FieldId::Label), "Data Platform!"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_workspace_renamed_by_both_is_a_conflict() {
    let mut s = workspace_tab(WorkspaceTab::Settings);
    update(&mut s, ch('e'));
    type_text(&mut s, " (A)");
    let fx = update(&mut s, ctrl('s'));
    let renamed = {
        let mut list = workspaces();
        list[0].label = "Data Platform EU".into();
        list[0].description = Some("Pipelines (B)".into());
        Payload::Workspaces(list)
    };
    let server = |r: &Request| matches!(r, Request::Workspaces { .. }).then(|| renamed.clone());
    no_mutation(&answer_reads_with(&mut s, &fx, server));
    let c = conflict(&s);
    assert_eq!(
        c.rows.len(),
        1,
        "only the name: the description is B's alone"
    );
    assert_eq!(
        (c.rows[0].field.as_str(), c.rows[0].theirs.as_str()),
        ("Name", "Data Platform EU")
    );
    // Keep mine: read again and sent, B's description kept.
    let fx = update(&mut s, ch('m'));
    let m = one_mutation(&answer_reads_with(&mut s, &fx, server));
    assert_eq!(
        m,
        Mutation::UpdateWorkspace {
            id: "ws-data".into(),
            label: "Data Platform (A)".into(),
            description: "Pipelines (B)".into()
        }
    );
}

#[test]
fn a_service_account_renamed_by_both_is_a_conflict() {
    let mut s = workspace_tab(WorkspaceTab::ServiceAccounts);
    while s
        .selected::<ServiceAccount>()
        .as_ref()
        .map(|a| a.id.as_str())
        != Some("sa-ci")
    {
        update(&mut s, ch('j'));
    }
    update(&mut s, ch('e'));
    type_text(&mut s, " v2");
    let fx = update(&mut s, ctrl('s'));
    let renamed = {
        let mut list = service_accounts();
        list[0].label = "GHA".into();
        Payload::ServiceAccounts(list)
    };
    let server =
        |r: &Request| matches!(r, Request::WorkspaceServiceAccounts(_)).then(|| renamed.clone());
    no_mutation(&answer_reads_with(&mut s, &fx, server));
    let row = &conflict(&s).rows[0];
    assert_eq!(
        (row.base.as_str(), row.theirs.as_str(), row.mine.as_str()),
        ("GitHub Actions deploy", "GHA", "GitHub Actions deploy v2")
    );
    // Take theirs: nothing else of A's, nothing sent.
    no_mutation(&update(&mut s, ch('t')));
    assert!(s.ui.modals.is_empty());
}
