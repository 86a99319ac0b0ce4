//! The System Admin panel's keys: `A` on the account dashboard opens it (a system admin only:
//! anyone else is told why), and each tab's new / edit / delete.

use super::bindings::{bind, ch, new_edit_delete, open_row};
use super::{Action, Binding, Cap, Cond};
use crate::app::state::AdminTab;

/// `A` on the account dashboard.
pub(super) fn open_panel() -> Binding {
    bind(
        const { &[ch('A')] },
        "A",
        Action::SystemAdmin,
        "System Admin panel",
        Some("system admin"),
        &[Cond::Can(Cap::SysAdmin)],
    )
}

pub(super) fn screen(tab: AdminTab) -> Vec<Binding> {
    let nothing_to_edit = |b: &Binding| b.action != Action::Edit;
    match tab {
        AdminTab::Users => new_edit_delete(
            ("invite a user to the platform", Cap::SysAdmin),
            ("grant or revoke a system role", Cap::SysAdmin),
            ("delete the user", Cap::SysAdmin),
        ),
        AdminTab::Invites => new_edit_delete(
            ("invite a user to the platform", Cap::SysAdmin),
            ("", Cap::SysAdmin),
            ("withdraw the invite", Cap::SysAdmin),
        )
        .into_iter()
        .filter(nothing_to_edit)
        .collect(),
        AdminTab::Workspaces => vec![open_row("open the workspace")],
        AdminTab::TaskUsage => vec![bind(
            const { &[ch('w')] },
            "w",
            Action::CycleWindow,
            "range: 7 / 30 / 90 days",
            Some("range"),
            &[],
        )],
        AdminTab::ServiceAccounts => new_edit_delete(
            ("new system service account (API key)", Cap::SysAdmin),
            ("edit name, category, role", Cap::SysAdmin),
            ("delete the service account", Cap::SysAdmin),
        ),
    }
}
