//! `u` on a Runtime deployment (every deployment from Houston 1.0.1 on, where Houston refuses
//! the Astronomer Certified fields): the form offers the Runtime releases of the deployment's
//! cluster, read first; it sends `updateDeploymentRuntime` after re-reading the deployment, a
//! desired version a colleague set meanwhile is a conflict, and `U` cancels a pending one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::forms::{FieldId, FormKind};
use astrodash::app::modal::{ConfirmAction, Modal};
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::mutation::Mutation;
use astrodash::houston::request::{Payload, Request};
use astrodash::houston::runtime::RuntimeRelease;
use common::app_flows::{answer, fail, fetched};
use common::clusters::*;
use common::forms::{mutation, no_mutation, top_confirm, top_form};
use common::merge::conflict;
use common::*;
use crossterm::event::KeyCode;

/// A release; the first of each Airflow version migrates the database.
fn release(version: &str, airflow: &str) -> RuntimeRelease {
    RuntimeRelease {
        version: version.into(),
        airflow_version: Some(airflow.into()),
        migrates_database: ["10.3.0", "11.6.0", "12.4.0", "3.0-4"].contains(&version),
    }
}

/// The catalogue as Houston lists it (oldest first, one Airflow 3 line).
fn releases() -> Vec<RuntimeRelease> {
    vec![
        release("10.3.0", "2.8.1"),
        release("11.6.0", "2.9.2"),
        release("11.7.0", "2.9.2"),
        release("12.4.0", "2.10.3"),
        release("3.0-4", "3.0.2"),
    ]
}

/// prod-etl as Houston 1.0.1 has it: Runtime 11.6.0 on dp-east, no Astronomer Certified fields.
fn runtime_etl(desired: &str) -> Deployment {
    let mut d = apc_deployments()
        .into_iter()
        .find(|d| d.id == "d-etl")
        .unwrap();
    d.airflow_version = None;
    d.desired_airflow_version = None;
    d.runtime_version = Some("11.6.0".into());
    d.desired_runtime_version = Some(desired.into());
    d.runtime_airflow_version = Some("2.9.2".into());
    d
}

fn releases_request() -> Request {
    Request::RuntimeReleases(Some("cl-east".into()))
}

/// On prod-etl's Overview, Houston 2.1, with the deployment as `runtime_etl(desired)`.
fn at_etl(desired: &str) -> AppState {
    let mut s = apc_state();
    put(
        &mut s,
        Request::Deployment("d-etl".into()),
        Payload::Deployment(Box::new(runtime_etl(desired))),
    );
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    s.nav.routes.push(Route::Deployment {
        id: "d-etl".into(),
        tab: DeploymentTab::Overview,
    });
    s
}

fn choices(s: &AppState) -> Vec<String> {
    match &top_form(s).form.field(FieldId::Version).unwrap().kind {
        astrodash::app::forms::FieldKind::Select { choices, .. } => {
            choices.iter().map(|c| c.label.clone()).collect()
        }
        other => panic!("not a choice: {other:?}"),
    }
}

#[test]
fn u_reads_the_clusters_releases_then_offers_the_newer_ones() {
    let mut s = at_etl("11.6.0");
    let fx = update(&mut s, ch('u'));
    assert!(fetched(&fx).contains(&releases_request()), "{fx:?}");
    assert!(s.ui.modals.is_empty(), "no form before the releases");
    assert!(render(&s, 120, 40).contains("Loading the Runtime versions"));
    answer(
        &mut s,
        &fx,
        releases_request(),
        Payload::RuntimeReleases(releases()),
    );
    let form = top_form(&s);
    assert!(matches!(form.kind, FormKind::UpgradeAirflow(_)));
    assert_eq!(form.form.title, "Upgrade Runtime of prod-etl");
    // Newer releases only, newest first; none older than the deployment's Airflow.
    assert_eq!(
        choices(&s),
        [
            "12.4.0 · Airflow 2.10.3 · migrates DB",
            "11.7.0 · Airflow 2.9.2"
        ]
    );
    assert_eq!(top_form(&s).form.value(FieldId::Version), "12.4.0");
    let text = render(&s, 120, 40);
    assert!(
        text.contains("Now 11.6.0 (Airflow 2.9.2), until next deploy"),
        "{text}"
    );
}

#[test]
fn the_upgrade_is_sent_after_a_reread_as_the_cli_sends_it() {
    let mut s = at_etl("11.6.0");
    put(
        &mut s,
        releases_request(),
        Payload::RuntimeReleases(releases()),
    );
    update(&mut s, ch('u'));
    let fx = press_answering_rereads(&mut s, ctrl('s'));
    let (_, m) = mutation(&fx);
    assert_eq!(
        m,
        Mutation::UpgradeRuntime {
            id: "d-etl".into(),
            label: "prod-etl".into(),
            version: "12.4.0".into(),
            running: "11.6.0".into(),
        }
    );
}

