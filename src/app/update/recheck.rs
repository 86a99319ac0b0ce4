//! Before an edit is sent: read the server again, apply the user's changes (against the base
//! the form was opened from) to what it holds now, and then review, send, or show a conflict.
//! Nothing is sent while a conflict is open; a review is re-checked when it is confirmed.

use super::messages::{error, flash};
use super::mutations::mutate;
use crate::app::effect::{Effect, Schedule};
use crate::app::forms::Form;
use crate::app::forms::base::{self, ConflictRow, Snapshot, shown_var, var_set};
use crate::app::forms::{self, FormKind, Plan, variables};
use crate::app::keymap::Action;
use crate::app::merge::merge;
use crate::app::modal::{
    Confirm, ConfirmAction, ConfirmLine, ConflictTarget, ConflictView, FormModal, Modal, Recheck,
    Stage,
};
use crate::app::state::AppState;
use crate::houston::model::DeploymentId;
use crate::houston::request::Request;

pub(crate) const CHECKING: &str = "Checking what the server holds now…";

/// Ask for `requests` again; the reads a re-check waits for. The scheduler gives each read a
/// sequence number after every one issued so far, so a reply counts from the next one on.
fn reread(state: &mut AppState, requests: Vec<Request>) -> (Vec<(Request, u64)>, Vec<Effect>) {
    let from = state.net.next_seq + 1;
    let waiting = requests.iter().map(|r| (r.clone(), from)).collect();
    let effects = requests.into_iter().map(Schedule::fetch).collect();
    flash(state, CHECKING);
    (waiting, effects)
}

/// Read again what the top form edits; the rest happens when the reply arrives.
pub(crate) fn start_form_check(state: &mut AppState, stage: Stage) -> Vec<Effect> {
    let Some(Modal::Form(modal)) = state.ui.modals.last() else {
        return vec![];
    };
    let requests = base::rereads(state, &modal.kind);
    let (waiting, effects) = reread(state, requests);
    let empty = waiting.is_empty();
    if let Some(Modal::Form(modal)) = state.ui.modals.last_mut() {
        modal.form.error = None;
        modal.check = Some(Recheck {
            waiting,
            stage,
            failed: None,
        });
    }
    if empty {
        // Nothing to read (cannot happen for the forms that merge): decide with what is here.
        let i = state.ui.modals.len() - 1;
        return evaluate(state, i);
    }
    effects
}

/// Read the variables again before deleting one (the confirmation on top waits).
pub(crate) fn start_delete_check(state: &mut AppState, deployment: &DeploymentId) -> Vec<Effect> {
    let (waiting, effects) = reread(
        state,
        vec![Request::DeploymentVariables(deployment.clone())],
    );
    if let Some(Modal::Confirm(c)) = state.ui.modals.last_mut() {
        c.check = Some(Recheck {
            waiting,
            stage: Stage::Apply,
            failed: None,
        });
    }
    effects
}

fn check_of(modal: &Modal) -> Option<&Recheck> {
    match modal {
        Modal::Form(f) => f.check.as_ref(),
        Modal::Confirm(c) => c.check.as_ref(),
        _ => None,
    }
}

fn check_mut(modal: &mut Modal) -> Option<&mut Recheck> {
    match modal {
        Modal::Form(f) => f.check.as_mut(),
        Modal::Confirm(c) => c.check.as_mut(),
        _ => None,
    }
}

fn waits(check: &Recheck, request: &Request, seq: u64) -> bool {
    check.waiting.iter().any(|(r, s)| r == request && seq >= *s)
}

/// Before the reply is applied: whether it is the one a re-check waits for (the newest reply
/// for its request, asked for at or after the re-check started).
pub(crate) fn answers(state: &AppState, request: &Request, seq: u64) -> bool {
    state.net.latest_seq.get(request) == Some(&seq)
        && state
            .ui
            .modals
            .iter()
            .any(|m| check_of(m).is_some_and(|c| waits(c, request, seq)))
}

