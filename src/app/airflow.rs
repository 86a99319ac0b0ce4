//! A deployment's own Airflow and Flower as the app sees them: the reads (`AirflowRequest`, also
//! the key their replies are cached under), what they come back as (`AirflowPayload`), the
//! changes (`AirflowMutation`), where a deployment's Airflow is (`AirflowTarget`, from the URLs
//! and version Houston gives), and the bookkeeping the reducer keeps for them (`AirflowState`:
//! the cache, latest-wins sequence numbers, changes in flight). Run by `Clients`.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::cache::Cache;
use crate::airflow::RunOrder::{EarliestStart, Newest};
use crate::airflow::model::{
    Dag, DagRun, Health, ImportError, TaskInstance, Worker, instance_name,
};
use crate::airflow::{AirflowClient, AirflowError, FlowerClient, MarkState};
use crate::houston::model::{Deployment, DeploymentId};

/// Where one deployment's Airflow (and Flower) answer, and which API its version speaks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AirflowTarget {
    pub deployment: DeploymentId,
    pub airflow_url: String,
    pub(crate) flower_url: Option<String>,
    pub airflow_version: String,
}

impl AirflowTarget {
    /// From the deployment as Houston describes it; `None` when it has no Airflow URL.
    pub(crate) fn of(deployment: &Deployment) -> Option<AirflowTarget> {
        let airflow_url = deployment.url("airflow")?.to_string();
        let version = deployment
            .runtime_airflow_version
            .as_deref()
            .or(deployment.airflow_version.as_deref())
            .unwrap_or_default();
        Some(AirflowTarget {
            deployment: deployment.id.clone(),
            airflow_url,
            flower_url: deployment.url("flower").map(str::to_string),
            airflow_version: version.to_string(),
        })
    }
}

/// One read of a deployment's Airflow or Flower; two equal requests fetch the same data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AirflowRequest {
    Dags(DeploymentId),
    ImportErrors(DeploymentId),
    Health(DeploymentId),
    /// A DAG's latest runs, newest first.
    DagRuns {
        deployment: DeploymentId,
        dag_id: String,
    },
    TaskInstances {
        deployment: DeploymentId,
        dag_id: String,
        run_id: String,
    },
    TaskLog {
        deployment: DeploymentId,
        dag_id: String,
        run_id: String,
        task_id: String,
        /// -1 when the task is not mapped.
        map_index: i64,
        try_number: u32,
    },
    /// Flower's workers (Celery deployments).
    Workers(DeploymentId),
    /// The failed runs of every DAG started in the last `WINDOW_HOURS`, newest first: one
    /// page, and how many there are in all (the fleet's failed count and `:dags`' failures).
    FailedRuns(DeploymentId),
    /// The runs of every DAG running now, whenever they started, the earliest start first:
    /// one page, so the longest-running are in it (`:dags`' long-running runs).
    RunningRuns(DeploymentId),
    /// The newest runs across the deployment's DAGs (the DAGs tab's run marks and ages).
    RecentRuns(DeploymentId),
    /// One DAG's newest `MARKS` runs: its marks on the DAGs tab when `RecentRuns` did not
    /// bring any (a small page; never the drill-down's `DagRuns`).
    DagMarks {
        deployment: DeploymentId,
        dag_id: String,
    },
    /// Task instances running now or failed in the last day, across DAGs (the DAGs tab's
    /// counts).
    ActiveTasks(DeploymentId),
    /// Flower's `/healthcheck` and `/metrics`: what answers when Flower refuses its API.
    FlowerStatus(DeploymentId),
}

/// How many runs of one DAG are read.
pub(crate) const RUNS_SHOWN: usize = 50;

/// How many runs each of the fleet's reads of runs takes of one deployment (one page).
pub const FLEET_RUNS: usize = 100;
/// How far back `FailedRuns` looks.
pub(crate) const WINDOW_HOURS: i64 = 24;
/// How many of the newest runs across DAGs the DAGs tab reads (a page of 100 each). While the
/// tab is shown that costs, per refresh, these pages plus the active task instances' (a page
/// per 100). When the read comes back full, a DAG with no run among them is read on its own
/// (`DagMarks`) — only the DAGs on screen, `MARKS_IN_FLIGHT` at a time (`update::dag_marks`).
pub(crate) const RECENT_RUNS: usize = 300;

