//! The real astrodash binary in a pseudo-terminal against a real Apache Airflow 3 (3.1, the
//! example DAGs) through `astrodash serve --airflow-upstream URL`: the walk of
//! `common::upstream` on Web Analytics, an Airflow 3 deployment, hence `/api/v2`, for which
//! houston-local exchanges the upstream user's password for a JWT at Airflow's `/auth/token`.
//! And a mapped task's instance (`add_one[1]`) down to its own log.
//! Start the Airflow with `scripts/real-airflow3.sh start`, then
//! `eval "$(scripts/real-airflow3.sh env)" && cargo test --test real_airflow3_tui -- --ignored`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::{AirflowClient, ApiVersion, Credential, Options, Secret};
use common::upstream::{
    Serve, a_finished_mapped_run, walk_the_dags_tab, walk_to_a_mapped_instances_log,
};

const NEEDS: &str = "needs a real Airflow 3: scripts/real-airflow3.sh";

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: {NEEDS}, then eval its env"))
}

/// The real Airflow 3's URL, user and password (`scripts/real-airflow3.sh env`).
fn upstream() -> (String, String, String) {
    (
        var("ASTRODASH_REAL_AIRFLOW3_URL"),
        var("ASTRODASH_REAL_AIRFLOW3_USER"),
        var("ASTRODASH_REAL_AIRFLOW3_PASSWORD"),
    )
}

/// The real Airflow itself, with a JWT of its own, to check what the TUI did.
fn real_airflow(
    rt: &tokio::runtime::Runtime,
    url: &str,
    user: &str,
    password: &str,
) -> AirflowClient {
    let reply: serde_json::Value = rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{url}/auth/token"))
            .json(&serde_json::json!({"username": user, "password": password}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    let jwt = reply["access_token"].as_str().expect("access_token");
    AirflowClient::new(
        url,
        Credential::Bearer(Secret::from(jwt.to_string())),
        ApiVersion::V2,
        &Options::default(),
    )
    .unwrap()
}

#[test]
#[ignore = "needs a real Airflow 3: scripts/real-airflow3.sh"]
fn the_dags_tab_pause_trigger_and_a_task_log_against_a_real_airflow_3() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (url, user, password) = upstream();
    let real = real_airflow(&rt, &url, &user, &password);
    let serve = Serve::start(&url, &user, &password);
    let tui = serve.tui(&rt);
    walk_the_dags_tab(
        &rt,
        &real,
        tui,
        "Web Analytics",
        "tutorial_taskflow_api",
        "extract",
        &["Done. Returned value was", "Returned value was"],
    );
}

#[test]
#[ignore = "needs a real Airflow 3: scripts/real-airflow3.sh"]
fn a_mapped_instances_own_log_through_the_proxy_on_airflow_3() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (url, user, password) = upstream();
    let real = real_airflow(&rt, &url, &user, &password);
    let run_id = a_finished_mapped_run(&rt, &real);
    let serve = Serve::start(&url, &user, &password);
    walk_to_a_mapped_instances_log(serve.tui(&rt), "Web Analytics", &run_id);
}
