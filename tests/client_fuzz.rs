//! Decoding never panics: well over 10,000 malformed, truncated, oversized and wrongly-typed
//! replies — made by mutating a valid reply of every document in `queries/` — and websocket
//! frames go through the client's decoding (reply classification, then conversion into domain
//! types, exactly as `HoustonClient` does). Each one either decodes (a harmless mutation) or
//! fails with a non-empty error written for an operator.
//!
//! Seeded and reproducible: a failure prints the case (document, mutation, seed) to replay.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::panic::{AssertUnwindSafe, catch_unwind};

use astrodash::houston::metrics::MetricType;
use astrodash::houston::reply::{RawReply, classify_reply};
use astrodash::houston::subscription::Subscription;
use astrodash::houston::ws::{FrameEvent, frame_event, parse_frame};
use astrodash::houston::{ApiError, convert, ops};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const SEED: u64 = 0x5eed_a57e_0da5_b0a7;

/// splitmix64: small, seeded, good enough to pick mutations.
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

fn decode<T: DeserializeOwned>(operation: &str, body: &[u8]) -> Result<T, ApiError> {
    classify_reply(&RawReply {
        url: "https://houston.example.com/v1",
        operation,
        status: 200,
        content_type: Some("application/json"),
        body,
    })
}

type Decoder = fn(&[u8]) -> Result<(), ApiError>;

