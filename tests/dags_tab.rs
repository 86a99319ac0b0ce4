//! The DAGs tab of the deployment dashboard (tab 7): read from the deployment's own Airflow
//! when shown and only then, its rows filtered and sorted like any table; snapshots at 80×24
//! and 160×48 from fixed DAGs and a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::AirflowError;
use astrodash::airflow::model::Dag;
use astrodash::app::airflow::{AirflowPayload, AirflowRequest};
use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::update;
use common::screens::at_deployment;
use common::*;
use crossterm::event::KeyCode;

fn dag(id: &str, paused: bool, schedule: Option<&str>, owners: &[&str], tags: &[&str]) -> Dag {
    Dag {
        dag_id: id.into(),
        is_paused: paused,
        is_active: true,
        schedule: schedule.map(str::to_string),
        next_run: schedule.map(|_| later(3 * 3600)),
        has_import_errors: false,
        owners: owners.iter().map(|o| o.to_string()).collect(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        description: None,
        fileloc: Some(format!("/usr/local/airflow/dags/{id}.py")),
    }
}

fn dags() -> Vec<Dag> {
    let mut broken = dag(
        "marketing_sync",
        false,
        Some("0 */6 * * *"),
        &["growth"],
        &[],
    );
    broken.has_import_errors = true;
    vec![
        dag(
            "sales_etl",
            false,
            Some("@daily"),
            &["data"],
            &["prod", "sales"],
        ),
        dag("adhoc_backfill", true, None, &["ops"], &[]),
        broken,
        dag(
            "hourly_rollup",
            false,
            Some("1d 00:00:00"),
            &["data", "ops"],
            &["prod"],
        ),
    ]
}

fn airflow_fetches(effects: &[Effect]) -> Vec<(u64, AirflowRequest)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AirflowFetch { seq, request, .. } => Some((*seq, request.clone())),
            _ => None,
        })
        .collect()
}

fn dags_request() -> AirflowRequest {
    AirflowRequest::Dags("d-etl".into())
}

/// The DAGs tab of d-etl with `dags` answered.
fn with_dags(list: Vec<Dag>) -> AppState {
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    let effects = update(&mut s, ch('7'));
    let (seq, request) = airflow_fetches(&effects)
        .into_iter()
        .find(|(_, r)| *r == dags_request())
        .unwrap();
    update(
        &mut s,
        Msg::AirflowReply {
            request,
            seq,
            at: now(),
            result: Ok(AirflowPayload::Dags(list)),
        },
    );
    s
}

fn shown(s: &AppState) -> Vec<String> {
    let table = TableId::Dags("d-etl".into());
    let rows = s.rows(&table);
    let view = s.ui.tables.get(&table).unwrap().compute_view(rows.as_ref());
    view.iter().map(|&i| rows.key(i).to_string()).collect()
}

#[test]
fn the_tab_reads_the_deployments_airflow_when_shown_and_only_then() {
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    let effects = update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::from(KeyCode::F(5))),
    );
    assert!(
        !airflow_fetches(&effects)
            .iter()
            .any(|(_, r)| matches!(r, AirflowRequest::Dags(_))),
        "the Overview reads no DAGs (its health and import errors only)"
    );
    let effects = update(&mut s, ch('7'));
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-etl".into(),
            tab: DeploymentTab::Dags
        }
    );
    assert_eq!(
        airflow_fetches(&effects)
            .into_iter()
            .map(|(_, r)| r)
            .collect::<Vec<_>>(),
        vec![
            dags_request(),
            AirflowRequest::RecentRuns("d-etl".into()),
            AirflowRequest::ActiveTasks("d-etl".into()),
        ],
        "the DAGs, the newest runs across them and the active task instances: never a read per DAG"
    );
    // Back to the Overview: a refresh reads no DAGs.
    update(&mut s, ch('1'));
    let effects = update(&mut s, ctrl('r'));
    assert!(
        !airflow_fetches(&effects)
            .iter()
            .any(|(_, r)| matches!(r, AirflowRequest::Dags(_))),
        "{effects:?}"
    );
}

#[test]
fn rows_arrive_sorted_by_dag_id_and_filter_like_any_table() {
    let mut s = with_dags(dags());
    assert_eq!(
        shown(&s),
        [
            "adhoc_backfill",
            "hourly_rollup",
            "marketing_sync",
            "sales_etl"
        ]
    );
    update(&mut s, ch('/'));
    for c in "prod".chars() {
        update(&mut s, ch(c));
    }
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        shown(&s),
        ["hourly_rollup", "sales_etl"],
        "tags are searched"
    );
}

#[test]
fn a_refresh_while_shown_reads_again_and_a_refusal_keeps_the_rows() {
    let mut s = with_dags(dags());
    let effects = update(&mut s, ctrl('r'));
    let (seq, request) = airflow_fetches(&effects)
        .into_iter()
        .find(|(_, r)| *r == dags_request())
        .expect("read again");
    update(
        &mut s,
        Msg::AirflowReply {
            request,
            seq,
            at: now(),
            result: Err(AirflowError::LoginRedirect { status: 302 }),
        },
    );
    assert_eq!(shown(&s).len(), 4, "the last good rows stay");
    assert!(s.session.login.is_none(), "not a session end");
    assert!(
        s.ui.message
            .as_ref()
            .unwrap()
            .text
            .contains("Airflow access")
    );
}

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn dags_tab() {
    snap("dags_tab", &with_dags(dags()));
}

#[test]
fn dags_tab_loading() {
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    update(&mut s, ch('7'));
    snap("dags_tab_loading", &s);
}

#[test]
fn dags_tab_refused_by_the_platform() {
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    let effects = update(&mut s, ch('7'));
    let (seq, request) = airflow_fetches(&effects)
        .into_iter()
        .find(|(_, r)| *r == dags_request())
        .unwrap();
    update(
        &mut s,
        Msg::AirflowReply {
            request,
            seq,
            at: now(),
            result: Err(AirflowError::LoginRedirect { status: 302 }),
        },
    );
    snap("dags_tab_refused", &s);
}

#[test]
fn next_run_says_due_late_or_nothing_for_a_paused_dag() {
    let mut list = dags();
    // Unpaused: one the scheduler is about to create, one it is two hours late with.
    list[0].next_run = Some(ago(60));
    list[3].next_run = Some(ago(2 * 3600));
    // Paused: Airflow keeps a date, but nothing will run.
    list[1].next_run = Some(ago(15 * 3600));
    let s = with_dags(list);
    let text = render(&s, 160, 48);
    let row = |id: &str| {
        text.lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("no row of {id}:\n{text}"))
            .to_string()
    };
    assert!(row("sales_etl").contains(" due "), "{}", row("sales_etl"));
    assert!(
        row("hourly_rollup").contains(" late 2h "),
        "{}",
        row("hourly_rollup")
    );
    let paused = row("adhoc_backfill");
    assert!(
        !paused.contains("ago") && !paused.contains("late"),
        "{paused}"
    );
    // Still in the future: "in 3h".
    assert!(
        row("marketing_sync").contains(" in 3h "),
        "{}",
        row("marketing_sync")
    );
}
