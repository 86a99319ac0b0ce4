//! The simulated Airflow REST API of one deployment: routing by method and path, and the
//! read endpoints (health, DAGs, runs, task instances, import errors). Actions are in
//! `actions`, logs in `logs`.

use std::cmp::Ordering;

use axum::http::Method;
use axum::response::Response;
use serde_json::{Value, json};

use super::problem::{self, Api};
use super::query::{self, Query};
use super::runs::{Run, World};
use super::{Airflow, Call, actions, html, logs, model, overrides, render};
use crate::db::store;
use crate::sim::{Phase, Timeline};

pub(super) fn handle(air: &Airflow, call: Call) -> Response {
    let major = model::airflow_major(&call.deployment);
    let rest = call.rest.trim_end_matches('/').to_string();
    if rest.is_empty() {
        return html::airflow_root(air, &call.deployment);
    }
    let served = if major >= 3 { Api::V2 } else { Api::V1 };
    let (api, tail) = if let Some(tail) = strip(&rest, "api/v1") {
        (Api::V1, tail)
    } else if let Some(tail) = strip(&rest, "api/v2") {
        (Api::V2, tail)
    } else if rest == "health" && served == Api::V1 {
        (Api::V1, "/health")
    } else {
        return match served {
            Api::V1 => problem::flask_not_found(),
            Api::V2 => problem::no_route(Api::V2),
        };
    };
    if api != served {
        // Airflow 2 has no /api/v2 (Flask's HTML 404); Airflow 3 no /api/v1 (FastAPI's 404).
        return match served {
            Api::V1 => problem::flask_not_found(),
            Api::V2 => problem::no_route(Api::V2),
        };
    }
    let segs: Vec<String> = tail
        .split('/')
        .filter(|s| !s.is_empty())
        .map(decode_path)
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let health_changed = air
        .state
        .db
        .read(|c| store::health_changed_at(c, &call.deployment.id))
        .ok()
        .flatten();
    let world = World {
        dep: &call.deployment,
        timeline: Timeline::of(&call.deployment, health_changed),
        now: air.now_ms(),
        dags: model::dags(&call.deployment),
        overrides: overrides::load(&air.state.db, &call.deployment.release_name),
    };
    let q = Query::parse(&call.query);
    let m = &call.method;
    match segs.as_slice() {
        ["health"] if *m == Method::GET && api == Api::V1 => health(api, &world),
        ["monitor", "health"] if *m == Method::GET && api == Api::V2 => health(api, &world),
        ["version"] if *m == Method::GET => problem::ok(&json!({
            "version": call.deployment.airflow_version, "git_version": null})),
        ["dags"] if *m == Method::GET => list_dags(api, &world, &q),
        ["dags", dag] if *m == Method::GET => one_dag(api, &world, dag),
        ["dags", dag] if *m == Method::PATCH => actions::patch_dag(air, api, &world, &call, dag),
        ["dags", "~", "dagRuns", "list"] if *m == Method::POST => {
            list_runs_body(api, &world, &call)
        }
        ["dags", dag, "dagRuns"] if *m == Method::GET => list_runs(api, &world, dag, &q),
        ["dags", dag, "dagRuns"] if *m == Method::POST => {
            actions::trigger(air, api, &world, &call, dag)
        }
        ["dags", dag, "dagRuns", run] if *m == Method::GET => one_run(api, &world, dag, run),
        ["dags", dag, "dagRuns", run] if *m == Method::PATCH => {
            actions::mark_run(air, api, &world, &call, dag, run)
        }
        ["dags", "~", "dagRuns", "~", "taskInstances", "list"] if *m == Method::POST => {
            list_tis_body(api, &world, &call)
        }
        ["dags", dag, "dagRuns", run, "taskInstances"] if *m == Method::GET => {
            list_tis(api, &world, dag, run, &q)
        }
        ["dags", dag, "dagRuns", run, "taskInstances", task] if *m == Method::GET => {
            one_ti(api, &world, dag, run, task, -1)
        }
        ["dags", dag, "dagRuns", run, "taskInstances", task] if *m == Method::PATCH => {
            actions::mark_task(air, api, &world, &call, (dag, run, task), -1)
        }
        // A mapped task's instance (`…/{task_id}/{map_index}`).
        ["dags", dag, "dagRuns", run, "taskInstances", task, index] => {
            let Ok(index) = index.parse::<i64>() else {
                return problem::bad_request(
                    api,
                    &format!("'{index}' is not of type 'integer' - 'map_index'"),
                );
            };
            match *m {
                Method::GET => one_ti(api, &world, dag, run, task, index),
                Method::PATCH => {
                    actions::mark_task(air, api, &world, &call, (dag, run, task), index)
                }
                _ => problem::no_route(api),
            }
        }
        [
            "dags",
            dag,
            "dagRuns",
            run,
            "taskInstances",
            task,
            "logs",
            attempt,
        ] if *m == Method::GET => logs::task_log(api, &world, &call, dag, run, task, attempt, &q),
        ["dags", dag, "clearTaskInstances"] if *m == Method::POST => {
            actions::clear(air, api, &world, &call, dag)
        }
        ["importErrors"] if *m == Method::GET => import_errors(api, &world, &q),
        _ => problem::no_route(api),
    }
}

