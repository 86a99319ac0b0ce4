//! End to end against houston-local's simulated Airflow and Flower: an UNHEALTHY deployment's
//! Overview shows its scheduler's stale heartbeat and its import errors, `t` then Enter shows a
//! whole stack trace; the Workers tab of a Celery deployment on Astro Runtime (Flower 2) says
//! that Flower refuses its API and lists the workers its metrics name.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{ENTER, ESC, Server, Tui, logged_in};
use serde_json::Value;

/// Every deployment of the demo as (label, release, status, executor, on Runtime).
fn deployments(server: &Server) -> Vec<(String, String, String, String, bool)> {
    let data = server.graphql(
        &server.admin_token(),
        "{ paginatedDeployments(take: -1) { label releaseName status executor runtimeVersion } }",
        serde_json::json!({}),
    );
    let text = |d: &Value, k: &str| d[k].as_str().unwrap_or_default().to_string();
    data["paginatedDeployments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                text(d, "label"),
                text(d, "releaseName"),
                text(d, "status"),
                text(d, "executor"),
                !d["runtimeVersion"].is_null(),
            )
        })
        .collect()
}

/// Open a deployment's dashboard by its label, from anywhere.
fn open(tui: &mut Tui, label: &str) {
    tui.send(&format!(":deploy {label}"));
    tui.send(ENTER);
    tui.wait_for(&format!("› {label} ›"));
}

#[test]
fn an_unhealthy_deployments_airflow_health_import_errors_and_flowers_refusal() {
    let server = Server::demo();
    let all = deployments(&server);
    let unhealthy = all
        .iter()
        .find(|d| d.2 == "UNHEALTHY")
        .expect("the demo has an UNHEALTHY deployment");
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");

    // Its scheduler stopped heartbeating; it has a file that failed to import.
    open(&mut tui, &unhealthy.0);
    let screen = tui.wait_for("failed to import");
    assert!(screen.contains("UNHEALTHY"), "Houston's status:\n{screen}");
    let scheduler = screen
        .lines()
        .find(|l| l.contains("Scheduler"))
        .unwrap_or_default();
    assert!(
        scheduler.contains("unhealthy ·") && scheduler.contains("ago"),
        "a stale heartbeat:\n{screen}"
    );
    assert!(screen.contains("Import errors ("), "{screen}");
    // The whole trace of the first broken file, scrollable.
    tui.send("t");
    tui.send(ENTER);
    let trace = tui.wait_for("Traceback (most recent call last):");
    assert!(trace.contains("stack_trace: |"), "{trace}");
    assert!(
        trace.contains("import error "),
        "the view's title:\n{trace}"
    );
    tui.send(ESC);
    tui.wait_gone("Traceback");
    tui.send("t");

    // A Celery deployment on Astro Runtime runs Flower 2, which refuses its API.
    let runtime_celery = all
        .iter()
        .find(|d| d.3 == "CeleryExecutor" && d.4)
        .expect("the demo has a Celery deployment on Runtime");
    open(&mut tui, &runtime_celery.0);
    tui.send("8");
    let screen = tui.wait_for("/healthcheck: OK");
    assert!(screen.contains("FLOWER_UNAUTHENTICATED_API"), "{screen}");
    let worker = format!("celery@{}-worker-0", runtime_celery.1);
    let screen = tui.wait_for(&worker);
    assert!(screen.contains("online"), "{screen}");
    assert!(
        !screen.contains("<html") && !screen.contains("Could not load"),
        "{screen}"
    );

    // Flower 1 (no Runtime) answers its API: pool sizes come with the workers.
    if let Some(plain) = all.iter().find(|d| d.3 == "CeleryExecutor" && !d.4) {
        open(&mut tui, &plain.0);
        tui.send("8");
        let screen = tui.wait_for(&format!("celery@{}-worker-0", plain.1));
        assert!(!screen.contains("FLOWER_UNAUTHENTICATED_API"), "{screen}");
        assert!(screen.contains("Workers ("), "{screen}");
    }

    tui.send("q");
    assert!(tui.wait_exit().success());
}
