//! Reducer flows: messages in, state and the exact effects out. No terminal, no network.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::keymap::KeyScope;
use astrodash::app::modal::{CopyStatus, Modal, UrlKind};
use astrodash::app::msg::{Msg, Secret};
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::{init, update};
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use astrodash::platform::{CopyOutcome, OpenOutcome};
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The requests fetched among `effects`, in order.
fn fetched(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

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

/// The sequence number of the fetch of `request` among `effects`.
fn seq_of(effects: &[Effect], request: &Request) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { seq, request: r } if r == request => Some(*seq),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fetch of {request:?} in {effects:?}"))
}

/// Answer the fetch of `request` in `effects` with `payload`.
fn answer(s: &mut AppState, effects: &[Effect], request: Request, payload: Payload) -> Vec<Effect> {
    let seq = seq_of(effects, &request);
    update(s, reply(request, seq, 0, payload))
}

fn fail(s: &mut AppState, effects: &[Effect], request: Request, error: ApiError) -> Vec<Effect> {
    let seq = seq_of(effects, &request);
    update(
        s,
        Msg::Api {
            request,
            seq,
            at: now(),
            result: Err(error),
        },
    )
}

fn deployments_request() -> Request {
    Request::Deployments("ws-data".into())
}

/// What keeps the deployments list live between its full reloads.
fn statuses_request() -> Request {
    Request::DeploymentStatuses("ws-data".into())
}

/// Start with a token and load the account dashboard through real messages.
fn boot() -> AppState {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    let fx = init(&mut s);
    assert_eq!(fetched(&fx), vec![Request::Me, Request::AppConfig]);
    answer(
        &mut s,
        &fx,
        Request::AppConfig,
        Payload::AppConfig(AppConfig {
            version: Some("0.35.0".into()),
            base_domain: None,
        }),
    );
    let fx2 = answer(&mut s, &fx, Request::Me, Payload::Me(me()));
    assert_eq!(fetched(&fx2), vec![workspaces_request()]);
    let fx3 = answer(
        &mut s,
        &fx2,
        workspaces_request(),
        Payload::Workspaces(workspaces()),
    );
    assert!(fetched(&fx3).is_empty(), "{fx3:?}");
    s
}

