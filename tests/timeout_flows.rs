//! Reducer flows of a change whose request timed out: it may or may not have reached Houston, so
//! the app says so, re-reads what the change touches, and reports what the server holds. The
//! form stays locked while it checks; a retry is only possible once the check shows the change
//! is not there, so nothing is applied twice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::forms::FieldId;
use astrodash::app::forms::FormKind;
use astrodash::app::modal::Modal;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::mutation::{Mutation, Outcome};
use astrodash::houston::request::{Payload, Request};
use common::*;
use crossterm::event::KeyCode;

fn on_overview() -> AppState {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    s.nav.routes.push(Route::Deployment {
        id: "d-etl".into(),
        tab: DeploymentTab::Overview,
    });
    s
}

fn sent(effects: &[Effect]) -> Vec<(u64, Mutation)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { id, mutation, .. } => Some((*id, mutation.clone())),
            _ => None,
        })
        .collect()
}

fn fetches(effects: &[Effect]) -> Vec<(u64, Request)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { seq, request } => Some((*seq, request.clone())),
            _ => None,
        })
        .collect()
}

fn form(s: &AppState) -> Option<&astrodash::app::modal::FormModal> {
    s.ui.modals.iter().rev().find_map(|m| match m {
        Modal::Form(f) => Some(f),
        _ => None,
    })
}

fn message(s: &AppState) -> String {
    s.ui.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn timed_out(s: &mut AppState, id: u64) -> Vec<Effect> {
    update(
        s,
        Msg::Mutated {
            id,
            at: now(),
            result: Err::<Outcome, _>(ApiError::Timeout),
        },
    )
}

/// Open `e` on prod-etl, set the description to `text`, review and apply: the mutation sent.
fn edit_description(s: &mut AppState, text: &str) -> (u64, Mutation) {
    update(s, ch('e'));
    assert!(matches!(form(s).unwrap().kind, FormKind::EditDeployment(_)));
    update(s, key(KeyCode::Tab));
    for _ in 0..20 {
        update(s, key(KeyCode::Backspace));
    }
    type_text(s, text);
    submit(s);
    let fx = confirm(s);
    let mut out = sent(&fx);
    assert_eq!(out.len(), 1, "{fx:?}");
    out.remove(0)
}

/// prod-etl as Houston holds it, with `description`.
fn etl_with(description: &str) -> Deployment {
    let mut d = admin_deployments().remove(0);
    d.description = Some(description.into());
    d
}

#[test]
fn a_timed_out_edit_says_so_checks_and_reports_it_was_applied() {
    let mut s = on_overview();
    let (id, m) = edit_description(&mut s, "Hourly ETL");
    let fx = timed_out(&mut s, id);
    let text =
        "Saving deployment prod-etl timed out: it may or may not have been applied — checking…";
    assert_eq!(message(&s), text);
    let f = form(&s).expect("the form stays open while it checks");
    assert_eq!(
        f.form.error.as_deref(),
        Some("The request timed out: it may or may not have been applied — checking…")
    );
    // What the change touches is read again.
    let reads = fetches(&fx);
    assert_eq!(
        reads.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>(),
        vec![Request::Deployment("d-etl".into())]
    );
    let screen = render(&s, 160, 48);
    assert!(
        screen.contains("may or may not have been applied"),
        "{screen}"
    );
    assert!(!screen.contains("Sending…"), "{screen}");
    // No second send while it checks.
    assert!(sent(&submit(&mut s)).is_empty());
    assert!(sent(&update(&mut s, key(KeyCode::Enter))).is_empty());
    // Houston has the new description: the change was applied.
    let (seq, request) = reads[0].clone();
    update(
        &mut s,
        reply(
            request,
            seq,
            2,
            Payload::Deployment(Box::new(etl_with("Hourly ETL"))),
        ),
    );
    assert!(form(&s).is_none(), "the form closes: {:?}", s.ui.modals);
    assert_eq!(
        message(&s),
        "checked: prod-etl has description \"Hourly ETL\" — the change was applied"
    );
    assert!(s.net.unsure.is_empty());
    let _ = m;
}

#[test]
fn a_timed_out_edit_that_did_not_land_can_be_sent_again() {
    let mut s = on_overview();
    let (id, m) = edit_description(&mut s, "Hourly ETL");
    let fx = timed_out(&mut s, id);
    let (seq, request) = fetches(&fx)[0].clone();
    // Houston still has the old description (and a colleague's 7 workers).
    let mut held = etl_with("Nightly ETL");
    held.resources.iter_mut().for_each(|c| {
        if c.component == "workers" {
            c.replicas = Some(7);
        }
    });
    update(
        &mut s,
        reply(request, seq, 2, Payload::Deployment(Box::new(held))),
    );
    let error = form(&s).unwrap().form.error.clone().unwrap();
    assert!(
        error.starts_with(
            "checked: prod-etl has description \"Nightly ETL\", not \"Hourly ETL\", workers 7, \
             not 2 — the change was not applied"
        ),
        "{error}"
    );
    assert!(error.ends_with("submit again to retry"), "{error}");
    assert_eq!(message(&s), error);
    // Now a retry is possible: it is reviewed and sent once more.
    submit(&mut s);
    let again = sent(&confirm(&mut s));
    assert_eq!(again.len(), 1);
    let _ = m;
}

#[test]
fn a_create_that_timed_out_but_exists_is_never_offered_again() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    type_text(&mut s, "Payments");
    let fx = submit(&mut s);
    let (id, _) = sent(&fx)[0].clone();
    let fx = timed_out(&mut s, id);
    assert!(message(&s).contains("may or may not have been applied — checking"));
    let (seq, request) = fetches(&fx)[0].clone();
    assert_eq!(request, workspaces_request());
    let mut list = workspaces();
    list.push(workspace(
        "ws-pay",
        "Payments",
        None,
        0,
        Role::WorkspaceAdmin,
    ));
    update(&mut s, reply(request, seq, 2, Payload::Workspaces(list)));
    assert!(form(&s).is_none(), "no form to submit twice");
    assert_eq!(
        message(&s),
        "checked: workspace Payments exists — the change was applied"
    );
}

