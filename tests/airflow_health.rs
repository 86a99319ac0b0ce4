//! Airflow's health and import errors on a deployment's Overview, and the Workers tab (Flower):
//! read while shown and only then, a refusal said in one line, an import error's whole trace
//! (`t` then Enter or `d`), Flower 2's refusal answered from `/healthcheck` and `/metrics`.
//! Snapshots at 80×24 and 160×48 from fixed replies and a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::AirflowError;
use astrodash::airflow::model::{Component, Health, ImportError, Worker};
use astrodash::app::airflow::{AirflowPayload, AirflowRequest, FlowerStatus};
use astrodash::app::effect::Effect;
use astrodash::app::modal::Modal;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::update;
use common::screens::at_deployment;
use common::*;
use crossterm::event::KeyCode;

fn fetches(effects: &[Effect]) -> Vec<(u64, AirflowRequest)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AirflowFetch { seq, request, .. } => Some((*seq, request.clone())),
            _ => None,
        })
        .collect()
}

fn requests(effects: &[Effect]) -> Vec<AirflowRequest> {
    fetches(effects).into_iter().map(|(_, r)| r).collect()
}

/// Answer every Airflow read in `effects` with `answer`; what the replies asked for next.
fn answer(
    s: &mut AppState,
    effects: &[Effect],
    answer: impl Fn(&AirflowRequest) -> Result<AirflowPayload, AirflowError>,
) -> Vec<Effect> {
    let mut next = Vec::new();
    for (seq, request) in fetches(effects) {
        let result = answer(&request);
        next.extend(update(
            s,
            Msg::AirflowReply {
                request,
                seq,
                at: now(),
                result,
            },
        ));
    }
    next
}

fn healthy() -> Health {
    let beat = |secs| Component {
        status: Some("healthy".into()),
        latest_heartbeat: Some(ago(secs)),
    };
    Health {
        metadatabase: Component {
            status: Some("healthy".into()),
            latest_heartbeat: None,
        },
        scheduler: beat(3),
        triggerer: beat(4),
        // Airflow 2 without a standalone DAG processor reports none.
        dag_processor: Component::default(),
    }
}

/// What houston-local's UNHEALTHY deployment says: the scheduler stopped heartbeating.
fn unhealthy() -> Health {
    let mut h = healthy();
    h.scheduler = Component {
        status: Some("unhealthy".into()),
        latest_heartbeat: Some(ago(25 * 60)),
    };
    h
}

fn import_errors() -> Vec<ImportError> {
    let error = |i, file: &str, secs, last: &str| ImportError {
        import_error_id: Some(i),
        filename: format!("/usr/local/airflow/dags/{file}"),
        timestamp: Some(ago(secs)),
        stack_trace: format!(
            "Traceback (most recent call last):\n  File \"<frozen importlib._bootstrap>\", line 241, in _call_with_frames_removed\n  File \"/usr/local/airflow/dags/{file}\", line 12, in <module>\n    import snowflake.connector\n{last}\n"
        ),
    };
    vec![
        error(
            1,
            "snowflake_sync.py",
            300,
            "ModuleNotFoundError: No module named 'snowflake.connector'",
        ),
        error(
            2,
            "legacy_load.py",
            900,
            "airflow.exceptions.DuplicateTaskIdFound: Task id 'load' has already been added to the DAG",
        ),
    ]
}

/// `id`'s Overview with its health and import errors answered.
fn overview(id: &str, health: Health, errors: Vec<ImportError>) -> AppState {
    let mut s = at_deployment(id, DeploymentTab::Variables);
    let effects = update(&mut s, ch('1'));
    answer(&mut s, &effects, |r| match r {
        AirflowRequest::Health(_) => Ok(AirflowPayload::Health(health.clone())),
        AirflowRequest::ImportErrors(_) => Ok(AirflowPayload::ImportErrors(errors.clone())),
        other => panic!("the Overview read {other:?}"),
    });
    s
}

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn the_overview_reads_health_and_import_errors_while_shown_and_only_then() {
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    let effects = update(&mut s, ctrl('r'));
    assert_eq!(
        requests(&effects),
        vec![
            AirflowRequest::Health("d-etl".into()),
            AirflowRequest::ImportErrors("d-etl".into())
        ]
    );
    // Another tab reads neither.
    update(&mut s, ch('2'));
    let effects = update(&mut s, ctrl('r'));
    assert!(requests(&effects).is_empty(), "{effects:?}");
}

