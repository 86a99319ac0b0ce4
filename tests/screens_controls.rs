//! Control characters in names from the server are drawn as visible symbols, never swallowed by
//! the terminal ("tab\there" once showed as "tabhere").
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::state::{Route, WorkspaceTab};
use astrodash::houston::request::Payload;
use common::*;

#[test]
fn control_characters_in_names_are_visible_on_screen() {
    let mut s = loaded_state();
    let mut list = workspaces();
    list[0].label = "tab\there".into();
    list[1].label = "bell\u{7}esc\u{1b}[2J".into();
    put(&mut s, workspaces_request(), Payload::Workspaces(list));
    let text = render(&s, 120, 30);
    assert!(text.contains("tab␉here"), "{text}");
    assert!(text.contains("bell␇esc␛[2J"), "{text}");
    assert!(!text.contains("tabhere"), "{text}");

    // The breadcrumb of the opened workspace too.
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    let text = render(&s, 120, 30);
    assert!(text.contains("tab␉here"), "{text}");
}

#[test]
fn bidirectional_controls_in_names_are_named_on_screen() {
    let mut s = loaded_state();
    let mut list = workspaces();
    // Drawn raw, U+202E shows "Data exe.tropeR" as "Data Report.exe".
    list[0].label = "Data \u{202e}exe.tropeR".into();
    list[1].label = "x\u{2066}y\u{2069}\u{200f}".into();
    put(&mut s, workspaces_request(), Payload::Workspaces(list));
    let text = render(&s, 120, 30);
    assert!(text.contains("Data ‹RLO›exe.tropeR"), "{text}");
    assert!(text.contains("x‹LRI›y‹PDI›‹RLM›"), "{text}");
    assert!(
        !text.contains('\u{202e}') && !text.contains('\u{2066}'),
        "{text}"
    );
}
