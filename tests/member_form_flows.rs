//! Reducer flows of changes to who may do what: invites, roles (workspace and deployment),
//! service accounts and the one-time API key, personal settings, and a viewer offered no changes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::modal::Modal;
use astrodash::app::msg::Secret;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::model::*;
use astrodash::houston::mutation::{Mutation, Outcome, Scope};
use astrodash::houston::request::Request;
use common::forms::*;
use common::*;
use crossterm::event::KeyCode;

#[test]
fn invite_change_role_remove_and_revoke() {
    let mut s = workspace_tab(WorkspaceTab::Users);
    update(&mut s, ch('n'));
    type_text(&mut s, "not-an-email");
    no_mutation(&update(&mut s, ctrl('s')));
    for _ in 0.."not-an-email".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "New@Example.com");
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Right));
    let (_, m) = mutation(&update(&mut s, ctrl('s')));
    assert_eq!(
        m,
        Mutation::InviteUser {
            workspace: "ws-data".into(),
            email: "new@example.com".into(),
            role: Role::WorkspaceEditor
        }
    );

    // Change Grace's role (last by name) from Editor to Viewer. (Ada is the signed-in user
    // and the only admin: her own changes are in role_flows.)
    let mut s = workspace_tab(WorkspaceTab::Users);
    update(&mut s, ch('G'));
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Left));
    let fx = update(&mut s, ctrl('s'));
    let (_, m) = mutation(&answer_reads(&mut s, &fx));
    assert_eq!(
        m,
        Mutation::SetWorkspaceRole {
            workspace: "ws-data".into(),
            email: "grace@example.com".into(),
            role: Role::WorkspaceViewer
        }
    );

    let mut s = workspace_tab(WorkspaceTab::Users);
    update(&mut s, ch('G'));
    update(&mut s, ctrl('d'));
    let (_, m) = mutation(&update(&mut s, key(KeyCode::Enter)));
    assert!(matches!(m, Mutation::RemoveWorkspaceUser { user, .. } if user == "u-grace"));

    let mut s = workspace_tab(WorkspaceTab::Invites);
    update(&mut s, ctrl('d'));
    let (id, m) = mutation(&update(&mut s, key(KeyCode::Enter)));
    assert!(matches!(m, Mutation::RevokeInvite { invite, .. } if invite == "i-1"));
    let fx = answered(&mut s, id, Ok(Outcome::default()));
    assert!(fetched(&fx).contains(&Request::WorkspaceInvites("ws-data".into())));
}

#[test]
fn deployment_level_roles() {
    let mut s = deployment_tab(DeploymentTab::Users);
    update(&mut s, ch('n'));
    type_text(&mut s, "grace@example.com");
    let (_, m) = mutation(&update(&mut s, ctrl('s')));
    assert!(matches!(
        m,
        Mutation::AddDeploymentUser {
            role: Role::DeploymentViewer,
            ..
        }
    ));
    // Grace (the second row) from Viewer to Editor.
    let mut s = deployment_tab(DeploymentTab::Users);
    update(&mut s, ch('j'));
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Right));
    let fx = update(&mut s, ctrl('s'));
    let (_, m) = mutation(&answer_reads(&mut s, &fx));
    assert!(matches!(
        m,
        Mutation::SetDeploymentRole {
            role: Role::DeploymentEditor,
            ref email,
            ..
        } if email == "grace@example.com"
    ));
    let mut s = deployment_tab(DeploymentTab::Users);
    update(&mut s, ch('j'));
    update(&mut s, ctrl('d'));
    let (_, m) = mutation(&update(&mut s, key(KeyCode::Enter)));
    assert!(matches!(m, Mutation::RemoveDeploymentUser { .. }));
}

