//! Decode time of a 1,000-deployment `workspaceDeployments` reply: JSON bytes → generated types
//! → domain `Deployment`s, exactly the path a real reply takes.
//!
//! Run with `cargo bench --bench decode`; figures go to BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use astrodash::houston::{convert, ops, transport};
use serde_json::json;

fn component(cpu: i64, replicas: Option<i64>) -> serde_json::Value {
    let limits = json!({"cpu": cpu, "memory": cpu / 100 * 384});
    let mut c = json!({"resources": {"limits": limits, "requests": limits}});
    if let Some(r) = replicas {
        c["replicas"] = json!(r);
    }
    c
}

/// A reply shaped like houston-local's (and Houston's) answer to queries/workspace_deployments.graphql.
fn reply(n: usize) -> Vec<u8> {
    let deployments: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let release = format!("stellar-nebula-{i:04}");
            let status = ["HEALTHY", "UNHEALTHY", "DEPLOYING"][i % 3];
            json!({
                "id": format!("ck{i:023}"),
                "label": format!("Deployment number {i}"),
                "description": "Nightly ETL for the warehouse",
                "releaseName": release,
                "namespace": format!("astronomer-{release}"),
                "executor": "CeleryExecutor",
                "status": status,
                "airflowVersion": "2.8.1",
                "desiredAirflowVersion": "2.9.2",
                "version": "1.10.0",
                "deployInfo": {"current": format!("deploy-{}", i % 40)},
                "urls": [
                    {"type": "airflow", "url": format!("https://deployments.astrodash.local/{release}/airflow")},
                    {"type": "flower", "url": format!("https://deployments.astrodash.local/{release}/flower")}
                ],
                "config": {
                    "executor": "CeleryExecutor",
                    "scheduler": component(500, Some(1)), "webserver": component(500, Some(1)),
                    "workers": component(1000, Some(2)), "triggerer": component(500, Some(1)),
                    "statsd": component(200, None), "pgbouncer": component(200, None),
                    "flower": component(200, None), "redis": component(200, None)
                },
                "properties": {"extra_au": 0, "component_version": "2.8.1"},
                "workspace": {"id": "ckworkspace0000000000000001", "label": "Data Platform"},
                "deploymentCapabilities": {
                    "canUpdateDeployment": true, "canDeleteDeployment": true, "canUpdateVariables": true,
                    "canCreateServiceAccount": true, "canUpdateUserRole": true
                },
                "createdAt": "2026-11-20T08:15:00.000Z",
                "updatedAt": "2026-11-27T03:19:46.123Z"
            })
        })
        .collect();
    serde_json::to_vec(&json!({"data": {"workspaceDeployments": deployments}})).expect("json")
}

/// (mean, p50, max) in ms of `f` over `runs` runs.
fn time(runs: usize, mut f: impl FnMut()) -> (f64, f64, f64) {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    (mean, times[times.len() / 2], times[times.len() - 1])
}

fn main() {
    let body = reply(1_000);
    let decode = || -> ops::workspace_deployments::ResponseData {
        transport::decode_reply(200, &body).expect("decodes")
    };
    assert_eq!(convert::workspace_deployments(decode()).len(), 1_000);
    let kib = body.len() / 1024;

    let (mean, p50, max) = time(50, || {
        std::hint::black_box(convert::workspace_deployments(decode()));
    });
    println!(
        "decode + convert 1,000-deployment reply ({kib} KiB): mean {mean:.2} ms  p50 {p50:.2} ms  max {max:.2} ms  (50 runs)"
    );
    let (mean, p50, max) = time(50, || {
        std::hint::black_box(decode());
    });
    println!(
        "  of which JSON → generated types:               mean {mean:.2} ms  p50 {p50:.2} ms  max {max:.2} ms"
    );
    let decoded = decode();
    let (mean, p50, max) = time(50, || {
        std::hint::black_box(convert::workspace_deployments(decoded.clone()));
    });
    println!(
        "  of which generated → domain types (incl. clone): mean {mean:.2} ms  p50 {p50:.2} ms  max {max:.2} ms"
    );
}
