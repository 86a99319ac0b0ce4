//! The `metrics` subscription over the legacy `graphql-ws` protocol (what astrodash and
//! Houston's UI use): shape, movement, an unhealthy deployment, permissions, lifetime.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::ws::*;
use common::*;
use serde_json::{Value, json};

const METRICS: &str = "subscription metrics($deploymentUuid: Uuid!, $metricType: [MetricType], $since: Int, $step: Int) { metrics(deploymentUuid: $deploymentUuid, metricType: $metricType, since: $since, step: $step) { label result } }";

fn ticking(ms: u64) -> houston_local::Config {
    let mut cfg = test_config();
    cfg.metrics_interval_ms = ms;
    cfg
}

/// The next `data` frame's metric list.
async fn next_metrics(ws: &mut Ws) -> Vec<Value> {
    let f = next(ws).await.expect("a frame");
    assert_eq!(f["type"], "data", "{f}");
    assert!(f["payload"].get("errors").is_none(), "{f}");
    f["payload"]["data"]["metrics"].as_array().unwrap().clone()
}

fn result<'a>(metrics: &'a [Value], label: &str) -> &'a Vec<Value> {
    metrics
        .iter()
        .find(|m| m["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {metrics:?}"))["result"]
        .as_array()
        .unwrap()
}

