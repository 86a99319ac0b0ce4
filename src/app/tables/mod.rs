//! Tables: which lists the app shows (`TableId`), and how each resource is drawn, searched,
//! sorted and copied (`Spec`, one per resource in `specs`). Each table's view state — filter,
//! sort and a selection that follows the item — is `state`'s `TableState`.

pub(crate) mod admin_specs;
pub mod all_deployments;
pub(crate) mod clusters;
pub(crate) mod dag_runs;
pub(crate) mod dags;
pub(crate) mod fleet;
pub(crate) mod import_errors;
pub(crate) mod natural;
pub(crate) mod specs;
mod state;
pub(crate) mod workers;

use std::any::Any;
use std::cmp::Ordering;

use serde::Serialize;

use super::cache::Cache;
use crate::houston::model::*;
use crate::houston::request::Request;
pub(crate) use state::TableState;

/// A selectable list on some screen. Its view state is remembered per table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TableId {
    Workspaces,
    Deployments(WorkspaceId),
    WorkspaceUsers(WorkspaceId),
    Invites(WorkspaceId),
    WorkspaceTeams(WorkspaceId),
    WorkspaceServiceAccounts(WorkspaceId),
    Variables(DeploymentId),
    DeploymentServiceAccounts(DeploymentId),
    DeploymentUsers(DeploymentId),
    /// The teams under the users of a deployment's Users tab.
    DeploymentTeams(DeploymentId),
    /// Every deployment the caller can see (`Route::AllDeployments`).
    AllDeployments,
    /// Deployments shared with a caller who has no workspace (`app::shared`), on the account
    /// dashboard.
    SharedDeployments,
    /// The System Admin panel's lists.
    SystemUsers,
    SystemInvites,
    SystemWorkspaces,
    /// Each deployment's task runs over the last N days.
    TaskUsage(u16),
    SystemServiceAccounts,
    /// A deployment's DAGs, from its own Airflow (`Cache::airflow`).
    Dags(DeploymentId),
    /// A DAG's runs (Enter on a DAG).
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
    /// The platform's clusters (`Route::Clusters`, Houston 1.0+).
    Clusters,
    /// The import errors of a deployment's Airflow, on its Overview.
    ImportErrors(DeploymentId),
    /// A Celery deployment's workers, from its Flower.
    Workers(DeploymentId),
    /// The failing and long-running runs of every deployment (`Route::FleetRuns`), from their
    /// Airflows.
    FleetRuns,
}

impl TableId {
    /// The cached request holding this table's rows.
    pub(crate) fn request(&self, cache: &Cache) -> Option<Request> {
        Some(match self {
            TableId::Workspaces => return cache.workspaces_request(),
            TableId::Deployments(ws) => Request::Deployments(ws.clone()),
            TableId::WorkspaceUsers(ws) => Request::WorkspaceUsers(ws.clone()),
            TableId::Invites(ws) => Request::WorkspaceInvites(ws.clone()),
            TableId::WorkspaceTeams(ws) => Request::WorkspaceTeams(ws.clone()),
            TableId::WorkspaceServiceAccounts(ws) => Request::WorkspaceServiceAccounts(ws.clone()),
            TableId::Variables(d) => Request::DeploymentVariables(d.clone()),
            TableId::DeploymentServiceAccounts(d) => Request::DeploymentServiceAccounts(d.clone()),
            TableId::DeploymentUsers(d) => Request::DeploymentUsers(d.clone()),
            TableId::DeploymentTeams(d) => Request::DeploymentTeams(d.clone()),
            TableId::AllDeployments => crate::app::all_deployments::representative_request(cache),
            TableId::SharedDeployments => crate::app::shared::requests(cache).into_iter().next()?,
            TableId::SystemUsers => Request::SystemUsers,
            TableId::SystemWorkspaces => return cache.system_workspaces_request(),
            TableId::TaskUsage(_) => Request::AllDeployments,
            TableId::SystemInvites => Request::SystemInvites,
            TableId::SystemServiceAccounts => Request::SystemServiceAccounts,
            // Not Houston's: read from the deployment's Airflow (`update::airflow`).
            TableId::Dags(_)
            | TableId::DagRuns { .. }
            | TableId::TaskInstances { .. }
            | TableId::ImportErrors(_)
            | TableId::Workers(_) => return None,
            // Many deployments' Airflows, over the deployment lists.
            TableId::FleetRuns => crate::app::all_deployments::representative_request(cache),
            TableId::Clusters => Request::Clusters,
        })
    }

