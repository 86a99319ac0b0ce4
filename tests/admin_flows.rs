//! Reducer flows of the System Admin panel: `A` and `:admin` open it for a system admin and say
//! why not to anyone else; its tabs read the platform's users, invites and system service
//! accounts; a user's system role is granted and revoked through a form (Houston's last-admin
//! refusal shown on it, a colleague's change meanwhile merged or shown as a conflict); a user
//! is deleted only once their address is typed; platform invites are sent and withdrawn; a
//! system service account's key is shown once; a read-only session changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::forms::{FieldId, FormKind};
use astrodash::app::modal::Modal;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::mutation::{Mutation, Outcome, Scope};
use astrodash::houston::request::{Payload, Request};
use astrodash::houston::system_mutations::SystemChange;
use common::admin::*;
use common::app_flows::{seq_of, view};
use common::forms::{answered, fetched, mutation, no_mutation, top_confirm, top_form};
use common::*;
use crossterm::event::KeyCode;

const LAST_ADMIN: &str =
    "There are no other system administrators. Please assign another before removing yourself.";

fn message(s: &AppState) -> String {
    s.visible_message()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn open_palette_command(s: &mut AppState, command: &str) {
    update(s, ch(':'));
    type_text(s, command);
    update(s, key(KeyCode::Enter));
}

#[test]
fn a_system_admin_opens_the_panel_with_a_and_admin() {
    let mut s = system_admin();
    let fx = update(&mut s, ch('A'));
    assert_eq!(
        s.route(),
        &Route::Admin {
            tab: AdminTab::Users
        }
    );
    // The users are fetched again on opening (kept fresh while shown).
    assert!(fetched(&fx).contains(&Request::SystemUsers), "{fx:?}");
    assert_eq!(
        s.current_table(),
        Some(astrodash::app::tables::TableId::SystemUsers)
    );
    // Tabs go round the panel; Esc comes back to the account dashboard.
    let fx = update(&mut s, key(KeyCode::Tab));
    assert_eq!(
        s.route(),
        &Route::Admin {
            tab: AdminTab::Invites
        }
    );
    assert!(fetched(&fx).contains(&Request::SystemInvites));
    let fx = update(&mut s, ch('4'));
    assert!(fetched(&fx).contains(&Request::SystemServiceAccounts));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.route(), &Route::Account);

    let mut s = system_admin();
    open_palette_command(&mut s, "admin");
    assert_eq!(
        s.route(),
        &Route::Admin {
            tab: AdminTab::Users
        }
    );
}

#[test]
fn anyone_else_is_told_why_the_panel_is_not_theirs() {
    let mut s = loaded_state();
    assert!(update(&mut s, ch('A')).is_empty());
    assert_eq!(s.route(), &Route::Account);
    assert!(
        message(&s).contains("A (System Admin panel) is for system admins only"),
        "{}",
        message(&s)
    );
    let mut s = loaded_state();
    open_palette_command(&mut s, "admin");
    assert_eq!(s.route(), &Route::Account);
    assert!(message(&s).contains("The System Admin panel is for system admins"));
}

#[test]
fn enter_on_the_workspaces_tab_opens_the_workspace_dashboard() {
    let mut s = admin_tab(AdminTab::Workspaces);
    let table = astrodash::app::tables::TableId::SystemWorkspaces;
    assert_eq!(s.current_table(), Some(table.clone()));
    assert_eq!(view(&s, &table).len(), 4, "every workspace");
    // Sorted by name: Analytics Sandbox, Data Platform, Finance, …
    update(&mut s, ch('j'));
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.route(),
        &Route::Workspace {
            id: "ws-fin".into(),
            tab: WorkspaceTab::Deployments
        }
    );
    // A workspace the admin has no role in is known by name all the same.
    assert!(
        s.breadcrumbs().contains(&"Finance".to_string()),
        "{:?}",
        s.breadcrumbs()
    );
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(
        s.route(),
        &Route::Admin {
            tab: AdminTab::Workspaces
        }
    );
}

#[test]
fn users_are_found_by_name_or_e_mail() {
    let mut s = admin_tab(AdminTab::Users);
    let table = astrodash::app::tables::TableId::SystemUsers;
    assert_eq!(view(&s, &table).len(), 4);
    update(&mut s, ch('/'));
    type_text(&mut s, "grace@");
    let rows = view(&s, &table);
    assert_eq!(rows, vec![1], "by e-mail");
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('/'));
    type_text(&mut s, "sysview");
    assert_eq!(view(&s, &table), vec![3], "by name");
}

