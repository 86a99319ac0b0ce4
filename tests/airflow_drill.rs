//! Down a deployment's Airflow from its DAGs tab (pure `update`): run marks and task counts from
//! two reads across DAGs, Enter on a DAG → its runs → a run's task instances → a task's log
//! (tries as its tabs), Esc back up with each cursor where it was; a DAG or run deleted meanwhile
//! goes up a level and says so; describe and copy on runs and tasks; snapshots at 80×24, 160×48.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::AirflowError;
use astrodash::airflow::model::{Dag, DagRun, TaskInstance};
use astrodash::app::airflow::{AirflowPayload, AirflowRequest};
use astrodash::app::effect::Effect;
use astrodash::app::logs::Feed;
use astrodash::app::modal::Modal;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::update;
use common::screens::at_deployment;
use common::*;
use crossterm::event::KeyCode;
use serde_json::json;

const D: &str = "d-etl";

fn dag(id: &str, schedule: Option<&str>) -> Dag {
    Dag {
        dag_id: id.into(),
        is_paused: schedule.is_none(),
        is_active: true,
        schedule: schedule.map(str::to_string),
        next_run: schedule.map(|_| later(40 * 60)),
        has_import_errors: false,
        owners: vec!["data".into()],
        tags: vec!["prod".into()],
        description: None,
        fileloc: None,
    }
}

fn dags() -> Vec<Dag> {
    vec![
        dag("sales_etl", Some("@daily")),
        dag("adhoc_backfill", None),
        dag("hourly_rollup", Some("0 * * * *")),
    ]
}

/// Run `n` hours ago of `dag`, ten minutes long unless running.
fn run(dag: &str, hours_ago: i64, state: &str) -> DagRun {
    let start = later(-hours_ago * 3600);
    DagRun {
        dag_id: dag.into(),
        dag_run_id: format!("scheduled__{}", start.format("%Y-%m-%dT%H:%M:%S")),
        state: Some(state.into()),
        run_type: Some("scheduled".into()),
        logical_date: Some(start - chrono::Duration::hours(1)),
        start_date: Some(start),
        end_date: (state != "running").then(|| start + chrono::Duration::minutes(10)),
        conf: None,
    }
}

/// Newest first, as Airflow lists them.
fn hourly_runs() -> Vec<DagRun> {
    let mut manual = run("hourly_rollup", 6, "success");
    manual.dag_run_id = "manual__backfill_q3".into();
    manual.run_type = Some("manual".into());
    manual.conf = Some(json!({"quarter": "Q3"}));
    vec![
        run("hourly_rollup", 0, "running"),
        run("hourly_rollup", 1, "failed"),
        run("hourly_rollup", 2, "success"),
        run("hourly_rollup", 3, "success"),
        run("hourly_rollup", 4, "failed"),
        run("hourly_rollup", 5, "success"),
        manual,
    ]
}

fn ti(task: &str, state: &str, try_number: u32, secs: f64) -> TaskInstance {
    TaskInstance {
        task_id: task.into(),
        name: task.into(),
        dag_id: "hourly_rollup".into(),
        dag_run_id: hourly_runs()[1].dag_run_id.clone(),
        map_index: -1,
        state: Some(state.into()),
        try_number,
        start_date: Some(later(-3600)),
        end_date: Some(later(-3600) + chrono::Duration::seconds(secs as i64)),
        duration: Some(secs),
        operator: Some("PythonOperator".into()),
        hostname: Some("prod-etl-worker-0".into()),
    }
}

fn task_instances() -> Vec<TaskInstance> {
    vec![
        ti("extract", "success", 1, 42.0),
        ti("transform", "failed", 2, 125.0),
        TaskInstance {
            start_date: None,
            end_date: None,
            duration: None,
            hostname: None,
            ..ti("load", "upstream_failed", 0, 0.0)
        },
    ]
}

const LOG: &str = "[2026-11-27, 11:00:01 UTC] {taskinstance.py:1157} INFO - Starting attempt 2 of 2\n\
[2026-11-27, 11:00:02 UTC] {python.py:201} INFO - Reading sales partitions\n\
[2026-11-27, 11:02:05 UTC] {taskinstance.py:1703} ERROR - Task failed with exception\n\
Traceback (most recent call last):\n\
  File \"/usr/local/airflow/dags/rollup.py\", line 12, in transform\n\
KeyError: 'region'\n\
[2026-11-27, 11:02:05 UTC] {taskinstance.py:1345} INFO - Marking task as FAILED.";

