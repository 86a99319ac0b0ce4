//! Decoding Airflow and Flower replies never panics: thousands of truncated, retyped, pruned
//! and byte-damaged variants of a valid reply of every endpoint, under every status and content
//! type that matters, go through the same decoders the clients use. Each one decodes (a
//! harmless change) or fails with a non-empty error that shows no Rust internals.
//!
//! Seeded and reproducible: a failure names the endpoint and the case.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::panic::{AssertUnwindSafe, catch_unwind};

use airflow_client::decode;
use airflow_client::{AirflowError, RawReply};
use serde_json::{Value, json};

const SEED: u64 = 0xa1f1_0a5e_ed00_0014;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

type Decoder = fn(&RawReply<'_>) -> Result<(), AirflowError>;

/// Every endpoint: its name, its decoder, a valid reply.
fn endpoints() -> Vec<(&'static str, Decoder, Value)> {
    vec![
        (
            "dags v1",
            |r| decode::dag_page(r).map(drop),
            json!({"dags": [
            {"dag_id": "etl", "is_paused": false, "is_active": true,
             "schedule_interval": {"__type": "TimeDelta", "days": 1, "seconds": 30, "microseconds": 0},
             "next_dagrun": "2026-12-08T00:00:00+00:00", "has_import_errors": true,
             "owners": ["data", "ops"], "tags": [{"name": "prod"}], "description": "d",
             "fileloc": "/dags/etl.py"}], "total_entries": 1}),
        ),
        (
            "dags v2",
            |r| decode::dag_page(r).map(drop),
            json!({"dags": [
            {"dag_id": "etl", "is_paused": true, "timetable_summary": "@hourly",
             "next_dagrun_logical_date": "2026-12-08T00:00:00Z", "owners": ["data"],
             "tags": [{"name": "prod", "dag_id": "etl"}]}], "total_entries": 1}),
        ),
        (
            "dag",
            |r| decode::dag(r).map(drop),
            json!({"dag_id": "etl", "is_paused": true}),
        ),
        (
            "runs",
            |r| decode::run_page(r).map(drop),
            json!({"dag_runs": [
            {"dag_id": "etl", "dag_run_id": "scheduled__2026-12-07T00:00:00+00:00", "state": "failed",
             "run_type": "scheduled", "execution_date": "2026-12-07T00:00:00+00:00",
             "start_date": "2026-12-07T00:00:01.123456+00:00", "end_date": null,
             "conf": {"nested": {"list": [1, 2]}}}], "total_entries": 5}),
        ),
        (
            "run",
            |r| decode::run(r).map(drop),
            json!({"dag_id": "etl", "run_id": "manual__x",
            "state": "queued", "logical_date": null, "conf": {}}),
        ),
        (
            "task instances",
            |r| decode::task_instance_page(r).map(drop),
            json!({"task_instances": [
            {"task_id": "extract", "dag_id": "etl", "dag_run_id": "r", "map_index": -1,
             "state": "failed", "try_number": 3, "start_date": "2026-12-07T00:00:01+00:00",
             "end_date": "2026-12-07T00:00:09+00:00", "duration": 8.0,
             "operator": "PythonOperator", "hostname": "worker-0"}], "total_entries": 1}),
        ),
        (
            "import errors",
            |r| decode::import_error_page(r).map(drop),
            json!({"import_errors": [
            {"import_error_id": 7, "filename": "/dags/bad.py", "timestamp": "2026-12-07T00:00:00+00:00",
             "stack_trace": "Traceback (most recent call last):\n  SyntaxError"}], "total_entries": 1}),
        ),
        (
            "health",
            |r| decode::health(r).map(drop),
            json!({
            "metadatabase": {"status": "healthy"},
            "scheduler": {"status": "healthy", "latest_scheduler_heartbeat": "2026-12-07T00:00:00+00:00"},
            "triggerer": {"status": null, "latest_triggerer_heartbeat": null},
            "dag_processor": {"status": "healthy", "latest_dag_processor_heartbeat": "2026-12-07T00:00:00Z"}}),
        ),
        (
            "task log v2",
            |r| decode::task_log(r).map(drop),
            json!({"content": [
            {"timestamp": "2026-12-07T00:00:00Z", "level": "info", "event": "start"}, "plain"],
            "continuation_token": "abc"}),
        ),
        (
            "flower workers",
            |r| decode::flower_workers(r, Some(r)).map(drop),
            json!({
            "celery@w-0": {"stats": {"pool": {"max-concurrency": 16}, "total": {"t": 3}},
                "active": [{"id": "x"}]}}),
        ),
        (
            "flower tasks",
            |r| decode::flower_tasks(r).map(drop),
            json!({
            "u-1": {"name": "airflow.execute", "state": "FAILURE", "worker": "celery@w-0",
                "received": 1.5, "runtime": 2.5}}),
        ),
    ]
}

fn replacements() -> Vec<Value> {
    let mut deep = json!(1);
    for _ in 0..200 {
        deep = json!([deep]);
    }
    vec![
        Value::Null,
        json!(true),
        json!(-1),
        json!(1.5e308),
        serde_json::from_str("18446744073709551616").unwrap(),
        json!("x"),
        json!("not-a-date"),
        json!("y".repeat(20_000)),
        json!([]),
        json!({}),
        deep,
    ]
}

fn node_paths(value: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                here.push(json!(k));
                node_paths(v, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                here.push(json!(i));
                node_paths(v, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'v>(value: &'v mut Value, path: &[Value]) -> &'v mut Value {
    path.iter().fold(value, |node, step| match step {
        Value::String(k) => &mut node[k.as_str()],
        Value::Number(i) => &mut node[i.as_u64().unwrap() as usize],
        _ => unreachable!(),
    })
}

/// Bodies made from one valid reply.
fn bodies(valid: &Value, rng: &mut Rng) -> Vec<(String, Vec<u8>)> {
    let bytes = valid.to_string().into_bytes();
    let mut out: Vec<(String, Vec<u8>)> = (0..bytes.len())
        .map(|i| (format!("truncated at {i}"), bytes[..i].to_vec()))
        .collect();
    let mut paths = Vec::new();
    node_paths(valid, &mut Vec::new(), &mut paths);
    for path in &paths {
        for (n, replacement) in replacements().into_iter().enumerate() {
            let mut mutated = valid.clone();
            *node_mut(&mut mutated, path) = replacement;
            out.push((
                format!("{path:?} → #{n}"),
                serde_json::to_vec(&mutated).unwrap(),
            ));
        }
        if let Some((Value::String(key), parent)) = path.split_last() {
            let mut mutated = valid.clone();
            if let Some(map) = node_mut(&mut mutated, parent).as_object_mut() {
                map.remove(key);
            }
            out.push((
                format!("{path:?} removed"),
                serde_json::to_vec(&mutated).unwrap(),
            ));
        }
    }
    for n in 0..200 {
        let mut damaged = bytes.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(damaged.len());
            match rng.below(4) {
                0 => damaged[at] = 0xff,
                1 => damaged[at] = (rng.next() & 0xff) as u8,
                2 => damaged.insert(at, [b'{', b'[', b'"', b'\\', 0xc3][rng.below(5)]),
                _ => {
                    damaged.remove(at);
                }
            }
        }
        out.push((format!("random damage #{n}"), damaged));
    }
    for whole in [
        "",
        "null",
        "[]",
        "42",
        "\"text\"",
        "<html><body>x</body></html>",
        "OK",
    ] {
        out.push((format!("whole {whole:?}"), whole.as_bytes().to_vec()));
    }
    out
}

fn assert_readable(case: &str, error: &AirflowError) {
    let text = error.to_string();
    assert!(!text.trim().is_empty(), "{case}: empty error");
    for internal in ["struct ", "enum ", "::", "Some(", "RawDag", "Page<"] {
        assert!(
            !text.contains(internal),
            "{case}: error shows {internal:?}: {text}"
        );
    }
}

#[test]
fn airflow_and_flower_replies_never_panic() {
    let mut rng = Rng(SEED);
    let mut total = 0;
    // The statuses and content types that reach the decoders: success, a redirect (with and
    // without a login location), a refusal, a proxy error.
    let envelopes: [(u16, Option<&str>, Option<&str>); 6] = [
        (200, Some("application/json"), None),
        (200, None, None),
        (
            302,
            Some("text/html"),
            Some("https://app.example.com/login?rd=x"),
        ),
        (
            308,
            None,
            Some("https://deployments.example.com/rel/airflow"),
        ),
        (403, Some("application/problem+json"), None),
        (502, Some("text/plain"), None),
    ];
    for (name, decoder, valid) in endpoints() {
        for (case, body) in bodies(&valid, &mut rng) {
            // Each body as a success, and once more under another envelope.
            let other = envelopes[1 + rng.below(envelopes.len() - 1)];
            for (status, content_type, location) in [envelopes[0], other] {
                let reply = RawReply {
                    service: "Airflow",
                    status,
                    content_type,
                    location,
                    body: &body,
                };
                let label = format!("{name}: {case} (HTTP {status})");
                match catch_unwind(AssertUnwindSafe(|| decoder(&reply))) {
                    Err(_) => panic!("{label}: panicked"),
                    Ok(Err(error)) => assert_readable(&label, &error),
                    Ok(Ok(())) => {}
                }
                total += 1;
            }
        }
    }
    assert!(total > 10_000, "only {total} cases");
}
