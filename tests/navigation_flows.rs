//! Reducer flows of navigation and convenience: the `:` palette (parsing, completion, history),
//! `-` and vim-style moves, sorting with a filter, describe and its search cursor, the copy
//! menu (and tmux), contexts that keep their views, `:logout`, key overrides, the mouse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::keymap::KeyScope;
use astrodash::app::menu::{MenuAction, MenuKind};
use astrodash::app::modal::Modal;
use astrodash::app::msg::{Msg, Secret};
use astrodash::app::state::*;
use astrodash::app::tables::{Sort, TableId};
use astrodash::app::update::init;
use astrodash::config::{ContextEntry, ContextSource, Settings, ThemeChoice, ThemeName};
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use astrodash::platform::CopyOutcome;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

fn fetched(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

fn at_workspace(tab: WorkspaceTab) -> AppState {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab,
    });
    s
}

fn palette(s: &AppState) -> &astrodash::app::palette::Palette {
    match s.ui.modals.last() {
        Some(Modal::Palette(p)) => p,
        other => panic!("no palette on top: {other:?}"),
    }
}

/// Every step here gets the executor's answer to a context switch at once.
use common::update_connected as update;

/// `:` + `text` + Enter.
fn command(s: &mut AppState, text: &str) -> Vec<Effect> {
    update(s, ch(':'));
    type_text(s, text);
    update(s, key(KeyCode::Enter))
}

/// The message line's text, if it shows one.
fn failure(s: &AppState) -> Option<String> {
    s.visible_message().map(|m| m.text.clone())
}

fn deployment_route(id: &str) -> Route {
    Route::Deployment {
        id: id.into(),
        tab: DeploymentTab::Overview,
    }
}

fn ws_route(tab: WorkspaceTab) -> Route {
    Route::Workspace {
        id: "ws-data".into(),
        tab,
    }
}

// ---- palette ----------------------------------------------------------------------------

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
        s.selected_workspace().map(|w| w.id.as_str()),
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

// ---- moving around ----------------------------------------------------------------------

#[test]
fn dash_walks_back_through_the_views_visited() {
    let mut s = loaded_state();
    assert!(
        update(&mut s, ch('-')).is_empty(),
        "no history yet: not a key"
    );
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter)); // Data Platform
    update(&mut s, ch('2')); // Users tab
    update(&mut s, ch('1')); // Deployments tab
    update(&mut s, key(KeyCode::Enter)); // prod-etl
    update(&mut s, key(KeyCode::Esc)); // back to the list
    assert_eq!(s.route(), &ws_route(WorkspaceTab::Deployments));
    // `-` is not Esc: it returns to the deployment that was left.
    let fx = update(&mut s, ch('-'));
    assert_eq!(s.route(), &deployment_route("d-etl"));
    assert!(fetched(&fx).contains(&Request::Deployment("d-etl".into())));
    update(&mut s, ch('-'));
    assert_eq!(s.route(), &ws_route(WorkspaceTab::Deployments));
    update(&mut s, ch('-'));
    assert_eq!(s.route(), &ws_route(WorkspaceTab::Users));
    update(&mut s, ch('-'));
    update(&mut s, ch('-'));
    assert_eq!(s.nav.routes, vec![Route::Account]);
    assert!(update(&mut s, ch('-')).is_empty());
}

#[test]
fn h_l_and_the_arrows_move_like_esc_and_enter_but_not_in_text() {
    let mut s = loaded_state();
    update(&mut s, ch('j'));
    update(&mut s, ch('l'));
    assert_eq!(s.route(), &ws_route(WorkspaceTab::Deployments));
    update(&mut s, key(KeyCode::Right));
    assert_eq!(s.route(), &deployment_route("d-etl"));
    update(&mut s, key(KeyCode::Backspace));
    assert_eq!(s.route(), &ws_route(WorkspaceTab::Deployments));
    update(&mut s, key(KeyCode::Left));
    update(&mut s, key(KeyCode::Right));
    update(&mut s, ch('h'));
    assert_eq!(s.nav.routes, vec![Route::Account]);
    // In the filter, h and l are letters.
    update(&mut s, ch('/'));
    type_text(&mut s, "hl");
    assert_eq!(s.table(&TableId::Workspaces).filter, "hl");
    assert_eq!(s.route(), &Route::Account);
}