    /// The Airflow read holding this table's rows (the DAGs tab's first of three; a Flower that
    /// refuses its API gives the Workers tab's rows from its metrics).
    pub(crate) fn airflow_request(
        &self,
        cache: &Cache,
    ) -> Option<crate::app::airflow::AirflowRequest> {
        use crate::app::airflow::AirflowRequest;
        Some(match self {
            TableId::Dags(d) => AirflowRequest::Dags(d.clone()),
            TableId::ImportErrors(d) => AirflowRequest::ImportErrors(d.clone()),
            TableId::Workers(d) if cache.flower_refused(d) => {
                AirflowRequest::FlowerStatus(d.clone())
            }
            TableId::Workers(d) => AirflowRequest::Workers(d.clone()),
            TableId::DagRuns { deployment, dag_id } => AirflowRequest::DagRuns {
                deployment: deployment.clone(),
                dag_id: dag_id.clone(),
            },
            TableId::TaskInstances {
                deployment,
                dag_id,
                run_id,
            } => AirflowRequest::TaskInstances {
                deployment: deployment.clone(),
                dag_id: dag_id.clone(),
                run_id: run_id.clone(),
            },
            _ => return None,
        })
    }

    /// Changes whenever this table's rows change (0: never loaded).
    pub fn generation(&self, cache: &Cache) -> u64 {
        match self {
            // The Airflow columns change with any Airflow reply.
            TableId::AllDeployments | TableId::FleetRuns => {
                crate::app::all_deployments::lists(cache)
                    .generation
                    .wrapping_mul(1_000_003)
                    .wrapping_add(cache.airflow.latest())
            }
            TableId::SharedDeployments => crate::app::shared::generation(cache),
            TableId::TaskUsage(days) => crate::app::task_usage::generation(cache, *days),
            TableId::Dags(d) => crate::app::dags::generation(cache, d),
            TableId::DagRuns { .. } | TableId::TaskInstances { .. } | TableId::ImportErrors(_) => {
                self.airflow_request(cache)
                    .map_or(0, |r| cache.airflow.generation(&r))
            }
            // From the API, else from the metrics: either read changes the rows.
            TableId::Workers(d) => {
                let of = |r| cache.airflow.generation(&r);
                of(crate::app::airflow::AirflowRequest::Workers(d.clone()))
                    .wrapping_mul(1_000_003)
                    .wrapping_add(of(crate::app::airflow::AirflowRequest::FlowerStatus(
                        d.clone(),
                    )))
            }
            // The counts follow the deployment lists too.
            TableId::Clusters => cache
                .generation(&Request::Clusters)
                .wrapping_mul(1_000_003)
                .wrapping_add(crate::app::all_deployments::lists(cache).generation),
            other => other.request(cache).map_or(0, |r| cache.generation(&r)),
        }
    }
}

/// What a cell means; the UI picks the style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Look {
    Plain,
    /// The row's name.
    Title,
    Dim,
    Accent,
    Warning,
    Secret,
    Status(DeploymentStatus),
    /// Run or task states as marks (`●✗▶○`): each coloured by the state it stands for.
    Marks,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub(crate) look: Look,
}

impl Cell {
    pub(crate) fn plain(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            look: Look::Plain,
        }
    }
    pub(crate) fn with(text: impl Into<String>, look: Look) -> Cell {
        Cell {
            text: text.into(),
            look,
        }
    }
}

/// What cells may depend on besides the row.
#[derive(Debug, Clone, Copy)]
pub struct CellEnv {
    pub now: Timestamp,
    pub system_admin: bool,
}

/// How a column is laid out (shared by every resource).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub title: &'static str,
    /// Minimum (and, unless `flex`, exact) width.
    pub(crate) width: u16,
    /// Takes a share of the width left over.
    pub(crate) flex: bool,
    /// 0 is always shown; higher numbers are dropped first when space runs out.
    pub(crate) priority: u8,
}

pub(crate) struct Column<T> {
    pub(crate) layout: Layout,
    pub(crate) cell: fn(&T, &CellEnv) -> Cell,
    pub(crate) sort: fn(&T, &T) -> Ordering,
}

// By hand: a derive would ask `T: Copy`, and a column only holds functions of `&T`.
impl<T> Clone for Column<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Column<T> {}

/// Something `y` can copy from a row.
pub(crate) struct CopyTarget<T> {
    pub(crate) label: &'static str,
    pub(crate) value: fn(&T) -> Option<String>,
}

/// Calls its `&mut dyn FnMut` with each searchable text of a row until that returns true.
pub(crate) type SearchFn<T> = fn(&T, &mut dyn FnMut(&str) -> bool) -> bool;

