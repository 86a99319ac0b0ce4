//! Keys in modals: forms (fields, submit, cancel and "discard changes?"), confirmations (with
//! an optional typed name), the one-time API key, help and the URL popup.

use std::path::PathBuf;

use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::to_input_request;

use super::messages::{error, flash};
use super::mutations::{mutate, refused_read_only};
use super::recheck;
use crate::app::effect::{Effect, Schedule};
use crate::app::forms::FieldId;
use crate::app::forms::{self, FormKind, Plan};
use crate::app::keymap::Action;
use crate::app::modal::{Confirm, ConfirmAction, CopyStatus, FormModal, Modal, Stage};
use crate::app::state::AppState;

/// Open a form of `kind` on top of the screen (never in read-only mode).
pub(crate) fn open_form(state: &mut AppState, kind: FormKind) -> Vec<Effect> {
    if refused_read_only(state) {
        return vec![];
    }
    let Some(form) = forms::open(state, &kind) else {
        error(
            state,
            "That item is not loaded (any more): refresh with Ctrl-r",
        );
        return vec![];
    };
    let needs_config = kind.needs_deployment_config();
    // What the form was opened from: the base its changes are taken against.
    let base = forms::base::theirs(state, &kind);
    state
        .ui
        .modals
        .push(Modal::Form(FormModal::new(kind, form, base)));
    recheck(state);
    if needs_config {
        // The platform's limits; the form starts with Houston's defaults until they arrive.
        vec![Schedule::missing()]
    } else {
        vec![]
    }
}

fn top_form(state: &mut AppState) -> Option<&mut FormModal> {
    match state.ui.modals.last_mut() {
        Some(Modal::Form(f)) => Some(f),
        _ => None,
    }
}

pub(crate) fn on_form_key(
    state: &mut AppState,
    key: KeyEvent,
    action: Option<Action>,
) -> Vec<Effect> {
    let Some(modal) = top_form(state) else {
        return vec![];
    };
    if modal.check.is_some() {
        // Waiting for the server's answer: Esc stops waiting, nothing is sent.
        if action == Some(Action::Cancel) {
            modal.check = None;
            flash(state, "Not sent: the form is as you left it");
        }
        return vec![];
    }
    match action {
        Some(Action::NextField) => modal.form.next_field(),
        Some(Action::PrevField) => modal.form.prev_field(),
        Some(Action::Submit) => return submit(state),
        Some(Action::SubmitOrNext) => {
            if modal.form.is_last_field() {
                return submit(state);
            }
            modal.form.next_field();
        }
        Some(Action::Cancel) => {
            if modal.form.is_dirty() && modal.form.pending.is_none() {
                state.ui.modals.push(Modal::Confirm(
                    Confirm::new(
                        "Discard what you typed?",
                        ConfirmAction::DiscardForm,
                        "Discard",
                    )
                    .line("The form has changes that were not saved.")
                    .danger(),
                ));
            } else {
                state.ui.modals.pop();
            }
        }
        _ => {
            if modal.form.pending.is_none() && modal.form.handle_key(&key) {
                // A choice made in a conflict is about the input as it was.
                modal.settled.clear();
                sync(modal);
                recheck(state);
                // Houston 1.0+: the namespaces follow the chosen cluster (fetched when new).
                if refresh_placement(state) {
                    return vec![Schedule::missing()];
                }
            }
        }
    }
    vec![]
}

/// What the form says as the user types (a name already taken, an e-mail that cannot be one).
fn recheck(state: &mut AppState) {
    let Some(modal) = top_form(state) else {
        return;
    };
    let (kind, mut form) = (modal.kind.clone(), modal.form.clone());
    forms::check_as_typed(state, &kind, &mut form);
    if let Some(modal) = top_form(state) {
        modal.form = form;
    }
}

/// A create-deployment form on top offers the namespaces of its chosen cluster; `true` when
/// there is such a form.
pub(super) fn refresh_placement(state: &mut AppState) -> bool {
    let Some(mut form) = state.ui.modals.last().and_then(|m| match m {
        Modal::Form(f) if matches!(f.kind, FormKind::CreateDeployment(_)) => Some(f.form.clone()),
        _ => None,
    }) else {
        return false;
    };
    forms::placement::refresh(state, &mut form);
    if let Some(modal) = top_form(state) {
        modal.form = form;
    }
    true
}