/// From the account dashboard into "Data Platform" with its deployments loaded.
fn into_workspace(s: &mut AppState) {
    // Workspaces are listed by name: "Analytics Sandbox", then "Data Platform".
    update(s, ch('j'));
    let fx = update(s, key(KeyCode::Enter));
    assert_eq!(
        fetched(&fx),
        vec![deployments_request(), Request::DeploymentConfig]
    );
    answer(
        s,
        &fx,
        deployments_request(),
        Payload::Deployments(admin_deployments()),
    );
    answer(
        s,
        &fx,
        Request::DeploymentConfig,
        Payload::DeploymentConfig(DeploymentConfig {
            airflow_versions: vec!["2.8.1".into(), "2.9.2".into(), "2.10.3".into()],
            ..DeploymentConfig::default()
        }),
    );
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
fn forbidden_on_me_goes_to_login() {
    let mut s = AppState::new(&settings(Some("bad")), now(), false);
    let fx = init(&mut s);
    let fx = fail(
        &mut s,
        &fx,
        Request::Me,
        ApiError::Forbidden("You do not have the appropriate permissions for that".into()),
    );
    assert!(s.session.login.is_some());
    assert_eq!(s.key_scope(), KeyScope::Login);
    assert!(fetched(&fx).contains(&Request::AuthConfig));
}

#[test]
fn a_token_that_dies_mid_session_ends_the_session_and_keeps_the_view() {
    let mut s = boot();
    into_workspace(&mut s);
    update(&mut s, ch('j'));
    let fx = update(&mut s, ctrl('r'));
    // Houston answers FORBIDDEN for the list: is it the permission or the token?
    let fx = fail(
        &mut s,
        &fx,
        deployments_request(),
        ApiError::Forbidden("You do not have the appropriate permissions for that".into()),
    );
    assert!(s.session.login.is_none(), "not yet: ask who we are first");
    assert!(fetched(&fx).contains(&Request::Me));
    let fx = fail(
        &mut s,
        &fx,
        Request::Me,
        ApiError::Forbidden("You do not have the appropriate permissions for that".into()),
    );
    let login = s.session.login.as_ref().unwrap();
    assert!(
        login
            .reason
            .as_deref()
            .unwrap()
            .starts_with("Your session ended"),
        "{:?}",
        login.reason
    );
    assert!(fetched(&fx).contains(&Request::AuthConfig));
    // The header no longer claims the old data is current.
    let screen = render(&s, 100, 24);
    assert!(!screen.contains("updated"), "{screen}");

    // The same user logs in again: back on the workspace dashboard.
    let fx = update(&mut s, ctrl('t'));
    assert!(fx.is_empty());
    update(&mut s, Msg::Paste("new.jwt.token".into()));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(fx.contains(&Effect::UseToken(Secret("new.jwt.token".into()))));
    assert_eq!(s.route(), &Route::Account);
    let fx = answer(&mut s, &fx, Request::Me, Payload::Me(me()));
    assert!(matches!(s.route(), Route::Workspace { id, .. } if id == "ws-data"));
    assert!(fetched(&fx).contains(&deployments_request()));
}

#[test]
fn a_permission_error_with_a_live_token_is_a_message() {
    let mut s = boot();
    into_workspace(&mut s);
    let fx = update(&mut s, ctrl('r'));
    let fx = fail(
        &mut s,
        &fx,
        deployments_request(),
        ApiError::Forbidden("not allowed".into()),
    );
    let fx = answer(&mut s, &fx, Request::Me, Payload::Me(me()));
    assert!(fx.is_empty() || fetched(&fx).iter().all(|r| *r != Request::Me));
    assert!(s.session.login.is_none());
    assert_eq!(s.net.failures, 0, "no back-off for a permission error");
    assert!(
        s.visible_message()
            .unwrap()
            .text
            .contains("Permission denied")
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
fn password_login_success_goes_to_account() {
    let mut s = AppState::new(&settings(None), now(), false);
    let fx = init(&mut s);
    assert_eq!(fetched(&fx), vec![Request::AuthConfig, Request::AppConfig]);
    answer(
        &mut s,
        &fx,
        Request::AuthConfig,
        Payload::AuthConfig(AuthConfig {
            local_enabled: true,
            public_signup: false,
            initial_signup: false,
            providers: vec![],
        }),
    );
    type_text(&mut s, "ada");
    // Enter on the username moves to the password.
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    type_text(&mut s, "pw1");
    let fx = update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::Login {
            username: "ada".into(),
            password: Secret("pw1".into())
        }]
    );
    // A second Enter while the first is on its way sends nothing.
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    // A failure keeps what was typed and shows the server's words.
    update(
        &mut s,
        Msg::LoginResult {
            at: now(),
            result: Err(ApiError::graphql(
                "Invalid password and username combination",
            )),
        },
    );
    let login = s.session.login.as_ref().unwrap();
    assert_eq!(
        login.password.error.as_deref(),
        Some("Invalid password and username combination")
    );
    assert_eq!(login.password.value("username"), "ada");
    assert_eq!(login.password.value("password"), "pw1");
    let fx = update(
        &mut s,
        Msg::LoginResult {
            at: now(),
            result: Ok(Secret("jwt".into())),
        },
    );
    assert_eq!(fx.first(), Some(&Effect::UseToken(Secret("jwt".into()))));
    assert!(fetched(&fx).contains(&Request::Me));
    assert!(s.session.login.is_none());
    assert_eq!(s.route(), &Route::Account);
}

#[test]
fn a_rejected_pasted_token_keeps_the_token_form() {
    let mut s = AppState::new(&settings(None), now(), false);
    init(&mut s);
    update(&mut s, ctrl('t'));
    assert_eq!(s.session.login.as_ref().unwrap().mode, LoginMode::Token);
    update(&mut s, Msg::Paste("abc.def.ghi\n".into()));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(fx.contains(&Effect::UseToken(Secret("abc.def.ghi".into()))));
    assert!(s.session.login.is_none());
    fail(
        &mut s,
        &fx,
        Request::Me,
        ApiError::Forbidden("You do not have the appropriate permissions for that".into()),
    );
    let login = s.session.login.as_ref().unwrap();
    assert_eq!(login.mode, LoginMode::Token, "still pasting a token");
    assert_eq!(login.token.value("token"), "abc.def.ghi", "nothing lost");
    assert!(
        login
            .token
            .error
            .as_deref()
            .unwrap()
            .contains("did not accept the token"),
        "{:?}",
        login.token.error
    );
}

#[test]
fn flower_needs_celery_and_open_uses_the_deployment_url() {
    let mut s = boot();
    into_workspace(&mut s);
    // Row 1 "prod-etl" is Celery.
    assert_eq!(
        update(&mut s, ch('o')),
        vec![Effect::OpenUrl {
            url: "https://deployments.example.com/quantum-nebula-1234/airflow".into(),
            what: UrlKind::Airflow
        }]
    );
    assert_eq!(
        update(&mut s, ch('f')),
        vec![Effect::OpenUrl {
            url: "https://deployments.example.com/quantum-nebula-1234/flower".into(),
            what: UrlKind::Flower
        }]
    );
    // Row 2 "reporting" is Kubernetes: f is not a key there (and not advertised).
    update(&mut s, ch('j'));
    assert!(update(&mut s, ch('f')).is_empty());
    assert!(
        !s.visible_message()
            .is_some_and(|m| m.text.contains("only available"))
    );
    let screen = render(&s, 160, 30);
    assert!(!screen.contains("f flower"), "{screen}");
    // On the deployment dashboard too.
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        update(&mut s, ch('o')),
        vec![Effect::OpenUrl {
            url: "https://deployments.example.com/stellar-orbit-5678/airflow".into(),
            what: UrlKind::Airflow
        }]
    );
}

