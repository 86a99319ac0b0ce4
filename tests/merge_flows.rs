//! Two operators, one installation (reducer flows): every edit form keeps the base it was
//! opened from, reads the server again before sending, applies the user's changes to what the
//! server holds now, and shows a conflict — sending nothing — when both changed the same field.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::modal::{ConfirmLine, ConflictView, Modal};
use astrodash::app::msg::{Msg, Secret};
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::mutation::{EnvVarInput, Mutation, Scope};
use astrodash::houston::request::{Payload, Request};
use common::*;
use crossterm::event::KeyCode;

fn at(route: Route) -> AppState {
    let mut s = loaded_state();
    if let Route::Deployment { .. } = route {
        s.nav.routes.push(Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Deployments,
        });
    }
    s.nav.routes.push(route);
    s
}

fn deployment_tab(tab: DeploymentTab) -> AppState {
    at(Route::Deployment {
        id: "d-etl".into(),
        tab,
    })
}

fn workspace_tab(tab: WorkspaceTab) -> AppState {
    at(Route::Workspace {
        id: "ws-data".into(),
        tab,
    })
}

fn mutations(effects: &[Effect]) -> Vec<Mutation> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { mutation, .. } => Some(mutation.clone()),
            _ => None,
        })
        .collect()
}

fn one_mutation(effects: &[Effect]) -> Mutation {
    let sent = mutations(effects);
    assert_eq!(sent.len(), 1, "expected one mutation in {effects:?}");
    sent.into_iter().next().unwrap()
}

fn no_mutation(effects: &[Effect]) {
    assert!(mutations(effects).is_empty(), "unexpected mutation");
}

fn conflict(s: &AppState) -> &ConflictView {
    match s.ui.modals.last() {
        Some(Modal::Conflict(c)) => c,
        other => panic!("expected a conflict on top, got {other:?}"),
    }
}

fn review_lines(s: &AppState) -> Vec<ConfirmLine> {
    match s.ui.modals.last() {
        Some(Modal::Confirm(c)) => c.lines.clone(),
        other => panic!("expected a review on top, got {other:?}"),
    }
}

fn form_error(s: &AppState) -> Option<String> {
    match s.ui.modals.last() {
        Some(Modal::Form(f)) => f.form.error.clone(),
        other => panic!("expected a form on top, got {other:?}"),
    }
}

fn clear_field(s: &mut AppState, n: usize) {
    for _ in 0..n {
        update(s, key(KeyCode::Backspace));
    }
}

/// The variables with operator B's changes: `B_ONLY=1` added, and `ENVIRONMENT` set if given.
fn vars_by_b(environment: Option<&str>) -> Payload {
    let mut vars = variables();
    if let Some(value) = environment
        && let Some(v) = vars.iter_mut().find(|v| v.key == "ENVIRONMENT")
    {
        v.value = value.into();
    }
    vars.push(EnvVar {
        key: "B_ONLY".into(),
        value: "1".into(),
        is_secret: false,
    });
    Payload::Variables(vars)
}

fn var_server(payload: Payload) -> impl Fn(&Request) -> Option<Payload> {
    move |r| matches!(r, Request::DeploymentVariables(_)).then(|| payload.clone())
}

fn sent_vars(m: Mutation) -> Vec<EnvVarInput> {
    match m {
        Mutation::SetVariables { variables, .. } => variables,
        other => panic!("{other:?}"),
    }
}

fn plain(key: &str, value: &str) -> EnvVarInput {
    EnvVarInput {
        key: key.into(),
        value: Secret(value.into()),
        is_secret: false,
    }
}

/// A on the Variables tab: `e` on ENVIRONMENT, its value set to `staging`, submitted.
fn edit_environment(s: &mut AppState) -> Vec<Effect> {
    while s.selected_variable().map(|v| v.key.as_str()) != Some("ENVIRONMENT") {
        update(s, ch('j'));
    }
    update(s, ch('e'));
    update(s, key(KeyCode::Tab));
    update(s, key(KeyCode::Tab));
    clear_field(s, "production".len());
    type_text(s, "staging");
    let fx = update(s, ctrl('s'));
    no_mutation(&fx);
    assert_eq!(
        reads(&fx).first().map(|(r, _)| r.clone()),
        Some(Request::DeploymentVariables("d-etl".into())),
        "the variables are read again before anything is sent"
    );
    fx
}

