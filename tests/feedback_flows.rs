//! What the app says can be trusted and read: reducer flows of the deployment preview while a
//! number is invalid, the message line after a refusal, the cursor on what was just created,
//! the `:messages` log, and one label for a role.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::forms::FieldId;
use astrodash::app::modal::Modal;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::mutation::{Mutation, Outcome};
use astrodash::houston::request::{Payload, Request};
use common::merge::{deployment_tab, workspace_tab};
use common::*;
use crossterm::event::KeyCode;

fn sent(effects: &[Effect]) -> Vec<(u64, Mutation)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { id, mutation, .. } => Some((*id, mutation.clone())),
            _ => None,
        })
        .collect()
}

fn one_mutation(effects: &[Effect]) -> (u64, Mutation) {
    let all = sent(effects);
    assert_eq!(all.len(), 1, "expected one mutation in {effects:?}");
    all.into_iter().next().unwrap()
}

fn form(s: &AppState) -> &astrodash::app::modal::FormModal {
    match s.ui.modals.last() {
        Some(Modal::Form(f)) => f,
        other => panic!("expected a form on top, got {other:?}"),
    }
}

fn answered(s: &mut AppState, id: u64, result: Result<Outcome, ApiError>) -> Vec<Effect> {
    update(
        s,
        Msg::Mutated {
            id,
            at: now(),
            result,
        },
    )
}

/// The sequence number of the fetch of `request` among `effects`.
fn fetch_seq(effects: &[Effect], request: &Request) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { request: r, seq } if r == request => Some(*seq),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fetch of {request:?} in {effects:?}"))
}

fn run_palette(s: &mut AppState, command: &str) {
    update(s, ch(':'));
    type_text(s, command);
    update(s, key(KeyCode::Enter));
}

// ---- 6. the preview never shows a stale number ----

#[test]
fn the_preview_cannot_be_computed_while_a_number_is_invalid() {
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    update(&mut s, ch('n'));
    let text = render(&s, 160, 48);
    assert!(text.contains("Total"), "{text}");
    // Workers (the 9th field) beyond its bounds.
    for _ in 0..8 {
        update(&mut s, key(KeyCode::Tab));
    }
    assert_eq!(form(&s).form.focused().unwrap().id, FieldId::WorkerReplicas);
    type_text(&mut s, "99");
    let text = render(&s, 160, 48);
    assert!(text.contains("Cannot be computed until"), "{text}");
    assert!(text.contains("Workers is valid."), "{text}");
    assert!(!text.contains("Total"), "no stale total:\n{text}");
    update(&mut s, key(KeyCode::Backspace));
    assert!(render(&s, 160, 48).contains("Total"));
}

// ---- 7. the message line after a refusal ----

#[test]
fn saving_is_not_left_in_the_message_line_after_a_refusal() {
    let mut s = workspace_tab(WorkspaceTab::Settings);
    update(&mut s, ch('e'));
    type_text(&mut s, "!");
    // The server is read again before anything is sent (nothing changed there).
    let check = update(&mut s, ctrl('s'));
    let (id, _) = one_mutation(&answer_reads(&mut s, &check));
    assert_eq!(
        s.visible_message().unwrap().text,
        "Saving workspace Data Platform!…"
    );
    answered(
        &mut s,
        id,
        Err(ApiError::Forbidden(
            "You do not have the appropriate permissions for that".into(),
        )),
    );
    let m = s.visible_message().unwrap();
    assert_eq!(m.level, Level::Error);
    assert_eq!(
        m.text,
        "Saving workspace Data Platform! failed: You do not have the appropriate permissions for that"
    );
    // The form stays with what was typed and the reason.
    assert_eq!(form(&s).form.text(FieldId::Label), "Data Platform!");
}

// ---- 8. the cursor on what was just created ----

#[test]
fn a_new_variable_gets_the_cursor() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    update(&mut s, ch('n'));
    type_text(&mut s, "NEW_KEY");
    // Name, secret choice, then the value.
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "v1");
    let check = update(&mut s, ctrl('s'));
    answer_reads(&mut s, &check);
    let confirm = update(&mut s, key(KeyCode::Enter));
    let (id, _) = one_mutation(&answer_reads(&mut s, &confirm));
    let fx = answered(&mut s, id, Ok(Outcome::default()));
    let request = Request::DeploymentVariables("d-etl".into());
    let seq = fetch_seq(&fx, &request);
    let mut list = variables();
    list.push(EnvVar {
        key: "NEW_KEY".into(),
        value: "v1".into(),
        is_secret: false,
    });
    update(&mut s, reply(request, seq, 1, Payload::Variables(list)));
    assert_eq!(s.selected::<EnvVar>().unwrap().key, "NEW_KEY");
}

#[test]
fn a_new_invite_gets_the_cursor() {
    let mut s = workspace_tab(WorkspaceTab::Invites);
    update(&mut s, ch('n'));
    type_text(&mut s, "Zed@Example.com");
    let (id, _) = one_mutation(&update(&mut s, ctrl('s')));
    let fx = answered(&mut s, id, Ok(Outcome::default()));
    let request = Request::WorkspaceInvites("ws-data".into());
    let seq = fetch_seq(&fx, &request);
    let mut list = invites();
    list.push(Invite {
        id: "i-zed".into(),
        email: "zed@example.com".into(),
        role: Role::WorkspaceViewer,
        created_at: Some(now()),
    });
    update(&mut s, reply(request, seq, 1, Payload::Invites(list)));
    assert_eq!(s.selected::<Invite>().unwrap().id, "i-zed");
}

