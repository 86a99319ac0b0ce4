//! The System Admin panel's tabs (`Route::Admin`), rows of the same kind as the dashboards'
//! (`state::tabs`): title, tables, what an empty one says.

use super::tabs::TabRow;
use crate::app::tables::TableId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdminTab {
    Users,
    Invites,
    Workspaces,
    ServiceAccounts,
    TaskUsage,
}

impl AdminTab {
    pub(crate) const ALL: [AdminTab; 5] = [
        AdminTab::Users,
        AdminTab::Invites,
        AdminTab::Workspaces,
        AdminTab::ServiceAccounts,
        AdminTab::TaskUsage,
    ];

    /// This tab's row of the registry. The panel has no id: its tables are parameterised by
    /// the task-usage range (days) instead.
    pub(crate) fn row(self) -> TabRow<u16> {
        match self {
            AdminTab::Users => TabRow {
                title: "Users",
                short_title: "Users",
                tables: |_| vec![TableId::SystemUsers],
                empty: "No users on this platform",
            },
            AdminTab::Invites => TabRow {
                title: "Invites",
                short_title: "Invites",
                tables: |_| vec![TableId::SystemInvites],
                empty: "No pending invites",
            },
            // `sysWorkspaces` where Houston has it (houston::system::SYSTEM_WORKSPACES).
            AdminTab::Workspaces => TabRow {
                title: "Workspaces",
                short_title: "Workspaces",
                tables: |_| vec![TableId::SystemWorkspaces],
                empty: "No workspaces",
            },
            AdminTab::ServiceAccounts => TabRow {
                title: "Service accounts",
                short_title: "Service accts",
                tables: |_| vec![TableId::SystemServiceAccounts],
                empty: "No system service accounts yet",
            },
            AdminTab::TaskUsage => TabRow {
                title: "Task usage",
                short_title: "Task usage",
                tables: |days| vec![TableId::TaskUsage(*days)],
                empty: "No deployments on this platform",
            },
        }
    }

    pub(crate) fn title(self) -> &'static str {
        self.row().title
    }

    /// The tables this tab shows (task usage over the last `days` days), the cursor's first.
    pub(crate) fn tables(self, days: u16) -> Vec<TableId> {
        (self.row().tables)(&days)
    }
}