#[test]
fn a_variable_added_by_someone_else_survives_an_edit() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    let fx = edit_environment(&mut s);
    // B added B_ONLY meanwhile: the review is computed against it and keeps it.
    no_mutation(&answer_reads_with(&mut s, &fx, var_server(vars_by_b(None))));
    let lines = review_lines(&s);
    assert!(lines.contains(&ConfirmLine::Changed {
        what: "ENVIRONMENT".into(),
        old: "production".into(),
        new: "staging".into()
    }));
    assert!(
        !lines
            .iter()
            .any(|l| matches!(l, ConfirmLine::Removed(t) if t.contains("B_ONLY"))),
        "{lines:?}"
    );
    assert!(lines.contains(&ConfirmLine::Text("3 variables unchanged.".into())));
    assert!(lines.contains(&ConfirmLine::Text(
        "Changed on the server since you opened the form, kept: B_ONLY.".into()
    )));
    // Applying reads once more; still the same, so it is sent — with B_ONLY.
    let fx = update(&mut s, key(KeyCode::Enter));
    no_mutation(&fx);
    let vars = sent_vars(one_mutation(&answer_reads(&mut s, &fx)));
    assert!(vars.contains(&plain("B_ONLY", "1")), "{vars:?}");
    assert!(vars.contains(&plain("ENVIRONMENT", "staging")));
    assert!(vars.contains(&EnvVarInput {
        key: "SNOWFLAKE_PASSWORD".into(),
        value: Secret(String::new()),
        is_secret: true
    }));
    assert_eq!(vars.len(), 4);
}

#[test]
fn a_review_left_open_while_someone_saves_is_recomputed() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    let fx = edit_environment(&mut s);
    answer_reads(&mut s, &fx);
    assert!(review_lines(&s).contains(&ConfirmLine::Text("2 variables unchanged.".into())));
    // The review stays open; B saves B_ONLY; A applies.
    let fx = update(&mut s, key(KeyCode::Enter));
    no_mutation(&answer_reads_with(&mut s, &fx, var_server(vars_by_b(None))));
    let lines = review_lines(&s);
    assert_eq!(
        lines.first(),
        Some(&ConfirmLine::Text(
            "This changed on the server while you were reviewing: below is what applying does now."
                .into()
        ))
    );
    assert!(lines.contains(&ConfirmLine::Text("3 variables unchanged.".into())));
    let fx = update(&mut s, key(KeyCode::Enter));
    let vars = sent_vars(one_mutation(&answer_reads(&mut s, &fx)));
    assert!(vars.contains(&plain("B_ONLY", "1")));
    assert!(vars.contains(&plain("ENVIRONMENT", "staging")));
}

#[test]
fn the_same_variable_changed_by_both_is_a_conflict_and_nothing_is_sent() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    let fx = edit_environment(&mut s);
    no_mutation(&answer_reads_with(
        &mut s,
        &fx,
        var_server(vars_by_b(Some("qa"))),
    ));
    let c = conflict(&s);
    assert_eq!(c.rows.len(), 1);
    let row = &c.rows[0];
    assert_eq!(
        (
            row.field.as_str(),
            row.base.as_str(),
            row.theirs.as_str(),
            row.mine.as_str()
        ),
        ("ENVIRONMENT", "production", "qa", "staging")
    );
    let screen = render(&s, 160, 48);
    assert!(screen.contains("Nothing was sent"), "{screen}");

    // Take theirs: nothing of A's remains to change, so nothing is sent.
    let mut t = s.clone();
    no_mutation(&update(&mut t, ch('t')));
    assert!(t.ui.modals.is_empty());
    assert_eq!(
        t.visible_message().map(|m| m.text.as_str()),
        Some("Kept what the server holds: nothing was sent")
    );

    // Keep mine: read again, review qa → staging, B_ONLY kept.
    let mut t = s.clone();
    let fx = update(&mut t, ch('m'));
    no_mutation(&fx);
    answer_reads_with(&mut t, &fx, var_server(vars_by_b(Some("qa"))));
    assert!(review_lines(&t).contains(&ConfirmLine::Changed {
        what: "ENVIRONMENT".into(),
        old: "qa".into(),
        new: "staging".into()
    }));
    let fx = update(&mut t, key(KeyCode::Enter));
    let vars = sent_vars(one_mutation(&answer_reads_with(
        &mut t,
        &fx,
        var_server(vars_by_b(Some("qa"))),
    )));
    assert!(vars.contains(&plain("ENVIRONMENT", "staging")));
    assert!(vars.contains(&plain("B_ONLY", "1")));

    // Edit: back to the form, whose base is now the server's; submitting merges cleanly.
    let mut t = s.clone();
    no_mutation(&update(&mut t, ch('e')));
    assert!(matches!(t.ui.modals.last(), Some(Modal::Form(_))));
    let fx = update(&mut t, ctrl('s'));
    answer_reads_with(&mut t, &fx, var_server(vars_by_b(Some("qa"))));
    assert!(review_lines(&t).contains(&ConfirmLine::Changed {
        what: "ENVIRONMENT".into(),
        old: "qa".into(),
        new: "staging".into()
    }));
}

