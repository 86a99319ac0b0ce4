//! Snapshots of every screen at 80×24 and 160×48, from fixed fixture data and a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::modal::{ApiKeyView, CopyStatus, Modal, UrlKind, UrlPopup};
use astrodash::app::msg::Secret;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
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

fn at_workspace(tab: WorkspaceTab) -> AppState {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab,
    });
    s
}

fn at_deployment(id: &str, tab: DeploymentTab) -> AppState {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    s.nav.routes.push(Route::Deployment { id: id.into(), tab });
    s
}

/// Select the row of the current table at `pos`.
fn select(s: &mut AppState, pos: usize) {
    update(s, ch('g'));
    for _ in 0..pos {
        update(s, ch('j'));
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

fn login_state(mode: LoginMode) -> AppState {
    let mut s = AppState::new(&settings(None), now(), false);
    put(
        &mut s,
        Request::AuthConfig,
        Payload::AuthConfig(AuthConfig {
            local_enabled: mode == LoginMode::Password,
            public_signup: false,
            initial_signup: false,
            providers: vec![],
        }),
    );
    s.session.login.as_mut().unwrap().mode = mode;
    s
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
fn url_popup_tells_the_truth_about_the_copy() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    let popup = |copy| {
        vec![Modal::Url(UrlPopup {
            url: "file:///etc/passwd".into(),
            what: UrlKind::Airflow,
            reason: "not an http(s) URL".into(),
            copy,
        })]
    };
    s.ui.modals = popup(CopyStatus::TooLong);
    let text = render(&s, 80, 24);
    assert!(text.contains("not an http(s) URL"), "{text}");
    assert!(
        text.contains("file:///etc/passwd"),
        "shown as text:\n{text}"
    );
    assert!(text.contains("too long to copy"), "{text}");
    assert!(!text.contains("sent to your clipboard"), "{text}");
    s.ui.modals = popup(CopyStatus::Failed("broken pipe".into()));
    let text = render(&s, 80, 24);
    assert!(text.contains("could not copy"), "{text}");
    assert!(!text.contains("sent to your clipboard"), "{text}");
    s.ui.modals = popup(CopyStatus::Pending);
    let text = render(&s, 80, 24);
    assert!(!text.contains("sent to your clipboard"), "{text}");
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
    put(
        &mut s,
        Request::Deployments("ws-data".into()),
        Payload::Deployments(many),
    );
    update(&mut s, ch('G'));
    let text = render(&s, 80, 24);
    assert!(text.contains("deployment-09999"));
    assert!(text.contains("Deployments (10000)"));
    assert!(text.contains("10000/10000"), "position indicator: {text}");
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
    help.ui.modals.push(Modal::Help { scroll: 3 });
    states.push(help);
    let mut popup = loaded_state();
    popup.ui.modals.push(Modal::Url(UrlPopup {
        url: "https://example.com/a/very/long/url/that/needs/wrapping/on/small/screens".into(),
        what: UrlKind::Flower,
        reason: "no display".into(),
        copy: CopyStatus::Copied,
    }));
    states.push(popup);
    let mut filtering = at_workspace(WorkspaceTab::Deployments);
    filtering.ui.filter_input = Some(Input::new("a-very-long-filter-text".into()));
    states.push(filtering);
    for (tab, keys) in [
        (WorkspaceTab::Deployments, "n"),
        (WorkspaceTab::Deployments, "e"),
        (WorkspaceTab::Users, "n"),
        (WorkspaceTab::ServiceAccounts, "n"),
    ] {
        let mut s = at_workspace(tab);
        type_text(&mut s, keys);
        states.push(s);
    }
    let mut delete = at_workspace(WorkspaceTab::Deployments);
    update(&mut delete, ctrl('d'));
    states.push(delete);
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
    use astrodash::app::keymap::shown;
    for s in [
        loaded_state(),
        at_workspace(WorkspaceTab::Deployments),
        at_workspace(WorkspaceTab::Users),
        at_deployment("d-etl", DeploymentTab::Overview),
        at_deployment("d-etl", DeploymentTab::Variables),
    ] {
        let mut s = s;
        let scope = s.key_scope();
        s.ui.modals.push(Modal::Help { scroll: 0 });
        let text = render(&s, 160, 48);
        let bindings = shown(&s, scope);
        // A key listed twice would promise two things; the first binding is the one that acts.
        let keys: Vec<_> = bindings
            .iter()
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[..i].contains(k), "{scope:?}: {k:?} listed twice");
        }
        for b in bindings {
            assert!(
                text.contains(b.description),
                "{scope:?}: {} missing",
                b.description
            );
            assert!(
                text.contains(b.label.as_ref()),
                "{scope:?}: {} missing",
                b.label
            );
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
    s.ui.modals.push(Modal::Url(popup.clone()));
    let buffer = render_buffer(&s, 80, 24);
    let (x, y) = url_single_line_position(Rect::new(0, 0, 80, 24), &popup).unwrap();
    let text: String = (x..x + popup.url.len() as u16)
        .map(|cx| buffer[(cx, y)].symbol().to_string())
        .collect();
    assert_eq!(text, popup.url);
}

// ---------------------------------------------------------------------------------------------
// Forms, confirmations and the one-time API key (each reached with the keys a user presses).

/// `keys` pressed on `s`, then a snapshot at both sizes; returns the 80×24 text.
fn snap_after(name: &str, mut s: AppState, keys: &[crossterm::event::KeyEvent]) -> String {
    for k in keys {
        update(&mut s, astrodash::app::msg::Msg::Key(*k));
    }
    snap(name, &s);
    render(&s, 80, 24)
}

fn k(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(KeyCode::Char(c), crossterm::event::KeyModifiers::NONE)
}

fn c(ch: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(KeyCode::Char(ch), crossterm::event::KeyModifiers::CONTROL)
}

#[test]
fn form_new_workspace() {
    let text = snap_after("form_new_workspace", loaded_state(), &[k('n')]);
    assert!(
        text.contains("New workspace") && text.contains("Name"),
        "{text}"
    );
}

#[test]
fn form_new_workspace_with_an_error() {
    // Submitting an empty name: the problem shows next to the field.
    let text = snap_after(
        "form_new_workspace_error",
        loaded_state(),
        &[k('n'), c('s')],
    );
    assert!(text.contains("Name is required"), "{text}");
}

#[test]
fn form_personal_settings() {
    let text = snap_after("form_personal_settings", loaded_state(), &[k('p')]);
    assert!(text.contains("Ada Lovelace"), "{text}");
}

#[test]
fn form_new_deployment_with_preview() {
    let s = at_workspace(WorkspaceTab::Deployments);
    let text = snap_after("form_new_deployment", s, &[k('n')]);
    assert!(text.contains("Executor"), "{text}");
    let wide = {
        let mut s = at_workspace(WorkspaceTab::Deployments);
        update(&mut s, ch('n'));
        render(&s, 160, 48)
    };
    assert!(wide.contains("Total") && wide.contains("33 AU"), "{wide}");
}

#[test]
fn form_edit_deployment_and_its_diff() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, ch('e'));
    // To "Workers" (the 8th field) and from 2 to 4.
    for _ in 0..7 {
        update(&mut s, key(KeyCode::Tab));
    }
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, ch('4'));
    snap("form_edit_deployment", &s);
    // The review comes once the deployment was read again (unchanged here).
    let fx = update(&mut s, ctrl('s'));
    answer_reads(&mut s, &fx);
    let text = render(&s, 160, 48);
    assert!(text.contains("Workers: 2 → 4"), "{text}");
    assert!(text.contains("Total"), "{text}");
    snap("confirm_deployment_diff", &s);
}

