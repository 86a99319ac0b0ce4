//! Snapshots (80×24 and 160×48) of role changes as the user sees them: a team's role form, the
//! confirmation of a change to your own role, a key the caller's role does not allow, and a
//! change whose request timed out being checked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::*;
use crossterm::event::KeyCode;

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

fn at_workspace(tab: WorkspaceTab) -> AppState {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab,
    });
    s
}

#[test]
fn a_teams_role_form() {
    let mut s = at_workspace(WorkspaceTab::Teams);
    put(
        &mut s,
        Request::WorkspaceTeams("ws-data".into()),
        Payload::Teams(vec![Team {
            id: "t-eng".into(),
            name: "Data Engineering".into(),
            role: Some(Role::WorkspaceEditor),
        }]),
    );
    update(&mut s, ch('e'));
    let text = render(&s, 80, 24);
    assert!(
        text.contains("Workspace role of team Data Engineering"),
        "{text}"
    );
    assert!(text.contains("◀ Editor ▶"), "{text}");
    snap("form_team_role", &s);
}

#[test]
fn changing_your_own_role_is_confirmed() {
    let mut s = at_workspace(WorkspaceTab::Users);
    let mut list = users();
    list[1].role = Some(Role::WorkspaceAdmin);
    put(
        &mut s,
        Request::WorkspaceUsers("ws-data".into()),
        Payload::WorkspaceUsers(list),
    );
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Left));
    submit(&mut s);
    let text = render(&s, 80, 24);
    assert!(text.contains("This is you"), "{text}");
    snap("confirm_own_role", &s);
}

#[test]
fn a_key_the_role_does_not_allow_says_why() {
    let mut s = at_workspace(WorkspaceTab::Users);
    let mut ws = workspaces();
    ws[0] = workspace("ws-data", "Data Platform", None, 3, Role::WorkspaceEditor);
    put(&mut s, workspaces_request(), Payload::Workspaces(ws));
    update(&mut s, ctrl('d'));
    let text = render(&s, 160, 48);
    assert!(
        text.contains("your role in this workspace is Editor: C-d (remove the user) needs Admin"),
        "{text}"
    );
    snap("key_denied_by_role", &s);
}

#[test]
fn a_timed_out_change_being_checked() {
    let mut s = at_workspace(WorkspaceTab::Users);
    update(&mut s, ch('G'));
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Left));
    submit(&mut s);
    let id = *s.net.mutations.keys().next().unwrap();
    update(
        &mut s,
        Msg::Mutated {
            id,
            at: now(),
            result: Err(ApiError::Timeout),
        },
    );
    let text = render(&s, 160, 48);
    assert!(text.contains("may or may not have been applied"), "{text}");
    snap("timed_out_change_checking", &s);
}
