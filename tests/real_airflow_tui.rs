//! The real astrodash binary in a pseudo-terminal against a real Apache Airflow (2.10, the
//! example DAGs) through `astrodash serve --airflow-upstream URL` (basic auth towards it): the
//! walks of `common::upstream` on Core ETL, an Airflow 2 deployment, hence `/api/v1`: the DAGs
//! tab (pause, trigger, a task's log), and a mapped task's instance (`add_one[1]`) to its own log.
//! Start the Airflow with `scripts/real-airflow.sh start`, then
//! `eval "$(scripts/real-airflow.sh env)" && cargo test --test real_airflow_tui -- --ignored`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::{AirflowClient, ApiVersion, Credential, Options, Secret};
use common::upstream::{
    Serve, a_finished_mapped_run, walk_the_dags_tab, walk_to_a_mapped_instances_log,
};

const NEEDS: &str = "needs a real Airflow: scripts/real-airflow.sh";

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: {NEEDS}, then eval its env"))
}

/// The upstream's URL, user and password, and the real Airflow itself (basic auth), to set up
/// and check what the TUI did.
fn real_airflow() -> ((String, String, String), AirflowClient) {
    let (url, user, password) = (
        var("ASTRODASH_REAL_AIRFLOW_URL"),
        var("ASTRODASH_REAL_AIRFLOW_USER"),
        var("ASTRODASH_REAL_AIRFLOW_PASSWORD"),
    );
    let real = AirflowClient::new(
        &url,
        Credential::Basic {
            user: user.clone(),
            password: Secret::from(password.clone()),
        },
        ApiVersion::V1,
        &Options::default(),
    )
    .unwrap();
    ((url, user, password), real)
}

#[test]
#[ignore = "needs a real Airflow: scripts/real-airflow.sh"]
fn a_mapped_instances_own_log_through_the_proxy() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ((url, user, password), real) = real_airflow();
    let run_id = a_finished_mapped_run(&rt, &real);
    let serve = Serve::start(&url, &user, &password);
    walk_to_a_mapped_instances_log(serve.tui(&rt), "Core ETL", &run_id);
}

#[test]
#[ignore = "needs a real Airflow: scripts/real-airflow.sh"]
fn the_dags_tab_pause_trigger_and_a_task_log_against_a_real_airflow() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ((url, user, password), real) = real_airflow();
    let serve = Serve::start(&url, &user, &password);
    let tui = serve.tui(&rt);
    walk_the_dags_tab(
        &rt,
        &real,
        tui,
        "Core ETL",
        // A quick example DAG with no external dependencies (paused at creation).
        "tutorial_taskflow_api",
        "extract",
        &[
            "Returned value was",
            "Task exited with return code",
            "Marking task as SUCCESS",
        ],
    );
}
