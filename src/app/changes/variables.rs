//! A deployment's environment variables: add, edit, delete, import a `.env` file.

use super::{Change, Then, change, deployment_id, form};
use crate::app::forms::FormKind;
use crate::app::keymap::cond::{Cap, Cond, Cond::*};
use crate::houston::model::EnvVar;
use crate::keys::Action;

const UPDATE: &[Cond] = &[Writable, Can(Cap::UpdateVariables)];
const UPDATE_ROW: &[Cond] = &[Writable, HasRow, Can(Cap::UpdateVariables)];

pub(super) fn rows() -> Vec<Change> {
    vec![
        change(
            Action::New,
            "add a variable",
            Some("new"),
            UPDATE,
            |state| form(deployment_id(state).map(FormKind::AddVariable)),
        ),
        change(
            Action::Edit,
            "edit the variable",
            Some("edit"),
            UPDATE_ROW,
            |state| {
                let (Some(d), Some(v)) = (deployment_id(state), state.selected::<EnvVar>()) else {
                    return vec![];
                };
                vec![Then::Form(FormKind::EditVariable {
                    deployment: d,
                    key: v.key.clone(),
                })]
            },
        ),
        change(
            Action::Delete,
            "delete the variable",
            Some("delete"),
            UPDATE_ROW,
            |state| {
                let (Some(d), Some(v)) = (deployment_id(state), state.selected::<EnvVar>()) else {
                    return vec![];
                };
                vec![Then::DeleteVariable {
                    deployment: d,
                    key: v.key.clone(),
                }]
            },
        ),
        change(
            Action::Import,
            "import a .env file",
            Some("import"),
            UPDATE,
            |state| form(deployment_id(state).map(FormKind::ImportEnv)),
        ),
    ]
}
