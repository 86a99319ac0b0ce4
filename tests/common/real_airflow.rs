//! Checks of astrodash's Airflow client that a real Airflow 2 (`/api/v1`, `real_airflow`) and 3
//! (`/api/v2`, `real_airflow3`) must answer alike, and a finished run of the mapped example DAG
//! for them and for the binary's walks (`upstream`).

use std::time::{Duration, Instant};

use astrodash::airflow::model::TaskInstance;
use astrodash::airflow::{AirflowClient, RunOrder};

/// The example DAG with a mapped task: `add_one.expand(x=[1, 2, 3])`, then `sum_it`.
pub const MAPPED_DAG: &str = "example_dynamic_task_mapping";

/// A run of `MAPPED_DAG` triggered on `c` and waited for until every task finished (bounded),
/// the DAG paused again: its id and its task instances.
pub async fn a_finished_mapped_run(c: &AirflowClient) -> (String, Vec<TaskInstance>) {
    c.set_paused(MAPPED_DAG, false).await.unwrap();
    let run = c.trigger(MAPPED_DAG, None).await.unwrap();
    // Four short tasks, one after the other.
    let deadline = Instant::now() + Duration::from_secs(180);
    let tis = loop {
        let tis = c.task_instances(MAPPED_DAG, &run.dag_run_id).await.unwrap();
        let done = |t: &TaskInstance| matches!(t.state.as_deref(), Some("success" | "failed"));
        if tis.len() > 2 && tis.iter().all(done) {
            break tis;
        }
        assert!(
            Instant::now() < deadline,
            "the mapped run did not finish within 3 minutes: {tis:?}"
        );
        tokio::time::sleep(Duration::from_secs(3)).await;
    };
    c.set_paused(MAPPED_DAG, true).await.unwrap();
    (run.dag_run_id, tis)
}

/// The fleet's two reads of runs as a real Airflow takes them: a page of the day's failed runs
/// with the list's count, and the runs running now, the earliest start first (`start_date` is
/// one of the sort keys the API allows).
pub async fn fleet_reads(c: &AirflowClient) {
    let since = chrono::Utc::now() - chrono::Duration::hours(24);
    let (_, total) = c
        .run_page_across(&["failed"], Some(since), RunOrder::Newest, 1)
        .await
        .unwrap();
    assert!(total.is_some(), "Airflow counts the list");
    let (running, total) = c
        .run_page_across(&["running"], None, RunOrder::EarliestStart, 100)
        .await
        .unwrap();
    assert!(total.is_some_and(|t| t as usize >= running.len()));
    assert!(
        running
            .iter()
            .all(|r| r.state.as_deref() == Some("running"))
    );
    assert!(
        running
            .windows(2)
            .all(|w| w[0].start_date <= w[1].start_date),
        "{running:?}"
    );
}