#[test]
fn a_desired_runtime_set_meanwhile_is_a_conflict_not_an_overwrite() {
    let mut s = at_etl("11.6.0");
    put(
        &mut s,
        releases_request(),
        Payload::RuntimeReleases(releases()),
    );
    update(&mut s, ch('u'));
    let fx = update(&mut s, ctrl('s'));
    // A colleague asked for 11.7.0 meanwhile.
    let theirs = Payload::Deployment(Box::new(runtime_etl("11.7.0")));
    let server = |r: &Request| (*r == Request::Deployment("d-etl".into())).then(|| theirs.clone());
    no_mutation(&answer_reads_with(&mut s, &fx, server));
    let row = &conflict(&s).rows[0];
    assert_eq!(
        (row.base.as_str(), row.theirs.as_str(), row.mine.as_str()),
        (
            "11.6.0",
            "11.7.0 · Airflow 2.9.2",
            "12.4.0 · Airflow 2.10.3 · migrates DB"
        )
    );
}

#[test]
fn choosing_the_pending_version_again_is_refused_and_u_cancels() {
    let mut s = at_etl("11.7.0");
    put(
        &mut s,
        releases_request(),
        Payload::RuntimeReleases(releases()),
    );
    update(&mut s, ch('u'));
    // The running version is offered to cancel.
    assert_eq!(
        choices(&s).last().map(String::as_str),
        Some("11.6.0 (current: cancels the pending upgrade)")
    );
    // U: cancel the pending upgrade.
    let mut s = at_etl("11.7.0");
    update(&mut s, ch('U'));
    let c = top_confirm(&s);
    assert_eq!(c.title, "Cancel the Runtime upgrade of prod-etl?");
    let ConfirmAction::Mutate(m) = c.action.clone() else {
        panic!("{:?}", c.action);
    };
    assert!(
        matches!(&m, Mutation::UpgradeRuntime { version, running, .. } if version == running),
        "{m:?}"
    );
    let (_, sent) = mutation(&update(&mut s, key(KeyCode::Enter)));
    assert_eq!(sent, m);
    // Nothing pending: no U.
    let mut s = at_etl("11.6.0");
    assert!(update(&mut s, ch('U')).is_empty());
    assert!(s.ui.modals.iter().all(|m| !matches!(m, Modal::Confirm(_))));
}

#[test]
fn releases_that_cannot_be_read_are_said_and_open_no_form() {
    let mut s = at_etl("11.6.0");
    let fx = update(&mut s, ch('u'));
    fail(
        &mut s,
        &fx,
        releases_request(),
        ApiError::Network("connection refused".into()),
    );
    assert!(s.ui.modals.is_empty());
    let text = render(&s, 160, 40);
    assert!(
        text.contains("The Runtime versions could not be read"),
        "{text}"
    );
    // On the newest release there is nothing to choose: said, no form.
    let mut s = at_etl("11.6.0");
    put(
        &mut s,
        releases_request(),
        Payload::RuntimeReleases(vec![release("11.6.0", "2.9.2")]),
    );
    update(&mut s, ch('u'));
    assert!(s.ui.modals.is_empty());
    assert!(render(&s, 160, 40).contains("already runs the newest Runtime version"));
}

/// A deployment still on Astronomer Certified where Houston (1.0.1 on) has no AC upgrade: `u`
/// offers Runtime releases (it moves to Runtime); before 1.0.1 it keeps the AC form.
#[test]
fn an_ac_deployment_moves_to_runtime_from_houston_1_0_1() {
    for (version, runtime) in [("1.0.1", true), ("2.1.0", true), ("1.0.0", false)] {
        let mut s = at_etl("11.6.0");
        let mut ac = runtime_etl("11.6.0");
        ac.runtime_version = None;
        ac.desired_runtime_version = None;
        ac.runtime_airflow_version = None;
        ac.airflow_version = Some("2.8.1".into());
        put(
            &mut s,
            Request::Deployment("d-etl".into()),
            Payload::Deployment(Box::new(ac)),
        );
        put(
            &mut s,
            Request::AppConfig,
            Payload::AppConfig(AppConfig {
                version: Some(version.into()),
                base_domain: None,
            }),
        );
        let fx = update(&mut s, ch('u'));
        assert_eq!(
            fetched(&fx).contains(&releases_request()),
            runtime,
            "{version}: {fx:?}"
        );
        if !runtime {
            continue;
        }
        answer(
            &mut s,
            &fx,
            releases_request(),
            Payload::RuntimeReleases(releases()),
        );
        assert_eq!(
            top_form(&s).form.title,
            "Upgrade Runtime of prod-etl",
            "{version}"
        );
        let text = render(&s, 160, 40);
        assert!(
            text.contains("Now Astronomer Certified: moves to Runtime"),
            "{text}"
        );
    }
}

/// The Runtime upgrade form as it is drawn (a pending upgrade: the running version cancels).
#[test]
fn the_runtime_upgrade_form_snapshots() {
    let mut s = at_etl("11.7.0");
    put(
        &mut s,
        releases_request(),
        Payload::RuntimeReleases(releases()),
    );
    update(&mut s, ch('u'));
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("runtime_upgrade_{w}x{h}"), render(&s, w, h));
    }
}