/// Open the role form on the user in row `row` (Ada, Grace, Pia, Sam by name).
fn role_form(row: usize) -> AppState {
    let mut s = admin_tab(AdminTab::Users);
    for _ in 0..row {
        update(&mut s, ch('j'));
    }
    update(&mut s, ch('e'));
    s
}

/// Submit the open form: its re-read (merge-safe edits) answered with `users`, then what was
/// planned.
fn submit_with_fresh(
    s: &mut AppState,
    users: Vec<astrodash::houston::system::PlatformUser>,
) -> Vec<astrodash::app::effect::Effect> {
    let fx = update(s, ctrl('s'));
    assert!(fetched(&fx).contains(&Request::SystemUsers), "{fx:?}");
    no_mutation(&fx);
    let seq = seq_of(&fx, &Request::SystemUsers);
    update(
        s,
        Msg::Api {
            request: Request::SystemUsers,
            seq,
            at: later(1),
            result: Ok(Payload::PlatformUsers(users)),
        },
    )
}

#[test]
fn a_system_role_is_granted_and_revoked_through_the_form() {
    let mut s = role_form(1);
    let f = top_form(&s);
    assert_eq!(f.kind, FormKind::SetSystemRole("u-grace".into()));
    assert_eq!(f.form.title, "System role of Grace Hopper");
    assert_eq!(f.form.value(FieldId::Role), "NONE");
    // None → Viewer → Editor → Admin.
    for _ in 0..3 {
        update(&mut s, key(KeyCode::Right));
    }
    let fx = submit_with_fresh(&mut s, platform_users());
    let (id, m) = mutation(&fx);
    assert_eq!(
        m,
        Mutation::System(SystemChange::SetRole {
            user: "u-grace".into(),
            name: "Grace Hopper".into(),
            revoke: vec![],
            grant: Some(Role::SystemAdmin),
        })
    );
    let fx = answered(&mut s, id, Ok(Outcome::default()));
    assert!(fetched(&fx).contains(&Request::SystemUsers));
    assert_eq!(message(&s), "Grace Hopper is now System admin");

    // Revoking: Sam's viewer role goes.
    let mut s = role_form(3);
    assert_eq!(top_form(&s).form.value(FieldId::Role), "SYSTEM_VIEWER");
    update(&mut s, key(KeyCode::Left));
    let (_, m) = mutation(&submit_with_fresh(&mut s, platform_users()));
    assert_eq!(
        m,
        Mutation::System(SystemChange::SetRole {
            user: "u-sam".into(),
            name: "Sam Sysview".into(),
            revoke: vec![Role::SystemViewer],
            grant: None,
        })
    );
}

#[test]
fn houstons_last_admin_refusal_is_shown_on_the_form() {
    let mut s = role_form(0);
    assert_eq!(top_form(&s).form.value(FieldId::Role), "SYSTEM_ADMIN");
    update(&mut s, key(KeyCode::Left));
    let (id, m) = mutation(&submit_with_fresh(&mut s, platform_users()));
    assert!(matches!(
        m,
        Mutation::System(SystemChange::SetRole { ref revoke, grant: Some(Role::SystemEditor), .. })
            if revoke == &vec![Role::SystemAdmin]
    ));
    answered(
        &mut s,
        id,
        Err(ApiError::GraphQl {
            message: LAST_ADMIN.into(),
            code: None,
        }),
    );
    // The form stays, with Houston's words on it and the choice kept.
    let f = top_form(&s);
    assert_eq!(f.form.error.as_deref(), Some(LAST_ADMIN));
    assert_eq!(f.form.value(FieldId::Role), "SYSTEM_EDITOR");
}

#[test]
fn a_role_changed_by_a_colleague_meanwhile_is_a_conflict() {
    let mut s = role_form(1);
    update(&mut s, key(KeyCode::Right)); // Viewer
    // Meanwhile a colleague made Grace a system editor.
    let mut theirs = platform_users();
    theirs[1].system_roles = vec![Role::SystemEditor];
    let fx = submit_with_fresh(&mut s, theirs);
    no_mutation(&fx);
    assert!(
        matches!(s.ui.modals.last(), Some(Modal::Conflict(_))),
        "{:?}",
        s.ui.modals.last()
    );
}

#[test]
fn nothing_to_change_is_said_on_the_form() {
    let mut s = role_form(1);
    no_mutation(&update(&mut s, ctrl('s')));
    assert_eq!(
        top_form(&s).form.error.as_deref(),
        Some("That is the role they have: nothing to change")
    );
}