/// Everything the app knows about drawing, finding and sorting one resource.
pub(crate) struct Spec<T: 'static> {
    /// Table title, e.g. `Deployments`.
    pub title: &'static str,
    /// One row, in a sentence: `deployment`.
    pub(crate) noun: &'static str,
    /// What a row is called where it is described (`d`): a label, a name, a key.
    pub(crate) name: fn(&T) -> &str,
    pub(crate) columns: &'static [Column<T>],
    /// The stable identity of a row (its id).
    pub(crate) key: fn(&T) -> &str,
    pub(crate) search: SearchFn<T>,
    pub(crate) default_sort: Option<Sort>,
    pub(crate) copy: &'static [CopyTarget<T>],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub descending: bool,
}

/// One table's data and spec, without their type.
pub trait Rows {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn key(&self, i: usize) -> &str;
    /// `needle` is lower-case.
    fn matches(&self, i: usize, needle: &str) -> bool;
    fn compare(&self, column: usize, a: usize, b: usize) -> Ordering;
    fn cell(&self, i: usize, column: usize, env: &CellEnv) -> Cell;
    fn layouts(&self) -> Vec<Layout>;
    fn title(&self) -> &'static str;
    fn noun(&self) -> &'static str;
    fn default_sort(&self) -> Option<Sort>;
    /// What `y` offers for row `i`: (label, text).
    fn copy_targets(&self, i: usize) -> Vec<(&'static str, String)>;
    /// Row `i` for `d`: its name and its data as Houston named it (secrets not yet masked).
    fn describe(&self, i: usize) -> Option<(String, serde_json::Value)>;
    /// Row `i` itself, read as its type by `AppState::selected`.
    fn item(&self, i: usize) -> Option<&dyn Any>;
}

/// Where a table's rows come from: one cached list, or several read as one (never copied).
#[allow(clippy::len_without_is_empty)] // a table asks its rows' count, never emptiness
pub(crate) trait RowSource<T> {
    fn len(&self) -> usize;
    fn get(&self, i: usize) -> Option<&T>;
}

impl<T> RowSource<T> for &[T] {
    fn len(&self) -> usize {
        <[T]>::len(self)
    }
    fn get(&self, i: usize) -> Option<&T> {
        <[T]>::get(self, i)
    }
}

/// Rows computed from several cached replies (the System Admin panel's task usage).
impl<T> RowSource<T> for Vec<T> {
    fn len(&self) -> usize {
        <[T]>::len(self)
    }
    fn get(&self, i: usize) -> Option<&T> {
        <[T]>::get(self, i)
    }
}

/// Rows from a source, drawn, searched, sorted and copied as `spec` says.
struct SpecRows<S, T: 'static> {
    source: S,
    spec: &'static Spec<T>,
}

impl<S: RowSource<T>, T: Serialize> Rows for SpecRows<S, T> {
    fn len(&self) -> usize {
        self.source.len()
    }
    fn key(&self, i: usize) -> &str {
        self.source.get(i).map_or("", |r| (self.spec.key)(r))
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        self.source
            .get(i)
            .is_some_and(|r| (self.spec.search)(r, &mut |text| contains_ignore_case(text, needle)))
    }
    fn compare(&self, column: usize, a: usize, b: usize) -> Ordering {
        match (
            self.source.get(a),
            self.source.get(b),
            self.spec.columns.get(column),
        ) {
            (Some(x), Some(y), Some(c)) => (c.sort)(x, y),
            _ => Ordering::Equal,
        }
    }
    fn cell(&self, i: usize, column: usize, env: &CellEnv) -> Cell {
        match (self.source.get(i), self.spec.columns.get(column)) {
            (Some(r), Some(c)) => (c.cell)(r, env),
            _ => Cell::plain(""),
        }
    }
    fn layouts(&self) -> Vec<Layout> {
        self.spec.columns.iter().map(|c| c.layout).collect()
    }
    fn title(&self) -> &'static str {
        self.spec.title
    }
    fn noun(&self) -> &'static str {
        self.spec.noun
    }
    fn default_sort(&self) -> Option<Sort> {
        self.spec.default_sort
    }
    fn copy_targets(&self, i: usize) -> Vec<(&'static str, String)> {
        let Some(row) = self.source.get(i) else {
            return Vec::new();
        };
        self.spec
            .copy
            .iter()
            .filter_map(|c| (c.value)(row).map(|v| (c.label, v)))
            .collect()
    }
    fn describe(&self, i: usize) -> Option<(String, serde_json::Value)> {
        let row = self.source.get(i)?;
        Some((
            (self.spec.name)(row).to_string(),
            serde_json::to_value(row).ok()?,
        ))
    }
    fn item(&self, i: usize) -> Option<&dyn Any> {
        self.source.get(i).map(|r| r as &dyn Any)
    }
}

