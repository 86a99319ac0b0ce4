//! What keeps the lists live: status changes move and highlight rows, a deployment that came or
//! went reloads the list, the full list once a minute and statuses in between, the workspace
//! list the same way, and the slower pace out of focus. Reducer flows, messages in, state out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::freshness::{HIGHLIGHT_SECS, ROWS_REFRESH_SECS};
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::update;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::fleet::*;
use common::*;

/// The screen row (0-based) showing `text`.
fn line_of(buffer: &ratatui::buffer::Buffer, text: &str) -> u16 {
    let area = buffer.area;
    (0..area.height)
        .find(|&y| {
            (0..area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .contains(text)
        })
        .unwrap_or_else(|| panic!("{text} is not on screen"))
}

#[test]
fn a_status_change_moves_the_row_up_and_is_highlighted_for_a_while() {
    let (mut s, mut rows) = global_view();
    let generation = s.table_generation(&TableId::AllDeployments);

    // The refresh asks only for statuses: the rows are fresh.
    let due = s.net.next_refresh_at.unwrap();
    let fx = update(&mut s, Msg::Tick(due));
    assert_eq!(fetched(&fx), vec![Request::AllDeploymentStatuses]);
    // Nothing changed: nothing moves, no highlight, the table is not recomputed.
    answer(
        &mut s,
        &fx,
        &Request::AllDeploymentStatuses,
        5,
        Ok(statuses(&rows)),
    );
    assert_eq!(s.table_generation(&TableId::AllDeployments), generation);
    assert!(s.freshness.changed.is_empty());

    // "zeta" turns UNHEALTHY.
    rows[0].status = DeploymentStatus::Unhealthy;
    let due = s.net.next_refresh_at.unwrap();
    let fx = update(&mut s, Msg::Tick(due));
    answer(
        &mut s,
        &fx,
        &Request::AllDeploymentStatuses,
        10,
        Ok(statuses(&rows)),
    );
    assert_eq!(names(&s)[..3], ["beta", "gamma", "zeta"]);
    assert!(s.freshness.recently_changed("d-1", s.now));
    assert!(!s.freshness.recently_changed("d-2", s.now));
    // The data on screen is as fresh as the statuses.
    assert_eq!(s.view_status().updated_at, Some(later(10)));

    // On screen: zeta's row stands out, the others do not.
    let buffer = render_buffer(&s, 160, 48);
    let (zeta, epsilon) = (line_of(&buffer, "zeta"), line_of(&buffer, "epsilon"));
    let yellow = |y: u16| (0..160).any(|x| buffer[(x, y)].bg == ratatui::style::Color::Yellow);
    assert!(yellow(zeta));
    assert!(!yellow(epsilon));

    // Thirty seconds later the highlight is gone.
    update(&mut s, Msg::Tick(later(10 + HIGHLIGHT_SECS)));
    assert!(!s.freshness.recently_changed("d-1", s.now));
    assert!(s.freshness.changed.is_empty());
    let buffer = render_buffer(&s, 160, 48);
    assert!(!yellow_line(&buffer, line_of(&buffer, "zeta")));
}

fn yellow_line(buffer: &ratatui::buffer::Buffer, y: u16) -> bool {
    (0..buffer.area.width).any(|x| buffer[(x, y)].bg == ratatui::style::Color::Yellow)
}

#[test]
fn a_status_change_seen_in_a_full_reload_is_highlighted_too() {
    let (mut s, mut rows) = global_view();
    rows[2].status = DeploymentStatus::Healthy;
    let fx = update(&mut s, ctrl('r'));
    assert_eq!(
        fetched(&fx),
        vec![Request::AllDeployments],
        "the statuses come with the rows"
    );
    answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        1,
        Ok(Payload::Deployments(rows)),
    );
    assert!(s.freshness.recently_changed("d-3", s.now));
    assert_eq!(s.freshness.changed.len(), 1);
}

#[test]
fn a_deployment_that_came_or_went_reloads_the_list() {
    let (mut s, mut rows) = global_view();
    let mut newcomer = rows[0].clone();
    newcomer.id = "d-new".into();
    rows.push(newcomer);
    let due = s.net.next_refresh_at.unwrap();
    let fx = update(&mut s, Msg::Tick(due));
    let fx = answer(
        &mut s,
        &fx,
        &Request::AllDeploymentStatuses,
        5,
        Ok(statuses(&rows)),
    );
    assert_eq!(fetched(&fx), vec![Request::AllDeployments]);
}