#[test]
fn deleting_a_user_asks_for_their_address() {
    let mut s = admin_tab(AdminTab::Users);
    update(&mut s, ch('j'));
    update(&mut s, ctrl('d'));
    let c = top_confirm(&s);
    assert_eq!(c.title, "Delete user Grace Hopper?");
    no_mutation(&update(&mut s, key(KeyCode::Enter)));
    type_text(&mut s, "Grace Hopper");
    no_mutation(&update(&mut s, key(KeyCode::Enter)));
    for _ in 0.."Grace Hopper".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "grace@example.com");
    let (id, m) = mutation(&update(&mut s, key(KeyCode::Enter)));
    assert_eq!(
        m,
        Mutation::System(SystemChange::DeleteUser {
            user: "u-grace".into(),
            name: "Grace Hopper".into(),
        })
    );
    let fx = answered(&mut s, id, Ok(Outcome::default()));
    assert!(fetched(&fx).contains(&Request::SystemUsers));
    assert_eq!(message(&s), "Deleted user Grace Hopper");
}

#[test]
fn platform_invites_are_sent_and_withdrawn() {
    let mut s = admin_tab(AdminTab::Invites);
    update(&mut s, ch('n'));
    assert_eq!(top_form(&s).kind, FormKind::InvitePlatformUser);
    type_text(&mut s, "not an address");
    no_mutation(&update(&mut s, ctrl('s')));
    assert!(
        top_form(&s)
            .form
            .field(FieldId::Email)
            .unwrap()
            .error
            .is_some(),
        "a bad address is pointed out"
    );
    for _ in 0.."not an address".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "Zoe@Example.com");
    let (id, m) = mutation(&update(&mut s, ctrl('s')));
    assert_eq!(
        m,
        Mutation::System(SystemChange::Invite {
            email: "zoe@example.com".into()
        })
    );
    // Houston's refusal lands on the address.
    answered(
        &mut s,
        id,
        Err(ApiError::GraphQl {
            message: "User already invited".into(),
            code: Some("USER_ALREADY_INVITED".into()),
        }),
    );
    assert_eq!(
        top_form(&s)
            .form
            .field(FieldId::Email)
            .unwrap()
            .error
            .as_deref(),
        Some("User already invited")
    );

    let mut s = admin_tab(AdminTab::Invites);
    // Sorted by address: guest@ first.
    update(&mut s, ch('j'));
    update(&mut s, ctrl('d'));
    assert_eq!(
        top_confirm(&s).title,
        "Withdraw the invite of newbie@example.com?"
    );
    let (_, m) = mutation(&update(&mut s, key(KeyCode::Enter)));
    assert_eq!(
        m,
        Mutation::System(SystemChange::WithdrawInvite {
            invite: "i-new".into(),
            email: "newbie@example.com".into()
        })
    );
}

#[test]
fn a_system_service_account_is_created_with_its_key_shown_once() {
    let mut s = admin_tab(AdminTab::ServiceAccounts);
    update(&mut s, ch('n'));
    assert_eq!(
        top_form(&s).kind,
        FormKind::CreateServiceAccount(Scope::System)
    );
    type_text(&mut s, "backup-bot");
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Right)); // Viewer → Editor
    let (id, m) = mutation(&update(&mut s, ctrl('s')));
    assert_eq!(
        m,
        Mutation::CreateServiceAccount {
            scope: Scope::System,
            label: "backup-bot".into(),
            category: String::new(),
            role: Role::SystemEditor,
        }
    );
    let key_text = "fedcba9876543210fedcba9876543210";
    let fx = answered(
        &mut s,
        id,
        Ok(Outcome {
            api_key: Some(Secret(key_text.into())),
            service_account: Some("sa-new".into()),
            ..Outcome::default()
        }),
    );
    assert!(fetched(&fx).contains(&Request::SystemServiceAccounts));
    match s.ui.modals.last() {
        Some(Modal::ApiKey(v)) => assert_eq!(v.key.expose(), key_text),
        other => panic!("{other:?}"),
    }
    assert!(!format!("{:?}", s.cache).contains(key_text));
    // Edit and delete (its name typed) on the row.
    let mut s = admin_tab(AdminTab::ServiceAccounts);
    update(&mut s, ch('e'));
    assert_eq!(
        top_form(&s).kind,
        FormKind::EditServiceAccount(Scope::System, "sa-ops".into())
    );
    let mut s = admin_tab(AdminTab::ServiceAccounts);
    update(&mut s, ctrl('d'));
    no_mutation(&update(&mut s, key(KeyCode::Enter)));
    type_text(&mut s, "platform-ops");
    let (_, m) = mutation(&update(&mut s, key(KeyCode::Enter)));
    assert_eq!(
        m,
        Mutation::DeleteServiceAccount {
            scope: Scope::System,
            id: "sa-ops".into(),
            label: "platform-ops".into()
        }
    );
}

