//! Changes below the DAGs tab: mark a run (`m` on a DAG's runs), clear or mark a task instance
//! (`c`, `m` on a run's task instances), each through a small form and a confirmation naming
//! the DAG, the run and the deployment; for roles that may act in Airflow, never read-only; a
//! refusal keeps the form; what the change made stale is read again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::model::{DagRun, TaskInstance};
use astrodash::airflow::{AirflowError, MarkState};
use astrodash::app::airflow::{AirflowMutation, AirflowPayload, AirflowRequest};
use astrodash::app::effect::Effect;
use astrodash::app::forms::FieldId;
use astrodash::app::modal::ConfirmLine;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use common::forms::{top_confirm, top_form};
use common::screens::{at_deployment, select};
use common::*;
use crossterm::event::KeyCode;

const D: &str = "d-etl";
const DAG: &str = "hourly_rollup";
const RUN: &str = "scheduled__2026-12-07T10:00:00";

fn run(id: &str, state: &str) -> DagRun {
    DagRun {
        dag_id: DAG.into(),
        dag_run_id: id.into(),
        state: Some(state.into()),
        run_type: Some("scheduled".into()),
        logical_date: Some(later(-7200)),
        start_date: Some(later(-3600)),
        end_date: Some(later(-3000)),
        conf: None,
    }
}

fn ti(task: &str, state: &str) -> TaskInstance {
    TaskInstance {
        task_id: task.into(),
        name: task.into(),
        dag_id: DAG.into(),
        dag_run_id: RUN.into(),
        map_index: -1,
        state: Some(state.into()),
        try_number: 1,
        start_date: Some(later(-3600)),
        end_date: None,
        duration: Some(12.0),
        operator: Some("PythonOperator".into()),
        hostname: None,
    }
}

fn runs_request() -> AirflowRequest {
    AirflowRequest::DagRuns {
        deployment: D.into(),
        dag_id: DAG.into(),
    }
}

fn tis_request() -> AirflowRequest {
    AirflowRequest::TaskInstances {
        deployment: D.into(),
        dag_id: DAG.into(),
        run_id: RUN.into(),
    }
}

/// prod-etl's runs of `hourly_rollup` as a deployment Admin sees them (held in the cache).
fn at_runs() -> AppState {
    let mut s = at_deployment(D, DeploymentTab::Dags);
    s.cache.airflow.succeed(
        runs_request(),
        AirflowPayload::Runs(vec![run(RUN, "failed"), run("manual__q3", "success")]),
        now(),
    );
    s.nav.routes.push(Route::DagRuns {
        deployment: D.into(),
        dag_id: DAG.into(),
    });
    s
}

/// The failed run's task instances, below its runs.
fn at_task_instances() -> AppState {
    let mut s = at_runs();
    s.cache.airflow.succeed(
        tis_request(),
        AirflowPayload::TaskInstances(vec![
            ti("extract", "success"),
            ti("publish", "running"),
            ti("transform", "failed"),
        ]),
        now(),
    );
    s.nav.routes.push(Route::TaskInstances {
        deployment: D.into(),
        dag_id: DAG.into(),
        run_id: RUN.into(),
    });
    s
}

fn mutations(effects: &[Effect]) -> Vec<(u64, AirflowMutation)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AirflowMutate { id, mutation, .. } => Some((*id, mutation.clone())),
            _ => None,
        })
        .collect()
}

fn fetches(effects: &[Effect]) -> Vec<AirflowRequest> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AirflowFetch { request, .. } => Some(request.clone()),
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

