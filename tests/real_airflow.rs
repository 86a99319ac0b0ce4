//! astrodash's Airflow client against a real Apache Airflow (2.10, API v1, the example DAGs):
//! start one with `scripts/real-airflow.sh start`, then
//! `eval "$(scripts/real-airflow.sh env)" && cargo test --test real_airflow -- --ignored`.
//! Basic auth towards a plain webserver; through the platform the same client sends the
//! Houston token instead.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use astrodash::airflow::{
    AirflowClient, AirflowError, ApiVersion, Credential, MarkState, Options, Secret,
};
use common::real_airflow::{MAPPED_DAG, a_finished_mapped_run, fleet_reads};

const NEEDS: &str = "needs a real Airflow: scripts/real-airflow.sh";
/// A quick example DAG with no external dependencies: three Python tasks.
const FAST_DAG: &str = "tutorial_taskflow_api";

fn client() -> AirflowClient {
    let var = |name: &str| {
        std::env::var(name)
            .unwrap_or_else(|_| panic!("{name} is not set: {NEEDS}, then eval its env"))
    };
    let credential = Credential::Basic {
        user: var("ASTRODASH_REAL_AIRFLOW_USER"),
        password: Secret::from(var("ASTRODASH_REAL_AIRFLOW_PASSWORD")),
    };
    let url = var("ASTRODASH_REAL_AIRFLOW_URL");
    AirflowClient::new(
        &url,
        credential,
        ApiVersion::for_airflow("2.10.5"),
        &Options::default(),
    )
    .unwrap()
}

#[tokio::test]
#[ignore = "needs a real Airflow: scripts/real-airflow.sh"]
async fn health_and_the_example_dags() {
    let c = client();
    let health = c.health().await.unwrap();
    assert_eq!(health.metadatabase.status.as_deref(), Some("healthy"));
    assert_eq!(health.scheduler.status.as_deref(), Some("healthy"));
    assert!(health.scheduler.latest_heartbeat.is_some());
    let dags = c.dags().await.unwrap();
    // Airflow 2.10 ships about 60 example DAGs, read in pages.
    assert!(dags.len() > 40, "only {} DAGs", dags.len());
    let fast = dags
        .iter()
        .find(|d| d.dag_id == FAST_DAG)
        .expect("the fast example DAG");
    assert!(fast.owners.iter().any(|o| o == "airflow"), "{fast:?}");
    assert!(
        dags.iter().any(|d| d.schedule.is_some()),
        "some example DAG has a schedule"
    );
    // An example that fails to import (a dependency's version) shows as what Airflow reports.
    for error in c.import_errors().await.unwrap() {
        assert!(
            !error.filename.is_empty() && !error.stack_trace.is_empty(),
            "{error:?}"
        );
    }
}

#[tokio::test]
#[ignore = "needs a real Airflow: scripts/real-airflow.sh"]
async fn pause_and_unpause_are_what_airflow_then_reports() {
    let c = client();
    let dag = "example_bash_operator";
    assert!(!c.set_paused(dag, false).await.unwrap().is_paused);
    let listed = c.dags().await.unwrap();
    assert!(!listed.iter().find(|d| d.dag_id == dag).unwrap().is_paused);
    assert!(c.set_paused(dag, true).await.unwrap().is_paused);
    let listed = c.dags().await.unwrap();
    assert!(listed.iter().find(|d| d.dag_id == dag).unwrap().is_paused);
}

#[tokio::test]
#[ignore = "needs a real Airflow: scripts/real-airflow.sh"]
async fn a_trigger_creates_a_run_whose_task_log_can_be_read() {
    let c = client();
    // A paused DAG's runs are created but not scheduled: unpause it first.
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
    let across = c.runs_across(&[], None, 100).await.unwrap();
    assert!(across.iter().any(|r| r.dag_run_id == run.dag_run_id));
    fleet_reads(&c).await;

    // Bounded wait for the first task to have run and logged.
    let deadline = Instant::now() + Duration::from_secs(240);
    let task = loop {
        let tis = c.task_instances(FAST_DAG, &run.dag_run_id).await.unwrap();
        assert!(!tis.is_empty(), "the run has task instances");
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
    assert!(
        log.contains(&task.task_id) || log.contains("Task exited"),
        "{log}"
    );
    c.set_paused(FAST_DAG, true).await.unwrap();
}

#[tokio::test]
#[ignore = "needs a real Airflow: scripts/real-airflow.sh"]
async fn a_mapped_tasks_instances_each_have_their_own_log_and_mark() {
    let c = client();
    let (run_id, tis) = a_finished_mapped_run(&c).await;
    let mut mapped: Vec<i64> = tis
        .iter()
        .filter(|t| t.task_id == "add_one")
        .map(|t| t.map_index)
        .collect();
    mapped.sort_unstable();
    assert_eq!(mapped, [0, 1, 2], "{tis:?}");
    assert!(
        tis.iter()
            .any(|t| t.task_id == "sum_it" && t.map_index == -1)
    );
    let one = tis
        .iter()
        .find(|t| t.task_id == "add_one" && t.map_index == 1)
        .unwrap();
    assert_eq!(one.name, "add_one[1]");

    // Map index 1 ran add_one(2): its own log says so.
    let log = c
        .task_log(MAPPED_DAG, &run_id, "add_one", 1, one.try_number)
        .await
        .unwrap();
    assert!(log.contains("map_index=1"), "{log}");
    assert!(log.contains("Returned value was: 3"), "{log}");
    // Without its map index Airflow has no such instance.
    let unmapped = c
        .task_log(MAPPED_DAG, &run_id, "add_one", -1, one.try_number)
        .await
        .unwrap_err();
    assert!(unmapped.is_not_found(), "{unmapped:?}");

    // Marked through the endpoint that takes the map index: that instance alone.
    c.mark_task_instance(MAPPED_DAG, &run_id, "add_one", 1, MarkState::Failed)
        .await
        .unwrap();
    let after = c.task_instances(MAPPED_DAG, &run_id).await.unwrap();
    for t in after.iter().filter(|t| t.task_id == "add_one") {
        let want = if t.map_index == 1 {
            "failed"
        } else {
            "success"
        };
        assert_eq!(t.state.as_deref(), Some(want), "{after:?}");
    }
    // Airflow 2's clear takes task ids only: one instance cannot be cleared alone.
    let refused = c
        .clear_task_instance(MAPPED_DAG, &run_id, "add_one", 1, false)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, AirflowError::Unsupported(_)),
        "{refused:?}"
    );
}

#[tokio::test]
#[ignore = "needs a real Airflow: scripts/real-airflow.sh"]
async fn a_wrong_password_is_airflows_own_refusal_and_a_permission_error() {
    let url = std::env::var("ASTRODASH_REAL_AIRFLOW_URL").expect(NEEDS);
    let credential = Credential::Basic {
        user: "admin".into(),
        password: Secret::from("wrong"),
    };
    let c = AirflowClient::new(&url, credential, ApiVersion::V1, &Options::default()).unwrap();
    let err = c.dags().await.unwrap_err();
    assert!(err.is_permission_denied(), "{err:?}");
    assert_eq!(err.status(), Some(401));
}
