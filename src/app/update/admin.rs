//! What `n`, `e` and `Ctrl-d` do on the System Admin panel: invite to the platform, a user's
//! system role, deleting a user (type the name), withdrawing an invite, and the system service
//! accounts (the same forms as a workspace's, with `Scope::System`).

use super::actions::confirm;
use super::dialogs::open_form;
use crate::app::effect::Effect;
use crate::app::forms::FormKind;
use crate::app::keymap::Action;
use crate::app::modal::{Confirm, ConfirmAction};
use crate::app::state::{AdminTab, AppState, Route};
use crate::app::tables::TableId;
use crate::houston::model::{Invite, Workspace};
use crate::houston::mutation::{Mutation, Scope};
use crate::houston::system::PlatformUser;
use crate::houston::system_mutations::SystemChange;

/// The user under the cursor of the Users tab.
pub fn selected_user(state: &AppState) -> Option<&PlatformUser> {
    let i = state.selected_index(&TableId::SystemUsers)?;
    state.cache.system_users()?.get(i)
}

/// The workspace under the cursor of the Workspaces tab.
pub fn selected_workspace(state: &AppState) -> Option<&Workspace> {
    let i = state.selected_index(&TableId::SystemWorkspaces)?;
    state.cache.system_workspaces()?.get(i)
}

/// The invite under the cursor of the Invites tab.
pub fn selected_invite(state: &AppState) -> Option<&Invite> {
    let i = state.selected_index(&TableId::SystemInvites)?;
    state.cache.system_invites()?.get(i)
}

pub fn new(state: &mut AppState, tab: AdminTab) -> Vec<Effect> {
    let kind = match tab {
        AdminTab::Users | AdminTab::Invites => FormKind::InvitePlatformUser,
        AdminTab::ServiceAccounts => FormKind::CreateServiceAccount(Scope::System),
        AdminTab::Workspaces | AdminTab::TaskUsage => return vec![],
    };
    open_form(state, kind)
}

pub fn edit(state: &mut AppState, tab: AdminTab) -> Vec<Effect> {
    let kind = match tab {
        AdminTab::Users => match selected_user(state) {
            Some(u) => FormKind::SetSystemRole(u.id.clone()),
            None => return vec![],
        },
        AdminTab::ServiceAccounts => match state.selected_service_account() {
            Some(sa) => FormKind::EditServiceAccount(Scope::System, sa.id.clone()),
            None => return vec![],
        },
        AdminTab::Invites | AdminTab::Workspaces | AdminTab::TaskUsage => return vec![],
    };
    open_form(state, kind)
}

pub fn delete(state: &mut AppState, tab: AdminTab) -> Vec<Effect> {
    match tab {
        AdminTab::Users => match selected_user(state).cloned() {
            Some(u) => delete_user(state, u),
            None => vec![],
        },
        AdminTab::Invites => match selected_invite(state).cloned() {
            Some(i) => withdraw_invite(state, i),
            None => vec![],
        },
        AdminTab::Workspaces | AdminTab::TaskUsage => vec![],
        AdminTab::ServiceAccounts => {
            let Some(sa) = state.selected_service_account().cloned() else {
                return vec![];
            };
            let c = Confirm::new(
                format!("Delete system service account {}?", sa.label),
                ConfirmAction::Mutate(Mutation::DeleteServiceAccount {
                    scope: Scope::System,
                    id: sa.id.clone(),
                    label: sa.label.clone(),
                }),
                "Delete",
            )
            .line("Its API key stops working at once: automation using it will fail.")
            .line(format!(
                "Type the service account's name, {}, to confirm.",
                sa.label
            ))
            .type_to_confirm(sa.label.clone())
            .danger();
            confirm(state, c)
        }
    }
}

/// `w` on the Task usage tab: the next range, read at once.
pub fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Effect>> {
    if action != Action::CycleWindow
        || state.route()
            != &(Route::Admin {
                tab: AdminTab::TaskUsage,
            })
    {
        return None;
    }
    let days = crate::app::task_usage::next_range(state.ui.task_usage_days);
    state.ui.task_usage_days = days;
    super::messages::flash(state, format!("Task runs of the last {days} days"));
    Some(super::refresh::refresh_visible(state, true))
}

fn delete_user(state: &mut AppState, u: PlatformUser) -> Vec<Effect> {
    let name = u.display_name().to_string();
    // What is typed: the e-mail address where there is one (names repeat, addresses do not).
    let typed = u.email.clone().unwrap_or_else(|| u.username.clone());
    let roles = u.workspaces.len();
    let mut c = Confirm::new(
        format!("Delete user {name}?"),
        ConfirmAction::Mutate(Mutation::System(SystemChange::DeleteUser {
            user: u.id.clone(),
            name: name.clone(),
        })),
        "Delete",
    )
    .line(format!(
        "{name} can no longer log in and loses every role ({roles} workspace{}).",
        if roles == 1 { "" } else { "s" }
    ))
    .line("This cannot be undone.");
    if crate::app::forms::role_rules::is_me(state, &u.id) {
        c = c.line("This is you: this session ends with the account.");
    }
    let c = c
        .line(format!("Type {typed} to confirm."))
        .type_to_confirm(typed)
        .danger();
    confirm(state, c)
}

fn withdraw_invite(state: &mut AppState, i: Invite) -> Vec<Effect> {
    let c = Confirm::new(
        format!("Withdraw the invite of {}?", i.email),
        ConfirmAction::Mutate(Mutation::System(SystemChange::WithdrawInvite {
            invite: i.id.clone(),
            email: i.email.clone(),
        })),
        "Withdraw",
    )
    .line("The invitation link stops working.")
    .danger();
    confirm(state, c)
}
