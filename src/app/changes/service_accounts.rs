//! Service accounts (API keys) of a workspace or of a deployment: the same keys in both scopes.

use super::{Change, Then, change, deployment_id, workspace_id};
use crate::app::forms::FormKind;
use crate::app::keymap::cond::{Cap, Cond::*};
use crate::app::modal::{Confirm, ConfirmAction};
use crate::app::state::AppState;
use crate::houston::model::ServiceAccount;
use crate::houston::mutation::{Mutation, Scope};
use crate::keys::Action;

pub(super) fn rows() -> Vec<Change> {
    vec![
        change(
            Action::New,
            "new service account (API key)",
            Some("new"),
            &[Writable, Can(Cap::CreateServiceAccount)],
            |state| super::form(scope(state).map(FormKind::CreateServiceAccount)),
        ),
        change(
            Action::Edit,
            "edit name, category, role",
            Some("edit"),
            &[Writable, HasRow, Can(Cap::UpdateServiceAccount)],
            |state| {
                let (Some(scope), Some(sa)) = (scope(state), state.selected::<ServiceAccount>())
                else {
                    return vec![];
                };
                vec![Then::Form(FormKind::EditServiceAccount(
                    scope,
                    sa.id.clone(),
                ))]
            },
        ),
        change(
            Action::Delete,
            "delete the service account",
            Some("delete"),
            &[Writable, HasRow, Can(Cap::DeleteServiceAccount)],
            delete,
        ),
    ]
}

/// The workspace or deployment whose tab is shown.
fn scope(state: &AppState) -> Option<Scope> {
    match (workspace_id(state), deployment_id(state)) {
        (Some(ws), _) => Some(Scope::Workspace(ws)),
        (_, Some(d)) => Some(Scope::Deployment(d)),
        _ => None,
    }
}

fn delete(state: &AppState) -> Vec<Then> {
    let (Some(scope), Some(sa)) = (scope(state), state.selected::<ServiceAccount>()) else {
        return vec![];
    };
    let c = Confirm::new(
        format!("Delete service account {}?", sa.label),
        ConfirmAction::Mutate(Mutation::DeleteServiceAccount {
            scope,
            id: sa.id.clone(),
            label: sa.label.clone(),
        }),
        "Delete",
    )
    .line("Its API key stops working at once: CI/CD jobs using it will fail.")
    .danger();
    vec![Then::Confirm(Box::new(c))]
}
