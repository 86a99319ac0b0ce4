//! Reducer flows of team roles on the workspace Teams tab: `e` changes a team's role through
//! the role form, `Ctrl-d` removes it after a confirmation, both only for those who manage
//! users, and never so that the workspace is left without an admin.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::forms::FieldId;
use astrodash::app::forms::FormKind;
use astrodash::app::modal::Modal;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::model::*;
use astrodash::houston::mutation::Mutation;
use astrodash::houston::request::{Payload, Request};
use common::*;
use crossterm::event::KeyCode;

fn teams() -> Vec<Team> {
    vec![
        Team {
            id: "t-eng".into(),
            name: "Data Engineering".into(),
            role: Some(Role::WorkspaceEditor),
        },
        Team {
            id: "t-ops".into(),
            name: "Platform Ops".into(),
            role: Some(Role::WorkspaceAdmin),
        },
    ]
}

fn on_teams() -> AppState {
    let mut s = loaded_state();
    put(
        &mut s,
        Request::WorkspaceTeams("ws-data".into()),
        Payload::Teams(teams()),
    );
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Teams,
    });
    s
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

fn message(s: &AppState) -> String {
    s.ui.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn e_changes_the_selected_teams_workspace_role() {
    let mut s = on_teams();
    update(&mut s, ch('e'));
    let Some(Modal::Form(f)) = s.ui.modals.last() else {
        panic!("{:?}", s.ui.modals);
    };
    assert_eq!(
        f.kind,
        FormKind::ChangeWorkspaceTeamRole {
            workspace: "ws-data".into(),
            team: "t-eng".into(),
        }
    );
    assert_eq!(f.form.title, "Workspace role of team Data Engineering");
    assert_eq!(f.form.value(FieldId::Role), "WORKSPACE_EDITOR");
    update(&mut s, key(KeyCode::Right));
    // Nothing is sent before the teams are read again.
    let check = update(&mut s, ctrl('s'));
    assert!(mutations(&check).is_empty());
    assert!(
        reads(&check)
            .iter()
            .any(|(r, _)| *r == Request::WorkspaceTeams("ws-data".into()))
    );
    let sent = mutations(&answer_reads(&mut s, &check));
    assert_eq!(
        sent,
        vec![Mutation::SetWorkspaceTeamRole {
            workspace: "ws-data".into(),
            team: "t-eng".into(),
            name: "Data Engineering".into(),
            role: Role::WorkspaceAdmin,
        }]
    );
}

#[test]
fn a_team_role_changed_by_someone_else_meanwhile_is_a_conflict() {
    let mut s = on_teams();
    update(&mut s, ch('e'));
    // Mine: Editor → Admin. Theirs, meanwhile: Editor → Viewer.
    update(&mut s, key(KeyCode::Right));
    let check = update(&mut s, ctrl('s'));
    let mut theirs = teams();
    theirs[0].role = Some(Role::WorkspaceViewer);
    let fx = answer_reads_with(&mut s, &check, |r| {
        (*r == Request::WorkspaceTeams("ws-data".into())).then(|| Payload::Teams(theirs.clone()))
    });
    assert!(
        mutations(&fx).is_empty(),
        "nothing is sent while in conflict"
    );
    let Some(Modal::Conflict(c)) = s.ui.modals.last() else {
        panic!("{:?}", s.ui.modals);
    };
    let row = &c.rows[0];
    assert_eq!(
        (row.base.as_str(), row.theirs.as_str(), row.mine.as_str()),
        ("Editor", "Viewer", "Admin")
    );
}

#[test]
fn ctrl_d_removes_the_team_after_a_confirmation() {
    let mut s = on_teams();
    update(&mut s, ch('j'));
    assert!(mutations(&update(&mut s, ctrl('d'))).is_empty());
    let Some(Modal::Confirm(c)) = s.ui.modals.last() else {
        panic!("{:?}", s.ui.modals);
    };
    assert_eq!(c.title, "Remove team Platform Ops from the workspace?");
    let sent = mutations(&update(&mut s, key(KeyCode::Enter)));
    assert_eq!(
        sent,
        vec![Mutation::RemoveWorkspaceTeam {
            workspace: "ws-data".into(),
            team: "t-ops".into(),
            name: "Platform Ops".into(),
        }]
    );
}

#[test]
fn the_only_admin_team_cannot_be_removed_or_lowered() {
    let mut s = on_teams();
    // No user is an admin: Platform Ops is the only one.
    let mut list = users();
    list[0].role = Some(Role::WorkspaceEditor);
    put(
        &mut s,
        Request::WorkspaceUsers("ws-data".into()),
        Payload::WorkspaceUsers(list),
    );
    update(&mut s, ch('j'));
    assert!(mutations(&update(&mut s, ctrl('d'))).is_empty());
    assert!(s.ui.modals.is_empty(), "{:?}", s.ui.modals);
    assert!(
        message(&s).contains("would have no admin left"),
        "{}",
        message(&s)
    );
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Left));
    assert!(mutations(&update(&mut s, ctrl('s'))).is_empty());
    let Some(Modal::Form(f)) = s.ui.modals.last() else {
        panic!("{:?}", s.ui.modals);
    };
    assert!(
        f.form
            .error
            .as_deref()
            .is_some_and(|e| e.contains("would have no admin left")),
        "{:?}",
        f.form.error
    );
}