#[test]
fn a_create_that_timed_out_and_is_absent_may_be_retried() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    type_text(&mut s, "Payments");
    let (id, _) = sent(&submit(&mut s))[0].clone();
    let fx = timed_out(&mut s, id);
    let (seq, request) = fetches(&fx)[0].clone();
    update(
        &mut s,
        reply(request, seq, 2, Payload::Workspaces(workspaces())),
    );
    let f = form(&s).unwrap();
    assert_eq!(
        f.form.error.as_deref(),
        Some(
            "checked: there is no workspace Payments — the change was not applied; submit \
             again to retry"
        )
    );
    assert_eq!(f.form.pending, None);
    assert_eq!(sent(&submit(&mut s)).len(), 1);
}

#[test]
fn a_namesake_from_before_is_not_taken_for_the_new_one() {
    // "Data Platform" already exists; a timed-out create of another one that never landed
    // must not be reported as created.
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    type_text(&mut s, "Data Platform");
    let (id, _) = sent(&submit(&mut s))[0].clone();
    let fx = timed_out(&mut s, id);
    let (seq, request) = fetches(&fx)[0].clone();
    update(
        &mut s,
        reply(request, seq, 2, Payload::Workspaces(workspaces())),
    );
    assert!(
        message(&s).starts_with(
            "checked: workspace Data Platform exists only as before — the change was not applied"
        ),
        "{}",
        message(&s)
    );
}

#[test]
fn an_added_variable_that_timed_out_is_checked_before_a_retry() {
    let mut s = on_overview();
    update(&mut s, ch('2'));
    assert_eq!(
        s.screen(),
        astrodash::app::keymap::Screen::Deployment(DeploymentTab::Variables)
    );
    update(&mut s, ch('n'));
    type_text(&mut s, "B_ONLY");
    // Name, secret choice, then the value.
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "1");
    let fx = submit(&mut s);
    let fx = if sent(&fx).is_empty() {
        confirm(&mut s)
    } else {
        fx
    };
    let (id, m) = sent(&fx)[0].clone();
    let Mutation::SetVariables { variables, .. } = &m else {
        panic!("{m:?}");
    };
    let fx = timed_out(&mut s, id);
    let (seq, request) = fetches(&fx)[0].clone();
    assert_eq!(request, Request::DeploymentVariables("d-etl".into()));
    // The server holds what was sent: applied.
    let held: Vec<EnvVar> = variables
        .iter()
        .map(|v| EnvVar {
            key: v.key.clone(),
            value: if v.is_secret {
                String::new()
            } else {
                v.value.expose().to_string()
            },
            is_secret: v.is_secret,
        })
        .collect();
    update(&mut s, reply(request, seq, 2, Payload::Variables(held)));
    assert!(form(&s).is_none());
    assert_eq!(
        message(&s),
        format!(
            "checked: the {} variables are as you sent them — the change was applied",
            variables.len()
        )
    );
}

