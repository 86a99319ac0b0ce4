//! Actions on a deployment's simulated Airflow (pause, trigger, clear, mark) and what later
//! reads return, Airflow's role check (a Viewer may read, not act), the simulated Flower
//! (and Flower 2's refusal), the HTML roots, and the proxy to a real Airflow webserver.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};

use common::airflow::{Reply, fixed_clock, seeded_at_clock};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn enc(run_id: &str) -> String {
    run_id.replace('+', "%2B").replace(':', "%3A")
}

fn assert_forbidden_problem(r: &Reply) {
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(r.content_type, "application/problem+json");
    let p = r.json();
    assert_eq!(
        (p["status"].clone(), p["title"].clone()),
        (json!(403), json!("Forbidden"))
    );
}

/// The first scheduled, unpaused DAG of a deployment and its newest run.
async fn a_dag_and_run(s: &Srv, api: &str, state: &str) -> (String, Value) {
    let runs = s
        .af_send(
            ADMIN,
            Method::POST,
            &format!("{api}/dags/~/dagRuns/list"),
            json!({"states": [state], "order_by": "-execution_date"}),
        )
        .await
        .json();
    let run = runs["dag_runs"][0].clone();
    (run["dag_id"].as_str().unwrap().to_string(), run)
}

#[tokio::test]
async fn a_viewer_may_read_but_not_act() {
    let s = seeded_at_clock(fixed_clock()).await;
    let (_, core) = s.deployment("Core ETL").await;
    let api = format!("{core}/airflow/api/v1");
    let (dag, run) = a_dag_and_run(&s, &api, "success").await;
    let run_path = format!(
        "{api}/dags/{dag}/dagRuns/{}",
        enc(run["dag_run_id"].as_str().unwrap())
    );
    let before = s.af_get(VERA, &format!("{api}/dags/{dag}")).await;
    let attempts = [
        (
            Method::PATCH,
            format!("{api}/dags/{dag}?update_mask=is_paused"),
            json!({"is_paused": true}),
        ),
        (
            Method::POST,
            format!("{api}/dags/{dag}/dagRuns"),
            json!({"conf": {}}),
        ),
        (
            Method::POST,
            format!("{api}/dags/{dag}/clearTaskInstances"),
            json!({"dry_run": false, "only_failed": false}),
        ),
        (Method::PATCH, run_path.clone(), json!({"state": "failed"})),
    ];
    for (method, path, body) in attempts {
        assert_forbidden_problem(&s.af_send(VERA, method, &path, body).await);
    }
    assert_eq!(s.af_get(VERA, &format!("{api}/dags/{dag}")).await, before);
    assert_eq!(s.af_get(VERA, &run_path).await, run);
}

