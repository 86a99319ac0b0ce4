//! Reducer flows of every change: forms (validation, submit, server errors keep the input,
//! cancel with and without changes, double submit), confirmations, the one-time API key, and
//! read-only mode proven over every key of every screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::forms::FormKind;
use astrodash::app::modal::{ConfirmAction, ConfirmLine, Modal};
use astrodash::app::msg::{Msg, Secret};
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::mutation::{EnvVarInput, Mutation, Outcome, Scope};
use astrodash::houston::request::{Payload, Request};
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn at(route: Route) -> AppState {
    let mut s = loaded_state();
    if route == Route::AllDeployments {
        // The platform-wide list: the demo workspace's deployments.
        let list = s.cache.deployments(&"ws-data".into()).unwrap().to_vec();
        s.cache
            .succeed(Request::AllDeployments, Payload::Deployments(list), now());
    }
    if let Route::Deployment { .. } = route {
        s.nav.routes.push(Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Deployments,
        });
    }
    s.nav.routes.push(route);
    s
}

fn workspace_tab(tab: WorkspaceTab) -> AppState {
    at(Route::Workspace {
        id: "ws-data".into(),
        tab,
    })
}

fn deployment_tab(tab: DeploymentTab) -> AppState {
    at(Route::Deployment {
        id: "d-etl".into(),
        tab,
    })
}

/// The single mutation sent among `effects`, with its id.
fn mutation(effects: &[Effect]) -> (u64, Mutation) {
    let sent: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { id, mutation, .. } => Some((*id, mutation.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(sent.len(), 1, "expected one mutation in {effects:?}");
    sent.into_iter().next().unwrap()
}

fn no_mutation(effects: &[Effect]) {
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Mutate { .. })),
        "unexpected mutation in {effects:?}"
    );
}

fn top_form(s: &AppState) -> &astrodash::app::modal::FormModal {
    match s.ui.modals.last() {
        Some(Modal::Form(f)) => f,
        other => panic!("expected a form on top, got {other:?}"),
    }
}

fn top_confirm(s: &AppState) -> &astrodash::app::modal::Confirm {
    match s.ui.modals.last() {
        Some(Modal::Confirm(c)) => c,
        other => panic!("expected a confirmation on top, got {other:?}"),
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

fn fetched(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn create_workspace_validates_submits_once_and_refetches() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    assert_eq!(top_form(&s).kind, FormKind::CreateWorkspace);
    // Empty name: refused in the form, nothing sent.
    no_mutation(&update(&mut s, ctrl('s')));
    assert_eq!(
        top_form(&s).form.field("label").unwrap().error.as_deref(),
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
        s.selected_workspace().map(|w| w.id.as_str()),
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
    } = m
    else {
        panic!("{m:?}")
    };
    assert_eq!(workspace, "ws-data");
    assert_eq!(spec.executor, Executor::Celery);
    assert_eq!(spec.resources.workers_au, 10);
    assert_eq!(airflow_version.as_deref(), Some("2.10.3"));
    answered(
        &mut s,
        id,
        Err(ApiError::GraphQl {
            message: "Workspace already has a deployment named fresh-one".into(),
            code: Some("BAD_USER_INPUT".into()),
        }),
    );
    let f = top_form(&s);
    assert_eq!(f.form.text("label"), "fresh-one", "nothing typed is lost");
    assert_eq!(
        f.form.field("label").unwrap().error.as_deref(),
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
        top_form(&s).form.field("label").unwrap().error.as_deref(),
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
            .field("scheduler_au")
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
    assert_eq!(top_form(&s).form.text("scheduler_au"), "12");
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
    assert_eq!(f.value("executor"), "KubernetesExecutor");
    assert!(f.field("worker_replicas").unwrap().hidden);
}

#[test]
fn upgrade_and_cancel_a_pending_upgrade() {
    let mut s = workspace_tab(WorkspaceTab::Deployments);
    // prod-etl runs 2.8.1 with 2.9.2 pending.
    update(&mut s, ch('u'));
    assert!(matches!(top_form(&s).kind, FormKind::UpgradeAirflow(_)));
    // Newest first: 2.10.3.
    let fx = update(&mut s, ctrl('s'));
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
    assert_eq!(top_form(&s).form.text("label"), "x");
    // Yes: gone.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Enter));
    assert!(s.ui.modals.is_empty());
}

#[test]
fn secrets_keep_their_value_when_other_variables_change() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    update(&mut s, ch('n'));
    type_text(&mut s, "NEW_KEY");
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "v1");
    let fx = update(&mut s, ctrl('s'));
    answer_reads(&mut s, &fx);
    let c = top_confirm(&s);
    assert!(c.lines.contains(&ConfirmLine::Added("NEW_KEY = v1".into())));
    let fx = update(&mut s, key(KeyCode::Enter));
    let (_, m) = mutation(&answer_reads(&mut s, &fx));
    let Mutation::SetVariables { variables, .. } = m else {
        panic!()
    };
    // The whole set: the secret goes back with an empty value (Houston keeps its value).
    assert!(variables.contains(&EnvVarInput {
        key: "SNOWFLAKE_PASSWORD".into(),
        value: Secret(String::new()),
        is_secret: true
    }));
    assert!(variables.contains(&EnvVarInput {
        key: "NEW_KEY".into(),
        value: Secret("v1".into()),
        is_secret: false
    }));
    assert_eq!(variables.len(), 4);
}

#[test]
fn invalid_and_reserved_keys_are_refused_with_houstons_rule() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    update(&mut s, ch('n'));
    type_text(&mut s, "lower-case");
    no_mutation(&update(&mut s, ctrl('s')));
    assert!(
        top_form(&s)
            .form
            .field("key")
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .starts_with("Invalid Environment Variable Key")
    );
    for _ in 0.."lower-case".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "AIRFLOW__CORE__FERNET_KEY");
    update(&mut s, ctrl('s'));
    assert_eq!(
        top_form(&s).form.field("key").unwrap().error.as_deref(),
        Some("AIRFLOW__CORE__FERNET_KEY is set automatically and cannot be overridden")
    );
    for _ in 0.."AIRFLOW__CORE__FERNET_KEY".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "ENVIRONMENT");
    update(&mut s, ctrl('s'));
    assert_eq!(
        top_form(&s).form.field("key").unwrap().error.as_deref(),
        Some("ENVIRONMENT already exists: edit it instead")
    );
}