#[test]
fn health_and_import_errors_are_shown_beside_houstons_status() {
    let s = overview("d-etl", healthy(), import_errors());
    let text = render(&s, 160, 48);
    assert!(text.contains("HEALTHY"), "Houston's status stays");
    assert!(text.contains("healthy · 3s ago"), "{text}");
    assert!(text.contains("DAG processor —"), "{text}");
    assert!(text.contains("2 files failed to import"), "{text}");
    // The error's own line, not the trace's "Traceback (most recent call last):".
    assert!(
        text.contains("ModuleNotFoundError: No module named 'snowflake.connector'"),
        "{text}"
    );
    assert!(!text.contains("Traceback"), "{text}");
}

#[test]
fn t_then_enter_shows_an_import_errors_whole_trace_and_t_gives_the_keys_back() {
    let mut s = overview("d-etl", healthy(), import_errors());
    // Before `t` the Overview's keys are the deployment's: `d` describes it.
    update(&mut s, ch('d'));
    match s.ui.modals.last() {
        Some(Modal::Describe(view)) => assert_eq!(view.title, "deployment prod-etl"),
        other => panic!("{other:?}"),
    }
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('t'));
    assert_eq!(
        s.current_table(),
        Some(TableId::ImportErrors("d-etl".into()))
    );
    // Sorted by file: legacy_load.py first; j moves to snowflake_sync.py.
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    let Some(Modal::Describe(view)) = s.ui.modals.last() else {
        panic!("no trace view: {:?}", s.ui.modals);
    };
    assert_eq!(
        view.title,
        "import error /usr/local/airflow/dags/snowflake_sync.py"
    );
    let text = view.lines.join("\n");
    assert!(
        text.contains("Traceback (most recent call last):"),
        "{text}"
    );
    assert!(text.contains("    import snowflake.connector"), "{text}");
    snap("import_error_trace", &s);
    update(&mut s, key(KeyCode::Esc));
    // `d` too, and `t` gives the keys back to the deployment.
    update(&mut s, ch('d'));
    assert!(
        matches!(s.ui.modals.last(), Some(Modal::Describe(v)) if v.title.starts_with("import error"))
    );
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('t'));
    assert_eq!(s.current_table(), None);
    // With none, `t` says so and the keys stay the deployment's.
    let mut clean = overview("d-etl", healthy(), vec![]);
    update(&mut clean, ch('t'));
    assert_eq!(clean.current_table(), None);
    assert!(
        clean
            .ui
            .message
            .as_ref()
            .is_some_and(|m| m.text.contains("No import errors")),
        "{:?}",
        clean.ui.message
    );
}

#[test]
fn a_refusal_is_one_line_on_the_overview_not_a_message_or_a_session_end() {
    let mut s = at_deployment("d-etl", DeploymentTab::Variables);
    let effects = update(&mut s, ch('1'));
    answer(&mut s, &effects, |_| {
        Err(AirflowError::LoginRedirect { status: 302 })
    });
    assert!(s.session.login.is_none(), "not a session end");
    assert!(s.ui.message.is_none(), "{:?}", s.ui.message);
    let text = render(&s, 160, 48);
    let said: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("could not read"))
        .collect();
    assert_eq!(said.len(), 1, "said once: {text}");
    assert!(said[0].contains("Airflow access"), "{text}");
    snap("overview_airflow_refused", &s);
}

#[test]
fn overview_healthy_with_import_errors() {
    snap(
        "overview_airflow_healthy",
        &overview("d-etl", healthy(), import_errors()),
    );
}

#[test]
fn overview_unhealthy_scheduler() {
    let errors = import_errors().into_iter().take(1).collect();
    snap(
        "overview_airflow_unhealthy",
        &overview("d-rep", unhealthy(), errors),
    );
}

fn workers() -> Vec<Worker> {
    vec![
        Worker {
            name: "celery@quantum-nebula-1234-worker-1".into(),
            online: Some(true),
            pool_size: Some(16),
            active: 3,
            processed: 1200,
        },
        Worker {
            name: "celery@quantum-nebula-1234-worker-0".into(),
            online: Some(true),
            pool_size: Some(16),
            active: 5,
            processed: 1450,
        },
        Worker {
            name: "celery@quantum-nebula-1234-worker-2".into(),
            online: Some(false),
            pool_size: Some(16),
            active: 0,
            processed: 17,
        },
    ]
}