#[test]
fn a_user_given_a_deployment_role_gets_the_cursor() {
    let mut s = deployment_tab(DeploymentTab::Users);
    update(&mut s, ch('n'));
    type_text(&mut s, "linus@example.com");
    let (id, _) = one_mutation(&update(&mut s, ctrl('s')));
    let fx = answered(&mut s, id, Ok(Outcome::default()));
    let request = Request::DeploymentUsers("d-etl".into());
    let seq = fetch_seq(&fx, &request);
    let mut list = deployment_users();
    list.push(DeploymentUser {
        id: "u-linus".into(),
        username: "linus".into(),
        full_name: None,
        email: Some("linus@example.com".into()),
        role: Some(Role::DeploymentViewer),
    });
    update(
        &mut s,
        reply(request, seq, 1, Payload::DeploymentUsers(list)),
    );
    assert_eq!(s.selected::<DeploymentUser>().unwrap().id, "u-linus");
}

#[test]
fn a_new_service_account_gets_the_cursor() {
    let mut s = workspace_tab(WorkspaceTab::ServiceAccounts);
    update(&mut s, ch('n'));
    type_text(&mut s, "Nightly export");
    let (id, _) = one_mutation(&update(&mut s, ctrl('s')));
    let fx = answered(
        &mut s,
        id,
        Ok(Outcome {
            api_key: Some(astrodash::app::msg::Secret("k".into())),
            service_account: Some("sa-new".into()),
            ..Outcome::default()
        }),
    );
    // The one-time key shows first; the list behind it has the cursor on the new account.
    update(&mut s, key(KeyCode::Esc));
    let request = Request::WorkspaceServiceAccounts("ws-data".into());
    let seq = fetch_seq(&fx, &request);
    let mut list = service_accounts();
    list.push(ServiceAccount {
        id: "sa-new".into(),
        label: "Nightly export".into(),
        category: None,
        role: Some(Role::WorkspaceViewer),
        active: true,
        last_used_at: None,
        created_at: Some(now()),
    });
    update(
        &mut s,
        reply(request, seq, 1, Payload::ServiceAccounts(list)),
    );
    assert_eq!(s.selected::<ServiceAccount>().unwrap().id, "sa-new");
}

// ---- 9. the message log ----

#[test]
fn messages_are_kept_whole_and_listed_by_the_palette() {
    let mut s = loaded_state();
    for _ in 0..3 {
        update(&mut s, ctrl('r'));
    }
    let long = "Deleting workspace Data Platform failed: You must first deprovision all deployments before you can delete your workspace.";
    s.ui.message = None;
    // A refusal the line cannot hold: raised through the reducer.
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Settings,
    });
    update(&mut s, ctrl('d'));
    type_text(&mut s, "Data Platform");
    let (id, _) = one_mutation(&update(&mut s, key(KeyCode::Enter)));
    answered(
        &mut s,
        id,
        Err(ApiError::GraphQl {
            message:
                "You must first deprovision all deployments before you can delete your workspace."
                    .into(),
            code: None,
        }),
    );
    assert_eq!(s.ui.message_log.back().unwrap().text, long);
    let line = render(&s, 80, 24);
    assert!(
        line.contains("(:messages)"),
        "the cut line says where to read it:\n{line}"
    );

    // Help and the palette list the command.
    update(&mut s, ch('?'));
    let help = render(&s, 80, 24);
    assert!(
        help.contains(":messages the last messages, whole"),
        "{help}"
    );
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch(':'));
    type_text(&mut s, "mess");
    let listed = match s.ui.modals.last() {
        Some(Modal::Palette(p)) => p.completions.iter().any(|c| c.text == "messages"),
        _ => false,
    };
    assert!(listed);
    update(&mut s, key(KeyCode::Esc));
    run_palette(&mut s, "messages");
    assert!(matches!(s.ui.modals.last(), Some(Modal::Messages { .. })));
    let text = render(&s, 80, 24);
    // The whole message, wrapped; the newest first.
    for piece in [
        "✗ Deleting workspace Data Platform failed: You must first deprovision",
        "           all deployments before you can delete your workspace.",
        "Refreshing…",
    ] {
        assert!(text.contains(piece), "{piece}:\n{text}");
    }
    // j/k scroll, Esc closes.
    update(&mut s, ch('j'));
    assert!(matches!(
        s.ui.modals.last(),
        Some(Modal::Messages { scroll: 1 })
    ));
    update(&mut s, key(KeyCode::Esc));
    assert!(s.ui.modals.is_empty());
}

#[test]
fn the_message_log_keeps_the_last_200() {
    let mut s = loaded_state();
    for _ in 0..(MESSAGE_LOG_LIMIT + 50) {
        update(&mut s, ctrl('r'));
    }
    assert_eq!(s.ui.message_log.len(), MESSAGE_LOG_LIMIT);
}

// ---- 10. one label for a role ----

#[test]
fn workspace_settings_name_the_role_as_the_lists_do() {
    let s = workspace_tab(WorkspaceTab::Settings);
    let text = render(&s, 120, 30);
    assert!(text.contains("Admin"), "{text}");
    assert!(!text.contains("WORKSPACE_ADMIN"), "{text}");
}

#[test]
fn config_warnings_are_in_the_message_log_whole() {
    let mut settings = settings(Some("token"));
    settings.warnings = vec!["unknown key `colour` in the config file".into(); 4];
    let s = AppState::new(&settings, now(), false);
    let logged = s.ui.message_log.front().unwrap();
    assert_eq!(logged.text.matches("unknown key `colour`").count(), 4);
    assert_eq!(Some(logged), s.ui.message.as_ref());
}
