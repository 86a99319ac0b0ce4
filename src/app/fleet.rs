//! The fleet: many deployments' Airflows read together, for the all-deployments view's Airflow
//! columns and for `:dags` (the failing and long-running runs of every deployment). What each
//! view reads per deployment (`reads`), what the replies say about one deployment (`Facts`),
//! and the bookkeeping of the scheduler that spreads the reads (`FleetState`; the scheduler
//! itself is `update::fleet`).
//!
//! What is read, per deployment: for the Airflow columns its failed runs of the last day (one
//! page, counted exactly by the server's `total_entries`), import errors and health; for
//! `:dags` its failed runs and, apart, its runs still running whatever their age, the
//! earliest start first (a run stuck for days is in the page: a window on start dates would
//! miss it).
//!
//! The budget, per deployment shown: its first reading is every read the view needs (three
//! for the Airflow columns, two for `:dags`); after that at most one read a minute
//! (`MIN_INTERVAL_SECS`), the stalest first, so each read is renewed every few minutes. At
//! most `MAX_IN_FLIGHT` reads are on their way across the fleet, one per deployment. Nothing
//! is read for a view not shown.

use std::collections::{BTreeSet, HashMap};

use super::airflow::{AirflowPayload, AirflowRequest};
use super::all_deployments::lists;
use super::cache::Cache;
use super::state::route::Route;
use crate::airflow::model::{DagRun, Health};
use crate::houston::model::{Deployment, DeploymentId, Timestamp};

/// Reads on their way across the fleet, at most.
pub const MAX_IN_FLIGHT: usize = 8;
/// Once a deployment's view is filled: at most one read of its Airflow this often.
pub(crate) const MIN_INTERVAL_SECS: i64 = 60;
/// A run still running after this long is "long-running" in `:dags`.
pub(crate) const LONG_RUNNING_SECS: i64 = 3600;

/// The scheduler's bookkeeping.
#[derive(Debug, Clone, Default)]
pub struct FleetState {
    /// When the fleet last sent a read to each deployment's Airflow.
    pub(crate) last_sent: HashMap<DeploymentId, Timestamp>,
    /// The fleet's reads on their way (their failures are counted, not shouted).
    pub in_flight: BTreeSet<AirflowRequest>,
    /// How far the view on screen got, counted by the scheduler (a frame does not walk every
    /// deployment).
    pub(crate) progress: Progress,
}

/// What the fleet reads of one deployment for the view on screen; none for other views.
pub(crate) fn reads(route: &Route, id: &DeploymentId) -> Vec<AirflowRequest> {
    match route {
        Route::AllDeployments => vec![
            AirflowRequest::FailedRuns(id.clone()),
            AirflowRequest::ImportErrors(id.clone()),
            AirflowRequest::Health(id.clone()),
        ],
        Route::FleetRuns => vec![
            AirflowRequest::FailedRuns(id.clone()),
            AirflowRequest::RunningRuns(id.clone()),
        ],
        _ => vec![],
    }
}

/// Whether the view on screen reads the fleet.
pub(crate) fn shown(route: &Route) -> bool {
    matches!(route, Route::AllDeployments | Route::FleetRuns)
}

/// A heartbeat older than this when read is trouble (drawn as a warning, sorted up).
pub(crate) const STALE_HEARTBEAT_SECS: i64 = 300;

/// What one deployment's Airflow said, as far as it has been read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Facts {
    /// Failed runs in the 24 h before the last read: the server's total, else the page's.
    pub(crate) failed_runs: Option<usize>,
    /// The server gave no total and the page came back full (`FLEET_RUNS`): there may be more.
    pub(crate) failed_capped: bool,
    pub(crate) import_errors: Option<usize>,
    /// How old the heartbeat was when read, in seconds (`i64::MAX`: never beat).
    pub(crate) heartbeat_lag: Option<i64>,
    /// Its last read (any of them) failed.
    pub(crate) unreachable: bool,
}

impl Facts {
    pub(crate) fn of(cache: &Cache, id: &DeploymentId) -> Facts {
        let mut facts = Facts::default();
        for request in reads(&Route::AllDeployments, id) {
            let Some(remote) = cache.airflow.remote(&request) else {
                continue;
            };
            facts.unreachable |= remote.is_failed();
            match (remote.data(), remote.data_at()) {
                (Some(AirflowPayload::RunPage { runs, total }), _) => {
                    let counted = failed(runs).count();
                    facts.failed_runs = Some(total.map_or(counted, |t| t as usize));
                    facts.failed_capped =
                        total.is_none() && runs.len() >= super::airflow::FLEET_RUNS;
                }
                (Some(AirflowPayload::ImportErrors(errors)), _) => {
                    facts.import_errors = Some(errors.len())
                }
                (Some(AirflowPayload::Health(health)), Some(read_at)) => {
                    let beat = heartbeat(health);
                    facts.heartbeat_lag =
                        Some(beat.map_or(i64::MAX, |at| (read_at - at).num_seconds()));
                }
                _ => {}
            }
        }
        facts
    }