#[test]
fn a_read_only_session_changes_nothing_and_says_why() {
    let mut s = admin_tab(AdminTab::Users);
    s.session.read_only = true;
    for k in [ch('e'), ch('n'), ctrl('d')] {
        no_mutation(&update(&mut s, k));
        assert!(s.ui.modals.is_empty(), "{:?}", s.ui.modals);
    }
    assert!(message(&s).contains("read-only session"), "{}", message(&s));
}

#[test]
fn task_usage_lists_every_deployment_worst_failure_rate_first() {
    let mut s = admin_tab(AdminTab::TaskUsage);
    assert_eq!(s.ui.task_usage_days, 30);
    task_usage(&mut s, 30);
    let table = astrodash::app::tables::TableId::TaskUsage(30);
    assert_eq!(s.current_table(), Some(table.clone()));
    let rows = s.rows(&table);
    let env = astrodash::app::tables::CellEnv {
        now: now(),
        system_admin: true,
    };
    let shown: Vec<(String, String)> = view(&s, &table)
        .iter()
        .map(|&i| (rows.cell(i, 0, &env).text, rows.cell(i, 5, &env).text))
        .collect();
    let rates: Vec<&str> = shown.iter().map(|(_, r)| r.as_str()).collect();
    // The one not answered yet comes last, saying so.
    assert_eq!(rates, vec!["10.0 %", "4.0 %", "0.0 %", "…"], "{shown:?}");
    drop(rows);
    // Each deployment is asked for once the platform list is here.
    let fx = update(&mut s, ctrl('r'));
    let asked = fetched(&fx);
    assert!(asked.contains(&Request::AllDeployments));
    assert_eq!(
        asked
            .iter()
            .filter(|r| matches!(r, Request::TaskUsage { days: 30, .. }))
            .count(),
        4,
        "{asked:?}"
    );
}

#[test]
fn w_cycles_the_task_usage_range() {
    let mut s = admin_tab(AdminTab::TaskUsage);
    task_usage(&mut s, 30);
    let fx = update(&mut s, ch('w'));
    assert_eq!(s.ui.task_usage_days, 90);
    assert!(
        fetched(&fx)
            .iter()
            .any(|r| matches!(r, Request::TaskUsage { days: 90, .. })),
        "{fx:?}"
    );
    assert_eq!(message(&s), "Task runs of the last 90 days");
    update(&mut s, ch('w'));
    assert_eq!(s.ui.task_usage_days, 7);
}

/// Another admin revokes your system role while the panel is open: the next read is refused,
/// `self` is asked again, and the panel closes with the reason instead of showing refusals.
#[test]
fn a_system_role_revoked_meanwhile_closes_the_panel() {
    let mut s = admin_tab(AdminTab::Users);
    s.cache.forget(&Request::SystemInvites);
    let fx = update(&mut s, ch('2'));
    let seq = seq_of(&fx, &Request::SystemInvites);
    let fx = update(
        &mut s,
        Msg::Api {
            request: Request::SystemInvites,
            seq,
            at: now(),
            result: Err(ApiError::Forbidden(
                "You do not have the appropriate permissions for that".into(),
            )),
        },
    );
    assert!(fetched(&fx).contains(&Request::Me), "{fx:?}");
    let mut me = me();
    me.is_system_admin = false;
    let seq = seq_of(&fx, &Request::Me);
    update(
        &mut s,
        Msg::Api {
            request: Request::Me,
            seq,
            at: now(),
            result: Ok(Payload::Me(me)),
        },
    );
    assert_eq!(s.route(), &Route::Account);
    let text = render(&s, 120, 40);
    assert!(text.contains("You are no longer a system admin"), "{text}");
    // And `A` says why it does not open.
    update(&mut s, ch('A'));
    assert_eq!(s.route(), &Route::Account);
}

/// A user whose only workspace role comes from a team shows it, marked with the team.
#[test]
fn team_only_workspaces_show_via_the_team() {
    let mut s = admin_tab(AdminTab::Users);
    let mut users = platform_users();
    users[0].workspaces = vec![astrodash::houston::system::UserWorkspace {
        id: "ws-ml".into(),
        label: "ML Research".into(),
        role: Role::WorkspaceViewer,
        via_team: Some("ML Ops".into()),
    }];
    put(&mut s, Request::SystemUsers, Payload::PlatformUsers(users));
    let text = render(&s, 200, 40);
    assert!(
        text.contains("ML Research (Viewer via team ML Ops)"),
        "{text}"
    );
}