#[test]
fn show_url_outcome_opens_popup_and_copies() {
    let mut s = boot();
    let url = "https://deployments.example.com/x/airflow".to_string();
    let fx = update(
        &mut s,
        Msg::OpenResult {
            url: url.clone(),
            what: UrlKind::Airflow,
            outcome: OpenOutcome::ShowUrl {
                reason: "over SSH".into(),
            },
        },
    );
    assert_eq!(
        fx,
        vec![Effect::Copy {
            text: Secret(url.clone()),
            label: "Airflow UI URL".into()
        }]
    );
    match s.ui.modals.last() {
        Some(Modal::Url(p)) => {
            assert_eq!(p.url, url);
            assert_eq!(p.reason, "over SSH");
            assert_eq!(
                p.copy,
                CopyStatus::Pending,
                "not copied until the loop says so"
            );
        }
        other => panic!("expected the URL popup, got {other:?}"),
    }
    update(
        &mut s,
        Msg::CopyResult {
            text: Secret(url.clone()),
            label: "Airflow UI URL".into(),
            outcome: CopyOutcome::TooLong,
        },
    );
    assert!(matches!(s.ui.modals.last(), Some(Modal::Url(p)) if p.copy == CopyStatus::TooLong));
    // Keys go to the popup, Esc closes it.
    assert!(update(&mut s, ch('j')).is_empty());
    update(&mut s, key(KeyCode::Esc));
    assert!(s.ui.modals.is_empty());
    update(
        &mut s,
        Msg::OpenResult {
            url,
            what: UrlKind::Airflow,
            outcome: OpenOutcome::Opened,
        },
    );
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("Opened Airflow UI in your browser")
    );
    // Info flashes clear by themselves.
    update(&mut s, Msg::Tick(later(5)));
    assert!(s.ui.message.is_none());
}

fn view(s: &AppState, table: &TableId) -> Vec<usize> {
    s.view(table).to_vec()
}

