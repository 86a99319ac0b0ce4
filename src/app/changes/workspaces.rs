//! The account screen's workspaces and a workspace's Settings tab: create, rename, delete; and
//! the user's own name.

use super::{Change, Then, change, form, workspace_id};
use crate::app::forms::{FormKind, duplicates};
use crate::app::keymap::cond::{Cap, Cond::*};
use crate::app::modal::{Confirm, ConfirmAction, ConfirmLine};
use crate::app::state::AppState;
use crate::houston::model::Workspace;
use crate::houston::mutation::Mutation;
use crate::keys::Action;

pub(super) fn account() -> Vec<Change> {
    vec![
        change(
            Action::New,
            "new workspace",
            Some("new"),
            &[Writable, Can(Cap::CreateWorkspace)],
            |_| vec![Then::Form(FormKind::CreateWorkspace)],
        ),
        change(
            Action::Edit,
            "rename the workspace",
            Some("edit"),
            &[Writable, HasRow, Can(Cap::UpdateWorkspace)],
            |state| {
                form(
                    state
                        .selected::<Workspace>()
                        .map(|w| FormKind::EditWorkspace(w.id.clone())),
                )
            },
        ),
        change(
            Action::Delete,
            "delete the workspace",
            Some("delete"),
            &[Writable, HasRow, Can(Cap::DeleteWorkspace)],
            |state| delete(state, state.selected::<Workspace>().as_ref()),
        ),
        change(
            Action::PersonalSettings,
            "personal settings (your name)",
            Some("profile"),
            &[Writable, Can(Cap::UpdateSelf)],
            |_| vec![Then::Form(FormKind::PersonalSettings)],
        ),
    ]
}

pub(super) fn settings() -> Vec<Change> {
    vec![
        change(
            Action::Edit,
            "rename, edit the description",
            Some("edit"),
            &[Writable, Can(Cap::UpdateWorkspace)],
            |state| form(workspace_id(state).map(FormKind::EditWorkspace)),
        ),
        change(
            Action::Delete,
            "delete the workspace",
            None,
            &[Writable, Can(Cap::DeleteWorkspace)],
            |state| delete(state, state.current_workspace()),
        ),
    ]
}

fn delete(state: &AppState, w: Option<&Workspace>) -> Vec<Then> {
    let Some(w) = w else {
        return vec![];
    };
    let c = Confirm::new(
        format!("Delete workspace {}?", w.label),
        ConfirmAction::Mutate(Mutation::DeleteWorkspace {
            id: w.id.clone(),
            label: w.label.clone(),
        }),
        "Delete",
    )
    .line("This cannot be undone. Houston refuses while the workspace has deployments.")
    // Two workspaces of one name: say which of them this is.
    .lines(
        duplicates::workspace_twin_lines(state, w)
            .into_iter()
            .map(ConfirmLine::Text)
            .collect(),
    )
    .line(format!(
        "Type the workspace's name, {}, to confirm.",
        w.label
    ))
    .type_to_confirm(w.label.clone())
    .danger();
    vec![Then::Confirm(Box::new(c))]
}