fn lines(s: &AppState) -> Vec<String> {
    top_confirm(s)
        .lines
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

#[test]
fn mark_a_run_failed_confirms_then_rereads_the_run_and_its_tasks() {
    let mut s = at_runs();
    select(&mut s, 0);
    update(&mut s, ch('m'));
    assert_eq!(top_form(&s).form.title, format!("Mark run {RUN}"));
    assert_eq!(top_form(&s).form.value(FieldId::State), "success");
    update(&mut s, key(KeyCode::Right));
    assert_eq!(top_form(&s).form.value(FieldId::State), "failed");
    let effects = submit(&mut s);
    assert!(mutations(&effects).is_empty(), "confirmed first");
    assert_eq!(top_confirm(&s).title, format!("Mark run {RUN} failed?"));
    assert_eq!(
        lines(&s)[0],
        format!("DAG {DAG}, run {RUN}, deployment prod-etl (quantum-nebula-1234)")
    );
    // `:dags` holds this deployment's failed runs (its running ones were never read).
    let failed = AirflowRequest::FailedRuns(D.into());
    let page = AirflowPayload::RunPage {
        runs: vec![],
        total: Some(0),
    };
    s.cache.airflow.succeed(failed.clone(), page, now());
    let effects = update(&mut s, key(KeyCode::Enter));
    let sent = mutations(&effects);
    assert_eq!(
        sent[0].1,
        AirflowMutation::MarkRun {
            deployment: D.into(),
            dag_id: DAG.into(),
            run_id: RUN.into(),
            state: MarkState::Failed,
        }
    );
    let effects = answered(&mut s, sent[0].0, Ok(()));
    assert!(s.ui.modals.is_empty());
    assert_eq!(message(&s), format!("Marked {RUN} failed"));
    // The runs are held (the task instances never read): the runs are read again.
    assert!(fetches(&effects).contains(&runs_request()), "{effects:?}");
    assert!(!fetches(&effects).contains(&tis_request()));
    // And `:dags`' copy, so the run does not show its old state there until the fleet's turn.
    assert!(fetches(&effects).contains(&failed), "{effects:?}");
    assert!(!fetches(&effects).contains(&AirflowRequest::RunningRuns(D.into())));
}

#[test]
fn clear_a_failed_task_with_its_downstream_tasks() {
    let mut s = at_task_instances();
    select(&mut s, 2);
    update(&mut s, ch('c'));
    assert_eq!(top_form(&s).form.title, format!("Clear transform of {RUN}"));
    update(&mut s, key(KeyCode::Right));
    submit(&mut s);
    assert_eq!(top_confirm(&s).title, "Clear transform?");
    assert!(
        lines(&s)[1].contains("downstream tasks run again"),
        "{:?}",
        lines(&s)
    );
    let effects = update(&mut s, key(KeyCode::Enter));
    let sent = mutations(&effects);
    assert_eq!(
        sent[0].1,
        AirflowMutation::ClearTaskInstance {
            deployment: D.into(),
            dag_id: DAG.into(),
            run_id: RUN.into(),
            task_id: "transform".into(),
            map_index: -1,
            downstream: true,
        }
    );
    let effects = answered(&mut s, sent[0].0, Ok(()));
    assert_eq!(message(&s), format!("Cleared transform of {RUN}"));
    let read = fetches(&effects);
    assert!(
        read.contains(&tis_request()) && read.contains(&runs_request()),
        "{read:?}"
    );
}

#[test]
fn a_running_task_is_not_cleared_and_says_so() {
    let mut s = at_task_instances();
    select(&mut s, 1);
    let effects = update(&mut s, ch('c'));
    assert!(effects.is_empty() && s.ui.modals.is_empty());
    assert_eq!(
        message(&s),
        "publish is running: clear it once it has finished"
    );
}

#[test]
fn mark_a_task_success_and_airflows_refusal_keeps_the_form() {
    let mut s = at_task_instances();
    select(&mut s, 2);
    update(&mut s, ch('m'));
    assert_eq!(top_form(&s).form.title, format!("Mark transform of {RUN}"));
    submit(&mut s);
    assert_eq!(top_confirm(&s).title, "Mark transform success?");
    let effects = update(&mut s, key(KeyCode::Enter));
    let (id, mutation) = mutations(&effects).remove(0);
    assert!(matches!(
        mutation,
        AirflowMutation::MarkTaskInstance {
            state: MarkState::Success,
            ..
        }
    ));
    answered(
        &mut s,
        id,
        Err(AirflowError::Problem {
            status: 403,
            title: "Forbidden".into(),
            detail: "You do not have permission to perform this action".into(),
        }),
    );
    assert_eq!(top_form(&s).form.pending, None);
    assert!(
        message(&s).starts_with("Permission denied by Airflow"),
        "{}",
        message(&s)
    );
}

#[test]
fn viewers_and_read_only_sessions_have_no_run_or_task_actions() {
    let mut s = at_task_instances();
    s.session.read_only = true;
    select(&mut s, 2);
    for k in ['c', 'm'] {
        let effects = update(&mut s, ch(k));
        assert!(effects.is_empty() && s.ui.modals.is_empty());
        assert!(
            message(&s).starts_with("read-only session"),
            "{}",
            message(&s)
        );
    }
    let mut s = at_runs();
    let mut d = s.cache.deployment(&D.into()).unwrap().clone();
    d.capabilities = Default::default();
    put(
        &mut s,
        astrodash::houston::request::Request::Deployment(D.into()),
        astrodash::houston::request::Payload::Deployment(Box::new(d)),
    );
    select(&mut s, 0);
    let effects = update(&mut s, ch('m'));
    assert!(effects.is_empty() && s.ui.modals.is_empty());
    assert!(
        message(&s).contains("needs Editor or Admin"),
        "{}",
        message(&s)
    );
}

#[test]
fn clear_form_and_mark_confirmation() {
    let mut s = at_task_instances();
    select(&mut s, 2);
    update(&mut s, ch('c'));
    insta::assert_snapshot!("task_clear_form_80x24", render(&s, 80, 24));
    insta::assert_snapshot!("task_clear_form_160x48", render(&s, 160, 48));
    let mut s = at_runs();
    select(&mut s, 0);
    update(&mut s, ch('m'));
    submit(&mut s);
    insta::assert_snapshot!("run_mark_confirmation_80x24", render(&s, 80, 24));
}