/// At most this many running or failed task instances are counted on the DAGs tab.
pub(crate) const ACTIVE_TASKS: usize = 1_000;

/// How far back the DAGs tab counts failed task instances.
pub(crate) const FAILED_TASKS_HOURS: i64 = 24;

impl AirflowRequest {
    pub fn deployment(&self) -> &DeploymentId {
        match self {
            AirflowRequest::Dags(d)
            | AirflowRequest::ImportErrors(d)
            | AirflowRequest::Health(d)
            | AirflowRequest::Workers(d)
            | AirflowRequest::FailedRuns(d)
            | AirflowRequest::RunningRuns(d)
            | AirflowRequest::RecentRuns(d)
            | AirflowRequest::ActiveTasks(d)
            | AirflowRequest::FlowerStatus(d)
            | AirflowRequest::DagRuns { deployment: d, .. }
            | AirflowRequest::DagMarks { deployment: d, .. }
            | AirflowRequest::TaskInstances { deployment: d, .. }
            | AirflowRequest::TaskLog { deployment: d, .. } => d,
        }
    }

    pub async fn run(
        &self,
        airflow: &AirflowClient,
        flower: Option<&FlowerClient>,
    ) -> Result<AirflowPayload, AirflowError> {
        Ok(match self {
            AirflowRequest::Dags(_) => AirflowPayload::Dags(airflow.dags().await?),
            AirflowRequest::ImportErrors(_) => {
                AirflowPayload::ImportErrors(airflow.import_errors().await?)
            }
            AirflowRequest::Health(_) => AirflowPayload::Health(airflow.health().await?),
            AirflowRequest::DagRuns { dag_id, .. } => {
                AirflowPayload::Runs(airflow.dag_runs(dag_id, RUNS_SHOWN).await?)
            }
            AirflowRequest::DagMarks { dag_id, .. } => {
                AirflowPayload::Runs(airflow.dag_runs(dag_id, super::dags::MARKS).await?)
            }
            AirflowRequest::TaskInstances { dag_id, run_id, .. } => {
                AirflowPayload::TaskInstances(airflow.task_instances(dag_id, run_id).await?)
            }
            AirflowRequest::TaskLog {
                dag_id,
                run_id,
                task_id,
                map_index,
                try_number,
                ..
            } => AirflowPayload::Log(
                airflow
                    .task_log(dag_id, run_id, task_id, *map_index, *try_number)
                    .await?,
            ),
            AirflowRequest::FailedRuns(_) => {
                // The executor's clock: the window moves with each read, not the cache key.
                let since = chrono::Utc::now() - chrono::Duration::hours(WINDOW_HOURS);
                let read = airflow.run_page_across(&["failed"], Some(since), Newest, FLEET_RUNS);
                let (runs, total) = read.await?;
                AirflowPayload::RunPage { runs, total }
            }
            // Not `queued`: a queued run has no start yet, so it is not running long.
            AirflowRequest::RunningRuns(_) => {
                let read = airflow.run_page_across(&["running"], None, EarliestStart, FLEET_RUNS);
                let (runs, total) = read.await?;
                AirflowPayload::RunPage { runs, total }
            }
            // `~`: every DAG, newest first.
            AirflowRequest::RecentRuns(_) => {
                AirflowPayload::Runs(airflow.dag_runs("~", RECENT_RUNS).await?)
            }
            AirflowRequest::ActiveTasks(_) => {
                let since = chrono::Utc::now() - chrono::Duration::hours(FAILED_TASKS_HOURS);
                AirflowPayload::TaskInstances(
                    airflow
                        .task_instances_across(&["running", "failed"], Some(since), ACTIVE_TASKS)
                        .await?,
                )
            }
            AirflowRequest::Workers(_) => {
                AirflowPayload::Workers(no_flower(flower)?.workers().await?)
            }
            AirflowRequest::FlowerStatus(_) => {
                let flower = no_flower(flower)?;
                AirflowPayload::FlowerStatus(FlowerStatus {
                    healthcheck: flower.healthcheck().await?,
                    workers: flower.metrics().await?.workers(),
                })
            }
        })
    }
}

