//! A mapped task end to end: the real binary in a pseudo-terminal against houston-local's
//! simulated Airflow (Core ETL, Airflow 2.9: API v1), whose `extract` task is mapped. A run's
//! task instances list `extract[0]`..`extract[3]`; Enter on one reads that instance's own log;
//! `m` marks that instance alone (checked through the Airflow API); `c` says at once that
//! Airflow 2's API cannot clear one instance.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::model::TaskInstance;
use astrodash::airflow::{AirflowClient, ApiVersion, Credential, Options, Secret};
use common::pty::{ENTER, ESC, Server, logged_in};
use serde_json::json;

const CTRL_S: &str = "\x13";
const RIGHT: &str = "\x1b[C";

/// Core ETL's Airflow as the platform's ingress serves it, with the admin's Houston token.
fn airflow(server: &Server) -> AirflowClient {
    let data = server.graphql(
        &server.admin_token(),
        "{ workspaces { label deployments { label releaseName } } }",
        json!({}),
    );
    let release = data["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["deployments"].as_array().unwrap().iter())
        .find(|d| d["label"] == "Core ETL")
        .unwrap()["releaseName"]
        .as_str()
        .unwrap()
        .to_string();
    let url = format!("http://{}/{release}/airflow", server.handle().addr());
    AirflowClient::new(
        &url,
        Credential::houston_token(&Secret::from(server.admin_token())),
        ApiVersion::for_airflow("2.9.2"),
        &Options::default(),
    )
    .unwrap()
}

/// A DAG of Core ETL with a finished run whose `extract` is mapped: (DAG, run, instances).
fn a_mapped_run(server: &Server, c: &AirflowClient) -> (String, String, Vec<TaskInstance>) {
    let rt = server.runtime();
    for dag in rt.block_on(c.dags()).unwrap() {
        for run in rt.block_on(c.dag_runs(&dag.dag_id, 5)).unwrap() {
            if !matches!(run.state.as_deref(), Some("success" | "failed")) {
                continue;
            }
            let tis = rt
                .block_on(c.task_instances(&dag.dag_id, &run.dag_run_id))
                .unwrap();
            let finished = |t: &TaskInstance| t.map_index == 2 && t.try_number > 0;
            if tis.iter().any(finished) {
                return (dag.dag_id, run.dag_run_id, tis);
            }
        }
    }
    panic!("no DAG of Core ETL has a finished run of a mapped task");
}

fn states(server: &Server, c: &AirflowClient, dag: &str, run: &str) -> Vec<(i64, String)> {
    let tis = server
        .runtime()
        .block_on(c.task_instances(dag, run))
        .unwrap();
    tis.into_iter()
        .filter(|t| t.task_id == "extract")
        .map(|t| (t.map_index, t.state.unwrap_or_default()))
        .collect()
}

#[test]
fn a_mapped_instance_has_its_own_log_and_its_own_mark() {
    let server = Server::demo();
    let client = airflow(&server);
    let (dag, run, tis) = a_mapped_run(&server, &client);
    let mapped: Vec<i64> = tis
        .iter()
        .filter(|t| t.task_id == "extract")
        .map(|t| t.map_index)
        .collect();
    assert_eq!(mapped, [0, 1, 2, 3]);

    let mut tui = logged_in(&server, &[]);
    tui.open_core_etl();
    tui.send("7");
    tui.wait_for("DAGs (");
    tui.send(&format!("/{dag}"));
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Runs (");
    tui.send(&format!("/{run}"));
    tui.send(ENTER);
    tui.send(ENTER);
    let screen = tui.wait_for("extract[3]");
    assert!(
        screen.contains("extract[0]") && screen.contains("extract[2]"),
        "one row per map index:\n{screen}"
    );

    // Enter on extract[2]: its own log (houston-local answers 404 without its map index).
    tui.send("/extract[2]");
    tui.send(ENTER);
    tui.send(ENTER);
    let screen = tui.wait_until("the instance's log", |s| {
        s.contains("read from Airflow") || s.contains("stopped")
    });
    assert!(screen.contains("read from Airflow"), "{screen}");
    assert!(screen.contains("map_index=2"), "its own lines:\n{screen}");
    assert!(!screen.contains("map_index=1"), "{screen}");
    assert!(
        screen.contains("› extract[2] › Log"),
        "breadcrumbs:\n{screen}"
    );
    tui.send(ESC);
    tui.wait_for("Task instances (");

    // `c`: Airflow 2's API cannot clear one instance, said before any form.
    tui.send("c");
    tui.wait_for("extract[2]: Airflow 2's API cannot clear one map index alone");

    // `m`: mark extract[2] failed; the other instances keep their states.
    let before = states(&server, &client, &dag, &run);
    tui.send("m");
    tui.wait_for("Mark extract[2] of");
    tui.send(RIGHT);
    tui.send(CTRL_S);
    tui.wait_for("Mark extract[2] failed?");
    tui.send(ENTER);
    tui.wait_for("Marked extract[2] failed");
    let after = states(&server, &client, &dag, &run);
    for ((index, was), (_, now)) in before.iter().zip(&after) {
        let want = if *index == 2 { "failed" } else { was.as_str() };
        assert_eq!(now, want, "{after:?}");
    }
    tui.send("q");
    assert!(tui.wait_exit().success());
}