fn strip<'a>(rest: &'a str, prefix: &str) -> Option<&'a str> {
    let tail = rest.strip_prefix(prefix)?;
    (tail.is_empty() || tail.starts_with('/')).then_some(tail)
}

/// Percent-decoding of a path segment (`+` stays a plus: run ids contain `+00:00`).
fn decode_path(s: &str) -> String {
    query::decode(&s.replace('+', "%2B"))
}

fn health(api: Api, w: &World<'_>) -> Response {
    // A stuck scheduler stopped heartbeating when the deployment turned unhealthy, or (a
    // deployment unhealthy since long before) 20 to 80 minutes ago: recent enough to match its
    // failed runs of the last day, fixed within each hour as a stopped clock is.
    let unhealthy = w.timeline.phase_at(w.now) == Phase::Unhealthy;
    let beat = if unhealthy {
        let stopped = w.now - w.now.rem_euclid(3_600_000) - 20 * 60_000;
        w.timeline
            .phase_start(w.now)
            .max(stopped)
            .min(w.now - 5 * 60_000)
    } else {
        w.now - w.now.rem_euclid(5_000)
    };
    let status = if unhealthy { "unhealthy" } else { "healthy" };
    let beat_now = render::time(api, w.now - w.now.rem_euclid(5_000));
    problem::ok(&json!({
        "metadatabase": {"status": "healthy"},
        "scheduler": {"status": status, "latest_scheduler_heartbeat": render::time(api, beat)},
        "triggerer": {"status": "healthy", "latest_triggerer_heartbeat": beat_now},
        "dag_processor": {"status": null, "latest_dag_processor_heartbeat": null},
    }))
}

pub(super) fn dag_not_found(api: Api, dag: &str) -> Response {
    let detail = match api {
        Api::V1 => format!("DAG with dag_id: '{dag}' not found"),
        Api::V2 => format!("The Dag with ID: `{dag}` was not found"),
    };
    problem::not_found(api, "DAG not found", &detail)
}

pub(super) fn run_not_found(api: Api, dag: &str, run: &str) -> Response {
    let detail = match api {
        Api::V1 => format!("DAGRun with DAG ID: '{dag}' and DagRun ID: '{run}' not found"),
        Api::V2 => format!("The DagRun with dag_id: `{dag}` and run_id: `{run}` was not found"),
    };
    problem::not_found(api, "DAGRun not found", &detail)
}

pub(super) fn ti_not_found(api: Api) -> Response {
    problem::not_found(api, "Task instance not found", "Task instance not found")
}

fn order_error(api: Api, key: &str) -> Response {
    problem::bad_request(
        api,
        &format!(
            "Ordering with '{key}' is disallowed or the attribute does not exist on the model"
        ),
    )
}

/// Sorts by `order_by` (`-` for descending); `keys` maps each allowed name to a comparison.
/// A comparison by one field.
type Cmp<T> = fn(&T, &T) -> Ordering;

fn sort_by<T>(
    items: &mut [T],
    order_by: Option<&str>,
    default: &str,
    keys: &dyn Fn(&str) -> Option<Cmp<T>>,
) -> Result<(), String> {
    let order = order_by.filter(|o| !o.is_empty()).unwrap_or(default);
    let (desc, key) = match order.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, order),
    };
    let cmp = keys(key).ok_or_else(|| key.to_string())?;
    items.sort_by(|a, b| if desc { cmp(b, a) } else { cmp(a, b) });
    Ok(())
}

fn page<T: Clone>(items: &[T], offset: usize, limit: usize) -> Vec<T> {
    items.iter().skip(offset).take(limit).cloned().collect()
}

