//! Reducer flows of changes to workspaces and deployments: forms (validation, submit, server
//! errors keep the input, cancel with and without changes, double submit), confirmations, and
//! read-only mode proven over every key of every screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::forms::FieldId;
use astrodash::app::forms::FormKind;
use astrodash::app::modal::{ConfirmAction, ConfirmLine, Modal};
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::mutation::{Mutation, Outcome};
use astrodash::houston::request::Request;
use common::forms::*;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[test]
fn create_workspace_validates_submits_once_and_refetches() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    assert_eq!(top_form(&s).kind, FormKind::CreateWorkspace);
    // Empty name: refused in the form, nothing sent.
    no_mutation(&update(&mut s, ctrl('s')));
    assert_eq!(
        top_form(&s)
            .form
            .field(FieldId::Label)
            .unwrap()
            .error
            .as_deref(),
        Some("Name is required")
    );
    type_text(&mut s, "Payments");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "Card flows");
    // Enter on the last field submits.
    let fx = update(&mut s, key(KeyCode::Enter));
    let (id, m) = mutation(&fx);
    assert_eq!(
        m,
        Mutation::CreateWorkspace {
            label: "Payments".into(),
            description: "Card flows".into()
        }
    );
    // A double submit sends nothing more; typing is ignored while it is on its way.
    no_mutation(&update(&mut s, ctrl('s')));
    no_mutation(&update(&mut s, key(KeyCode::Enter)));
    let fx = answered(
        &mut s,
        id,
        Ok(Outcome {
            workspace: Some("ws-new".into()),
            ..Outcome::default()
        }),
    );
    assert!(s.ui.modals.is_empty(), "the form closes on success");
    assert_eq!(fetched(&fx), vec![workspaces_request()]);
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("Created workspace Payments")
    );
    // Once the list holds it, the cursor is on the new workspace.
    let seq = fx
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { seq, .. } => Some(*seq),
            _ => None,
        })
        .unwrap();
    let mut list = workspaces();
    list.push(workspace(
        "ws-new",
        "Payments",
        Some("Card flows"),
        0,
        Role::WorkspaceAdmin,
    ));
    update(
        &mut s,
        reply(
            workspaces_request(),
            seq,
            1,
            astrodash::houston::request::Payload::Workspaces(list),
        ),
    );
    assert_eq!(
        s.selected::<Workspace>().as_ref().map(|w| w.id.as_str()),
        Some("ws-new")
    );
}

#[test]
fn a_server_error_keeps_the_form_and_marks_the_field() {
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    update(&mut s, ch('n'));
    type_text(&mut s, "fresh-one");
    let fx = update(&mut s, ctrl('s'));
    let (id, m) = mutation(&fx);
    let Mutation::CreateDeployment {
        workspace,
        spec,
        airflow_version,
        placement,
    } = m
    else {
        panic!("{m:?}")
    };
    assert_eq!(workspace, "ws-data");
    assert_eq!(spec.executor, Executor::Celery);
    assert_eq!(spec.resources.workers_au, 10);
    assert_eq!(airflow_version.as_deref(), Some("2.10.3"));
    assert_eq!(placement, None, "no clusters before Houston 1.0");
    answered(
        &mut s,
        id,
        Err(ApiError::GraphQl {
            message: "Workspace already has a deployment named fresh-one".into(),
            code: Some("BAD_USER_INPUT".into()),
        }),
    );
    let f = top_form(&s);
    assert_eq!(
        f.form.text(FieldId::Label),
        "fresh-one",
        "nothing typed is lost"
    );
    assert_eq!(
        f.form.field(FieldId::Label).unwrap().error.as_deref(),
        Some("Workspace already has a deployment named fresh-one")
    );
    assert!(f.form.pending.is_none(), "it can be sent again");
    // Fixed and sent again.
    type_text(&mut s, "-2");
    let (_, m) = mutation(&update(&mut s, ctrl('s')));
    assert!(matches!(m, Mutation::CreateDeployment { spec, .. } if spec.label == "fresh-one-2"));
}

#[test]
fn duplicate_deployment_names_are_refused_in_the_form() {
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    update(&mut s, ch('n'));
    // Exactly the name Houston refuses (a case variant is only warned about: input_flows).
    type_text(&mut s, "reporting");
    no_mutation(&update(&mut s, ctrl('s')));
    assert_eq!(
        top_form(&s)
            .form
            .field(FieldId::Label)
            .unwrap()
            .error
            .as_deref(),
        Some("Workspace already has a deployment named reporting")
    );
}

