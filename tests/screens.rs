//! Snapshots of every screen at 80×24 and 160×48, from fixed fixture data and a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::modal::{CopyStatus, Modal, UrlKind, UrlPopup};
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::screens::*;
use common::*;
use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use tui_input::Input;

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn account_dashboard() {
    let s = loaded_state();
    let text = render(&s, 80, 24);
    assert!(text.contains("Workspaces"));
    assert!(text.contains("Ada Lovelace"));
    snap("account", &s);
}

#[test]
fn account_dashboard_system_admin_without_binding() {
    let mut s = loaded_state();
    let mut admin = me();
    admin.is_system_admin = true;
    put(&mut s, Request::Me, Payload::Me(admin));
    let mut list = workspaces();
    list[1].my_role = None;
    put(&mut s, workspaces_request(), Payload::Workspaces(list));
    let text = render(&s, 80, 24);
    let row = text
        .lines()
        .position(|l| l.contains("Analytics Sandbox"))
        .unwrap();
    let line = text.lines().nth(row).unwrap();
    assert!(line.contains("System admin"), "{text}");
    assert!(
        line.trim_end_matches('│').ends_with("System admin"),
        "{text}"
    );
    // Dimmed: a role by system permission, not a binding.
    let col = line.find("System admin").unwrap();
    let x = line[..col].chars().count() as u16;
    let buffer = render_buffer(&s, 80, 24);
    assert_eq!(buffer[(x, row as u16)].fg, Color::DarkGray);
    snap("account_system_admin", &s);

    // Not a system admin: no role is a dash.
    put(&mut s, Request::Me, Payload::Me(me()));
    let text = render(&s, 80, 24);
    assert!(!text.contains("System admin"), "{text}");
}

#[test]
fn workspace_deployments() {
    let s = at_workspace(WorkspaceTab::Deployments);
    let text = render(&s, 160, 48);
    assert!(text.contains("2.8.1 → 2.9.2"));
    assert!(text.contains("● HEALTHY"));
    assert!(text.contains("✗ UNHEALTHY"));
    assert!(text.contains("◌ DEPLOYING"));
    assert!(text.contains("? UNKNOWN"));
    assert!(text.contains("3m ago"));
    snap("workspace_deployments", &s);
}

#[test]
fn workspace_users() {
    let s = at_workspace(WorkspaceTab::Users);
    assert!(render(&s, 80, 24).contains("grace@example.com"));
    snap("workspace_users", &s);
}

#[test]
fn workspace_invites() {
    let s = at_workspace(WorkspaceTab::Invites);
    assert!(render(&s, 80, 24).contains("katherine@example.com"));
    snap("workspace_invites", &s);
}

#[test]
fn workspace_invites_as_a_viewer() {
    let mut s = loaded_state();
    // A viewer of the workspace: no invites permission (and no invites fetched).
    s.nav.routes.push(Route::Workspace {
        id: "ws-long".into(),
        tab: WorkspaceTab::Invites,
    });
    let screen = render(&s, 80, 24);
    assert!(
        screen.contains("Pending invites are visible to workspace admins"),
        "{screen}"
    );
    assert!(!screen.contains("Permission denied"), "{screen}");
    assert!(
        !screen.contains("n new"),
        "a viewer cannot invite: {screen}"
    );
    snap("workspace_invites_viewer", &s);
}

#[test]
fn workspace_service_accounts() {
    let s = at_workspace(WorkspaceTab::ServiceAccounts);
    assert!(render(&s, 80, 24).contains("never"));
    snap("workspace_service_accounts", &s);
}

#[test]
fn workspace_settings() {
    let s = at_workspace(WorkspaceTab::Settings);
    assert!(render(&s, 80, 24).contains("ws-data"));
    snap("workspace_settings", &s);
}

#[test]
fn empty_workspace() {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-sandbox".into(),
        tab: WorkspaceTab::Deployments,
    });
    assert!(render(&s, 80, 24).contains("No deployments in this workspace yet"));
    snap("workspace_empty", &s);
}

#[test]
fn deployment_overview() {
    let s = at_deployment("d-etl", DeploymentTab::Overview);
    let text = render(&s, 80, 24);
    assert!(text.contains("scheduler"));
    assert!(text.contains("Flower"));
    snap("deployment_overview", &s);
}

#[test]
fn deployment_overview_non_celery() {
    let s = at_deployment("d-rep", DeploymentTab::Overview);
    snap("deployment_overview_kubernetes", &s);
}