/// A reply a re-check waited for was applied to the cache (or failed): once all are in, decide.
pub(crate) fn on_reply(
    state: &mut AppState,
    request: &Request,
    seq: u64,
    failure: Option<String>,
) -> Vec<Effect> {
    let Some(i) = state
        .ui
        .modals
        .iter()
        .rposition(|m| check_of(m).is_some_and(|c| waits(c, request, seq)))
    else {
        return vec![];
    };
    let Some(check) = state.ui.modals.get_mut(i).and_then(check_mut) else {
        return vec![];
    };
    check.waiting.retain(|(r, _)| r != request);
    if failure.is_some() {
        check.failed = failure;
    }
    if !check.waiting.is_empty() {
        return vec![];
    }
    if state
        .ui
        .message
        .as_ref()
        .is_some_and(|m| m.text == CHECKING)
    {
        state.ui.message = None;
    }
    evaluate(state, i)
}

fn evaluate(state: &mut AppState, i: usize) -> Vec<Effect> {
    match state.ui.modals.get_mut(i) {
        Some(Modal::Form(modal)) => match modal.check.take() {
            Some(check) => evaluate_form(state, i, check),
            None => vec![],
        },
        Some(Modal::Confirm(c)) => match c.check.take() {
            Some(check) => evaluate_delete(state, i, check),
            None => vec![],
        },
        _ => vec![],
    }
}

fn form_at(state: &mut AppState, i: usize) -> Option<&mut FormModal> {
    match state.ui.modals.get_mut(i) {
        Some(Modal::Form(f)) => Some(f),
        _ => None,
    }
}

/// What the form asks for, as a snapshot (variables: the base with the form's change applied,
/// and the conflicts the user settled).
pub(crate) fn mine_of(modal: &FormModal) -> Option<Snapshot> {
    match modal.base.as_ref()? {
        Snapshot::Fields(_) => Some(Snapshot::Fields(base::fields_of(&modal.form))),
        Snapshot::Variables(b) => {
            let mut set = variables::mine(&modal.kind, &modal.form, b, modal.imported.as_deref());
            for (key, v) in &modal.settled {
                match v {
                    Some(v) => set.insert(key.clone(), v.clone()),
                    None => set.remove(key),
                };
            }
            Some(Snapshot::Variables(set))
        }
    }
}

/// The merge of two snapshots of the same kind: the result, or the conflicts as rows.
enum Outcome {
    Clean(Snapshot),
    Conflicts {
        rows: Vec<ConflictRow>,
        keys: Vec<String>,
    },
}

fn merged(form: &Form, base: &Snapshot, theirs: &Snapshot, mine: &Snapshot) -> Outcome {
    match (base, theirs, mine) {
        (Snapshot::Fields(b), Snapshot::Fields(t), Snapshot::Fields(m)) => {
            let r = merge(b, t, m);
            if r.conflicts.is_empty() {
                return Outcome::Clean(Snapshot::Fields(r.result));
            }
            Outcome::Conflicts {
                rows: base::field_rows(form, &r.conflicts),
                keys: r.conflicts.into_iter().map(|c| c.key).collect(),
            }
        }
        (Snapshot::Variables(b), Snapshot::Variables(t), Snapshot::Variables(m)) => {
            let r = merge(b, t, m);
            if r.conflicts.is_empty() {
                return Outcome::Clean(Snapshot::Variables(r.result));
            }
            Outcome::Conflicts {
                rows: base::var_rows(&r.conflicts),
                keys: r.conflicts.into_iter().map(|c| c.key).collect(),
            }
        }
        // Snapshots of one form are always of one kind.
        _ => Outcome::Clean(mine.clone()),
    }
}

fn subject(state: &AppState, kind: &FormKind) -> String {
    match base::variables_of(kind).or(match kind {
        FormKind::EditDeployment(id) => Some(id),
        _ => None,
    }) {
        Some(d) => state
            .cache
            .deployment(d)
            .map_or_else(|| "This".to_string(), |d| d.label.clone()),
        None => "This".to_string(),
    }
}

