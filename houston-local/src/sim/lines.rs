//! The text of Airflow-like log lines per component, for a healthy, unhealthy or deploying
//! deployment. Pure functions of their inputs: the caller supplies a seeded generator.

use rand::Rng;

use super::Phase;

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

/// The scheduler's own heartbeat line (also what a search for "heartbeat" finds).
pub(crate) const HEARTBEAT: &str = "[scheduler_job_runner.py:1578] Scheduler heartbeat";

/// What a line may refer to: a DAG run, a task, the hour of the run.
struct Subject {
    dag: &'static str,
    task: &'static str,
    run: String,
}

fn subject(ts_ms: i64, rng: &mut impl Rng) -> Subject {
    Subject {
        dag: DAGS[rng.random_range(0..DAGS.len())],
        task: TASKS[rng.random_range(0..TASKS.len())],
        run: chrono::DateTime::from_timestamp_millis(ts_ms)
            .unwrap_or_default()
            .format("%Y-%m-%dT%H:00:00+00:00")
            .to_string(),
    }
}

/// One Airflow-like line of `component` at `ts_ms`: (level, message).
pub(crate) fn line(
    component: &str,
    phase: Phase,
    release: &str,
    ts_ms: i64,
    rng: &mut impl Rng,
) -> (&'static str, String) {
    let s = subject(ts_ms, rng);
    let roll = rng.random_range(0..100);
    match (component, phase) {
        (_, Phase::Deploying) => starting(component, release, roll, rng),
        ("scheduler", Phase::Unhealthy) => scheduler_down(&s, release, roll, rng),
        ("scheduler", _) => scheduler(&s, roll),
        ("webserver", _) => webserver(phase, ts_ms, roll, rng),
        ("worker", Phase::Unhealthy) => worker_failing(&s, roll),
        ("worker", _) => worker(&s, roll),
        (_, Phase::Unhealthy) => match roll {
            0..=59 => (
                "WARNING",
                format!(
                    "[triggerer_job_runner.py:350] Triggerer's async thread was blocked for {}.{:02} seconds, likely by a badly-written trigger",
                    rng.random_range(1..6),
                    rng.random_range(0..100)
                ),
            ),
            _ => (
                "ERROR",
                "[triggerer_job_runner.py:341] Triggerer's heartbeat is late: the metadata database is not answering".to_string(),
            ),
        },
        _ => match roll {
            0..=69 => (
                "INFO",
                "[triggerer_job_runner.py:481] 0 triggers currently running".to_string(),
            ),
            70..=94 => (
                "INFO",
                format!(
                    "[triggerer_job_runner.py:600] trigger {}/{} (ID {}) starting",
                    s.dag,
                    s.task,
                    rng.random_range(1..500)
                ),
            ),
            _ => (
                "WARNING",
                "[triggerer_job_runner.py:350] Triggerer's async thread was blocked for 0.31 seconds".to_string(),
            ),
        },
    }
}

fn scheduler(s: &Subject, roll: u32) -> (&'static str, String) {
    let Subject { dag, task, run } = s;
    match roll {
        0..=34 => ("INFO", HEARTBEAT.to_string()),
        35..=54 => (
            "INFO",
            format!(
                "[dag_processing.py:1099] Processing file /usr/local/airflow/dags/{dag}.py for tasks to queue"
            ),
        ),
        55..=74 => (
            "INFO",
            format!(
                "[scheduler_job_runner.py:717] Sending TaskInstanceKey(dag_id='{dag}', task_id='{task}', run_id='scheduled__{run}', try_number=1, map_index=-1) to executor with priority 1 and queue default"
            ),
        ),
        75..=89 => (
            "INFO",
            format!(
                "[dagrun.py:822] Marking run <DagRun {dag} @ {run}: scheduled__{run}, state:running> successful"
            ),
        ),
        90..=96 => (
            "WARNING",
            format!("[scheduler_job_runner.py:1610] DAG {dag} is missing and will be deactivated."),
        ),
        _ => (
            "ERROR",
            format!(
                "[scheduler_job_runner.py:809] Executor reports task instance <TaskInstance: {dag}.{task} scheduled__{run} [queued]> finished (failed) although the task says it's queued."
            ),
        ),
    }
}

/// A crash-looping scheduler: no heartbeats, database errors, restarts.
fn scheduler_down(
    s: &Subject,
    release: &str,
    roll: u32,
    rng: &mut impl Rng,
) -> (&'static str, String) {
    let Subject { dag, task, run } = s;
    match roll {
        0..=34 => (
            "WARNING",
            format!(
                "[scheduler_job_runner.py:1588] Scheduler heartbeat missed: last heartbeat {} seconds ago (scheduler_health_check_threshold = 30)",
                rng.random_range(31..600)
            ),
        ),
        35..=69 => (
            "ERROR",
            format!(
                "[scheduler_job_runner.py:855] Exception when executing SchedulerJob._run_scheduler_loop: sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at \"{release}-pgbouncer\", port 6543 failed: Connection refused"
            ),
        ),
        70..=89 => (
            "ERROR",
            format!(
                "[scheduler_job_runner.py:809] Executor reports task instance <TaskInstance: {dag}.{task} scheduled__{run} [queued]> finished (failed) although the task says it's queued."
            ),
        ),
        _ => (
            "INFO",
            "[scheduler_command.py:52] Starting the scheduler (restart after crash)".to_string(),
        ),
    }
}

