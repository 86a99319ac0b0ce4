//! Reducer flows of navigation and convenience: `-` and vim-style moves, sorting with a filter,
//! describe and its search cursor, the copy menu (and tmux), key overrides, the mouse.
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
use astrodash::config::Settings;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use astrodash::platform::CopyOutcome;
use common::navigation::*;
/// Every step here gets the executor's answer to a context switch at once.
use common::update_connected as update;
use common::*;
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

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