#[tokio::test]
async fn pause_and_trigger_change_what_later_reads_return() {
    let s = seeded_at_clock(fixed_clock()).await;
    let (_, core) = s.deployment("Core ETL").await;
    let api = format!("{core}/airflow/api/v1");
    let (dag, _) = a_dag_and_run(&s, &api, "success").await;

    // LINUS is WORKSPACE_EDITOR: Airflow's User role.
    let paused = s
        .af_send(
            LINUS,
            Method::PATCH,
            &format!("{api}/dags/{dag}?update_mask=is_paused"),
            json!({"is_paused": true}),
        )
        .await;
    assert_eq!(paused.status, StatusCode::OK, "{}", paused.text);
    assert_eq!(paused.json()["is_paused"], true);
    assert_eq!(
        s.af_get(VERA, &format!("{api}/dags/{dag}")).await["is_paused"],
        true
    );
    let listed = s.af_get(VERA, &format!("{api}/dags?paused=true")).await;
    assert!(
        listed["dags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["dag_id"] == dag.as_str())
    );

    // A run triggered on a paused DAG waits, queued, with its conf.
    let trigger = format!("{api}/dags/{dag}/dagRuns");
    let made = s
        .af_send(
            LINUS,
            Method::POST,
            &trigger,
            json!({"conf": {"table": "orders"}}),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    let made = made.json();
    assert_eq!(
        (made["run_type"].clone(), made["state"].clone()),
        (json!("manual"), json!("queued"))
    );
    assert!(made["dag_run_id"].as_str().unwrap().starts_with("manual__"));
    let id = made["dag_run_id"].as_str().unwrap();
    let read = s
        .af_get(VERA, &format!("{api}/dags/{dag}/dagRuns/{}", enc(id)))
        .await;
    assert_eq!(read["conf"], json!({"table": "orders"}));
    let newest = s
        .af_get(VERA, &format!("{trigger}?order_by=-execution_date&limit=1"))
        .await;
    assert_eq!(newest["dag_runs"][0]["dag_run_id"], id);
    // The same run id again: 409.
    let again = s
        .af_send(LINUS, Method::POST, &trigger, json!({"dag_run_id": id}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // A conf that is not an object: 400.
    let bad = s
        .af_send(LINUS, Method::POST, &trigger, json!({"conf": [1]}))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Unpaused again.
    let un = s
        .af_send(
            LINUS,
            Method::PATCH,
            &format!("{api}/dags/{dag}"),
            json!({"is_paused": false}),
        )
        .await;
    assert_eq!(un.json()["is_paused"], false);
}

#[tokio::test]
async fn clear_and_mark_change_task_and_run_states() {
    let s = seeded_at_clock(fixed_clock()).await;
    // Email Metrics (Marketing Analytics, UNHEALTHY): LINUS is an editor there.
    let (_, email) = s.deployment("Email Metrics").await;
    let api = format!("{email}/airflow/api/v1");
    let (dag, run) = a_dag_and_run(&s, &api, "failed").await;
    let run_id = run["dag_run_id"].as_str().unwrap();
    let run_path = format!("{api}/dags/{dag}/dagRuns/{}", enc(run_id));
    let tis = s.af_get(VERA, &format!("{run_path}/taskInstances")).await;
    let tis = tis["task_instances"].as_array().unwrap().clone();
    let failed = tis.iter().find(|t| t["state"] == "failed").unwrap();
    let task = failed["task_id"].as_str().unwrap();
    let downstream: Vec<&Value> = tis
        .iter()
        .filter(|t| t["state"] == "upstream_failed")
        .collect();
    let clear = format!("{api}/dags/{dag}/clearTaskInstances");
    let body = json!({"dag_run_id": run_id, "task_ids": [task], "include_downstream": true});

    // A dry run (the default) names what would be cleared and changes nothing.
    let dry = s
        .af_send(LINUS, Method::POST, &clear, body.clone())
        .await
        .json();
    let named: Vec<&str> = dry["task_instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["task_id"].as_str().unwrap())
        .collect();
    assert_eq!(named.len(), 1 + downstream.len(), "{dry}");
    assert_eq!(named[0], task);
    assert_eq!(s.af_get(VERA, &run_path).await["state"], "failed");

    // For real: the task and its downstream run again, with one more try.
    let mut real = body.clone();
    real["dry_run"] = json!(false);
    let done = s.af_send(LINUS, Method::POST, &clear, real).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    let ti = s
        .af_get(VERA, &format!("{run_path}/taskInstances/{task}"))
        .await;
    assert_eq!(ti["state"], "queued");
    assert_eq!(
        ti["try_number"].as_u64().unwrap(),
        failed["try_number"].as_u64().unwrap() + 1
    );
    for d in &downstream {
        let t = s
            .af_get(
                VERA,
                &format!(
                    "{run_path}/taskInstances/{}",
                    d["task_id"].as_str().unwrap()
                ),
            )
            .await;
        assert_eq!(t["state"], "queued", "{t}");
    }
    // The run is back in progress: queued again, or running when tasks before the cleared
    // one had started.
    let again = s.af_get(VERA, &run_path).await["state"].clone();
    let started = tis.iter().any(|t| t["state"] == "success");
    assert_eq!(again, if started { "running" } else { "queued" });

    // Mark the task success, then the whole run failed.
    let marked = s
        .af_send(
            LINUS,
            Method::PATCH,
            &format!("{run_path}/taskInstances/{task}"),
            json!({"new_state": "success"}),
        )
        .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text);
    assert_eq!(marked.json()["task_id"], task);
    assert_eq!(
        s.af_get(VERA, &format!("{run_path}/taskInstances/{task}"))
            .await["state"],
        "success"
    );
    let run_failed = s
        .af_send(LINUS, Method::PATCH, &run_path, json!({"state": "failed"}))
        .await;
    assert_eq!(run_failed.json()["state"], "failed");
    assert_eq!(s.af_get(VERA, &run_path).await["state"], "failed");
    let after = s.af_get(VERA, &format!("{run_path}/taskInstances")).await;
    assert!(
        after["task_instances"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["state"] != "queued" && t["state"] != "running")
    );
    // A state Airflow does not accept: 400.
    let bad = s
        .af_send(LINUS, Method::PATCH, &run_path, json!({"state": "banana"}))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn airflow_3_actions_follow_its_api() {
    let s = seeded_at_clock(fixed_clock()).await;
    let (_, play) = s.deployment("Playground").await;
    let api = format!("{play}/airflow/api/v2");
    let dags = s.af_get(ADMIN, &format!("{api}/dags?limit=1")).await;
    let dag = dags["dags"][0]["dag_id"].as_str().unwrap().to_string();
    let trigger = format!("{api}/dags/{dag}/dagRuns");
    // Airflow 3 requires `logical_date` (null for none).
    let missing = s
        .af_send(ADMIN, Method::POST, &trigger, json!({"conf": {}}))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let made = s
        .af_send(
            ADMIN,
            Method::POST,
            &trigger,
            json!({"logical_date": null, "conf": {}}),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    assert_eq!(made.json()["triggered_by"], "rest_api");
    let paused = s
        .af_send(
            ADMIN,
            Method::PATCH,
            &format!("{api}/dags/{dag}"),
            json!({"is_paused": true}),
        )
        .await;
    assert_eq!(paused.json()["is_paused"], true);
}

#[tokio::test]
async fn flower_answers_for_celery_deployments_and_flower_2_refuses_its_api() {
    let s = seeded().await;
    let (_, core) = s.deployment("Core ETL").await;
    let workers = s.af_get(VERA, &format!("{core}/flower/api/workers")).await;
    let names: Vec<&String> = workers.as_object().unwrap().keys().collect();
    assert_eq!(names.len(), 3, "Core ETL has three workers: {workers}");
    assert!(names[0].starts_with(&format!("celery@{core}-worker-")));
    assert!(workers[names[0]]["stats"]["pool"]["max-concurrency"].is_number());
    let status = s
        .af_get(VERA, &format!("{core}/flower/api/workers?status=true"))
        .await;
    assert!(status.as_object().unwrap().values().all(|v| v == true));
    let tasks = s
        .af_get(VERA, &format!("{core}/flower/api/tasks?limit=5"))
        .await;
    assert_eq!(tasks.as_object().unwrap().len(), 5);
    let auth = format!("Bearer {}", s.token(VERA));
    let health = s
        .call(
            Method::GET,
            &format!("{core}/flower/healthcheck"),
            Some(&auth),
            None,
        )
        .await;
    assert_eq!(
        (health.status, health.text.as_str()),
        (StatusCode::OK, "OK")
    );
    let metrics = s
        .call(
            Method::GET,
            &format!("{core}/flower/metrics"),
            Some(&auth),
            None,
        )
        .await;
    assert!(
        metrics.text.contains("flower_worker_online{worker=\""),
        "{}",
        metrics.text
    );
    // The guard covers Flower too.
    let anon = s
        .call(
            Method::GET,
            &format!("{core}/flower/api/workers"),
            None,
            None,
        )
        .await;
    assert_eq!(anon.status, StatusCode::FOUND);

    // Ingestion runs on Astro Runtime: Flower 2 without auth answers only health and metrics.
    let (_, ingestion) = s.deployment("Ingestion").await;
    for path in ["api/workers", "api/tasks"] {
        let r = s
            .call(
                Method::GET,
                &format!("{ingestion}/flower/{path}"),
                Some(&auth),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.text.contains("FLOWER_UNAUTHENTICATED_API"), "{}", r.text);
    }
    let health = s
        .call(
            Method::GET,
            &format!("{ingestion}/flower/healthcheck"),
            Some(&auth),
            None,
        )
        .await;
    assert_eq!(health.status, StatusCode::OK);
    // No Flower without Celery.
    let (_, quality) = s.deployment("Data Quality").await;
    let r = s
        .call(
            Method::GET,
            &format!("{quality}/flower/healthcheck"),
            Some(&auth),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_ui_root_is_a_small_html_page() {
    let s = seeded().await;
    let auth = format!("Bearer {}", s.token(ADMIN));
    let (_, core) = s.deployment("Core ETL").await;
    let (_, play) = s.deployment("Playground").await;
    for (path, words) in [
        (format!("{core}/airflow/"), ["Core ETL", "api/v1/dags"]),
        (format!("{core}/airflow"), ["Core ETL", "api/v1/health"]),
        (format!("{play}/airflow/"), ["Playground", "api/v2/dags"]),
        (format!("{core}/flower/"), ["Core ETL", "api/workers"]),
    ] {
        let r = s.call(Method::GET, &path, Some(&auth), None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(
            r.content_type.starts_with("text/html"),
            "{path}: {}",
            r.content_type
        );
        for w in words {
            assert!(r.text.contains(w), "{path} lacks {w}: {}", r.text);
        }
    }
    // Unknown releases and paths: the ingress's 404.
    let r = s
        .call(Method::GET, "no-such-release/airflow/", Some(&auth), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// What the fake upstream saw: (method, path and query, Authorization, body).
type Seen = Arc<Mutex<Vec<(String, String, String, String)>>>;

/// A tiny HTTP server standing in for a real Airflow webserver.
async fn fake_airflow() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
        let log = log.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
            let auth = parts
                .headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            log.lock().unwrap().push((
                parts.method.to_string(),
                parts.uri.to_string(),
                auth,
                String::from_utf8_lossy(&body).into_owned(),
            ));
            (
                axum::http::StatusCode::CREATED,
                [("content-type", "application/json")],
                r#"{"dags": [], "total_entries": 0, "from": "upstream"}"#,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn a_deployment_can_be_proxied_to_a_real_airflow() {
    let (upstream, seen) = fake_airflow().await;
    let (other, seen_other) = fake_airflow().await;
    // The seed names releases the same every time: learn Core ETL's first.
    let core = seeded().await.deployment("Core ETL").await.1;
    let creds_in_url = upstream.replace("http://", "http://admin:s%40cret@");
    let s = start_with(houston_local::Config {
        airflow: houston_local::AirflowConfig {
            upstream: Some(other.clone()),
            upstreams: [(core.clone(), format!("{creds_in_url}/base"))].into(),
            upstream_user: Some("everyone".into()),
            upstream_password: Some("pw".into()),
            ..Default::default()
        },
        ..test_config()
    })
    .await;

    let r = s
        .af_send(
            VERA,
            Method::POST,
            &format!("{core}/airflow/api/v1/dags/x/dagRuns?a=1"),
            json!({"conf": {}}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "the upstream's status: {}",
        r.text
    );
    assert_eq!(r.json()["from"], "upstream");
    let seen_now = seen.lock().unwrap().clone();
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode("admin:s@cret");
    assert_eq!(
        seen_now,
        vec![(
            "POST".to_string(),
            "/base/api/v1/dags/x/dagRuns?a=1".to_string(),
            format!("Basic {basic}"),
            r#"{"conf":{}}"#.to_string()
        )]
    );

    // A mapped instance's log and mark reach the upstream with their map index.
    let log = "dags/x/dagRuns/r/taskInstances/add_one/logs/1?full_content=true&map_index=1";
    let mark = "dags/x/dagRuns/r/taskInstances/add_one/1";
    s.af_send(
        VERA,
        Method::GET,
        &format!("{core}/airflow/api/v1/{log}"),
        json!(null),
    )
    .await;
    s.af_send(
        VERA,
        Method::PATCH,
        &format!("{core}/airflow/api/v1/{mark}"),
        json!({}),
    )
    .await;
    let paths: Vec<String> = seen.lock().unwrap().drain(1..).map(|r| r.1).collect();
    assert_eq!(
        paths,
        [
            format!("/base/api/v1/{log}"),
            format!("/base/api/v1/{mark}")
        ]
    );

    // The guard still runs first: refused requests never reach the upstream.
    let r = s
        .call(
            Method::GET,
            &format!("{core}/airflow/api/v1/dags"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(seen.lock().unwrap().len(), 1);

    // Every other deployment goes to the default upstream with the configured credentials.
    let (_, quality) = s.deployment("Data Quality").await;
    let r = s
        .af_send(
            ADMIN,
            Method::GET,
            &format!("{quality}/airflow/api/v1/dags"),
            json!(null),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let basic = base64::engine::general_purpose::STANDARD.encode("everyone:pw");
    assert_eq!(seen_other.lock().unwrap()[0].2, format!("Basic {basic}"));
}
