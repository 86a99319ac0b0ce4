//! Two operators, one deployment's environment variables (reducer flows): Houston replaces the
//! whole set on every change, so an edit, a delete or an import is computed against the base it
//! was opened from and applied to the set the server holds now; a variable changed by both is a
//! conflict and nothing is sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::modal::{ConfirmLine, Modal};
use astrodash::app::msg::{Msg, Secret};
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::model::*;
use astrodash::houston::mutation::{EnvVarInput, Mutation};
use astrodash::houston::request::{Payload, Request};
use common::merge::*;
use common::*;
use crossterm::event::KeyCode;

/// The variables with operator B's changes: `B_ONLY=1` added, and `ENVIRONMENT` set if given.
fn vars_by_b(environment: Option<&str>) -> Payload {
    let mut vars = variables();
    if let Some(value) = environment
        && let Some(v) = vars.iter_mut().find(|v| v.key == "ENVIRONMENT")
    {
        v.value = value.into();
    }
    vars.push(EnvVar {
        key: "B_ONLY".into(),
        value: "1".into(),
        is_secret: false,
    });
    Payload::Variables(vars)
}

fn var_server(payload: Payload) -> impl Fn(&Request) -> Option<Payload> {
    move |r| matches!(r, Request::DeploymentVariables(_)).then(|| payload.clone())
}

fn sent_vars(m: Mutation) -> Vec<EnvVarInput> {
    match m {
        Mutation::SetVariables { variables, .. } => variables,
        other => panic!("{other:?}"),
    }
}

fn plain(key: &str, value: &str) -> EnvVarInput {
    EnvVarInput {
        key: key.into(),
        value: Secret(value.into()),
        is_secret: false,
    }
}

/// A on the Variables tab: `e` on ENVIRONMENT, its value set to `staging`, submitted.
fn edit_environment(s: &mut AppState) -> Vec<Effect> {
    while s.selected::<EnvVar>().as_ref().map(|v| v.key.as_str()) != Some("ENVIRONMENT") {
        update(s, ch('j'));
    }
    update(s, ch('e'));
    update(s, key(KeyCode::Tab));
    update(s, key(KeyCode::Tab));
    clear_field(s, "production".len());
    type_text(s, "staging");
    let fx = update(s, ctrl('s'));
    no_mutation(&fx);
    assert_eq!(
        reads(&fx).first().map(|(r, _)| r.clone()),
        Some(Request::DeploymentVariables("d-etl".into())),
        "the variables are read again before anything is sent"
    );
    fx
}

#[test]
fn a_variable_added_by_someone_else_survives_an_edit() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    let fx = edit_environment(&mut s);
    // B added B_ONLY meanwhile: the review is computed against it and keeps it.
    no_mutation(&answer_reads_with(&mut s, &fx, var_server(vars_by_b(None))));
    let lines = review_lines(&s);
    assert!(lines.contains(&ConfirmLine::Changed {
        what: "ENVIRONMENT".into(),
        old: "production".into(),
        new: "staging".into()
    }));
    assert!(
        !lines
            .iter()
            .any(|l| matches!(l, ConfirmLine::Removed(t) if t.contains("B_ONLY"))),
        "{lines:?}"
    );
    assert!(lines.contains(&ConfirmLine::Text("3 variables unchanged.".into())));
    assert!(lines.contains(&ConfirmLine::Text(
        "Changed on the server since you opened the form, kept: B_ONLY.".into()
    )));
    // Applying reads once more; still the same, so it is sent — with B_ONLY.
    let fx = update(&mut s, key(KeyCode::Enter));
    no_mutation(&fx);
    let vars = sent_vars(one_mutation(&answer_reads(&mut s, &fx)));
    assert!(vars.contains(&plain("B_ONLY", "1")), "{vars:?}");
    assert!(vars.contains(&plain("ENVIRONMENT", "staging")));
    assert!(vars.contains(&EnvVarInput {
        key: "SNOWFLAKE_PASSWORD".into(),
        value: Secret(String::new()),
        is_secret: true
    }));
    assert_eq!(vars.len(), 4);
}

