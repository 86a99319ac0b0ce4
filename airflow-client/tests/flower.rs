//! The Flower client: workers with their status, tasks, and Flower 2's refusal of its API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use airflow_client::{AirflowError, Credential, FlowerClient, Options};
use common::{Answer, Server};

fn flower(seen: &common::Seen) -> Answer {
    match (seen.path.as_str(), seen.param("status").is_some()) {
        ("/rel/flower/api/workers", false) => Answer::json(serde_json::json!({
            "celery@w-1": {"stats": {"pool": {"max-concurrency": 16}, "total": {"a": 3, "b": 4}},
                "active": [{"id": 1}, {"id": 2}]},
            "celery@w-0": {"stats": {"pool": {"max-concurrency": 8}, "total": {}}, "active": []}})),
        ("/rel/flower/api/workers", true) => {
            Answer::json(serde_json::json!({"celery@w-1": true, "celery@w-0": false}))
        }
        ("/rel/flower/api/tasks", _) => Answer::json(serde_json::json!({
            "u-1": {"name": "airflow.execute", "state": "SUCCESS", "worker": "celery@w-1", "received": 1.5, "runtime": 0.2}})),
        ("/rel/flower/healthcheck", _) => Answer::with(200, "text/plain", "OK"),
        ("/rel/flower/metrics", _) => Answer::with(
            200,
            "text/plain",
            "flower_worker_online{worker=\"celery@w-1\"} 1.0\n",
        ),
        _ => Answer::not_found(),
    }
}

#[tokio::test]
async fn workers_tasks_health_and_metrics() {
    let server = Server::start("/rel/flower", flower).await;
    let c = FlowerClient::new(&server.url, Credential::None, &Options::default()).unwrap();
    let workers = c.workers().await.unwrap();
    assert_eq!(workers.len(), 2);
    assert_eq!(
        (workers[0].name.as_str(), workers[0].online),
        ("celery@w-0", Some(false))
    );
    assert_eq!(
        (
            workers[1].pool_size,
            workers[1].active,
            workers[1].processed
        ),
        (Some(16), 2, 7)
    );
    let tasks = c.tasks(10).await.unwrap();
    assert_eq!(tasks[0].state.as_deref(), Some("SUCCESS"));
    assert_eq!(c.healthcheck().await.unwrap(), "OK");
    assert_eq!(
        c.metrics().await.unwrap().workers_online,
        vec![("celery@w-1".to_string(), true)]
    );
}

#[tokio::test]
async fn flower_two_refusing_its_api_is_said_as_such_while_health_answers() {
    let server = Server::start("/rel/flower", |seen: &common::Seen| {
        if seen.path.starts_with("/rel/flower/api/") {
            Answer::with(401, "text/html; charset=UTF-8",
                "FLOWER_UNAUTHENTICATED_API environment variable is required to enable API without authentication")
        } else {
            flower(seen)
        }
    })
    .await;
    let c = FlowerClient::new(&server.url, Credential::None, &Options::default()).unwrap();
    let err = c.workers().await.unwrap_err();
    assert_eq!(err, AirflowError::FlowerUnauthenticated);
    assert!(
        err.to_string()
            .contains("only its health check and metrics answer")
    );
    assert_eq!(c.healthcheck().await.unwrap(), "OK");
}