    /// How much trouble, for worst first after Houston's status: an Airflow that cannot be
    /// read, then more failed runs, then more import errors, then a stale heartbeat (older
    /// first; a fresh one is no trouble, so rows do not move as heartbeats tick). Unknown
    /// counts as none.
    pub(crate) fn trouble(&self) -> (bool, usize, usize, i64) {
        let stale = self
            .heartbeat_lag
            .filter(|lag| *lag > STALE_HEARTBEAT_SECS)
            .unwrap_or(0);
        (
            self.unreachable,
            self.failed_runs.unwrap_or(0),
            self.import_errors.unwrap_or(0),
            stale,
        )
    }
}

fn heartbeat(health: &Health) -> Option<Timestamp> {
    health.scheduler.latest_heartbeat
}

fn failed(runs: &[DagRun]) -> impl Iterator<Item = &DagRun> {
    runs.iter().filter(|r| r.state.as_deref() == Some("failed"))
}

/// How far the fleet got for the view on screen: deployments with an Airflow, those whose
/// every read has an answer, and those whose Airflow could not be read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Progress {
    pub(crate) total: usize,
    pub(crate) answered: usize,
    pub(crate) unreachable: usize,
}

/// Counted over every deployment of the view: the scheduler keeps it in `FleetState`.
pub(crate) fn progress(route: &Route, cache: &Cache) -> Progress {
    let mut p = Progress::default();
    for d in lists(cache).parts.iter().flat_map(|p| p.iter()) {
        if d.url("airflow").is_none() {
            continue;
        }
        let reads = reads(route, &d.id);
        p.total += 1;
        let remotes: Vec<_> = reads.iter().map(|r| cache.airflow.remote(r)).collect();
        if remotes
            .iter()
            .all(|r| r.is_some_and(|r| r.data().is_some() || r.is_failed()))
        {
            p.answered += 1;
        }
        if remotes.iter().any(|r| r.is_some_and(|r| r.is_failed())) {
            p.unreachable += 1;
        }
    }
    p
}

impl Progress {
    /// The line above a fleet view: how far the reading got, how many could not be read.
    pub(crate) fn line(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.answered < self.total {
            parts.push(format!(
                "Reading Airflow: {} of {} deployments…",
                self.answered, self.total
            ));
        }
        if self.unreachable > 0 {
            parts.push(format!(
                "Airflow unreachable for {} of {}",
                self.unreachable, self.total
            ));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// One row of `:dags`: a failed or long-running run and where it runs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct FleetRun {
    /// Kept when rows move: deployment, DAG and run.
    #[serde(skip)]
    pub(crate) key: String,
    pub(crate) deployment: DeploymentId,
    pub(crate) deployment_label: String,
    pub(crate) release_name: String,
    pub(crate) workspace: Option<String>,
    #[serde(flatten)]
    pub(crate) run: DagRun,
}

/// The rows of `:dags`: of every deployment read, its failed runs and the runs still running
/// for longer than `LONG_RUNNING_SECS` when read.
pub(crate) fn runs(cache: &Cache) -> Vec<FleetRun> {
    let mut out = Vec::new();
    for part in lists(cache).parts {
        for d in part {
            collect_runs(cache, d, &mut out);
        }
    }
    out
}

/// A deployment's rows from its two reads of runs. The reads are made at different times: a
/// run in both (running when one was read, failed when the other was) is taken from the newer.
fn collect_runs(cache: &Cache, d: &Deployment, out: &mut Vec<FleetRun>) {
    let mut pages: Vec<(&[DagRun], Timestamp)> = reads(&Route::FleetRuns, &d.id)
        .iter()
        .filter_map(|request| {
            let remote = cache.airflow.remote(request)?;
            match (remote.data(), remote.data_at()) {
                (Some(AirflowPayload::RunPage { runs, .. }), Some(at)) => Some((&runs[..], at)),
                _ => None,
            }
        })
        .collect();
    pages.sort_by_key(|(_, at)| std::cmp::Reverse(*at));
    let long = chrono::Duration::seconds(LONG_RUNNING_SECS);
    let mut seen = BTreeSet::new();
    for (runs, read_at) in pages {
        for run in runs {
            let keep = match run.state.as_deref() {
                Some("failed") => true,
                Some("running") => run.start_date.is_some_and(|s| read_at - s >= long),
                _ => false,
            };
            let key = format!("{}/{}/{}", d.id, run.dag_id, run.dag_run_id);
            // The newer read's word stands, kept or not.
            if seen.insert(key.clone()) && keep {
                out.push(FleetRun {
                    key,
                    deployment: d.id.clone(),
                    deployment_label: d.label.clone(),
                    release_name: d.release_name.clone(),
                    workspace: d.workspace_label.clone(),
                    run: run.clone(),
                });
            }
        }
    }
}
