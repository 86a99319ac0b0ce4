//! Snapshots of the conflict shown when an edit meets a change made on the server since the
//! form opened (80×24 and 160×48), and of a secret value masked while it is typed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::forms::FieldId;
use astrodash::app::modal::Modal;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::model::EnvVar;
use astrodash::houston::request::{Payload, Request};
use common::*;
use crossterm::event::KeyCode;

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

fn variables_tab() -> AppState {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    s.nav.routes.push(Route::Deployment {
        id: "d-etl".into(),
        tab: DeploymentTab::Variables,
    });
    s
}

#[test]
fn a_conflict_shows_base_theirs_and_mine() {
    let mut s = variables_tab();
    while s.selected::<EnvVar>().as_ref().map(|v| v.key.as_str()) != Some("ENVIRONMENT") {
        update(&mut s, ch('j'));
    }
    update(&mut s, ch('e'));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    for _ in 0.."production".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "staging");
    let fx = update(&mut s, ctrl('s'));
    let mut theirs = variables();
    for v in &mut theirs {
        if v.key == "ENVIRONMENT" {
            v.value = "qa".into();
        }
    }
    theirs.push(EnvVar {
        key: "B_ONLY".into(),
        value: "1".into(),
        is_secret: false,
    });
    answer_reads_with(&mut s, &fx, |r| {
        matches!(r, Request::DeploymentVariables(_)).then(|| Payload::Variables(theirs.clone()))
    });
    assert!(matches!(s.ui.modals.last(), Some(Modal::Conflict(_))));
    let text = render(&s, 80, 24);
    for word in [
        "ENVIRONMENT",
        "production",
        "qa",
        "staging",
        "Nothing was sent",
    ] {
        assert!(text.contains(word), "{word} missing:\n{text}");
    }
    snap("conflict_variable", &s);
}

#[test]
fn a_secret_value_is_masked_while_typed() {
    let mut s = variables_tab();
    update(&mut s, ch('n'));
    type_text(&mut s, "API_TOKEN");
    update(&mut s, key(KeyCode::Tab));
    // Marked secret before the value is typed.
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "hunter2");
    let text = render(&s, 80, 24);
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("•••••••"), "{text}");
}

#[test]
fn a_form_says_it_is_checking_the_server_before_sending() {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Settings,
    });
    update(&mut s, ch('e'));
    type_text(&mut s, "!");
    let fx = update(&mut s, ctrl('s'));
    assert_eq!(reads(&fx).len(), 1);
    let text = render(&s, 80, 24);
    assert!(
        text.contains("Checking what the server holds now"),
        "{text}"
    );
    // Esc stops waiting; the form stays with what was typed, and nothing is sent.
    update(&mut s, key(KeyCode::Esc));
    let fx = answer_reads(&mut s, &fx);
    assert!(
        !fx.iter()
            .any(|e| matches!(e, astrodash::app::effect::Effect::Mutate { .. })),
        "{fx:?}"
    );
    match s.ui.modals.last() {
        Some(Modal::Form(f)) => assert_eq!(f.form.text(FieldId::Label), "Data Platform!"),
        other => panic!("{other:?}"),
    }
}