// ---- sorting ----------------------------------------------------------------------------

fn deployment_labels(s: &AppState) -> Vec<String> {
    let table = TableId::Deployments("ws-data".into());
    let rows = s.cache.deployments(&"ws-data".into()).unwrap();
    s.view(&table)
        .iter()
        .map(|&i| rows[i].label.clone())
        .collect()
}

#[test]
fn sort_keys_with_a_filter_keep_the_cursor_on_its_item() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    let table = TableId::Deployments("ws-data".into());
    // Server order at first (no default sort for deployments).
    assert_eq!(
        deployment_labels(&s),
        vec![
            "prod-etl",
            "reporting",
            "staging",
            "an-extremely-long-deployment-label-that-will-not-fit-anywhere"
        ]
    );
    // Filter to three, the cursor on "reporting".
    update(&mut s, ch('/'));
    type_text(&mut s, "r");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('j'));
    assert_eq!(
        deployment_labels(&s),
        vec![
            "prod-etl",
            "reporting",
            "an-extremely-long-deployment-label-that-will-not-fit-anywhere"
        ]
    );
    assert_eq!(
        s.target_deployment().map(|d| d.label.as_str()),
        Some("reporting")
    );
    // s: by name.
    update(&mut s, ch('s'));
    assert_eq!(
        s.table(&table).sort,
        Some(Sort {
            column: 0,
            descending: false
        })
    );
    assert_eq!(
        deployment_labels(&s),
        vec![
            "an-extremely-long-deployment-label-that-will-not-fit-anywhere",
            "prod-etl",
            "reporting"
        ]
    );
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("Sorted by Deployment, ascending (s: next column, S: reverse)")
    );
    assert_eq!(
        s.target_deployment().map(|d| d.label.as_str()),
        Some("reporting")
    );
    // s again: by release name; S: reversed.
    update(&mut s, ch('s'));
    update(&mut s, ch('S'));
    assert_eq!(
        s.table(&table).sort,
        Some(Sort {
            column: 1,
            descending: true
        })
    );
    // stellar-orbit, quantum-nebula, galactic-core
    assert_eq!(
        deployment_labels(&s),
        vec![
            "reporting",
            "prod-etl",
            "an-extremely-long-deployment-label-that-will-not-fit-anywhere"
        ]
    );
    assert_eq!(
        s.target_deployment().map(|d| d.label.as_str()),
        Some("reporting")
    );
    assert_eq!(
        s.table(&table).selected,
        0,
        "the cursor moved with its item"
    );
    // Remembered per table: another tab has its own; coming back keeps this one.
    update(&mut s, ch('2'));
    assert_eq!(
        s.table(&TableId::WorkspaceUsers("ws-data".into())).sort,
        None
    );
    update(&mut s, ch('1'));
    assert_eq!(s.table(&table).sort.map(|s| s.column), Some(1));
    assert_eq!(s.table(&table).filter, "r");
    // The header shows the arrow on the sorted column.
    let screen = render(&s, 160, 48);
    assert!(screen.contains("Release↓"), "{screen}");
}

#[test]
fn workspaces_are_alphabetical_until_sorted_otherwise() {
    let mut s = loaded_state();
    let names = |s: &AppState| -> Vec<String> {
        let rows = s.cache.workspaces().unwrap();
        s.view(&TableId::Workspaces)
            .iter()
            .map(|&i| rows[i].label.clone())
            .collect()
    };
    assert_eq!(names(&s)[0], "Analytics Sandbox");
    update(&mut s, ch('S'));
    assert_eq!(
        names(&s)[0],
        "Quarterly Revenue Forecasting and Reconciliation Working Group (EMEA)"
    );
    // Wraps around the columns.
    for _ in 0..4 {
        update(&mut s, ch('s'));
    }
    assert_eq!(
        s.table(&TableId::Workspaces).sort,
        Some(Sort {
            column: 0,
            descending: false
        })
    );
}

// ---- describe ---------------------------------------------------------------------------

