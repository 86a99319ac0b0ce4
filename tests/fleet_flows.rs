//! The fleet (pure `update`): the all-deployments view's Airflow columns and `:dags` read many
//! deployments' Airflows — at most 8 reads in flight, every read a deployment needs once, then at
//! most one read per deployment a minute, nothing for a view not shown, a deployment whose
//! Airflow cannot be read counted on the view and not shouted; worst first takes the Airflow's
//! trouble in; `:dags` lists failed and long-running runs (of any age: read apart from the
//! day's failures), newest failure first; the failed count is the server's total, exact past
//! one page. Snapshots of both views at 80×24 and 160×48.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;

use astrodash::airflow::AirflowError;
use astrodash::airflow::model::{Component, DagRun, Health, ImportError};
use astrodash::app::airflow::{AirflowPayload, AirflowRequest};
use astrodash::app::effect::Effect;
use astrodash::app::fleet::MAX_IN_FLIGHT;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::update;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::fleet::*;
use common::*;
use crossterm::event::KeyCode;

type Sent = Vec<(u64, AirflowRequest)>;

fn airflow_sent(effects: &[Effect]) -> Sent {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AirflowFetch { seq, request, .. } => Some((*seq, request.clone())),
            _ => None,
        })
        .collect()
}

/// `n` healthy deployments in the first workspace (`d-00`…), names in order.
fn many(n: usize) -> (Vec<Workspace>, Vec<Deployment>) {
    let ws = workspaces();
    let rows = (0..n)
        .map(|i| {
            row(
                &format!("d-{i:02}"),
                &format!("dep-{i:02}"),
                &ws[0],
                DeploymentStatus::Healthy,
            )
        })
        .collect();
    (ws, rows)
}

/// `a` pressed and the platform-wide list answered: the Airflow reads that went out.
fn shown(rows: Vec<Deployment>, ws: Vec<Workspace>) -> (AppState, Sent) {
    let mut s = logged_in(ws, true);
    let fx = update(&mut s, ch('a'));
    assert!(airflow_sent(&fx).is_empty(), "no rows yet, nothing to read");
    let fx = answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        0,
        Ok(Payload::Deployments(rows)),
    );
    let sent = airflow_sent(&fx);
    (s, sent)
}

fn run(dag: &str, id: &str, state: &str, started: i64, ended: Option<i64>) -> DagRun {
    DagRun {
        dag_id: dag.into(),
        dag_run_id: id.into(),
        state: Some(state.into()),
        run_type: Some("scheduled".into()),
        logical_date: Some(ago(started)),
        start_date: Some(ago(started)),
        end_date: ended.map(ago),
        conf: None,
    }
}

fn health(heartbeat_secs_ago: i64) -> Health {
    Health {
        scheduler: Component {
            status: Some("healthy".into()),
            latest_heartbeat: Some(ago(heartbeat_secs_ago)),
        },
        ..Health::default()
    }
}

/// One page of runs, as the server counts them (`total_entries`).
fn page(runs: Vec<DagRun>, total: Option<u64>) -> AirflowPayload {
    AirflowPayload::RunPage { runs, total }
}

/// What a deployment's Airflow answers: `failed` failed runs (a page of them, and their
/// total), none running, `errors` import errors.
fn payload(request: &AirflowRequest, failed: usize, errors: usize) -> AirflowPayload {
    match request {
        AirflowRequest::FailedRuns(_) => page(
            (0..failed.min(astrodash::app::airflow::FLEET_RUNS))
                .map(|i| run("etl", &format!("r{i}"), "failed", 3600, Some(1800)))
                .collect(),
            Some(failed as u64),
        ),
        AirflowRequest::RunningRuns(_) => page(vec![], Some(0)),
        AirflowRequest::ImportErrors(_) => AirflowPayload::ImportErrors(
            (0..errors)
                .map(|i| ImportError {
                    import_error_id: Some(i as i64),
                    filename: format!("/dags/broken_{i}.py"),
                    timestamp: Some(ago(600)),
                    stack_trace: "SyntaxError".into(),
                })
                .collect(),
        ),
        AirflowRequest::Health(_) => AirflowPayload::Health(health(12)),
        other => panic!("the fleet does not read {other:?}"),
    }
}