#[test]
fn team_keys_need_the_user_managers_role_and_say_so() {
    let mut s = on_teams();
    let mut ws = workspaces();
    ws[0] = workspace("ws-data", "Data Platform", None, 3, Role::WorkspaceEditor);
    put(&mut s, workspaces_request(), Payload::Workspaces(ws));
    update(&mut s, ch('e'));
    assert!(s.ui.modals.is_empty());
    assert_eq!(
        message(&s),
        "your role in this workspace is Editor: e (change the team's role) needs Admin"
    );
    let hints = render(&s, 160, 48);
    assert!(!hints.contains("C-d delete"), "{hints}");
}

fn on_deployment_users() -> AppState {
    let mut s = loaded_state();
    put(
        &mut s,
        Request::DeploymentTeams("d-etl".into()),
        Payload::Teams(vec![Team {
            id: "t-eng".into(),
            name: "Data Engineering".into(),
            role: Some(Role::DeploymentAdmin),
        }]),
    );
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    s.nav.routes.push(Route::Deployment {
        id: "d-etl".into(),
        tab: DeploymentTab::Users,
    });
    s
}

#[test]
fn t_moves_the_cursor_to_the_deployments_teams_where_e_and_ctrl_d_act_on_the_team() {
    let mut s = on_deployment_users();
    update(&mut s, ch('t'));
    assert_eq!(
        s.current_table(),
        Some(astrodash::app::tables::TableId::DeploymentTeams(
            "d-etl".into()
        ))
    );
    let screen = render(&s, 80, 24);
    assert!(screen.contains("Data Engineering"), "{screen}");
    update(&mut s, ch('e'));
    let Some(Modal::Form(f)) = s.ui.modals.last() else {
        panic!("{:?}", s.ui.modals);
    };
    assert_eq!(
        f.kind,
        FormKind::ChangeDeploymentTeamRole {
            deployment: "d-etl".into(),
            team: "t-eng".into(),
        }
    );
    assert_eq!(f.form.value(FieldId::Role), "DEPLOYMENT_ADMIN");
    update(&mut s, key(KeyCode::Left));
    // Sent once the deployment's teams are read again (unchanged).
    let sent = mutations(&submit(&mut s));
    assert_eq!(
        sent,
        vec![Mutation::SetDeploymentTeamRole {
            deployment: "d-etl".into(),
            team: "t-eng".into(),
            name: "Data Engineering".into(),
            role: Role::DeploymentEditor,
        }]
    );
    // Houston says yes: the form closes.
    let id = *s.net.mutations.keys().next().unwrap();
    update(
        &mut s,
        astrodash::app::msg::Msg::Mutated {
            id,
            at: now(),
            result: Ok(Default::default()),
        },
    );
    assert!(s.ui.modals.is_empty(), "{:?}", s.ui.modals);
    assert_eq!(
        s.ui.message.as_ref().map(|m| m.text.as_str()),
        Some("Team Data Engineering is now Editor")
    );
    update(&mut s, ctrl('d'));
    let Some(Modal::Confirm(c)) = s.ui.modals.last() else {
        panic!("{:?}", s.ui.modals);
    };
    assert_eq!(
        c.title,
        "Remove team Data Engineering's role on this deployment?"
    );
    let sent = mutations(&update(&mut s, key(KeyCode::Enter)));
    assert_eq!(
        sent,
        vec![Mutation::RemoveDeploymentTeam {
            deployment: "d-etl".into(),
            team: "t-eng".into(),
            name: "Data Engineering".into(),
        }]
    );
    // `t` again: back to the users, where `e` changes a user's role.
    update(&mut s, ch('t'));
    update(&mut s, ch('e'));
    let Some(Modal::Form(f)) = s.ui.modals.last() else {
        panic!("{:?}", s.ui.modals);
    };
    assert!(
        matches!(f.kind, FormKind::ChangeDeploymentRole { .. }),
        "{:?}",
        f.kind
    );
}
