//! Throughput of `workspaceDeployments` (the TUI's main list) for 100 and 1,000 deployments.
//! Run with `cargo bench -p houston-local`; not a timed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use houston_local::{Config, Seed};
use serde_json::json;

const QUERY: &str = "query($w: Uuid!) { workspaceDeployments(workspaceUuid: $w) { id label releaseName executor status airflowVersion desiredAirflowVersion version deployInfo { current } urls { type url } createdAt updatedAt workspace { id } } }";
const CLIENTS: usize = 8;
const DURATION: Duration = Duration::from_secs(5);

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// `fresh`: every request carries a unique (ignored) variable, so the response cache never
/// hits and each request resolves the whole list.
async fn run(url: &str, token: &str, ws: &str, fresh: bool) -> (f64, f64, f64, usize) {
    let body = Arc::new(json!({"query": QUERY, "variables": {"w": ws}}).to_string());
    let deadline = Instant::now() + DURATION;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (url, token, body) = (url.to_string(), token.to_string(), body.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut lat = Vec::new();
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                let payload = if fresh {
                    body.replacen("{\"w\"", &format!("{{\"nonce\":{n},\"w\""), 1)
                } else {
                    body.as_str().to_owned()
                };
                let t = Instant::now();
                let r = http
                    .post(&url)
                    .header("Authorization", &token)
                    .header("Content-Type", "application/json")
                    .body(payload)
                    .send()
                    .await
                    .expect("request");
                let bytes = r.bytes().await.expect("body");
                assert!(!bytes.starts_with(b"{\"data\":null"), "request failed");
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("client task"));
    }
    let secs = start.elapsed().as_secs_f64();
    all.sort();
    (
        all.len() as f64 / secs,
        pct(&all, 0.5),
        pct(&all, 0.99),
        all.len(),
    )
}

async fn bench(label: &str, db: Option<std::path::PathBuf>) {
    let h = houston_local::start(Config {
        db,
        seed: Some(Seed::Demo),
        log_interval_ms: 0,
        ..Config::default()
    })
    .await
    .expect("server");
    let big = h.bulk_workspace("Bench Big", 1000).expect("bulk 1000");
    let small = h.bulk_workspace("Bench Small", 100).expect("bulk 100");
    let token = h.issue_token("admin@astrodash.local").expect("token");
    // Sanity check and warm-up.
    let check: serde_json::Value = reqwest::Client::new()
        .post(h.url())
        .header("Authorization", &token)
        .json(&json!({"query": QUERY, "variables": {"w": small}}))
        .send()
        .await
        .expect("warm-up")
        .json()
        .await
        .expect("json");
    assert_eq!(
        check["data"]["workspaceDeployments"]
            .as_array()
            .map(Vec::len),
        Some(100),
        "{check}"
    );
    for (n, ws) in [(100, &small), (1000, &big)] {
        for (fresh, mode) in [
            (false, "repeated (cache hits)"),
            (true, "unique (cache misses)"),
        ] {
            let (rps, p50, p99, count) = run(&h.url(), &token, ws, fresh).await;
            println!(
                "| {label} | {n} | {mode} | {CLIENTS} | {rps:.0} | {p50:.2} | {p99:.2} | {count} |"
            );
        }
    }
    h.shutdown().await;
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        println!(
            "| database | deployments | requests | clients | requests/s | p50 ms | p99 ms | count |"
        );
        println!("|---|---|---|---|---|---|---|---|");
        let dir = tempfile::tempdir().expect("tempdir");
        bench("file (WAL)", Some(dir.path().join("bench.db"))).await;
        bench("in-memory", None).await;
    });
}
