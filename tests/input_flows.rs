//! Input is never silently changed: reducer flows of pastes into one-line fields, e-mail checks,
//! names already taken (warned, and told apart in delete dialogs and the palette), and
//! type-to-confirm by release name.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::forms::Field;
use astrodash::app::forms::FieldId;
use astrodash::app::forms::FormKind;
use astrodash::app::modal::{ConfirmLine, Modal};
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::model::*;
use astrodash::houston::mutation::Mutation;
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

fn field(s: &AppState, id: FieldId) -> &Field {
    form(s).form.field(id).unwrap()
}

fn confirm(s: &AppState) -> &astrodash::app::modal::Confirm {
    match s.ui.modals.last() {
        Some(Modal::Confirm(c)) => c,
        other => panic!("expected a confirmation on top, got {other:?}"),
    }
}

fn texts(c: &astrodash::app::modal::Confirm) -> Vec<String> {
    c.lines
        .iter()
        .filter_map(|l| match l {
            ConfirmLine::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

fn run_palette(s: &mut AppState, command: &str) {
    update(s, ch(':'));
    type_text(s, command);
    update(s, key(KeyCode::Enter));
}

// ---- 1. pastes ----

#[test]
fn a_multi_line_paste_into_a_one_line_field_is_refused_with_a_message() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    assert_eq!(form(&s).kind, FormKind::CreateWorkspace);
    update(&mut s, Msg::Paste("Payments\nLedger".into()));
    let name = field(&s, FieldId::Label);
    assert_eq!(name.value(), "", "nothing pasted, nothing joined");
    assert_eq!(
        name.error.as_deref(),
        Some("Nothing pasted: the text has 2 lines and this field holds one line")
    );
    // Windows line ends and tabs are refused as well; nothing is dropped from the text.
    update(&mut s, Msg::Paste("a\r\nb\r\nc".into()));
    assert!(
        field(&s, FieldId::Label)
            .error
            .as_deref()
            .unwrap()
            .contains("3 lines")
    );
    update(&mut s, Msg::Paste("Pay\tments".into()));
    assert_eq!(
        field(&s, FieldId::Label).error.as_deref(),
        Some("Nothing pasted: the text contains a tab, which this field cannot hold")
    );
    assert_eq!(field(&s, FieldId::Label).value(), "");
    // One line (with the line end a terminal copy adds) goes in whole, and clears the message.
    update(&mut s, Msg::Paste("Payments Ledger\n".into()));
    assert_eq!(field(&s, FieldId::Label).value(), "Payments Ledger");
    assert!(field(&s, FieldId::Label).error.is_none());
}

#[test]
fn a_field_that_allows_several_lines_keeps_them() {
    let mut f = astrodash::app::forms::Form::new(
        "t",
        vec![Field::text(FieldId::Value, "Certificate", "").multiline()],
    );
    f.paste("-----BEGIN-----\nabc\n-----END-----\n");
    assert_eq!(
        f.value(FieldId::Value),
        "-----BEGIN-----\nabc\n-----END-----\n"
    );
    assert!(f.field(FieldId::Value).unwrap().error.is_none());
    // Off by default.
    assert!(!Field::text(FieldId::Label, "X", "").multiline);
}

// ---- 2. e-mails ----

#[test]
fn e_mails_are_checked_as_typed() {
    let mut s = workspace_tab(WorkspaceTab::Users);
    update(&mut s, ch('n'));
    assert_eq!(form(&s).kind, FormKind::InviteUser("ws-data".into()));
    for (typed, problem) in [
        ("two@@x.test", "an e-mail address has one @, this has 2"),
        ("a@b", "the domain b has no dot (e.g. b.com)"),
        ("a@.x", "the domain .x is not a valid domain name"),
        ("a b@x.test", "an e-mail address has no spaces"),
        ("ab@x.test ", "an e-mail address has no spaces"),
        ("nobody", "an e-mail address has an @ (name@example.com)"),
        ("@x.test", "the part before the @ is empty"),
    ] {
        type_text(&mut s, typed);
        let fx = update(&mut s, ctrl('s'));
        assert!(sent(&fx).is_empty(), "{typed} was sent");
        assert_eq!(
            field(&s, FieldId::Email).error.as_deref(),
            Some(format!("Not an e-mail address: {problem}").as_str()),
            "{typed}"
        );
        for _ in 0..typed.chars().count() {
            update(&mut s, key(KeyCode::Backspace));
        }
    }
    type_text(&mut s, "two@x.test");
    let (_, m) = one_mutation(&update(&mut s, ctrl('s')));
    assert!(matches!(m, Mutation::InviteUser { email, .. } if email == "two@x.test"));
}

#[test]
fn an_e_mail_that_cannot_become_one_is_flagged_while_typing() {
    let mut s = workspace_tab(WorkspaceTab::Users);
    update(&mut s, ch('n'));
    assert_eq!(
        field(&s, FieldId::Email).error,
        None,
        "an empty field is no problem"
    );
    // Unfinished is no problem yet.
    type_text(&mut s, "two@x");
    assert_eq!(field(&s, FieldId::Email).error, None);
    update(&mut s, key(KeyCode::Backspace));
    // A second @ cannot be fixed by typing on: said at once.
    type_text(&mut s, "@");
    assert_eq!(
        field(&s, FieldId::Email).error.as_deref(),
        Some("Not an e-mail address: an e-mail address has one @, this has 2")
    );
    update(&mut s, key(KeyCode::Backspace));
    assert_eq!(field(&s, FieldId::Email).error, None);
    type_text(&mut s, "x.test");
    assert_eq!(field(&s, FieldId::Email).error, None);
}

#[test]
fn adding_a_deployment_user_checks_the_e_mail_too() {
    let mut s = deployment_tab(DeploymentTab::Users);
    update(&mut s, ch('n'));
    assert_eq!(form(&s).kind, FormKind::AddDeploymentUser("d-etl".into()));
    type_text(&mut s, "two@@x.test");
    assert!(sent(&update(&mut s, ctrl('s'))).is_empty());
    assert!(
        field(&s, FieldId::Email)
            .error
            .as_deref()
            .unwrap()
            .contains("one @")
    );
}

// ---- 3. names already taken ----

#[test]
fn a_workspace_name_already_taken_is_a_warning_not_a_refusal() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    type_text(&mut s, "data platform");
    let name = field(&s, FieldId::Label);
    let warning = name.warning.as_deref().expect("a warning while typing");
    assert!(
        warning.starts_with("Another workspace is named Data Platform (id ws-data"),
        "{warning}"
    );
    assert!(warning.contains("3 deployments, 3 users"), "{warning}");
    assert!(name.error.is_none());
    // Another character: no other workspace has that name.
    type_text(&mut s, "2");
    assert!(field(&s, FieldId::Label).warning.is_none());
    update(&mut s, key(KeyCode::Backspace));
    assert!(field(&s, FieldId::Label).warning.is_some());
    // Houston allows it: it is sent.
    let (_, m) = one_mutation(&update(&mut s, ctrl('s')));
    assert!(matches!(m, Mutation::CreateWorkspace { label, .. } if label == "data platform"));
}

#[test]
fn renaming_a_workspace_to_its_own_name_is_no_warning() {
    let mut s = workspace_tab(WorkspaceTab::Settings);
    update(&mut s, ch('e'));
    assert_eq!(form(&s).kind, FormKind::EditWorkspace("ws-data".into()));
    assert!(field(&s, FieldId::Label).warning.is_none());
    for _ in 0.."Data Platform".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "Analytics Sandbox");
    assert!(
        field(&s, FieldId::Label)
            .warning
            .as_deref()
            .unwrap()
            .contains("id ws-sandbox")
    );
}