fn describe_view(s: &AppState) -> &astrodash::app::describe::DescribeView {
    match s.ui.modals.last() {
        Some(Modal::Describe(d)) => d,
        other => panic!("no describe view: {other:?}"),
    }
}

#[test]
fn describe_shows_yaml_and_its_search_cursor_moves_with_n() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, ch('d'));
    assert_eq!(s.key_scope(), KeyScope::Describe);
    let view = describe_view(&s);
    assert_eq!(view.title, "deployment prod-etl");
    let text = view.text();
    assert!(text.contains("releaseName: quantum-nebula-1234"), "{text}");
    assert!(text.contains("executor: CeleryExecutor"), "{text}");
    assert!(text.contains("status: HEALTHY"), "{text}");

    // `/` searches as it is typed; Enter keeps it.
    update(&mut s, ch('/'));
    assert_eq!(s.key_scope(), KeyScope::Search);
    type_text(&mut s, "component");
    update(&mut s, key(KeyCode::Enter));
    let view = describe_view(&s);
    assert_eq!(view.matches.len(), 5, "one per component");
    assert_eq!(view.match_position().as_deref(), Some("1/5"));
    let first = view.matches[0];
    update(&mut s, ch('n'));
    update(&mut s, ch('n'));
    let view = describe_view(&s);
    assert_eq!(view.match_position().as_deref(), Some("3/5"));
    assert_eq!(view.scroll, view.matches[2] - 2);
    update(&mut s, ch('N'));
    update(&mut s, ch('N'));
    update(&mut s, ch('N'));
    assert_eq!(describe_view(&s).match_position().as_deref(), Some("5/5"));
    update(&mut s, ch('n'));
    assert_eq!(describe_view(&s).current, Some(0), "wraps around");
    assert_eq!(describe_view(&s).scroll, first.saturating_sub(2));

    // y copies it all.
    let fx = update(&mut s, ch('y'));
    let [Effect::Copy { text, label }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    assert_eq!(label, "YAML of deployment prod-etl");
    assert_eq!(text.expose(), describe_view(&s).text());
    // The message says how much was copied, not all of it.
    let lines = describe_view(&s).lines.len();
    update(
        &mut s,
        Msg::CopyResult {
            text: text.clone(),
            label: label.clone(),
            outcome: CopyOutcome::Copied,
        },
    );
    assert_eq!(
        s.visible_message().map(|m| m.text.clone()),
        Some(format!(
            "Copied YAML of deployment prod-etl ({lines} lines) to the clipboard (OSC 52)"
        ))
    );
    update(&mut s, key(KeyCode::Esc));
    assert!(s.ui.modals.is_empty());
}

#[test]
fn describe_masks_secrets() {
    let mut s = loaded_state();
    let d = DeploymentId::from("d-etl");
    put(
        &mut s,
        Request::DeploymentVariables(d.clone()),
        Payload::Variables(vec![EnvVar {
            key: "SNOWFLAKE_PASSWORD".into(),
            value: "hunter2".into(),
            is_secret: true,
        }]),
    );
    s.nav.routes.push(ws_route(WorkspaceTab::Deployments));
    s.nav.routes.push(Route::Deployment {
        id: d,
        tab: DeploymentTab::Variables,
    });
    update(&mut s, ch('d'));
    let text = describe_view(&s).text();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("value: •••••• (masked)"), "{text}");
    // …and so does the copy menu's JSON.
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('y'));
    let Some(Modal::Menu(menu)) = s.ui.modals.last() else {
        panic!("no copy menu");
    };
    let labels: Vec<&str> = menu.items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, vec!["variable name", "variable as JSON"]);
    let MenuAction::Copy { text, .. } = &menu.items[1].action else {
        panic!("not a copy entry");
    };
    assert!(!text.expose().contains("hunter2"));
}

#[test]
fn describe_of_the_dashboard_itself_and_nothing_to_describe() {
    let mut s = at_workspace(WorkspaceTab::Settings);
    update(&mut s, ch('d'));
    assert_eq!(describe_view(&s).title, "workspace Data Platform");
    // An empty list has nothing to describe: the key does not even exist there.
    let mut s = loaded_state();
    put(&mut s, workspaces_request(), Payload::Workspaces(vec![]));
    assert!(update(&mut s, ch('d')).is_empty());
    assert!(s.ui.modals.is_empty());
}

