//! astrodash's Airflow client against a real Apache Airflow 3 (API v2, the example DAGs): start
//! one with `scripts/real-airflow3.sh start`, then
//! `eval "$(scripts/real-airflow3.sh env)" && cargo test --test real_airflow3 -- --ignored`.
//! Airflow 3's simple auth manager issues a JWT for a user's password (`POST /auth/token`); the
//! client sends it as `Bearer`, as it sends Houston's token through the platform.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use astrodash::airflow::{AirflowClient, ApiVersion, Credential, MarkState, Options, Secret};
use common::real_airflow::{MAPPED_DAG, a_finished_mapped_run, fleet_reads};

const NEEDS: &str = "needs a real Airflow 3: scripts/real-airflow3.sh";
/// A quick example DAG with no external dependencies: three Python tasks.
const FAST_DAG: &str = "tutorial_taskflow_api";

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: {NEEDS}, then eval its env"))
}

/// A JWT for the admin user, from Airflow 3's own token endpoint.
async fn token(url: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{url}/auth/token"))
        .json(&serde_json::json!({"username": var("ASTRODASH_REAL_AIRFLOW3_USER"), "password": password}))
        .send()
        .await
        .unwrap()
}

async fn client() -> AirflowClient {
    let url = var("ASTRODASH_REAL_AIRFLOW3_URL");
    let reply = token(&url, &var("ASTRODASH_REAL_AIRFLOW3_PASSWORD")).await;
    assert!(reply.status().is_success(), "{reply:?}");
    let body: serde_json::Value = reply.json().await.unwrap();
    let jwt = body["access_token"]
        .as_str()
        .expect("access_token")
        .to_string();
    AirflowClient::new(
        &url,
        Credential::Bearer(Secret::from(jwt)),
        ApiVersion::for_airflow("3.1.8"),
        &Options::default(),
    )
    .unwrap()
}

#[tokio::test]
#[ignore = "needs a real Airflow 3: scripts/real-airflow3.sh"]
async fn health_and_the_example_dags_through_api_v2() {
    let c = client().await;
    let health = c.health().await.unwrap();
    assert_eq!(health.metadatabase.status.as_deref(), Some("healthy"));
    assert_eq!(health.scheduler.status.as_deref(), Some("healthy"));
    assert!(health.scheduler.latest_heartbeat.is_some());
    // Airflow 3 runs its DAG processor on its own and reports it.
    assert_eq!(health.dag_processor.status.as_deref(), Some("healthy"));
    assert!(health.dag_processor.latest_heartbeat.is_some());
    let dags = c.dags().await.unwrap();
    // Airflow 3.1 ships about 80 example DAGs, read in pages of at most 100.
    assert!(dags.len() > 40, "only {} DAGs", dags.len());
    let fast = dags
        .iter()
        .find(|d| d.dag_id == FAST_DAG)
        .expect("the fast example DAG");
    assert!(fast.owners.iter().any(|o| o == "airflow"), "{fast:?}");
    assert!(
        dags.iter().any(|d| d.schedule.is_some()),
        "some example DAG has a schedule (timetable_summary)"
    );
    for error in c.import_errors().await.unwrap() {
        assert!(
            !error.filename.is_empty() && !error.stack_trace.is_empty(),
            "{error:?}"
        );
    }
}

#[tokio::test]
#[ignore = "needs a real Airflow 3: scripts/real-airflow3.sh"]
async fn pause_and_unpause_are_what_airflow_3_then_reports() {
    let c = client().await;
    let dag = "example_bash_operator";
    assert!(!c.set_paused(dag, false).await.unwrap().is_paused);
    let listed = c.dags().await.unwrap();
    assert!(!listed.iter().find(|d| d.dag_id == dag).unwrap().is_paused);
    assert!(c.set_paused(dag, true).await.unwrap().is_paused);
    let listed = c.dags().await.unwrap();
    assert!(listed.iter().find(|d| d.dag_id == dag).unwrap().is_paused);
}