fn reply(
    s: &mut AppState,
    seq: u64,
    request: AirflowRequest,
    result: Result<AirflowPayload, AirflowError>,
) -> Sent {
    airflow_sent(&update(
        s,
        Msg::AirflowReply {
            request,
            seq,
            at: s.now,
            result,
        },
    ))
}

/// Answer every read (and those its replies send) with `answer`, checking the bound on the
/// way; returns every read sent.
fn drain(
    s: &mut AppState,
    mut pending: Sent,
    answer: &dyn Fn(&AirflowRequest) -> Result<AirflowPayload, AirflowError>,
) -> Vec<AirflowRequest> {
    let mut all = Vec::new();
    while let Some((seq, request)) = pending.pop() {
        assert!(s.fleet.in_flight.len() <= MAX_IN_FLIGHT);
        all.push(request.clone());
        let result = answer(&request);
        pending.extend(reply(s, seq, request, result));
    }
    all
}

fn tick(s: &mut AppState, secs: i64) -> Sent {
    airflow_sent(&update(s, Msg::Tick(later(secs))))
}

#[test]
fn at_most_eight_reads_in_flight_and_every_deployment_read_once_whole() {
    let (ws, rows) = many(20);
    let (mut s, sent) = shown(rows, ws);
    assert_eq!(sent.len(), MAX_IN_FLIGHT, "{sent:?}");
    let mut deployments: Vec<_> = sent.iter().map(|(_, r)| r.deployment().clone()).collect();
    deployments.dedup();
    assert_eq!(
        deployments.len(),
        MAX_IN_FLIGHT,
        "one read per deployment at a time"
    );
    let all = drain(&mut s, sent, &|r| Ok(payload(r, 0, 0)));
    assert_eq!(
        all.len(),
        20 * 3,
        "runs, import errors and health of each: {all:?}"
    );
    assert!(s.fleet.in_flight.is_empty());
    let text = render(&s, 160, 48);
    assert!(!text.contains("Reading Airflow"), "{text}");
    assert!(
        text.contains("Fail 24h") && text.contains("12s ago"),
        "{text}"
    );
}

#[test]
fn after_the_first_reading_one_read_per_deployment_per_minute_while_shown() {
    let (ws, rows) = many(10);
    let (mut s, sent) = shown(rows, ws);
    drain(&mut s, sent, &|r| Ok(payload(r, 1, 0)));
    let mut per_deployment: HashMap<DeploymentId, Vec<i64>> = HashMap::new();
    // Ten minutes, a tick every 5 s, every read answered at once.
    for t in (5..=600).step_by(5) {
        let sent = tick(&mut s, t);
        for r in drain(&mut s, sent, &|r| Ok(payload(r, 1, 0))) {
            per_deployment
                .entry(r.deployment().clone())
                .or_default()
                .push(t);
        }
    }
    assert_eq!(per_deployment.len(), 10, "every deployment kept fresh");
    for (d, times) in &per_deployment {
        assert!(
            times.windows(2).all(|w| w[1] - w[0] >= 60),
            "{d}: {times:?}"
        );
        assert!(times.len() >= 8 && times.len() <= 10, "{d}: {times:?}");
    }
}

#[test]
fn nothing_is_read_for_a_view_not_shown() {
    let (ws, rows) = many(5);
    let (mut s, sent) = shown(rows, ws);
    drain(&mut s, sent, &|r| Ok(payload(r, 0, 0)));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.route(), &Route::Account);
    for t in (5..=600).step_by(5) {
        assert!(tick(&mut s, t).is_empty(), "read at {t}s while not shown");
    }
    // Back on the view: the stalest reads go again.
    let fx = update(&mut s, ch('a'));
    assert_eq!(airflow_sent(&fx).len(), 5, "{fx:?}");
}

