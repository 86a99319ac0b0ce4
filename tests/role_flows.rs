//! Reducer flows of role safety and of keys that cannot act: your own role or removal is
//! confirmed first and says it is you, no change leaves a workspace without an admin, the role
//! picker stops at its ends, a key the caller may not use says why, and the "terminal too small"
//! screen ignores every key but quit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::forms::FieldId;
use astrodash::app::forms::FormKind;
use astrodash::app::modal::{ConfirmLine, Modal};
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::model::*;
use astrodash::houston::mutation::Mutation;
use astrodash::houston::request::{Payload, Request};
use common::merge::{at, deployment_tab};
use common::*;
use crossterm::event::KeyCode;

fn workspace_users() -> AppState {
    at(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Users,
    })
}

/// Grace becomes a second workspace admin, so Ada may step down.
fn with_second_admin(s: &mut AppState) {
    let mut list = users();
    list[1].role = Some(Role::WorkspaceAdmin);
    put(
        s,
        Request::WorkspaceUsers("ws-data".into()),
        Payload::WorkspaceUsers(list),
    );
}

/// Put the cursor on the row of `name` in the workspace's users.
fn select_user(s: &mut AppState, name: &str) {
    update(s, key(KeyCode::Home));
    for _ in 0..5 {
        let table = s.current_table().unwrap();
        let i = s.selected_index(&table).unwrap();
        if s.cache.workspace_users(&"ws-data".into()).unwrap()[i].display_name() == name {
            return;
        }
        update(s, ch('j'));
    }
    panic!("no row for {name}");
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

fn top_confirm(s: &AppState) -> &astrodash::app::modal::Confirm {
    match s.ui.modals.last() {
        Some(Modal::Confirm(c)) => c,
        other => panic!("expected a confirmation on top, got {other:?}"),
    }
}

fn top_form(s: &AppState) -> &astrodash::app::modal::FormModal {
    match s.ui.modals.last() {
        Some(Modal::Form(f)) => f,
        other => panic!("expected a form on top, got {other:?}"),
    }
}

/// Esc on a changed form, then yes to "Discard what you typed?".
fn discard_form(s: &mut AppState) {
    update(s, key(KeyCode::Esc));
    assert_eq!(top_confirm(s).title, "Discard what you typed?");
    update(s, key(KeyCode::Enter));
}

fn texts(lines: &[ConfirmLine]) -> String {
    lines
        .iter()
        .map(|l| match l {
            ConfirmLine::Text(t) | ConfirmLine::Added(t) | ConfirmLine::Removed(t) => t.clone(),
            ConfirmLine::Changed { what, old, new } => format!("{what}: {old} → {new}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn message(s: &AppState) -> String {
    s.ui.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn changing_your_own_workspace_role_asks_first_and_says_it_is_you() {
    let mut s = workspace_users();
    with_second_admin(&mut s);
    select_user(&mut s, "Ada Lovelace");
    update(&mut s, ch('e'));
    assert!(matches!(
        top_form(&s).kind,
        FormKind::ChangeWorkspaceRole { ref email, .. } if email == "ada@example.com"
    ));
    update(&mut s, key(KeyCode::Left));
    assert!(mutations(&submit(&mut s)).is_empty());
    let c = top_confirm(&s);
    assert_eq!(c.title, "Change your own workspace role?");
    let lines = texts(&c.lines);
    assert!(
        lines.contains("This is you: you will lose the Admin rights in Data Platform"),
        "{lines}"
    );
    let sent = mutations(&confirm(&mut s));
    assert_eq!(
        sent,
        vec![Mutation::SetWorkspaceRole {
            workspace: "ws-data".into(),
            email: "ada@example.com".into(),
            role: Role::WorkspaceEditor,
        }]
    );
}

#[test]
fn someone_elses_role_is_changed_without_the_self_warning() {
    let mut s = workspace_users();
    select_user(&mut s, "Grace Hopper");
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Left));
    let sent = mutations(&submit(&mut s));
    assert_eq!(
        sent,
        vec![Mutation::SetWorkspaceRole {
            workspace: "ws-data".into(),
            email: "grace@example.com".into(),
            role: Role::WorkspaceViewer,
        }]
    );
}

/// The workspace's teams as read: none.
fn no_teams(s: &mut AppState) {
    put(
        s,
        Request::WorkspaceTeams("ws-data".into()),
        Payload::Teams(vec![]),
    );
}

#[test]
fn the_last_admin_cannot_step_down_or_be_removed() {
    // Ada is the workspace's only admin, and no team is an admin.
    let mut s = workspace_users();
    no_teams(&mut s);
    select_user(&mut s, "Ada Lovelace");
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Left));
    assert!(mutations(&submit(&mut s)).is_empty());
    let form = top_form(&s);
    let error = form.form.error.clone().unwrap_or_default();
    assert!(
        error.contains("Data Platform would have no admin left"),
        "{error}"
    );
    assert!(
        !s.ui.modals.iter().any(|m| matches!(m, Modal::Confirm(_))),
        "nothing to confirm: the change is refused"
    );
    // Removing her is refused before any confirmation.
    discard_form(&mut s);
    assert!(s.ui.modals.is_empty(), "{:?}", s.ui.modals);
    let fx = update(&mut s, ctrl('d'));
    assert!(mutations(&fx).is_empty());
    assert!(s.ui.modals.is_empty(), "{:?}", s.ui.modals);
    assert!(
        message(&s).contains("would have no admin left"),
        "{}",
        message(&s)
    );
}

#[test]
fn until_the_teams_are_read_the_last_admin_user_waits_for_them() {
    let mut s = workspace_users();
    select_user(&mut s, "Ada Lovelace");
    let fx = update(&mut s, ctrl('d'));
    assert!(mutations(&fx).is_empty());
    assert!(s.ui.modals.is_empty(), "{:?}", s.ui.modals);
    assert!(
        fx.iter().any(|e| matches!(
            e,
            Effect::Fetch { request: Request::WorkspaceTeams(ws), .. } if ws.0 == "ws-data"
        )),
        "{fx:?}"
    );
    assert!(
        message(&s).starts_with("Not yet: the workspace's teams"),
        "{}",
        message(&s)
    );
    // They arrive with an admin team: now Ada may go (after saying it is her).
    put(
        &mut s,
        Request::WorkspaceTeams("ws-data".into()),
        Payload::Teams(vec![Team {
            id: "t-ops".into(),
            name: "Platform Ops".into(),
            role: Some(Role::WorkspaceAdmin),
        }]),
    );
    update(&mut s, ctrl('d'));
    assert_eq!(top_confirm(&s).title, "Remove yourself from the workspace?");
}

#[test]
fn an_admin_team_keeps_the_workspace_administered() {
    let mut s = workspace_users();
    put(
        &mut s,
        Request::WorkspaceTeams("ws-data".into()),
        Payload::Teams(vec![Team {
            id: "t-ops".into(),
            name: "Platform Ops".into(),
            role: Some(Role::WorkspaceAdmin),
        }]),
    );
    select_user(&mut s, "Ada Lovelace");
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Left));
    submit(&mut s);
    // Not refused: the confirmation of her own change is shown.
    assert_eq!(top_confirm(&s).title, "Change your own workspace role?");
}

