//! End-to-end: a paste arrives from the real terminal (bracketed paste) and is never changed on
//! its way into a field: a multi-line paste into a one-line field is refused with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{Server, logged_in};
use serde_json::json;

const CTRL_S: &str = "\x13";

/// `text` as a terminal sends it in bracketed-paste mode.
fn bracketed(text: &str) -> String {
    format!("\x1b[200~{text}\x1b[201~")
}

#[test]
fn a_multi_line_paste_into_a_one_line_field_is_refused_in_the_terminal() {
    let server = Server::demo();
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");
    tui.send("n");
    tui.wait_for("New workspace");
    tui.send(&bracketed("Payments\r\nLedger"));
    let screen = tui.wait_for("Nothing pasted");
    assert!(
        screen.contains("the text has 2 lines"),
        "the refusal says why:\n{screen}"
    );
    assert!(
        !screen.contains("PaymentsLedger"),
        "never joined into one line:\n{screen}"
    );
    // A one-line paste goes in as it is, and is what gets created.
    tui.send(&bracketed("Payments Ledger"));
    tui.wait_gone("Nothing pasted");
    tui.send(CTRL_S);
    tui.wait_for("Created workspace Payments Ledger");
    let data = server.graphql(&server.admin_token(), "{ workspaces { label } }", json!({}));
    let labels: Vec<&str> = data["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["label"].as_str())
        .collect();
    assert!(labels.contains(&"Payments Ledger"), "{labels:?}");
    assert!(
        !labels
            .iter()
            .any(|l| l.contains("Ledger") && l.contains('\n')),
        "{labels:?}"
    );
}