#[test]
fn deployment_variables_mask_secrets() {
    let s = at_deployment("d-etl", DeploymentTab::Variables);
    let text = render(&s, 80, 24);
    assert!(text.contains("••••••"));
    assert!(text.contains("secret"));
    snap("deployment_variables", &s);
}

#[test]
fn deployment_service_accounts() {
    snap(
        "deployment_service_accounts",
        &at_deployment("d-etl", DeploymentTab::ServiceAccounts),
    );
}

#[test]
fn deployment_users() {
    snap(
        "deployment_users",
        &at_deployment("d-etl", DeploymentTab::Users),
    );
}

#[test]
fn login_local() {
    let mut s = login_state(LoginMode::Password);
    type_text(&mut s, "ada");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "hunter2");
    let login = s.session.login.as_mut().unwrap();
    login.password.error = Some("Invalid username or password".into());
    let text = render(&s, 80, 24);
    assert!(!text.contains("hunter2"), "password must be masked");
    assert!(text.contains("Invalid username or password"));
    snap("login_local_error", &s);
}

#[test]
fn login_token() {
    let mut s = login_state(LoginMode::Token);
    s.session.login.as_mut().unwrap().reason = Some("Please log in again: token expired".into());
    assert!(render(&s, 80, 24).contains("https://app.example.com/token"));
    snap("login_token", &s);
}

#[test]
fn login_token_page_from_the_houston_url() {
    let mut s = login_state(LoginMode::Token);
    s.session.app_url = None;
    s.session.houston_url = Some("https://houston.astro.example.org/v1".into());
    let text = render(&s, 80, 24);
    assert!(
        text.contains("https://app.astro.example.org/token"),
        "{text}"
    );
    assert!(!text.contains("<app URL>"), "{text}");
}

#[test]
fn help_overlay() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    s.ui.modals.push(Modal::Help { scroll: 0 });
    let text = render(&s, 80, 24);
    assert!(text.contains("open the Airflow UI"));
    assert!(text.contains("scroll"), "help scrolls at 80x24: {text}");
    snap("help_workspace", &s);
}

#[test]
fn url_popup() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    let url = "https://deployments.example.com/quantum-nebula-1234/airflow/home?with=a-rather-long-query-string-that-wraps";
    s.ui.modals.push(Modal::Url(UrlPopup {
        url: url.into(),
        what: UrlKind::Airflow,
        reason: "over SSH".into(),
        copy: CopyStatus::Copied,
    }));
    let text = render(&s, 160, 48);
    assert!(
        text.contains(url),
        "the full URL is on one line at 160 columns"
    );
    assert!(text.contains("sent to your clipboard (OSC 52)"));
    snap("url_popup", &s);
}

#[test]
fn stale_after_failure() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    let req = Request::Deployments("ws-data".into());
    s.cache
        .succeed(req.clone(), Payload::Deployments(deployments()), ago(42));
    s.cache
        .fail(&req, ApiError::Network("connection refused".into()), ago(1));
    s.net.failures = 3;
    s.net.next_refresh_at = Some(later(8));
    s.ui.message = Some(Message {
        text: "cannot reach Houston: connection refused".into(),
        level: Level::Error,
        at: ago(1),
        route: None,
    });
    let text = render(&s, 80, 24);
    assert!(text.contains("STALE 42s — retrying in 8s"));
    assert!(text.contains("prod-etl"), "the last data stays on screen");
    snap("stale", &s);
}

#[test]
fn filter_being_typed() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, ch('/'));
    type_text(&mut s, "rep");
    assert!(
        s.ui.filter_input
            .as_ref()
            .is_some_and(|i: &Input| i.value() == "rep")
    );
    let text = render(&s, 80, 24);
    assert!(text.contains("reporting"));
    assert!(!text.contains("prod-etl"));
    snap("filter", &s);
}

#[test]
fn header_badges() {
    let mut s = loaded_state();
    s.session.read_only = true;
    s.session.token_expires_at = Some(later(42 * 60));
    s.net.in_flight.insert(workspaces_request());
    let text = render(&s, 80, 24);
    assert!(text.contains("READ-ONLY"));
    assert!(text.contains("token expires in 42m"));
    snap("header_badges", &s);
}

