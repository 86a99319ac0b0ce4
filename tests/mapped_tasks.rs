//! A mapped task (`.expand()`) has one task instance per map index in a run: the task
//! instances view names each (`add_one[1]`) and sorts them by task then map index, Enter reads
//! that instance's own log, and clear / mark name it and send its map index.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::MarkState;
use astrodash::airflow::model::{DagRun, TaskInstance, instance_name};
use astrodash::app::airflow::{AirflowMutation, AirflowPayload, AirflowRequest};
use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use common::forms::{top_confirm, top_form};
use common::screens::at_deployment;
use common::*;
use crossterm::event::KeyCode;

const D: &str = "d-etl";
const DAG: &str = "example_dynamic_task_mapping";
const RUN: &str = "manual__2026-12-07T10:00:00";

fn ti(task: &str, map_index: i64, state: &str, try_number: u32) -> TaskInstance {
    TaskInstance {
        task_id: task.into(),
        name: instance_name(task, map_index),
        dag_id: DAG.into(),
        dag_run_id: RUN.into(),
        map_index,
        state: Some(state.into()),
        try_number,
        start_date: Some(later(-3600)),
        end_date: Some(later(-3590)),
        duration: Some(10.0),
        operator: Some("_PythonDecoratedOperator".into()),
        hostname: Some("prod-etl-worker-0".into()),
    }
}

/// In Airflow's order, which interleaves the instances (and puts 10 before 2 as text would).
fn instances() -> Vec<TaskInstance> {
    vec![
        ti("add_one", 2, "success", 1),
        ti("sum_it", -1, "upstream_failed", 0),
        ti("add_one", 10, "success", 1),
        ti("add_one", 0, "success", 1),
        ti("add_one", 1, "failed", 2),
    ]
}

fn tis_request() -> AirflowRequest {
    AirflowRequest::TaskInstances {
        deployment: D.into(),
        dag_id: DAG.into(),
        run_id: RUN.into(),
    }
}

/// The run's task instances, as a deployment Admin sees them (held in the cache).
fn at_task_instances() -> AppState {
    let mut s = at_deployment(D, DeploymentTab::Dags);
    s.cache.airflow.succeed(
        AirflowRequest::DagRuns {
            deployment: D.into(),
            dag_id: DAG.into(),
        },
        AirflowPayload::Runs(vec![DagRun {
            dag_id: DAG.into(),
            dag_run_id: RUN.into(),
            state: Some("failed".into()),
            run_type: Some("manual".into()),
            logical_date: Some(later(-7200)),
            start_date: Some(later(-3600)),
            end_date: Some(later(-3000)),
            conf: None,
        }]),
        now(),
    );
    s.nav.routes.push(Route::DagRuns {
        deployment: D.into(),
        dag_id: DAG.into(),
    });
    s.cache.airflow.succeed(
        tis_request(),
        AirflowPayload::TaskInstances(instances()),
        now(),
    );
    s.nav.routes.push(Route::TaskInstances {
        deployment: D.into(),
        dag_id: DAG.into(),
        run_id: RUN.into(),
    });
    s
}

/// The rows' names, top to bottom.
fn shown(s: &AppState) -> Vec<String> {
    let table = s.current_table().unwrap();
    let rows = s.rows(&table);
    s.view(&table)
        .iter()
        .map(|&i| rows.key(i).to_string())
        .collect()
}

/// Put the cursor on the row named `want`.
fn select(s: &mut AppState, want: &str) {
    let table = s.current_table().unwrap();
    update(s, ch('g'));
    for _ in 0..10 {
        let i = s.selected_index(&table).unwrap();
        if s.rows(&table).key(i) == want {
            return;
        }
        update(s, ch('j'));
    }
    panic!("no row {want}");
}

fn fetched(effects: &[Effect]) -> Vec<(u64, AirflowRequest)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AirflowFetch { seq, request, .. } => Some((*seq, request.clone())),
            _ => None,
        })
        .collect()
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