fn list_dags(api: Api, w: &World<'_>, q: &Query) -> Response {
    let (offset, limit) = match q.page() {
        Ok(p) => p,
        Err(e) => return problem::bad_request(api, &e),
    };
    let pattern = q.get("dag_id_pattern").filter(|p| !p.is_empty());
    let paused = q.bool("paused");
    let tags = q.all("tags");
    let mut dags: Vec<(String, bool, Option<i64>, Value)> = w
        .dags
        .iter()
        .filter(|d| pattern.is_none_or(|p| query::matches_pattern(&d.dag_id, p)))
        .filter(|d| paused.is_none_or(|p| w.paused_at(d, w.now) == p))
        .filter(|d| tags.is_empty() || d.tags.iter().any(|t| tags.iter().any(|x| x == t)))
        .map(|d| {
            (
                d.dag_id.clone(),
                w.paused_at(d, w.now),
                w.next_dagrun(d).map(|n| n.0),
                render::dag(api, w, d),
            )
        })
        .collect();
    let sorted = sort_by(&mut dags, q.get("order_by"), "dag_id", &|k| match k {
        "dag_id" | "dag_display_name" => Some(|a, b| a.0.cmp(&b.0)),
        "is_paused" => Some(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0))),
        "next_dagrun" | "next_dagrun_logical_date" => {
            Some(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)))
        }
        _ => None,
    });
    if let Err(key) = sorted {
        return order_error(api, &key);
    }
    let total = dags.len();
    let dags: Vec<Value> = page(&dags, offset, limit)
        .into_iter()
        .map(|d| d.3)
        .collect();
    problem::ok(&json!({"dags": dags, "total_entries": total}))
}

fn one_dag(api: Api, w: &World<'_>, dag: &str) -> Response {
    match w.dag(dag) {
        Some(d) => problem::ok(&render::dag(api, w, d)),
        None => dag_not_found(api, dag),
    }
}

/// The runs of one DAG, or of every DAG for `~`; None = no such DAG.
fn runs_of(w: &World<'_>, dag: &str) -> Option<Vec<Run>> {
    if dag == "~" {
        return Some(w.dags.iter().flat_map(|d| w.runs(d)).collect());
    }
    w.dag(dag).map(|d| w.runs(d))
}

