//! Changes on the DAGs tab (tab 7): pause/unpause (`p`) and trigger (`t`, optional conf as a
//! JSON object checked in the form), each confirmed with the DAG and the deployment named; only
//! for roles that may act in Airflow and never in read-only mode; a refusal by Airflow is said
//! plainly and keeps what was typed; what a change made stale is read again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::AirflowError;
use astrodash::airflow::model::Dag;
use astrodash::app::airflow::{AirflowMutation, AirflowPayload, AirflowRequest};
use astrodash::app::effect::Effect;
use astrodash::app::forms::FieldId;
use astrodash::app::modal::{ConfirmAction, ConfirmLine};
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::model::{DeploymentCapabilities, Role};
use astrodash::houston::request::{Payload, Request};
use common::forms::{top_confirm, top_form};
use common::screens::{at_deployment, select};
use common::*;
use crossterm::event::KeyCode;
use serde_json::json;

fn dag(id: &str, paused: bool) -> Dag {
    Dag {
        dag_id: id.into(),
        is_paused: paused,
        is_active: true,
        schedule: Some("@daily".into()),
        next_run: Some(later(3600)),
        has_import_errors: false,
        owners: vec!["data".into()],
        tags: vec![],
        description: None,
        fileloc: None,
    }
}

fn dags_request() -> AirflowRequest {
    AirflowRequest::Dags("d-etl".into())
}

fn airflow_fetches(effects: &[Effect]) -> Vec<AirflowRequest> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AirflowFetch { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

fn airflow_mutations(effects: &[Effect]) -> Vec<(u64, AirflowMutation)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AirflowMutate { id, mutation, .. } => Some((*id, mutation.clone())),
            _ => None,
        })
        .collect()
}

/// The DAGs tab of prod-etl (d-etl) as `from`'s caller sees it, with two DAGs read:
/// `adhoc_backfill` (paused, first) and `sales_etl`.
fn dags_tab_of(mut s: AppState) -> AppState {
    let effects = update(&mut s, ch('7'));
    let seq = effects
        .iter()
        .find_map(|e| match e {
            Effect::AirflowFetch { seq, request, .. } if *request == dags_request() => Some(*seq),
            _ => None,
        })
        .unwrap();
    update(
        &mut s,
        Msg::AirflowReply {
            request: dags_request(),
            seq,
            at: now(),
            result: Ok(AirflowPayload::Dags(vec![
                dag("sales_etl", false),
                dag("adhoc_backfill", true),
            ])),
        },
    );
    s
}

/// A deployment Admin (every capability).
fn admin_tab() -> AppState {
    dags_tab_of(at_deployment("d-etl", DeploymentTab::Overview))
}

/// A caller whose deployments grant no change (a Viewer), optionally a system admin.
fn viewer_tab(system_admin: bool) -> AppState {
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    let mut list = s.cache.deployments(&"ws-data".into()).unwrap().to_vec();
    for d in &mut list {
        d.capabilities = DeploymentCapabilities::default();
        put(
            &mut s,
            Request::Deployment(d.id.clone()),
            Payload::Deployment(Box::new(d.clone())),
        );
    }
    put(
        &mut s,
        Request::Deployments("ws-data".into()),
        Payload::Deployments(list),
    );
    // Ada is a Viewer of prod-etl.
    let mut users = deployment_users();
    users[0].role = Some(Role::DeploymentViewer);
    put(
        &mut s,
        Request::DeploymentUsers("d-etl".into()),
        Payload::DeploymentUsers(users),
    );
    let mut me = me();
    me.is_system_admin = system_admin;
    put(&mut s, Request::Me, Payload::Me(me));
    dags_tab_of(s)
}

