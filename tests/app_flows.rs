//! Reducer flows of fetching: startup, moving between views and tabs, which reply wins,
//! failures with back-off and recovery, what a refresh fetches. Messages in, state and the exact
//! effects out. No terminal, no network.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::app_flows::*;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The requests cancelled among `effects`.
fn cancelled(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Cancel(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

/// What keeps the deployments list live between its full reloads.
fn statuses_request() -> Request {
    Request::DeploymentStatuses("ws-data".into())
}

#[test]
fn startup_fetches_me_then_workspaces() {
    let s = boot();
    assert_eq!(
        s.me().and_then(|m| m.id.as_ref()).map(|id| id.as_str()),
        Some("u-ada")
    );
    assert_eq!(s.cache.workspaces().map(<[_]>::len), Some(3));
    assert_eq!(
        s.cache.app_config().and_then(|c| c.version.as_deref()),
        Some("0.35.0")
    );
    assert_eq!(s.route(), &Route::Account);
    assert!(s.net.in_flight.is_empty());
}

#[test]
fn navigation_account_workspace_deployment_and_back() {
    let mut s = boot();
    into_workspace(&mut s);
    assert_eq!(
        s.route(),
        &Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Deployments
        }
    );
    assert_eq!(
        s.breadcrumbs(),
        vec!["demo", "Data Platform", "Deployments"]
    );

    // Second row: "reporting".
    assert!(update(&mut s, ch('j')).is_empty());
    let fx = update(&mut s, key(KeyCode::Enter));
    let dep = Request::Deployment("d-rep".into());
    assert_eq!(fetched(&fx), vec![dep.clone()]);
    let seq = seq_of(&fx, &dep);
    assert_eq!(
        s.breadcrumbs(),
        vec!["demo", "Data Platform", "reporting", "Overview"]
    );

    // Back while the deployment request is still in flight: it is cancelled.
    let fx = update(&mut s, key(KeyCode::Esc));
    assert_eq!(cancelled(&fx), vec![dep.clone()]);
    assert_eq!(fetched(&fx), vec![deployments_request()]);
    // A late reply for the cancelled request is ignored.
    let mut d = deployments()[1].clone();
    d.label = "late".into();
    assert!(update(&mut s, reply(dep, seq, 1, Payload::Deployment(Box::new(d)))).is_empty());
    assert_ne!(
        s.cache
            .deployment(&"d-rep".into())
            .map(|d| d.label.as_str()),
        Some("late")
    );

    let fx = update(&mut s, key(KeyCode::Esc));
    assert_eq!(cancelled(&fx), vec![deployments_request()]);
    assert_eq!(fetched(&fx), vec![workspaces_request()]);
    assert_eq!(s.route(), &Route::Account);
    // Esc on the top level is not even a key there.
    assert!(update(&mut s, key(KeyCode::Esc)).is_empty());
    assert_eq!(s.nav.routes.len(), 1);
}

#[test]
fn tabs_switch_and_fetch_only_the_new_tab() {
    let mut s = boot();
    into_workspace(&mut s);
    let fx = update(&mut s, key(KeyCode::Tab));
    assert_eq!(
        fetched(&fx),
        vec![Request::WorkspaceUsers("ws-data".into())]
    );
    assert_eq!(
        s.screen(),
        astrodash::app::keymap::Screen::Workspace(WorkspaceTab::Users)
    );

    // Invites: an admin of the workspace may see them.
    let fx = update(&mut s, key(KeyCode::Tab));
    assert_eq!(
        cancelled(&fx),
        vec![Request::WorkspaceUsers("ws-data".into())]
    );
    assert_eq!(
        fetched(&fx),
        vec![Request::WorkspaceInvites("ws-data".into())]
    );

    let fx = update(&mut s, ch('6'));
    assert_eq!(fetched(&fx), vec![workspaces_request()]);
    assert!(matches!(
        s.route(),
        Route::Workspace {
            tab: WorkspaceTab::Settings,
            ..
        }
    ));
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
    );
    assert!(fetched(&fx).contains(&Request::WorkspaceServiceAccounts("ws-data".into())));
    // A tab number out of range changes nothing.
    assert!(update(&mut s, ch('9')).is_empty());
}