#[test]
fn a_new_service_accounts_key_is_shown_once() {
    let mut s = workspace_tab(WorkspaceTab::ServiceAccounts);
    update(&mut s, ch('n'));
    type_text(&mut s, "ci");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "CI/CD");
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Right));
    let (id, m) = mutation(&update(&mut s, ctrl('s')));
    assert_eq!(
        m,
        Mutation::CreateServiceAccount {
            scope: Scope::Workspace("ws-data".into()),
            label: "ci".into(),
            category: "CI/CD".into(),
            role: Role::WorkspaceEditor
        }
    );
    let key_text = "0123456789abcdef0123456789abcdef";
    let fx = answered(
        &mut s,
        id,
        Ok(Outcome {
            api_key: Some(Secret(key_text.into())),
            ..Outcome::default()
        }),
    );
    assert!(fetched(&fx).contains(&Request::WorkspaceServiceAccounts("ws-data".into())));
    // The key is in the modal only: not in the cache, not in the message line.
    match s.ui.modals.last() {
        Some(Modal::ApiKey(v)) => assert_eq!(v.key.expose(), key_text),
        other => panic!("{other:?}"),
    }
    assert!(!format!("{:?}", s.cache).contains(key_text));
    assert!(
        !format!("{:?}", s.ui.modals).contains(key_text),
        "Debug never prints it"
    );
    assert!(!s.visible_message().unwrap().text.contains(key_text));
    // y copies it through the event loop.
    let fx = update(&mut s, ch('y'));
    assert_eq!(
        fx,
        vec![Effect::Copy {
            text: Secret(key_text.into()),
            label: "API key".into()
        }]
    );
    update(&mut s, key(KeyCode::Esc));
    assert!(s.ui.modals.is_empty());
    assert!(!render(&s, 160, 48).contains(key_text));
}

#[test]
fn deployment_service_accounts_edit_and_delete() {
    let mut s = deployment_tab(DeploymentTab::ServiceAccounts);
    update(&mut s, ch('e'));
    type_text(&mut s, " v2");
    let fx = update(&mut s, ctrl('s'));
    let (_, m) = mutation(&answer_reads(&mut s, &fx));
    assert!(matches!(
        m,
        Mutation::UpdateServiceAccount { scope: Scope::Deployment(_), label, .. } if label == "GitHub Actions deploy v2"
    ));
    let mut s = deployment_tab(DeploymentTab::ServiceAccounts);
    update(&mut s, ctrl('d'));
    let (_, m) = mutation(&update(&mut s, key(KeyCode::Enter)));
    assert!(matches!(
        m,
        Mutation::DeleteServiceAccount {
            scope: Scope::Deployment(_),
            ..
        }
    ));
}

#[test]
fn personal_settings_and_workspace_rename() {
    let mut s = loaded_state();
    update(&mut s, ch('p'));
    for _ in 0.."Ada Lovelace".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "Ada King");
    let (_, m) = mutation(&update(&mut s, ctrl('s')));
    assert_eq!(
        m,
        Mutation::UpdateSelf {
            full_name: "Ada King".into()
        }
    );
    let mut s = workspace_tab(WorkspaceTab::Settings);
    update(&mut s, ch('e'));
    type_text(&mut s, "!");
    let fx = update(&mut s, ctrl('s'));
    let (_, m) = mutation(&answer_reads(&mut s, &fx));
    assert!(matches!(m, Mutation::UpdateWorkspace { label, .. } if label == "Data Platform!"));
}

#[test]
fn a_viewer_is_offered_no_changes() {
    let mut s = loaded_state();
    // "Quarterly …" is the viewer's workspace: third by name.
    update(&mut s, ch('G'));
    assert!(update(&mut s, ch('e')).is_empty());
    assert!(update(&mut s, ctrl('d')).is_empty());
    s.nav.routes.push(Route::Workspace {
        id: "ws-long".into(),
        tab: WorkspaceTab::Users,
    });
    for c in ['n', 'e'] {
        assert!(update(&mut s, ch(c)).is_empty());
    }
    assert!(s.ui.modals.is_empty());
}
