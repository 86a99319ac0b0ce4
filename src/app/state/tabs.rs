//! The registry of the dashboards' tabs: one row per tab says what it is called, which tables it
//! shows (their rows, requests, sort, search, copy and describe come from the tables' specs) and
//! what an empty one says. A read-only table tab is a variant, its row here and its table's spec;
//! screens, requests, cursor, describe and the tab bar read the row. A tab that changes things
//! also has its rows in `app::changes` (its keys and what they open).

use crate::app::tables::TableId;
use crate::houston::model::{DeploymentId, WorkspaceId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkspaceTab {
    Deployments,
    Users,
    Invites,
    Teams,
    ServiceAccounts,
    Settings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeploymentTab {
    Overview,
    Variables,
    Users,
    ServiceAccounts,
    Logs,
    Metrics,
    /// The DAGs of the deployment's own Airflow.
    Dags,
    /// A Celery deployment's workers, from its Flower.
    Workers,
}

/// What the app knows about one tab of a dashboard whose id is `Id`.
pub struct TabRow<Id: 'static> {
    pub(crate) title: &'static str,
    /// For a tab bar that would not fit with the full titles.
    pub(crate) short_title: &'static str,
    /// The tables the tab shows; the cursor is on the first (`t` moves it to the second).
    pub(crate) tables: fn(&Id) -> Vec<TableId>,
    /// What its (first) table says when it has no rows.
    pub(crate) empty: &'static str,
}

const fn no_tables<Id>(_: &Id) -> Vec<TableId> {
    Vec::new()
}

impl WorkspaceTab {
    pub(crate) const ALL: [WorkspaceTab; 6] = [
        WorkspaceTab::Deployments,
        WorkspaceTab::Users,
        WorkspaceTab::Invites,
        WorkspaceTab::Teams,
        WorkspaceTab::ServiceAccounts,
        WorkspaceTab::Settings,
    ];

    /// This tab's row of the registry.
    pub(crate) fn row(self) -> TabRow<WorkspaceId> {
        match self {
            WorkspaceTab::Deployments => TabRow {
                title: "Deployments",
                short_title: "Deployments",
                tables: |ws| vec![TableId::Deployments(ws.clone())],
                empty: "No deployments in this workspace yet",
            },
            WorkspaceTab::Users => TabRow {
                title: "Users",
                short_title: "Users",
                tables: |ws| vec![TableId::WorkspaceUsers(ws.clone())],
                empty: "No users in this workspace",
            },
            WorkspaceTab::Invites => TabRow {
                title: "Invites",
                short_title: "Invites",
                tables: |ws| vec![TableId::Invites(ws.clone())],
                empty: "No pending invites",
            },
            WorkspaceTab::Teams => TabRow {
                title: "Teams",
                short_title: "Teams",
                tables: |ws| vec![TableId::WorkspaceTeams(ws.clone())],
                empty: "No team has a role in this workspace",
            },
            WorkspaceTab::ServiceAccounts => TabRow {
                title: "Service Accounts",
                short_title: "Service Accounts",
                tables: |ws| vec![TableId::WorkspaceServiceAccounts(ws.clone())],
                empty: "No service accounts in this workspace yet",
            },
            WorkspaceTab::Settings => TabRow {
                title: "Settings",
                short_title: "Settings",
                tables: no_tables,
                empty: "",
            },
        }
    }

    pub(crate) fn title(self) -> &'static str {
        self.row().title
    }

    /// The tables this tab shows on workspace `id`, the cursor's first.
    pub(crate) fn tables(self, id: &WorkspaceId) -> Vec<TableId> {
        (self.row().tables)(id)
    }
}

impl DeploymentTab {
    pub(crate) const ALL: [DeploymentTab; 8] = [
        DeploymentTab::Overview,
        DeploymentTab::Variables,
        DeploymentTab::Users,
        DeploymentTab::ServiceAccounts,
        DeploymentTab::Logs,
        DeploymentTab::Metrics,
        DeploymentTab::Dags,
        DeploymentTab::Workers,
    ];

    /// This tab's row of the registry.
    pub(crate) fn row(self) -> TabRow<DeploymentId> {
        match self {
            DeploymentTab::Overview => TabRow {
                title: "Overview",
                short_title: "Overview",
                tables: no_tables,
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
                short_title: "Accounts",
                tables: |d| vec![TableId::DeploymentServiceAccounts(d.clone())],
                empty: "No service accounts for this deployment",
            },
            DeploymentTab::Logs => TabRow {
                title: "Logs",
                short_title: "Logs",
                tables: no_tables,
                empty: "",
            },
            DeploymentTab::Metrics => TabRow {
                title: "Metrics",
                short_title: "Metrics",
                tables: no_tables,
                empty: "",
            },
            DeploymentTab::Dags => TabRow {
                title: "DAGs",
                short_title: "DAGs",
                tables: |d| vec![TableId::Dags(d.clone())],
                empty: "No DAGs in this deployment's Airflow",
            },
            DeploymentTab::Workers => TabRow {
                title: "Workers",
                short_title: "Workers",
                tables: |d| vec![TableId::Workers(d.clone())],
                empty: "Flower reports no Celery workers",
            },
        }
    }

    pub(crate) fn title(self) -> &'static str {
        self.row().title
    }

    /// For a tab bar that would not fit with the full titles.
    pub(crate) fn short_title(self) -> &'static str {
        self.row().short_title
    }

    /// The tables this tab shows on deployment `id`, the cursor's first.
    pub(crate) fn tables(self, id: &DeploymentId) -> Vec<TableId> {
        (self.row().tables)(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tab_has_its_own_title_and_a_table_tab_says_when_it_is_empty() {
        let d = DeploymentId::from("d");
        let ws = WorkspaceId::from("ws");
        let deployment: Vec<(&str, bool, &str)> = DeploymentTab::ALL
            .iter()
            .map(|t| (t.title(), !t.tables(&d).is_empty(), t.row().empty))
            .collect();
        let workspace: Vec<(&str, bool, &str)> = WorkspaceTab::ALL
            .iter()
            .map(|t| (t.title(), !t.tables(&ws).is_empty(), t.row().empty))
            .collect();
        for tabs in [&deployment, &workspace] {
            for (i, (title, has_tables, empty)) in tabs.iter().enumerate() {
                assert!(
                    tabs[..i].iter().all(|(t, _, _)| t != title),
                    "{title} twice"
                );
                assert_eq!(*has_tables, !empty.is_empty(), "{title}");
            }
        }
        // The Users tab's second table is where `t` puts the cursor.
        assert_eq!(
            DeploymentTab::Users.tables(&d),
            vec![
                TableId::DeploymentUsers(d.clone()),
                TableId::DeploymentTeams(d.clone())
            ]
        );
    }
}
