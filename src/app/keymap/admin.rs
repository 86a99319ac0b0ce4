//! The System Admin panel's keys besides its changes (`app::changes::admin`): `A` on the
//! account dashboard opens it (a system admin only: anyone else is told why), Enter opens a
//! workspace of its Workspaces tab, `w` cycles the Task usage range.

use super::bindings::{bind, ch, open_row};
use super::cond::{Cap, Cond};
use super::{Action, Binding};
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

/// What a tab's rows open.
pub(super) fn opens(tab: AdminTab) -> Vec<Binding> {
    match tab {
        AdminTab::Workspaces => vec![open_row("open the workspace")],
        _ => vec![],
    }
}

/// A tab's keys of its own.
pub(super) fn own_keys(tab: AdminTab) -> Vec<Binding> {
    match tab {
        AdminTab::TaskUsage => vec![bind(
            const { &[ch('w')] },
            "w",
            Action::CycleWindow,
            "range: 7 / 30 / 90 days",
            Some("range"),
            &[],
        )],
        _ => vec![],
    }
}