#[test]
fn filter_narrows_rows_live() {
    let mut s = boot();
    into_workspace(&mut s);
    let table = TableId::Deployments("ws-data".into());
    update(&mut s, ch('/'));
    type_text(&mut s, "REP");
    assert_eq!(view(&s, &table), vec![1]);
    assert_eq!(s.target_deployment().map(|d| d.id.as_str()), Some("d-rep"));
    for _ in 0..3 {
        update(&mut s, key(KeyCode::Backspace));
    }
    assert_eq!(view(&s, &table).len(), 4);
    // The cursor stayed on "reporting", the item it was on.
    assert_eq!(s.target_deployment().map(|d| d.id.as_str()), Some("d-rep"));
    type_text(&mut s, "stag");
    // Enter keeps the filter and leaves the input.
    update(&mut s, key(KeyCode::Enter));
    assert!(s.ui.filter_input.is_none());
    assert_eq!(view(&s, &table), vec![2]);
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(s.route(), Route::Deployment { id, .. } if id == "d-stg"));
    assert!(!fx.is_empty());
    update(&mut s, key(KeyCode::Esc));
    // Back on the list, Esc first clears the filter.
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(view(&s, &table).len(), 4);
    assert!(matches!(s.route(), Route::Workspace { .. }));
    // Esc while typing clears.
    update(&mut s, ch('/'));
    type_text(&mut s, "zzz");
    assert!(view(&s, &table).is_empty());
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(view(&s, &table).len(), 4);
}

#[test]
fn movement_keys_clamp() {
    let mut s = boot();
    into_workspace(&mut s);
    let table = TableId::Deployments("ws-data".into());
    let pos = |s: &AppState| s.table(&table).selected;
    update(&mut s, ch('G'));
    assert_eq!(pos(&s), 3);
    update(&mut s, ch('j'));
    assert_eq!(pos(&s), 3);
    update(&mut s, ch('g'));
    assert_eq!(pos(&s), 0);
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(pos(&s), 3);
    update(&mut s, key(KeyCode::Up));
    assert_eq!(pos(&s), 2);
    update(&mut s, key(KeyCode::Home));
    assert_eq!(pos(&s), 0);
}

#[test]
fn the_cursor_stays_on_its_item_when_rows_change_above_it() {
    let mut s = boot();
    into_workspace(&mut s);
    // Select "galactic-core" (the 4th row).
    update(&mut s, ch('G'));
    assert_eq!(s.target_deployment().map(|d| d.id.as_str()), Some("d-odd"));
    // A refresh arrives where two deployments above it were deleted and one was added on top.
    let fx = update(&mut s, ctrl('r'));
    let mut list = admin_deployments();
    list.remove(0);
    list.remove(0);
    let mut new = list[0].clone();
    new.id = "d-new".into();
    new.label = "aaa-new".into();
    list.insert(0, new);
    answer(
        &mut s,
        &fx,
        deployments_request(),
        Payload::Deployments(list),
    );
    assert_eq!(s.target_deployment().map(|d| d.id.as_str()), Some("d-odd"));
    // y (its menu, which fetches the whole deployment for its JSON; y again: the first entry),
    // o and Enter act on it.
    let fx = update(&mut s, ch('y'));
    assert_eq!(fetched(&fx), [Request::Deployment("d-odd".into())]);
    let fx = update(&mut s, ch('y'));
    assert_eq!(
        fx,
        vec![Effect::Copy {
            text: Secret("galactic-core-3456".into()),
            label: "release name".into()
        }]
    );
    update(&mut s, key(KeyCode::Enter));
    assert!(matches!(s.route(), Route::Deployment { id, .. } if id == "d-odd"));
}