// ---- copy menu --------------------------------------------------------------------------

#[test]
fn the_copy_menu_offers_the_rows_targets_by_number() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, ch('y'));
    assert_eq!(s.key_scope(), KeyScope::CopyMenu);
    let Some(Modal::Menu(menu)) = s.ui.modals.last() else {
        panic!("no menu");
    };
    assert_eq!(menu.kind, MenuKind::Copy);
    assert_eq!(menu.title, "Copy from deployment prod-etl");
    let fx = update(&mut s, ch('2'));
    assert_eq!(
        fx,
        vec![Effect::Copy {
            text: Secret("d-etl".into()),
            label: "deployment id".into()
        }]
    );
    // j and Enter pick the selected one; the JSON is a whole document.
    update(&mut s, ch('y'));
    for _ in 0..4 {
        update(&mut s, ch('j'));
    }
    let fx = update(&mut s, key(KeyCode::Enter));
    let [Effect::Copy { text, label }] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    assert_eq!(label, "deployment as JSON");
    let json: serde_json::Value = serde_json::from_str(text.expose()).unwrap();
    assert_eq!(json["releaseName"], "quantum-nebula-1234");
    // Numbers past the end do nothing; Esc closes.
    update(&mut s, ch('y'));
    assert!(update(&mut s, ch('9')).is_empty());
    update(&mut s, key(KeyCode::Esc));
    assert!(s.ui.modals.is_empty());
}

#[test]
fn inside_tmux_a_copy_is_not_claimed_unless_set_clipboard_is_on() {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    s.ui.clipboard.in_tmux = true;
    let fx = init(&mut s);
    assert!(fx.contains(&Effect::QueryTmuxClipboard), "{fx:?}");
    let copied = |s: &mut AppState| {
        update(
            s,
            Msg::CopyResult {
                text: Secret("quantum-nebula-1234".into()),
                label: "release name".into(),
                outcome: CopyOutcome::Copied,
            },
        );
        s.visible_message().map(|m| m.text.clone()).unwrap()
    };
    // Not answered yet (or tmux absent): may drop.
    assert_eq!(
        copied(&mut s),
        "Sent release name quantum-nebula-1234 via OSC 52 — tmux may drop it: set -g set-clipboard on"
    );
    update(&mut s, Msg::TmuxClipboard(Some("external".into())));
    assert!(copied(&mut s).contains("tmux may drop it"));
    update(&mut s, Msg::TmuxClipboard(Some("on".into())));
    assert_eq!(
        copied(&mut s),
        "Copied release name quantum-nebula-1234 to the clipboard (OSC 52)"
    );
    // Outside tmux nothing is asked.
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    assert!(!init(&mut s).contains(&Effect::QueryTmuxClipboard));
}

// ---- contexts ---------------------------------------------------------------------------

fn entry(name: &str, url: &str, token: Option<&str>, theme: Option<ThemeName>) -> ContextEntry {
    ContextEntry {
        name: name.into(),
        source: ContextSource::Config,
        url: url.into(),
        app_url: None,
        token: token.map(Into::into),
        read_only: false,
        theme,
        trust: Default::default(),
        problem: None,
    }
}

/// Logged in to "demo", with "staging" (a token, dark theme), "nologin" (no token) and a
/// broken "cloud" context configured.
fn with_contexts() -> AppState {
    let settings = Settings {
        contexts: vec![
            entry("demo", "http://127.0.0.1:8871/v1", Some("token"), None),
            entry(
                "staging",
                "https://houston.staging.example.com/v1",
                Some("staging-token"),
                Some(ThemeName::Dark),
            ),
            entry("nologin", "http://localhost:9999/v1", None, None),
            ContextEntry {
                problem: Some("Astro Cloud has no Houston API".into()),
                ..entry("cloud", "https://houston.astronomer.io/v1", None, None)
            },
        ],
        theme: ThemeChoice {
            global: Some(ThemeName::Light),
            ..ThemeChoice::default()
        },
        ..settings(Some("token"))
    };
    let mut s = AppState::new(&settings, now(), false);
    let loaded = loaded_state();
    s.cache = loaded.cache;
    s
}

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