fn message(s: &AppState) -> String {
    s.ui.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn texts(lines: &[ConfirmLine]) -> Vec<String> {
    lines
        .iter()
        .map(|l| match l {
            ConfirmLine::Text(t) => t.clone(),
            other => format!("{other:?}"),
        })
        .collect()
}

fn answered(s: &mut AppState, id: u64, result: Result<(), AirflowError>) -> Vec<Effect> {
    update(
        s,
        Msg::AirflowMutated {
            id,
            at: now(),
            result,
        },
    )
}

fn forbidden() -> AirflowError {
    AirflowError::Problem {
        status: 403,
        title: "Forbidden".into(),
        detail: "You do not have permission to perform this action".into(),
    }
}

#[test]
fn pause_confirms_naming_the_dag_and_deployment_then_rereads_the_dags() {
    let mut s = admin_tab();
    select(&mut s, 1);
    assert!(update(&mut s, ch('p')).is_empty(), "nothing is sent yet");
    let c = top_confirm(&s);
    assert_eq!(c.title, "Pause sales_etl?");
    assert_eq!(
        texts(&c.lines)[0],
        "Deployment: prod-etl (quantum-nebula-1234)"
    );
    let effects = update(&mut s, key(KeyCode::Enter));
    let sent = airflow_mutations(&effects);
    assert_eq!(
        sent.iter().map(|(_, m)| m.clone()).collect::<Vec<_>>(),
        vec![AirflowMutation::SetPaused {
            deployment: "d-etl".into(),
            dag_id: "sales_etl".into(),
            paused: true,
        }]
    );
    assert!(s.ui.modals.is_empty());
    assert_eq!(message(&s), "Pausing sales_etl…");
    let effects = answered(&mut s, sent[0].0, Ok(()));
    assert_eq!(message(&s), "Paused sales_etl");
    assert_eq!(airflow_fetches(&effects), vec![dags_request()]);
}

#[test]
fn a_paused_dag_is_unpaused_and_esc_sends_nothing() {
    let mut s = admin_tab();
    select(&mut s, 0);
    update(&mut s, ch('p'));
    assert_eq!(top_confirm(&s).title, "Unpause adhoc_backfill?");
    assert!(matches!(
        &top_confirm(&s).action,
        ConfirmAction::Airflow(AirflowMutation::SetPaused { paused: false, .. })
    ));
    let effects = update(&mut s, key(KeyCode::Esc));
    assert!(airflow_mutations(&effects).is_empty());
    assert!(s.ui.modals.is_empty());
}

#[test]
fn a_viewer_has_no_dag_actions_and_is_told_which_role_they_need() {
    let mut s = viewer_tab(false);
    select(&mut s, 1);
    for k in ['p', 't'] {
        let effects = update(&mut s, ch(k));
        assert!(effects.is_empty() && s.ui.modals.is_empty(), "{k}");
        let text = message(&s);
        assert!(
            text.starts_with("your role on this deployment is Viewer: ")
                && text.ends_with("needs Editor or Admin"),
            "{k}: {text}"
        );
    }
    let help = render_help(&mut s);
    let (usable, not_here) = help
        .split_once("Not here — your role on this deployment is")
        .unwrap_or_else(|| panic!("the help says why keys are hidden: {help}"));
    assert!(usable.contains("│ C-r ") && !usable.contains("│ p ") && !usable.contains("│ t "));
    assert!(
        not_here.contains("│ p ") && not_here.contains("│ t "),
        "{help}"
    );
}

#[test]
fn a_system_admin_may_act_without_a_deployment_role() {
    let mut s = viewer_tab(true);
    select(&mut s, 1);
    update(&mut s, ch('p'));
    assert_eq!(top_confirm(&s).title, "Pause sales_etl?");
}

#[test]
fn read_only_sessions_have_no_dag_actions_and_help_says_why() {
    let mut s = admin_tab();
    s.session.read_only = true;
    select(&mut s, 1);
    for k in ['p', 't'] {
        let effects = update(&mut s, ch(k));
        assert!(effects.is_empty() && s.ui.modals.is_empty(), "{k}");
        assert!(
            message(&s).starts_with("read-only session"),
            "{}",
            message(&s)
        );
    }
    let help = render_help(&mut s);
    let (usable, not_here) = help
        .split_once("Not here — read-only session")
        .unwrap_or_else(|| panic!("the help says why keys are hidden: {help}"));
    assert!(usable.contains("│ C-r ") && !usable.contains("│ p ") && !usable.contains("│ t "));
    assert!(
        not_here.contains("│ p ") && not_here.contains("│ t "),
        "{help}"
    );
    // A writable session lists both as usable.
    s.session.read_only = false;
    let help = render_help(&mut s);
    assert!(!help.contains("Not here"), "{help}");
    assert!(help.contains("│ p ") && help.contains("│ t "), "{help}");
}

/// The help overlay's text (then closed again).
fn render_help(s: &mut AppState) -> String {
    update(s, ch('?'));
    let text = render(s, 160, 48);
    update(s, key(KeyCode::Esc));
    text
}

#[test]
fn trigger_checks_the_conf_in_the_form_then_confirms_and_sends_it() {
    let mut s = admin_tab();
    select(&mut s, 1);
    update(&mut s, ch('t'));
    assert_eq!(top_form(&s).form.title, "Trigger sales_etl");
    type_text(&mut s, "{\"day\": 2026-12-07}");
    let effects = submit(&mut s);
    assert!(airflow_mutations(&effects).is_empty());
    let field = top_form(&s)
        .form
        .field(FieldId::Conf)
        .unwrap()
        .error
        .clone();
    assert!(
        field.as_deref().unwrap_or("").starts_with("Not valid JSON"),
        "{field:?}"
    );
    // A list is JSON but not a conf.
    clear_and_type(&mut s, "[1, 2]");
    submit(&mut s);
    let field = top_form(&s)
        .form
        .field(FieldId::Conf)
        .unwrap()
        .error
        .clone();
    assert!(field.unwrap().contains("not a list"));

    clear_and_type(&mut s, "{\"day\": \"2026-12-07\"}");
    let effects = submit(&mut s);
    assert!(airflow_mutations(&effects).is_empty(), "confirmed first");
    let c = top_confirm(&s);
    assert_eq!(c.title, "Trigger a run of sales_etl?");
    assert_eq!(
        texts(&c.lines),
        [
            "Deployment: prod-etl (quantum-nebula-1234)",
            "Conf: {\"day\":\"2026-12-07\"}"
        ]
    );
    let effects = update(&mut s, key(KeyCode::Enter));
    let sent = airflow_mutations(&effects);
    assert_eq!(
        sent[0].1,
        AirflowMutation::Trigger {
            deployment: "d-etl".into(),
            dag_id: "sales_etl".into(),
            conf: Some(json!({"day": "2026-12-07"})),
        }
    );
    assert_eq!(top_form(&s).form.pending, Some(sent[0].0), "the form waits");
    let effects = answered(&mut s, sent[0].0, Ok(()));
    assert!(s.ui.modals.is_empty(), "done: the form closes");
    assert_eq!(message(&s), "Triggered a run of sales_etl");
    // The DAGs and the tab's recent runs are held: read again (the DAG's own runs were never
    // read: not fetched).
    assert_eq!(
        airflow_fetches(&effects),
        vec![dags_request(), AirflowRequest::RecentRuns("d-etl".into())]
    );
}

fn clear_and_type(s: &mut AppState, text: &str) {
    for _ in 0..40 {
        update(s, key(KeyCode::Backspace));
    }
    type_text(s, text);
}

#[test]
fn triggering_a_paused_dag_without_conf_says_it_waits_for_unpause() {
    let mut s = admin_tab();
    select(&mut s, 0);
    update(&mut s, ch('t'));
    submit(&mut s);
    let lines = texts(&top_confirm(&s).lines);
    assert_eq!(lines[1], "Conf: none (the DAG's params apply)");
    assert!(lines[2].contains("paused"), "{lines:?}");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(
        &airflow_mutations(&effects)[0].1,
        AirflowMutation::Trigger { conf: None, .. }
    ));
}

