//! A deployment's Airflow inside the app's loop (pure `update`): reads addressed to the
//! deployment's Airflow URL and version, latest wins, the cache keeps the last good data, the
//! platform's refusal is a permission for that view and never the end of the session, changes
//! are refused in read-only mode and re-read what they made stale.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::airflow::model::Dag;
use astrodash::airflow::{AirflowError, MarkState};
use astrodash::app::airflow::{AirflowMutation, AirflowPayload, AirflowRequest, AirflowTarget};
use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::{airflow, update};
use common::forms::deployment_tab;
use common::now;

fn dags_request() -> AirflowRequest {
    AirflowRequest::Dags("d-etl".into())
}

fn dag(id: &str) -> Dag {
    Dag {
        dag_id: id.into(),
        is_paused: false,
        is_active: true,
        schedule: Some("@daily".into()),
        next_run: None,
        has_import_errors: false,
        owners: vec!["data".into()],
        tags: vec![],
        description: None,
        fileloc: None,
    }
}

fn sent(effects: &[Effect]) -> Vec<(u64, AirflowRequest, AirflowTarget)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::AirflowFetch {
                seq,
                request,
                target,
            } => Some((*seq, request.clone(), target.clone())),
            _ => None,
        })
        .collect()
}

fn reply(
    s: &mut AppState,
    request: AirflowRequest,
    seq: u64,
    result: Result<AirflowPayload, AirflowError>,
) -> Vec<Effect> {
    update(
        s,
        Msg::AirflowReply {
            request,
            seq,
            at: now(),
            result,
        },
    )
}

fn at_overview() -> AppState {
    deployment_tab(DeploymentTab::Overview)
}

#[test]
fn a_read_goes_to_the_deployments_airflow_url_with_its_version() {
    let mut s = at_overview();
    let effects = airflow::fetch(&mut s, dags_request());
    let sent = sent(&effects);
    assert_eq!(sent.len(), 1);
    let (_, request, target) = &sent[0];
    assert_eq!(request, &dags_request());
    assert_eq!(
        target.airflow_url,
        "https://deployments.example.com/quantum-nebula-1234/airflow"
    );
    assert_eq!(target.airflow_version, "2.8.1");
    assert!(
        s.cache
            .airflow
            .remote(&dags_request())
            .unwrap()
            .is_loading()
    );
}

#[test]
fn latest_wins_and_a_success_is_cached() {
    let mut s = at_overview();
    let first = sent(&airflow::fetch(&mut s, dags_request()))[0].0;
    let second = sent(&airflow::fetch(&mut s, dags_request()))[0].0;
    assert!(second > first);
    reply(
        &mut s,
        dags_request(),
        first,
        Ok(AirflowPayload::Dags(vec![dag("stale")])),
    );
    assert!(
        s.cache.airflow_dags(&"d-etl".into()).is_none(),
        "a superseded reply is dropped"
    );
    reply(
        &mut s,
        dags_request(),
        second,
        Ok(AirflowPayload::Dags(vec![dag("etl")])),
    );
    let dags = s.cache.airflow_dags(&"d-etl".into()).unwrap();
    assert_eq!(dags[0].dag_id, "etl");
    assert!(s.airflow.in_flight.is_empty());
}

#[test]
fn the_ingress_refusal_is_permission_denied_for_the_view_not_a_session_end() {
    let mut s = at_overview();
    let seq = sent(&airflow::fetch(&mut s, dags_request()))[0].0;
    reply(
        &mut s,
        dags_request(),
        seq,
        Ok(AirflowPayload::Dags(vec![dag("etl")])),
    );
    let seq = sent(&airflow::fetch(&mut s, dags_request()))[0].0;
    let effects = reply(
        &mut s,
        dags_request(),
        seq,
        Err(AirflowError::LoginRedirect { status: 302 }),
    );
    assert!(effects.is_empty(), "nothing else is asked: {effects:?}");
    assert!(s.session.login.is_none(), "still logged in to Houston");
    let message = s.ui.message.as_ref().unwrap().text.clone();
    assert!(
        message.starts_with("Permission denied by Airflow"),
        "{message}"
    );
    assert!(
        message.contains("needs a deployment role with Airflow access"),
        "{message}"
    );
    // The last good data stays beside the failure.
    assert_eq!(
        s.cache.airflow_dags(&"d-etl".into()).unwrap()[0].dag_id,
        "etl"
    );
    assert_eq!(
        s.cache.airflow_error(&dags_request()),
        Some(&AirflowError::LoginRedirect { status: 302 })
    );
}

