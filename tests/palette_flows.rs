//! Reducer flows of the `:` palette: parsing, completion, aliases, history, editing the line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::keymap::KeyScope;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::houston::model::Workspace;
use astrodash::houston::request::{Payload, Request};
use common::navigation::*;
/// Every step here gets the executor's answer to a context switch at once.
use common::update_connected as update;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[test]
fn the_palette_lists_commands_and_completes_names_fuzzily() {
    let mut s = loaded_state();
    update(&mut s, ch(':'));
    assert_eq!(s.key_scope(), KeyScope::Palette);
    let p = palette(&s);
    assert_eq!(p.completions.first().map(|c| c.text.as_str()), Some("ws"));
    assert!(p.completions.iter().any(|c| c.text == "logout"));

    // A name, not a command: the deployment comes first, its characters marked.
    type_text(&mut s, "etl");
    let p = palette(&s);
    let first = &p.completions[0];
    assert_eq!(first.text, "deploy prod-etl");
    assert_eq!(first.label, "deploy prod-etl");
    assert_eq!(first.positions, vec![12, 13, 14]);
    assert!(first.detail.contains("quantum-nebula-1234"), "{first:?}");

    // Tab puts it in the line; Enter opens it, by way of its workspace.
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(palette(&s).input.value(), "deploy prod-etl");
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(s.ui.modals.is_empty());
    assert_eq!(
        s.nav.routes,
        vec![
            Route::Account,
            ws_route(WorkspaceTab::Deployments),
            deployment_route("d-etl")
        ]
    );
    assert!(fetched(&fx).contains(&Request::Deployment("d-etl".into())));
    // Esc lands on the deployment in its list, and on its workspace in the account list.
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.target_deployment().map(|d| d.id.as_str()), Some("d-etl"));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(
        s.selected::<Workspace>().as_ref().map(|w| w.id.as_str()),
        Some("ws-data")
    );
}

#[test]
fn names_complete_after_the_command_and_tab_cycles() {
    let mut s = loaded_state();
    update(&mut s, ch(':'));
    type_text(&mut s, "ws ");
    let texts: Vec<String> = palette(&s)
        .completions
        .iter()
        .map(|c| c.text.clone())
        .collect();
    assert_eq!(
        texts,
        vec![
            "ws Analytics Sandbox",
            "ws Data Platform",
            "ws Quarterly Revenue Forecasting and Reconciliation Working Group (EMEA)"
        ]
    );
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(palette(&s).input.value(), "ws Data Platform");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
    );
    assert_eq!(palette(&s).input.value(), "ws Analytics Sandbox");
    // Typing starts over from what is typed.
    type_text(&mut s, "x");
    assert_eq!(palette(&s).chosen, None);
    assert!(palette(&s).completions.is_empty());
}

#[test]
fn aliases_jump_to_tabs_of_the_current_workspace_and_deployment() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    let fx = command(&mut s, "sa");
    assert_eq!(s.route(), &ws_route(WorkspaceTab::ServiceAccounts));
    assert!(fetched(&fx).contains(&Request::WorkspaceServiceAccounts("ws-data".into())));
    command(&mut s, "users");
    assert_eq!(s.route(), &ws_route(WorkspaceTab::Users));
    // k9s's :dp
    command(&mut s, "dp");
    assert_eq!(s.route(), &ws_route(WorkspaceTab::Deployments));
    // From the deployment list, :vars opens the selected deployment's variables.
    update(&mut s, ch('j'));
    command(&mut s, "vars");
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-rep".into(),
            tab: DeploymentTab::Variables
        }
    );
    // On a deployment, :users and :sa are the deployment's.
    command(&mut s, "users");
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-rep".into(),
            tab: DeploymentTab::Users
        }
    );
    command(&mut s, "SA");
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-rep".into(),
            tab: DeploymentTab::ServiceAccounts
        }
    );
    // :invites goes up to the workspace.
    command(&mut s, "invites");
    assert_eq!(
        s.nav.routes,
        vec![Route::Account, ws_route(WorkspaceTab::Invites)]
    );
    // :ws alone: the account dashboard.
    command(&mut s, "ws");
    assert_eq!(s.nav.routes, vec![Route::Account]);
    assert_eq!(command(&mut s, "q"), vec![Effect::Quit]);
    assert!(s.quit);
}