/// Filters shared by the run lists (query string or JSON body).
struct RunFilter {
    states: Vec<String>,
    dag_ids: Option<Vec<String>>,
    ranges: Vec<(&'static str, Option<i64>, Option<i64>)>,
}

impl RunFilter {
    fn keeps(&self, r: &Run) -> bool {
        let state_ok = self.states.is_empty() || self.states.iter().any(|s| s == r.state);
        let dag_ok = self
            .dag_ids
            .as_ref()
            .is_none_or(|ids| ids.contains(&r.dag_id));
        let ranges_ok = self.ranges.iter().all(|(field, gte, lte)| {
            let value = match *field {
                "start_date" => r.start_ms,
                "end_date" => r.end_ms,
                _ => Some(r.logical_ms),
            };
            in_range(value, *gte, *lte)
        });
        state_ok && dag_ok && ranges_ok
    }
}

fn in_range(value: Option<i64>, gte: Option<i64>, lte: Option<i64>) -> bool {
    match value {
        Some(v) => gte.is_none_or(|g| v >= g) && lte.is_none_or(|l| v <= l),
        None => gte.is_none() && lte.is_none(),
    }
}

const RANGES: [(&str, &str); 4] = [
    ("execution_date", "execution_date"),
    ("logical_date", "logical_date"),
    ("start_date", "start_date"),
    ("end_date", "end_date"),
];

fn ranges(get: &dyn Fn(&str) -> Option<String>) -> Vec<(&'static str, Option<i64>, Option<i64>)> {
    RANGES
        .iter()
        .map(|(field, name)| {
            let gte = get(&format!("{name}_gte")).and_then(|s| query::time(&s));
            let lte = get(&format!("{name}_lte")).and_then(|s| query::time(&s));
            (*field, gte, lte)
        })
        .collect()
}

fn sort_runs(api: Api, runs: &mut [Run], order_by: Option<&str>) -> Result<(), Box<Response>> {
    sort_by(runs, order_by, "id", &|k| match k {
        "id" | "execution_date" | "logical_date" | "run_after" => Some(|a: &Run, b: &Run| {
            a.logical_ms
                .cmp(&b.logical_ms)
                .then(a.dag_id.cmp(&b.dag_id))
        }),
        "start_date" => Some(|a: &Run, b: &Run| a.start_ms.cmp(&b.start_ms)),
        "end_date" => Some(|a: &Run, b: &Run| a.end_ms.cmp(&b.end_ms)),
        "state" => Some(|a: &Run, b: &Run| a.state.cmp(b.state)),
        "dag_id" => Some(|a: &Run, b: &Run| a.dag_id.cmp(&b.dag_id)),
        "run_id" | "dag_run_id" => Some(|a: &Run, b: &Run| a.run_id.cmp(&b.run_id)),
        _ => None,
    })
    .map_err(|key| Box::new(order_error(api, &key)))
}

fn runs_reply(api: Api, runs: &[Run], offset: usize, limit: usize) -> Response {
    let page: Vec<Value> = runs
        .iter()
        .skip(offset)
        .take(limit)
        .map(|r| render::run(api, r))
        .collect();
    problem::ok(&json!({"dag_runs": page, "total_entries": runs.len()}))
}

fn list_runs(api: Api, w: &World<'_>, dag: &str, q: &Query) -> Response {
    let (offset, limit) = match q.page() {
        Ok(p) => p,
        Err(e) => return problem::bad_request(api, &e),
    };
    let Some(mut runs) = runs_of(w, dag) else {
        return dag_not_found(api, dag);
    };
    let filter = RunFilter {
        states: q.all("state"),
        dag_ids: None,
        ranges: ranges(&|k| q.get(k).map(str::to_string)),
    };
    runs.retain(|r| filter.keeps(r));
    if let Err(r) = sort_runs(api, &mut runs, q.get("order_by")) {
        return *r;
    }
    runs_reply(api, &runs, offset, limit)
}

fn json_body(api: Api, call: &Call) -> Result<Value, Box<Response>> {
    if call.body.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(&call.body)
        .map_err(|e| Box::new(problem::bad_request(api, &e.to_string())))
}

fn list_runs_body(api: Api, w: &World<'_>, call: &Call) -> Response {
    let body = match json_body(api, call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let (offset, limit) = match query::body_page(&body) {
        Ok(p) => p,
        Err(e) => return problem::bad_request(api, &e),
    };
    let filter = RunFilter {
        states: query::strings(&body, "states").unwrap_or_default(),
        dag_ids: query::strings(&body, "dag_ids").filter(|v| !v.is_empty()),
        ranges: ranges(&|k| body.get(k).and_then(Value::as_str).map(str::to_string)),
    };
    let mut runs: Vec<Run> = w
        .dags
        .iter()
        .filter(|d| {
            filter
                .dag_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&d.dag_id))
        })
        .flat_map(|d| w.runs(d))
        .filter(|r| filter.keeps(r))
        .collect();
    if let Err(r) = sort_runs(api, &mut runs, body.get("order_by").and_then(Value::as_str)) {
        return *r;
    }
    runs_reply(api, &runs, offset, limit)
}

fn one_run(api: Api, w: &World<'_>, dag: &str, run: &str) -> Response {
    let Some(d) = w.dag(dag) else {
        return dag_not_found(api, dag);
    };
    match w.run_by_id(d, run) {
        Some(r) => problem::ok(&render::run(api, &r)),
        None => run_not_found(api, dag, run),
    }
}

