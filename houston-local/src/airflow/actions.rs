//! The actions of the simulated Airflow API: pause/unpause, trigger, clear, mark a task or a
//! run. Each is refused to Airflow's Viewer role (403) and stored as one override row;
//! the reply is computed from the world with that override applied, as a later read is.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::api::{dag_not_found, run_not_found, ti_not_found};
use super::overrides::{self, Action, Override};
use super::problem::{self, Api};
use super::runs::{Run, Ti, World, run_id};

/// The fields of Airflow 3's `PatchTaskInstanceBody`.
const V2_PATCH_FIELDS: &[&str] = &[
    "new_state",
    "note",
    "include_upstream",
    "include_downstream",
    "include_future",
    "include_past",
];
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
        Some("queued") => {
            let mut tasks: Vec<String> = r.tis.iter().map(|t| t.task_id.to_string()).collect();
            tasks.dedup();
            Action::Clear {
                run_id: run.to_string(),
                tasks,
                instances: Vec::new(),
            }
        }
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

/// Set one task instance's state: `index` -1 for a task that is not mapped (`…/{task_id}`), a
/// mapped task's instance through `…/{task_id}/{map_index}`.
pub(super) fn mark_task(
    air: &Airflow,
    api: Api,
    w: &World<'_>,
    call: &Call,
    (dag, run, task): (&str, &str, &str),
    index: i64,
) -> Response {
    let body = match body(api, call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    if api == Api::V2
        && let Some(extra) = body
            .as_object()
            .and_then(|o| o.keys().find(|k| !V2_PATCH_FIELDS.contains(&k.as_str())))
    {
        // Airflow 3's body model forbids fields it does not know (a dry run is its own
        // endpoint there).
        return problem::json(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"detail": [{"type": "extra_forbidden", "loc": ["body", extra], "msg": "Extra inputs are not permitted", "input": body[extra]}]}),
        );
    }
    let Some(d) = w.dag(dag) else {
        return dag_not_found(api, dag);
    };
    let Some(r) = w.run_by_id(d, run) else {
        return run_not_found(api, dag, run);
    };
    let this = |t: &&Ti| t.task_id == task && t.map_index == index;
    if !r.tis.iter().any(|t| this(&t)) {
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
            map_index: index,
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
        .and_then(|r| r.tis.iter().find(this).map(|t| (r, t)))
    {
        Some((r, t)) => problem::ok(&render::ti_reference(api, r, t)),
        None => ti_not_found(api),
    }
}

/// Task instances as a clear names them: whole tasks (every instance), and single instances
/// of mapped tasks (task id, map index).
type Selection = (Vec<String>, Vec<(String, i64)>);

/// What `task_ids` names: whole tasks (`"extract"`, every instance of a mapped task) and, on
/// Airflow 3, single instances (`["extract", 3]`).
fn named(body: &Value) -> Option<Selection> {
    let items = body.get("task_ids")?.as_array().filter(|v| !v.is_empty())?;
    let mut tasks = Vec::new();
    let mut instances = Vec::new();
    for item in items {
        match item {
            Value::String(t) => tasks.push(t.clone()),
            Value::Array(pair) => {
                if let [Value::String(t), index] = pair.as_slice()
                    && let Some(i) = index.as_i64()
                {
                    instances.push((t.clone(), i));
                }
            }
            _ => {}
        }
    }
    Some((tasks, instances))
}

/// The task instances a clear selects in one run, as (whole tasks, single instances): the
/// named ones (all by default), with their downstream and upstream when asked (a chain:
/// downstream = every later task), then only the failed or running ones when asked.
fn clear_selection(r: &Run, body: &Value) -> Selection {
    let named = named(body);
    let flag = |k: &str, default: bool| body.get(k).and_then(Value::as_bool).unwrap_or(default);
    let is_named = |t: &Ti| {
        named.as_ref().is_none_or(|(tasks, instances)| {
            tasks.iter().any(|x| x == t.task_id)
                || instances
                    .iter()
                    .any(|(x, i)| x == t.task_id && *i == t.map_index)
        })
    };
    let picked: Vec<usize> = (0..r.tis.len()).filter(|i| is_named(&r.tis[*i])).collect();
    let (Some(first), Some(last)) = (picked.first().copied(), picked.last().copied()) else {
        return (Vec::new(), Vec::new());
    };
    let (first_task, last_task) = (r.tis[first].task_id, r.tis[last].task_id);
    let only_failed = flag("only_failed", true);
    let only_running = flag("only_running", false);
    // Downstream of a mapped instance is the tasks after its task, not its siblings.
    let selected: Vec<&Ti> = (0..r.tis.len())
        .filter(|i| {
            picked.contains(i)
                || (flag("include_downstream", false)
                    && *i > first
                    && r.tis[*i].task_id != first_task)
                || (flag("include_upstream", false) && *i < last && r.tis[*i].task_id != last_task)
        })
        .map(|i| &r.tis[i])
        .filter(|t| !only_failed || matches!(t.state, Some("failed" | "upstream_failed")))
        .filter(|t| !only_running || t.state == Some("running"))
        .collect();
    let mut tasks: Vec<String> = Vec::new();
    let mut instances = Vec::new();
    for t in selected {
        if t.map_index < 0 {
            tasks.push(t.task_id.to_string());
        } else {
            instances.push((t.task_id.to_string(), t.map_index));
        }
    }
    (tasks, instances)
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
    // Airflow 2's schema takes task ids only.
    if api == Api::V1
        && let Some((i, item)) = body
            .get("task_ids")
            .and_then(Value::as_array)
            .and_then(|v| v.iter().enumerate().find(|(_, t)| !t.is_string()))
    {
        // As Airflow 2 words it (Python's repr of the item).
        let item = item.to_string().replace('"', "'").replace(',', ", ");
        return problem::bad_request(
            api,
            &format!("{item} is not of type 'string' - 'task_ids.{i}'"),
        );
    }
    for r in &runs {
        let (tasks, instances) = clear_selection(r, &body);
        if tasks.is_empty() && instances.is_empty() {
            continue;
        }
        for t in r.tis.iter().filter(|t| {
            tasks.iter().any(|x| x == t.task_id)
                || instances
                    .iter()
                    .any(|(x, i)| x == t.task_id && *i == t.map_index)
        }) {
            refs.push(render::ti_reference(api, r, t));
        }
        if !dry_run {
            let action = Action::Clear {
                run_id: r.run_id.clone(),
                tasks,
                instances,
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
