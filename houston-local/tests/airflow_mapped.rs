//! A mapped task in the simulated Airflow: `extract` runs one instance per map index in each
//! run, a failing run fails in one of them, and each instance has its own log (a 404 without
//! its `map_index`), its own mark (`…/taskInstances/extract/{map_index}`) and its own clear
//! (Airflow 3's `[task_id, map_index]`; Airflow 2's schema refuses it), for roles that may act.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::airflow::{fixed_clock, seeded_at_clock};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn enc(run_id: &str) -> String {
    run_id.replace('+', "%2B").replace(':', "%3A")
}

/// The run (its path) of the newest task instance of a mapped task in `state`, and that
/// instance.
async fn a_mapped_instance(s: &Srv, api: &str, state: &str) -> (String, Value) {
    let tis = s
        .af_get(
            ADMIN,
            &format!("{api}/dags/~/dagRuns/~/taskInstances?state={state}&limit=1000"),
        )
        .await;
    let ti = tis["task_instances"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|t| t["map_index"].as_i64().unwrap() >= 0)
        .unwrap_or_else(|| panic!("no mapped instance {state} in {api}"))
        .clone();
    let run_path = format!(
        "{api}/dags/{}/dagRuns/{}",
        ti["dag_id"].as_str().unwrap(),
        enc(ti["dag_run_id"].as_str().unwrap())
    );
    (run_path, ti)
}