#[test]
fn resource_limits_are_checked_and_the_edit_shows_a_diff() {
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    update(&mut s, ch('e'));
    // Scheduler AU (4th field) beyond maxPodAu.
    for _ in 0..3 {
        update(&mut s, key(KeyCode::Tab));
    }
    for _ in 0..2 {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "99");
    no_mutation(&update(&mut s, ctrl('s')));
    assert_eq!(
        top_form(&s)
            .form
            .field(FieldId::SchedulerAu)
            .unwrap()
            .error
            .as_deref(),
        Some("must be between 1 and 35")
    );
    for _ in 0..2 {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "12");
    // Nothing else changed: the review lists exactly this (after reading the server again).
    let fx = update(&mut s, ctrl('s'));
    no_mutation(&fx);
    no_mutation(&answer_reads(&mut s, &fx));
    let c = top_confirm(&s);
    assert!(c.lines.contains(&ConfirmLine::Changed {
        what: "Scheduler AU".into(),
        old: "10".into(),
        new: "12".into()
    }));
    // Cancel the review: back in the form, nothing lost.
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(top_form(&s).form.text(FieldId::SchedulerAu), "12");
    let fx = update(&mut s, ctrl('s'));
    answer_reads(&mut s, &fx);
    let fx = update(&mut s, key(KeyCode::Enter));
    let (id, m) = mutation(&answer_reads(&mut s, &fx));
    let Mutation::UpdateDeployment { id: d, spec } = m else {
        panic!()
    };
    assert_eq!(d, "d-etl");
    assert_eq!(spec.resources.scheduler_au, 12);
    assert_eq!(
        spec.resources.worker_replicas, 2,
        "unchanged values are kept"
    );
    assert!(top_form(&s).form.pending.is_some());
    let fx = answered(&mut s, id, Ok(Outcome::default()));
    assert!(s.ui.modals.is_empty());
    assert!(fetched(&fx).contains(&Request::Deployments("ws-data".into())));
}

#[test]
fn switching_the_executor_hides_worker_fields() {
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    update(&mut s, ch('n'));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    // Celery → Kubernetes.
    update(&mut s, key(KeyCode::Right));
    let f = &top_form(&s).form;
    assert_eq!(f.value(FieldId::Executor), "KubernetesExecutor");
    assert!(f.field(FieldId::WorkerReplicas).unwrap().hidden);
}

#[test]
fn upgrade_and_cancel_a_pending_upgrade() {
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    // prod-etl runs 2.8.1 with 2.9.2 pending.
    update(&mut s, ch('u'));
    assert!(matches!(top_form(&s).kind, FormKind::UpgradeAirflow(_)));
    // Newest first: 2.10.3, sent once the deployment is read again (merged like every edit).
    let fx = press_answering_rereads(&mut s, ctrl('s'));
    let (_, m) = mutation(&fx);
    assert!(matches!(m, Mutation::UpgradeAirflow { version, .. } if version == "2.10.3"));

    let mut s = workspace_tab(WorkspaceTab::Deployments);
    update(&mut s, ch('U'));
    let c = top_confirm(&s);
    assert!(matches!(
        &c.action,
        ConfirmAction::Mutate(Mutation::UpgradeAirflow { version, .. }) if version == "2.8.1"
    ));
    let (_, m) = mutation(&update(&mut s, key(KeyCode::Enter)));
    assert!(matches!(m, Mutation::UpgradeAirflow { version, .. } if version == "2.8.1"));
    // A deployment without a pending upgrade has no U.
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    update(&mut s, ch('j'));
    assert!(update(&mut s, ch('U')).is_empty());
    assert!(s.ui.modals.is_empty());
}

#[test]
fn deleting_asks_for_the_name() {
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    update(&mut s, ctrl('d'));
    // Enter does nothing until the name is typed.
    no_mutation(&update(&mut s, key(KeyCode::Enter)));
    type_text(&mut s, "prod-et");
    no_mutation(&update(&mut s, key(KeyCode::Enter)));
    type_text(&mut s, "l");
    let (id, m) = mutation(&update(&mut s, key(KeyCode::Enter)));
    assert_eq!(
        m,
        Mutation::DeleteDeployment {
            id: "d-etl".into(),
            label: "prod-etl".into()
        }
    );
    assert!(s.ui.modals.is_empty());
    answered(&mut s, id, Ok(Outcome::default()));
    // The row is gone at once.
    assert!(
        !s.cache
            .deployments(&"ws-data".into())
            .unwrap()
            .iter()
            .any(|d| d.id == "d-etl")
    );
}