/// Every document in `queries/`: its name, the client's decode-and-convert path, a valid reply.
fn documents() -> Vec<(&'static str, Decoder, String)> {
    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/houston/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let data = std::fs::read_to_string(path).expect("fixture");
        format!("{{\"data\":{data}}}")
    }
    let service_accounts = fixture("service_accounts.json");
    let deployment_service_accounts =
        service_accounts.replace("workspaceServiceAccounts", "deploymentServiceAccounts");
    let deployment = json!({"data": {"deployment": {
        "id": "d1", "label": "Sales ETL", "description": "nightly", "releaseName": "quasar-1234",
        "namespace": "astronomer-quasar-1234", "executor": "CeleryExecutor", "status": "HEALTHY",
        "airflowVersion": "2.8.1", "desiredAirflowVersion": "2.9.2", "version": "0.35.1",
        "deployInfo": {"current": "deploy-3"},
        "urls": [{"type": "airflow", "url": "https://deployments.example.com/quasar-1234/airflow"}],
        "config": {"scheduler": {"resources": {"cpu": 500, "memory": 1920}, "replicas": 1}},
        "properties": {"extra_au": 2},
        "workspace": {"id": "w1", "label": "Data Platform"},
        "deploymentCapabilities": {"canUpdateDeployment": true, "canDeleteDeployment": false,
            "canUpdateVariables": true, "canCreateServiceAccount": true, "canUpdateUserRole": false},
        "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-02-01T00:00:00.000Z"
    }}});
    let workspace = json!({"data": {"workspace": {
        "id": "w1", "label": "Data Platform", "description": null,
        "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-02T00:00:00Z",
        "deployments": [{"id": "d1"}, {"id": "d2"}],
        "roleBindings": [{"role": "WORKSPACE_ADMIN", "user": {"id": "me-1"}}],
        "workspaceCapabilities": {"canUpdateWorkspace": true, "canDeleteWorkspace": true,
            "canCreateDeployment": true, "canUpdateIAM": true, "canInviteUser": true,
            "canCreateServiceAccount": true}
    }}});
    vec![
        (
            "AppConfig",
            (|b| {
                decode::<ops::app_config::ResponseData>("AppConfig", b).map(|d| {
                    convert::app_config(d);
                })
            }) as Decoder,
            json!({"data": {"appConfig": {"version": "0.35.1", "baseDomain": "example.com"}}})
                .to_string(),
        ),
        (
            "AuthConfig",
            |b| {
                let d = decode::<ops::auth_config::ResponseData>("AuthConfig", b)?;
                convert::auth_config(d).map(drop)
            },
            json!({"data": {"authConfig": {"localEnabled": true, "publicSignup": false,
                "initialSignup": false,
                "providers": [{"name": "okta", "displayName": "Okta", "url": "https://x/okta"}]}}})
            .to_string(),
        ),
        (
            "CreateToken",
            |b| {
                let d = decode::<ops::create_token::ResponseData>("CreateToken", b)?;
                convert::create_token(d).map(drop)
            },
            json!({"data": {"createToken": {"token": {"value": "eyJ.x.y"}}}}).to_string(),
        ),
        (
            "Me",
            |b| {
                let d = decode::<ops::me::ResponseData>("Me", b)?;
                convert::me(d).map(drop)
            },
            fixture("me.json"),
        ),
        (
            "Workspaces",
            |b| {
                let d = decode::<ops::workspaces::ResponseData>("Workspaces", b)?;
                convert::workspaces(d, Some(&"me-1".into()));
                Ok(())
            },
            fixture("workspaces.json"),
        ),
        (
            "Workspace",
            |b| {
                let d = decode::<ops::workspace::ResponseData>("Workspace", b)?;
                convert::workspace(d, Some(&"me-1".into())).map(drop)
            },
            workspace.to_string(),
        ),
        (
            "WorkspaceDeployments",
            |b| {
                let d =
                    decode::<ops::workspace_deployments::ResponseData>("WorkspaceDeployments", b)?;
                convert::workspace_deployments(d);
                Ok(())
            },
            fixture("workspace_deployments_full.json"),
        ),
        (
            "Deployment",
            |b| {
                let d = decode::<ops::deployment::ResponseData>("Deployment", b)?;
                convert::deployment(d).map(drop)
            },
            deployment.to_string(),
        ),
        (
            "WorkspaceUsers",
            |b| {
                let d = decode::<ops::workspace_users::ResponseData>("WorkspaceUsers", b)?;
                convert::workspace_users(d, &"w1".into());
                Ok(())
            },
            fixture("workspace_users.json"),
        ),
        (
            "WorkspaceInvites",
            |b| {
                let d = decode::<ops::workspace_invites::ResponseData>("WorkspaceInvites", b)?;
                convert::workspace_invites(d);
                Ok(())
            },
            json!({"data": {"workspaceInvites": [
                {"id": "i1", "email": "new@example.com", "role": "WORKSPACE_VIEWER",
                 "createdAt": "2026-01-01T00:00:00Z"}]}})
            .to_string(),
        ),
        (
            "WorkspaceServiceAccounts",
            |b| {
                let d = decode::<ops::workspace_service_accounts::ResponseData>(
                    "WorkspaceServiceAccounts",
                    b,
                )?;
                convert::workspace_service_accounts(d);
                Ok(())
            },
            service_accounts,
        ),
        (
            "DeploymentServiceAccounts",
            |b| {
                let d = decode::<ops::deployment_service_accounts::ResponseData>(
                    "DeploymentServiceAccounts",
                    b,
                )?;
                convert::deployment_service_accounts(d);
                Ok(())
            },
            deployment_service_accounts,
        ),
        (
            "DeploymentVariables",
            |b| {
                let d =
                    decode::<ops::deployment_variables::ResponseData>("DeploymentVariables", b)?;
                convert::deployment_variables(d);
                Ok(())
            },
            json!({"data": {"deploymentVariables": [
                {"key": "AIRFLOW__CORE__PARALLELISM", "value": "32", "isSecret": false},
                {"key": "DB_PASSWORD", "value": null, "isSecret": true}]}})
            .to_string(),
        ),
        (
            "DeploymentUsers",
            |b| {
                let d = decode::<ops::deployment_users::ResponseData>("DeploymentUsers", b)?;
                convert::deployment_users(d, &"d1".into());
                Ok(())
            },
            fixture("deployment_users.json"),
        ),
    ]
}