fn webserver(phase: Phase, ts_ms: i64, roll: u32, rng: &mut impl Rng) -> (&'static str, String) {
    if phase == Phase::Unhealthy && roll < 40 {
        return (
            "WARNING",
            format!(
                "[views.py:1012] The scheduler does not appear to be running. Last heartbeat was received {} minutes ago.",
                rng.random_range(2..30)
            ),
        );
    }
    let path = PATHS[rng.random_range(0..PATHS.len())];
    let status = match (phase, roll) {
        (Phase::Unhealthy, 40..=69) => 503,
        (_, 0..=94) | (Phase::Unhealthy, _) => 200,
        (_, 95..=97) => 302,
        _ => 404,
    };
    let when = chrono::DateTime::from_timestamp_millis(ts_ms)
        .unwrap_or_default()
        .format("%d/%b/%Y:%H:%M:%S +0000");
    let ip = if path == "/health" {
        "127.0.0.1".to_string()
    } else {
        format!(
            "10.42.{}.{}",
            rng.random_range(0..8),
            rng.random_range(2..250)
        )
    };
    (
        "INFO",
        format!(
            "{ip} - - [{when}] \"GET {path} HTTP/1.1\" {status} {} \"-\" \"kube-probe/1.29\"",
            rng.random_range(120..9000)
        ),
    )
}

fn worker(s: &Subject, roll: u32) -> (&'static str, String) {
    let Subject { dag, task, run } = s;
    match roll {
        0..=39 => (
            "INFO",
            format!(
                "[celery.py:91] Executing command in Celery: ['airflow', 'tasks', 'run', '{dag}', '{task}', 'scheduled__{run}', '--local', '--subdir', 'DAGS_FOLDER/{dag}.py']"
            ),
        ),
        40..=79 => (
            "INFO",
            format!(
                "[taskinstance.py:1400] Marking task as SUCCESS. dag_id={dag}, task_id={task}, execution_date={run}"
            ),
        ),
        80..=93 => (
            "INFO",
            format!("[local_task_job_runner.py:234] Task exited with return code 0 ({dag}.{task})"),
        ),
        94..=97 => (
            "WARNING",
            format!("[taskinstance.py:2001] Task {dag}.{task} is retrying (try 2 of 3)"),
        ),
        _ => (
            "ERROR",
            format!(
                "[taskinstance.py:2698] Task failed with exception: ConnectionError while running {dag}.{task}"
            ),
        ),
    }
}

fn worker_failing(s: &Subject, roll: u32) -> (&'static str, String) {
    let Subject { dag, task, run } = s;
    match roll {
        0..=49 => (
            "ERROR",
            format!(
                "[taskinstance.py:2698] Task failed with exception: OperationalError: could not connect to the metadata database while running {dag}.{task}"
            ),
        ),
        50..=79 => (
            "ERROR",
            format!(
                "[taskinstance.py:1400] Marking task as FAILED. dag_id={dag}, task_id={task}, execution_date={run}"
            ),
        ),
        _ => (
            "WARNING",
            format!("[taskinstance.py:2001] Task {dag}.{task} is retrying (try 3 of 3)"),
        ),
    }
}

/// Pods starting after a deploy.
fn starting(
    component: &str,
    release: &str,
    roll: u32,
    rng: &mut impl Rng,
) -> (&'static str, String) {
    let msg = match (component, roll % 3) {
        ("scheduler", 0) => "[scheduler_command.py:52] Starting the scheduler".to_string(),
        ("scheduler", 1) => "[scheduler_job_runner.py:798] Starting the scheduler loop".to_string(),
        ("scheduler", _) => {
            "[scheduler_job_runner.py:1401] Resetting orphaned tasks for active dag runs"
                .to_string()
        }
        ("webserver", 0) => "[gunicorn] Listening at: http://0.0.0.0:8080".to_string(),
        ("webserver", _) => format!(
            "[gunicorn] Booting worker with pid: {}",
            rng.random_range(40..4000)
        ),
        ("worker", _) => format!(
            "[celery] celery@{release}-worker-{} ready.",
            rng.random_range(0..3)
        ),
        _ => "[triggerer_command.py:48] Starting the triggerer".to_string(),
    };
    ("INFO", msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SplitMix;

    fn sample(component: &str, phase: Phase) -> Vec<(&'static str, String)> {
        let mut rng = SplitMix::new(42);
        (0..400)
            .map(|i| line(component, phase, "rel-1", 1_700_000_000_000 + i, &mut rng))
            .collect()
    }

    #[test]
    fn healthy_scheduler_heartbeats_and_unhealthy_one_misses() {
        let ok = sample("scheduler", Phase::Healthy);
        assert!(ok.iter().any(|(_, m)| m == HEARTBEAT));
        assert!(ok.iter().all(|(_, m)| !m.contains("heartbeat missed")));
        let bad = sample("scheduler", Phase::Unhealthy);
        assert!(bad.iter().all(|(_, m)| m != HEARTBEAT));
        assert!(bad.iter().any(|(_, m)| m.contains("heartbeat missed")));
        assert!(bad.iter().filter(|(l, _)| *l == "ERROR").count() > 100);
    }

    #[test]
    fn every_component_and_phase_has_lines() {
        for c in ["scheduler", "webserver", "worker", "triggerer"] {
            for p in [Phase::Deploying, Phase::Healthy, Phase::Unhealthy] {
                assert!(
                    sample(c, p)
                        .iter()
                        .all(|(l, m)| !l.is_empty() && !m.is_empty())
                );
            }
        }
        let web = sample("webserver", Phase::Unhealthy);
        assert!(web.iter().any(|(_, m)| m.contains("\" 503 ")));
        let failing = sample("worker", Phase::Unhealthy);
        assert!(
            failing
                .iter()
                .any(|(_, m)| m.contains("Marking task as FAILED"))
        );
    }
}