/// The value of a single-series instant vector.
fn scalar(metrics: &[Value], label: &str) -> f64 {
    let r = result(metrics, label);
    let v = &r[0]["value"];
    assert!(v[0].is_number(), "{v}");
    v[1].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn instant_vectors_for_the_requested_types() {
    let s = start_with(ticking(5000)).await;
    let (dep, rn) = s.deployment("Core ETL").await;
    let mut ws = legacy_subscription(
        &s,
        &s.token(VERA),
        METRICS,
        json!({"deploymentUuid": dep, "metricType": ["DEPLOYMENT_STATUS", "DEPLOYMENT_QUOTAS"]}),
        "m",
    )
    .await;
    let m = next_metrics(&mut ws).await;
    let labels: Vec<_> = m.iter().map(|x| x["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "deploymentStatus",
            "schedulerHeartbeat",
            "coreContainerStatus",
            "maxPods",
            "cpuMax",
            "memoryMax",
            "runningPods",
            "reservedCPU",
            "reservedMemory"
        ]
    );
    // Prometheus instant vectors: [{metric: {...}, value: [unix seconds, "string"]}].
    let now = chrono::Utc::now().timestamp() as f64;
    for x in &m {
        for series in x["result"].as_array().unwrap() {
            assert!(series["metric"].is_object(), "{series}");
            let ts = series["value"][0].as_f64().unwrap();
            assert!((ts - now).abs() < 30.0, "{series}");
            assert!(series["value"][1].is_string(), "{series}");
        }
    }
    assert_eq!(
        result(&m, "deploymentStatus")[0]["metric"],
        json!({"release": rn})
    );
    assert_eq!(scalar(&m, "deploymentStatus"), 0.0);
    assert!(scalar(&m, "schedulerHeartbeat") > 0.1);
    // One series per running core container, none waiting.
    let containers = result(&m, "coreContainerStatus");
    assert_eq!(containers.len(), 10);
    assert!(containers.iter().all(|c| c["value"][1] == "0"));
    // Quotas from Core ETL's resources: Celery with 3 workers = 10 pods of 53 AU, and room
    // for a rolling deploy (twice that).
    assert_eq!(scalar(&m, "maxPods"), 20.0);
    assert_eq!(scalar(&m, "cpuMax"), 10.6);
    assert_eq!(scalar(&m, "memoryMax"), 2.0 * 53.0 * 384.0 * 1_048_576.0);
    assert_eq!(scalar(&m, "runningPods"), 50.0);
    assert_eq!(scalar(&m, "reservedMemory"), 50.0);
    s.h.shutdown().await;
}

#[tokio::test]
async fn range_queries_return_matrices_and_values_move_between_ticks() {
    let s = start_with(ticking(300)).await;
    let (dep, _) = s.deployment("Data Quality").await;
    let vars = json!({"deploymentUuid": dep, "metricType": ["DEPLOYMENT_SCHEDULER", "DEPLOYMENT_USAGE", "DEPLOYMENT_TASKS"], "since": 10, "step": 30});
    let mut ws = legacy_subscription(&s, &s.token(ADMIN), METRICS, vars, "r").await;
    let first = next_metrics(&mut ws).await;
    assert_eq!(first.len(), 16);
    let hb = result(&first, "heartbeat");
    let values = hb[0]["values"].as_array().unwrap();
    assert_eq!(values.len(), 21, "10 minutes at 30 s");
    assert!(values.iter().all(|v| v[0].as_i64().unwrap() % 30 == 0));
    assert!(
        values
            .windows(2)
            .all(|w| w[1][0].as_i64() > w[0][0].as_i64())
    );
    // Per-container usage: Kubernetes executor, 5 core pods.
    let cpu = result(&first, "cpuUsage");
    assert_eq!(cpu.len(), 5);
    assert!(cpu.iter().all(|c| {
        c["metric"]["pod_name"].is_string()
            && c["metric"]["namespace"]
                .as_str()
                .unwrap()
                .starts_with("astronomer-")
    }));
    // Instant-only labels stay vectors.
    assert!(
        result(&first, "taskStatus")
            .iter()
            .all(|t| t.get("value").is_some())
    );

    // Instant values move from one tick to the next; counters never go down.
    let vars =
        json!({"deploymentUuid": dep, "metricType": ["DEPLOYMENT_USAGE", "DEPLOYMENT_SCHEDULER"]});
    let mut ws = legacy_subscription(&s, &s.token(ADMIN), METRICS, vars, "i").await;
    let a = next_metrics(&mut ws).await;
    let b = next_metrics(&mut ws).await;
    let ts = |m: &[Value]| result(m, "cpuUsage")[0]["value"][0].as_f64().unwrap();
    assert!(ts(&b) > ts(&a));
    let usage = |m: &[Value]| {
        result(m, "cpuUsage")
            .iter()
            .chain(result(m, "networkRx"))
            .map(|x| x["value"][1].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_ne!(usage(&a), usage(&b), "values move between ticks");
    assert!(scalar(&b, "taskSuccessCount") >= scalar(&a, "taskSuccessCount"));
    s.h.shutdown().await;
}

#[tokio::test]
async fn an_unhealthy_deployment_misses_heartbeats_and_fails_tasks() {
    let s = start_with(ticking(5000)).await;
    let (sick, _) = s.deployment("Email Metrics").await;
    let (well, _) = s.deployment("Reverse ETL").await;
    let token = s.token(ADMIN);
    let vars = |d: &str| json!({"deploymentUuid": d, "since": 5, "step": 60});
    let mut ws = legacy_subscription(&s, &token, METRICS, vars(&sick), "s").await;
    let bad = next_metrics(&mut ws).await;
    let mut ws = legacy_subscription(&s, &token, METRICS, vars(&well), "w").await;
    let good = next_metrics(&mut ws).await;
    assert_eq!(bad.len(), 27, "every label of every type");

    assert!(scalar(&bad, "deploymentStatus") < 0.0);
    assert_eq!(scalar(&bad, "schedulerHeartbeat"), 0.0);
    let beats = |m: &[Value]| -> Vec<f64> {
        result(m, "heartbeat")[0]["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v[1].as_str().unwrap().parse().unwrap())
            .collect()
    };
    assert!(beats(&bad).iter().all(|b| *b == 0.0), "missed heartbeats");
    assert!(beats(&good).iter().all(|b| *b > 10.0));
    let last = |m: &[Value], label: &str| -> f64 {
        let values = result(m, label)[0]["values"].as_array().unwrap();
        values.last().unwrap()[1].as_str().unwrap().parse().unwrap()
    };
    assert!(last(&bad, "failedTasks") > 10.0 * last(&good, "failedTasks"));
    assert!(last(&bad, "taskFailRate") > last(&bad, "taskSuccessRate"));
    assert!(last(&good, "taskSuccessRate") > last(&good, "taskFailRate"));
    assert!(
        result(&bad, "coreContainerStatus")
            .iter()
            .any(|c| c["metric"]
                == json!({"container": "scheduler", "reason": "CrashLoopBackOff"})
                && c["value"][1] == "1")
    );
    s.h.shutdown().await;
}

#[tokio::test]
async fn denied_without_access_and_bad_arguments_refused() {
    let s = start_with(ticking(200)).await;
    let (ml, _) = s.deployment("Feature Store").await;
    let (campaign, _) = s.deployment("Campaign Attribution").await;
    // VERA has no role in ML Research.
    let mut ws = legacy_subscription(
        &s,
        &s.token(VERA),
        METRICS,
        json!({"deploymentUuid": ml}),
        "x",
    )
    .await;
    let f = next(&mut ws).await.unwrap();
    assert_eq!(f["type"], "error", "{f}");
    assert_eq!(f["id"], "x");
    assert_eq!(f["payload"]["extensions"]["code"], "FORBIDDEN");
    // DAN's deployment role is enough for his deployment.
    let mut ws = legacy_subscription(
        &s,
        &s.token(DAN),
        METRICS,
        json!({"deploymentUuid": campaign, "metricType": ["DEPLOYMENT_STATUS"]}),
        "d",
    )
    .await;
    assert_eq!(next_metrics(&mut ws).await.len(), 3);
    for (vars, says) in [
        (json!({"since": 10, "step": 0}), "step must be a positive"),
        (json!({"since": 100_000, "step": 1}), "at most 11000"),
        (json!({"since": -5}), "since must be a positive"),
    ] {
        let mut vars = vars;
        vars["deploymentUuid"] = json!(campaign);
        let mut ws = legacy_subscription(&s, &s.token(ADMIN), METRICS, vars, "b").await;
        let f = next(&mut ws).await.unwrap();
        assert_eq!(f["type"], "error", "{f}");
        assert_eq!(f["payload"]["extensions"]["code"], "BAD_USER_INPUT", "{f}");
        assert!(
            f["payload"]["message"].as_str().unwrap().contains(says),
            "{f}"
        );
    }
    s.h.shutdown().await;
}

#[tokio::test]
async fn the_stream_ends_after_its_lifetime_and_when_access_is_lost() {
    let mut cfg = ticking(200);
    cfg.subscription_max_secs = Some(1);
    let s = start_with(cfg).await;
    let (dep, _) = s.deployment("Core ETL").await;
    let vars = json!({"deploymentUuid": dep, "metricType": ["DEPLOYMENT_STATUS"]});
    let mut ws = legacy_subscription(&s, &s.token(ADMIN), METRICS, vars.clone(), "1").await;
    let frames = frames_until_complete(&mut ws, Duration::from_secs(10)).await;
    assert!(
        frames.iter().filter(|f| f["type"] == "data").count() >= 2,
        "{frames:?}"
    );
    assert_eq!(frames.last().unwrap()["type"], "complete");

    // A token that expires mid-stream: an error, then complete.
    let s = start_with(ticking(200)).await;
    let (dep, _) = s.deployment("Core ETL").await;
    let me = s.ok(VERA, "{ self { user { id } } }", json!({})).await;
    let now = chrono::Utc::now().timestamp();
    let short = s.h.sign_claims(&houston_local::auth::Claims {
        uuid: me["self"]["user"]["id"].as_str().unwrap().to_string(),
        iat: now,
        exp: now + 2,
    });
    let vars = json!({"deploymentUuid": dep, "metricType": ["DEPLOYMENT_STATUS"]});
    let mut ws = legacy_subscription(&s, &short, METRICS, vars, "2").await;
    let frames = frames_until_complete(&mut ws, Duration::from_secs(10)).await;
    let n = frames.len();
    assert!(frames[0]["type"] == "data", "{frames:?}");
    assert_eq!(frames[n - 2]["type"], "error", "{frames:?}");
    assert_eq!(frames[n - 2]["payload"]["extensions"]["code"], "FORBIDDEN");
    assert_eq!(frames[n - 1]["type"], "complete");
    s.h.shutdown().await;
}