#[test]
fn airflows_refusal_keeps_the_form_and_says_which_role_it_needs() {
    let mut s = admin_tab();
    select(&mut s, 1);
    update(&mut s, ch('t'));
    type_text(&mut s, "{\"a\": 1}");
    submit(&mut s);
    let effects = update(&mut s, key(KeyCode::Enter));
    let id = airflow_mutations(&effects)[0].0;
    let effects = answered(&mut s, id, Err(forbidden()));
    assert!(effects.is_empty());
    assert!(s.session.login.is_none(), "not a session end");
    let form = top_form(&s);
    assert_eq!(form.form.pending, None, "it may be sent again");
    assert_eq!(
        form.form.value(FieldId::Conf),
        "{\"a\": 1}",
        "what was typed stays"
    );
    let text = message(&s);
    assert!(
        text.starts_with("Permission denied by Airflow: Forbidden"),
        "{text}"
    );
    assert!(text.contains("deployment Editor or Admin"), "{text}");
    assert_eq!(form.form.error.as_deref(), Some(text.as_str()));
}

#[test]
fn a_refused_pause_is_said_and_nothing_is_reread() {
    let mut s = admin_tab();
    select(&mut s, 1);
    update(&mut s, ch('p'));
    let effects = update(&mut s, key(KeyCode::Enter));
    let id = airflow_mutations(&effects)[0].0;
    let effects = answered(&mut s, id, Err(forbidden()));
    assert!(airflow_fetches(&effects).is_empty());
    assert!(message(&s).starts_with("Permission denied by Airflow"));
}

fn snap(name: &str, state: &AppState, sizes: &[(u16, u16)]) {
    for &(w, h) in sizes {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn pause_confirmation() {
    let mut s = admin_tab();
    select(&mut s, 1);
    update(&mut s, ch('p'));
    snap("dag_pause_confirmation", &s, &[(80, 24)]);
}

#[test]
fn trigger_form_with_an_invalid_conf() {
    let mut s = admin_tab();
    select(&mut s, 1);
    update(&mut s, ch('t'));
    type_text(&mut s, "{\"day\": }");
    submit(&mut s);
    snap("dag_trigger_form_invalid", &s, &[(80, 24), (160, 48)]);
}

#[test]
fn trigger_confirmation() {
    let mut s = admin_tab();
    select(&mut s, 0);
    update(&mut s, ch('t'));
    type_text(&mut s, "{\"full\": true}");
    submit(&mut s);
    snap("dag_trigger_confirmation", &s, &[(80, 24)]);
}
