//! The JSON of DAGs, runs and task instances, with Airflow's field names: v1 (Airflow 2) and
//! v2 (Airflow 3) differ in some names and in how they write times.

use serde_json::{Value, json};

use super::model::Dag;
use super::problem::Api;
use super::runs::{Run, Ti, World, iso};

/// A time as the API writes it: `+00:00` on Airflow 2, `Z` on Airflow 3.
pub(super) fn time(api: Api, ms: i64) -> String {
    match api {
        Api::V1 => iso(ms),
        Api::V2 => {
            let t = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
            t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
        }
    }
}

fn opt_time(api: Api, ms: Option<i64>) -> Value {
    ms.map_or(Value::Null, |ms| json!(time(api, ms)))
}

/// When the DAG processor last parsed the files: every 30 s.
fn last_parsed(w: &World<'_>) -> i64 {
    w.now - w.now.rem_euclid(30_000)
}

pub(super) fn dag(api: Api, w: &World<'_>, d: &Dag) -> Value {
    let next = w.next_dagrun(d);
    let next_logical = opt_time(api, next.map(|n| n.0));
    let next_after = opt_time(api, next.map(|n| n.1));
    let interval_end = opt_time(api, next.map(|n| n.1));
    let paused = w.paused_at(d, w.now);
    let expr = d.schedule.map(|s| s.expr);
    let description = d
        .schedule
        .map_or("Never, external triggers only", |s| s.description);
    let file_token = format!("{:016x}", d.seed);
    match api {
        Api::V1 => json!({
            "dag_id": d.dag_id,
            "dag_display_name": d.dag_id,
            "root_dag_id": null,
            "is_paused": paused,
            "is_active": true,
            "is_subdag": false,
            "last_parsed_time": time(api, last_parsed(w)),
            "last_pickled": null,
            "last_expired": null,
            "scheduler_lock": null,
            "pickle_id": null,
            "default_view": "grid",
            "fileloc": d.fileloc,
            "file_token": file_token,
            "owners": [d.owner],
            "description": d.description,
            "schedule_interval": expr.map_or(Value::Null, |e| json!({"__type": "CronExpression", "value": e})),
            "timetable_description": description,
            "tags": d.tags.iter().map(|t| json!({"name": t})).collect::<Vec<_>>(),
            "max_active_tasks": 16,
            "max_active_runs": 16,
            "has_task_concurrency_limits": false,
            "has_import_errors": d.import_error.is_some(),
            "next_dagrun": next_logical,
            "next_dagrun_data_interval_start": next_logical,
            "next_dagrun_data_interval_end": interval_end,
            "next_dagrun_create_after": next_after,
        }),
        Api::V2 => json!({
            "dag_id": d.dag_id,
            "dag_display_name": d.dag_id,
            "is_paused": paused,
            "is_stale": false,
            "last_parsed_time": time(api, last_parsed(w)),
            "last_expired": null,
            "bundle_name": "dags-folder",
            "bundle_version": null,
            "relative_fileloc": format!("{}.py", d.dag_id),
            "fileloc": d.fileloc,
            "description": d.description,
            "timetable_summary": expr,
            "timetable_description": description,
            "tags": d.tags.iter().map(|t| json!({"name": t, "dag_id": d.dag_id})).collect::<Vec<_>>(),
            "max_active_tasks": 16,
            "max_active_runs": 16,
            "max_consecutive_failed_dag_runs": 0,
            "has_task_concurrency_limits": false,
            "has_import_errors": d.import_error.is_some(),
            "next_dagrun_logical_date": next_logical,
            "next_dagrun_data_interval_start": next_logical,
            "next_dagrun_data_interval_end": interval_end,
            "next_dagrun_run_after": next_after,
            "owners": [d.owner],
            "file_token": file_token,
        }),
    }
}

