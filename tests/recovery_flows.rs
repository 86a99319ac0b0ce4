//! Recovery after a fault: reducer flows of a server that goes away for a while and comes back
//! (every request that failed is asked again, the STALE badge clears, and lists kept live by
//! statuses go back to the cheap status requests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::*;

fn fetches(effects: &[Effect]) -> Vec<(Request, u64)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, seq } => Some((request.clone(), *seq)),
            _ => None,
        })
        .collect()
}

fn down() -> ApiError {
    ApiError::Network("connection refused".into())
}

fn statuses(list: &[Deployment]) -> Payload {
    Payload::Statuses(
        list.iter()
            .map(|d| DeploymentStatusRow {
                id: d.id.clone(),
                status: d.status,
            })
            .collect(),
    )
}

/// What the server answers to `request` when it is up.
fn served(request: &Request, rows: &[Deployment]) -> Payload {
    match request {
        Request::Deployments(_) | Request::AllDeployments => Payload::Deployments(rows.to_vec()),
        Request::DeploymentStatuses(_) | Request::AllDeploymentStatuses => statuses(rows),
        Request::AppConfig => Payload::AppConfig(AppConfig {
            version: Some("0.35.0".into()),
            base_domain: None,
        }),
        Request::Workspaces { .. } => Payload::Workspaces(workspaces()),
        Request::Me => Payload::Me(me()),
        Request::DeploymentConfig => Payload::DeploymentConfig(DeploymentConfig::default()),
        other => panic!("unexpected request {other:?}"),
    }
}

/// Runs the refresh rounds due up to `until` seconds, answering every request at once: with a
/// network error while `up(t)` is false. Returns the requests of each round, by time.
fn run(
    s: &mut AppState,
    rows: &[Deployment],
    until: i64,
    up: impl Fn(i64) -> bool,
) -> Vec<(i64, Vec<Request>)> {
    let mut rounds = Vec::new();
    loop {
        let due = s.net.next_refresh_at.expect("a refresh is scheduled");
        let t = (due - now()).num_seconds();
        if t > until {
            return rounds;
        }
        let mut pending = fetches(&update(s, Msg::Tick(due)));
        let mut asked = Vec::new();
        while let Some((request, seq)) = pending.pop() {
            asked.push(request.clone());
            let result = if up(t) {
                Ok(served(&request, rows))
            } else {
                Err(down())
            };
            let fx = update(
                s,
                Msg::Api {
                    request,
                    seq,
                    at: later(t),
                    result,
                },
            );
            pending.extend(fetches(&fx));
        }
        rounds.push((t, asked));
    }
}

fn at_workspace_list() -> (AppState, Vec<Deployment>) {
    let mut s = loaded_state();
    put(&mut s, Request::AppConfig, served(&Request::AppConfig, &[]));
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    let rows = admin_deployments();
    let fx = update(&mut s, ctrl('r'));
    for (request, seq) in fetches(&fx) {
        update(
            &mut s,
            Msg::Api {
                at: now(),
                result: Ok(served(&request, &rows)),
                request,
                seq,
            },
        );
    }
    (s, rows)
}

fn assert_recovers(mut s: AppState, rows: &[Deployment], list: Request, statuses: Request) {
    // Up for a while, down from 20 s to 30 s, then up again.
    let rounds = run(&mut s, rows, 90, |t| !(20..30).contains(&t));
    let during: Vec<&(i64, Vec<Request>)> = rounds
        .iter()
        .filter(|(t, _)| (20..30).contains(t))
        .collect();
    assert!(!during.is_empty(), "the outage was seen: {rounds:?}");

    // Once back: the badge is gone…
    let status = s.view_status();
    assert!(status.failed.is_none(), "still failed: {:?}", status.failed);
    // …every request is answered (nothing left failed in the cache)…
    assert!(
        !s.cache.remote(&statuses).is_some_and(|r| r.is_failed()),
        "the statuses request is asked again"
    );
    // …and the rounds after the recovery ask for statuses only, not the whole list each time.
    let after: Vec<&(i64, Vec<Request>)> = rounds.iter().filter(|(t, _)| *t >= 40).collect();
    assert!(after.len() >= 5, "{rounds:?}");
    let full = after.iter().filter(|(_, r)| r.contains(&list)).count();
    let cheap = after.iter().filter(|(_, r)| r.contains(&statuses)).count();
    assert!(
        full <= 1,
        "back to a full reload once a minute at most, not every round: {after:?}"
    );
    assert!(
        cheap >= after.len() - 1,
        "the status polling resumed: {after:?}"
    );
}

#[test]
fn after_an_outage_a_workspace_list_clears_stale_and_polls_statuses_again() {
    let (s, rows) = at_workspace_list();
    assert_recovers(
        s,
        &rows,
        Request::Deployments("ws-data".into()),
        Request::DeploymentStatuses("ws-data".into()),
    );
}

#[test]
fn after_an_outage_the_all_deployments_view_clears_stale_and_polls_statuses_again() {
    let mut s = loaded_state();
    put(&mut s, Request::AppConfig, served(&Request::AppConfig, &[]));
    let rows = admin_deployments();
    let fx = update(&mut s, ch('a'));
    for (request, seq) in fetches(&fx) {
        update(
            &mut s,
            Msg::Api {
                at: now(),
                result: Ok(served(&request, &rows)),
                request,
                seq,
            },
        );
    }
    assert_eq!(s.route(), &Route::AllDeployments);
    assert_recovers(
        s,
        &rows,
        Request::AllDeployments,
        Request::AllDeploymentStatuses,
    );
}

#[test]
fn a_full_reload_that_failed_alone_is_not_left_failed_behind_fresh_statuses() {
    // Ctrl-r while the server is down: only the list is asked (its statuses come with it) and
    // it fails. Once the server is back the list is asked again, not left failed for a minute.
    let (mut s, rows) = at_workspace_list();
    let fx = update(&mut s, ctrl('r'));
    for (request, seq) in fetches(&fx) {
        update(
            &mut s,
            Msg::Api {
                at: later(1),
                result: Err(down()),
                request,
                seq,
            },
        );
    }
    let rounds = run(&mut s, &rows, 15, |_| true);
    assert!(
        rounds
            .iter()
            .any(|(_, r)| r.contains(&Request::Deployments("ws-data".into()))),
        "{rounds:?}"
    );
    assert!(s.view_status().failed.is_none());
}
