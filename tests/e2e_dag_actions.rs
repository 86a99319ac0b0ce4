//! The DAGs tab's actions end to end: the real binary in a pseudo-terminal against
//! houston-local's simulated Airflow (Core ETL, Airflow 2.9: API v1). Pause, then trigger with
//! a conf, each checked through the Airflow API; two operators at once: what one pauses the
//! other sees after a refresh, and neither change is lost; below the tab, mark a run failed and
//! clear one of its tasks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::model::Dag;
use astrodash::airflow::{AirflowClient, ApiVersion, Credential, Options, Secret};
use common::pty::{ENTER, Server, Tui, logged_in};
use serde_json::json;

const CTRL_R: &str = "\x12";
const CTRL_S: &str = "\x13";

/// Core ETL's release name (its Airflow is at `http://<houston-local>/<release>/airflow`).
fn core_etl_release(server: &Server) -> String {
    let data = server.graphql(
        &server.admin_token(),
        "{ workspaces { label deployments { label releaseName } } }",
        json!({}),
    );
    data["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["deployments"].as_array().unwrap().iter())
        .find(|d| d["label"] == "Core ETL")
        .unwrap()["releaseName"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Core ETL's Airflow as the platform's ingress serves it, with the admin's Houston token.
fn airflow(server: &Server) -> AirflowClient {
    let url = format!(
        "http://{}/{}/airflow",
        server.handle().addr(),
        core_etl_release(server)
    );
    let token = Secret::from(server.admin_token());
    AirflowClient::new(
        &url,
        Credential::houston_token(&token),
        ApiVersion::for_airflow("2.9.2"),
        &Options::default(),
    )
    .unwrap()
}

fn dags(server: &Server, client: &AirflowClient) -> Vec<Dag> {
    let mut list = server.runtime().block_on(client.dags()).unwrap();
    list.sort_by(|a, b| a.dag_id.cmp(&b.dag_id));
    list
}

fn paused(server: &Server, client: &AirflowClient, dag_id: &str) -> bool {
    dags(server, client)
        .iter()
        .find(|d| d.dag_id == dag_id)
        .unwrap()
        .is_paused
}

/// An operator on Core ETL's DAGs tab, the rows read (the cursor on the first DAG).
fn on_dags_tab(server: &Server, first_dag: &str) -> Tui {
    let mut tui = logged_in(server, &[]);
    tui.open_core_etl();
    tui.send("7");
    tui.wait_for(first_dag);
    tui
}

/// The state the table row of `dag_id` shows ("paused" or "active").
fn shown_state(screen: &str, dag_id: &str) -> Option<&'static str> {
    let row = screen.lines().find_map(|l| {
        let inside = l.trim_start().strip_prefix('│')?;
        let mut words = inside.split_whitespace();
        (words.next() == Some(dag_id)).then(|| words.collect::<Vec<_>>())
    })?;
    ["paused", "active"].into_iter().find(|s| row.contains(s))
}

fn word(paused: bool) -> &'static str {
    if paused { "paused" } else { "active" }
}

/// `p` on the selected DAG, confirmed; waits for the change to be done.
fn toggle_pause(tui: &mut Tui, dag_id: &str, now_paused: bool) {
    tui.send("p");
    let verb = if now_paused { "Unpause" } else { "Pause" };
    let screen = tui.wait_for(&format!("{verb} {dag_id}?"));
    assert!(screen.contains("Deployment: Core ETL"), "{screen}");
    tui.send(ENTER);
    let done = if now_paused { "Unpaused" } else { "Paused" };
    tui.wait_for(&format!("{done} {dag_id}"));
    // The DAGs are read again: the row shows the new state.
    tui.wait_until("the row's new state", |s| {
        shown_state(s, dag_id) == Some(word(!now_paused))
    });
}

#[test]
fn pause_then_trigger_from_the_dags_tab() {
    let server = Server::demo();
    let client = airflow(&server);
    let first = dags(&server, &client).remove(0);
    let mut tui = on_dags_tab(&server, &first.dag_id);

    toggle_pause(&mut tui, &first.dag_id, first.is_paused);
    assert_eq!(
        paused(&server, &client, &first.dag_id),
        !first.is_paused,
        "Airflow reports the change"
    );

    tui.send("t");
    tui.wait_for(&format!("Trigger {}", first.dag_id));
    // Not JSON: said on the field, nothing sent.
    tui.send("{\"from\": e2e}");
    tui.send(CTRL_S);
    tui.wait_for("Not valid JSON");
    for _ in 0.."{\"from\": e2e}".len() {
        tui.send("\x7f");
    }
    tui.send("{\"from\": \"e2e\"}");
    tui.send(CTRL_S);
    let screen = tui.wait_for(&format!("Trigger a run of {}?", first.dag_id));
    assert!(screen.contains("Conf: {\"from\":\"e2e\"}"), "{screen}");
    tui.send(ENTER);
    tui.wait_for(&format!("Triggered a run of {}", first.dag_id));

    let runs = server
        .runtime()
        .block_on(client.dag_runs(&first.dag_id, 50))
        .unwrap();
    let manual: Vec<_> = runs
        .iter()
        .filter(|r| r.run_type.as_deref() == Some("manual"))
        .collect();
    assert_eq!(manual.len(), 1, "{runs:?}");
    assert_eq!(manual[0].conf, Some(json!({"from": "e2e"})));
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn two_operators_one_pauses_the_other_sees_it_after_refresh_and_nothing_is_lost() {
    let server = Server::demo();
    let client = airflow(&server);
    let list = dags(&server, &client);
    let (first, second) = (&list[0], &list[1]);
    let mut a = on_dags_tab(&server, &first.dag_id);
    let mut b = on_dags_tab(&server, &first.dag_id);

    // B pauses (or unpauses) the first DAG while A has the tab open.
    toggle_pause(&mut b, &first.dag_id, first.is_paused);
    assert_eq!(
        shown_state(&a.screen(), &first.dag_id),
        Some(word(first.is_paused))
    );
    a.send(CTRL_R);
    a.wait_until("B's change on A's screen", |s| {
        shown_state(s, &first.dag_id) == Some(word(!first.is_paused))
    });

    // A then changes the second DAG; B sees it after a refresh; both changes hold.
    a.send("j");
    toggle_pause(&mut a, &second.dag_id, second.is_paused);
    b.send(CTRL_R);
    let screen = b.wait_until("A's change on B's screen", |s| {
        shown_state(s, &second.dag_id) == Some(word(!second.is_paused))
    });
    assert_eq!(
        shown_state(&screen, &first.dag_id),
        Some(word(!first.is_paused))
    );
    assert_eq!(paused(&server, &client, &first.dag_id), !first.is_paused);
    assert_eq!(paused(&server, &client, &second.dag_id), !second.is_paused);
    for mut tui in [a, b] {
        tui.send("q");
        assert!(tui.wait_exit().success());
    }
}

/// The text after `prefix` up to the end of its line, on the screen.
fn after<'s>(screen: &'s str, prefix: &str) -> &'s str {
    screen
        .lines()
        .find_map(|l| l.split_once(prefix).map(|(_, rest)| rest.trim_end()))
        .unwrap_or_else(|| panic!("no {prefix:?} on screen:\n{screen}"))
}