/// The task's instances in the run, by map index: (map index, state, try number).
async fn instances(s: &Srv, run_path: &str, task: &str) -> Vec<(i64, String, u64)> {
    let tis = s.af_get(ADMIN, &format!("{run_path}/taskInstances")).await;
    tis["task_instances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["task_id"] == task)
        .map(|t| {
            (
                t["map_index"].as_i64().unwrap(),
                t["state"].as_str().unwrap_or("none").to_string(),
                t["try_number"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_failed_runs_mapped_task_fails_in_one_instance_with_its_own_log_and_mark() {
    let s = seeded_at_clock(fixed_clock()).await;
    // Email Metrics (UNHEALTHY, Airflow 2): LINUS is an editor there, VERA a viewer.
    let (_, email) = s.deployment("Email Metrics").await;
    let api = format!("{email}/airflow/api/v1");
    let (run_path, failed) = a_mapped_instance(&s, &api, "failed").await;
    let task = failed["task_id"].as_str().unwrap();
    let index = failed["map_index"].as_i64().unwrap();
    let before = instances(&s, &run_path, task).await;
    assert_eq!(
        before.iter().map(|i| i.0).collect::<Vec<_>>(),
        [0, 1, 2, 3],
        "{before:?}"
    );
    let failed_count = before.iter().filter(|i| i.1 == "failed").count();
    assert_eq!(failed_count, 1, "one instance failed: {before:?}");

    // Its own log names it; without its map index Airflow finds no such instance.
    let try_number = failed["try_number"].as_u64().unwrap();
    let log_path = format!("{run_path}/taskInstances/{task}/logs/{try_number}");
    let log = s
        .af_get(
            VERA,
            &format!("{log_path}?full_content=true&map_index={index}"),
        )
        .await;
    let text = log["content"].as_str().unwrap();
    assert!(
        text.contains(&format!("map_index={index} [running]")),
        "{text}"
    );
    assert!(text.contains("Marking task as FAILED"), "{text}");
    let unmapped = s.af_send(VERA, Method::GET, &log_path, json!(null)).await;
    assert_eq!(unmapped.status, StatusCode::NOT_FOUND, "{}", unmapped.text);

    // A viewer may not mark it; an editor marks that instance alone.
    let mark = format!("{run_path}/taskInstances/{task}/{index}");
    let body = json!({"new_state": "success", "dry_run": false});
    let refused = s.af_send(VERA, Method::PATCH, &mark, body.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    let marked = s.af_send(LINUS, Method::PATCH, &mark, body).await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text);
    assert_eq!(marked.json()["map_index"], index);
    let after = instances(&s, &run_path, task).await;
    for (was, now) in before.iter().zip(&after) {
        let want = if was.0 == index {
            "success"
        } else {
            was.1.as_str()
        };
        assert_eq!(now.1, want, "{after:?}");
    }
    let one = s.af_get(VERA, &mark).await;
    assert_eq!(
        (one["map_index"].as_i64(), one["state"].as_str()),
        (Some(index), Some("success"))
    );

    // Airflow 2's clear takes task ids only: a [task, map index] pair is a 400.
    let dag = failed["dag_id"].as_str().unwrap();
    let clear = s
        .af_send(
            LINUS,
            Method::POST,
            &format!("{api}/dags/{dag}/clearTaskInstances"),
            json!({"dry_run": false, "dag_run_id": failed["dag_run_id"], "task_ids": [[task, index]]}),
        )
        .await;
    assert_eq!(clear.status, StatusCode::BAD_REQUEST, "{}", clear.text);
    assert_eq!(
        clear.json()["detail"],
        format!("['{task}', {index}] is not of type 'string' - 'task_ids.0'"),
        "Airflow 2.10's words"
    );
    assert_eq!(
        instances(&s, &run_path, task).await,
        after,
        "nothing cleared"
    );
}

#[tokio::test]
async fn airflow_3_clears_one_mapped_instance_and_refuses_unknown_mark_fields() {
    let s = seeded_at_clock(fixed_clock()).await;
    // Web Analytics runs Airflow 3 (`/api/v2`).
    let (_, web) = s.deployment("Web Analytics").await;
    let api = format!("{web}/airflow/api/v2");
    let (run_path, ti) = a_mapped_instance(&s, &api, "success").await;
    let task = ti["task_id"].as_str().unwrap();
    let index = ti["map_index"].as_i64().unwrap();
    assert_eq!(ti["rendered_map_index"], index.to_string());
    let before = instances(&s, &run_path, task).await;
    assert!(before.len() > 1, "{before:?}");

    // Its log, as Airflow 3 gives it (JSON lines), names the instance.
    let log = s
        .af_get(
            ADMIN,
            &format!("{run_path}/taskInstances/{task}/logs/1?full_content=true&map_index={index}"),
        )
        .await;
    assert!(
        log["content"]
            .to_string()
            .contains(&format!("map_index={index} [running]")),
        "{log}"
    );
    let dag = ti["dag_id"].as_str().unwrap();
    let cleared = s
        .af_send(
            ADMIN,
            Method::POST,
            &format!("{api}/dags/{dag}/clearTaskInstances"),
            json!({"dry_run": false, "only_failed": false, "dag_run_id": ti["dag_run_id"],
                   "task_ids": [[task, index]]}),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.text);
    let named = cleared.json()["task_instances"].clone();
    assert_eq!(named.as_array().unwrap().len(), 1, "{named}");
    assert_eq!(named[0]["map_index"], index);
    let after = instances(&s, &run_path, task).await;
    for (was, now) in before.iter().zip(&after) {
        if was.0 == index {
            assert_eq!((now.1.as_str(), now.2), ("queued", was.2 + 1), "{after:?}");
        } else {
            assert_eq!(now, was, "a sibling is untouched: {after:?}");
        }
    }

    // Airflow 3's patch body has no `dry_run` (its own endpoint): 422, nothing marked.
    let mark = format!("{run_path}/taskInstances/{task}/{index}");
    let extra = s
        .af_send(
            ADMIN,
            Method::PATCH,
            &mark,
            json!({"new_state": "failed", "dry_run": false}),
        )
        .await;
    assert_eq!(
        extra.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        extra.text
    );
    let ok = s
        .af_send(ADMIN, Method::PATCH, &mark, json!({"new_state": "failed"}))
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(s.af_get(ADMIN, &mark).await["state"], "failed");
}