fn evaluate_form(state: &mut AppState, i: usize, check: Recheck) -> Vec<Effect> {
    let Some(modal) = form_at(state, i) else {
        return vec![];
    };
    if let Some(e) = check.failed {
        modal.form.error = Some(format!(
            "Could not read what the server holds now ({e}): nothing was sent. Submit to retry."
        ));
        return vec![];
    }
    let kind = modal.kind.clone();
    let Some(theirs) = base::theirs(state, &kind) else {
        if let Some(modal) = form_at(state, i) {
            modal.form.error =
                Some("This item no longer exists on the server: nothing was sent.".into());
        }
        return vec![];
    };
    let Some(modal) = form_at(state, i) else {
        return vec![];
    };
    let base = modal.base.clone().unwrap_or_else(|| theirs.clone());
    let Some(mine) = mine_of(modal) else {
        return vec![];
    };
    if check.stage == Stage::Apply && theirs == base {
        // The server still holds what the review was computed against: send what it showed.
        return send(state, i, None);
    }
    let result = match merged(&modal.form, &base, &theirs, &mine) {
        Outcome::Conflicts { rows, keys } => {
            let title = format!(
                "{} changed on the server since you opened the form",
                subject(state, &kind)
            );
            state.ui.modals.push(Modal::Conflict(ConflictView {
                title,
                rows,
                keys,
                theirs,
                target: ConflictTarget::Form,
            }));
            return vec![];
        }
        Outcome::Clean(result) => result,
    };
    // From now on the form edits what the server holds: untouched fields take its values.
    let kept = base::kept_from_server(&modal.form, &base, &theirs);
    if let Snapshot::Fields(values) = &result {
        base::set_fields(&mut modal.form, values);
        super::dialogs::sync(modal);
    }
    modal.base = Some(theirs.clone());
    if result == theirs {
        modal.form.error = Some("Nothing to change: the server already holds this.".into());
        return vec![];
    }
    let mut notes = Vec::new();
    if check.stage == Stage::Apply && !kept.is_empty() {
        notes.push(ConfirmLine::Text(format!(
            "Changed on the server while you were reviewing, kept: {}. Below is what applying \
             does now.",
            kept.join(", ")
        )));
    } else if check.stage == Stage::Apply {
        notes.push(ConfirmLine::Text(
            "This changed on the server while you were reviewing: below is what applying does now."
                .into(),
        ));
    } else if !kept.is_empty() {
        notes.push(ConfirmLine::Text(format!(
            "Changed on the server since you opened the form, kept: {}.",
            kept.join(", ")
        )));
    }
    send(state, i, Some(notes))
}

/// Plan the form's change against the fresh cache: with `notes`, show the review (plans that
/// are reviewed); without, send it.
fn send(state: &mut AppState, i: usize, notes: Option<Vec<ConfirmLine>>) -> Vec<Effect> {
    let Some(modal) = form_at(state, i) else {
        return vec![];
    };
    let kind = modal.kind.clone();
    let plan = match (&kind, mine_of(modal)) {
        (k, Some(Snapshot::Variables(set))) if base::variables_of(k).is_some() => {
            base::variables_of(k).and_then(|d| variables::review_set(state, d, &set))
        }
        _ => {
            let mut form = modal.form.clone();
            let plan = forms::plan(state, &kind, &mut form);
            if let Some(modal) = form_at(state, i) {
                modal.form = form;
            }
            plan
        }
    };
    let mutation = match plan {
        Some(Plan::Mutate(m)) => m,
        Some(Plan::Review {
            title,
            lines,
            mutation,
        }) => match notes {
            Some(mut notes) => {
                notes.extend(lines);
                state.ui.modals.push(Modal::Confirm(
                    Confirm::new(title, ConfirmAction::SubmitForm(mutation), "Apply").lines(notes),
                ));
                return vec![];
            }
            None => mutation,
        },
        // Neither is planned here: no import or Airflow change merges with a base.
        Some(Plan::ReadFile(_) | Plan::Airflow { .. }) | None => return vec![],
    };
    let (id, effects) = mutate(state, mutation);
    if let (Some(id), Some(modal)) = (id, form_at(state, i)) {
        modal.form.pending = Some(id);
    }
    effects
}

fn evaluate_delete(state: &mut AppState, i: usize, check: Recheck) -> Vec<Effect> {
    let Some(Modal::Confirm(c)) = state.ui.modals.get(i) else {
        return vec![];
    };
    let ConfirmAction::DeleteVariable {
        deployment,
        key,
        base,
    } = c.action.clone()
    else {
        return vec![];
    };
    state.ui.modals.remove(i);
    if let Some(e) = check.failed {
        error(
            state,
            format!("Could not read the variables again ({e}): {key} was not deleted"),
        );
        return vec![];
    }
    let Some(theirs) = state.cache.variables(&deployment).map(var_set) else {
        error(
            state,
            format!("{key} was not deleted: the variables are gone"),
        );
        return vec![];
    };
    match theirs.get(&key) {
        None => {
            flash(
                state,
                format!("{key} is already gone from the server: nothing to delete"),
            );
            vec![]
        }
        Some(now) if Some(now) != base.as_ref() => {
            let rows = vec![ConflictRow {
                field: key.clone(),
                base: shown_var(base.as_ref()),
                theirs: shown_var(Some(now)),
                mine: "(deleted)".into(),
            }];
            state.ui.modals.push(Modal::Conflict(ConflictView {
                title: format!("{key} changed on the server since you asked to delete it"),
                rows,
                keys: vec![key.clone()],
                theirs: Snapshot::Variables(theirs.clone()),
                target: ConflictTarget::DeleteVariable { deployment, key },
            }));
            vec![]
        }
        Some(_) => {
            let mut rest = theirs.clone();
            rest.remove(&key);
            match variables::review_set(state, &deployment, &rest) {
                Some(Plan::Review { mutation, .. }) => mutate(state, mutation).1,
                _ => vec![],
            }
        }
    }
}