fn message(s: &AppState) -> String {
    s.ui.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn mapped_instances_are_named_by_map_index_and_sort_by_task_then_index() {
    let mut s = at_task_instances();
    assert_eq!(
        shown(&s),
        [
            "add_one[2]",
            "sum_it",
            "add_one[10]",
            "add_one[0]",
            "add_one[1]"
        ],
        "Airflow's order until sorted"
    );
    // `s` sorts by the first column, the task: by task id, then by map index as a number.
    update(&mut s, ch('s'));
    assert_eq!(
        shown(&s),
        [
            "add_one[0]",
            "add_one[1]",
            "add_one[2]",
            "add_one[10]",
            "sum_it"
        ]
    );
    insta::assert_snapshot!("mapped_task_instances_80x24", render(&s, 80, 24));
    insta::assert_snapshot!("mapped_task_instances_160x48", render(&s, 160, 48));
}

#[test]
fn enter_on_a_mapped_instance_reads_its_own_log() {
    let mut s = at_task_instances();
    select(&mut s, "add_one[1]");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(
            s.route(),
            Route::TaskLog { task_id, map_index: 1, try_number: 2, .. } if task_id == "add_one"
        ),
        "{:?}",
        s.route()
    );
    let want = AirflowRequest::TaskLog {
        deployment: D.into(),
        dag_id: DAG.into(),
        run_id: RUN.into(),
        task_id: "add_one".into(),
        map_index: 1,
        try_number: 2,
    };
    let (seq, request) = fetched(&effects)
        .into_iter()
        .find(|(_, r)| *r == want)
        .unwrap_or_else(|| panic!("{want:?} not read: {effects:?}"));
    update(
        &mut s,
        Msg::AirflowReply {
            request,
            seq,
            at: now(),
            result: Ok(AirflowPayload::Log(
                "[2026-12-07, 10:00:01 UTC] {taskinstance.py:2614} INFO - Running <TaskInstance: \
                 example_dynamic_task_mapping.add_one manual__2026-12-07T10:00:00 map_index=1 [running]>\n\
                 [2026-12-07, 10:00:02 UTC] {python.py:240} INFO - Done. Returned value was: 3"
                    .into(),
            )),
        },
    );
    let screen = render(&s, 200, 24);
    assert!(
        screen.contains("add_one[1]"),
        "the log names the instance:\n{screen}"
    );
    assert!(screen.contains("map_index=1"), "{screen}");
    insta::assert_snapshot!("mapped_task_log_80x24", render(&s, 80, 24));
    // Back up: the cursor is on the same instance, not the first of its task.
    update(&mut s, key(KeyCode::Esc));
    let table = s.current_table().unwrap();
    let i = s.selected_index(&table).unwrap();
    assert_eq!(s.rows(&table).key(i), "add_one[1]");
    // Another instance of the same task is another log.
    select(&mut s, "add_one[0]");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(
        fetched(&effects).iter().any(|(_, r)| matches!(
            r,
            AirflowRequest::TaskLog {
                map_index: 0,
                try_number: 1,
                ..
            }
        )),
        "{effects:?}"
    );
}

/// The deployment on Airflow `version` (Houston's word for it).
fn on_airflow(s: &mut AppState, version: &str) {
    let mut d = s.cache.deployment(&D.into()).unwrap().clone();
    d.airflow_version = Some(version.into());
    d.runtime_airflow_version = None;
    put(
        s,
        astrodash::houston::request::Request::Deployment(D.into()),
        astrodash::houston::request::Payload::Deployment(Box::new(d)),
    );
}

#[test]
fn airflow_2_cannot_clear_one_mapped_instance_and_says_so_at_once() {
    let mut s = at_task_instances();
    on_airflow(&mut s, "2.10.5");
    select(&mut s, "add_one[1]");
    let effects = update(&mut s, ch('c'));
    assert!(effects.is_empty() && s.ui.modals.is_empty(), "no form");
    assert!(
        message(&s).starts_with("add_one[1]: Airflow 2's API cannot clear one map index alone"),
        "{}",
        message(&s)
    );
    // Marking it is possible on Airflow 2 (its own endpoint), and so is clearing a plain task.
    update(&mut s, ch('m'));
    assert_eq!(top_form(&s).form.title, format!("Mark add_one[1] of {RUN}"));
    update(&mut s, key(KeyCode::Esc));
    select(&mut s, "sum_it");
    update(&mut s, ch('c'));
    assert_eq!(top_form(&s).form.title, format!("Clear sum_it of {RUN}"));
}

#[test]
fn clear_and_mark_name_the_instance_and_send_its_map_index() {
    let mut s = at_task_instances();
    on_airflow(&mut s, "3.0.2");
    select(&mut s, "add_one[1]");
    update(&mut s, ch('c'));
    assert_eq!(
        top_form(&s).form.title,
        format!("Clear add_one[1] of {RUN}")
    );
    submit(&mut s);
    assert_eq!(top_confirm(&s).title, "Clear add_one[1]?");
    insta::assert_snapshot!("mapped_task_clear_confirmation_80x24", render(&s, 80, 24));
    let effects = update(&mut s, key(KeyCode::Enter));
    let (id, mutation) = mutations(&effects).remove(0);
    assert_eq!(
        mutation,
        AirflowMutation::ClearTaskInstance {
            deployment: D.into(),
            dag_id: DAG.into(),
            run_id: RUN.into(),
            task_id: "add_one".into(),
            map_index: 1,
            downstream: false,
        }
    );
    update(
        &mut s,
        Msg::AirflowMutated {
            id,
            at: now(),
            result: Ok(()),
        },
    );
    assert_eq!(message(&s), format!("Cleared add_one[1] of {RUN}"));

    select(&mut s, "add_one[10]");
    update(&mut s, ch('m'));
    assert_eq!(
        top_form(&s).form.title,
        format!("Mark add_one[10] of {RUN}")
    );
    update(&mut s, key(KeyCode::Right));
    submit(&mut s);
    assert_eq!(top_confirm(&s).title, "Mark add_one[10] failed?");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        mutations(&effects)[0].1,
        AirflowMutation::MarkTaskInstance {
            deployment: D.into(),
            dag_id: DAG.into(),
            run_id: RUN.into(),
            task_id: "add_one".into(),
            map_index: 10,
            state: MarkState::Failed,
        }
    );

    // A task that is not mapped is named and sent as before.
    let mut s = at_task_instances();
    select(&mut s, "sum_it");
    update(&mut s, ch('m'));
    submit(&mut s);
    assert_eq!(top_confirm(&s).title, "Mark sum_it success?");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(
        mutations(&effects)[0].1,
        AirflowMutation::MarkTaskInstance { map_index: -1, .. }
    ));
}