#[test]
fn mark_a_run_failed_then_clear_one_of_its_tasks() {
    let server = Server::demo();
    let client = airflow(&server);
    let rt = server.runtime();
    let list = dags(&server, &client);
    // A DAG with runs (a scheduled one).
    let dag = list
        .iter()
        .find(|d| {
            d.schedule.is_some()
                && !rt
                    .block_on(client.dag_runs(&d.dag_id, 5))
                    .unwrap()
                    .is_empty()
        })
        .expect("a DAG with runs");
    let mut tui = on_dags_tab(&server, &list[0].dag_id);
    tui.send(&format!("/{}", dag.dag_id));
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Runs (");

    // The run under the cursor, marked failed.
    tui.send("m");
    tui.wait_for("Mark run ");
    tui.send("\x1b[C");
    tui.send(CTRL_S);
    let screen = tui.wait_for(" failed?");
    assert!(screen.contains("deployment Core ETL"), "{screen}");
    tui.send(ENTER);
    let screen = tui.wait_for("Marked ");
    let run_id = after(&screen, "Marked ")
        .strip_suffix(" failed")
        .expect("Marked <run> failed")
        .to_string();
    let runs = rt.block_on(client.dag_runs(&dag.dag_id, 50)).unwrap();
    let run = runs.iter().find(|r| r.dag_run_id == run_id).unwrap();
    assert_eq!(run.state.as_deref(), Some("failed"), "{run:?}");

    // Its task instances: clear the first; Airflow runs it again (one more try).
    let before = rt
        .block_on(client.task_instances(&dag.dag_id, &run_id))
        .unwrap();
    tui.send(ENTER);
    tui.wait_for("Task instances (");
    tui.send("c");
    tui.wait_for("Clear ");
    tui.send(CTRL_S);
    tui.wait_for("Enter Clear");
    tui.send(ENTER);
    let screen = tui.wait_for("Cleared ");
    let done = after(&screen, "Cleared ").to_string();
    let task = done
        .strip_suffix(&format!(" of {run_id}"))
        .unwrap_or_else(|| panic!("{done}"));
    let after_clear = rt
        .block_on(client.task_instances(&dag.dag_id, &run_id))
        .unwrap();
    let try_of = |tis: &[astrodash::airflow::model::TaskInstance]| {
        tis.iter().find(|t| t.task_id == task).unwrap().try_number
    };
    assert_eq!(try_of(&after_clear), try_of(&before) + 1);
    tui.send("q");
    assert!(tui.wait_exit().success());
}
