//! A deployment's DAGs (its Airflow): pause or unpause, trigger a run; below them, mark a run,
//! clear or mark a task instance. Each for the roles that may act in Airflow
//! (`Cap::ActInAirflow`), each confirmed with the DAG, the run and the deployment named.

use super::{Change, Then, change, deployment_id};
use crate::airflow::ApiVersion;
use crate::airflow::model::{Dag, DagRun, TaskInstance};
use crate::app::airflow::{AirflowMutation, AirflowTarget};
use crate::app::dags::DagRow;
use crate::app::forms::FormKind;
use crate::app::forms::dags::deployment_name;
use crate::app::keymap::cond::{Cap, Cond, Cond::*};
use crate::app::modal::{Confirm, ConfirmAction};
use crate::app::state::{AppState, Route};
use crate::houston::model::DeploymentId;
use crate::keys::Action;

const ACT_ROW: &[Cond] = &[Writable, HasRow, Can(Cap::ActInAirflow)];
/// `p` on an active DAG pauses it, on a paused one unpauses it: the hint says which.
const ACT_ACTIVE_DAG: &[Cond] = &[Writable, HasRow, Can(Cap::ActInAirflow), DagPaused(false)];
const ACT_PAUSED_DAG: &[Cond] = &[Writable, HasRow, Can(Cap::ActInAirflow), DagPaused(true)];

pub(super) fn rows() -> Vec<Change> {
    vec![
        change(
            Action::Pause,
            "pause the DAG",
            Some("pause"),
            ACT_ACTIVE_DAG,
            pause,
        ),
        change(
            Action::Pause,
            "unpause the DAG",
            Some("unpause"),
            ACT_PAUSED_DAG,
            pause,
        ),
        change(
            Action::Trigger,
            "trigger a run (optional conf)",
            Some("trigger"),
            ACT_ROW,
            |state| {
                let (Some(deployment), Some(dag)) = (deployment_id(state), selected_dag(state))
                else {
                    return vec![];
                };
                vec![Then::Form(FormKind::TriggerDag {
                    deployment,
                    dag_id: dag.dag_id.clone(),
                })]
            },
        ),
    ]
}

/// A DAG's runs: mark one.
pub(super) fn runs() -> Vec<Change> {
    vec![change(
        Action::Mark,
        "mark the run success / failed",
        Some("mark"),
        ACT_ROW,
        |state| {
            let (Route::DagRuns { deployment, dag_id }, Some(run)) =
                (state.route(), selected_run(state))
            else {
                return vec![];
            };
            vec![Then::Form(FormKind::Mark {
                deployment: deployment.clone(),
                dag_id: dag_id.clone(),
                run_id: run.clone(),
                task: None,
            })]
        },
    )]
}

/// A run's task instances: clear one, mark one.
pub(super) fn task_instances() -> Vec<Change> {
    vec![
        change(
            Action::ClearTask,
            "clear the task instance (it runs again)",
            Some("clear"),
            ACT_ROW,
            |state| task_form(state, true),
        ),
        change(
            Action::Mark,
            "mark the task instance success / failed",
            Some("mark"),
            ACT_ROW,
            |state| task_form(state, false),
        ),
    ]
}

fn task_form(state: &AppState, clear: bool) -> Vec<Then> {
    let Route::TaskInstances {
        deployment,
        dag_id,
        run_id,
    } = state.route()
    else {
        return vec![];
    };
    let Some(ti) = state.selected::<TaskInstance>() else {
        return vec![];
    };
    let task_state = ti.state;
    if clear
        && matches!(
            task_state.as_deref(),
            Some("running" | "queued" | "scheduled")
        )
    {
        return vec![Then::Error(format!(
            "{} is {}: clear it once it has finished",
            ti.name,
            task_state.unwrap_or_default()
        ))];
    }
    if clear && ti.map_index >= 0 && speaks_api_v1(state, deployment) {
        return vec![Then::Error(format!(
            "{}: Airflow 2's API cannot clear one map index alone; mark it, or use Airflow's UI",
            ti.name
        ))];
    }
    let (deployment, dag_id, run_id) = (deployment.clone(), dag_id.clone(), run_id.clone());
    vec![Then::Form(if clear {
        FormKind::ClearTask {
            deployment,
            dag_id,
            run_id,
            task_id: ti.task_id,
            map_index: ti.map_index,
        }
    } else {
        FormKind::Mark {
            deployment,
            dag_id,
            run_id,
            task: Some((ti.task_id, ti.map_index)),
        }
    })]
}

/// Whether the deployment's Airflow version speaks `/api/v1` (Airflow 2), as Houston says.
fn speaks_api_v1(state: &AppState, deployment: &DeploymentId) -> bool {
    state
        .cache
        .deployment(deployment)
        .and_then(AirflowTarget::of)
        .is_some_and(|t| ApiVersion::for_airflow(&t.airflow_version) == ApiVersion::V1)
}

/// The DAG under the cursor on the DAGs tab.
fn selected_dag(state: &AppState) -> Option<Dag> {
    state.selected::<DagRow>().map(|r| r.dag)
}

/// The id of the run under the cursor on a DAG's runs.
fn selected_run(state: &AppState) -> Option<String> {
    state.selected::<DagRun>().map(|r| r.dag_run_id)
}

fn pause(state: &AppState) -> Vec<Then> {
    let (Some(deployment), Some(dag)) = (deployment_id(state), selected_dag(state)) else {
        return vec![];
    };
    let paused = !dag.is_paused;
    let (title, verb, effect) = if paused {
        (
            format!("Pause {}?", dag.dag_id),
            "Pause",
            "The scheduler creates no new runs until it is unpaused; runs under way go on.",
        )
    } else {
        (
            format!("Unpause {}?", dag.dag_id),
            "Unpause",
            "The scheduler creates its runs again from the next schedule.",
        )
    };
    let c = Confirm::new(
        title,
        ConfirmAction::Airflow(AirflowMutation::SetPaused {
            deployment: deployment.clone(),
            dag_id: dag.dag_id.clone(),
            paused,
        }),
        verb,
    )
    .line(format!(
        "Deployment: {}",
        deployment_name(state, &deployment)
    ))
    .line(effect);
    vec![Then::Confirm(Box::new(c))]
}
