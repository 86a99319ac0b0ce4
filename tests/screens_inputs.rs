//! Snapshots of what input problems and messages look like: a form error shown whole
//! (wrapped, never cut), a name already taken, and the `:messages` log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use common::*;
use crossterm::event::KeyCode;

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn a_long_form_error_is_wrapped_whole() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    update(&mut s, Msg::Paste("Payments\nLedger".into()));
    let text = render(&s, 80, 24);
    let flat: String = text
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("Nothing pasted: the text has 2 lines and this field holds one line"),
        "{text}"
    );
    snap("form_long_field_error", &s);
}

#[test]
fn a_long_server_refusal_on_the_form_is_wrapped_whole() {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Settings,
    });
    update(&mut s, ch('e'));
    type_text(&mut s, "!");
    let check = update(&mut s, ctrl('s'));
    // The server is read again before anything is sent (nothing changed there).
    let fx = answer_reads(&mut s, &check);
    let id = fx
        .iter()
        .find_map(|e| match e {
            astrodash::app::effect::Effect::Mutate { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    update(
        &mut s,
        Msg::Mutated {
            id,
            at: now(),
            result: Err(ApiError::Forbidden(
                "You do not have the appropriate permissions for that: ask an admin of this workspace".into(),
            )),
        },
    );
    let text = render(&s, 80, 24);
    let flat: String = text
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("ask an admin of this workspace"), "{text}");
    snap("form_long_form_error", &s);
}

#[test]
fn a_workspace_name_already_taken_is_warned_on_the_form() {
    let mut s = loaded_state();
    update(&mut s, ch('n'));
    type_text(&mut s, "Data Platform");
    snap("form_name_taken_warning", &s);
}

#[test]
fn the_message_log() {
    let mut s = loaded_state();
    update(&mut s, ctrl('r'));
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Settings,
    });
    update(&mut s, ctrl('d'));
    type_text(&mut s, "Data Platform");
    let fx = update(&mut s, key(KeyCode::Enter));
    let id = fx
        .iter()
        .find_map(|e| match e {
            astrodash::app::effect::Effect::Mutate { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    update(
        &mut s,
        Msg::Mutated {
            id,
            at: now(),
            result: Err(ApiError::GraphQl {
                message: "You must first deprovision all deployments before you can delete your workspace.".into(),
                code: None,
            }),
        },
    );
    snap("message_line_cut", &s);
    update(&mut s, ch(':'));
    type_text(&mut s, "messages");
    update(&mut s, key(KeyCode::Enter));
    snap("message_log", &s);
}

#[test]
fn the_deployment_preview_says_when_it_cannot_be_computed() {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    update(&mut s, ch('n'));
    for _ in 0..8 {
        update(&mut s, key(KeyCode::Tab));
    }
    type_text(&mut s, "99");
    snap("deployment_preview_invalid", &s);
}
