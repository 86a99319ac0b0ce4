//! The all-deployments view and what keeps lists live: reducer flows (messages in, state and
//! effects out) and snapshots of the screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::freshness::{HIGHLIGHT_SECS, MAX_LISTS_IN_FLIGHT, ROWS_REFRESH_SECS};
use astrodash::app::keymap::{KeyScope, Screen};
use astrodash::app::modal::Modal;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::*;
use crossterm::event::KeyCode;

fn fetched(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

fn seq_of(effects: &[Effect], request: &Request) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { seq, request: r } if r == request => Some(*seq),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fetch of {request:?} in {effects:?}"))
}

/// The reply to the fetch of `request` among `effects`, `secs` after the fixed "now".
fn answer(
    s: &mut AppState,
    effects: &[Effect],
    request: &Request,
    secs: i64,
    result: Result<Payload, ApiError>,
) -> Vec<Effect> {
    let seq = seq_of(effects, request);
    update(
        s,
        Msg::Api {
            request: request.clone(),
            seq,
            at: later(secs),
            result,
        },
    )
}

fn forbidden() -> ApiError {
    ApiError::Forbidden("You do not have the appropriate permissions for that".into())
}

/// Houston 0.35, as `appConfig` says.
fn put_app_config(s: &mut AppState) {
    put(
        s,
        Request::AppConfig,
        Payload::AppConfig(AppConfig {
            version: Some("0.35.0".into()),
            base_domain: None,
        }),
    );
}

/// Logged in on the account dashboard with `workspaces` listed; `system_admin` as Houston says.
fn logged_in(workspaces: Vec<Workspace>, system_admin: bool) -> AppState {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    update(&mut s, Msg::Resize(160, 48));
    put_app_config(&mut s);
    put(
        &mut s,
        Request::Me,
        Payload::Me(Me {
            is_system_admin: system_admin,
            ..me()
        }),
    );
    put(
        &mut s,
        workspaces_request(),
        Payload::Workspaces(workspaces),
    );
    s
}

fn row(id: &str, label: &str, ws: &Workspace, status: DeploymentStatus) -> Deployment {
    Deployment {
        workspace_id: Some(ws.id.clone()),
        workspace_label: Some(ws.label.clone()),
        ..deployment(
            id,
            label,
            &format!("{id}-release"),
            Executor::Celery,
            status,
        )
    }
}

/// Two workspaces' deployments, statuses mixed, names out of order.
fn fleet() -> (Vec<Workspace>, Vec<Deployment>) {
    let ws = workspaces();
    let (data, sandbox) = (&ws[0], &ws[1]);
    let rows = vec![
        row("d-1", "zeta", data, DeploymentStatus::Healthy),
        row("d-2", "beta", sandbox, DeploymentStatus::Unhealthy),
        Deployment {
            // An Airflow upgrade pending: marked in the Airflow column.
            airflow_version: Some("2.8.1".into()),
            ..row("d-3", "alpha", data, DeploymentStatus::Deploying)
        },
        row("d-4", "gamma", data, DeploymentStatus::Unhealthy),
        row("d-5", "delta", sandbox, DeploymentStatus::Unknown),
        Deployment {
            // A Runtime upgrade pending: named in the Airflow column.
            runtime_version: Some("10.2.0".into()),
            desired_runtime_version: Some("11.6.0".into()),
            ..row("d-6", "epsilon", sandbox, DeploymentStatus::Healthy)
        },
    ];
    (ws, rows)
}

/// The all-deployments table, top to bottom: (name, status).
fn table(s: &AppState) -> Vec<(String, DeploymentStatus)> {
    let view = s.view(&TableId::AllDeployments);
    view.iter()
        .map(|&i| {
            let d = astrodash::app::tables::all_deployments::deployment(&s.cache, i).unwrap();
            (d.label.clone(), d.status)
        })
        .collect()
}

fn names(s: &AppState) -> Vec<String> {
    table(s).into_iter().map(|(n, _)| n).collect()
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

/// `a` pressed by a system admin and the platform-wide list answered.
fn global_view() -> (AppState, Vec<Deployment>) {
    let (ws, rows) = fleet();
    let mut s = logged_in(ws, true);
    let fx = update(&mut s, ch('a'));
    answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        0,
        Ok(Payload::Deployments(rows.clone())),
    );
    (s, rows)
}