/// The rows of `source` with `spec`.
pub(crate) fn spec_rows<'a, S: RowSource<T> + 'a, T: Serialize>(
    source: S,
    spec: &'static Spec<T>,
) -> Box<dyn Rows + 'a> {
    Box::new(SpecRows { source, spec })
}

fn rows_of<'a, T: Serialize>(data: Option<&'a [T]>, spec: &'static Spec<T>) -> Box<dyn Rows + 'a> {
    spec_rows(data.unwrap_or(&[]), spec)
}

/// What `y` offers for one item of a resource (a dashboard's own workspace or deployment).
pub(crate) fn copy_targets_of<T: Serialize>(
    spec: &'static Spec<T>,
    item: &T,
) -> Vec<(&'static str, String)> {
    rows_of(Some(std::slice::from_ref(item)), spec).copy_targets(0)
}

/// The rows of `table` (empty until loaded), with their spec.
pub fn rows<'a>(cache: &'a Cache, table: &TableId) -> Box<dyn Rows + 'a> {
    match table {
        TableId::Workspaces => rows_of(cache.workspaces(), &specs::WORKSPACES),
        TableId::Deployments(ws) => {
            let list = cache.deployments(ws);
            if clusters::on_clusters(list) {
                rows_of(list, &clusters::DEPLOYMENTS_ON_CLUSTERS)
            } else {
                rows_of(list, &specs::DEPLOYMENTS)
            }
        }
        TableId::WorkspaceUsers(ws) => rows_of(cache.workspace_users(ws), &specs::WORKSPACE_USERS),
        TableId::Invites(ws) => rows_of(cache.invites(ws), &specs::INVITES),
        TableId::WorkspaceTeams(ws) => rows_of(cache.workspace_teams(ws), &specs::TEAMS),
        TableId::WorkspaceServiceAccounts(ws) => rows_of(
            cache.workspace_service_accounts(ws),
            &specs::SERVICE_ACCOUNTS,
        ),
        TableId::Variables(d) => rows_of(cache.variables(d), &specs::VARIABLES),
        TableId::DeploymentServiceAccounts(d) => rows_of(
            cache.deployment_service_accounts(d),
            &specs::SERVICE_ACCOUNTS,
        ),
        TableId::DeploymentUsers(d) => rows_of(cache.deployment_users(d), &specs::DEPLOYMENT_USERS),
        TableId::DeploymentTeams(d) => rows_of(cache.deployment_teams(d), &specs::TEAMS),
        TableId::AllDeployments => all_deployments::rows(cache),
        TableId::SharedDeployments => all_deployments::shared_rows(cache),
        TableId::SystemUsers => rows_of(cache.system_users(), &admin_specs::PLATFORM_USERS),
        TableId::SystemInvites => rows_of(cache.system_invites(), &admin_specs::SYSTEM_INVITES),
        TableId::SystemWorkspaces => rows_of(cache.system_workspaces(), &specs::WORKSPACES),
        TableId::TaskUsage(days) => spec_rows(
            crate::app::task_usage::rows(cache, *days),
            &admin_specs::TASK_USAGE,
        ),
        TableId::SystemServiceAccounts => {
            rows_of(cache.system_service_accounts(), &specs::SERVICE_ACCOUNTS)
        }
        TableId::Dags(d) => rows_of(crate::app::dags::rows(cache, d), &dags::DAGS),
        TableId::DagRuns { deployment, dag_id } => {
            rows_of(cache.airflow_runs(deployment, dag_id), &dag_runs::RUNS)
        }
        TableId::TaskInstances {
            deployment,
            dag_id,
            run_id,
        } => rows_of(
            cache.airflow_task_instances(deployment, dag_id, run_id),
            &dag_runs::TASK_INSTANCES,
        ),
        TableId::Clusters => clusters::rows(cache),
        TableId::ImportErrors(d) => rows_of(
            cache.airflow_import_errors(d),
            &import_errors::IMPORT_ERRORS,
        ),
        TableId::Workers(d) => rows_of(cache.flower_workers(d), &workers::WORKERS),
        TableId::FleetRuns => fleet::fleet_runs(cache),
    }
}

/// Whether `haystack` contains `needle_lower` (already lower-cased), ignoring case, without
/// allocating for ASCII text.
pub(crate) fn contains_ignore_case(haystack: &str, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if haystack.is_ascii() && needle_lower.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
        return h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(needle_lower)
}

#[cfg(test)]
mod tests;