#[test]
fn form_upgrade_airflow() {
    let s = at_workspace(WorkspaceTab::Deployments);
    let text = snap_after("form_upgrade_airflow", s, &[k('u')]);
    assert!(text.contains("Upgrade"), "{text}");
}

#[test]
fn confirm_delete_deployment_asks_for_its_name() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, ctrl('d'));
    let text = render(&s, 80, 24);
    assert!(text.contains("Type the deployment's name"), "{text}");
    snap("confirm_delete_deployment", &s);
    type_text(&mut s, "prod-etl");
    assert!(render(&s, 80, 24).contains("Enter Delete"));
}

#[test]
fn confirm_delete_workspace() {
    let mut s = loaded_state();
    select(&mut s, 1);
    snap_after("confirm_delete_workspace", s, &[c('d')]);
}

#[test]
fn forms_for_variables() {
    let s = at_deployment("d-etl", DeploymentTab::Variables);
    let text = snap_after("form_add_variable", s, &[k('n')]);
    assert!(text.contains("Secret"), "{text}");
    let mut s = at_deployment("d-etl", DeploymentTab::Variables);
    // The secret variable (sorted by name: AIRFLOW…, ENVIRONMENT, SNOWFLAKE_PASSWORD).
    select(&mut s, 2);
    update(&mut s, ch('e'));
    // The secret choice comes before the value.
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    let text = render(&s, 80, 24);
    assert!(text.contains("leave empty to keep"), "{text}");
    snap("form_edit_secret_variable", &s);
    let s = at_deployment("d-etl", DeploymentTab::Variables);
    snap_after("form_import_env", s, &[k('i')]);
    let mut s = at_deployment("d-etl", DeploymentTab::Variables);
    update(&mut s, ctrl('d'));
    let text = render(&s, 80, 24);
    assert!(text.contains("- AIRFLOW__CORE__PARALLELISM = 64"), "{text}");
    snap("confirm_delete_variable", &s);
}