/// `a` pressed by someone Houston refuses the platform-wide list: per workspace from then on.
fn refused(workspaces: Vec<Workspace>) -> (AppState, Vec<Effect>) {
    let mut s = logged_in(workspaces, false);
    let fx = update(&mut s, ch('a'));
    assert_eq!(fetched(&fx), vec![Request::AllDeployments]);
    let fx = answer(&mut s, &fx, &Request::AllDeployments, 0, Err(forbidden()));
    (s, fx)
}

#[test]
fn a_opens_every_deployment_worst_first_then_by_name() {
    let (ws, rows) = fleet();
    let mut s = logged_in(ws, true);
    let fx = update(&mut s, ch('a'));
    assert_eq!(s.route(), &Route::AllDeployments);
    assert_eq!(s.key_scope(), KeyScope::Screen(Screen::AllDeployments));
    assert_eq!(fetched(&fx), vec![Request::AllDeployments], "one request");
    assert!(render(&s, 80, 24).contains("Loading…"));
    answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        0,
        Ok(Payload::Deployments(rows)),
    );
    assert_eq!(
        names(&s),
        ["beta", "gamma", "delta", "alpha", "epsilon", "zeta"],
        "UNHEALTHY, UNKNOWN, DEPLOYING, HEALTHY; by name within each"
    );
    assert_eq!(s.breadcrumbs(), ["demo", "All deployments"]);
    let text = render(&s, 160, 48);
    assert!(text.contains("All deployments (6)"), "{text}");
    assert!(
        text.contains("Analytics Sandbox") && text.contains("Data Platform"),
        "the workspace of each row: {text}"
    );
    assert!(text.contains("2.8.1 → 2.9.2"), "an Airflow upgrade: {text}");
    assert!(
        text.contains("2.9.2 · Runtime → 11.6.0"),
        "a Runtime upgrade: {text}"
    );
    // Esc goes back where `a` was pressed.
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.route(), &Route::Account);
}

#[test]
fn enter_opens_the_deployment_and_y_o_act_on_the_row() {
    let (mut s, _) = global_view();
    // The top row is "beta" (UNHEALTHY): `y` offers its copy menu (and fetches the whole
    // deployment for its JSON), `y` again its first item.
    let fx = update(&mut s, ch('y'));
    assert_eq!(fetched(&fx), [Request::Deployment("d-2".into())]);
    let Some(Modal::Menu(menu)) = s.ui.modals.last() else {
        panic!("no copy menu");
    };
    assert_eq!(menu.title, "Copy from deployment beta");
    let fx = update(&mut s, ch('y'));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Copy { text, label }
            if text.expose() == "d-2-release" && label == "release name")),
        "{fx:?}"
    );
    let fx = update(&mut s, ch('o'));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::OpenUrl { url, .. }
            if url == "https://deployments.example.com/d-2-release/airflow")),
        "{fx:?}"
    );
    update(&mut s, ch('j'));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-4".into(),
            tab: DeploymentTab::Overview
        }
    );
    assert!(fetched(&fx).contains(&Request::Deployment("d-4".into())));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.route(), &Route::AllDeployments);
    let i = s.selected_index(&TableId::AllDeployments).unwrap();
    assert_eq!(
        astrodash::app::tables::all_deployments::deployment(&s.cache, i).map(|d| d.id.as_str()),
        Some("d-4"),
        "the cursor is where it was"
    );
    // `l` goes straight to the row's live logs; Esc comes back to the list.
    update(&mut s, ch('l'));
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-4".into(),
            tab: DeploymentTab::Logs
        }
    );
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.route(), &Route::AllDeployments);
}

#[test]
fn a_deployment_deleted_while_open_leaves_the_rest_of_the_view() {
    let (mut s, _) = global_view();
    let fx = update(&mut s, key(KeyCode::Enter));
    let open = Request::Deployment("d-2".into());
    answer(
        &mut s,
        &fx,
        &open,
        1,
        Err(ApiError::NotFound("The deployment no longer exists".into())),
    );
    assert_eq!(s.route(), &Route::AllDeployments);
    assert!(
        s.visible_message()
            .is_some_and(|m| m.text.contains("no longer exists")),
        "{:?}",
        s.ui.message
    );
    assert_eq!(
        names(&s),
        ["gamma", "delta", "alpha", "epsilon", "zeta"],
        "its row is gone, the others stay until the list says otherwise"
    );
}

fn describe_view(s: &AppState) -> &astrodash::app::describe::DescribeView {
    match s.ui.modals.last() {
        Some(Modal::Describe(view)) => view,
        other => panic!("no describe view: {other:?}"),
    }
}

