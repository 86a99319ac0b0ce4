//! Deployment logs: the `logs` query, an unhealthy deployment's lines, and lines appearing
//! over time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

/// One line per component per second, and 2000 lines of history per component.
fn with_logs(interval_ms: u64) -> houston_local::Config {
    let mut cfg = test_config();
    cfg.log_interval_ms = interval_ms;
    cfg
}

const LOGS: &str = "query($d: Uuid!, $c: String, $t: DateTime, $s: String) { logs(deploymentUuid: $d, component: $c, timestamp: $t, search: $s) { id timestamp release component level message } }";

fn lines(d: &Value) -> Vec<Value> {
    d["logs"].as_array().unwrap().clone()
}

#[tokio::test]
async fn logs_query() {
    let s = start_with(with_logs(1000)).await;
    let (id, rn) = s.deployment("Core ETL").await;
    let all = lines(&s.ok(VERA, LOGS, json!({"d": id, "s": ""})).await);
    // Newest 800 (Houston's cap), oldest first.
    assert_eq!(all.len(), 800);
    assert!(
        all.windows(2)
            .all(|w| w[0]["timestamp"].as_str() <= w[1]["timestamp"].as_str())
    );
    assert_eq!(all[0]["release"], rn);
    let ids: std::collections::HashSet<_> = all.iter().map(|l| l["id"].clone()).collect();
    assert_eq!(ids.len(), 800, "ids are unique");
    let comps: std::collections::BTreeSet<_> = all
        .iter()
        .map(|l| l["component"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        comps.into_iter().collect::<Vec<_>>(),
        vec!["scheduler", "triggerer", "webserver", "worker"]
    );
    let web = lines(
        &s.ok(VERA, LOGS, json!({"d": id, "c": "webserver", "s": ""}))
            .await,
    );
    assert_eq!(web.len(), 800);
    assert!(
        web.iter().all(|l| l["component"] == "webserver"
            && l["message"].as_str().unwrap().contains("HTTP/1.1\""))
    );
    // Records newer than a timestamp: the same lines (ids, text) as before, then newer ones.
    let mid = all[700]["timestamp"].as_str().unwrap();
    let newer = lines(&s.ok(VERA, LOGS, json!({"d": id, "t": mid})).await);
    assert!(newer.len() >= 99, "{}", newer.len());
    assert_eq!(newer[..99], all[701..]);
    assert!(newer.iter().all(|l| l["timestamp"].as_str().unwrap() > mid));
    let hits = lines(&s.ok(VERA, LOGS, json!({"d": id, "s": "HEARTBEAT"})).await);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|l| {
        l["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("heartbeat")
    }));
    assert!(lines(&s.ok(VERA, LOGS, json!({"d": id, "c": "nonexistent"})).await).is_empty());
    assert_bad_input(
        &s.gql(VERA, LOGS, json!({"d": id, "t": "yesterday"})).await,
        "Invalid timestamp",
    );
    let (ml, _) = s.deployment("Feature Store").await;
    assert_forbidden(&s.gql(VERA, LOGS, json!({"d": ml})).await, "logs");
}

#[tokio::test]
async fn an_unhealthy_deployment_logs_missed_heartbeats_and_errors() {
    let s = start_with(with_logs(1000)).await;
    // Email Metrics is seeded UNHEALTHY; Campaign Attribution is healthy until marked so.
    let (sick, _) = s.deployment("Email Metrics").await;
    let scheduler = |d: &str| json!({"d": d, "c": "scheduler"});
    let sick_lines = lines(&s.ok(ADMIN, LOGS, scheduler(&sick)).await);
    assert!(sick_lines.iter().any(|l| {
        l["message"]
            .as_str()
            .unwrap()
            .contains("Scheduler heartbeat missed")
    }));
    assert!(sick_lines.iter().all(|l| {
        !l["message"]
            .as_str()
            .unwrap()
            .ends_with("Scheduler heartbeat")
    }));
    assert!(sick_lines.iter().filter(|l| l["level"] == "ERROR").count() > 100);

    let (id, rn) = s.deployment("Campaign Attribution").await;
    let before = lines(&s.ok(ADMIN, LOGS, scheduler(&id)).await);
    assert!(
        before
            .iter()
            .all(|l| !l["message"].as_str().unwrap().contains("heartbeat missed"))
    );
    s.h.set_unhealthy(&rn, true).unwrap();
    let marked = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    // Earlier lines keep their text; lines from now on show the failure.
    let after = lines(&s.ok(ADMIN, LOGS, scheduler(&id)).await);
    let last_before = before.last().unwrap();
    let same = after.iter().find(|l| l["id"] == last_before["id"]).unwrap();
    assert_eq!(same, last_before);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let new = lines(
            &s.ok(ADMIN, LOGS, json!({"d": id, "c": "scheduler", "t": marked}))
                .await,
        );
        if new
            .iter()
            .any(|l| l["level"] == "ERROR" || l["level"] == "WARNING")
        {
            assert!(new.iter().all(|l| {
                !l["message"]
                    .as_str()
                    .unwrap()
                    .ends_with("Scheduler heartbeat")
            }));
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{new:?}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn new_log_lines_appear_over_time() {
    let s = start_with(with_logs(20)).await;
    let (id, _) = s.deployment("Playground").await;
    let q = "query($d: Uuid!, $t: DateTime) { logs(deploymentUuid: $d, timestamp: $t) { timestamp component } }";
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let d = loop {
        let d = s.ok(ADMIN, q, json!({"d": id, "t": now})).await;
        let n = d["logs"].as_array().unwrap().len();
        if n >= 6 {
            break d;
        }
        assert!(std::time::Instant::now() < deadline, "only {n} new lines");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let fresh = d["logs"].as_array().unwrap();
    assert!(
        fresh
            .iter()
            .all(|l| l["timestamp"].as_str().unwrap() > now.as_str())
    );
    // Local executor: no worker lines.
    assert!(fresh.iter().all(|l| l["component"] != "worker"));
    // With log lines switched off there are none.
    let quiet = seeded().await;
    let (id, _) = quiet.deployment("Playground").await;
    assert!(lines(&quiet.ok(ADMIN, LOGS, json!({"d": id})).await).is_empty());
}