fn shown_workers(s: &AppState) -> Vec<String> {
    let table = TableId::Workers("d-etl".into());
    let rows = s.rows(&table);
    let view = s.ui.tables.get(&table).unwrap().compute_view(rows.as_ref());
    view.iter().map(|&i| rows.key(i).to_string()).collect()
}

#[test]
fn the_workers_tab_reads_flower_and_filters_like_any_table() {
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    let effects = update(&mut s, ch('8'));
    assert_eq!(
        requests(&effects),
        vec![AirflowRequest::Workers("d-etl".into())]
    );
    answer(&mut s, &effects, |_| Ok(AirflowPayload::Workers(workers())));
    assert_eq!(
        shown_workers(&s),
        [
            "celery@quantum-nebula-1234-worker-0",
            "celery@quantum-nebula-1234-worker-1",
            "celery@quantum-nebula-1234-worker-2"
        ]
    );
    snap("workers_tab", &s);
    update(&mut s, ch('/'));
    for c in "worker-2".chars() {
        update(&mut s, ch(c));
    }
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(shown_workers(&s), ["celery@quantum-nebula-1234-worker-2"]);
}

#[test]
fn flower_2s_refusal_is_said_and_healthcheck_and_metrics_are_read_instead() {
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    let effects = update(&mut s, ch('8'));
    let next = answer(&mut s, &effects, |_| {
        Err(AirflowError::FlowerUnauthenticated)
    });
    // At once, not at the next refresh.
    assert_eq!(
        requests(&next),
        vec![AirflowRequest::FlowerStatus("d-etl".into())]
    );
    assert!(
        s.ui.message.is_none(),
        "expected, not an error: {:?}",
        s.ui.message
    );
    let from_metrics: Vec<Worker> = workers()
        .into_iter()
        .map(|w| Worker {
            pool_size: None,
            ..w
        })
        .collect();
    answer(&mut s, &next, |_| {
        Ok(AirflowPayload::FlowerStatus(FlowerStatus {
            healthcheck: "OK".into(),
            workers: from_metrics.clone(),
        }))
    });
    assert_eq!(shown_workers(&s).len(), 3);
    let text = render(&s, 160, 48);
    assert!(text.contains("FLOWER_UNAUTHENTICATED_API"), "{text}");
    assert!(text.contains("/healthcheck: OK"), "{text}");
    snap("workers_tab_flower_refused", &s);
    // From then on the refresh reads what answers, not the API again.
    let effects = update(&mut s, ctrl('r'));
    assert_eq!(
        requests(&effects),
        vec![AirflowRequest::FlowerStatus("d-etl".into())]
    );
}

#[test]
fn a_deployment_without_celery_has_no_flower_to_read() {
    let mut s = at_deployment("d-rep", DeploymentTab::Overview);
    let effects = update(&mut s, ch('8'));
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-rep".into(),
            tab: DeploymentTab::Workers
        }
    );
    assert!(requests(&effects).is_empty(), "{effects:?}");
    let text = render(&s, 80, 24);
    assert!(text.contains("Not a Celery deployment"), "{text}");
}

#[test]
fn a_click_on_the_compact_tab_bar_at_80_columns_opens_the_tab_under_it() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    update(&mut s, Msg::Resize(80, 24));
    s.ui.mouse = true;
    // Eight tabs do not fit padded at 80 columns: the bar is compact, and a click reads it so.
    let bar = render(&s, 80, 24).lines().nth(2).unwrap().to_string();
    assert!(bar.contains("7 DAGs 8 Workers"), "{bar}");
    for (label, tab) in [
        ("8 Workers", DeploymentTab::Workers),
        ("3 Users", DeploymentTab::Users),
    ] {
        let column = bar[..bar.find(label).unwrap()].chars().count() as u16 + 2;
        update(
            &mut s,
            Msg::Mouse(MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column,
                row: 2,
                modifiers: KeyModifiers::NONE,
            }),
        );
        assert_eq!(
            s.route(),
            &Route::Deployment {
                id: "d-etl".into(),
                tab
            },
            "clicked {label} at column {column} of {bar}"
        );
    }
}