#[test]
fn a_secret_cannot_silently_become_plain() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    // SNOWFLAKE_PASSWORD is third by name.
    update(&mut s, ch('G'));
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Left));
    no_mutation(&update(&mut s, ctrl('s')));
    assert!(
        top_form(&s)
            .form
            .field("value")
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("Enter a new value")
    );
}

#[test]
fn deleting_a_variable_shows_the_set_diff() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    update(&mut s, ctrl('d'));
    let c = top_confirm(&s);
    assert!(c.lines.contains(&ConfirmLine::Removed(
        "AIRFLOW__CORE__PARALLELISM = 64".into()
    )));
    // Read again before deleting: unchanged, so deleted.
    let fx = update(&mut s, key(KeyCode::Enter));
    no_mutation(&fx);
    let (_, m) = mutation(&answer_reads(&mut s, &fx));
    let Mutation::SetVariables { variables, .. } = m else {
        panic!()
    };
    assert_eq!(variables.len(), 2);
}

#[test]
fn importing_a_dotenv_file() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    update(&mut s, ch('i'));
    type_text(&mut s, "/tmp/prod.env");
    let fx = update(&mut s, ctrl('s'));
    assert_eq!(
        fx,
        vec![Effect::ReadFile {
            path: "/tmp/prod.env".into()
        }]
    );
    // A file that cannot be read: said on the field.
    update(
        &mut s,
        Msg::FileRead {
            path: "/tmp/prod.env".into(),
            result: Err("cannot read /tmp/prod.env: No such file or directory".into()),
        },
    );
    assert!(
        top_form(&s)
            .form
            .field("path")
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("No such file")
    );
    update(&mut s, ctrl('s'));
    let fx = update(
        &mut s,
        Msg::FileRead {
            path: "/tmp/prod.env".into(),
            result: Ok("# prod\nexport ENVIRONMENT=\"prod eu\"\nNEW_ONE=1 # inline\n".into()),
        },
    );
    answer_reads(&mut s, &fx);
    let c = top_confirm(&s);
    assert!(c.lines.contains(&ConfirmLine::Changed {
        what: "ENVIRONMENT".into(),
        old: "production".into(),
        new: "prod eu".into()
    }));
    assert!(c.lines.contains(&ConfirmLine::Added("NEW_ONE = 1".into())));
    let fx = update(&mut s, key(KeyCode::Enter));
    let (_, m) = mutation(&answer_reads(&mut s, &fx));
    assert!(matches!(m, Mutation::SetVariables { variables, .. } if variables.len() == 4));
}

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