#[test]
fn the_full_list_comes_once_a_minute_statuses_in_between() {
    let (mut s, rows) = global_view();
    let mut full_reloads = Vec::new();
    let mut rounds = 0;
    loop {
        let due = s.net.next_refresh_at.unwrap();
        let t = (due - now()).num_seconds();
        if t > ROWS_REFRESH_SECS + 10 {
            break;
        }
        let fx = update(&mut s, Msg::Tick(due));
        rounds += 1;
        for r in fetched(&fx) {
            match r {
                Request::AllDeploymentStatuses => {
                    answer(&mut s, &fx, &r, t, Ok(statuses(&rows)));
                }
                Request::AllDeployments => {
                    full_reloads.push(t);
                    answer(&mut s, &fx, &r, t, Ok(Payload::Deployments(rows.clone())));
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    assert!(rounds >= 13, "{rounds} rounds");
    assert_eq!(
        full_reloads,
        [ROWS_REFRESH_SECS],
        "one full reload, a minute after the first"
    );
}

#[test]
fn the_workspace_list_is_kept_live_the_same_way() {
    let mut s = loaded_state();
    put_app_config(&mut s);
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    let rows_request = Request::Deployments("ws-data".into());
    let statuses_request = Request::DeploymentStatuses("ws-data".into());
    let fx = update(&mut s, ctrl('r'));
    assert_eq!(
        fetched(&fx),
        vec![rows_request.clone()],
        "the statuses come with the rows"
    );
    let mut rows = admin_deployments();
    answer(
        &mut s,
        &fx,
        &rows_request,
        1,
        Ok(Payload::Deployments(rows.clone())),
    );
    let due = s.net.next_refresh_at.unwrap();
    let fx = update(&mut s, Msg::Tick(due));
    assert_eq!(fetched(&fx), vec![statuses_request.clone()]);
    rows[0].status = DeploymentStatus::Unhealthy;
    answer(&mut s, &fx, &statuses_request, 10, Ok(statuses(&rows)));
    assert_eq!(
        s.cache.deployments(&"ws-data".into()).unwrap()[0].status,
        DeploymentStatus::Unhealthy,
        "applied to the one cached list"
    );
    assert!(s.freshness.recently_changed(rows[0].id.as_str(), s.now));
}

#[test]
fn out_of_focus_for_a_minute_the_refresh_slows_down_and_focus_brings_it_back() {
    let (mut s, rows) = global_view();
    update(&mut s, Msg::Focus(false));
    let mut intervals = Vec::new();
    let mut full_reloads = Vec::new();
    loop {
        let due = s.net.next_refresh_at.unwrap();
        let t = (due - now()).num_seconds();
        if t > 200 {
            break;
        }
        let fx = update(&mut s, Msg::Tick(due));
        if fetched(&fx).contains(&Request::AllDeployments) {
            full_reloads.push(t);
        }
        for r in fetched(&fx) {
            let payload = match r {
                Request::AllDeployments => Payload::Deployments(rows.clone()),
                _ => statuses(&rows),
            };
            answer(&mut s, &fx, &r, t, Ok(payload));
        }
        intervals.push((s.net.next_refresh_at.unwrap() - due).num_seconds());
    }
    assert_eq!(intervals[0], 5);
    assert!(intervals.ends_with(&[60, 60]), "{intervals:?}");
    assert!(
        full_reloads.is_empty(),
        "nobody looking: statuses only ({full_reloads:?})"
    );
    // Focus returns: the whole list at once, back to every 5 s.
    let fx = update(&mut s, Msg::Focus(true));
    assert_eq!(fetched(&fx), vec![Request::AllDeployments]);
    assert_eq!((s.net.next_refresh_at.unwrap() - s.now).num_seconds(), 5);
    // A short absence changes nothing.
    update(&mut s, Msg::Focus(false));
    assert!(fetched(&update(&mut s, Msg::Focus(true))).is_empty());
}
