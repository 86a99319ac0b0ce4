//! Describe's `/` search: a new `/` starts empty (it once reopened with the previous query and
//! appended to it), and the prompt shows what was typed, case kept (it once came back
//! lower-cased); matching ignores case.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::describe::DescribeView;
use astrodash::app::modal::Modal;
use astrodash::app::state::{AppState, Route, WorkspaceTab};
use astrodash::app::update::update;
use common::*;
use crossterm::event::KeyCode;

fn describe_view(s: &AppState) -> &DescribeView {
    match s.ui.modals.last() {
        Some(Modal::Describe(d)) => d,
        other => panic!("no describe view: {other:?}"),
    }
}

/// The search line at the bottom of the describe box (`│/…`), if shown.
fn prompt(s: &AppState) -> Option<String> {
    render(s, 100, 30).lines().find_map(|l| {
        l.strip_prefix("│/")
            .map(|rest| rest.trim_end_matches('│').trim_end().to_string())
    })
}

#[test]
fn a_new_search_starts_empty_and_keeps_the_case_typed() {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    update(&mut s, ch('d'));

    update(&mut s, ch('/'));
    type_text(&mut s, "HEALTHY");
    assert_eq!(prompt(&s).as_deref(), Some("HEALTHY"));
    update(&mut s, key(KeyCode::Enter));
    let view = describe_view(&s);
    assert_eq!(view.query, "HEALTHY", "kept as typed");
    assert_eq!(
        view.matches.len(),
        1,
        "matched ignoring case: status: HEALTHY"
    );

    // Again: the prompt is empty, the old search still shown until something is typed.
    update(&mut s, ch('/'));
    assert_eq!(prompt(&s).as_deref(), Some(""));
    assert_eq!(describe_view(&s).matches.len(), 1);
    type_text(&mut s, "Executor");
    assert_eq!(prompt(&s).as_deref(), Some("Executor"));
    update(&mut s, key(KeyCode::Enter));
    let view = describe_view(&s);
    assert_eq!(view.query, "Executor", "replaced, not HEALTHYExecutor");
    let line = &view.lines[view.matches[0]];
    assert!(line.to_lowercase().contains("executor"), "{line}");

    // Esc while typing drops the search altogether.
    update(&mut s, ch('/'));
    update(&mut s, key(KeyCode::Esc));
    let view = describe_view(&s);
    assert_eq!(view.query, "");
    assert!(view.matches.is_empty());
}
