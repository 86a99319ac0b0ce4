//! The actions of the simulated Airflow API: pause/unpause, trigger, clear, mark a task or a
//! run. Each is refused to Airflow's Viewer role (403) and stored as one override row;
//! the reply is computed from the world with that override applied, as a later read is.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::api::{dag_not_found, run_not_found, ti_not_found};
use super::overrides::{self, Action, Override};
use super::problem::{self, Api};
use super::runs::{Run, World, run_id};
use super::{Airflow, Call, query, render};

/// The JSON body, or the reply that refuses it.
fn body(api: Api, call: &Call) -> Result<Value, Box<Response>> {
    if !call.access.may_act() {
        return Err(Box::new(problem::forbidden(api)));
    }
    if call.body.is_empty() {
        return Ok(json!({}));
    }
    let v: Value = serde_json::from_slice(&call.body).map_err(|e| {
        Box::new(problem::bad_request(
            api,
            &format!("Request body is not valid JSON: {e}"),
        ))
    })?;
    if !v.is_object() {
        return Err(Box::new(problem::bad_request(
            api,
            &format!("{v} is not of type 'object'"),
        )));
    }
    Ok(v)
}

/// Stores the action and returns the world as a later read will see it.
fn act<'a>(
    air: &Airflow,
    w: &World<'a>,
    dag_id: &str,
    action: Action,
) -> Result<World<'a>, Box<Response>> {
    let o = Override {
        dag_id: dag_id.to_string(),
        at_ms: w.now,
        action,
    };
    if let Err(e) = overrides::store(&air.state.db, &w.dep.release_name, &o) {
        tracing::error!("cannot store an Airflow action: {e}");
        return Err(Box::new(problem::error(
            Api::V1,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "cannot store the action",
        )));
    }
    Ok(w.with(o))
}

pub(super) fn patch_dag(
    air: &Airflow,
    api: Api,
    w: &World<'_>,
    call: &Call,
    dag: &str,
) -> Response {
    let body = match body(api, call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    if w.dag(dag).is_none() {
        return dag_not_found(api, dag);
    }
    let Some(paused) = body.get("is_paused").and_then(Value::as_bool) else {
        return problem::bad_request(api, "'is_paused' is a required property");
    };
    let w = match act(air, w, dag, Action::Pause { paused }) {
        Ok(w) => w,
        Err(r) => return *r,
    };
    match w.dag(dag) {
        Some(d) => problem::ok(&render::dag(api, &w, d)),
        None => dag_not_found(api, dag),
    }
}

pub(super) fn trigger(air: &Airflow, api: Api, w: &World<'_>, call: &Call, dag: &str) -> Response {
    let body = match body(api, call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let Some(d) = w.dag(dag) else {
        return dag_not_found(api, dag);
    };
    if api == Api::V2 && body.get("logical_date").is_none() {
        // Airflow 3 requires the field (null asks for none).
        return problem::json(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"detail": [{"type": "missing", "loc": ["body", "logical_date"], "msg": "Field required", "input": body}]}),
        );
    }
    let conf = body.get("conf").cloned().unwrap_or_else(|| json!({}));
    if !conf.is_object() {
        return problem::bad_request(api, &format!("{conf} is not of type 'object' - 'conf'"));
    }
    let logical_ms = match body
        .get("logical_date")
        .or(body.get("execution_date"))
        .and_then(Value::as_str)
    {
        Some(s) => match query::time(s) {
            Some(ms) => ms,
            None => {
                return problem::bad_request(
                    api,
                    &format!("'{s}' is not a 'date-time' - 'logical_date'"),
                );
            }
        },
        None => w.now,
    };
    let id = body
        .get("dag_run_id")
        .and_then(Value::as_str)
        .map_or_else(|| run_id("manual", logical_ms), str::to_string);
    if w.run_by_id(d, &id).is_some() {
        let detail = format!("DAGRun with DAG ID: '{dag}' and DAGRun ID: '{id}' already exists");
        return problem::error(api, StatusCode::CONFLICT, "Conflict", &detail);
    }
    let action = Action::Trigger {
        run_id: id.clone(),
        logical_ms,
        conf,
    };
    let w = match act(air, w, dag, action) {
        Ok(w) => w,
        Err(r) => return *r,
    };
    match w.dag(dag).and_then(|d| w.run_by_id(d, &id)) {
        Some(r) => problem::ok(&render::run(api, &r)),
        None => run_not_found(api, dag, &id),
    }
}