#[test]
fn deleting_the_deployment_on_its_dashboard_goes_back() {
    let mut s = deployment_tab(DeploymentTab::Overview);
    update(&mut s, ctrl('d'));
    type_text(&mut s, "prod-etl");
    let (id, _) = mutation(&update(&mut s, key(KeyCode::Enter)));
    answered(&mut s, id, Ok(Outcome::default()));
    assert!(matches!(s.route(), Route::Workspace { .. }));
}

#[test]
fn a_refused_workspace_delete_shows_houstons_message() {
    let mut s = loaded_state();
    // "Data Platform" is second by name.
    update(&mut s, ch('j'));
    update(&mut s, ctrl('d'));
    type_text(&mut s, "Data Platform");
    let (id, _) = mutation(&update(&mut s, key(KeyCode::Enter)));
    answered(
        &mut s,
        id,
        Err(ApiError::GraphQl {
            message:
                "You must first deprovision all deployments before you can delete your workspace."
                    .into(),
            code: Some("INTERNAL_SERVER_ERROR".into()),
        }),
    );
    let m = s.visible_message().unwrap();
    assert_eq!(m.level, Level::Error);
    assert!(m.text.contains("deprovision all deployments"), "{}", m.text);
}

#[test]
fn cancel_asks_only_when_something_was_typed() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    update(&mut s, key(KeyCode::Esc));
    assert!(s.ui.modals.is_empty(), "nothing typed: closes at once");

    update(&mut s, ch('n'));
    type_text(&mut s, "x");
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(top_confirm(&s).action, ConfirmAction::DiscardForm));
    // No: back to the form with the text.
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(top_form(&s).form.text(FieldId::Label), "x");
    // Yes: gone.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Enter));
    assert!(s.ui.modals.is_empty());
}

/// Every key a user could press, with and without Ctrl.
fn all_keys() -> Vec<KeyEvent> {
    let mut out = Vec::new();
    for c in (' '..='~').chain(['é']) {
        out.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        out.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }
    for code in [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::F(1),
    ] {
        out.push(KeyEvent::new(code, KeyModifiers::NONE));
    }
    out
}

#[test]
fn read_only_never_emits_a_mutation_whatever_is_pressed() {
    let screens = [
        Route::Account,
        Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Deployments,
        },
        Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Users,
        },
        Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Invites,
        },
        Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::ServiceAccounts,
        },
        Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Settings,
        },
        Route::Deployment {
            id: "d-etl".into(),
            tab: DeploymentTab::Overview,
        },
        Route::Deployment {
            id: "d-etl".into(),
            tab: DeploymentTab::Variables,
        },
        Route::Deployment {
            id: "d-etl".into(),
            tab: DeploymentTab::Users,
        },
        Route::Deployment {
            id: "d-etl".into(),
            tab: DeploymentTab::ServiceAccounts,
        },
        Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Teams,
        },
        Route::Deployment {
            id: "d-etl".into(),
            tab: DeploymentTab::Logs,
        },
        Route::Deployment {
            id: "d-etl".into(),
            tab: DeploymentTab::Metrics,
        },
        Route::AllDeployments,
    ];
    let keys = all_keys();
    let mut presses = 0;
    for route in screens {
        // Each key from a fresh state on that screen, then every key after every key (pairs
        // reach forms and confirmations if any opened).
        for first in &keys {
            let mut s = at(route.clone());
            s.session.read_only = true;
            let fx = update(&mut s, Msg::Key(*first));
            no_mutation(&fx);
            assert!(
                !s.ui
                    .modals
                    .iter()
                    .any(|m| matches!(m, Modal::Form(_) | Modal::Confirm(_))),
                "{first:?} on {route:?} opened a change dialog in read-only mode"
            );
            for second in [
                KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
                KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
                KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE),
            ] {
                let mut t = s.clone();
                no_mutation(&update(&mut t, Msg::Key(second)));
                presses += 1;
            }
            presses += 1;
        }
    }
    assert!(presses > 2_000, "{presses} presses");
}
