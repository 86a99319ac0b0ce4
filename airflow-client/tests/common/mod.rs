//! A tiny HTTP server for the client tests: every request is recorded and answered by the
//! test's own function of (method, path, query, body).
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub authorization: Option<String>,
    pub accept: Option<String>,
    pub body: String,
}

impl Seen {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    pub fn param(&self, key: &str) -> Option<String> {
        self.query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == key).then(|| v.to_string())
        })
    }
}

/// A reply: status, content type, extra headers, body.
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(value: serde_json::Value) -> Answer {
        Answer::with(200, "application/json", value.to_string())
    }

    pub fn with(status: u16, content_type: &'static str, body: impl Into<String>) -> Answer {
        Answer {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn not_found() -> Answer {
        Answer::with(
            404,
            "application/problem+json",
            r#"{"title":"Not Found","detail":"The requested URL was not found on the server.","status":404,"type":"about:blank"}"#,
        )
    }
}

type Handler = dyn Fn(&Seen) -> Answer + Send + Sync;

#[derive(Clone)]
struct Shared {
    seen: Arc<Mutex<Vec<Seen>>>,
    answer: Arc<Handler>,
}

pub struct Server {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves on a free port at `http://127.0.0.1:<port>`; `root` is appended to the URL given
    /// to the client (e.g. `/rel-1/airflow`), so paths seen include it.
    pub async fn start(
        root: &str,
        answer: impl Fn(&Seen) -> Answer + Send + Sync + 'static,
    ) -> Server {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            seen: seen.clone(),
            answer: Arc::new(answer),
        };
        let app = axum::Router::new().fallback(handle).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Server {
            url: format!("http://{addr}{root}"),
            seen,
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn handle(
    State(shared): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let seen = Seen {
        method: method.to_string(),
        path: uri.path().to_string(),
        query: uri.query().unwrap_or("").to_string(),
        authorization: header("authorization"),
        accept: header("accept"),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    shared.seen.lock().unwrap().push(seen.clone());
    let answer = (shared.answer)(&seen);
    let mut response = (
        StatusCode::from_u16(answer.status).unwrap(),
        [("content-type", answer.content_type)],
        answer.body,
    )
        .into_response();
    for (name, value) in answer.headers {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}

/// A small Airflow under `/rel/airflow/api/<api>` ("v1" or "v2") with `dags` DAGs and a
/// `maximum_page_limit` of `max_page`: lists, runs, task instances, logs, health, actions echo.
pub fn airflow(api: &'static str, dags: usize, max_page: usize) -> impl Fn(&Seen) -> Answer {
    move |seen: &Seen| {
        let prefix = format!("/rel/airflow/api/{api}/");
        let Some(rest) = seen.path.strip_prefix(&prefix) else {
            return Answer::not_found();
        };
        let parts: Vec<&str> = rest.split('/').collect();
        let v2 = api == "v2";
        let limit: usize = seen
            .param("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(100);
        let offset: usize = seen
            .param("offset")
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        let dag = |i: usize| {
            let id = format!("dag_{i:04}");
            if v2 {
                serde_json::json!({"dag_id": id, "is_paused": i.is_multiple_of(2),
                    "timetable_summary": "@daily", "next_dagrun_logical_date": null,
                    "owners": ["airflow"], "tags": [{"name": "t", "dag_id": id}]})
            } else {
                serde_json::json!({"dag_id": id, "is_paused": i.is_multiple_of(2), "is_active": true,
                    "schedule_interval": {"__type": "CronExpression", "value": "@daily"},
                    "next_dagrun": null, "has_import_errors": false,
                    "owners": ["airflow"], "tags": [{"name": "t"}]})
            }
        };
        match (seen.method.as_str(), parts.as_slice()) {
            ("GET", ["health"]) if !v2 => Answer::json(serde_json::json!({
                "metadatabase": {"status": "healthy"},
                "scheduler": {"status": "healthy", "latest_scheduler_heartbeat": "2026-12-07T03:00:00+00:00"},
                "triggerer": {"status": null, "latest_triggerer_heartbeat": null}})),
            ("GET", ["monitor", "health"]) if v2 => Answer::json(serde_json::json!({
                "metadatabase": {"status": "healthy"},
                "scheduler": {"status": "unhealthy", "latest_scheduler_heartbeat": "2026-12-07T02:00:00Z"},
                "dag_processor": {"status": "healthy", "latest_dag_processor_heartbeat": "2026-12-07T03:00:00Z"}})),
            ("GET", ["dags"]) => {
                let page: Vec<_> = (offset..dags.min(offset + limit.min(max_page)))
                    .map(dag)
                    .collect();
                Answer::json(serde_json::json!({"dags": page, "total_entries": dags}))
            }
            ("PATCH", ["dags", id]) => {
                let paused = seen.json()["is_paused"].as_bool().unwrap_or(false);
                Answer::json(serde_json::json!({"dag_id": id, "is_paused": paused}))
            }
            ("GET", ["dags", id, "dagRuns"]) => Answer::json(serde_json::json!({
                "dag_runs": [{"dag_id": id, "dag_run_id": "manual__2026-12-07T01:00:00+00:00",
                    "state": "failed", "run_type": "manual",
                    // Airflow 2.10 sends both names; Airflow 3 only the new one.
                    (if v2 { "logical_date" } else { "execution_date" }): "2026-12-07T01:00:00+00:00",
                    "logical_date": "2026-12-07T01:00:00+00:00",
                    "start_date": "2026-12-07T01:00:01+00:00", "end_date": "2026-12-07T01:02:01+00:00",
                    "conf": {"k": 1}}],
                "total_entries": 1})),
            ("POST", ["dags", id, "dagRuns"]) => Answer::json(serde_json::json!({
                "dag_id": id, "dag_run_id": "manual__new", "state": "queued", "run_type": "manual",
                "conf": seen.json()["conf"]})),
            ("GET", ["dags", id, "dagRuns", run, "taskInstances"]) => {
                Answer::json(serde_json::json!({
                "task_instances": [{"task_id": "extract", "dag_id": id, "dag_run_id": run,
                    "state": "failed", "try_number": 2, "duration": 12.5,
                    "operator": "BashOperator", "hostname": "worker-1", "map_index": -1}],
                "total_entries": 1}))
            }
            (
                "GET",
                [
                    "dags",
                    _,
                    "dagRuns",
                    _,
                    "taskInstances",
                    task,
                    "logs",
                    try_number,
                ],
            ) => {
                // A mapped instance's log names its index, as Airflow's header line does.
                let task = match seen.param("map_index") {
                    Some(i) => format!("{task}[{i}]"),
                    None => task.to_string(),
                };
                if v2 {
                    Answer::json(serde_json::json!({"content": [
                        {"timestamp": "2026-12-07T01:00:02Z", "level": "info", "event": format!("{task} try {try_number}")},
                        {"timestamp": "2026-12-07T01:00:03Z", "level": "error", "event": "boom"}],
                        "continuation_token": null}))
                } else {
                    Answer::with(
                        200,
                        "text/plain",
                        format!("{task} try {try_number}\nboom\n"),
                    )
                }
            }
            ("GET", ["importErrors"]) => Answer::json(serde_json::json!({
                "import_errors": [{"import_error_id": 1, "filename": "/dags/broken.py",
                    "timestamp": "2026-12-07T00:00:00+00:00", "stack_trace": "SyntaxError"}],
                "total_entries": 1})),
            ("POST", ["dags", "~", "dagRuns", "list"]) => Answer::json(serde_json::json!({
                "dag_runs": [{"dag_id": "a", "dag_run_id": "r1", "state": "failed"}], "total_entries": 1})),
            ("POST", ["dags", "~", "dagRuns", "~", "taskInstances", "list"]) => {
                Answer::json(serde_json::json!({
                "task_instances": [{"task_id": "t", "dag_id": "a", "dag_run_id": "r1", "state": "failed"}],
                "total_entries": 1}))
            }
            ("POST", ["dags", _, "clearTaskInstances"]) => {
                Answer::json(serde_json::json!({"task_instances": []}))
            }
            ("PATCH", ["dags", id, "dagRuns", run]) => Answer::json(serde_json::json!({
                "dag_id": id, "dag_run_id": run, "state": seen.json()["state"]})),
            ("PATCH", ["dags", _, "dagRuns", _, "taskInstances", _])
            | ("PATCH", ["dags", _, "dagRuns", _, "taskInstances", _, _]) => {
                // Airflow 3's body model refuses fields it does not know.
                if v2 && seen.json().get("dry_run").is_some() {
                    return Answer::with(422, "application/json", r#"{"detail":"extra"}"#);
                }
                Answer::json(serde_json::json!({"task_id": "x"}))
            }
            _ => Answer::not_found(),
        }
    }
}