#[test]
fn removing_yourself_asks_first_and_says_it_is_you() {
    let mut s = workspace_users();
    with_second_admin(&mut s);
    select_user(&mut s, "Ada Lovelace");
    assert!(mutations(&update(&mut s, ctrl('d'))).is_empty());
    let c = top_confirm(&s);
    assert_eq!(c.title, "Remove yourself from the workspace?");
    let lines = texts(&c.lines);
    assert!(
        lines.contains("This is you: you will lose every role in Data Platform"),
        "{lines}"
    );
    let sent = mutations(&confirm(&mut s));
    assert!(
        matches!(&sent[..], [Mutation::RemoveWorkspaceUser { user, .. }] if user.0 == "u-ada"),
        "{sent:?}"
    );
}

#[test]
fn your_own_deployment_role_is_confirmed_too() {
    let mut s = deployment_tab(DeploymentTab::Users);
    // Ada's row is the first (Ada Lovelace, Grace Hopper).
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Left));
    assert!(mutations(&submit(&mut s)).is_empty());
    let c = top_confirm(&s);
    assert_eq!(c.title, "Change your own deployment role?");
    assert!(texts(&c.lines).contains("This is you: you will lose the Admin rights on prod-etl"));
    // Back out of the review and drop the form.
    update(&mut s, key(KeyCode::Esc));
    discard_form(&mut s);
    assert!(s.ui.modals.is_empty(), "{:?}", s.ui.modals);
    update(&mut s, ctrl('d'));
    let c = top_confirm(&s);
    assert_eq!(c.title, "Remove your own role on this deployment?");
    assert!(texts(&c.lines).contains("This is you: you will lose your Admin role"));
}

