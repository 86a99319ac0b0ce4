//! Reducer flows of the session: logging in (password, pasted token, service-account key), a token
//! that dies or cannot be sent, permission errors, an endpoint that is not Houston. Messages in,
//! state and the exact effects out. No terminal, no network.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::forms::FieldId;
use astrodash::app::keymap::KeyScope;
use astrodash::app::msg::{Msg, Secret};
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::{init, update};
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::app_flows::*;
use common::*;
use crossterm::event::KeyCode;

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
    assert_eq!(login.password.value(FieldId::Username), "ada");
    assert_eq!(login.password.value(FieldId::Password), "pw1");
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
    assert_eq!(
        login.token.value(FieldId::Token),
        "abc.def.ghi",
        "nothing lost"
    );
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