fn no_flower(flower: Option<&FlowerClient>) -> Result<&FlowerClient, AirflowError> {
    flower.ok_or_else(|| {
        AirflowError::Setup("this deployment has no Flower (not a Celery deployment)".into())
    })
}

/// What a Flower that refuses its API still says: its health check's answer (`OK`), and the
/// workers as its metrics name them.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowerStatus {
    pub healthcheck: String,
    pub workers: Vec<Worker>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AirflowPayload {
    Dags(Vec<Dag>),
    ImportErrors(Vec<ImportError>),
    Health(Health),
    Runs(Vec<DagRun>),
    /// One page of runs and how many match in all, when the server says (`total_entries`).
    RunPage {
        runs: Vec<DagRun>,
        total: Option<u64>,
    },
    TaskInstances(Vec<TaskInstance>),
    Log(String),
    Workers(Vec<Worker>),
    FlowerStatus(FlowerStatus),
}

/// A change to a deployment's Airflow.
#[derive(Debug, Clone, PartialEq)]
pub enum AirflowMutation {
    SetPaused {
        deployment: DeploymentId,
        dag_id: String,
        paused: bool,
    },
    Trigger {
        deployment: DeploymentId,
        dag_id: String,
        /// A JSON object (checked by the form), or none.
        conf: Option<Value>,
    },
    ClearTaskInstance {
        deployment: DeploymentId,
        dag_id: String,
        run_id: String,
        task_id: String,
        /// -1 when the task is not mapped.
        map_index: i64,
        downstream: bool,
    },
    MarkRun {
        deployment: DeploymentId,
        dag_id: String,
        run_id: String,
        state: MarkState,
    },
    MarkTaskInstance {
        deployment: DeploymentId,
        dag_id: String,
        run_id: String,
        task_id: String,
        /// -1 when the task is not mapped.
        map_index: i64,
        state: MarkState,
    },
}

impl AirflowMutation {
    pub(crate) fn deployment(&self) -> &DeploymentId {
        match self {
            AirflowMutation::SetPaused { deployment, .. }
            | AirflowMutation::Trigger { deployment, .. }
            | AirflowMutation::ClearTaskInstance { deployment, .. }
            | AirflowMutation::MarkRun { deployment, .. }
            | AirflowMutation::MarkTaskInstance { deployment, .. } => deployment,
        }
    }

    pub async fn run(&self, airflow: &AirflowClient) -> Result<(), AirflowError> {
        match self {
            AirflowMutation::SetPaused { dag_id, paused, .. } => {
                airflow.set_paused(dag_id, *paused).await.map(drop)
            }
            AirflowMutation::Trigger { dag_id, conf, .. } => {
                airflow.trigger(dag_id, conf.clone()).await.map(drop)
            }
            AirflowMutation::ClearTaskInstance {
                dag_id,
                run_id,
                task_id,
                map_index,
                downstream,
                ..
            } => {
                airflow
                    .clear_task_instance(dag_id, run_id, task_id, *map_index, *downstream)
                    .await
            }
            AirflowMutation::MarkRun {
                dag_id,
                run_id,
                state,
                ..
            } => airflow.mark_run(dag_id, run_id, *state).await.map(drop),
            AirflowMutation::MarkTaskInstance {
                dag_id,
                run_id,
                task_id,
                map_index,
                state,
                ..
            } => {
                airflow
                    .mark_task_instance(dag_id, run_id, task_id, *map_index, *state)
                    .await
            }
        }
    }

    /// What it is doing, said while it runs.
    pub(crate) fn doing(&self) -> String {
        match self {
            AirflowMutation::SetPaused { dag_id, paused, .. } => {
                format!("{} {dag_id}", if *paused { "Pausing" } else { "Unpausing" })
            }
            AirflowMutation::Trigger { dag_id, .. } => format!("Triggering a run of {dag_id}"),
            AirflowMutation::ClearTaskInstance {
                task_id,
                map_index,
                run_id,
                ..
            } => format!(
                "Clearing {} of {run_id}",
                instance_name(task_id, *map_index)
            ),
            AirflowMutation::MarkRun { run_id, state, .. } => {
                format!("Marking {run_id} {}", state.as_str())
            }
            AirflowMutation::MarkTaskInstance {
                task_id,
                map_index,
                state,
                ..
            } => format!(
                "Marking {} {}",
                instance_name(task_id, *map_index),
                state.as_str()
            ),
        }
    }