#[test]
fn latest_reply_wins() {
    let mut s = boot();
    let first = update(&mut s, ctrl('r'));
    let second = update(&mut s, ctrl('r'));
    let old = seq_of(&first, &workspaces_request());
    let new = seq_of(&second, &workspaces_request());
    assert!(new > old);
    let mut newest = workspaces();
    newest.truncate(1);
    update(
        &mut s,
        reply(workspaces_request(), new, 2, Payload::Workspaces(newest)),
    );
    // The older request answers last: dropped.
    update(
        &mut s,
        reply(
            workspaces_request(),
            old,
            3,
            Payload::Workspaces(workspaces()),
        ),
    );
    assert_eq!(s.cache.workspaces().map(<[_]>::len), Some(1));
}

#[test]
fn failure_keeps_data_backs_off_and_recovers() {
    let mut s = boot();
    into_workspace(&mut s);
    let req = deployments_request();

    // The refresh (of the statuses: the rows are fresh) falls due and fails.
    let due = s.net.next_refresh_at.unwrap();
    let fx = update(&mut s, Msg::Tick(due));
    let seq = seq_of(&fx, &statuses_request());
    let fx = update(
        &mut s,
        Msg::Api {
            request: statuses_request(),
            seq,
            at: due,
            result: Err(ApiError::Network("connection refused".into())),
        },
    );
    assert!(fx.is_empty());
    assert!(s.cache.remote(&statuses_request()).unwrap().is_failed());
    assert_eq!(
        s.cache.deployments(&"ws-data".into()).map(<[_]>::len),
        Some(4),
        "last data stays"
    );
    assert_eq!(s.net.failures, 1);
    assert_eq!(
        s.net.next_refresh_at,
        Some(due + chrono::Duration::seconds(2))
    );
    assert_eq!(s.visible_message().map(|m| m.level), Some(Level::Error));
    assert!(s.view_status().failed.is_some());

    // Nothing before the back-off deadline; a retry at it (the whole list, since the statuses
    // failed); the next failure waits longer.
    assert!(update(&mut s, Msg::Tick(due + chrono::Duration::seconds(1))).is_empty());
    let retry_at = due + chrono::Duration::seconds(2);
    let fx = update(&mut s, Msg::Tick(retry_at));
    assert_eq!(
        fetched(&fx),
        vec![req.clone()],
        "the list brings the statuses"
    );
    let seq = seq_of(&fx, &req);
    update(
        &mut s,
        Msg::Api {
            request: req.clone(),
            seq,
            at: retry_at,
            result: Err(ApiError::Timeout),
        },
    );
    assert!(s.cache.remote(&req).unwrap().is_failed());
    assert_eq!(s.net.failures, 2);
    assert_eq!(
        s.net.next_refresh_at,
        Some(retry_at + chrono::Duration::seconds(4))
    );

    // The server is back: fresh data, error cleared, normal schedule.
    let back_at = retry_at + chrono::Duration::seconds(4);
    let fx = update(&mut s, Msg::Tick(back_at));
    let seq = seq_of(&fx, &req);
    let mut fresh = admin_deployments();
    fresh.truncate(2);
    // No deployment is DEPLOYING any more: the normal 5 s schedule applies.
    for d in &mut fresh {
        d.status = DeploymentStatus::Healthy;
    }
    update(
        &mut s,
        Msg::Api {
            request: req.clone(),
            seq,
            at: back_at,
            result: Ok(Payload::Deployments(fresh)),
        },
    );
    assert_eq!(s.net.failures, 0);
    assert!(!s.cache.remote(&req).unwrap().is_failed());
    assert_eq!(
        s.cache.deployments(&"ws-data".into()).map(<[_]>::len),
        Some(2)
    );
    assert_eq!(
        s.visible_message().map(|m| (m.level, m.text.as_str())),
        Some((Level::Info, "Connection restored"))
    );
    let fx = update(&mut s, Msg::Tick(back_at));
    assert!(fx.is_empty());
    assert_eq!(
        s.net.next_refresh_at,
        Some(back_at + chrono::Duration::seconds(2)),
        "set when the retry went out"
    );
}

#[test]
fn backoff_schedule_is_capped() {
    use astrodash::app::update::backoff_secs;
    let secs: Vec<i64> = (1..=7).map(backoff_secs).collect();
    assert_eq!(secs, vec![2, 4, 8, 16, 30, 30, 30]);
}