/// The delete confirmation of `key`, computed against what the cache holds now.
pub(crate) fn delete_confirm(
    state: &AppState,
    deployment: &DeploymentId,
    key: &str,
) -> Option<Confirm> {
    let Plan::Review { title, lines, .. } = variables::plan_delete(state, deployment, key)? else {
        return None;
    };
    let base = state
        .cache
        .variables(deployment)
        .map(var_set)
        .and_then(|set| set.get(key).cloned());
    let action = ConfirmAction::DeleteVariable {
        deployment: deployment.clone(),
        key: key.to_string(),
        base,
    };
    Some(Confirm::new(title, action, "Apply").lines(lines).danger())
}

/// `t` take theirs, `m` keep mine, `e`/Esc back to the form. After a choice the form's base is
/// what the server held; taking theirs or keeping mine goes on (re-read, review or send).
pub(crate) fn on_conflict_key(state: &mut AppState, action: Option<Action>) -> Vec<Effect> {
    let Some(Modal::Conflict(view)) = state.ui.modals.last().cloned() else {
        return vec![];
    };
    let choice = match action {
        Some(a @ (Action::TakeTheirs | Action::KeepMine | Action::Edit | Action::Cancel)) => a,
        Some(Action::Quit) => return super::quit(state),
        _ => return vec![],
    };
    state.ui.modals.pop();
    match view.target {
        ConflictTarget::DeleteVariable { deployment, key } => {
            if choice != Action::KeepMine {
                flash(
                    state,
                    format!("Nothing deleted: {key} stays as the server holds it"),
                );
                return vec![];
            }
            // Delete it as it is now: read once more, and delete if it still is.
            let Some(confirm) = delete_confirm(state, &deployment, &key) else {
                return vec![];
            };
            state.ui.modals.push(Modal::Confirm(confirm));
            start_delete_check(state, &deployment)
        }
        ConflictTarget::Form => {
            let Some(Modal::Form(modal)) = state.ui.modals.last_mut() else {
                return vec![];
            };
            settle(modal, &view, choice == Action::TakeTheirs);
            match choice {
                Action::TakeTheirs | Action::KeepMine => {
                    if mine_of(modal) == modal.base {
                        // Everything the user changed is now as the server has it.
                        state.ui.modals.pop();
                        flash(state, "Kept what the server holds: nothing was sent");
                        return vec![];
                    }
                    start_form_check(state, Stage::Submit)
                }
                _ => {
                    flash(
                        state,
                        "The form now holds the server's values, with your changes",
                    );
                    vec![]
                }
            }
        }
    }
}

/// The form's base becomes theirs: untouched fields take theirs, conflicting ones theirs or
/// mine as chosen.
fn settle(modal: &mut FormModal, view: &ConflictView, take_theirs: bool) {
    let (Some(base), Some(mine)) = (modal.base.clone(), mine_of(modal)) else {
        return;
    };
    match (&base, &view.theirs, &mine) {
        (Snapshot::Fields(b), Snapshot::Fields(t), Snapshot::Fields(m)) => {
            let mut values = merge(b, t, m).result;
            for key in &view.keys {
                let chosen = if take_theirs { t.get(key) } else { m.get(key) };
                if let Some(v) = chosen {
                    values.insert(key.clone(), v.clone());
                }
            }
            base::set_fields(&mut modal.form, &values);
            super::dialogs::sync(modal);
        }
        (_, Snapshot::Variables(t), _) if take_theirs => {
            for key in &view.keys {
                modal.settled.insert(key.clone(), t.get(key).cloned());
            }
        }
        _ => {}
    }
    modal.base = Some(view.theirs.clone());
}
