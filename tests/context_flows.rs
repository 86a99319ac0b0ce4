//! Switching installations (`:ctx`) waits for the executor's answer to `Effect::Connect`:
//! the context is entered when a connection could be made, and not at all otherwise.

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::config::{ContextEntry, ContextSource, Settings};
use astrodash::houston::request::Request;
use common::*;
use crossterm::event::KeyCode;

fn entry(name: &str, url: &str, token: Option<&str>) -> ContextEntry {
    ContextEntry {
        name: name.into(),
        source: ContextSource::Config,
        url: url.into(),
        app_url: None,
        token: token.map(Into::into),
        read_only: false,
        theme: None,
        trust: Default::default(),
        problem: None,
    }
}

/// Logged in to "demo", on a deployment's variables, with "staging" configured too.
fn on_demo() -> AppState {
    let settings = Settings {
        contexts: vec![
            entry("demo", "http://127.0.0.1:8871/v1", Some("token")),
            entry(
                "staging",
                "https://houston.staging.example.com/v1",
                Some("staging-token"),
            ),
        ],
        ..settings(Some("token"))
    };
    let mut s = AppState::new(&settings, now(), false);
    s.cache = loaded_state().cache;
    command(&mut s, "deploy reporting");
    update(&mut s, ch('2'));
    s
}

/// `:` + `text` + Enter.
fn command(s: &mut AppState, text: &str) -> Vec<Effect> {
    update(s, ch(':'));
    type_text(s, text);
    update(s, key(KeyCode::Enter))
}

fn connected(s: &mut AppState, context: &str, result: Result<(), String>) -> Vec<Effect> {
    let context = context.to_string();
    update(s, Msg::Connected { context, result })
}

#[test]
fn a_switch_asks_for_the_connection_and_enters_the_context_once_it_is_made() {
    let mut s = on_demo();
    let routes = s.nav.routes.clone();
    let fx = command(&mut s, "ctx staging");
    assert!(
        matches!(fx.as_slice(), [Effect::Connect { context, .. }] if context == "staging"),
        "only the connection is asked for: {fx:?}"
    );
    assert_eq!(
        s.session.context_name, "demo",
        "not entered before the answer"
    );
    assert_eq!(s.nav.routes, routes);

    let fx = connected(&mut s, "staging", Ok(()));
    assert_eq!(s.session.context_name, "staging");
    assert_eq!(s.nav.routes, vec![Route::Account]);
    assert!(s.cache.me().is_none(), "nothing of demo's data");
    assert!(!fx.iter().any(|e| matches!(e, Effect::Connect { .. })));
    let requests: Vec<Request> = reads(&fx).into_iter().map(|(r, _)| r).collect();
    assert_eq!(requests, vec![Request::Me, Request::AppConfig]);
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("Switched to context staging")
    );
}

#[test]
fn a_switch_whose_connection_fails_stays_where_it_was_and_says_why() {
    let mut s = on_demo();
    let routes = s.nav.routes.clone();
    command(&mut s, "ctx staging");
    let fx = connected(
        &mut s,
        "staging",
        Err("cannot read the CA file /nope.pem".into()),
    );
    assert!(fx.is_empty(), "nothing cancelled or fetched: {fx:?}");
    assert_eq!(s.session.context_name, "demo");
    assert_eq!(s.nav.routes, routes);
    assert_eq!(s.me().map(|m| m.username.as_str()), Some("ada"));
    assert!(
        !s.contexts.saved.contains_key("demo"),
        "demo was never left"
    );
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("Cannot connect to context staging: cannot read the CA file /nope.pem")
    );
}