#[test]
fn a_deployment_name_taken_in_the_workspace_is_flagged() {
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    update(&mut s, ch('n'));
    // Differs only in case: Houston allows it, astrodash warns and sends.
    type_text(&mut s, "Reporting");
    let warning = field(&s, FieldId::Label).warning.clone().unwrap();
    assert!(
        warning.contains("named reporting (release stellar-orbit-5678)")
            && warning.contains("differ only in case"),
        "{warning}"
    );
    let (_, m) = one_mutation(&update(&mut s, ctrl('s')));
    assert!(matches!(m, Mutation::CreateDeployment { spec, .. } if spec.label == "Reporting"));
}

#[test]
fn the_exact_name_of_a_deployment_is_refused_as_houston_refuses_it() {
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    update(&mut s, ch('n'));
    type_text(&mut s, "reporting");
    assert!(
        field(&s, FieldId::Label)
            .warning
            .as_deref()
            .unwrap()
            .contains("Houston refuses a second one")
    );
    assert!(sent(&update(&mut s, ctrl('s'))).is_empty());
    assert_eq!(
        field(&s, FieldId::Label).error.as_deref(),
        Some("Workspace already has a deployment named reporting")
    );
}

/// A second workspace named like the first, with its own deployments.
fn with_twin_workspace() -> AppState {
    let mut s = loaded_state();
    let mut list = workspaces();
    list.push(workspace(
        "ws-data-2",
        "Data Platform",
        None,
        0,
        Role::WorkspaceAdmin,
    ));
    put(&mut s, workspaces_request(), Payload::Workspaces(list));
    s
}