/// Forms whose fields depend on other fields.
pub(super) fn sync(modal: &mut FormModal) {
    match modal.kind {
        FormKind::CreateDeployment(_) | FormKind::EditDeployment(_) => {
            forms::deployment::sync(&mut modal.form)
        }
        FormKind::AddVariable(_) | FormKind::EditVariable { .. } => {
            forms::variables::sync(&mut modal.form)
        }
        _ => {}
    }
}

pub(crate) fn paste_into_form(state: &mut AppState, text: &str) {
    if let Some(modal) = top_form(state)
        && modal.form.pending.is_none()
    {
        modal.form.paste(text);
        recheck(state);
    }
}

/// Check the top form and send what it asks for (once: a form waiting for an answer ignores
/// further submits). An edit is not sent from here: the server is read again first and the
/// user's changes are merged into what it holds now (`recheck`).
fn submit(state: &mut AppState) -> Vec<Effect> {
    let Some(modal) = top_form(state) else {
        return vec![];
    };
    if modal.form.pending.is_some() || modal.check.is_some() {
        return vec![];
    }
    let kind = modal.kind.clone();
    let merges = modal.base.is_some();
    let mut form = modal.form.clone();
    // Checks the input (and plans against what the cache holds, used for new things only).
    let plan = forms::plan(state, &kind, &mut form);
    if let Some(modal) = top_form(state) {
        modal.form = form;
    }
    match plan {
        None => vec![],
        Some(plan @ Plan::ReadFile(_)) => carry_out(state, plan),
        Some(plan) if !merges => carry_out(state, plan),
        Some(_) => merge_and_send(state),
    }
}

/// Re-read and merge, unless the user changed nothing.
fn merge_and_send(state: &mut AppState) -> Vec<Effect> {
    let Some(modal) = top_form(state) else {
        return vec![];
    };
    if recheck::mine_of(modal) == modal.base {
        modal.form.error = Some("Nothing changed.".into());
        return vec![];
    }
    recheck::start_form_check(state, Stage::Submit)
}

fn carry_out(state: &mut AppState, plan: Plan) -> Vec<Effect> {
    match plan {
        Plan::Mutate(mutation) => send_from_form(state, mutation),
        Plan::Review {
            title,
            lines,
            mutation,
        } => {
            state.ui.modals.push(Modal::Confirm(
                Confirm::new(title, ConfirmAction::SubmitForm(mutation), "Apply").lines(lines),
            ));
            vec![]
        }
        Plan::ReadFile(path) => vec![Effect::ReadFile { path }],
        Plan::Airflow {
            title,
            lines,
            verb,
            mutation,
        } => {
            state.ui.modals.push(Modal::Confirm(
                Confirm::new(title, ConfirmAction::Airflow(mutation), verb).lines(lines),
            ));
            vec![]
        }
    }
}

/// Send a mutation on behalf of the top form, which waits for the answer.
fn send_from_form(
    state: &mut AppState,
    mutation: crate::houston::mutation::Mutation,
) -> Vec<Effect> {
    let (id, effects) = mutate(state, mutation);
    if let (Some(id), Some(modal)) = (id, top_form(state)) {
        modal.form.pending = Some(id);
    }
    effects
}

/// The text of a file the top form asked for (an import) arrived.
pub(crate) fn on_file_read(
    state: &mut AppState,
    path: PathBuf,
    result: Result<String, String>,
) -> Vec<Effect> {
    let Some(modal) = top_form(state) else {
        return vec![];
    };
    let FormKind::ImportEnv(_) = modal.kind else {
        return vec![];
    };
    let _ = path;
    let text = match result {
        Ok(text) => text,
        Err(e) => {
            modal.form.set_error(FieldId::Path, e);
            return vec![];
        }
    };
    match forms::variables::parse_import(&mut modal.form, &text) {
        Some(imported) => {
            modal.imported = Some(imported);
            merge_and_send(state)
        }
        None => vec![],
    }
}