/// Filters of the task-instance lists.
struct TiFilter {
    states: Vec<String>,
    task_ids: Option<Vec<String>>,
    run_ids: Option<Vec<String>>,
    ranges: Vec<(&'static str, Option<i64>, Option<i64>)>,
}

/// The (DAG, run, task, map index) keys of the task instances `f` keeps, in run order.
fn ti_rows(runs: &[Run], f: &TiFilter) -> Vec<Value> {
    runs.iter()
        .flat_map(|r| r.tis.iter().map(move |t| (r, t)))
        .filter(|(r, t)| {
            let state = t.state.unwrap_or("none");
            (f.states.is_empty() || f.states.iter().any(|s| s == state))
                && f.task_ids
                    .as_ref()
                    .is_none_or(|ids| ids.iter().any(|i| i == t.task_id))
                && f.run_ids.as_ref().is_none_or(|ids| ids.contains(&r.run_id))
                && f.ranges.iter().all(|(field, gte, lte)| {
                    let value = match *field {
                        "start_date" => t.start_ms,
                        "end_date" => t.end_ms,
                        _ => Some(r.logical_ms),
                    };
                    in_range(value, *gte, *lte)
                })
        })
        .map(|(r, t)| json!([r.dag_id, r.run_id, t.task_id, t.map_index]))
        .collect()
}

fn tis_reply(api: Api, runs: &[Run], f: &TiFilter, offset: usize, limit: usize) -> Response {
    let keys = ti_rows(runs, f);
    let total = keys.len();
    let page: Vec<Value> = keys
        .iter()
        .skip(offset)
        .take(limit)
        .filter_map(|k| {
            let r = runs.iter().find(|r| r.dag_id == k[0] && r.run_id == k[1])?;
            let t = r
                .tis
                .iter()
                .find(|t| t.task_id == k[2] && k[3] == t.map_index)?;
            Some(render::ti(api, r, t))
        })
        .collect();
    problem::ok(&json!({"task_instances": page, "total_entries": total}))
}

fn list_tis(api: Api, w: &World<'_>, dag: &str, run: &str, q: &Query) -> Response {
    let (offset, limit) = match q.page() {
        Ok(p) => p,
        Err(e) => return problem::bad_request(api, &e),
    };
    let Some(runs) = runs_of(w, dag) else {
        return dag_not_found(api, dag);
    };
    let runs: Vec<Run> = runs
        .into_iter()
        .filter(|r| run == "~" || r.run_id == run)
        .collect();
    if runs.is_empty() && run != "~" {
        return run_not_found(api, dag, run);
    }
    let f = TiFilter {
        states: q.all("state"),
        task_ids: None,
        run_ids: None,
        ranges: ranges(&|k| q.get(k).map(str::to_string)),
    };
    tis_reply(api, &runs, &f, offset, limit)
}

fn list_tis_body(api: Api, w: &World<'_>, call: &Call) -> Response {
    let body = match json_body(api, call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let (offset, limit) = match query::body_page(&body) {
        Ok(p) => p,
        Err(e) => return problem::bad_request(api, &e),
    };
    let dag_ids = query::strings(&body, "dag_ids").filter(|v| !v.is_empty());
    let runs: Vec<Run> = w
        .dags
        .iter()
        .filter(|d| dag_ids.as_ref().is_none_or(|ids| ids.contains(&d.dag_id)))
        .flat_map(|d| w.runs(d))
        .collect();
    let f = TiFilter {
        states: query::strings(&body, "state").unwrap_or_default(),
        task_ids: query::strings(&body, "task_ids").filter(|v| !v.is_empty()),
        run_ids: query::strings(&body, "dag_run_ids").filter(|v| !v.is_empty()),
        ranges: ranges(&|k| body.get(k).and_then(Value::as_str).map(str::to_string)),
    };
    tis_reply(api, &runs, &f, offset, limit)
}

fn one_ti(api: Api, w: &World<'_>, dag: &str, run: &str, task: &str, index: i64) -> Response {
    let Some(d) = w.dag(dag) else {
        return dag_not_found(api, dag);
    };
    let Some(r) = w.run_by_id(d, run) else {
        return run_not_found(api, dag, run);
    };
    match r
        .tis
        .iter()
        .find(|t| t.task_id == task && t.map_index == index)
    {
        Some(t) => problem::ok(&render::ti(api, &r, t)),
        None => ti_not_found(api),
    }
}

fn import_errors(api: Api, w: &World<'_>, q: &Query) -> Response {
    let (offset, limit) = match q.page() {
        Ok(p) => p,
        Err(e) => return problem::bad_request(api, &e),
    };
    let parsed = w.now - w.now.rem_euclid(300_000);
    let errors: Vec<Value> = w
        .dags
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.import_error.map(|e| (i, d, e)))
        .map(|(i, d, e)| {
            let trace = format!(
                "Traceback (most recent call last):\n  File \"<frozen importlib._bootstrap>\", line 241, in _call_with_frames_removed\n  File \"{}\", line {}, in <module>\n{e}\n",
                d.fileloc,
                12 + i
            );
            let mut v = json!({
                "import_error_id": i + 1,
                "timestamp": render::time(api, parsed),
                "filename": d.fileloc,
                "stack_trace": trace,
            });
            if api == Api::V2 && let Some(m) = v.as_object_mut() {
                m.insert("bundle_name".into(), json!("dags-folder"));
                m.insert("filename".into(), json!(format!("{}.py", d.dag_id)));
            }
            v
        })
        .collect();
    let total = errors.len();
    let page = page(&errors, offset, limit);
    problem::ok(&json!({"import_errors": page, "total_entries": total}))
}