// ---- keys from the config, the mouse ------------------------------------------------------

#[test]
fn key_overrides_from_the_config_replace_the_defaults() {
    let settings = Settings {
        keys: vec![
            ("describe".into(), vec!["D".into()]),
            ("back".into(), vec!["esc".into(), "backspace".into()]),
        ],
        ..settings(Some("token"))
    };
    let mut s = AppState::new(&settings, now(), false);
    s.cache = loaded_state().cache;
    update(&mut s, ch('d'));
    assert!(s.ui.modals.is_empty(), "d is no longer describe");
    update(&mut s, ch('D'));
    assert!(matches!(s.ui.modals.last(), Some(Modal::Describe(_))));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Enter));
    // `back` now means Esc and Backspace only: h is not back any more.
    update(&mut s, ch('h'));
    assert!(matches!(s.route(), Route::Workspace { .. }));
    update(&mut s, key(KeyCode::Backspace));
    assert_eq!(s.route(), &Route::Account);
    // Problems in [keys] become a warning on start.
    let settings = Settings {
        warnings: vec!["astrodash.toml: [keys]: unknown action 'fly'".into()],
        ..settings
    };
    let s = AppState::new(&settings, now(), false);
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("Warning: astrodash.toml: [keys]: unknown action 'fly'")
    );
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn the_mouse_selects_rows_and_tabs_and_scrolls_only_when_enabled() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, Msg::Resize(100, 30));
    let click = |col, row| mouse(MouseEventKind::Down(MouseButton::Left), col, row);
    // Off by default: nothing happens.
    update(&mut s, click(5, 7));
    assert_eq!(s.target_deployment().map(|d| d.id.as_str()), Some("d-etl"));

    s.ui.mouse = true;
    // Rows: header (0), crumbs (1), tabs (2), border (3), column titles (4), rows from 5.
    update(&mut s, click(5, 7));
    assert_eq!(s.target_deployment().map(|d| d.id.as_str()), Some("d-stg"));
    // Below the last row: nothing.
    update(&mut s, click(5, 20));
    assert_eq!(s.target_deployment().map(|d| d.id.as_str()), Some("d-stg"));
    update(&mut s, mouse(MouseEventKind::ScrollDown, 5, 10));
    assert_eq!(s.target_deployment().map(|d| d.id.as_str()), Some("d-odd"));
    update(&mut s, mouse(MouseEventKind::ScrollUp, 5, 10));
    update(&mut s, mouse(MouseEventKind::ScrollUp, 5, 10));
    assert_eq!(s.target_deployment().map(|d| d.id.as_str()), Some("d-rep"));
    // The tab bar: " 1 Deployments │ 2 Users │ …"; "Users" is around column 20.
    let fx = update(&mut s, click(20, 2));
    assert_eq!(s.route(), &ws_route(WorkspaceTab::Users));
    assert!(fetched(&fx).contains(&Request::WorkspaceUsers("ws-data".into())));
    // Over a modal, clicks do nothing; the wheel scrolls the modal.
    update(&mut s, ch('?'));
    update(&mut s, click(20, 2));
    update(&mut s, mouse(MouseEventKind::ScrollDown, 5, 10));
    assert!(matches!(
        s.ui.modals.last(),
        Some(Modal::Help { scroll: 1 })
    ));
    assert_eq!(s.route(), &ws_route(WorkspaceTab::Users));
}

#[test]
fn too_small_a_terminal_shows_a_notice_and_q_still_quits() {
    let mut s = loaded_state();
    update(&mut s, Msg::Resize(70, 20));
    let screen = render(&s, 70, 20);
    assert!(screen.contains("Terminal too small"), "{screen}");
    assert!(screen.contains("70×20"), "{screen}");
    assert!(!screen.contains("Workspaces"), "no cut layout: {screen}");
    assert_eq!(update(&mut s, ch('q')), vec![Effect::Quit]);
}
