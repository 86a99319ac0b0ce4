//! Task logs of the simulated Airflow: the lines a task instance's try wrote, computed from
//! the try's times and outcome; `text/plain` or JSON with a continuation token.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};

use super::Call;
use super::api::{dag_not_found, run_not_found, ti_not_found};
use super::problem::{self, Api};
use super::query::Query;
use super::runs::{Run, Ti, World, iso};

const RETRY_DELAY_MS: i64 = 300_000;

/// `[2026-12-07, 03:00:05 UTC]`, Airflow 2's log time.
fn stamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("[%Y-%m-%d, %H:%M:%S UTC]")
        .to_string()
}

/// The lines of one try, up to `now`, as (time, level, text).
fn lines(w: &World<'_>, r: &Run, t: &Ti, attempt: u32) -> Vec<(i64, &'static str, String)> {
    let Some(last_start) = t.start_ms else {
        return Vec::new();
    };
    let retries_after = i64::from(t.try_number.saturating_sub(attempt));
    let start = last_start - retries_after * RETRY_DELAY_MS;
    let (end, outcome) = if attempt < t.try_number {
        (Some(start + 20_000), "up_for_retry")
    } else {
        (t.end_ms, t.state.unwrap_or("running"))
    };
    // Airflow names a mapped task's instance with its map index.
    let index = if t.map_index >= 0 {
        format!(" map_index={}", t.map_index)
    } else {
        String::new()
    };
    let ti = format!(
        "<TaskInstance: {}.{} {}{index} [running]>",
        r.dag_id, t.task_id, r.run_id
    );
    let mut v = vec![
        (
            start,
            "INFO",
            format!("Dependencies all met for dep_context=non-requeueable deps ti={ti}"),
        ),
        (
            start,
            "INFO",
            format!("Starting attempt {attempt} of {}", t.max_tries + 1),
        ),
        (
            start,
            "INFO",
            format!(
                "Executing <Task({}): {}> on {}",
                t.operator,
                t.task_id,
                iso(r.logical_ms)
            ),
        ),
        (
            start + 40,
            "INFO",
            format!(
                "Started process {} to run task",
                100 + start.rem_euclid(30_000)
            ),
        ),
        (
            start + 60,
            "INFO",
            format!("Running {ti} on host {}", t.hostname),
        ),
        (
            start + 900,
            "INFO",
            format!(
                "Exporting env vars: AIRFLOW_CTX_DAG_OWNER='airflow' AIRFLOW_CTX_DAG_ID='{}' AIRFLOW_CTX_TASK_ID='{}' AIRFLOW_CTX_DAG_RUN_ID='{}'",
                r.dag_id, t.task_id, r.run_id
            ),
        ),
        (
            start + 1_500,
            "INFO",
            work_line(t.operator, t.task_id, t.map_index),
        ),
    ];
    let end_or_now = end.unwrap_or(w.now);
    let mut at = start + 10_000;
    while at < end_or_now.min(start + 120_000) {
        v.push((
            at,
            "INFO",
            format!("{}: progress {} rows", t.task_id, (at - start) / 10),
        ));
        at += 10_000;
    }
    if let Some(end) = end {
        match outcome {
            "success" | "skipped" => {
                v.push((end, "INFO", "Done. Returned value was: None".into()));
                v.push((end, "INFO", format!("Marking task as SUCCESS. dag_id={}, task_id={}, run_id={}, execution_date={}, start_date={}, end_date={}", r.dag_id, t.task_id, r.run_id, iso(r.logical_ms), iso(start), iso(end))));
                v.push((end + 500, "INFO", "Task exited with return code 0".into()));
            }
            "up_for_retry" | "failed" => {
                v.push((end, "ERROR", format!("Task failed with exception\nTraceback (most recent call last):\n  File \"/usr/local/lib/python3.12/site-packages/airflow/models/taskinstance.py\", line 767, in _execute_task\n    result = _execute_callable(context=context, **execute_callable_kwargs)\n  File \"/usr/local/airflow/dags/{}.py\", line 42, in {}\n    raise RuntimeError(\"upstream returned HTTP 503\")\nRuntimeError: upstream returned HTTP 503", r.dag_id, t.task_id)));
                let mark = if outcome == "failed" {
                    "FAILED"
                } else {
                    "UP_FOR_RETRY"
                };
                v.push((end, "INFO", format!("Marking task as {mark}. dag_id={}, task_id={}, run_id={}, execution_date={}, start_date={}, end_date={}", r.dag_id, t.task_id, r.run_id, iso(r.logical_ms), iso(start), iso(end))));
                v.push((end + 500, "INFO", "Task exited with return code 1".into()));
            }
            _ => {}
        }
    }
    v.retain(|(at, _, _)| *at <= w.now);
    v
}