#[test]
fn refresh_only_fetches_the_visible_view() {
    let mut s = boot();
    into_workspace(&mut s);
    let due = s.net.next_refresh_at.unwrap();
    assert!(update(&mut s, Msg::Tick(due - chrono::Duration::seconds(1))).is_empty());
    let fx = update(&mut s, Msg::Tick(due));
    // The rows came a moment ago: their statuses keep them live.
    assert_eq!(fetched(&fx), vec![statuses_request()]);
    // Still in flight at the next due time: not asked twice.
    let next = s.net.next_refresh_at.unwrap();
    assert!(update(&mut s, Msg::Tick(next)).is_empty());
}

#[test]
fn a_deploying_deployment_is_followed_closely() {
    let mut s = boot();
    into_workspace(&mut s);
    // "staging" is DEPLOYING in the fixtures: the view refreshes every 2 s, not 5.
    let fx = update(&mut s, ctrl('r'));
    assert!(!fx.is_empty());
    assert_eq!(
        s.net.next_refresh_at,
        Some(now() + chrono::Duration::seconds(2))
    );
}

#[test]
fn a_deployment_deleted_while_open_goes_back_to_the_list() {
    let mut s = boot();
    into_workspace(&mut s);
    let fx = update(&mut s, key(KeyCode::Enter));
    answer(
        &mut s,
        &fx,
        Request::Deployment("d-etl".into()),
        Payload::Deployment(Box::new(admin_deployments()[0].clone())),
    );
    let fx = update(&mut s, ctrl('r'));
    let fx = fail(
        &mut s,
        &fx,
        Request::Deployment("d-etl".into()),
        ApiError::NotFound("The deployment no longer exists".into()),
    );
    assert!(
        matches!(s.route(), Route::Workspace { .. }),
        "{:?}",
        s.route()
    );
    assert!(
        s.visible_message()
            .unwrap()
            .text
            .contains("no longer exists"),
        "{:?}",
        s.ui.message
    );
    assert_eq!(s.net.failures, 0, "not a connection problem");
    assert!(fetched(&fx).contains(&deployments_request()));
    // Its row is gone until the list says otherwise.
    assert!(s.cache.deployment(&"d-etl".into()).is_none());
    let fx = answer(
        &mut s,
        &fx,
        deployments_request(),
        Payload::Deployments(admin_deployments()[1..].to_vec()),
    );
    assert!(fx.is_empty());
    assert!(
        !s.visible_message().unwrap().text.contains("restored"),
        "nothing dropped, nothing restored"
    );
}

#[test]
fn two_failures_in_one_round_back_off_once() {
    let mut s = boot();
    into_workspace(&mut s);
    update(&mut s, key(KeyCode::Enter));
    let fx = update(&mut s, ch('3'));
    let reqs = fetched(&fx);
    // The deployment, its users and its teams.
    assert_eq!(reqs.len(), 3, "{reqs:?}");
    for r in reqs {
        fail(&mut s, &fx, r, ApiError::Network("down".into()));
    }
    assert_eq!(s.net.failures, 1);
    assert_eq!(s.net.next_refresh_at, Some(later(2)));
}

/// Features only wish for data (`Effect::Schedule`); `update` turns every wish into fetches and
/// cancels before it returns, so the executor never sees one.
#[test]
fn no_wish_for_data_leaves_the_reducer() {
    let mut s = boot();
    let mut effects = Vec::new();
    for k in [
        key(KeyCode::Enter),
        key(KeyCode::Tab),
        key(KeyCode::BackTab),
        key(KeyCode::Enter),
        key(KeyCode::Esc),
        ctrl('r'),
    ] {
        effects.extend(update(&mut s, k));
    }
    assert!(
        effects.iter().all(|e| !matches!(e, Effect::Schedule(_))),
        "{effects:?}"
    );
    // The wishes became fetches: the opened workspace's deployments, then its Users tab.
    let requests = fetched(&effects);
    assert!(
        matches!(requests.first(), Some(Request::Deployments(_))),
        "{effects:?}"
    );
    assert!(
        requests
            .iter()
            .any(|r| matches!(r, Request::WorkspaceUsers(_))),
        "{effects:?}"
    );
}
