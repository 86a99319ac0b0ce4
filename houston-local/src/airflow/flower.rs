//! The simulated Flower of a Celery deployment: workers, tasks, health check and Prometheus
//! metrics. Deployments on Astro Runtime run Flower ≥ 2 without authentication of its own,
//! which refuses its API (401) and answers only `/healthcheck` and `/metrics`.

use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rand::{Rng, RngCore};
use serde_json::{Map, Value, json};

use super::query::Query;
use super::{Airflow, Call, html};
use crate::db::store::DeploymentRow;
use crate::sim::{SplitMix, hash};

/// Flower 2's refusal when it has no authentication configured.
pub(super) const UNAUTHENTICATED: &str = "FLOWER_UNAUTHENTICATED_API environment variable is required to enable API without authentication";

/// Whether this deployment runs Flower ≥ 2 (Astro Runtime images do).
pub(super) fn refuses_api(d: &DeploymentRow) -> bool {
    d.runtime_version.is_some()
}

fn workers(d: &DeploymentRow) -> Vec<String> {
    let replicas = serde_json::from_str::<Value>(&d.config)
        .ok()
        .and_then(|c| c.pointer("/workers/replicas").and_then(Value::as_u64))
        .unwrap_or(1)
        .clamp(1, 10);
    (0..replicas)
        .map(|i| format!("celery@{}-worker-{i}", d.release_name))
        .collect()
}

