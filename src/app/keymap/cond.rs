//! The conditions a binding (or a registry row of `app::changes`) exists under: plain data,
//! checked by `conditions::holds`.

/// When a binding exists. All conditions of a binding must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cond {
    /// Not read-only.
    Writable,
    /// The screen has a table.
    HasTable,
    /// A row is selected (or the dashboard has its own subject).
    HasRow,
    /// The deployment in question runs the Celery executor.
    Celery,
    /// The deployment in question has an Airflow upgrade pending.
    UpgradePending,
    /// There is a level to go back to.
    CanGoBack,
    /// There is a previous view to return to (`-`).
    HasHistory,
    /// The screen's rows open something (workspaces, deployments): Enter and `l` go in.
    Opens,
    /// The caller's role allows it (from Houston's capabilities).
    Can(Cap),
    /// The log view is paused (not following the newest lines).
    LogPaused,
    /// The log view has a search.
    LogSearch,
    /// The log view shows at least one line.
    LogLines,
    /// The log view has more than one tab (components, or a task's tries).
    LogTabs,
    /// The DAG under the cursor is paused (`true`) or not (`false`): `p` says which it does.
    DagPaused(bool),
}

/// Capabilities Houston computes per workspace/deployment (docs/houston.md, "RBAC and
/// capabilities").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cap {
    CreateWorkspace,
    UpdateSelf,
    UpdateWorkspace,
    DeleteWorkspace,
    CreateDeployment,
    UpdateDeployment,
    DeleteDeployment,
    UpdateVariables,
    /// Invite, change roles, remove users, revoke invites.
    ManageUsers,
    CreateServiceAccount,
    UpdateServiceAccount,
    DeleteServiceAccount,
    ManageDeploymentUsers,
    /// Rename a cluster (`system.clusters.update`: a system admin's).
    UpdateCluster,
    /// Act inside the deployment's Airflow (pause, trigger, clear, mark): Airflow's User role,
    /// which a deployment Editor or Admin has (`deployment.airflow.user`), or a system admin.
    ActInAirflow,
    /// The System Admin panel and its changes: a system admin (`canSysAdmin`).
    SysAdmin,
}