fn work_line(operator: &str, task: &str, map_index: i64) -> String {
    if map_index >= 0 {
        // A mapped instance works on its own part of the input.
        return format!("Running {task} on partition {map_index} (map_index={map_index})");
    }
    match operator {
        "BashOperator" => format!(
            "Running command: ['/usr/bin/bash', '-c', 'dbt {}']",
            task.trim_start_matches("dbt_")
        ),
        "SnowflakeOperator" | "SQLExecuteQueryOperator" | "SQLCheckOperator" => {
            "Running statement: MERGE INTO analytics.target USING staging.batch ...".into()
        }
        "KubernetesPodOperator" => format!(
            "Creating pod {}-pod with labels: {{'task_id': '{task}'}}",
            task.replace('_', "-")
        ),
        "S3KeySensor" => "Poking for key : s3://acme-landing/incoming/batch.parquet".into(),
        "HttpOperator" => "Calling HTTP method POST".into(),
        _ => format!("Running {task}"),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn task_log(
    api: Api,
    w: &World<'_>,
    call: &Call,
    dag: &str,
    run: &str,
    task: &str,
    attempt: &str,
    q: &Query,
) -> Response {
    let Some(d) = w.dag(dag) else {
        return dag_not_found(api, dag);
    };
    let Some(r) = w.run_by_id(d, run) else {
        return run_not_found(api, dag, run);
    };
    // Without `map_index` Airflow reads the unmapped instance (-1): a mapped task has none.
    let index = match q.get("map_index").map(str::parse::<i64>) {
        None => -1,
        Some(Ok(i)) => i,
        Some(Err(_)) => {
            return problem::bad_request(api, "'map_index' is not of type 'integer'");
        }
    };
    let Some(t) = r
        .tis
        .iter()
        .find(|t| t.task_id == task && t.map_index == index)
    else {
        return ti_not_found(api);
    };
    let Ok(attempt) = attempt.parse::<u32>() else {
        return problem::bad_request(
            api,
            &format!("'{attempt}' is not of type 'integer' - 'task_try_number'"),
        );
    };
    let text: String = if attempt == 0 || attempt > t.try_number || t.start_ms.is_none() {
        format!(
            "*** Log file does not exist: /usr/local/airflow/logs/dag_id={dag}/run_id={run}/task_id={task}/{}attempt={attempt}.log\n",
            if index >= 0 {
                format!("map_index={index}/")
            } else {
                String::new()
            }
        )
    } else {
        lines(w, &r, t, attempt)
            .iter()
            .map(|(at, level, text)| {
                format!(
                    "{} {{taskinstance.py:{}}} {level} - {text}\n",
                    stamp(*at),
                    2000 + text.len() % 900
                )
            })
            .collect()
    };
    let plain = call
        .headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/plain"));
    if plain {
        return (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], text).into_response();
    }
    let full = q.bool("full_content").unwrap_or(false);
    let from = if full {
        0
    } else {
        q.get("token").and_then(token_pos).unwrap_or(0)
    };
    let rest = text.get(from.min(text.len())..).unwrap_or("");
    let next = token(text.len(), t.end_ms.is_some());
    let content = match api {
        Api::V1 => json!(rest),
        Api::V2 => Value::Array(
            rest.lines()
                .map(|l| json!({"timestamp": null, "event": l}))
                .collect(),
        ),
    };
    problem::ok(&json!({"content": content, "continuation_token": next}))
}

/// An opaque token for where the reader stopped (Airflow signs its metadata; this encodes it).
fn token(pos: usize, end_of_log: bool) -> String {
    let meta = json!({"end_of_log": end_of_log, "log_pos": pos}).to_string();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(meta)
}

fn token_pos(t: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(t)
        .ok()?;
    let v: Value = serde_json::from_slice(&raw).ok()?;
    v.get("log_pos")?.as_u64().map(|p| p as usize)
}