#[test]
fn a_review_left_open_while_someone_saves_is_recomputed() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    let fx = edit_environment(&mut s);
    answer_reads(&mut s, &fx);
    assert!(review_lines(&s).contains(&ConfirmLine::Text("2 variables unchanged.".into())));
    // The review stays open; B saves B_ONLY; A applies.
    let fx = update(&mut s, key(KeyCode::Enter));
    no_mutation(&answer_reads_with(&mut s, &fx, var_server(vars_by_b(None))));
    let lines = review_lines(&s);
    assert_eq!(
        lines.first(),
        Some(&ConfirmLine::Text(
            "Changed on the server while you were reviewing, kept: B_ONLY. Below is what \
             applying does now."
                .into()
        ))
    );
    assert!(lines.contains(&ConfirmLine::Text("3 variables unchanged.".into())));
    let fx = update(&mut s, key(KeyCode::Enter));
    let vars = sent_vars(one_mutation(&answer_reads(&mut s, &fx)));
    assert!(vars.contains(&plain("B_ONLY", "1")));
    assert!(vars.contains(&plain("ENVIRONMENT", "staging")));
}

#[test]
fn the_same_variable_changed_by_both_is_a_conflict_and_nothing_is_sent() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    let fx = edit_environment(&mut s);
    no_mutation(&answer_reads_with(
        &mut s,
        &fx,
        var_server(vars_by_b(Some("qa"))),
    ));
    let c = conflict(&s);
    assert_eq!(c.rows.len(), 1);
    let row = &c.rows[0];
    assert_eq!(
        (
            row.field.as_str(),
            row.base.as_str(),
            row.theirs.as_str(),
            row.mine.as_str()
        ),
        ("ENVIRONMENT", "production", "qa", "staging")
    );
    let screen = render(&s, 160, 48);
    assert!(screen.contains("Nothing was sent"), "{screen}");

    // Take theirs: nothing of A's remains to change, so nothing is sent.
    let mut t = s.clone();
    no_mutation(&update(&mut t, ch('t')));
    assert!(t.ui.modals.is_empty());
    assert_eq!(
        t.visible_message().map(|m| m.text.as_str()),
        Some("Kept what the server holds: nothing was sent")
    );

    // Keep mine: read again, review qa → staging, B_ONLY kept.
    let mut t = s.clone();
    let fx = update(&mut t, ch('m'));
    no_mutation(&fx);
    answer_reads_with(&mut t, &fx, var_server(vars_by_b(Some("qa"))));
    assert!(review_lines(&t).contains(&ConfirmLine::Changed {
        what: "ENVIRONMENT".into(),
        old: "qa".into(),
        new: "staging".into()
    }));
    let fx = update(&mut t, key(KeyCode::Enter));
    let vars = sent_vars(one_mutation(&answer_reads_with(
        &mut t,
        &fx,
        var_server(vars_by_b(Some("qa"))),
    )));
    assert!(vars.contains(&plain("ENVIRONMENT", "staging")));
    assert!(vars.contains(&plain("B_ONLY", "1")));

    // Edit: back to the form, whose base is now the server's; submitting merges cleanly.
    let mut t = s.clone();
    no_mutation(&update(&mut t, ch('e')));
    assert!(matches!(t.ui.modals.last(), Some(Modal::Form(_))));
    let fx = update(&mut t, ctrl('s'));
    answer_reads_with(&mut t, &fx, var_server(vars_by_b(Some("qa"))));
    assert!(review_lines(&t).contains(&ConfirmLine::Changed {
        what: "ENVIRONMENT".into(),
        old: "qa".into(),
        new: "staging".into()
    }));
}