#[test]
fn forms_for_users_and_invites() {
    let s = at_workspace(WorkspaceTab::Users);
    let text = snap_after("form_invite_user", s, &[k('n')]);
    assert!(text.contains("E-mail") && text.contains("Viewer"), "{text}");
    let s = at_workspace(WorkspaceTab::Users);
    let text = snap_after("form_change_role", s, &[k('e')]);
    assert!(text.contains("ada@example.com"), "{text}");
    // Grace (the third row: Ada Lovelace, alan, Grace Hopper).
    let mut s = at_workspace(WorkspaceTab::Users);
    select(&mut s, 2);
    let text = snap_after("confirm_remove_user", s, &[c('d')]);
    assert!(text.contains("Remove Grace Hopper"), "{text}");
    // Ada is the only admin (no team is one): removing her is refused on the message line.
    let mut s = at_workspace(WorkspaceTab::Users);
    put(
        &mut s,
        Request::WorkspaceTeams("ws-data".into()),
        Payload::Teams(vec![]),
    );
    let text = snap_after("refused_remove_last_admin", s, &[c('d')]);
    assert!(text.contains("would have no admin left"), "{text}");
    let s = at_workspace(WorkspaceTab::Invites);
    let text = snap_after("confirm_revoke_invite", s, &[c('d')]);
    assert!(text.contains("katherine@example.com"), "{text}");
    let s = at_deployment("d-etl", DeploymentTab::Users);
    snap_after("form_add_deployment_user", s, &[k('n')]);
}

#[test]
fn forms_for_service_accounts() {
    let s = at_workspace(WorkspaceTab::ServiceAccounts);
    snap_after("form_new_service_account", s, &[k('n')]);
    let s = at_workspace(WorkspaceTab::ServiceAccounts);
    let text = snap_after("form_edit_service_account", s, &[k('e')]);
    assert!(text.contains("GitHub Actions deploy"), "{text}");
}

#[test]
fn discard_changes_asks_first() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    type_text(&mut s, "half-typed");
    update(&mut s, key(KeyCode::Esc));
    let text = render(&s, 80, 24);
    assert!(text.contains("Discard what you typed?"), "{text}");
    snap("confirm_discard", &s);
}

#[test]
fn the_one_time_api_key() {
    let mut s = at_workspace(WorkspaceTab::ServiceAccounts);
    s.ui.modals.push(Modal::ApiKey(ApiKeyView {
        label: "GitHub Actions deploy".into(),
        key: Secret("0f1e2d3c4b5a69788796a5b4c3d2e1f0".into()),
        copy: CopyStatus::Copied,
    }));
    let text = render(&s, 80, 24);
    assert!(text.contains("0f1e2d3c4b5a69788796a5b4c3d2e1f0"), "{text}");
    assert!(text.contains("only time the key is shown"), "{text}");
    assert!(text.contains("sent to your clipboard"), "{text}");
    snap("api_key", &s);
    // Closed: gone for good.
    update(&mut s, key(KeyCode::Esc));
    assert!(!render(&s, 160, 48).contains("0f1e2d3c4b5a"));
}

#[test]
fn read_only_shows_no_change_keys() {
    for mut s in [
        loaded_state(),
        at_workspace(WorkspaceTab::Deployments),
        at_workspace(WorkspaceTab::Users),
        at_workspace(WorkspaceTab::Settings),
        at_deployment("d-etl", DeploymentTab::Overview),
        at_deployment("d-etl", DeploymentTab::Variables),
    ] {
        s.session.read_only = true;
        let text = render(&s, 200, 30);
        for hint in ["n new", "e edit", "C-d delete", "i import", "p profile"] {
            assert!(!text.contains(hint), "{hint} in read-only:\n{text}");
        }
        s.ui.modals.push(Modal::Help { scroll: 0 });
        let help = render(&s, 200, 60);
        for what in ["new workspace", "delete", "edit name", "invite", "import"] {
            assert!(!help.contains(what), "{what} in read-only help:\n{help}");
        }
    }
}

#[test]
fn total_au_counts_replicas() {
    let mut s = at_deployment("d-etl", DeploymentTab::Overview);
    // Fixtures: scheduler 10, webserver 5, workers 10 × 2, triggerer 5, flower 5, extra 10.
    let text = render(&s, 160, 48);
    assert!(text.contains("total 55 AU"), "{text}");
    let mut d = admin_deployments()[0].clone();
    if let Some(w) = d.resources.iter_mut().find(|r| r.component == "workers") {
        w.replicas = Some(3);
    }
    put(
        &mut s,
        Request::Deployment(d.id.clone()),
        Payload::Deployment(Box::new(d)),
    );
    assert!(render(&s, 160, 48).contains("total 65 AU"));
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
