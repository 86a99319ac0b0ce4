//! What the visible view needs and shows: the requests that keep it current, its freshness for
//! the header, its breadcrumbs and the message that belongs to it.

use super::{AdminTab, AppState, DeploymentTab, Message, Route, WorkspaceTab};
use crate::app::modal::Modal;
use crate::app::remote::Remote;
use crate::houston::ApiError;
use crate::houston::model::{Deployment, Timestamp};
use crate::houston::request::{Payload, Request};

/// A summary of the visible view's data, for the header.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewStatus {
    /// When the oldest visible data arrived.
    pub updated_at: Option<Timestamp>,
    pub(crate) in_flight: bool,
    /// The first failure among the visible data, if any (the data on screen is then stale).
    pub failed: Option<ApiError>,
}

impl AppState {
    /// The requests that keep the visible view up to date.
    pub fn visible_requests(&self) -> Vec<Request> {
        if self.session.login.is_some() {
            return match self.cache.auth_config() {
                Some(_) => vec![],
                None => vec![Request::AuthConfig],
            };
        }
        let Some(workspaces) = self.cache.workspaces_request() else {
            return vec![Request::Me];
        };
        match self.route() {
            Route::Account => {
                let mut out = vec![workspaces];
                out.extend(crate::app::shared::requests(&self.cache));
                out
            }
            Route::Workspace { id, tab } => {
                let ws = id.clone();
                match tab {
                    WorkspaceTab::Deployments => {
                        // Once the rows are here, statuses keep them live (`freshness`).
                        let rows = Request::Deployments(ws.clone());
                        let loaded = self.cache.deployments(&ws).is_some();
                        let mut out = vec![rows];
                        if loaded {
                            out.push(Request::DeploymentStatuses(ws));
                        }
                        out
                    }
                    // Asking without the permission only earns "Permission denied".
                    WorkspaceTab::Invites if !self.can_see_invites(id) => vec![],
                    WorkspaceTab::Settings => vec![workspaces],
                    // A table tab: the requests that fill its tables.
                    table_tab => table_tab
                        .tables(&ws)
                        .iter()
                        .filter_map(|table| table.request(&self.cache))
                        .collect(),
                }
            }
            Route::Deployment { id, tab } => {
                let d = id.clone();
                let mut out = vec![Request::Deployment(d.clone())];
                // The requests that fill the tab's tables (a table of the deployment's own
                // data needs nothing more).
                for table in tab.tables(&d) {
                    if let Some(request) = table.request(&self.cache)
                        && !out.contains(&request)
                    {
                        out.push(request);
                    }
                }
                // Logs arrive on a stream; what it starts from is read once.
                if *tab == DeploymentTab::Logs {
                    out.extend(self.live.log_request(&d));
                }
                out
            }
            // `:dags` covers the same deployments; their Airflows are read by `update::fleet`.
            Route::AllDeployments | Route::FleetRuns => {
                crate::app::all_deployments::visible_requests(&self.cache)
            }
            Route::Admin {
                tab: AdminTab::TaskUsage,
            } => crate::app::task_usage::requests(&self.cache, self.ui.task_usage_days),
            Route::Admin { tab } => tab
                .tables(self.ui.task_usage_days)
                .iter()
                .filter_map(|table| table.request(&self.cache))
                .collect(),
            Route::Clusters => crate::app::clusters::visible_requests(&self.cache),
            // Below the DAGs tab the rows are Airflow's (`update::airflow::visible_requests`);
            // Houston's deployment says where that Airflow is.
            Route::DagRuns { deployment, .. }
            | Route::TaskInstances { deployment, .. }
            | Route::TaskLog { deployment, .. } => vec![Request::Deployment(deployment.clone())],
        }
    }

    /// Data the visible view needs once but does not keep fresh: the workspace list (names and
    /// capabilities of the workspace dashboards) and, while a deployment form is open, the
    /// platform's deployment limits.
    pub fn supporting_requests(&self) -> Vec<Request> {
        // The server's version first (public): it picks the documents every later request uses.
        let mut out = vec![Request::AppConfig];
        if self.session.login.is_some() {
            out.retain(|r| self.cache.remote(r).is_none());
            return out;
        }
        if let Some(workspaces) = self.cache.workspaces_request()
            && !matches!(self.route(), Route::Account)
        {
            out.push(workspaces);
        }
        // A `:deploy NAME` waiting for the platform-wide list: no view switch cancels it.
        if let Some(wanted) = &self.ui.deploy_search {
            out.extend(crate::app::all_deployments::lookup_requests(
                &self.cache,
                wanted,
            ));
        }
        // Deployment forms need the platform's limits and versions: load them with the views
        // that offer those forms.
        let form_needs_config = self
            .ui
            .modals
            .iter()
            .any(|m| matches!(m, Modal::Form(f) if f.kind.needs_deployment_config()));
        let offers_deployment_forms = !self.session.read_only
            && matches!(
                self.route(),
                Route::Deployment { .. }
                    | Route::Workspace {
                        tab: WorkspaceTab::Deployments,
                        ..
                    }
            );
        if form_needs_config || offers_deployment_forms {
            out.push(Request::DeploymentConfig);
            // Houston 1.0+: where a new deployment may go.
            let create_form = self.ui.modals.iter().find_map(|m| match m {
                Modal::Form(f)
                    if matches!(f.kind, crate::app::forms::FormKind::CreateDeployment(_)) =>
                {
                    Some(&f.form)
                }
                _ => None,
            });
            out.extend(crate::app::forms::placement::requests(self, create_form));
        }
        out.retain(|r| self.cache.remote(r).is_none());
        // An edit asked for on a list waits for the whole deployment: keep it on its way.
        if let Some(id) = &self.freshness.awaiting_edit {
            out.push(Request::Deployment(id.clone()));
        }
        if let Some((_, releases)) = &self.freshness.awaiting_upgrade {
            out.push(releases.clone());
        }
        // An edit waits for the server to be read again before anything is sent: keep those
        // reads on their way too.
        for m in &self.ui.modals {
            let check = match m {
                Modal::Form(f) => f.check.as_ref(),
                Modal::Confirm(c) => c.check.as_ref(),
                _ => None,
            };
            out.extend(
                check
                    .into_iter()
                    .flat_map(|c| c.waiting.iter().map(|(r, _)| r.clone())),
            );
        }
        out
    }