    /// What it changed, said once it is done.
    pub(crate) fn done(&self) -> String {
        match self {
            AirflowMutation::SetPaused { dag_id, paused, .. } => {
                format!("{} {dag_id}", if *paused { "Paused" } else { "Unpaused" })
            }
            AirflowMutation::Trigger { dag_id, .. } => format!("Triggered a run of {dag_id}"),
            AirflowMutation::ClearTaskInstance {
                task_id,
                map_index,
                run_id,
                ..
            } => format!("Cleared {} of {run_id}", instance_name(task_id, *map_index)),
            AirflowMutation::MarkRun { run_id, state, .. } => {
                format!("Marked {run_id} {}", state.as_str())
            }
            AirflowMutation::MarkTaskInstance {
                task_id,
                map_index,
                state,
                ..
            } => format!(
                "Marked {} {}",
                instance_name(task_id, *map_index),
                state.as_str()
            ),
        }
    }

    /// The reads this change makes stale.
    pub(crate) fn affected(&self) -> Vec<AirflowRequest> {
        let deployment = self.deployment().clone();
        match self {
            AirflowMutation::SetPaused { .. } => vec![AirflowRequest::Dags(deployment)],
            // The DAGs tab's run marks and task counts come from the deployment-wide reads.
            AirflowMutation::Trigger { dag_id, .. } => vec![
                AirflowRequest::DagRuns {
                    deployment: deployment.clone(),
                    dag_id: dag_id.clone(),
                },
                AirflowRequest::DagMarks {
                    deployment: deployment.clone(),
                    dag_id: dag_id.clone(),
                },
                AirflowRequest::Dags(deployment.clone()),
                AirflowRequest::RecentRuns(deployment),
            ],
            AirflowMutation::MarkRun { dag_id, run_id, .. }
            | AirflowMutation::ClearTaskInstance { dag_id, run_id, .. }
            | AirflowMutation::MarkTaskInstance { dag_id, run_id, .. } => vec![
                AirflowRequest::TaskInstances {
                    deployment: deployment.clone(),
                    dag_id: dag_id.clone(),
                    run_id: run_id.clone(),
                },
                AirflowRequest::DagRuns {
                    deployment: deployment.clone(),
                    dag_id: dag_id.clone(),
                },
                AirflowRequest::DagMarks {
                    deployment: deployment.clone(),
                    dag_id: dag_id.clone(),
                },
                AirflowRequest::RecentRuns(deployment.clone()),
                AirflowRequest::ActiveTasks(deployment.clone()),
                // `:dags` and the fleet's failed count, if held: a run marked or cleared there
                // must not keep its old state until the fleet's next turn.
                AirflowRequest::FailedRuns(deployment.clone()),
                AirflowRequest::RunningRuns(deployment),
            ],
        }
    }
}

/// The reducer's bookkeeping for Airflow reads and changes (their data is in `Cache::airflow`):
/// latest wins, changes in flight.
#[derive(Debug, Clone, Default)]
pub struct AirflowState {
    /// The newest sequence number issued per request (shared numbering with Houston's).
    pub(crate) latest_seq: HashMap<AirflowRequest, u64>,
    pub in_flight: BTreeSet<AirflowRequest>,
    pub(crate) mutations: HashMap<u64, AirflowMutation>,
    /// When a refresh was asked for (`Ctrl-r`): the DAGs tab's own mark reads answered before
    /// it are read again, due or not (`update::dag_marks`).
    pub(crate) forced_at: Option<crate::houston::model::Timestamp>,
}

/// Typed getters over the deployments' Airflow data.
impl Cache {
    fn airflow_payload(&self, request: &AirflowRequest) -> Option<&AirflowPayload> {
        self.airflow.remote(request).and_then(|r| r.data())
    }

    pub fn airflow_dags(&self, d: &DeploymentId) -> Option<&[Dag]> {
        match self.airflow_payload(&AirflowRequest::Dags(d.clone())) {
            Some(AirflowPayload::Dags(dags)) => Some(dags),
            _ => None,
        }
    }