#[tokio::test]
#[ignore = "needs a real Airflow 3: scripts/real-airflow3.sh"]
async fn a_trigger_creates_a_run_whose_task_log_can_be_read_through_api_v2() {
    let c = client().await;
    c.set_paused(FAST_DAG, false).await.unwrap();
    let run = c
        .trigger(FAST_DAG, Some(serde_json::json!({"from": "astrodash"})))
        .await
        .unwrap();
    assert_eq!(run.dag_id, FAST_DAG);
    assert_eq!(run.run_type.as_deref(), Some("manual"));
    let runs = c.dag_runs(FAST_DAG, 25).await.unwrap();
    let listed = runs
        .iter()
        .find(|r| r.dag_run_id == run.dag_run_id)
        .expect("the new run is listed");
    assert_eq!(listed.conf, Some(serde_json::json!({"from": "astrodash"})));
    fleet_reads(&c).await;

    // Bounded wait for the first task to have run and logged.
    let deadline = Instant::now() + Duration::from_secs(240);
    let task = loop {
        let tis = c.task_instances(FAST_DAG, &run.dag_run_id).await.unwrap();
        if let Some(done) = tis
            .iter()
            .find(|t| matches!(t.state.as_deref(), Some("success" | "failed")))
        {
            break done.clone();
        }
        assert!(
            Instant::now() < deadline,
            "no task finished within 4 minutes: {tis:?}"
        );
        tokio::time::sleep(Duration::from_secs(3)).await;
    };
    assert!(task.try_number >= 1 && task.operator.is_some(), "{task:?}");
    let log = c
        .task_log(
            FAST_DAG,
            &run.dag_run_id,
            &task.task_id,
            -1,
            task.try_number,
        )
        .await
        .unwrap();
    // Its own lines, not only Airflow 3's "::group::" frame around the log's source (what
    // comes back when the tasks log nothing at the configured level).
    assert!(
        log.contains("Returned value was") || log.contains("Task instance is in running state"),
        "not the task's own log, {task:?}:\n{log}"
    );
    c.set_paused(FAST_DAG, true).await.unwrap();
}

/// State per map index of `add_one` in the run.
async fn add_one_states(c: &AirflowClient, run_id: &str) -> Vec<(i64, String)> {
    let mut states: Vec<(i64, String)> = c
        .task_instances(MAPPED_DAG, run_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.task_id == "add_one")
        .map(|t| (t.map_index, t.state.unwrap_or_default()))
        .collect();
    states.sort();
    states
}

#[tokio::test]
#[ignore = "needs a real Airflow 3: scripts/real-airflow3.sh"]
async fn a_mapped_tasks_instances_each_have_their_own_log_mark_and_clear() {
    let c = client().await;
    let (run_id, tis) = a_finished_mapped_run(&c).await;
    let states = add_one_states(&c, &run_id).await;
    let success = |i: i64| (i, "success".to_string());
    assert_eq!(states, [success(0), success(1), success(2)], "{tis:?}");

    // Each instance's own log: map index 1 ran add_one(2), map index 0 add_one(1).
    let one = tis
        .iter()
        .find(|t| t.task_id == "add_one" && t.map_index == 1)
        .unwrap();
    let log = c
        .task_log(MAPPED_DAG, &run_id, "add_one", 1, one.try_number)
        .await
        .unwrap();
    assert!(log.contains("Returned value was: 3"), "{log}");
    let log = c
        .task_log(MAPPED_DAG, &run_id, "add_one", 0, one.try_number)
        .await
        .unwrap();
    assert!(log.contains("Returned value was: 2"), "{log}");

    // Mark map index 2 failed (no `dry_run`: Airflow 3 refuses fields it does not know).
    c.mark_task_instance(MAPPED_DAG, &run_id, "add_one", 2, MarkState::Failed)
        .await
        .unwrap();
    let states = add_one_states(&c, &run_id).await;
    assert_eq!(
        states,
        [success(0), success(1), (2, "failed".to_string())],
        "that instance alone"
    );
    // Clear map index 1 alone (`[task_id, map_index]`): it runs again, its siblings stay.
    c.clear_task_instance(MAPPED_DAG, &run_id, "add_one", 1, false)
        .await
        .unwrap();
    let states = add_one_states(&c, &run_id).await;
    assert_eq!(states[0], success(0), "{states:?}");
    assert_ne!(states[1], success(1), "cleared: {states:?}");
    assert_eq!(states[2], (2, "failed".to_string()), "{states:?}");
}

#[tokio::test]
#[ignore = "needs a real Airflow 3: scripts/real-airflow3.sh"]
async fn a_wrong_password_gets_no_token_and_no_token_is_a_permission_error() {
    let url = var("ASTRODASH_REAL_AIRFLOW3_URL");
    assert_eq!(token(&url, "wrong").await.status().as_u16(), 401);
    let c =
        AirflowClient::new(&url, Credential::None, ApiVersion::V2, &Options::default()).unwrap();
    let err = c.dags().await.unwrap_err();
    assert!(err.is_permission_denied(), "{err:?}");
    assert_eq!(err.status(), Some(401));
}