#[test]
fn deleting_a_variable_changed_or_gone_on_the_server() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    while s.selected_variable().map(|v| v.key.as_str()) != Some("ENVIRONMENT") {
        update(&mut s, ch('j'));
    }
    update(&mut s, ctrl('d'));
    let fx = update(&mut s, key(KeyCode::Enter));
    no_mutation(&fx);
    // Changed by B: a conflict, not a delete.
    no_mutation(&answer_reads_with(
        &mut s,
        &fx,
        var_server(vars_by_b(Some("qa"))),
    ));
    let row = &conflict(&s).rows[0];
    assert_eq!(
        (row.theirs.as_str(), row.mine.as_str()),
        ("qa", "(deleted)")
    );
    let mut t = s.clone();
    no_mutation(&update(&mut t, ch('t')));
    assert!(t.ui.modals.is_empty(), "kept: nothing deleted");
    // Delete anyway: read once more, then the set without it (B_ONLY stays).
    let fx = update(&mut s, ch('m'));
    let vars = sent_vars(one_mutation(&answer_reads_with(
        &mut s,
        &fx,
        var_server(vars_by_b(Some("qa"))),
    )));
    assert!(!vars.iter().any(|v| v.key == "ENVIRONMENT"));
    assert!(vars.contains(&plain("B_ONLY", "1")));

    // Already gone: said, nothing sent.
    let mut s = deployment_tab(DeploymentTab::Variables);
    while s.selected_variable().map(|v| v.key.as_str()) != Some("ENVIRONMENT") {
        update(&mut s, ch('j'));
    }
    update(&mut s, ctrl('d'));
    let fx = update(&mut s, key(KeyCode::Enter));
    let without: Vec<EnvVar> = variables()
        .into_iter()
        .filter(|v| v.key != "ENVIRONMENT")
        .collect();
    no_mutation(&answer_reads_with(
        &mut s,
        &fx,
        var_server(Payload::Variables(without)),
    ));
    assert!(s.ui.modals.is_empty());
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("ENVIRONMENT is already gone from the server: nothing to delete")
    );
}

fn import(s: &mut AppState, text: &str, make_plain: bool) -> Mutation {
    update(s, ch('i'));
    type_text(s, "/tmp/x.env");
    if make_plain {
        update(s, key(KeyCode::Tab));
        update(s, key(KeyCode::Tab));
        update(s, key(KeyCode::Right));
    }
    update(s, ctrl('s'));
    let fx = update(
        s,
        Msg::FileRead {
            path: "/tmp/x.env".into(),
            result: Ok(text.into()),
        },
    );
    no_mutation(&fx);
    answer_reads(s, &fx);
    let fx = update(s, key(KeyCode::Enter));
    one_mutation(&answer_reads(s, &fx))
}

#[test]
fn importing_onto_a_secret_keeps_it_secret_unless_asked() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    update(&mut s, ch('i'));
    type_text(&mut s, "/tmp/x.env");
    update(&mut s, ctrl('s'));
    let fx = update(
        &mut s,
        Msg::FileRead {
            path: "/tmp/x.env".into(),
            result: Ok("SNOWFLAKE_PASSWORD=hunter2\n".into()),
        },
    );
    answer_reads(&mut s, &fx);
    assert!(review_lines(&s).contains(&ConfirmLine::Changed {
        what: "SNOWFLAKE_PASSWORD".into(),
        old: "•••••• (secret)".into(),
        new: "•••••• (new value, stays secret)".into()
    }));
    let fx = update(&mut s, key(KeyCode::Enter));
    let vars = sent_vars(one_mutation(&answer_reads(&mut s, &fx)));
    assert!(vars.contains(&EnvVarInput {
        key: "SNOWFLAKE_PASSWORD".into(),
        value: Secret("hunter2".into()),
        is_secret: true
    }));
    // Only when the form says so does it become plain.
    let mut s = deployment_tab(DeploymentTab::Variables);
    let vars = sent_vars(import(&mut s, "SNOWFLAKE_PASSWORD=hunter2\n", true));
    assert!(vars.contains(&plain("SNOWFLAKE_PASSWORD", "hunter2")));
}

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
        Some(Modal::Form(f)) => assert_eq!(f.form.text("worker_replicas"), "3"),
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
    while s.selected_workspace_user().map(|u| u.id.as_str()) != Some("u-grace") {
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
    while s.selected_deployment_user().map(|u| u.id.as_str()) != Some("u-grace") {
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
    while s.selected_service_account().map(|a| a.id.as_str()) != Some("sa-ci") {
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
        Some(Modal::Form(f)) => assert_eq!(f.form.text("label"), "Data Platform!"),
        other => panic!("{other:?}"),
    }
}