#[test]
fn an_airflow_that_cannot_be_read_is_counted_not_shouted() {
    let (ws, rows) = many(12);
    let (mut s, sent) = shown(rows, ws);
    let down = ["d-03", "d-07", "d-11"];
    drain(&mut s, sent, &|r| {
        if down.contains(&r.deployment().as_str()) {
            Err(AirflowError::Network("deployments.example.com".into()))
        } else {
            Ok(payload(r, 0, 0))
        }
    });
    assert!(
        s.visible_message().is_none(),
        "no message per deployment: {:?}",
        s.visible_message()
    );
    let text = render(&s, 160, 48);
    assert!(text.contains("Airflow unreachable for 3 of 12"), "{text}");
}

/// Six deployments of mixed status; two healthy ones with Airflow trouble.
fn troubled() -> AppState {
    let (ws, rows) = fleet();
    let (mut s, sent) = shown(rows, ws);
    drain(&mut s, sent, &|r| match r.deployment().as_str() {
        // epsilon: 3 failed runs; zeta: 2 import errors and an old heartbeat.
        "d-6" => Ok(payload(r, 3, 0)),
        "d-1" => match r {
            AirflowRequest::Health(_) => Ok(AirflowPayload::Health(health(7200))),
            r => Ok(payload(r, 0, 2)),
        },
        "d-4" => Err(AirflowError::LoginRedirect { status: 302 }),
        _ => Ok(payload(r, 0, 0)),
    });
    s
}

#[test]
fn worst_first_takes_the_airflow_in_after_houstons_status() {
    let s = troubled();
    assert_eq!(
        names(&s),
        ["gamma", "beta", "delta", "alpha", "epsilon", "zeta"],
        "within HEALTHY: 3 failed runs before 2 import errors"
    );
}

#[test]
fn airflow_columns_snapshots() {
    let s = troubled();
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("fleet_columns_{w}x{h}"), render(&s, w, h));
    }
}

/// `:dags` typed and the deployments' runs answered.
fn dags_view() -> (AppState, Vec<AirflowRequest>) {
    let (ws, rows) = fleet();
    let mut s = logged_in(ws, true);
    update(&mut s, ch(':'));
    type_text(&mut s, "dags");
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.route(), &Route::FleetRuns);
    let fx = answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        0,
        Ok(Payload::Deployments(rows)),
    );
    let read = drain(&mut s, airflow_sent(&fx), &|r| {
        let failed = matches!(r, AirflowRequest::FailedRuns(_));
        let runs = match (r.deployment().as_str(), failed) {
            ("d-2", true) => vec![
                run("etl", "scheduled__01", "failed", 7200, Some(6000)),
                run("etl", "scheduled__02", "failed", 3000, Some(600)),
                // What a server that ignores the state filter would send: left out.
                run("report", "manual__03", "success", 900, Some(300)),
            ],
            // Earliest start first: stuck for three days, then three hours, then ten minutes.
            ("d-6", false) => vec![
                run("backfill", "scheduled__00", "running", 3 * 86_400, None),
                run("ingest", "scheduled__04", "running", 3 * 3600, None),
                run("ingest", "scheduled__05", "running", 600, None),
            ],
            ("d-1", true) => vec![run("ml", "scheduled__06", "failed", 400, Some(120))],
            _ => vec![],
        };
        let total = runs.len() as u64;
        Ok(page(runs, Some(total)))
    });
    (s, read)
}

fn fleet_runs(s: &AppState) -> Vec<String> {
    let rows = s.rows(&TableId::FleetRuns);
    s.view(&TableId::FleetRuns)
        .iter()
        .map(|&i| rows.key(i).to_string())
        .collect()
}

#[test]
fn dags_lists_failed_and_long_running_runs_newest_failure_first() {
    let (s, read) = dags_view();
    for d in ["d-1", "d-2", "d-3", "d-4", "d-5", "d-6"] {
        let mut of_d: Vec<_> = read
            .iter()
            .filter(|r| r.deployment().as_str() == d)
            .collect();
        of_d.sort();
        assert_eq!(
            of_d,
            [
                &AirflowRequest::FailedRuns(d.into()),
                &AirflowRequest::RunningRuns(d.into())
            ],
            "`:dags` reads the day's failures and the runs running now, once each"
        );
    }
    assert_eq!(
        fleet_runs(&s),
        [
            "d-1/ml/scheduled__06",
            "d-2/etl/scheduled__02",
            "d-2/etl/scheduled__01",
            "d-6/backfill/scheduled__00",
            "d-6/ingest/scheduled__04",
        ],
        "successes and runs running for less than an hour are left out; the run stuck for \
         three days is in, the longest-running first"
    );
    assert_eq!(s.breadcrumbs(), ["demo", "DAG runs"]);
}