#[test]
fn copy_selected_release_name() {
    let mut s = boot();
    into_workspace(&mut s);
    update(&mut s, ch('j'));
    // `y` opens the copy menu (the row is lean: the whole deployment is fetched for its JSON);
    // `y` again copies its first entry.
    let fx = update(&mut s, ch('y'));
    assert!(
        fetched(&fx)
            .iter()
            .all(|r| matches!(r, Request::Deployment(_)))
            && fx.len() == 1,
        "{fx:?}"
    );
    assert!(matches!(s.ui.modals.last(), Some(Modal::Menu(_))));
    let fx = update(&mut s, ch('y'));
    assert!(
        s.ui.modals.is_empty(),
        "the menu closes when an entry is picked"
    );
    assert_eq!(
        fx,
        vec![Effect::Copy {
            text: Secret("stellar-orbit-5678".into()),
            label: "release name".into()
        }]
    );
    assert!(
        s.visible_message().is_none(),
        "nothing claimed before the copy happened"
    );
    update(
        &mut s,
        Msg::CopyResult {
            text: Secret("stellar-orbit-5678".into()),
            label: "release name".into(),
            outcome: CopyOutcome::Copied,
        },
    );
    let m = s.visible_message().cloned().unwrap();
    assert_eq!(m.level, Level::Info);
    assert_eq!(
        m.text,
        "Copied release name stellar-orbit-5678 to the clipboard (OSC 52)"
    );
    update(
        &mut s,
        Msg::CopyResult {
            text: Secret("x".into()),
            label: "e-mail".into(),
            outcome: CopyOutcome::Failed("broken pipe".into()),
        },
    );
    let m = s.visible_message().cloned().unwrap();
    assert_eq!(m.level, Level::Error);
    assert_eq!(m.text, "Could not copy the e-mail: broken pipe");
}

#[test]
fn messages_belong_to_their_view() {
    let mut s = boot();
    into_workspace(&mut s);
    update(&mut s, ch('y'));
    update(&mut s, ch('y'));
    update(
        &mut s,
        Msg::CopyResult {
            text: Secret("quantum-nebula-1234".into()),
            label: "release name".into(),
            outcome: CopyOutcome::Copied,
        },
    );
    assert!(s.visible_message().is_some());
    // Into the deployment: the copy message of the list does not follow.
    update(&mut s, key(KeyCode::Enter));
    assert!(s.visible_message().is_none());
    let screen = render(&s, 120, 30);
    assert!(!screen.contains("Copied"), "{screen}");
}

#[test]
fn help_overlay_opens_scrolls_and_closes() {
    let mut s = boot();
    update(&mut s, ch('?'));
    assert!(matches!(
        s.ui.modals.last(),
        Some(Modal::Help { scroll: 0 })
    ));
    update(&mut s, ch('j'));
    assert!(matches!(
        s.ui.modals.last(),
        Some(Modal::Help { scroll: 1 })
    ));
    update(&mut s, key(KeyCode::Esc));
    assert!(s.ui.modals.is_empty());
}

#[test]
fn errors_stay_until_esc_and_info_times_out() {
    let mut s = boot();
    let fx = update(&mut s, ctrl('r'));
    fail(&mut s, &fx, workspaces_request(), ApiError::graphql("boom"));
    update(&mut s, Msg::Tick(later(60)));
    assert_eq!(s.visible_message().map(|m| m.text.as_str()), Some("boom"));
    // Esc is a key on the top screen only while there is something to clear.
    update(&mut s, key(KeyCode::Esc));
    assert!(s.ui.message.is_none());
}

#[test]
fn quit_keys() {
    let mut s = boot();
    assert_eq!(update(&mut s, ch('q')), vec![Effect::Quit]);
    assert!(s.quit);
    let mut s = boot();
    assert_eq!(update(&mut s, ctrl('c')), vec![Effect::Quit]);
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

#[test]
fn copy_menu_on_the_deployment_dashboard_offers_the_airflow_url() {
    let mut s = boot();
    into_workspace(&mut s);
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('y'));
    let Some(Modal::Menu(menu)) = s.ui.modals.last() else {
        panic!("no copy menu: {:?}", s.ui.modals);
    };
    let labels: Vec<&str> = menu.items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(
        labels,
        vec![
            "release name",
            "deployment id",
            "Airflow URL",
            "Flower URL",
            "deployment as JSON"
        ]
    );
    assert_eq!(
        update(&mut s, ch('3')),
        vec![Effect::Copy {
            text: Secret("https://deployments.example.com/quantum-nebula-1234/airflow".into()),
            label: "Airflow URL".into()
        }]
    );
}