#[test]
fn what_cannot_be_done_closes_the_palette_says_why_and_up_brings_it_back() {
    let mut s = loaded_state();
    s.ui.tables.clear();
    for (typed, problem) in [
        (
            "frobnicate now",
            "Unknown command :frobnicate (Tab lists the commands)",
        ),
        ("vars", "Open a deployment first (:deploy NAME)"),
        ("q now", ":q takes no name"),
        ("all now", ":all takes no name"),
        ("logs", "Open a deployment first (:deploy NAME)"),
    ] {
        let fx = command(&mut s, typed);
        assert!(fx.is_empty(), "{typed}: {fx:?}");
        assert!(s.ui.modals.is_empty(), "{typed}: the palette closes");
        assert_eq!(
            failure(&s).as_deref(),
            Some(format!(":{typed} — {problem}").as_str()),
            "the message line says why"
        );
        // `:` and ↑: what was typed comes back, to fix it.
        update(&mut s, ch(':'));
        update(&mut s, key(KeyCode::Up));
        assert_eq!(palette(&s).input.value(), typed, "kept in the history");
        update(&mut s, key(KeyCode::Esc));
        assert!(s.ui.modals.is_empty());
    }
    assert_eq!(s.route(), &Route::Account);
    assert_eq!(s.ui.palette_history.len(), 5, "failures are history too");
}

#[test]
fn fuzzy_names_resolve_when_one_is_best_and_ties_are_named() {
    let mut s = loaded_state();
    command(&mut s, "ws sandbox");
    assert_eq!(
        s.route(),
        &Route::Workspace {
            id: "ws-sandbox".into(),
            tab: WorkspaceTab::Deployments
        }
    );
    // By release name.
    command(&mut s, "deploy stellar-orbit-5678");
    assert_eq!(s.route(), &deployment_route("d-rep"));

    // Two deployments with the same name: the release names tell them apart.
    let mut other = admin_deployments()[0].clone();
    other.id = "d-twin".into();
    other.release_name = "twin-star-0001".into();
    other.workspace_id = Some("ws-sandbox".into());
    put(
        &mut s,
        Request::Deployments("ws-sandbox".into()),
        Payload::Deployments(vec![other]),
    );
    command(&mut s, "ws");
    command(&mut s, "deploy prod-etl");
    assert_eq!(
        failure(&s).as_deref(),
        Some(
            ":deploy prod-etl — prod-etl matches 2 deployments (quantum-nebula-1234, twin-star-0001): Tab picks one"
        )
    );
    // In one of their workspaces, that workspace's is meant.
    command(&mut s, "ws Analytics Sandbox");
    command(&mut s, "deploy prod-etl");
    assert_eq!(s.route(), &deployment_route("d-twin"));
}

#[test]
fn history_comes_back_with_up_and_down() {
    let mut s = loaded_state();
    command(&mut s, "ws Data Platform");
    command(&mut s, "users");
    update(&mut s, ch(':'));
    type_text(&mut s, "dra");
    update(&mut s, key(KeyCode::Up));
    assert_eq!(palette(&s).input.value(), "users");
    update(&mut s, key(KeyCode::Up));
    assert_eq!(palette(&s).input.value(), "ws Data Platform");
    update(&mut s, key(KeyCode::Up));
    assert_eq!(
        palette(&s).input.value(),
        "ws Data Platform",
        "oldest stays"
    );
    update(&mut s, key(KeyCode::Down));
    assert_eq!(palette(&s).input.value(), "users");
    update(&mut s, key(KeyCode::Down));
    assert_eq!(palette(&s).input.value(), "dra", "back to what was typed");
    // Backspace on an empty line closes the palette.
    for _ in 0..4 {
        update(&mut s, key(KeyCode::Backspace));
    }
    assert!(s.ui.modals.is_empty());
    // A command run again moves to the end, once.
    command(&mut s, "ws Data Platform");
    assert_eq!(s.ui.palette_history, vec!["users", "ws Data Platform"]);
}

#[test]
fn the_palette_line_edits_like_a_text_field() {
    let mut s = loaded_state();
    update(&mut s, ch(':'));
    // h and l are letters here, and the arrows move the cursor.
    type_text(&mut s, "ws Dta Pltform");
    for _ in 0..5 {
        update(&mut s, key(KeyCode::Left));
    }
    type_text(&mut s, "a");
    update(&mut s, key(KeyCode::Home));
    for _ in 0..4 {
        update(&mut s, key(KeyCode::Right));
    }
    type_text(&mut s, "a");
    assert_eq!(palette(&s).input.value(), "ws Data Platform");
    assert_eq!(palette(&s).input.visual_cursor(), 5);
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.route(),
        &Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Deployments
        }
    );
}

#[test]
fn a_login_on_its_way_is_not_stuck_after_switching_away_and_back() {
    let mut s = with_contexts();
    command(&mut s, "ctx nologin");
    type_text(&mut s, "ada");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "secret");
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Login { .. })),
        "{fx:?}"
    );
    update(&mut s, ctrl('p'));
    type_text(&mut s, "ctx demo");
    update(&mut s, key(KeyCode::Enter));
    command(&mut s, "ctx nologin");
    // The answer was dropped with the old connection: Enter sends it again.
    let fx = update(&mut s, ctrl('s'));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Login { .. })),
        "{fx:?}"
    );
}

#[test]
fn enter_on_a_partial_word_runs_the_best_suggestion() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    command(&mut s, "serv");
    assert_eq!(s.route(), &ws_route(WorkspaceTab::ServiceAccounts));
    assert_eq!(s.ui.palette_history, vec!["sa"]);
}