pub(super) fn mark_run(
    air: &Airflow,
    api: Api,
    w: &World<'_>,
    call: &Call,
    dag: &str,
    run: &str,
) -> Response {
    let body = match body(api, call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let Some(d) = w.dag(dag) else {
        return dag_not_found(api, dag);
    };
    let Some(r) = w.run_by_id(d, run) else {
        return run_not_found(api, dag, run);
    };
    let action = match body.get("state").and_then(Value::as_str) {
        Some(s @ ("success" | "failed")) => Action::MarkRun {
            run_id: run.to_string(),
            state: s.to_string(),
        },
        // Airflow clears the whole run when asked to queue it again.
        Some("queued") => Action::Clear {
            run_id: run.to_string(),
            tasks: r.tis.iter().map(|t| t.task_id.to_string()).collect(),
        },
        other => {
            let s = other.map_or("null".to_string(), |s| format!("'{s}'"));
            return problem::bad_request(
                api,
                &format!("{s} is not one of ['success', 'failed', 'queued'] - 'state'"),
            );
        }
    };
    let w = match act(air, w, dag, action) {
        Ok(w) => w,
        Err(r) => return *r,
    };
    match w.dag(dag).and_then(|d| w.run_by_id(d, run)) {
        Some(r) => problem::ok(&render::run(api, &r)),
        None => run_not_found(api, dag, run),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn mark_task(
    air: &Airflow,
    api: Api,
    w: &World<'_>,
    call: &Call,
    dag: &str,
    run: &str,
    task: &str,
) -> Response {
    let body = match body(api, call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let Some(d) = w.dag(dag) else {
        return dag_not_found(api, dag);
    };
    let Some(r) = w.run_by_id(d, run) else {
        return run_not_found(api, dag, run);
    };
    if !r.tis.iter().any(|t| t.task_id == task) {
        return ti_not_found(api);
    }
    let state = match body.get("new_state").and_then(Value::as_str) {
        Some(s @ ("success" | "failed" | "skipped")) => s.to_string(),
        other => {
            let s = other.map_or("null".to_string(), |s| format!("'{s}'"));
            return problem::bad_request(
                api,
                &format!("{s} is not one of ['success', 'failed', 'skipped'] - 'new_state'"),
            );
        }
    };
    let dry_run = body
        .get("dry_run")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let after = if dry_run {
        None
    } else {
        let action = Action::MarkTask {
            run_id: run.to_string(),
            task_id: task.to_string(),
            state,
        };
        match act(air, w, dag, action) {
            Ok(w) => Some(w),
            Err(r) => return *r,
        }
    };
    let view = after.as_ref().unwrap_or(w);
    let r = view.dag(dag).and_then(|d| view.run_by_id(d, run));
    match r
        .as_ref()
        .and_then(|r| r.tis.iter().find(|t| t.task_id == task).map(|t| (r, t)))
    {
        Some((r, t)) => problem::ok(&render::ti_reference(api, r, t)),
        None => ti_not_found(api),
    }
}

/// The tasks a clear selects in one run: the named ones (all by default), with their
/// downstream and upstream when asked (a chain: downstream = every later task), then only
/// the failed or running ones when asked.
fn clear_selection(r: &Run, body: &Value) -> Vec<String> {
    let named = query::strings(body, "task_ids").filter(|v| !v.is_empty());
    let flag = |k: &str, default: bool| body.get(k).and_then(Value::as_bool).unwrap_or(default);
    let picked: Vec<usize> = (0..r.tis.len())
        .filter(|i| {
            named
                .as_ref()
                .is_none_or(|n| n.iter().any(|t| t == r.tis[*i].task_id))
        })
        .collect();
    let (Some(first), Some(last)) = (picked.first().copied(), picked.last().copied()) else {
        return Vec::new();
    };
    let only_failed = flag("only_failed", true);
    let only_running = flag("only_running", false);
    (0..r.tis.len())
        .filter(|i| {
            picked.contains(i)
                || (flag("include_downstream", false) && *i > first)
                || (flag("include_upstream", false) && *i < last)
        })
        .map(|i| &r.tis[i])
        .filter(|t| !only_failed || matches!(t.state, Some("failed" | "upstream_failed")))
        .filter(|t| !only_running || t.state == Some("running"))
        .map(|t| t.task_id.to_string())
        .collect()
}

pub(super) fn clear(air: &Airflow, api: Api, w: &World<'_>, call: &Call, dag: &str) -> Response {
    let body = match body(api, call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let Some(d) = w.dag(dag) else {
        return dag_not_found(api, dag);
    };
    let runs: Vec<Run> = match body.get("dag_run_id").and_then(Value::as_str) {
        Some(run) => match w.run_by_id(d, run) {
            Some(r) => vec![r],
            None => return run_not_found(api, dag, run),
        },
        None => {
            let from = body
                .get("start_date")
                .and_then(Value::as_str)
                .and_then(query::time);
            let to = body
                .get("end_date")
                .and_then(Value::as_str)
                .and_then(query::time);
            w.runs(d)
                .into_iter()
                .filter(|r| {
                    from.is_none_or(|f| r.logical_ms >= f) && to.is_none_or(|t| r.logical_ms <= t)
                })
                .collect()
        }
    };
    let dry_run = body.get("dry_run").and_then(Value::as_bool).unwrap_or(true);
    let mut refs = Vec::new();
    let mut world: Option<World<'_>> = None;
    for r in &runs {
        let tasks = clear_selection(r, &body);
        if tasks.is_empty() {
            continue;
        }
        for t in r
            .tis
            .iter()
            .filter(|t| tasks.iter().any(|x| x == t.task_id))
        {
            refs.push(render::ti_reference(api, r, t));
        }
        if !dry_run {
            let action = Action::Clear {
                run_id: r.run_id.clone(),
                tasks,
            };
            match act(air, world.as_ref().unwrap_or(w), dag, action) {
                Ok(next) => world = Some(next),
                Err(resp) => return *resp,
            }
        }
    }
    let total = refs.len();
    match api {
        Api::V1 => problem::ok(&json!({"task_instances": refs})),
        Api::V2 => problem::ok(&json!({"task_instances": refs, "total_entries": total})),
    }
}