/// An error an operator can read: something is said, and no Rust internals leak.
fn assert_readable(case: &str, error: &ApiError) {
    let text = error.to_string();
    assert!(!text.trim().is_empty(), "{case}: empty error");
    for internal in [
        "struct ",
        "enum ",
        "i64",
        "u64",
        "f64",
        "::",
        "at line ",
        "ResponseData",
        "Some(",
    ] {
        assert!(
            !text.contains(internal),
            "{case}: error text shows {internal:?}: {text}"
        );
    }
}

/// Replacement values for any node: wrong types, nulls, extremes, deep nesting.
fn replacements() -> Vec<Value> {
    let mut deep = json!(1);
    for _ in 0..200 {
        deep = json!([deep]);
    }
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5e308),
        serde_json::from_str("18446744073709551616").unwrap(),
        json!("x"),
        json!("y".repeat(20_000)),
        json!([]),
        json!({}),
        json!([null]),
        deep,
    ]
}

/// Paths (object keys and array indexes) to every node of `value`.
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

/// Cases for one valid reply: (description, bytes).
fn cases(valid: &str, rng: &mut Rng) -> Vec<(String, Vec<u8>)> {
    let bytes = valid.as_bytes();
    let mut out = Vec::new();
    // Truncation at every byte.
    for i in 0..bytes.len() {
        out.push((format!("truncated at byte {i}"), bytes[..i].to_vec()));
    }
    // Every node replaced by every wrong value, and removed.
    let tree: Value = serde_json::from_str(valid).unwrap();
    let mut paths = Vec::new();
    node_paths(&tree, &mut Vec::new(), &mut paths);
    for path in &paths {
        for (n, replacement) in replacements().into_iter().enumerate() {
            let mut mutated = tree.clone();
            *node_mut(&mut mutated, path) = replacement;
            out.push((
                format!("node {path:?} replaced by value #{n}"),
                serde_json::to_vec(&mutated).unwrap(),
            ));
        }
        if let Some((last, parent)) = path.split_last()
            && let Value::String(key) = last
        {
            let mut mutated = tree.clone();
            if let Some(map) = node_mut(&mut mutated, parent).as_object_mut() {
                map.remove(key);
            }
            out.push((
                format!("node {path:?} removed"),
                serde_json::to_vec(&mutated).unwrap(),
            ));
        }
    }
    // errors[] in every shape, with and without data.
    let data = tree.get("data").cloned().unwrap_or(Value::Null);
    for errors in [
        json!("boom"),
        json!(5),
        json!([]),
        json!([null]),
        json!(["text"]),
        json!([{}]),
        json!([{"message": null}]),
        json!([{"message": ""}]),
        json!([{"message": 12, "extensions": "x"}]),
        json!([{"message": "m", "extensions": {"code": 5}}]),
        json!([{"message": "nope", "extensions": {"code": "FORBIDDEN"}}]),
        json!([{"message": "gone", "extensions": {"code": "RESOURCE_NOT_FOUND"}}]),
        json!([{"message": "x".repeat(50_000)}]),
    ] {
        for with_data in [Value::Null, data.clone()] {
            let reply = json!({"data": with_data, "errors": errors});
            out.push((
                format!("errors {errors:.40}"),
                serde_json::to_vec(&reply).unwrap(),
            ));
        }
        out.push((
            "errors without data".into(),
            serde_json::to_vec(&json!({ "errors": errors })).unwrap(),
        ));
    }
    // Random byte damage, invalid UTF-8 included.
    for n in 0..300 {
        let mut damaged = bytes.to_vec();
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
    // Whole replies of the wrong type, and an oversized one.
    for whole in [
        "",
        "null",
        "[]",
        "\"data\"",
        "42",
        "{\"data\":[]}",
        "{\"data\":\"x\"}",
    ] {
        out.push((format!("whole reply {whole:?}"), whole.as_bytes().to_vec()));
    }
    let mut huge = tree.clone();
    if let Some(map) = huge.as_object_mut() {
        map.insert("padding".into(), json!("z".repeat(1 << 20)));
    }
    out.push((
        "1 MiB of padding".into(),
        serde_json::to_vec(&huge).unwrap(),
    ));
    out
}

#[test]
fn no_reply_to_any_document_panics_the_decoder() {
    let mut rng = Rng(SEED);
    let mut total = 0;
    let mut failures = Vec::new();
    for (name, decoder, valid) in documents() {
        // The unmutated reply decodes: the mutations start from something real.
        if let Err(e) = decoder(valid.as_bytes()) {
            panic!("{name}: the valid reply does not decode: {e}");
        }
        for (what, body) in cases(&valid, &mut rng) {
            total += 1;
            let case = format!("{name}, {what} (seed {SEED:#x})");
            match catch_unwind(AssertUnwindSafe(|| decoder(&body))) {
                Ok(Ok(())) => {}
                Ok(Err(error)) => assert_readable(&case, &error),
                Err(_) => failures.push(case),
            }
        }
    }
    assert!(failures.is_empty(), "panicked on: {failures:#?}");
    assert!(total >= 10_000, "only {total} cases");
    println!("{total} replies decoded without a panic");
}

fn log_subscription() -> Subscription {
    Subscription::Log {
        deployment: "d".into(),
        component: None,
        after: None,
        search: None,
    }
}

fn metrics_subscription() -> Subscription {
    Subscription::Metrics {
        deployment: "d".into(),
        types: MetricType::ALL.to_vec(),
        since_minutes: 15,
        step_secs: 15,
    }
}

#[test]
fn no_websocket_frame_panics_the_frame_parser() {
    let mut rng = Rng(SEED ^ 1);
    let valid_frames = [
        json!({"id": "1", "type": "data", "payload": {"data": {"log": {
            "id": "l1", "timestamp": "2026-11-27T03:00:00Z", "component": "scheduler",
            "level": "info", "message": "started"}}}}),
        json!({"id": "1", "type": "error", "payload": {"message": "bad query"}}),
        json!({"id": "1", "type": "error", "payload": [{"message": "bad"}]}),
        json!({"id": "1", "type": "complete"}),
        json!({"type": "ka"}),
        json!({"type": "connection_ack"}),
        json!({"type": "data", "payload": {"data": null, "errors": [{"message": "no",
            "extensions": {"code": "FORBIDDEN"}}]}}),
        json!({"id": "1", "type": "data", "payload": {"data": {"metrics": [
            {"label": "runningTasks", "result": [{"metric": {"deployment": "x"},
                "values": [[1700000000, "1"], [1700000060, "2.5"]]}]},
            {"label": "schedulerHeartbeat", "result": [{"metric": {}, "value": [1700000000.5, "0.2"]}]}
        ]}}}),
    ];
    let mut total = 0;
    let mut failures = Vec::new();
    // Three rounds of each frame's cases (the generator is random, so each round differs).
    for frame in valid_frames.iter().cycle().take(valid_frames.len() * 3) {
        let text = frame.to_string();
        for (what, body) in cases(&text, &mut rng) {
            total += 1;
            let case = format!("frame {text:.60}, {what} (seed {SEED:#x})");
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let text = String::from_utf8_lossy(&body);
                match parse_frame(&text) {
                    Ok(value) => match frame_event(&value) {
                        FrameEvent::Error(error) => Some(error),
                        FrameEvent::Data(data) => {
                            // Whatever shape the data has, turning it into an item never panics.
                            let _ = log_subscription().item(&data);
                            let _ = metrics_subscription().item(&data);
                            None
                        }
                        FrameEvent::Complete | FrameEvent::Ignore => None,
                    },
                    Err(error) => Some(error),
                }
            }));
            match outcome {
                Ok(Some(error)) => assert_readable(&case, &error),
                Ok(None) => {}
                Err(_) => failures.push(case),
            }
        }
    }
    assert!(failures.is_empty(), "panicked on: {failures:#?}");
    assert!(total >= 10_000, "only {total} frames");
    println!("{total} frames parsed without a panic");
}

#[test]
fn a_cut_off_frame_is_explained() {
    let err = parse_frame("{\"type\":\"da").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unexpected reply from Houston: a log stream message ends in the middle (cut off)"
    );
}
