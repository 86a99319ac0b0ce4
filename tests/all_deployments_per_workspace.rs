//! The all-deployments view when the platform-wide list is refused or missing (an older Houston):
//! it reads workspace by workspace, four at a time, and a workspace the caller may not read is
//! counted, not shouted. Reducer flows, messages in, state and effects out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::freshness::MAX_LISTS_IN_FLIGHT;
use astrodash::app::msg::Msg;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::fleet::*;
use common::*;
use crossterm::event::KeyCode;

#[test]
fn refused_platform_wide_the_view_reads_workspace_by_workspace_four_at_a_time() {
    let many: Vec<Workspace> = (0..10)
        .map(|i| {
            workspace(
                &format!("ws-{i}"),
                &format!("Team {i}"),
                None,
                1,
                Role::WorkspaceViewer,
            )
        })
        .collect();
    let (mut s, fx) = refused(many.clone());
    assert_eq!(
        s.visible_message(),
        None,
        "an expected refusal is not an error"
    );
    assert!(s.session.login.is_none());
    let lists = |fx: &[Effect]| -> Vec<Request> {
        fetched(fx)
            .into_iter()
            .filter(|r| matches!(r, Request::Deployments(_)))
            .collect()
    };
    let first = lists(&fx);
    assert_eq!(first.len(), MAX_LISTS_IN_FLIGHT);
    assert!(
        fetched(&fx).contains(&Request::Me),
        "is the token still good?"
    );
    assert_eq!(
        astrodash::app::all_deployments::progress(&s.cache),
        Some((0, 10))
    );
    assert!(render(&s, 80, 24).contains("Read 0 of 10 workspaces…"));

    // Answer oldest first; each answer starts the next queued one, never more than four.
    let mut pending: Vec<(Vec<Effect>, Request)> =
        first.into_iter().map(|r| (fx.clone(), r)).collect();
    let mut answered = 0;
    while !pending.is_empty() {
        let (fx, request) = pending.remove(0);
        let Request::Deployments(ws) = &request else {
            unreachable!()
        };
        let w = many.iter().find(|w| &w.id == ws).unwrap();
        let status = if answered == 7 {
            DeploymentStatus::Unhealthy
        } else {
            DeploymentStatus::Healthy
        };
        let next = answer(
            &mut s,
            &fx,
            &request,
            1,
            Ok(Payload::Deployments(vec![row(
                &format!("d-{}", w.id),
                &format!("pipeline {}", w.label),
                w,
                status,
            )])),
        );
        answered += 1;
        let in_flight = s
            .net
            .in_flight
            .iter()
            .filter(|r| matches!(r, Request::Deployments(_)))
            .count();
        assert!(in_flight <= MAX_LISTS_IN_FLIGHT, "{in_flight} in flight");
        if answered < 10 {
            assert!(
                render(&s, 80, 24).contains(&format!("Read {answered} of 10 workspaces…")),
                "progress after {answered}"
            );
        }
        for r in lists(&next) {
            pending.push((next.clone(), r));
        }
    }
    assert_eq!(answered, 10, "every workspace was read once");
    assert_eq!(astrodash::app::all_deployments::progress(&s.cache), None);
    let rows = table(&s);
    assert_eq!(rows.len(), 10);
    assert_eq!(
        rows[0],
        ("pipeline Team 7".to_string(), DeploymentStatus::Unhealthy),
        "worst first across workspaces"
    );
    let text = render(&s, 160, 48);
    assert!(text.contains("All deployments (10)"), "{text}");
    assert!(!text.contains("workspaces…"), "{text}");

    // The next round keeps them live with statuses, four at a time as well.
    let due = s.net.next_refresh_at.unwrap();
    let fx = update(&mut s, Msg::Tick(due));
    let round = fetched(&fx);
    assert_eq!(round.len(), MAX_LISTS_IN_FLIGHT, "{round:?}");
    assert!(
        round
            .iter()
            .all(|r| matches!(r, Request::DeploymentStatuses(_)))
    );
    assert_eq!(s.freshness.queue.len(), 10 - MAX_LISTS_IN_FLIGHT);
    // Leaving the view drops what was queued.
    update(&mut s, key(KeyCode::Esc));
    assert!(s.freshness.queue.is_empty());
}

#[test]
fn a_workspace_the_caller_may_not_read_is_counted_not_shouted() {
    let (ws, rows) = fleet();
    let (mut s, fx) = refused(ws.clone());
    let of = |w: &WorkspaceId| -> Vec<Deployment> {
        rows.iter()
            .filter(|d| d.workspace_id.as_ref() == Some(w))
            .cloned()
            .collect()
    };
    answer(
        &mut s,
        &fx,
        &Request::Deployments(ws[0].id.clone()),
        1,
        Err(forbidden()),
    );
    answer(
        &mut s,
        &fx,
        &Request::Deployments(ws[1].id.clone()),
        1,
        Ok(Payload::Deployments(of(&ws[1].id))),
    );
    answer(
        &mut s,
        &fx,
        &Request::Deployments(ws[2].id.clone()),
        1,
        Ok(Payload::Deployments(vec![])),
    );
    assert_eq!(s.visible_message(), None);
    assert_eq!(
        astrodash::app::all_deployments::progress(&s.cache),
        None,
        "all answered"
    );
    assert_eq!(names(&s), ["beta", "delta", "epsilon"]);
}

#[test]
fn an_older_houston_without_the_platform_list_is_read_per_workspace_too() {
    let (ws, _) = fleet();
    let mut s = logged_in(ws, true);
    let fx = update(&mut s, ch('a'));
    let fx = answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        0,
        Err(ApiError::Unsupported {
            message: r#"Cannot query field "deployments" on type "Query"."#.into(),
            houston_version: Some("0.23.0".into()),
        }),
    );
    let lists = fetched(&fx);
    assert_eq!(lists.len(), 3, "{fx:?}");
    assert!(lists.iter().all(|r| matches!(r, Request::Deployments(_))));
    assert_eq!(s.visible_message(), None);
}