    pub(crate) fn airflow_runs(&self, d: &DeploymentId, dag_id: &str) -> Option<&[DagRun]> {
        let request = AirflowRequest::DagRuns {
            deployment: d.clone(),
            dag_id: dag_id.to_string(),
        };
        match self.airflow_payload(&request) {
            Some(AirflowPayload::Runs(runs)) => Some(runs),
            _ => None,
        }
    }

    pub(crate) fn airflow_task_instances(
        &self,
        d: &DeploymentId,
        dag_id: &str,
        run_id: &str,
    ) -> Option<&[TaskInstance]> {
        let request = AirflowRequest::TaskInstances {
            deployment: d.clone(),
            dag_id: dag_id.to_string(),
            run_id: run_id.to_string(),
        };
        match self.airflow_payload(&request) {
            Some(AirflowPayload::TaskInstances(tis)) => Some(tis),
            _ => None,
        }
    }

    /// The newest runs across a deployment's DAGs (`RecentRuns`).
    pub(crate) fn airflow_recent_runs(&self, d: &DeploymentId) -> Option<&[DagRun]> {
        match self.airflow_payload(&AirflowRequest::RecentRuns(d.clone())) {
            Some(AirflowPayload::Runs(runs)) => Some(runs),
            _ => None,
        }
    }

    /// One DAG's newest runs read on their own (`DagMarks`).
    pub(crate) fn airflow_dag_marks(&self, d: &DeploymentId, dag_id: &str) -> Option<&[DagRun]> {
        let request = AirflowRequest::DagMarks {
            deployment: d.clone(),
            dag_id: dag_id.to_string(),
        };
        match self.airflow_payload(&request) {
            Some(AirflowPayload::Runs(runs)) => Some(runs),
            _ => None,
        }
    }

    /// Running and recently failed task instances across a deployment's DAGs (`ActiveTasks`).
    pub(crate) fn airflow_active_tasks(&self, d: &DeploymentId) -> Option<&[TaskInstance]> {
        match self.airflow_payload(&AirflowRequest::ActiveTasks(d.clone())) {
            Some(AirflowPayload::TaskInstances(tis)) => Some(tis),
            _ => None,
        }
    }

    pub(crate) fn airflow_import_errors(&self, d: &DeploymentId) -> Option<&[ImportError]> {
        match self.airflow_payload(&AirflowRequest::ImportErrors(d.clone())) {
            Some(AirflowPayload::ImportErrors(errors)) => Some(errors),
            _ => None,
        }
    }

    pub(crate) fn airflow_health(&self, d: &DeploymentId) -> Option<&Health> {
        match self.airflow_payload(&AirflowRequest::Health(d.clone())) {
            Some(AirflowPayload::Health(health)) => Some(health),
            _ => None,
        }
    }

    pub(crate) fn flower_status(&self, d: &DeploymentId) -> Option<&FlowerStatus> {
        match self.airflow_payload(&AirflowRequest::FlowerStatus(d.clone())) {
            Some(AirflowPayload::FlowerStatus(status)) => Some(status),
            _ => None,
        }
    }

    /// The Celery workers: from Flower's API, else — when Flower refuses it — from its metrics.
    pub(crate) fn flower_workers(&self, d: &DeploymentId) -> Option<&[Worker]> {
        match self.airflow_payload(&AirflowRequest::Workers(d.clone())) {
            Some(AirflowPayload::Workers(workers)) => Some(workers),
            _ if self.flower_refused(d) => self.flower_status(d).map(|s| s.workers.as_slice()),
            _ => None,
        }
    }

    /// Whether Flower refused its API (Flower 2 without its own authentication).
    pub(crate) fn flower_refused(&self, d: &DeploymentId) -> bool {
        self.airflow_error(&AirflowRequest::Workers(d.clone()))
            == Some(&AirflowError::FlowerUnauthenticated)
    }

    /// Why the last read of `request` failed, if it did.
    pub fn airflow_error(&self, request: &AirflowRequest) -> Option<&AirflowError> {
        self.airflow.remote(request).and_then(|r| r.error())
    }
}