#[test]
fn an_html_page_is_said_as_such_never_shown() {
    let mut s = at_overview();
    let seq = sent(&airflow::fetch(&mut s, dags_request()))[0].0;
    reply(
        &mut s,
        dags_request(),
        seq,
        Err(AirflowError::HtmlPage { status: 502 }),
    );
    let message = &s.ui.message.as_ref().unwrap().text;
    assert_eq!(
        message,
        "Airflow: HTTP 502: the platform's proxy answered with an HTML page"
    );
}

#[test]
fn a_deployment_without_an_airflow_url_sends_nothing() {
    let mut s = at_overview();
    let list = s.cache.deployments(&"ws-data".into()).unwrap().to_vec();
    let mut bare = list.clone();
    for d in &mut bare {
        d.urls.clear();
    }
    s.cache.succeed(
        astrodash::houston::request::Request::Deployments("ws-data".into()),
        astrodash::houston::request::Payload::Deployments(bare),
        now(),
    );
    s.cache
        .forget(&astrodash::houston::request::Request::Deployment(
            "d-etl".into(),
        ));
    assert!(sent(&airflow::fetch(&mut s, dags_request())).is_empty());
    let error = s.cache.airflow_error(&dags_request()).unwrap();
    assert!(error.to_string().contains("no Airflow URL"), "{error}");
}

#[test]
fn read_only_sends_no_airflow_change() {
    let mut s = at_overview();
    s.session.read_only = true;
    let (id, effects) = airflow::mutate(
        &mut s,
        AirflowMutation::SetPaused {
            deployment: "d-etl".into(),
            dag_id: "etl".into(),
            paused: true,
        },
    );
    assert_eq!(id, None);
    assert!(effects.is_empty());
    assert!(
        s.ui.message
            .as_ref()
            .unwrap()
            .text
            .starts_with("Read-only mode")
    );
}

#[test]
fn a_done_change_rereads_what_it_made_stale_and_is_held() {
    let mut s = at_overview();
    let runs = AirflowRequest::DagRuns {
        deployment: "d-etl".into(),
        dag_id: "etl".into(),
    };
    let seq = sent(&airflow::fetch(&mut s, runs.clone()))[0].0;
    reply(&mut s, runs.clone(), seq, Ok(AirflowPayload::Runs(vec![])));
    let (id, effects) = airflow::mutate(
        &mut s,
        AirflowMutation::MarkRun {
            deployment: "d-etl".into(),
            dag_id: "etl".into(),
            run_id: "r1".into(),
            state: MarkState::Failed,
        },
    );
    let id = id.unwrap();
    assert!(
        matches!(&effects[..], [Effect::AirflowMutate { target, .. }] if target.deployment == "d-etl")
    );
    let effects = update(
        &mut s,
        Msg::AirflowMutated {
            id,
            at: now(),
            result: Ok(()),
        },
    );
    let reread: Vec<_> = sent(&effects).into_iter().map(|(_, r, _)| r).collect();
    // The runs are held, so read again; the run's task instances were never read: not fetched.
    assert_eq!(reread, vec![runs]);
    assert_eq!(s.ui.message.as_ref().unwrap().text, "Marked r1 failed");
}

#[test]
fn a_refused_change_says_why() {
    let mut s = at_overview();
    let (id, _) = airflow::mutate(
        &mut s,
        AirflowMutation::Trigger {
            deployment: "d-etl".into(),
            dag_id: "etl".into(),
            conf: None,
        },
    );
    let failure = AirflowError::Problem {
        status: 403,
        title: "Forbidden".into(),
        detail: "Your role cannot trigger DAGs".into(),
    };
    let effects = update(
        &mut s,
        Msg::AirflowMutated {
            id: id.unwrap(),
            at: now(),
            result: Err(failure),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(
        s.ui.message.as_ref().unwrap().text,
        "Permission denied by Airflow: Forbidden: Your role cannot trigger DAGs (HTTP 403). \
         Triggering a run of etl needs a deployment Editor or Admin"
    );
    assert!(s.session.login.is_none());
}
