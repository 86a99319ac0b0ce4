//! The all-deployments view: its order, opening and acting on rows, describe and copy of a row,
//! the filter, editing a row; reducer flows (messages in, state and effects out) and snapshots of
//! the screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::keymap::{KeyScope, Screen};
use astrodash::app::modal::Modal;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::fleet::*;
use common::*;
use crossterm::event::KeyCode;

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
    // Whole where the Airflow columns leave the version room.
    let wide = render(&s, 200, 48);
    assert!(
        wide.contains("2.9.2 · Runtime → 11.6.0"),
        "a Runtime upgrade: {wide}"
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
    assert_eq!(view.awaiting, Some(full.clone()));
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