#[test]
fn paste_into_the_filter() {
    let mut s = boot();
    update(&mut s, ch('/'));
    update(&mut s, Msg::Paste("sandbox".into()));
    assert_eq!(s.view(&TableId::Workspaces).len(), 1);
    // Typing q while filtering is text, not quit.
    assert!(update(&mut s, ch('q')).is_empty());
    assert!(!s.quit);
    assert_eq!(update(&mut s, ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn a_service_account_key_loads_workspaces() {
    let mut s = AppState::new(
        &settings(Some("0123456789abcdef0123456789abcdef")),
        now(),
        false,
    );
    let fx = init(&mut s);
    let sa = Me::service_account(false);
    let fx = answer(&mut s, &fx, Request::Me, Payload::Me(sa));
    // No user id to look for in the role bindings.
    assert_eq!(fetched(&fx), vec![Request::Workspaces { me_id: None }]);
    assert!(s.session.login.is_none(), "no detour to the login screen");
    // A key is not a user: no workspace creation, no profile.
    let screen = render(&s, 120, 24);
    assert!(
        !screen.contains("n new") && !screen.contains("p profile"),
        "{screen}"
    );
}

#[test]
fn a_workspace_viewer_does_not_ask_for_invites() {
    let mut s = boot();
    // "ws-long" is the viewer's workspace (third by name? no: sorted by name, it is second).
    let long_pos = s
        .view(&TableId::Workspaces)
        .iter()
        .position(|&i| s.cache.workspaces().unwrap()[i].id == "ws-long")
        .unwrap();
    for _ in 0..long_pos {
        update(&mut s, ch('j'));
    }
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('2'));
    let fx = update(&mut s, ch('3'));
    assert!(fetched(&fx).is_empty(), "{fx:?}");
    assert!(!s.can_see_invites(&"ws-long".into()));
}

#[test]
fn a_new_token_forgets_the_previous_sessions_data() {
    let mut s = boot();
    into_workspace(&mut s);
    update(&mut s, ch('/'));
    type_text(&mut s, "x");
    update(&mut s, key(KeyCode::Enter));
    let fx = update(&mut s, ctrl('r'));
    let fx = fail(
        &mut s,
        &fx,
        deployments_request(),
        ApiError::Forbidden("no".into()),
    );
    fail(&mut s, &fx, Request::Me, ApiError::Forbidden("no".into()));
    assert!(s.session.login.is_some());
    update(&mut s, ctrl('t'));
    update(&mut s, Msg::Paste("other.user.token".into()));
    update(&mut s, key(KeyCode::Enter));
    assert!(s.cache.workspaces().is_none());
    assert!(s.cache.deployments(&"ws-data".into()).is_none());
    assert!(
        s.ui.tables.is_empty(),
        "filters and selections are per identity"
    );
    assert_eq!(s.route(), &Route::Account);
}

#[test]
fn a_token_that_cannot_be_sent_is_a_configuration_error_not_a_retry() {
    let mut s = AppState::new(&settings(Some("bad\ttoken")), now(), false);
    let fx = init(&mut s);
    fail(
        &mut s,
        &fx,
        Request::Me,
        ApiError::InvalidToken(
            "The token contains characters an HTTP header cannot carry: paste it again".into(),
        ),
    );
    let login = s.session.login.as_ref().expect("the login screen");
    assert!(
        login.reason.as_deref().unwrap().contains("cannot carry"),
        "{:?}",
        login.reason
    );
    assert_eq!(s.net.failures, 0, "not retried with back-off");
}

#[test]
fn an_endpoint_that_is_not_houston_is_said_once_for_the_session() {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    let fx = init(&mut s);
    fail(
        &mut s,
        &fx,
        Request::Me,
        ApiError::NotHouston(
            "http://127.0.0.1:8871 answered HTTP 404: did you mean http://127.0.0.1:8871/v1?"
                .into(),
        ),
    );
    let m = s.visible_message().unwrap();
    assert_eq!(m.level, Level::Error);
    assert!(m.text.contains("did you mean"), "{}", m.text);
    assert!(m.route.is_none(), "about the session, not a view");
}