#[test]
fn the_delete_dialog_tells_twin_workspaces_apart() {
    let mut s = with_twin_workspace();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data-2".into(),
        tab: WorkspaceTab::Settings,
    });
    update(&mut s, ctrl('d'));
    let lines = texts(confirm(&s));
    assert!(
        lines.contains(
            &"2 workspaces are named Data Platform. This one: id ws-data-2 · 0 deployments".into()
        ),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"Not this one: id ws-data · 3 deployments, 3 users".into()),
        "{lines:?}"
    );
}

#[test]
fn the_delete_dialog_of_a_workspace_with_its_own_name_says_nothing_more() {
    let mut s = workspace_tab(WorkspaceTab::Settings);
    update(&mut s, ctrl('d'));
    let lines = texts(confirm(&s));
    assert!(!lines.iter().any(|l| l.contains("are named")), "{lines:?}");
}

#[test]
fn the_palette_tells_twin_workspaces_apart_and_never_picks_one_silently() {
    let mut s = with_twin_workspace();
    update(&mut s, ch(':'));
    type_text(&mut s, "ws Data Platform");
    let completions = match s.ui.modals.last() {
        Some(Modal::Palette(p)) => p.completions.clone(),
        other => panic!("{other:?}"),
    };
    let twins: Vec<_> = completions
        .iter()
        .filter(|c| c.label == "ws Data Platform")
        .collect();
    assert_eq!(twins.len(), 2, "{completions:?}");
    assert!(
        twins
            .iter()
            .any(|c| c.text == "ws ws-data" && c.detail == "id ws-data · 3 deployments, 3 users")
    );
    assert!(
        twins
            .iter()
            .any(|c| c.text == "ws ws-data-2" && c.detail == "id ws-data-2 · 0 deployments")
    );
    // The name alone is ambiguous: said so, nothing opened.
    update(&mut s, key(KeyCode::Enter));
    // A failed command closes the palette and says why on the message line.
    assert!(
        !matches!(s.ui.modals.last(), Some(Modal::Palette(_))),
        "the palette closes"
    );
    let error = s
        .visible_message()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        error.contains("2 workspaces are named Data Platform"),
        "{error}"
    );
    assert_eq!(s.route(), &Route::Account);
    // By id it opens the one asked for.
    run_palette(&mut s, "ws ws-data-2");
    assert_eq!(
        s.route(),
        &Route::Workspace {
            id: "ws-data-2".into(),
            tab: WorkspaceTab::Deployments
        }
    );
}

#[test]
fn the_delete_dialog_tells_deployments_of_one_name_apart() {
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    let mut list = admin_deployments();
    let mut twin = deployment(
        "d-rep-2",
        "Reporting",
        "lunar-tide-4321",
        Executor::Celery,
        DeploymentStatus::Healthy,
    );
    twin.workspace_id = Some("ws-data".into());
    list.push(twin);
    put(
        &mut s,
        Request::Deployments("ws-data".into()),
        Payload::Deployments(list),
    );
    // The list is sorted by name: find the lower-case one.
    update(&mut s, ch('/'));
    type_text(&mut s, "stellar");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.target_deployment().unwrap().id, "d-rep");
    update(&mut s, ctrl('d'));
    let lines = texts(confirm(&s));
    assert!(
        lines.iter().any(|l| l
            == "2 deployments are named reporting. This one: reporting · id d-rep · release stellar-orbit-5678 · workspace Data Platform"),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(
            |l| l.starts_with("Not this one: Reporting · id d-rep-2 · release lunar-tide-4321")
        ),
        "{lines:?}"
    );
}

// ---- 4. type-to-confirm ----

#[test]
fn a_deployment_delete_accepts_its_release_name_and_says_so() {
    let mut s = deployment_tab(DeploymentTab::Overview);
    update(&mut s, ctrl('d'));
    let c = confirm(&s);
    assert!(
        texts(c).contains(
            &"Type the deployment's name, prod-etl, or its release name, quantum-nebula-1234, to confirm."
                .into()
        ),
        "{:?}",
        texts(c)
    );
    type_text(&mut s, "quantum-nebula");
    assert!(sent(&update(&mut s, key(KeyCode::Enter))).is_empty());
    type_text(&mut s, "-1234");
    let (_, m) = one_mutation(&update(&mut s, key(KeyCode::Enter)));
    assert!(matches!(m, Mutation::DeleteDeployment { id, .. } if id == "d-etl"));
}

#[test]
fn a_deployment_delete_still_accepts_its_name() {
    let mut s = deployment_tab(DeploymentTab::Overview);
    update(&mut s, ctrl('d'));
    type_text(&mut s, "prod-etl");
    let (_, m) = one_mutation(&update(&mut s, key(KeyCode::Enter)));
    assert!(matches!(m, Mutation::DeleteDeployment { .. }));
}
