//! Snapshots of every screen at 80×24 and 160×48, from fixed fixture data and a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::msg::UrlKind;
use astrodash::app::remote::Remote;
use astrodash::app::state::*;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use common::*;
use ratatui::style::{Color, Modifier};
use tui_input::Input;

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

fn at_workspace(tab: WorkspaceTab) -> AppState {
    let mut s = loaded_state();
    s.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab,
    });
    s
}

fn at_deployment(id: &str, tab: DeploymentTab) -> AppState {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    s.routes.push(Route::Deployment { id: id.into(), tab });
    s
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
    s.me = ready(admin);
    let mut list = workspaces();
    list[1].my_role = None;
    s.workspaces = ready(list);
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
    s.me = ready(me());
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
fn workspace_users_with_invites() {
    let s = at_workspace(WorkspaceTab::Users);
    assert!(render(&s, 80, 24).contains("katherine@example.com"));
    snap("workspace_users", &s);
}

#[test]
fn workspace_users_as_a_viewer() {
    let mut s = loaded_state();
    // A viewer of the workspace: no invites permission (and no invites fetched).
    s.workspace_users.insert("ws-long".into(), ready(users()));
    s.routes.push(Route::Workspace {
        id: "ws-long".into(),
        tab: WorkspaceTab::Users,
    });
    let screen = render(&s, 80, 24);
    assert!(
        screen.contains("Pending invites are visible to workspace admins"),
        "{screen}"
    );
    assert!(!screen.contains("Permission denied"), "{screen}");
    snap("workspace_users_viewer", &s);
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
    s.routes.push(Route::Workspace {
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

fn login_state(mode: LoginMode) -> AppState {
    let mut s = AppState::new(&settings(None), now(), false);
    let login = s.login.as_mut().unwrap();
    login.auth_config = Remote::Ready {
        data: AuthConfig {
            local_enabled: mode == LoginMode::Password,
            public_signup: false,
            initial_signup: false,
            providers: vec![],
        },
        at: now(),
    };
    login.mode = mode;
    s
}

#[test]
fn login_local() {
    let mut s = login_state(LoginMode::Password);
    let login = s.login.as_mut().unwrap();
    login.username = Input::new("ada".into());
    login.password = Input::new("hunter2".into());
    login.focus = LoginField::Password;
    login.error = Some("Invalid username or password".into());
    let text = render(&s, 80, 24);
    assert!(!text.contains("hunter2"), "password must be masked");
    assert!(text.contains("Invalid username or password"));
    snap("login_local_error", &s);
}

#[test]
fn login_token() {
    let mut s = login_state(LoginMode::Token);
    s.login.as_mut().unwrap().reason = Some("Please log in again: token expired".into());
    assert!(render(&s, 80, 24).contains("https://app.example.com/token"));
    snap("login_token", &s);
}

#[test]
fn help_overlay() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    s.overlay = Some(Overlay::Help);
    let text = render(&s, 80, 24);
    assert!(text.contains("open Airflow UI"));
    snap("help_workspace", &s);
}

#[test]
fn url_popup() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    let url = "https://deployments.example.com/quantum-nebula-1234/airflow/home?with=a-rather-long-query-string-that-wraps";
    s.overlay = Some(Overlay::Url(UrlPopup {
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
    assert!(text.contains("copied to clipboard (OSC 52)"));
    snap("url_popup", &s);
}

#[test]
fn url_popup_tells_the_truth_about_the_copy() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    let popup = |copy| {
        Some(Overlay::Url(UrlPopup {
            url: "file:///etc/passwd".into(),
            what: UrlKind::Airflow,
            reason: "not an http(s) URL".into(),
            copy,
        }))
    };
    s.overlay = popup(CopyStatus::TooLong);
    let text = render(&s, 80, 24);
    assert!(text.contains("not an http(s) URL"), "{text}");
    assert!(
        text.contains("file:///etc/passwd"),
        "shown as text:\n{text}"
    );
    assert!(text.contains("too long to copy"), "{text}");
    assert!(!text.contains("copied to clipboard"), "{text}");
    s.overlay = popup(CopyStatus::Failed);
    let text = render(&s, 80, 24);
    assert!(text.contains("could not copy"), "{text}");
    assert!(!text.contains("copied to clipboard"), "{text}");
    s.overlay = popup(CopyStatus::Pending);
    let text = render(&s, 80, 24);
    assert!(!text.contains("copied to clipboard"), "{text}");
}

#[test]
fn stale_after_failure() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    s.deployments.insert(
        "ws-data".into(),
        Remote::Failed {
            error: ApiError::Network("connection refused".into()),
            prev: Some(astrodash::app::remote::Fetched {
                data: deployments(),
                at: ago(42),
            }),
            at: ago(1),
        },
    );
    s.failures = 3;
    s.next_refresh_at = Some(later(8));
    s.message = Some(Message {
        text: "cannot reach Houston: connection refused".into(),
        level: Level::Error,
        at: ago(1),
    });
    let text = render(&s, 80, 24);
    assert!(text.contains("STALE 42s — retrying in 8s"));
    assert!(text.contains("prod-etl"), "the last data stays on screen");
    snap("stale", &s);
}

#[test]
fn filter_being_typed() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    s.filter_input = Some(Input::new("rep".into()));
    s.tables.insert(
        TableId::Deployments("ws-data".into()),
        TableState {
            selected: 0,
            filter: "rep".into(),
        },
    );
    let text = render(&s, 80, 24);
    assert!(text.contains("reporting"));
    assert!(!text.contains("prod-etl"));
    snap("filter", &s);
}

#[test]
fn header_badges() {
    let mut s = loaded_state();
    s.read_only = true;
    s.token_expires_at = Some(later(42 * 60));
    s.in_flight
        .insert(astrodash::app::msg::RequestKey::Workspaces);
    let text = render(&s, 80, 24);
    assert!(text.contains("READ-ONLY"));
    assert!(text.contains("token expires in 42m"));
    snap("header_badges", &s);
}

#[test]
fn no_color_uses_modifiers_only() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    s.mono = true;
    s.tables.insert(
        TableId::Deployments("ws-data".into()),
        TableState {
            selected: 1,
            filter: String::new(),
        },
    );
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
fn many_rows_render_only_the_window() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    let many: Vec<Deployment> = (0..10_000)
        .map(|i| {
            deployment(
                &format!("d-{i}"),
                &format!("deployment-{i:05}"),
                &format!("release-{i}"),
                Executor::Celery,
                DeploymentStatus::Healthy,
            )
        })
        .collect();
    s.deployments.insert("ws-data".into(), ready(many));
    s.tables.insert(
        TableId::Deployments("ws-data".into()),
        TableState {
            selected: 9_999,
            filter: String::new(),
        },
    );
    let text = render(&s, 80, 24);
    assert!(text.contains("deployment-09999"));
    assert!(text.contains("Deployments (10000)"));
}

#[test]
fn server_down_at_start() {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    s.me = Remote::Failed {
        error: ApiError::Network("connection refused".into()),
        prev: None,
        at: ago(1),
    };
    s.failures = 1;
    s.next_refresh_at = Some(later(2));
    let text = render(&s, 80, 24);
    assert!(text.contains("STALE"));
    assert!(text.contains("Could not load: cannot reach Houston: connection refused"));
    snap("server_down_at_start", &s);
}

#[test]
fn tiny_terminals_never_panic() {
    let mut states = vec![
        loaded_state(),
        at_workspace(WorkspaceTab::Deployments),
        at_workspace(WorkspaceTab::Users),
        at_workspace(WorkspaceTab::ServiceAccounts),
        at_workspace(WorkspaceTab::Settings),
        at_deployment("d-etl", DeploymentTab::Overview),
        at_deployment("d-etl", DeploymentTab::Variables),
        at_deployment("d-etl", DeploymentTab::ServiceAccounts),
        at_deployment("d-etl", DeploymentTab::Users),
        login_state(LoginMode::Password),
        login_state(LoginMode::Token),
    ];
    let mut help = loaded_state();
    help.overlay = Some(Overlay::Help);
    states.push(help);
    let mut popup = loaded_state();
    popup.overlay = Some(Overlay::Url(UrlPopup {
        url: "https://example.com/a/very/long/url/that/needs/wrapping/on/small/screens".into(),
        what: UrlKind::Flower,
        reason: "no display".into(),
        copy: CopyStatus::Copied,
    }));
    states.push(popup);
    let mut filtering = at_workspace(WorkspaceTab::Deployments);
    filtering.filter_input = Some(Input::new("a-very-long-filter-text".into()));
    states.push(filtering);
    for s in &states {
        for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 10), (60, 15), (200, 60)] {
            render(s, w, h);
        }
    }
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
fn help_lists_every_binding_of_the_screen() {
    use astrodash::app::keymap::{KeyContext, bindings};
    for (s, ctx) in [
        (loaded_state(), KeyContext::Account),
        (
            at_workspace(WorkspaceTab::Deployments),
            KeyContext::WorkspaceDeployments,
        ),
        (at_workspace(WorkspaceTab::Users), KeyContext::Workspace),
        (
            at_deployment("d-etl", DeploymentTab::Overview),
            KeyContext::Deployment,
        ),
    ] {
        let mut s = s;
        s.overlay = Some(Overlay::Help);
        let text = render(&s, 160, 48);
        for b in bindings(ctx) {
            assert!(
                text.contains(b.description),
                "{ctx:?}: {} missing",
                b.description
            );
            assert!(text.contains(b.label), "{ctx:?}: {} missing", b.label);
        }
    }
}

#[test]
fn url_hyperlink_position_points_at_the_url() {
    use astrodash::ui::popup::url_single_line_position;
    use ratatui::layout::Rect;
    let mut s = loaded_state();
    let popup = UrlPopup {
        url: "https://deployments.example.com/x/airflow".into(),
        what: UrlKind::Airflow,
        reason: "over SSH".into(),
        copy: CopyStatus::Copied,
    };
    s.overlay = Some(Overlay::Url(popup.clone()));
    let buffer = render_buffer(&s, 80, 24);
    let (x, y) = url_single_line_position(Rect::new(0, 0, 80, 24), &popup).unwrap();
    let text: String = (x..x + popup.url.len() as u16)
        .map(|cx| buffer[(cx, y)].symbol().to_string())
        .collect();
    assert_eq!(text, popup.url);
}