fn fetches(effects: &[Effect]) -> Vec<(u64, AirflowRequest)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AirflowFetch { seq, request, .. } => Some((*seq, request.clone())),
            _ => None,
        })
        .collect()
}

fn answer(s: &mut AppState, effects: &[Effect], want: &AirflowRequest, result: AirflowPayload) {
    answer_with(s, effects, want, Ok(result));
}

fn answer_with(
    s: &mut AppState,
    effects: &[Effect],
    want: &AirflowRequest,
    result: Result<AirflowPayload, AirflowError>,
) {
    let (seq, request) = fetches(effects)
        .into_iter()
        .find(|(_, r)| r == want)
        .unwrap_or_else(|| panic!("{want:?} not read: {effects:?}"));
    update(
        s,
        Msg::AirflowReply {
            request,
            seq,
            at: now(),
            result,
        },
    );
}

fn runs_request() -> AirflowRequest {
    AirflowRequest::DagRuns {
        deployment: D.into(),
        dag_id: "hourly_rollup".into(),
    }
}

fn tis_request() -> AirflowRequest {
    AirflowRequest::TaskInstances {
        deployment: D.into(),
        dag_id: "hourly_rollup".into(),
        run_id: hourly_runs()[1].dag_run_id.clone(),
    }
}

fn log_request(try_number: u32) -> AirflowRequest {
    AirflowRequest::TaskLog {
        deployment: D.into(),
        dag_id: "hourly_rollup".into(),
        run_id: hourly_runs()[1].dag_run_id.clone(),
        task_id: "transform".into(),
        map_index: -1,
        try_number,
    }
}

/// The DAGs tab with its three reads answered.
fn dags_tab() -> AppState {
    let mut s = at_deployment(D, DeploymentTab::Overview);
    let effects = update(&mut s, ch('7'));
    let mut runs = hourly_runs();
    runs.push(run("sales_etl", 11, "success"));
    runs.push(run("sales_etl", 35, "failed"));
    answer(
        &mut s,
        &effects,
        &AirflowRequest::Dags(D.into()),
        AirflowPayload::Dags(dags()),
    );
    answer(
        &mut s,
        &effects,
        &AirflowRequest::RecentRuns(D.into()),
        AirflowPayload::Runs(runs),
    );
    let mut active = task_instances();
    active.push(ti("publish", "running", 1, 3.0));
    answer(
        &mut s,
        &effects,
        &AirflowRequest::ActiveTasks(D.into()),
        AirflowPayload::TaskInstances(active),
    );
    s
}

/// Move the cursor to the row whose key is `key`.
fn select(s: &mut AppState, want: &str) {
    let table = s.current_table().unwrap();
    update(s, key(KeyCode::Home));
    for _ in 0..20 {
        let i = s.selected_index(&table).unwrap();
        if s.rows(&table).key(i) == want {
            return;
        }
        update(s, key_down());
    }
    panic!("no row {want}");
}

fn key_down() -> Msg {
    key(KeyCode::Down)
}

fn selected_key(s: &AppState) -> String {
    let table = s.current_table().unwrap();
    let i = s.selected_index(&table).unwrap();
    s.rows(&table).key(i).to_string()
}

/// Down to the failed task's log, answering each read.
fn at_task_log() -> AppState {
    let mut s = dags_tab();
    select(&mut s, "hourly_rollup");
    let effects = update(&mut s, key(KeyCode::Enter));
    answer(
        &mut s,
        &effects,
        &runs_request(),
        AirflowPayload::Runs(hourly_runs()),
    );
    select(&mut s, &hourly_runs()[1].dag_run_id);
    let effects = update(&mut s, key(KeyCode::Enter));
    answer(
        &mut s,
        &effects,
        &tis_request(),
        AirflowPayload::TaskInstances(task_instances()),
    );
    select(&mut s, "transform");
    let effects = update(&mut s, key(KeyCode::Enter));
    answer(
        &mut s,
        &effects,
        &log_request(2),
        AirflowPayload::Log(LOG.into()),
    );
    s
}