#[test]
fn describe_on_a_list_row_fetches_the_whole_deployment_and_shows_it() {
    let (mut s, rows) = global_view();
    // The top row is "beta" (d-2): its row lacks the description and resources.
    let fx = update(&mut s, ch('d'));
    let full = Request::Deployment("d-2".into());
    assert!(fetched(&fx).contains(&full), "{fx:?}");
    let view = describe_view(&s);
    assert_eq!(view.awaiting, Some("d-2".into()));
    assert!(render(&s, 160, 48).contains("loading the whole record"));
    // The row has no description: describe leaves the field out until the record has one.
    assert!(!view.lines.iter().any(|l| l.starts_with("description:")));
    // Search for something, then the whole record arrives: the search stays in effect.
    view_search(&mut s, "release");
    let mut whole = rows.iter().find(|d| d.id == "d-2").unwrap().clone();
    whole.description = Some("Nightly loads from the warehouse".into());
    answer(
        &mut s,
        &fx,
        &full,
        1,
        Ok(Payload::Deployment(Box::new(whole))),
    );
    let view = describe_view(&s);
    assert_eq!(view.awaiting, None);
    assert!(
        view.lines
            .contains(&"description: Nightly loads from the warehouse".to_string()),
        "{:?}",
        view.lines
    );
    assert_eq!(view.query, "release");
    assert!(!view.matches.is_empty());
    assert!(!render(&s, 160, 48).contains("loading the whole record"));
    // Described again, the record is at hand: nothing is fetched.
    update(&mut s, key(KeyCode::Esc));
    let fx = update(&mut s, ch('d'));
    assert!(!fetched(&fx).contains(&full), "{fx:?}");
    assert_eq!(describe_view(&s).awaiting, None);
}

#[test]
fn the_copy_menus_json_is_the_whole_deployment_once_it_arrives() {
    let (mut s, rows) = global_view();
    let fx = update(&mut s, ch('y'));
    let full = Request::Deployment("d-2".into());
    let json_item = |s: &AppState| match s.ui.modals.last() {
        Some(Modal::Menu(menu)) => menu.items.last().cloned().unwrap(),
        other => panic!("no menu: {other:?}"),
    };
    assert_eq!(json_item(&s).detail, "list row; loading the whole record…");
    let mut whole = rows.iter().find(|d| d.id == "d-2").unwrap().clone();
    whole.description = Some("Nightly loads from the warehouse".into());
    answer(
        &mut s,
        &fx,
        &full,
        1,
        Ok(Payload::Deployment(Box::new(whole))),
    );
    let item = json_item(&s);
    assert!(
        item.detail.starts_with("{\"airflowVersion\""),
        "{}",
        item.detail
    );
    // Its number (the last entry) copies the whole record.
    let n = match s.ui.modals.last() {
        Some(Modal::Menu(menu)) => menu.items.len(),
        _ => 0,
    };
    let fx = update(&mut s, ch(char::from_digit(n as u32, 10).unwrap()));
    let [Effect::Copy { text, label }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    assert_eq!(label, "deployment as JSON");
    assert!(text.expose().contains("Nightly loads from the warehouse"));
}

#[test]
fn describe_says_when_only_the_list_row_could_be_shown() {
    let (mut s, _) = global_view();
    let fx = update(&mut s, ch('d'));
    let full = Request::Deployment("d-2".into());
    answer(
        &mut s,
        &fx,
        &full,
        1,
        Err(ApiError::Network("connection refused".into())),
    );
    let view = describe_view(&s);
    assert_eq!((view.awaiting.clone(), view.row_only), (None, true));
    assert!(render(&s, 160, 48).contains("list row only"));

    // The copy menu says the same of its JSON.
    update(&mut s, key(KeyCode::Esc));
    let fx = update(&mut s, ch('y'));
    answer(
        &mut s,
        &fx,
        &full,
        2,
        Err(ApiError::Network("connection refused".into())),
    );
    let Some(Modal::Menu(menu)) = s.ui.modals.last() else {
        panic!("no menu");
    };
    assert_eq!(menu.awaiting, None);
    assert_eq!(
        menu.items.last().map(|i| i.detail.as_str()),
        Some("list row only (the whole record could not be read)")
    );
}

fn view_search(s: &mut AppState, text: &str) {
    update(s, ch('/'));
    type_text(s, text);
    update(s, key(KeyCode::Enter));
}

#[test]
fn the_filter_searches_the_workspace_name_too() {
    let (mut s, _) = global_view();
    update(&mut s, ch('/'));
    type_text(&mut s, "sandbox");
    assert_eq!(names(&s), ["beta", "delta", "epsilon"]);
    assert!(render(&s, 160, 48).contains("All deployments (3 of 6"));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(names(&s).len(), 6);
}

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
    assert_eq!(astrodash::app::all_deployments::progress(&s), Some((0, 10)));
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
    assert_eq!(astrodash::app::all_deployments::progress(&s), None);
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
        astrodash::app::all_deployments::progress(&s),
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

#[test]
fn edit_on_a_list_row_waits_for_the_whole_deployment() {
    let mut s = logged_in(workspaces(), false);
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    // Rows as the lean list document has them: no description, no resources.
    let rows: Vec<Deployment> = admin_deployments()
        .into_iter()
        .map(|d| Deployment {
            description: None,
            resources: vec![],
            extra_au: None,
            ..d
        })
        .collect();
    put(
        &mut s,
        Request::Deployments("ws-data".into()),
        Payload::Deployments(rows),
    );
    put(
        &mut s,
        Request::DeploymentConfig,
        Payload::DeploymentConfig(DeploymentConfig::default()),
    );
    // The view is being refreshed on its schedule.
    update(&mut s, ctrl('r'));
    let fx = update(&mut s, ch('e'));
    let full = Request::Deployment("d-etl".into());
    assert_eq!(fetched(&fx), vec![full.clone()]);
    assert!(s.ui.modals.is_empty(), "no form on partial data");
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("Loading prod-etl…")
    );
    // The next refresh round does not cancel it.
    let due = s.net.next_refresh_at.unwrap();
    let tick = update(&mut s, Msg::Tick(due));
    assert!(
        !tick
            .iter()
            .any(|e| matches!(e, Effect::Cancel(r) if r == &full)),
        "{tick:?}"
    );
    assert!(s.net.in_flight.contains(&full));
    let whole = admin_deployments().remove(0);
    answer(
        &mut s,
        &fx,
        &full,
        1,
        Ok(Payload::Deployment(Box::new(whole))),
    );
    assert_eq!(s.key_scope(), KeyScope::Form);
    let text = render(&s, 160, 48);
    assert!(
        text.contains("Nightly ETL"),
        "the description is in the form: {text}"
    );
}