fn text(status: StatusCode, content_type: &'static str, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

pub(super) fn handle(air: &Airflow, call: Call) -> Response {
    let d = &call.deployment;
    let rest = call.rest.trim_end_matches('/');
    if call.method != Method::GET {
        return text(StatusCode::METHOD_NOT_ALLOWED, "text/html", "<html><title>405: Method Not Allowed</title><body>405: Method Not Allowed</body></html>".into());
    }
    let now = air.now_ms();
    match rest {
        "" => html::flower_root(air, d),
        "healthcheck" => text(StatusCode::OK, "text/plain", "OK".into()),
        "metrics" => text(
            StatusCode::OK,
            "text/plain; version=0.0.4; charset=utf-8",
            metrics(d, now),
        ),
        "api/workers" | "api/tasks" if refuses_api(d) => text(
            StatusCode::UNAUTHORIZED,
            "text/html; charset=UTF-8",
            UNAUTHENTICATED.into(),
        ),
        "api/workers" => {
            let q = Query::parse(&call.query);
            let names = workers(d);
            let names: Vec<&String> = names
                .iter()
                .filter(|n| q.get("workername").is_none_or(|w| w == n.as_str()))
                .collect();
            let body: Map<String, Value> = if q.bool("status") == Some(true) {
                names.iter().map(|n| ((*n).clone(), json!(true))).collect()
            } else {
                names
                    .iter()
                    .map(|n| ((*n).clone(), worker(d, n, now)))
                    .collect()
            };
            text(
                StatusCode::OK,
                "application/json; charset=UTF-8",
                Value::Object(body).to_string(),
            )
        }
        "api/tasks" => {
            let q = Query::parse(&call.query);
            text(
                StatusCode::OK,
                "application/json; charset=UTF-8",
                tasks(d, now, &q).to_string(),
            )
        }
        _ => text(
            StatusCode::NOT_FOUND,
            "text/html",
            "<html><title>404: Not Found</title><body>404: Not Found</body></html>".into(),
        ),
    }
}

fn worker(d: &DeploymentRow, name: &str, now: i64) -> Value {
    let hour = now.div_euclid(3_600_000);
    let mut rng = SplitMix::new(hash(&[name.as_bytes(), &hour.to_le_bytes()]));
    let processed = rng.random_range(500..5_000) + (now.rem_euclid(3_600_000) / 10_000) as u64;
    json!({
        "stats": {
            "broker": {"hostname": format!("{}-redis", d.release_name), "port": 6379, "transport": "redis"},
            "clock": (now / 1000).to_string(),
            "pid": rng.random_range(7..60),
            "pool": {"max-concurrency": 16, "processes": (1..=16).collect::<Vec<_>>(), "timeouts": [0, 0]},
            "prefetch_count": 16,
            "total": {"airflow.providers.celery.executors.celery_executor_utils.execute_command": processed},
            "uptime": rng.random_range(3_600..600_000),
        },
        "active": [],
        "reserved": [],
        "scheduled": [],
        "registered": ["airflow.providers.celery.executors.celery_executor_utils.execute_command"],
        "active_queues": [{"name": "default", "exchange": {"name": "default", "type": "direct"}, "routing_key": "default"}],
        "conf": {"broker_url": format!("redis://{}-redis:6379/0", d.release_name), "worker_concurrency": 16},
        "timestamp": now as f64 / 1000.0,
    })
}

/// The last few task events, one every 20 s per worker.
fn tasks(d: &DeploymentRow, now: i64, q: &Query) -> Value {
    let names = workers(d);
    let limit = q
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(50)
        .min(500);
    let state = q.get("state");
    let mut out = Map::new();
    let mut t = now - now.rem_euclid(20_000);
    let mut n = 0;
    while out.len() < limit && n < 500 {
        let worker = &names[n % names.len()];
        let mut rng = SplitMix::new(hash(&[
            d.release_name.as_bytes(),
            &t.to_le_bytes(),
            worker.as_bytes(),
        ]));
        let failed = d.unhealthy && rng.unit() < 0.5 || rng.unit() < 0.03;
        let s = if failed { "FAILURE" } else { "SUCCESS" };
        let uuid = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
        let uuid = format!(
            "{}-{}-{}-{}-{}",
            &uuid[0..8],
            &uuid[8..12],
            &uuid[12..16],
            &uuid[16..20],
            &uuid[20..32]
        );
        let runtime = rng.random_range(5.0..240.0);
        if state.is_none_or(|x| x == s) && q.get("workername").is_none_or(|w| w == worker) {
            out.insert(uuid.clone(), json!({
                "uuid": uuid,
                "name": "airflow.providers.celery.executors.celery_executor_utils.execute_command",
                "state": s,
                "received": (t as f64) / 1000.0 - runtime - 1.0,
                "started": (t as f64) / 1000.0 - runtime,
                "succeeded": if failed { Value::Null } else { json!(t as f64 / 1000.0) },
                "failed": if failed { json!(t as f64 / 1000.0) } else { Value::Null },
                "runtime": runtime,
                "worker": worker,
                "exception": if failed { json!("AirflowException('Celery command failed on host: worker')") } else { Value::Null },
                "traceback": Value::Null,
                "retries": 0,
            }));
        }
        t -= 20_000 / names.len() as i64;
        n += 1;
    }
    Value::Object(out)
}

fn metrics(d: &DeploymentRow, now: i64) -> String {
    let mut s = String::from(
        "# HELP flower_worker_online Worker online status\n# TYPE flower_worker_online gauge\n",
    );
    for w in workers(d) {
        s.push_str(&format!("flower_worker_online{{worker=\"{w}\"}} 1.0\n"));
    }
    s.push_str("# HELP flower_events_total Number of events\n# TYPE flower_events_total counter\n");
    for w in workers(d) {
        let n = now.rem_euclid(86_400_000) / 20_000;
        s.push_str(&format!("flower_events_total{{task=\"airflow.providers.celery.executors.celery_executor_utils.execute_command\",type=\"task-succeeded\",worker=\"{w}\"}} {n}.0\n"));
    }
    s.push_str("# HELP flower_worker_number_of_currently_executing_tasks Number of tasks currently executing at a worker\n# TYPE flower_worker_number_of_currently_executing_tasks gauge\n");
    for w in workers(d) {
        s.push_str(&format!(
            "flower_worker_number_of_currently_executing_tasks{{worker=\"{w}\"}} 0.0\n"
        ));
    }
    s
}