#[test]
fn the_role_picker_stops_at_its_ends() {
    let mut s = workspace_users();
    update(&mut s, ch('n'));
    update(&mut s, key(KeyCode::Tab));
    let role = |s: &AppState| top_form(s).form.value(FieldId::Role);
    assert_eq!(role(&s), "WORKSPACE_VIEWER");
    // ← on the first choice stays there (it used to wrap round to Admin).
    update(&mut s, key(KeyCode::Left));
    assert_eq!(role(&s), "WORKSPACE_VIEWER");
    let screen = render(&s, 80, 24);
    assert!(screen.contains("  Viewer ▶"), "{screen}");
    for _ in 0..4 {
        update(&mut s, key(KeyCode::Right));
    }
    assert_eq!(role(&s), "WORKSPACE_ADMIN");
    let screen = render(&s, 80, 24);
    assert!(
        screen.contains("◀ Admin") && !screen.contains("◀ Admin ▶"),
        "{screen}"
    );
    update(&mut s, ch(' '));
    assert_eq!(role(&s), "WORKSPACE_ADMIN", "Space stops at the end too");
}

/// Ada as a viewer of Data Platform and of prod-etl: Houston grants nothing to change.
fn viewer_state() -> AppState {
    let mut s = deployment_tab(DeploymentTab::Overview);
    let mut ws = workspaces();
    ws[0] = workspace("ws-data", "Data Platform", None, 3, Role::WorkspaceViewer);
    put(&mut s, workspaces_request(), Payload::Workspaces(ws));
    for d in deployments() {
        put(
            &mut s,
            Request::Deployment(d.id.clone()),
            Payload::Deployment(Box::new(d)),
        );
    }
    let mut users = deployment_users();
    users[0].role = Some(Role::DeploymentViewer);
    put(
        &mut s,
        Request::DeploymentUsers("d-etl".into()),
        Payload::DeploymentUsers(users),
    );
    s
}

#[test]
fn a_key_your_role_does_not_allow_says_why() {
    let mut s = viewer_state();
    let before = s.ui.modals.len();
    let fx = update(&mut s, ch('e'));
    assert!(mutations(&fx).is_empty());
    assert_eq!(s.ui.modals.len(), before, "no form opens");
    assert_eq!(
        message(&s),
        "your role on this deployment is Viewer: e (edit name, executor, resources) needs \
         Editor or Admin"
    );
    update(&mut s, ctrl('d'));
    assert!(
        message(&s).starts_with("your role on this deployment is Viewer: C-d"),
        "{}",
        message(&s)
    );
    assert!(message(&s).ends_with("needs Admin"), "{}", message(&s));
    // The hint bar and the help still list only what can be used.
    let screen = render(&s, 160, 48);
    let hints = screen.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
    assert!(!hints.contains("edit"), "{hints}");
    update(&mut s, ch('?'));
    let help = render(&s, 160, 48);
    let (usable, not_here) = help
        .split_once("Not here — your role on this deployment is")
        .unwrap_or_else(|| panic!("the help says why keys are hidden:\n{help}"));
    assert!(!usable.contains("edit name, executor, resources"), "{help}");
    assert!(
        not_here.contains("edit name, executor, resources"),
        "{help}"
    );
}