#[test]
fn a_change_from_a_confirmation_is_checked_too_and_a_failed_reread_is_asked_again() {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Invites,
    });
    update(&mut s, ctrl('d'));
    let (id, _) = sent(&confirm(&mut s))[0].clone();
    let fx = timed_out(&mut s, id);
    assert!(message(&s).starts_with("Revoking the invite of katherine@example.com timed out"));
    let (seq, request) = fetches(&fx)[0].clone();
    // The re-read fails: nothing is concluded, and it is asked again a little later.
    update(
        &mut s,
        Msg::Api {
            request: request.clone(),
            seq,
            at: later(1),
            result: Err(ApiError::Timeout),
        },
    );
    assert_eq!(s.net.unsure.len(), 1);
    let fx = update(&mut s, Msg::Tick(later(6)));
    let again: Vec<_> = fetches(&fx)
        .into_iter()
        .filter(|(_, r)| r == &request)
        .collect();
    assert_eq!(again.len(), 1, "{fx:?}");
    update(
        &mut s,
        reply(request, again[0].0, 7, Payload::Invites(vec![])),
    );
    assert!(s.net.unsure.is_empty());
    assert_eq!(
        message(&s),
        "checked: the invite of katherine@example.com is gone — the change was applied"
    );
}

#[test]
fn nothing_touching_the_same_data_is_sent_while_the_check_runs() {
    let mut s = on_overview();
    let (id, _) = edit_description(&mut s, "Hourly ETL");
    timed_out(&mut s, id);
    // The user closes the locked form and tries the change again from a fresh one.
    update(&mut s, key(KeyCode::Esc));
    assert!(form(&s).is_none(), "{:?}", s.ui.modals);
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "!");
    // Nothing is sent before the server is read again; that read also settles the timed-out
    // change (Houston still holds the old description: it did not land).
    let fx = update(&mut s, ctrl('s'));
    assert!(sent(&fx).is_empty(), "{fx:?}");
    assert!(
        !s.net.unsure.is_empty(),
        "the timed-out change is still unsure"
    );
    answer_reads(&mut s, &fx);
    assert!(s.net.unsure.is_empty(), "the read settled it");
    assert!(
        s.ui.message_log
            .iter()
            .any(|m| m.text.contains("the change was not applied")),
        "{:?}",
        s.ui.message_log
    );
    // Only then does the new change go, once.
    assert_eq!(sent(&confirm(&mut s)).len(), 1);
}

#[test]
fn a_create_is_not_sent_again_while_its_timed_out_twin_is_checked() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    type_text(&mut s, "Payments");
    let (id, _) = sent(&submit(&mut s))[0].clone();
    timed_out(&mut s, id);
    // The locked form is closed and the same workspace asked for again at once.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('n'));
    type_text(&mut s, "Payments");
    let fx = update(&mut s, ctrl('s'));
    assert!(sent(&fx).is_empty(), "{fx:?}");
    assert!(
        message(&s).starts_with("Still checking whether the timed-out change"),
        "{}",
        message(&s)
    );
}

#[test]
fn the_reread_survives_a_refresh_of_a_view_that_does_not_show_it() {
    // Edited from the deployments list: the deployment's own record is not on screen.
    let mut s = on_overview();
    let (id, _) = edit_description(&mut s, "Hourly ETL");
    update(&mut s, key(KeyCode::Esc));
    let fx = timed_out(&mut s, id);
    let (seq, request) = fetches(&fx)[0].clone();
    s.nav.routes.pop();
    assert!(!s.visible_requests().contains(&request));
    let fx = update(&mut s, ctrl('r'));
    assert!(
        !fx.contains(&Effect::Cancel(request.clone())),
        "the re-read was cancelled: {fx:?}"
    );
    update(
        &mut s,
        reply(
            request,
            seq,
            2,
            Payload::Deployment(Box::new(etl_with("Hourly ETL"))),
        ),
    );
    assert_eq!(
        message(&s),
        "checked: prod-etl has description \"Hourly ETL\" — the change was applied"
    );
}

#[test]
fn the_check_names_what_the_user_changed_as_houston_holds_it() {
    let mut s = on_overview();
    update(&mut s, ch('e'));
    for _ in 0..20 {
        if form(&s).unwrap().form.focused().unwrap().id == FieldId::WorkerReplicas {
            break;
        }
        update(&mut s, key(KeyCode::Tab));
    }
    assert_eq!(
        form(&s).unwrap().form.focused().unwrap().id,
        FieldId::WorkerReplicas
    );
    update(&mut s, key(KeyCode::Backspace));
    type_text(&mut s, "7");
    submit(&mut s);
    let (id, _) = sent(&confirm(&mut s))[0].clone();
    let fx = timed_out(&mut s, id);
    let (seq, request) = fetches(&fx)[0].clone();
    let mut held = admin_deployments().remove(0);
    for c in &mut held.resources {
        if c.component == "workers" {
            c.replicas = Some(7);
        }
    }
    update(
        &mut s,
        reply(request, seq, 2, Payload::Deployment(Box::new(held))),
    );
    assert_eq!(
        message(&s),
        "checked: prod-etl has workers 7 — the change was applied"
    );
}