#[test]
fn the_dags_tab_marks_the_newest_runs_and_counts_active_tasks_per_dag() {
    let s = dags_tab();
    let table = TableId::Dags(D.into());
    let rows = s.rows(&table);
    let cells: Vec<(String, String, String, String)> = s
        .view(&table)
        .iter()
        .map(|&i| {
            let env = astrodash::app::tables::CellEnv {
                now: now(),
                system_admin: false,
            };
            (
                rows.key(i).to_string(),
                rows.cell(i, 2, &env).text,
                rows.cell(i, 3, &env).text,
                format!(
                    "{}/{}",
                    rows.cell(i, 5, &env).text,
                    rows.cell(i, 6, &env).text
                ),
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            // A page of newest runs short of its limit held every run: none of this DAG's.
            (
                "adhoc_backfill".into(),
                "-".into(),
                "never".into(),
                "0/0".into()
            ),
            // The five newest, oldest left: failed 4h ago, …, running now on the right.
            (
                "hourly_rollup".into(),
                "✗●●✗▶".into(),
                "just now".into(),
                "1/1".into()
            ),
            (
                "sales_etl".into(),
                "✗●".into(),
                "11h ago".into(),
                "0/0".into()
            ),
        ]
    );
}

#[test]
fn in_an_ascii_terminal_the_marks_keep_their_shapes() {
    let mut s = dags_tab();
    s.ui.ascii = true;
    let text = render(&s, 80, 24);
    let row = text.lines().find(|l| l.contains("hourly_rollup")).unwrap();
    assert!(
        row.contains(" x**x> "),
        "failed, success, success, failed, running: {row}"
    );
}

#[test]
fn enter_walks_down_to_a_task_log_and_esc_walks_back_up_with_the_cursors_in_place() {
    let mut s = dags_tab();
    select(&mut s, "hourly_rollup");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.route(),
        &Route::DagRuns {
            deployment: D.into(),
            dag_id: "hourly_rollup".into()
        }
    );
    assert_eq!(
        fetches(&effects)
            .into_iter()
            .map(|(_, r)| r)
            .collect::<Vec<_>>(),
        [runs_request()],
        "the runs view reads its runs, and nothing of the DAGs tab"
    );
    answer(
        &mut s,
        &effects,
        &runs_request(),
        AirflowPayload::Runs(hourly_runs()),
    );
    let failed_run = hourly_runs()[1].dag_run_id.clone();
    select(&mut s, &failed_run);
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(s.route(), Route::TaskInstances { run_id, .. } if *run_id == failed_run));
    answer(
        &mut s,
        &effects,
        &tis_request(),
        AirflowPayload::TaskInstances(task_instances()),
    );
    select(&mut s, "transform");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(s.route(), Route::TaskLog { task_id, try_number: 2, .. } if task_id == "transform")
    );
    answer(
        &mut s,
        &effects,
        &log_request(2),
        AirflowPayload::Log(LOG.into()),
    );
    let view = s.live.task_log.as_ref().unwrap();
    assert_eq!(view.feed, Feed::Read);
    assert_eq!(view.components, ["try 1", "try 2"]);
    assert_eq!(view.view_len(), 7);
    assert!(
        s.cache.airflow.remote(&log_request(2)).is_none(),
        "the log is held by its view, not twice"
    );
    // The breadcrumbs name the deployment, the DAG, the run and the task.
    assert_eq!(
        s.breadcrumbs()[2..],
        [
            "prod-etl".to_string(),
            "hourly_rollup".into(),
            failed_run.clone(),
            "transform".into(),
            "Log".into()
        ]
    );
    // The first try: `c` walks the tries and reads the one shown.
    let effects = update(&mut s, ch('c'));
    assert_eq!(s.live.task_log.as_ref().unwrap().try_number(), 1);
    answer(
        &mut s,
        &effects,
        &log_request(1),
        AirflowPayload::Log("attempt 1".into()),
    );
    assert_eq!(s.live.task_log.as_ref().unwrap().view_len(), 1);

    // Back up, each level with its cursor where it was.
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.route(), Route::TaskInstances { .. }));
    assert!(
        s.live.task_log.is_none(),
        "the log view goes with its route"
    );
    assert_eq!(selected_key(&s), "transform");
    update(&mut s, key(KeyCode::Esc));
    assert!(matches!(s.route(), Route::DagRuns { .. }));
    assert_eq!(selected_key(&s), failed_run);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: D.into(),
            tab: DeploymentTab::Dags
        }
    );
    assert_eq!(selected_key(&s), "hourly_rollup");
}

#[test]
fn a_task_that_never_ran_has_no_log_to_open() {
    let mut s = at_task_log();
    update(&mut s, key(KeyCode::Esc));
    select(&mut s, "load");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(s.route(), Route::TaskInstances { .. }));
    assert!(fetches(&effects).is_empty());
    let text = &s.visible_message().unwrap().text;
    assert!(
        text.contains("load has not run in this run (upstream_failed)"),
        "{text}"
    );
}