pub(crate) fn on_confirm_key(
    state: &mut AppState,
    key: KeyEvent,
    action: Option<Action>,
) -> Vec<Effect> {
    let Some(Modal::Confirm(confirm)) = state.ui.modals.last_mut() else {
        return vec![];
    };
    match action {
        Some(Action::Cancel) => {
            state.ui.modals.pop();
            vec![]
        }
        Some(Action::Confirm) => {
            if !confirm.armed() || confirm.check.is_some() {
                return vec![];
            }
            if let ConfirmAction::DeleteVariable { deployment, .. } = &confirm.action {
                // Read again first: deleted only if it is still what the user saw.
                let deployment = deployment.clone();
                return recheck::start_delete_check(state, &deployment);
            }
            let action = confirm.action.clone();
            state.ui.modals.pop();
            match action {
                ConfirmAction::Mutate(m) => mutate(state, m).1,
                ConfirmAction::SubmitForm(m) => {
                    if top_form(state).is_some_and(|f| f.base.is_some()) {
                        // The review was computed against a read: check it still holds.
                        recheck::start_form_check(state, Stage::Apply)
                    } else {
                        send_from_form(state, m)
                    }
                }
                // Handled above: it reads the server first.
                ConfirmAction::DeleteVariable { .. } => vec![],
                ConfirmAction::Airflow(m) => {
                    // The form under the confirmation (a trigger's) waits for the answer.
                    let (id, effects) = super::airflow::mutate(state, m);
                    if let (Some(id), Some(modal)) = (id, top_form(state)) {
                        modal.form.pending = Some(id);
                    }
                    effects
                }
                ConfirmAction::DiscardForm => {
                    if matches!(state.ui.modals.last(), Some(Modal::Form(_))) {
                        state.ui.modals.pop();
                    }
                    vec![]
                }
            }
        }
        _ => {
            if confirm.type_to_confirm.is_some()
                && let Some(req) = to_input_request(&Event::Key(key))
            {
                confirm.input.handle(req);
            }
            vec![]
        }
    }
}

pub(crate) fn paste_into_confirm(state: &mut AppState, text: &str) {
    if let Some(Modal::Confirm(confirm)) = state.ui.modals.last_mut()
        && confirm.type_to_confirm.is_some()
    {
        for c in text.chars().filter(|c| !c.is_control()) {
            confirm.input.handle(tui_input::InputRequest::InsertChar(c));
        }
    }
}

pub(crate) fn on_api_key_key(state: &mut AppState, action: Option<Action>) -> Vec<Effect> {
    match action {
        Some(Action::CopyKey) => {
            if let Some(Modal::ApiKey(view)) = state.ui.modals.last_mut() {
                view.copy = CopyStatus::Pending;
                return vec![Effect::Copy {
                    text: view.key.clone(),
                    label: "API key".into(),
                }];
            }
            vec![]
        }
        Some(Action::Close) => {
            // The key is dropped with the modal: it is never shown again.
            state.ui.modals.pop();
            vec![]
        }
        _ => vec![],
    }
}

pub(crate) fn on_help_key(state: &mut AppState, action: Option<Action>) -> Vec<Effect> {
    match action {
        Some(Action::Close) => {
            state.ui.modals.pop();
        }
        Some(Action::Down) => {
            if let Some(Modal::Help { scroll } | Modal::Messages { scroll }) =
                state.ui.modals.last_mut()
            {
                *scroll = scroll.saturating_add(1);
            }
        }
        Some(Action::Up) => {
            if let Some(Modal::Help { scroll } | Modal::Messages { scroll }) =
                state.ui.modals.last_mut()
            {
                *scroll = scroll.saturating_sub(1);
            }
        }
        Some(Action::Quit) => return super::quit(state),
        _ => {}
    }
    vec![]
}

pub(crate) fn on_url_key(state: &mut AppState, action: Option<Action>) -> Vec<Effect> {
    match action {
        Some(Action::Close) => {
            state.ui.modals.pop();
            vec![]
        }
        Some(Action::CopyKey) => {
            if let Some(Modal::Url(popup)) = state.ui.modals.last_mut() {
                popup.copy = CopyStatus::Pending;
                return vec![Effect::Copy {
                    text: crate::app::msg::Secret(popup.url.clone()),
                    label: format!("{} URL", popup.what.label()),
                }];
            }
            vec![]
        }
        Some(Action::Quit) => super::quit(state),
        _ => vec![],
    }
}
