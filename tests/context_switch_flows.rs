//! Reducer flows of contexts: switching keeps each context's views and data, the context list,
//! no switch while a change is being sent, `:logout`, a login token kept in memory.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::keymap::KeyScope;
use astrodash::app::menu::MenuKind;
use astrodash::app::modal::Modal;
use astrodash::app::msg::Secret;
use astrodash::app::state::*;
use astrodash::config::ThemeName;
use astrodash::houston::request::Request;
use common::navigation::*;
/// Every step here gets the executor's answer to a context switch at once.
use common::update_connected as update;
use common::*;
use crossterm::event::KeyCode;

fn connect_of(effects: &[Effect]) -> Option<(String, String, Option<String>)> {
    effects.iter().find_map(|e| match e {
        Effect::Connect {
            context,
            url,
            token,
            ..
        } => Some((
            context.clone(),
            url.clone(),
            token.as_ref().map(|t| t.expose().to_string()),
        )),
        _ => None,
    })
}

#[test]
fn switching_contexts_keeps_each_contexts_view_and_data() {
    let mut s = with_contexts();
    assert_eq!(s.ui.theme, ThemeName::Light, "the file's theme");
    command(&mut s, "deploy reporting");
    update(&mut s, ch('2'));
    let demo_routes = s.nav.routes.clone();
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-rep".into(),
            tab: DeploymentTab::Variables
        }
    );

    // Fuzzy: "stag" is staging.
    let fx = command(&mut s, "ctx stag");
    assert_eq!(
        connect_of(&fx),
        Some((
            "staging".into(),
            "https://houston.staging.example.com/v1".into(),
            Some("staging-token".into())
        ))
    );
    assert_eq!(s.session.context_name, "staging");
    assert_eq!(s.nav.routes, vec![Route::Account]);
    assert!(s.cache.me().is_none(), "nothing of demo's data");
    assert_eq!(fetched(&fx), vec![Request::Me, Request::AppConfig]);
    assert_eq!(s.ui.theme, ThemeName::Dark, "the context's own theme");
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("Switched to context staging")
    );
    assert_eq!(s.breadcrumbs()[0], "staging");

    // Back to demo: where it was, with its data (the view refreshes, nothing else).
    let fx = command(&mut s, "ctx demo");
    assert_eq!(
        connect_of(&fx),
        Some((
            "demo".into(),
            "http://127.0.0.1:8871/v1".into(),
            Some("token".into())
        ))
    );
    assert_eq!(s.nav.routes, demo_routes);
    assert_eq!(s.me().map(|m| m.username.as_str()), Some("ada"));
    assert!(!fetched(&fx).contains(&Request::Me));
    assert!(fetched(&fx).contains(&Request::DeploymentVariables("d-rep".into())));
    assert_eq!(s.ui.theme, ThemeName::Light);
    // And staging kept its own (empty) view.
    assert!(s.contexts.saved.contains_key("staging"));
}

#[test]
fn the_context_list_switches_and_refuses_what_cannot_work() {
    let mut s = with_contexts();
    command(&mut s, "ctx");
    let Some(Modal::Menu(menu)) = s.ui.modals.last() else {
        panic!("no context list");
    };
    assert_eq!(menu.kind, MenuKind::Contexts);
    let names: Vec<&str> = menu.items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(names, vec!["demo", "staging", "nologin", "cloud"]);
    assert_eq!(menu.selected, 0, "the current context is selected");
    assert!(menu.items[0].current);
    assert!(
        menu.items[3]
            .detail
            .contains("Astro Cloud has no Houston API")
    );

    // A context without a token: its login screen.
    let fx = update(&mut s, ch('3'));
    assert_eq!(
        connect_of(&fx),
        Some(("nologin".into(), "http://localhost:9999/v1".into(), None))
    );
    assert_eq!(s.key_scope(), KeyScope::Login);
    assert_eq!(fetched(&fx), vec![Request::AuthConfig, Request::AppConfig]);
    // From the login screen, C-p opens the palette: switch back.
    update(&mut s, ctrl('p'));
    assert_eq!(s.key_scope(), KeyScope::Palette);
    type_text(&mut s, "ws");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        failure(&s).as_deref(),
        Some(":ws — Log in first (on this screen :ctx, :logout and :q work)")
    );

    let from_login = |s: &mut AppState, text: &str| {
        update(s, ctrl('p'));
        type_text(s, text);
        update(s, key(KeyCode::Enter))
    };
    from_login(&mut s, "ctx cloud");
    assert_eq!(
        failure(&s).as_deref(),
        Some(":ctx cloud — Context cloud cannot be used: Astro Cloud has no Houston API")
    );
    from_login(&mut s, "ctx prod");
    assert_eq!(
        failure(&s).as_deref(),
        Some(":ctx prod — No context called prod (contexts: demo, staging, nologin, cloud)")
    );
    let fx = from_login(&mut s, "ctx demo");
    assert!(connect_of(&fx).is_some());
    assert!(s.session.login.is_none());
    assert_eq!(s.session.context_name, "demo");
}

#[test]
fn no_switch_while_a_change_is_being_sent() {
    let mut s = with_contexts();
    s.net.mutations.insert(
        7,
        astrodash::houston::mutation::Mutation::DeleteWorkspace {
            id: "ws-data".into(),
            label: "Data Platform".into(),
        },
    );
    let fx = command(&mut s, "ctx staging");
    assert!(connect_of(&fx).is_none());
    assert_eq!(
        failure(&s).as_deref(),
        Some(":ctx staging — A change is still being sent: switch contexts once it is done")
    );
    assert_eq!(s.session.context_name, "demo");
}

#[test]
fn logout_forgets_the_token_and_shows_the_login_screen() {
    let mut s = with_contexts();
    command(&mut s, "deploy reporting");
    let fx = command(&mut s, "logout");
    assert_eq!(
        connect_of(&fx),
        Some(("demo".into(), "http://127.0.0.1:8871/v1".into(), None))
    );
    assert_eq!(s.key_scope(), KeyScope::Login);
    let reason = s.session.login.as_ref().and_then(|l| l.reason.clone());
    assert!(reason.unwrap().starts_with("Logged out"));
    assert!(s.cache.me().is_none() && s.cache.workspaces().is_none());
    assert_eq!(s.nav.routes, vec![Route::Account]);
    assert_eq!(s.contexts.token, None);
    assert_eq!(s.contexts.entry("demo").and_then(|e| e.token.clone()), None);
    let screen = render(&s, 100, 30);
    assert!(screen.contains("Logged out"), "{screen}");
    assert!(!screen.contains("Data Platform"), "{screen}");

    // Leaving and coming back does not bring the token back.
    update(&mut s, ctrl('p'));
    type_text(&mut s, "ctx staging");
    update(&mut s, key(KeyCode::Enter));
    let fx = command(&mut s, "ctx demo");
    assert_eq!(connect_of(&fx).and_then(|c| c.2), None);
    assert_eq!(s.key_scope(), KeyScope::Login);
}

#[test]
fn a_login_token_is_kept_for_the_context_in_memory() {
    let mut s = with_contexts();
    command(&mut s, "ctx nologin");
    update(&mut s, ctrl('t'));
    type_text(&mut s, "pasted-token");
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(fx.contains(&Effect::UseToken(Secret("pasted-token".into()))));
    // Houston has not answered yet: the login screen is gone, the palette works again.
    command(&mut s, "ctx demo");
    let fx = command(&mut s, "ctx nologin");
    assert_eq!(
        connect_of(&fx).and_then(|c| c.2).as_deref(),
        Some("pasted-token")
    );
}
