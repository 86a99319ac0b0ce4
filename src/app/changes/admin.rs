//! The System Admin panel's changes: invite to the platform, a user's system role, deleting a
//! user (type their address), withdrawing an invite, and the system service accounts (the same
//! forms as a workspace's, with `Scope::System`). Every key needs a system admin.

use super::{Change, Then, change};
use crate::app::forms::FormKind;
use crate::app::keymap::cond::{Cap, Cond::*};
use crate::app::modal::{Confirm, ConfirmAction};
use crate::app::state::{AdminTab, AppState};
use crate::houston::model::{Invite, ServiceAccount};
use crate::houston::mutation::{Mutation, Scope};
use crate::houston::system::PlatformUser;
use crate::houston::system_mutations::SystemChange;
use crate::keys::Action;

const NEW: &[crate::app::keymap::cond::Cond] = &[Writable, Can(Cap::SysAdmin)];
const ON_ROW: &[crate::app::keymap::cond::Cond] = &[Writable, HasRow, Can(Cap::SysAdmin)];

pub(super) fn rows(tab: AdminTab) -> Vec<Change> {
    let invite = change(
        Action::New,
        "invite a user to the platform",
        Some("invite"),
        NEW,
        |_| vec![Then::Form(FormKind::InvitePlatformUser)],
    );
    match tab {
        AdminTab::Users => vec![
            invite,
            change(
                Action::Edit,
                "grant, change or revoke the system role",
                Some("role"),
                ON_ROW,
                |state| {
                    super::form(
                        state
                            .selected::<PlatformUser>()
                            .map(|u| FormKind::SetSystemRole(u.id.clone())),
                    )
                },
            ),
            change(
                Action::Delete,
                "delete the user",
                Some("delete"),
                ON_ROW,
                delete_user,
            ),
        ],
        AdminTab::Invites => vec![
            invite,
            change(
                Action::Delete,
                "withdraw the invite",
                Some("withdraw"),
                ON_ROW,
                withdraw_invite,
            ),
        ],
        AdminTab::ServiceAccounts => vec![
            change(
                Action::New,
                "new system service account (API key)",
                Some("new"),
                NEW,
                |_| vec![Then::Form(FormKind::CreateServiceAccount(Scope::System))],
            ),
            change(
                Action::Edit,
                "edit name, category, role",
                Some("edit"),
                ON_ROW,
                |state| {
                    super::form(
                        state
                            .selected::<ServiceAccount>()
                            .map(|sa| FormKind::EditServiceAccount(Scope::System, sa.id.clone())),
                    )
                },
            ),
            change(
                Action::Delete,
                "delete the service account",
                Some("delete"),
                ON_ROW,
                delete_service_account,
            ),
        ],
        AdminTab::Workspaces | AdminTab::TaskUsage => vec![],
    }
}

fn delete_user(state: &AppState) -> Vec<Then> {
    let Some(u) = state.selected::<PlatformUser>() else {
        return vec![];
    };
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
    vec![Then::Confirm(Box::new(c))]
}

fn withdraw_invite(state: &AppState) -> Vec<Then> {
    let Some(i) = state.selected::<Invite>() else {
        return vec![];
    };
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
    vec![Then::Confirm(Box::new(c))]
}

fn delete_service_account(state: &AppState) -> Vec<Then> {
    let Some(sa) = state.selected::<ServiceAccount>() else {
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
    vec![Then::Confirm(Box::new(c))]
}