#[test]
fn a_workspace_key_names_the_workspace_role() {
    let mut s = viewer_state();
    s.nav.routes.pop();
    s.nav.routes.pop();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    update(&mut s, ch('n'));
    assert!(s.ui.modals.is_empty());
    assert_eq!(
        message(&s),
        "your role in this workspace is Viewer: n (new deployment) needs Editor or Admin"
    );
}

#[test]
fn flower_on_a_deployment_without_celery_says_why() {
    let mut s = at(Route::Deployment {
        id: "d-rep".into(),
        tab: DeploymentTab::Overview,
    });
    let fx = update(&mut s, ch('f'));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(
        message(&s),
        "f (open Flower (Celery)) is only for the Celery executor; this deployment runs Kubernetes"
    );
}

#[test]
fn in_a_read_only_session_a_change_key_says_so() {
    let mut s = deployment_tab(DeploymentTab::Overview);
    s.session.read_only = true;
    let fx = update(&mut s, ch('e'));
    assert!(mutations(&fx).is_empty());
    assert!(s.ui.modals.is_empty());
    assert_eq!(
        message(&s),
        "read-only session: e (edit name, executor, resources) changes nothing in this session"
    );
    // A key that only lacks a row to act on stays silent.
    let mut s = workspace_users();
    put(
        &mut s,
        Request::WorkspaceUsers("ws-data".into()),
        Payload::WorkspaceUsers(vec![]),
    );
    update(&mut s, ch('e'));
    assert_eq!(message(&s), "");
}

#[test]
fn keys_on_the_too_small_screen_do_nothing_but_quit() {
    let mut s = at(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    update(&mut s, Msg::Resize(60, 20));
    assert!(render(&s, 60, 20).contains("Terminal too small"));
    let routes = s.nav.routes.clone();
    let table = s.current_table().unwrap();
    let selected = s.selected_index(&table);
    for msg in [
        ch('j'),
        ch('G'),
        key(KeyCode::Enter),
        key(KeyCode::Esc),
        key(KeyCode::Tab),
        ch('3'),
        ch('n'),
        ch('e'),
        ctrl('d'),
        ch('/'),
        ch(':'),
        ch('?'),
        ctrl('r'),
        ch('l'),
        Msg::Paste("x".into()),
    ] {
        let fx = update(&mut s, msg.clone());
        assert!(
            !fx.iter()
                .any(|e| matches!(e, Effect::Mutate { .. } | Effect::Quit)),
            "{msg:?}: {fx:?}"
        );
        assert_eq!(s.nav.routes, routes, "{msg:?} navigated");
        assert_eq!(
            s.selected_index(&table),
            selected,
            "{msg:?} moved the cursor"
        );
        assert!(s.ui.modals.is_empty(), "{msg:?} opened {:?}", s.ui.modals);
        assert!(s.ui.filter_input.is_none(), "{msg:?} started a filter");
        assert!(!s.quit);
    }
    let fx = update(&mut s, ch('q'));
    assert!(s.quit);
    assert!(fx.contains(&Effect::Quit), "{fx:?}");
}

#[test]
fn a_service_account_key_is_told_that_new_workspaces_need_a_user() {
    let mut s = loaded_state();
    put(&mut s, Request::Me, Payload::Me(Me::service_account(false)));
    update(&mut s, ch('n'));
    assert!(s.ui.modals.is_empty());
    assert_eq!(
        message(&s),
        "n (new workspace) needs a user: this session uses a service-account key"
    );
}
