//! Whether a binding's condition holds in the current state. Capabilities come from what Houston
//! computed for the caller (`workspaceCapabilities`, `deploymentCapabilities`), for the subject of
//! the key: the selected row where the screen lists things, else the screen's own workspace or
//! deployment.

use std::borrow::Cow;

use super::{Cap, Cond};
use crate::app::state::{AppState, Route};
use crate::houston::model::{Executor, Workspace};

pub(crate) fn holds(state: &AppState, cond: Cond) -> bool {
    match cond {
        Cond::Writable => !state.session.read_only,
        Cond::HasTable => state.current_table().is_some(),
        Cond::HasRow => has_row(state),
        Cond::Celery => state
            .target_deployment()
            .is_some_and(|d| d.executor == Executor::Celery),
        Cond::UpgradePending => state
            .target_deployment()
            .is_some_and(|d| d.upgrade_pending() || d.runtime_upgrade_pending()),
        // Esc also clears a message or a filter first.
        Cond::CanGoBack => {
            state.nav.routes.len() > 1
                || state.visible_message().is_some()
                || state
                    .current_table()
                    .is_some_and(|t| !state.table(&t).filter.is_empty())
        }
        Cond::HasHistory => !state.nav.history.is_empty(),
        Cond::Opens => matches!(
            state.route(),
            Route::Account
                | Route::Workspace {
                    tab: crate::app::state::WorkspaceTab::Deployments,
                    ..
                }
        ),
        Cond::Can(cap) => can(state, cap),
        Cond::LogPaused => log_view(state).is_some_and(|v| !v.following()),
        Cond::LogSearch => log_view(state).is_some_and(|v| !v.search.is_empty()),
        Cond::LogLines => log_view(state).is_some_and(|v| v.view_len() > 0),
        Cond::LogTabs => log_view(state).is_some_and(|v| v.components.len() > 1),
        Cond::DagPaused(paused) => state
            .selected::<crate::app::dags::DagRow>()
            .is_some_and(|r| r.dag.is_paused == paused),
    }
}

/// The log view on screen, if the Logs tab or a task log is shown.
fn log_view(state: &AppState) -> Option<&crate::app::logs::LogView> {
    state.shown_log_view()
}

/// A row to act on, or (on dashboards without a table) the dashboard's own subject.
fn has_row(state: &AppState) -> bool {
    match state.current_table() {
        Some(table) => state.selected_index(&table).is_some(),
        None => match state.route() {
            Route::Deployment { id, .. } => state.cache.deployment(id).is_some(),
            Route::Workspace { id, .. } => state.cache.workspace(id).is_some(),
            _ => false,
        },
    }
}

/// The workspace a workspace-level capability is about.
pub(super) fn subject_workspace(state: &AppState) -> Option<Cow<'_, Workspace>> {
    match state.route() {
        Route::Account => state.selected::<Workspace>().map(Cow::Owned),
        _ => state.current_workspace().map(Cow::Borrowed),
    }
}

fn can(state: &AppState, cap: Cap) -> bool {
    let ws = || subject_workspace(state).map(|w| w.capabilities.clone());
    let dep = || state.target_deployment().map(|d| &d.capabilities);
    let on_deployment = matches!(state.route(), Route::Deployment { .. });
    match cap {
        // Every user may create workspaces and edit their own name (the synthetic USER role);
        // a service-account key is not a user.
        Cap::CreateWorkspace | Cap::UpdateSelf => {
            state.me().is_some_and(|me| !me.is_service_account())
        }
        Cap::UpdateWorkspace => ws().is_some_and(|c| c.can_update_workspace),
        Cap::DeleteWorkspace => ws().is_some_and(|c| c.can_delete_workspace),
        Cap::CreateDeployment => ws().is_some_and(|c| c.can_create_deployment),
        Cap::UpdateDeployment => dep().is_some_and(|c| c.can_update),
        Cap::DeleteDeployment => dep().is_some_and(|c| c.can_delete),
        Cap::UpdateVariables => dep().is_some_and(|c| c.can_update_variables),
        Cap::ManageUsers => ws().is_some_and(|c| c.can_update_iam),
        Cap::ManageDeploymentUsers => dep().is_some_and(|c| c.can_update_user_role),
        Cap::CreateServiceAccount if on_deployment => {
            dep().is_some_and(|c| c.can_create_service_account)
        }
        Cap::UpdateServiceAccount if on_deployment => {
            dep().is_some_and(|c| c.can_update_service_account)
        }
        Cap::DeleteServiceAccount if on_deployment => {
            dep().is_some_and(|c| c.can_delete_service_account)
        }
        // Houston has no capability for Airflow access; `canUpdate` is the deployment Editor's
        // and Admin's, who are also Airflow's User/Admin (docs/houston.md, "RBAC").
        Cap::ActInAirflow => {
            dep().is_some_and(|c| c.can_update) || state.me().is_some_and(|me| me.is_system_admin)
        }
        Cap::SysAdmin | Cap::UpdateCluster => state.me().is_some_and(|me| me.is_system_admin),
        Cap::CreateServiceAccount => ws().is_some_and(|c| c.can_create_service_account),
        Cap::UpdateServiceAccount => ws().is_some_and(|c| c.can_update_service_account),
        Cap::DeleteServiceAccount => ws().is_some_and(|c| c.can_delete_service_account),
    }
}