    /// Freshness of what is on screen, for the header.
    pub fn view_status(&self) -> ViewStatus {
        let mut status = ViewStatus {
            updated_at: None,
            in_flight: false,
            failed: None,
        };
        for req in self.visible_requests() {
            status.in_flight |= self.net.in_flight.contains(&req);
            let Some(remote) = self.cache.remote(&req) else {
                continue;
            };
            if let Some(at) = remote.data_at() {
                status.updated_at = Some(status.updated_at.map_or(at, |u| u.min(at)));
            }
            if status.failed.is_none() {
                status.failed = remote.error().cloned();
            }
        }
        status
    }

    /// The remote behind a request, for "Loading…" / "Could not load" placeholders.
    pub(crate) fn remote(&self, req: &Request) -> Option<&Remote<Payload>> {
        self.cache.remote(req)
    }

    /// Breadcrumbs: `context › workspace › deployment › tab`.
    pub fn breadcrumbs(&self) -> Vec<String> {
        let mut out = vec![self.session.context_name.clone()];
        if self.session.login.is_some() {
            out.push("Login".into());
            return out;
        }
        let mut previous: Option<&Route> = None;
        for route in &self.nav.routes {
            match route {
                Route::Account => {}
                Route::Workspace { id, .. } => out.push(
                    self.cache
                        .workspace(id)
                        .map_or_else(|| id.to_string(), |w| w.label.clone()),
                ),
                Route::Deployment { id, .. } => {
                    let d = self.cache.deployment(id);
                    // Opened from elsewhere than its workspace (all deployments, the palette):
                    // its workspace still belongs in the path.
                    let under_workspace = matches!(previous, Some(Route::Workspace { .. }));
                    if !under_workspace && let Some(ws) = d.and_then(|d| self.workspace_name(d)) {
                        out.push(ws);
                    }
                    out.push(d.map_or_else(|| id.to_string(), |d| d.label.clone()));
                }
                Route::AllDeployments | Route::Clusters | Route::FleetRuns => {}
                Route::Admin { .. } => out.push("System Admin".into()),
                Route::DagRuns { .. } | Route::TaskInstances { .. } | Route::TaskLog { .. } => {
                    out.extend(self.airflow_crumbs(route, previous));
                }
            }
            previous = Some(route);
        }
        match self.route() {
            Route::Account if crate::app::shared::is_dashboard(&self.cache) => {
                out.push("Deployments shared with you".into())
            }
            Route::Account => out.push("Workspaces".into()),
            Route::Workspace { tab, .. } => out.push(tab.title().into()),
            Route::Deployment { tab, .. } => out.push(tab.title().into()),
            Route::AllDeployments => out.push("All deployments".into()),
            Route::Admin { tab } => out.push(tab.title().into()),
            Route::Clusters => out.push("Clusters".into()),
            Route::FleetRuns => out.push("DAG runs".into()),
            Route::DagRuns { .. } => out.push("Runs".into()),
            Route::TaskInstances { .. } => out.push("Task instances".into()),
            Route::TaskLog { .. } => out.push("Log".into()),
        }
        out
    }

    /// `deployment › DAG › run › task` down to `route`'s level, without what the route
    /// before it (its parent, when walked down to) already named.
    fn airflow_crumbs(&self, route: &Route, previous: Option<&Route>) -> Vec<String> {
        let (deployment, path): (_, Vec<String>) = match route {
            Route::DagRuns { deployment, dag_id } => (deployment, vec![dag_id.clone()]),
            Route::TaskInstances {
                deployment,
                dag_id,
                run_id,
            } => (deployment, vec![dag_id.clone(), run_id.clone()]),
            Route::TaskLog {
                deployment,
                dag_id,
                run_id,
                task_id,
                map_index,
                ..
            } => (
                deployment,
                vec![
                    dag_id.clone(),
                    run_id.clone(),
                    crate::airflow::model::instance_name(task_id, *map_index),
                ],
            ),
            _ => return Vec::new(),
        };
        let label = self
            .cache
            .deployment(deployment)
            .map_or_else(|| deployment.to_string(), |d| d.label.clone());
        let mut chain = vec![label];
        chain.extend(path);
        let named = match previous {
            Some(Route::Deployment { id, .. }) if id == deployment => 1,
            Some(p) if p.airflow_deployment() == Some(deployment) => {
                self.airflow_crumbs(p, None).len()
            }
            _ => 0,
        };
        chain.split_off(named.min(chain.len()))
    }

    /// The name of the workspace deployment `d` belongs to, if known.
    fn workspace_name(&self, d: &Deployment) -> Option<String> {
        d.workspace_id
            .as_ref()
            .and_then(|ws| self.cache.workspace(ws))
            .map(|w| w.label.clone())
            .or_else(|| d.workspace_label.clone())
    }

    /// The message to show now: only in the view it belongs to.
    pub fn visible_message(&self) -> Option<&Message> {
        self.ui
            .message
            .as_ref()
            .filter(|m| m.route.as_ref().is_none_or(|r| r == self.route()))
    }
}
