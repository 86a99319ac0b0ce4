//! Simulation: Airflow-like log lines for every component of every deployment.
//! (Deployment status needs no task: it is derived from `deploying_until`/`unhealthy`.)

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;

use crate::db::store::{self, DeploymentRow, LogRow, NewLog};
use crate::schema::State;

/// Newest lines kept per deployment and component.
pub const KEEP_PER_COMPONENT: i64 = 2000;

pub fn components(executor: &str) -> &'static [&'static str] {
    if executor == "CeleryExecutor" {
        &["scheduler", "webserver", "worker", "triggerer"]
    } else {
        &["scheduler", "webserver", "triggerer"]
    }
}

const DAGS: &[&str] = &[
    "ingest_orders",
    "daily_revenue_rollup",
    "sync_crm_contacts",
    "refresh_dashboards",
    "train_churn_model",
    "dbt_run_marts",
    "export_to_s3",
    "data_quality_checks",
];
const TASKS: &[&str] = &[
    "extract",
    "transform",
    "load",
    "validate",
    "publish",
    "notify_slack",
    "run_dbt",
    "cleanup",
];
const PATHS: &[&str] = &[
    "/health",
    "/home",
    "/api/v1/dags",
    "/dags/ingest_orders/grid",
    "/static/appbuilder/css/bootstrap.min.css",
    "/api/v1/dags/daily_revenue_rollup/dagRuns",
    "/object/grid_data",
];

/// One Airflow-like line: (level, message).
pub fn line(component: &str, ts_ms: i64, rng: &mut impl Rng) -> (&'static str, String) {
    let dag = DAGS[rng.random_range(0..DAGS.len())];
    let task = TASKS[rng.random_range(0..TASKS.len())];
    let run = chrono::DateTime::from_timestamp_millis(ts_ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:00:00+00:00");
    let roll = rng.random_range(0..100);
    match component {
        "scheduler" => match roll {
            0..=34 => ("INFO", "[scheduler_job_runner.py:1578] Scheduler heartbeat".to_string()),
            35..=54 => (
                "INFO",
                format!("[dag_processing.py:1099] Processing file /usr/local/airflow/dags/{dag}.py for tasks to queue"),
            ),
            55..=74 => (
                "INFO",
                format!("[scheduler_job_runner.py:717] Sending TaskInstanceKey(dag_id='{dag}', task_id='{task}', run_id='scheduled__{run}', try_number=1, map_index=-1) to executor with priority 1 and queue default"),
            ),
            75..=89 => (
                "INFO",
                format!("[dagrun.py:822] Marking run <DagRun {dag} @ {run}: scheduled__{run}, state:running> successful"),
            ),
            90..=96 => ("WARNING", format!("[scheduler_job_runner.py:1610] DAG {dag} is missing and will be deactivated.")),
            _ => ("ERROR", format!("[scheduler_job_runner.py:809] Executor reports task instance <TaskInstance: {dag}.{task} scheduled__{run} [queued]> finished (failed) although the task says it's queued.")),
        },
        "webserver" => {
            let path = PATHS[rng.random_range(0..PATHS.len())];
            let status = if roll < 95 { 200 } else if roll < 98 { 302 } else { 404 };
            let when = chrono::DateTime::from_timestamp_millis(ts_ms)
                .unwrap_or_default()
                .format("%d/%b/%Y:%H:%M:%S +0000");
            let ip = if path == "/health" { "127.0.0.1".to_string() } else { format!("10.42.{}.{}", rng.random_range(0..8), rng.random_range(2..250)) };
            (
                "INFO",
                format!("{ip} - - [{when}] \"GET {path} HTTP/1.1\" {status} {} \"-\" \"kube-probe/1.29\"", rng.random_range(120..9000)),
            )
        }
        "worker" => match roll {
            0..=39 => ("INFO", format!("[celery.py:91] Executing command in Celery: ['airflow', 'tasks', 'run', '{dag}', '{task}', 'scheduled__{run}', '--local', '--subdir', 'DAGS_FOLDER/{dag}.py']")),
            40..=79 => ("INFO", format!("[taskinstance.py:1400] Marking task as SUCCESS. dag_id={dag}, task_id={task}, execution_date={run}")),
            80..=93 => ("INFO", format!("[local_task_job_runner.py:234] Task exited with return code 0 ({dag}.{task})")),
            94..=97 => ("WARNING", format!("[taskinstance.py:2001] Task {dag}.{task} is retrying (try 2 of 3)")),
            _ => ("ERROR", format!("[taskinstance.py:2698] Task failed with exception: ConnectionError while running {dag}.{task}")),
        },
        _ => match roll {
            0..=69 => ("INFO", "[triggerer_job_runner.py:481] 0 triggers currently running".to_string()),
            70..=94 => ("INFO", format!("[triggerer_job_runner.py:600] trigger {dag}/{task} (ID {}) starting", rng.random_range(1..500))),
            _ => ("WARNING", "[triggerer_job_runner.py:350] Triggerer's async thread was blocked for 0.31 seconds".to_string()),
        },
    }
}

/// Background loop: one line per component per deployment each tick, in one transaction;
/// new rows are broadcast to `log` subscribers. Old lines are pruned periodically.
pub async fn run_logs(state: Arc<State>, interval_ms: u64) {
    let mut tick = tokio::time::interval(Duration::from_millis(interval_ms));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut n: u64 = 0;
    loop {
        tick.tick().await;
        n += 1;
        let prune = n.is_multiple_of(30);
        let st = state.clone();
        let res = tokio::task::spawn_blocking(move || generate_tick(&st, prune)).await;
        match res {
            Ok(Ok(rows)) => {
                for r in rows {
                    let _ = state.logs_tx.send(r);
                }
            }
            Ok(Err(e)) => tracing::warn!("log generation failed: {e}"),
            Err(e) => tracing::warn!("log generation task failed: {e}"),
        }
    }
}

fn generate_tick(state: &State, prune: bool) -> rusqlite::Result<Vec<LogRow>> {
    let deps: Vec<DeploymentRow> = state.db.read(store::all_deployments)?;
    let now = store::now_ms();
    state.db.write_quiet(|c| {
        let mut rng = rand::rng();
        let mut out = Vec::new();
        for d in &deps {
            for comp in components(&d.executor) {
                let (level, message) = line(comp, now, &mut rng);
                let new = NewLog {
                    deployment_id: &d.id,
                    component: comp,
                    ts_ms: now,
                    level,
                    message: &message,
                };
                // The deployment may have been deleted since it was listed.
                let id = match store::insert_log(c, &new) {
                    Ok(id) => id,
                    Err(rusqlite::Error::SqliteFailure(e, _))
                        if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                out.push(LogRow {
                    id,
                    deployment_id: d.id.clone(),
                    release: d.release_name.clone(),
                    component: comp.to_string(),
                    ts_ms: now,
                    level: level.to_string(),
                    message,
                });
            }
        }
        if prune {
            store::prune_logs(c, KEEP_PER_COMPONENT)?;
        }
        Ok(out)
    })
}