pub(super) fn run(api: Api, r: &Run) -> Value {
    let logical = time(api, r.logical_ms);
    match api {
        Api::V1 => json!({
            "dag_run_id": r.run_id,
            "dag_id": r.dag_id,
            "logical_date": logical,
            "execution_date": logical,
            "start_date": opt_time(api, r.start_ms),
            "end_date": opt_time(api, r.end_ms),
            "data_interval_start": time(api, r.interval.0),
            "data_interval_end": time(api, r.interval.1),
            "last_scheduling_decision": opt_time(api, r.end_ms.or(r.start_ms)),
            "run_type": r.run_type,
            "state": r.state,
            "external_trigger": r.run_type == "manual",
            "conf": r.conf,
            "note": null,
        }),
        Api::V2 => json!({
            "dag_run_id": r.run_id,
            "dag_id": r.dag_id,
            "dag_display_name": r.dag_id,
            "logical_date": logical,
            "queued_at": time(api, r.queued_ms),
            "start_date": opt_time(api, r.start_ms),
            "end_date": opt_time(api, r.end_ms),
            "data_interval_start": time(api, r.interval.0),
            "data_interval_end": time(api, r.interval.1),
            "run_after": time(api, r.interval.1.max(r.queued_ms)),
            "last_scheduling_decision": opt_time(api, r.end_ms.or(r.start_ms)),
            "run_type": r.run_type,
            "state": r.state,
            "triggered_by": match r.run_type {
                "manual" => "rest_api",
                "backfill" => "backfill",
                _ => "timetable",
            },
            "conf": r.conf,
            "note": null,
            "dag_versions": [],
            "bundle_version": null,
        }),
    }
}

pub(super) fn ti(api: Api, r: &Run, t: &Ti) -> Value {
    let duration = match (t.start_ms, t.end_ms) {
        (Some(s), Some(e)) => json!((e - s) as f64 / 1000.0),
        _ => Value::Null,
    };
    let pid = t.start_ms.map(|s| 100 + s.rem_euclid(30_000));
    let hostname = if t.start_ms.is_some() {
        json!(t.hostname)
    } else {
        json!("")
    };
    let mut v = json!({
        "task_id": t.task_id,
        "dag_id": r.dag_id,
        "dag_run_id": r.run_id,
        "start_date": opt_time(api, t.start_ms),
        "end_date": opt_time(api, t.end_ms),
        "duration": duration,
        "state": t.state,
        "try_number": t.try_number,
        "map_index": t.map_index,
        "max_tries": t.max_tries,
        "hostname": hostname,
        "unixname": "astro",
        "pool": "default_pool",
        "pool_slots": 1,
        "queue": "default",
        "priority_weight": t.priority_weight,
        "operator": t.operator,
        "queued_when": opt_time(api, t.queued_ms),
        "pid": pid,
        "executor_config": "{}",
        "rendered_fields": {},
        "trigger": null,
        "triggerer_job": null,
        "note": null,
    });
    if let Some(m) = v.as_object_mut() {
        match api {
            Api::V1 => {
                m.insert("execution_date".into(), json!(time(api, r.logical_ms)));
                m.insert("sla_miss".into(), Value::Null);
            }
            Api::V2 => {
                m.insert("id".into(), json!(ti_uuid(r, t)));
                m.insert("logical_date".into(), json!(time(api, r.logical_ms)));
                m.insert(
                    "run_after".into(),
                    json!(time(api, r.interval.1.max(r.queued_ms))),
                );
                m.insert("task_display_name".into(), json!(t.task_id));
                m.insert("dag_display_name".into(), json!(r.dag_id));
                m.insert("scheduled_when".into(), opt_time(api, t.queued_ms));
                m.insert("executor".into(), Value::Null);
                m.insert(
                    "rendered_map_index".into(),
                    if t.map_index >= 0 {
                        json!(t.map_index.to_string())
                    } else {
                        Value::Null
                    },
                );
                m.insert("dag_version".into(), Value::Null);
            }
        }
    }
    v
}

/// A stable UUID-shaped id for a task instance (Airflow 3 gives each one an id).
fn ti_uuid(r: &Run, t: &Ti) -> String {
    let index = t.map_index.to_le_bytes();
    let mut key: Vec<&[u8]> = vec![
        r.dag_id.as_bytes(),
        r.run_id.as_bytes(),
        t.task_id.as_bytes(),
    ];
    // An unmapped instance keeps the id it had before instances were told apart.
    if t.map_index >= 0 {
        key.push(&index);
    }
    let mut salted = key.clone();
    salted.push(b"id");
    let hex = format!(
        "{:016x}{:016x}",
        crate::sim::hash(&key),
        crate::sim::hash(&salted)
    );
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// What a clear or mark answers: the task instances it touched, by reference.
pub(super) fn ti_reference(api: Api, r: &Run, t: &Ti) -> Value {
    match api {
        Api::V1 => json!({
            "task_id": t.task_id,
            "map_index": t.map_index,
            "dag_id": r.dag_id,
            "execution_date": time(api, r.logical_ms),
            "dag_run_id": r.run_id,
        }),
        Api::V2 => ti(api, r, t),
    }
}