#[test]
fn dags_filter_and_enter() {
    let (mut s, _) = dags_view();
    update(&mut s, ch('/'));
    type_text(&mut s, "etl");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(fleet_runs(&s).len(), 2);
    // The cursor followed its row as rows came in: to the top, the newest failure.
    update(&mut s, ch('g'));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.route(),
        &Route::TaskInstances {
            deployment: "d-2".into(),
            dag_id: "etl".into(),
            run_id: "scheduled__02".into(),
        },
        "the newest failure of etl"
    );
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.route(), &Route::FleetRuns, "Esc comes back to :dags");
}

#[test]
fn dags_snapshots() {
    let (s, _) = dags_view();
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("fleet_dags_{w}x{h}"), render(&s, w, h));
    }
}

#[test]
fn the_failed_count_is_the_servers_total_past_one_page() {
    let (ws, rows) = many(3);
    let (mut s, sent) = shown(rows, ws);
    drain(&mut s, sent, &|r| match (r, r.deployment().as_str()) {
        // A page of 100 out of 345: counted exactly.
        (_, "d-00") => Ok(payload(r, 345, 0)),
        // A server that gives no total and a full page: at least that many.
        (AirflowRequest::FailedRuns(_), "d-01") => Ok(page(
            (0..astrodash::app::airflow::FLEET_RUNS)
                .map(|i| run("etl", &format!("r{i}"), "failed", 3600, Some(1800)))
                .collect(),
            None,
        )),
        _ => Ok(payload(r, 99, 0)),
    });
    assert!(s.fleet.in_flight.is_empty());
    let text = render(&s, 160, 48);
    assert!(text.contains(" 345 "), "{text}");
    assert!(text.contains("100+"), "{text}");
    assert!(text.contains(" 99 "), "{text}");
    assert_eq!(
        names(&s),
        ["dep-00", "dep-01", "dep-02"],
        "more failed runs first"
    );
}

/// `:dags` on screen, first reading done, then ten minutes with a tick every 5 s and every
/// read answered at once: each deployment's reads, with when they were sent.
#[test]
fn dags_reads_both_at_first_then_at_most_one_a_minute_per_deployment() {
    let (mut s, first) = dags_view();
    assert_eq!(first.len(), 12, "two reads per deployment: {first:?}");
    let mut per_deployment: HashMap<DeploymentId, Vec<(i64, AirflowRequest)>> = HashMap::new();
    for t in (5..=600).step_by(5) {
        let sent = tick(&mut s, t);
        for r in drain(&mut s, sent, &|r| Ok(payload(r, 1, 0))) {
            per_deployment
                .entry(r.deployment().clone())
                .or_default()
                .push((t, r));
        }
    }
    assert_eq!(per_deployment.len(), 6, "every deployment kept fresh");
    for (d, reads) in &per_deployment {
        let times: Vec<i64> = reads.iter().map(|(t, _)| *t).collect();
        assert!(
            times.windows(2).all(|w| w[1] - w[0] >= 60),
            "{d}: {times:?}"
        );
        assert!(times.len() >= 8 && times.len() <= 10, "{d}: {times:?}");
        // The stalest first: the two reads take turns.
        assert!(
            reads
                .windows(2)
                .all(|w| std::mem::discriminant(&w[0].1) != std::mem::discriminant(&w[1].1)),
            "{d}: {reads:?}"
        );
    }
    // Off the view: nothing more.
    update(&mut s, key(KeyCode::Esc));
    for t in (605..=1200).step_by(5) {
        assert!(tick(&mut s, t).is_empty(), "read at {t}s while not shown");
    }
}