#[test]
fn no_color_uses_modifiers_only() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    s.ui.mono = true;
    select(&mut s, 1);
    let buffer = render_buffer(&s, 80, 24);
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset, "no colour under NO_COLOR");
        assert_eq!(cell.bg, Color::Reset, "no colour under NO_COLOR");
    }
    // Find the selected row (reporting) and check it is reversed.
    let text = render(&s, 80, 24);
    let row = text.lines().position(|l| l.contains("reporting")).unwrap() as u16;
    let col = text
        .lines()
        .nth(row as usize)
        .unwrap()
        .find("reporting")
        .unwrap() as u16;
    assert!(buffer[(col, row)].modifier.contains(Modifier::REVERSED));
    assert!(text.contains("✗ UNHEALTHY"));
    snap("no_color", &s);
    insta::assert_debug_snapshot!("no_color_styles_80x24", buffer);
}

#[test]
fn server_down_at_start() {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    s.cache.start(&Request::Me);
    s.cache.fail(
        &Request::Me,
        ApiError::Network("connection refused".into()),
        ago(1),
    );
    s.net.failures = 1;
    s.net.next_refresh_at = Some(later(2));
    let text = render(&s, 80, 24);
    assert!(text.contains("UNREACHABLE"), "{text}");
    // The retry is due: "now", never "in 0s".
    s.net.next_refresh_at = Some(now());
    assert!(render(&s, 80, 24).contains("retrying now"));
    s.net.next_refresh_at = Some(later(2));
    assert!(!text.contains("STALE"), "no data to be stale: {text}");
    assert!(!text.contains("Workspaces (0)"), "{text}");
    // What could not load, why, and that it is being retried — never "Loading…" forever.
    assert!(!text.contains("Loading…"), "{text}");
    assert!(
        text.contains("Could not load your workspaces: cannot reach Houston"),
        "{text}"
    );
    assert!(text.contains("retrying in 2s"), "{text}");
    snap("server_down_at_start", &s);
}

#[test]
fn first_frame_before_any_data() {
    let s = AppState::new(&settings(Some("token")), now(), false);
    let text = render(&s, 80, 24);
    assert!(text.contains("Workspaces"));
    assert!(text.contains("Loading…"));
    snap("first_frame", &s);
}

#[test]
fn teams_and_the_runtime_version() {
    let mut s = at_deployment("d-etl", DeploymentTab::Users);
    let team = |id: &str, name: &str, role| Team {
        id: id.into(),
        name: name.into(),
        role: Some(role),
    };
    put(
        &mut s,
        Request::DeploymentTeams("d-etl".into()),
        Payload::Teams(vec![team(
            "t-1",
            "Data Engineering",
            Role::DeploymentEditor,
        )]),
    );
    let text = render(&s, 80, 24);
    assert!(
        text.contains("Teams (1)") && text.contains("Data Engineering"),
        "{text}"
    );
    snap("deployment_users_and_teams", &s);
    // `t`: the cursor moves to the teams; the users list shows none.
    update(&mut s, ch('t'));
    snap("deployment_teams_with_the_cursor", &s);

    let mut s = at_workspace(WorkspaceTab::Teams);
    put(
        &mut s,
        Request::WorkspaceTeams("ws-data".into()),
        Payload::Teams(vec![
            team("t-2", "Platform Ops", Role::WorkspaceAdmin),
            team("t-1", "Data Engineering", Role::WorkspaceEditor),
        ]),
    );
    let text = render(&s, 80, 24);
    assert!(text.contains("Teams (2)"), "{text}");
    snap("workspace_teams", &s);

    // A Teams tab on a Houston without teams says so instead of an error.
    let mut s = at_workspace(WorkspaceTab::Teams);
    let req = Request::WorkspaceTeams("ws-data".into());
    s.cache.start(&req);
    s.cache.fail(
        &req,
        ApiError::Unsupported {
            message: "`workspaceTeams` needs Houston 0.28.0 or later".into(),
            houston_version: Some("0.23.0".into()),
        },
        ago(1),
    );
    let text = render(&s, 80, 24);
    assert!(text.contains("Not available on Houston 0.23.0"), "{text}");
    assert!(!text.contains("STALE"), "{text}");

    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    let mut d = admin_deployments()[0].clone();
    d.runtime_version = Some("10.2.0".into());
    d.desired_runtime_version = Some("11.6.0".into());
    d.runtime_airflow_version = Some("2.8.1".into());
    put(
        &mut s,
        Request::Deployment(d.id.clone()),
        Payload::Deployment(Box::new(d)),
    );
    let text = render(&s, 160, 48);
    assert!(
        text.contains("Runtime") && text.contains("10.2.0 → 11.6.0"),
        "{text}"
    );
    snap("deployment_overview_runtime", &s);
}