#[test]
fn deleting_a_variable_changed_or_gone_on_the_server() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    while s.selected::<EnvVar>().as_ref().map(|v| v.key.as_str()) != Some("ENVIRONMENT") {
        update(&mut s, ch('j'));
    }
    update(&mut s, ctrl('d'));
    let fx = update(&mut s, key(KeyCode::Enter));
    no_mutation(&fx);
    // Changed by B: a conflict, not a delete.
    no_mutation(&answer_reads_with(
        &mut s,
        &fx,
        var_server(vars_by_b(Some("qa"))),
    ));
    let row = &conflict(&s).rows[0];
    assert_eq!(
        (row.theirs.as_str(), row.mine.as_str()),
        ("qa", "(deleted)")
    );
    let mut t = s.clone();
    no_mutation(&update(&mut t, ch('t')));
    assert!(t.ui.modals.is_empty(), "kept: nothing deleted");
    // Delete anyway: read once more, then the set without it (B_ONLY stays).
    let fx = update(&mut s, ch('m'));
    let vars = sent_vars(one_mutation(&answer_reads_with(
        &mut s,
        &fx,
        var_server(vars_by_b(Some("qa"))),
    )));
    assert!(!vars.iter().any(|v| v.key == "ENVIRONMENT"));
    assert!(vars.contains(&plain("B_ONLY", "1")));

    // Already gone: said, nothing sent.
    let mut s = deployment_tab(DeploymentTab::Variables);
    while s.selected::<EnvVar>().as_ref().map(|v| v.key.as_str()) != Some("ENVIRONMENT") {
        update(&mut s, ch('j'));
    }
    update(&mut s, ctrl('d'));
    let fx = update(&mut s, key(KeyCode::Enter));
    let without: Vec<EnvVar> = variables()
        .into_iter()
        .filter(|v| v.key != "ENVIRONMENT")
        .collect();
    no_mutation(&answer_reads_with(
        &mut s,
        &fx,
        var_server(Payload::Variables(without)),
    ));
    assert!(s.ui.modals.is_empty());
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("ENVIRONMENT is already gone from the server: nothing to delete")
    );
}

fn import(s: &mut AppState, text: &str, make_plain: bool) -> Mutation {
    update(s, ch('i'));
    type_text(s, "/tmp/x.env");
    if make_plain {
        update(s, key(KeyCode::Tab));
        update(s, key(KeyCode::Tab));
        update(s, key(KeyCode::Right));
    }
    update(s, ctrl('s'));
    let fx = update(
        s,
        Msg::FileRead {
            path: "/tmp/x.env".into(),
            result: Ok(text.into()),
        },
    );
    no_mutation(&fx);
    answer_reads(s, &fx);
    let fx = update(s, key(KeyCode::Enter));
    one_mutation(&answer_reads(s, &fx))
}

#[test]
fn importing_onto_a_secret_keeps_it_secret_unless_asked() {
    let mut s = deployment_tab(DeploymentTab::Variables);
    update(&mut s, ch('i'));
    type_text(&mut s, "/tmp/x.env");
    update(&mut s, ctrl('s'));
    let fx = update(
        &mut s,
        Msg::FileRead {
            path: "/tmp/x.env".into(),
            result: Ok("SNOWFLAKE_PASSWORD=hunter2\n".into()),
        },
    );
    answer_reads(&mut s, &fx);
    assert!(review_lines(&s).contains(&ConfirmLine::Changed {
        what: "SNOWFLAKE_PASSWORD".into(),
        old: "•••••• (secret)".into(),
        new: "•••••• (new value, stays secret)".into()
    }));
    let fx = update(&mut s, key(KeyCode::Enter));
    let vars = sent_vars(one_mutation(&answer_reads(&mut s, &fx)));
    assert!(vars.contains(&EnvVarInput {
        key: "SNOWFLAKE_PASSWORD".into(),
        value: Secret("hunter2".into()),
        is_secret: true
    }));
    // Only when the form says so does it become plain.
    let mut s = deployment_tab(DeploymentTab::Variables);
    let vars = sent_vars(import(&mut s, "SNOWFLAKE_PASSWORD=hunter2\n", true));
    assert!(vars.contains(&plain("SNOWFLAKE_PASSWORD", "hunter2")));
}
