//! Where the user is: the tabs of each dashboard, the navigation stack and its history.

use super::admin_tabs::AdminTab;
use super::tabs::{DeploymentTab, WorkspaceTab};
use crate::houston::model::{DeploymentId, WorkspaceId};

/// One level of the navigation stack.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Route {
    Account,
    Workspace {
        id: WorkspaceId,
        tab: WorkspaceTab,
    },
    Deployment {
        id: DeploymentId,
        tab: DeploymentTab,
    },
    /// Every deployment the caller can see, worst status first (`a`, or the palette's `:all`).
    AllDeployments,
    /// The System Admin panel (`A` on the account dashboard, `:admin`).
    Admin {
        tab: AdminTab,
    },
    /// The platform's clusters (Houston 1.0+, the palette's `:clusters`).
    Clusters,
    /// The failing and long-running DAG runs of every deployment (the palette's `:dags`).
    FleetRuns,
    /// A DAG's runs, under the deployment's DAGs tab (Enter on a DAG).
    DagRuns {
        deployment: DeploymentId,
        dag_id: String,
    },
    /// A run's task instances (Enter on a run).
    TaskInstances {
        deployment: DeploymentId,
        dag_id: String,
        run_id: String,
    },
    /// A task instance's log, in the log view (Enter on a task instance; `c` picks the try).
    TaskLog {
        deployment: DeploymentId,
        dag_id: String,
        run_id: String,
        task_id: String,
        /// A mapped task's instance; -1 when the task is not mapped.
        map_index: i64,
        /// Its latest try, when it was opened.
        try_number: u32,
    },
}

/// A route without its ids: the screen under any modal (which bindings apply, which form `n`
/// opens).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Account,
    Workspace(WorkspaceTab),
    Deployment(DeploymentTab),
    AllDeployments,
    Admin(AdminTab),
    Clusters,
    FleetRuns,
    DagRuns,
    TaskInstances,
    TaskLog,
}

impl Route {
    pub(crate) fn screen(&self) -> Screen {
        match self {
            Route::Account => Screen::Account,
            Route::Workspace { tab, .. } => Screen::Workspace(*tab),
            Route::Deployment { tab, .. } => Screen::Deployment(*tab),
            Route::AllDeployments => Screen::AllDeployments,
            Route::Admin { tab } => Screen::Admin(*tab),
            Route::Clusters => Screen::Clusters,
            Route::FleetRuns => Screen::FleetRuns,
            Route::DagRuns { .. } => Screen::DagRuns,
            Route::TaskInstances { .. } => Screen::TaskInstances,
            Route::TaskLog { .. } => Screen::TaskLog,
        }
    }

    /// The deployment whose Airflow a route below the DAGs tab reads.
    pub(crate) fn airflow_deployment(&self) -> Option<&DeploymentId> {
        match self {
            Route::DagRuns { deployment, .. }
            | Route::TaskInstances { deployment, .. }
            | Route::TaskLog { deployment, .. } => Some(deployment),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Nav {
    pub routes: Vec<Route>,
    /// The route stacks visited before, newest last: `-` returns to them one by one.
    pub(crate) history: Vec<Vec<Route>>,
}

/// How many views `-` can go back through.
const HISTORY_LIMIT: usize = 100;

impl Nav {
    /// Note the current view before moving away from it (`-` comes back here).
    pub(crate) fn remember(&mut self) {
        if self.history.last() != Some(&self.routes) {
            self.history.push(self.routes.clone());
        }
        if self.history.len() > HISTORY_LIMIT {
            self.history.remove(0);
        }
    }
}