#[test]
fn edit_waiting_gives_up_when_the_user_moves_on() {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    s.cache.forget(&Request::Deployment("d-etl".into()));
    let fx = update(&mut s, ch('e'));
    update(&mut s, ch('j'));
    let whole = admin_deployments().remove(0);
    answer(
        &mut s,
        &fx,
        &Request::Deployment("d-etl".into()),
        1,
        Ok(Payload::Deployment(Box::new(whole))),
    );
    assert!(
        s.ui.modals.is_empty(),
        "the cursor left prod-etl: no surprise form"
    );
    assert_eq!(s.freshness.awaiting_edit, None);
}

// Snapshots ------------------------------------------------------------------------------------

fn snap(name: &str, s: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(s, w, h));
    }
}

#[test]
fn screen_all_deployments() {
    let (s, _) = global_view();
    snap("all_deployments", &s);
}

#[test]
fn screen_all_deployments_reading_workspace_by_workspace() {
    let (ws, rows) = fleet();
    let (mut s, fx) = refused(ws.clone());
    let sandbox: Vec<Deployment> = rows
        .into_iter()
        .filter(|d| d.workspace_id.as_ref() == Some(&ws[1].id))
        .collect();
    answer(
        &mut s,
        &fx,
        &Request::Deployments(ws[1].id.clone()),
        0,
        Ok(Payload::Deployments(sandbox)),
    );
    snap("all_deployments_per_workspace", &s);
}

/// A Runtime deployment Houston returns without `airflowVersion` shows its Runtime's Airflow,
/// in the lists and on the dashboard alike.
#[test]
fn the_airflow_column_falls_back_to_the_runtimes_airflow() {
    use astrodash::ui::format::airflow_version;
    let mut d = deployment(
        "d-rt",
        "rt",
        "rt-1",
        Executor::Celery,
        DeploymentStatus::Healthy,
    );
    d.airflow_version = None;
    d.desired_airflow_version = None;
    d.runtime_airflow_version = Some("2.9.2".into());
    assert_eq!(airflow_version(&d), "2.9.2");
    d.airflow_version = Some("2.8.1".into());
    d.desired_airflow_version = Some("2.9.2".into());
    assert_eq!(airflow_version(&d), "2.8.1 → 2.9.2");
    d.runtime_airflow_version = None;
    d.airflow_version = None;
    assert_eq!(airflow_version(&d), "? → 2.9.2");
}
