//! The registry of a deployment's tabs: one row per tab says what it is called, which tables it
//! shows (their rows, requests, sort, search, copy and describe come from the tables' specs) and
//! what an empty one says. A read-only table tab is a variant, its row here and its table's spec;
//! screens, requests, cursor, describe and the tab bar read the row. A tab that changes things
//! also has its keys (`keymap::bindings`) and its new/edit/delete (`update::actions`).

use crate::app::tables::TableId;
use crate::houston::model::DeploymentId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeploymentTab {
    Overview,
    Variables,
    Users,
    ServiceAccounts,
    Logs,
    Metrics,
}

/// What the app knows about one deployment tab.
pub struct TabRow {
    pub title: &'static str,
    /// For a tab bar that would not fit with the full titles.
    pub short_title: &'static str,
    /// The tables the tab shows; the cursor is on the first (`t` moves it to the second).
    pub tables: fn(&DeploymentId) -> Vec<TableId>,
    /// What its (first) table says when it has no rows.
    pub empty: &'static str,
}

const NO_TABLES: fn(&DeploymentId) -> Vec<TableId> = |_| Vec::new();

impl DeploymentTab {
    pub const ALL: [DeploymentTab; 6] = [
        DeploymentTab::Overview,
        DeploymentTab::Variables,
        DeploymentTab::Users,
        DeploymentTab::ServiceAccounts,
        DeploymentTab::Logs,
        DeploymentTab::Metrics,
    ];

    /// This tab's row of the registry.
    pub fn row(self) -> TabRow {
        match self {
            DeploymentTab::Overview => TabRow {
                title: "Overview",
                short_title: "Overview",
                tables: NO_TABLES,
                empty: "",
            },
            DeploymentTab::Variables => TabRow {
                title: "Environment variables",
                short_title: "Variables",
                tables: |d| vec![TableId::Variables(d.clone())],
                empty: "No environment variables",
            },
            DeploymentTab::Users => TabRow {
                title: "Users",
                short_title: "Users",
                tables: |d| {
                    vec![
                        TableId::DeploymentUsers(d.clone()),
                        TableId::DeploymentTeams(d.clone()),
                    ]
                },
                empty: "No users with a role on this deployment",
            },
            DeploymentTab::ServiceAccounts => TabRow {
                title: "Service accounts",
                short_title: "Service accts",
                tables: |d| vec![TableId::DeploymentServiceAccounts(d.clone())],
                empty: "No service accounts for this deployment",
            },
            DeploymentTab::Logs => TabRow {
                title: "Logs",
                short_title: "Logs",
                tables: NO_TABLES,
                empty: "",
            },
            DeploymentTab::Metrics => TabRow {
                title: "Metrics",
                short_title: "Metrics",
                tables: NO_TABLES,
                empty: "",
            },
        }
    }

    pub fn title(self) -> &'static str {
        self.row().title
    }

    /// For a tab bar that would not fit with the full titles.
    pub fn short_title(self) -> &'static str {
        self.row().short_title
    }

    /// The tables this tab shows on deployment `id`, the cursor's first.
    pub fn tables(self, id: &DeploymentId) -> Vec<TableId> {
        (self.row().tables)(id)
    }
}