#[test]
fn search_and_filter_work_in_a_task_log_and_esc_clears_them_before_leaving() {
    let mut s = at_task_log();
    for c in "&failed".chars() {
        update(&mut s, ch(c));
    }
    update(&mut s, key(KeyCode::Enter));
    // "Task failed with exception" and "Marking task as FAILED.".
    assert_eq!(s.live.task_log.as_ref().unwrap().view_len(), 2);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.live.task_log.as_ref().unwrap().view_len(), 7);
    assert!(
        matches!(s.route(), Route::TaskLog { .. }),
        "Esc cleared the filter first"
    );
    let effects = update(&mut s, ch('s'));
    let saved = effects.iter().find_map(|e| match e {
        Effect::WriteFile { path, contents } => Some((path.clone(), contents.clone())),
        _ => None,
    });
    let (path, contents) = saved.expect("a file is written");
    let name = path.to_string_lossy().to_string();
    assert!(
        name.starts_with("astrodash-quantum-nebula-1234-hourly_rollup-transform-try2-"),
        "{name}"
    );
    assert!(
        contents.contains(
            "2026-11-27T11:02:05.000Z ERROR {taskinstance.py:1703} Task failed with exception"
        ),
        "{contents}"
    );
}

#[test]
fn a_dag_deleted_meanwhile_says_so_and_goes_up_a_level() {
    let mut s = dags_tab();
    select(&mut s, "hourly_rollup");
    let effects = update(&mut s, key(KeyCode::Enter));
    answer_with(
        &mut s,
        &effects,
        &runs_request(),
        Err(AirflowError::Problem {
            status: 404,
            title: "DAG not found".into(),
            detail: String::new(),
        }),
    );
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: D.into(),
            tab: DeploymentTab::Dags
        }
    );
    let message = s.visible_message().unwrap();
    assert!(
        message.text.contains("DAG hourly_rollup no longer exists"),
        "{}",
        message.text
    );
}

#[test]
fn a_refusal_by_the_platform_stays_and_says_it_is_about_permissions() {
    let mut s = dags_tab();
    select(&mut s, "hourly_rollup");
    let effects = update(&mut s, key(KeyCode::Enter));
    answer_with(
        &mut s,
        &effects,
        &runs_request(),
        Err(AirflowError::LoginRedirect { status: 302 }),
    );
    assert!(matches!(s.route(), Route::DagRuns { .. }));
    assert!(s.session.login.is_none(), "not a session end");
    let text = render(&s, 100, 24);
    assert!(text.contains("Permission denied by Airflow"), "{text}");
    assert!(!text.contains("<html"), "{text}");
}

#[test]
fn describe_and_copy_work_on_runs_and_task_instances() {
    let mut s = dags_tab();
    select(&mut s, "hourly_rollup");
    let effects = update(&mut s, key(KeyCode::Enter));
    answer(
        &mut s,
        &effects,
        &runs_request(),
        AirflowPayload::Runs(hourly_runs()),
    );
    select(&mut s, "manual__backfill_q3");
    update(&mut s, ch('d'));
    let Some(Modal::Describe(d)) = s.ui.modals.last() else {
        panic!("no describe: {:?}", s.ui.modals);
    };
    let text = format!("{d:?}");
    assert!(
        text.contains("manual__backfill_q3") && text.contains("Q3"),
        "{text}"
    );
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('y'));
    let menu = render(&s, 120, 30);
    assert!(menu.contains("run id") && menu.contains("conf"), "{menu}");
    update(&mut s, key(KeyCode::Esc));
    // Task instances.
    select(&mut s, &hourly_runs()[1].dag_run_id);
    let effects = update(&mut s, key(KeyCode::Enter));
    answer(
        &mut s,
        &effects,
        &tis_request(),
        AirflowPayload::TaskInstances(task_instances()),
    );
    select(&mut s, "transform");
    update(&mut s, ch('y'));
    let menu = render(&s, 120, 30);
    assert!(
        menu.contains("task id") && menu.contains("prod-etl-worker-0"),
        "{menu}"
    );
}

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn snapshots_of_the_drill_down() {
    let mut s = dags_tab();
    select(&mut s, "hourly_rollup");
    snap("dags_with_runs", &s);
    let effects = update(&mut s, key(KeyCode::Enter));
    answer(
        &mut s,
        &effects,
        &runs_request(),
        AirflowPayload::Runs(hourly_runs()),
    );
    snap("dag_runs", &s);
    select(&mut s, &hourly_runs()[1].dag_run_id);
    let effects = update(&mut s, key(KeyCode::Enter));
    answer(
        &mut s,
        &effects,
        &tis_request(),
        AirflowPayload::TaskInstances(task_instances()),
    );
    snap("task_instances", &s);
    let s = at_task_log();
    snap("task_log", &s);
}
