//! Reducer flows inside a view: the cursor and the filter, copying and opening URLs, messages,
//! help and quitting. Messages in, state and the exact effects out. No terminal, no network.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::modal::{CopyStatus, Modal, UrlKind};
use astrodash::app::msg::{Msg, Secret};
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::request::{Payload, Request};
use astrodash::platform::{CopyOutcome, OpenOutcome};
use common::app_flows::*;
use common::*;
use crossterm::event::KeyCode;

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
