//! Walking down a deployment's Airflow from its DAGs tab: Enter on a DAG opens its runs, on a
//! run its task instances, on a task instance its log (`Route::DagRuns`, `TaskInstances`,
//! `TaskLog`, pushed on the navigation stack: Esc walks back up, and each table keeps its
//! cursor, so it is where it was). A DAG or run deleted meanwhile (Airflow's 404) is said, and
//! the view goes up a level.

use super::messages::{error, flash};
use crate::app::airflow::AirflowRequest;
use crate::app::effect::{Effect, Schedule};
use crate::app::state::{AppState, DeploymentTab, Route};
use crate::app::tables::TableId;

/// Enter on a row of an Airflow table: the level below it, if the route is one of them.
pub(crate) fn open(state: &mut AppState) -> Option<Vec<Effect>> {
    let table = state.current_table()?;
    let next = match (&table, state.route()) {
        (
            TableId::Dags(d),
            Route::Deployment {
                tab: DeploymentTab::Dags,
                ..
            },
        ) => {
            let i = state.selected_index(&table)?;
            let row = crate::app::dags::rows(&state.cache, d)?.get(i)?;
            Route::DagRuns {
                deployment: d.clone(),
                dag_id: row.dag.dag_id.clone(),
            }
        }
        (TableId::DagRuns { deployment, dag_id }, Route::DagRuns { .. }) => {
            let i = state.selected_index(&table)?;
            let run = state.cache.airflow_runs(deployment, dag_id)?.get(i)?;
            Route::TaskInstances {
                deployment: deployment.clone(),
                dag_id: dag_id.clone(),
                run_id: run.dag_run_id.clone(),
            }
        }
        (
            TableId::TaskInstances {
                deployment,
                dag_id,
                run_id,
            },
            Route::TaskInstances { .. },
        ) => {
            let i = state.selected_index(&table)?;
            let ti = state
                .cache
                .airflow_task_instances(deployment, dag_id, run_id)?
                .get(i)?;
            // Never tried (upstream failed, skipped, not yet scheduled): no log to read.
            if ti.try_number == 0 && ti.start_date.is_none() {
                let text = format!(
                    "{} has not run in this run ({}): it has no log",
                    ti.name,
                    ti.state.as_deref().unwrap_or("no state")
                );
                flash(state, text);
                return Some(vec![]);
            }
            Route::TaskLog {
                deployment: deployment.clone(),
                dag_id: dag_id.clone(),
                run_id: run_id.clone(),
                task_id: ti.task_id.clone(),
                map_index: ti.map_index,
                try_number: ti.try_number.max(1),
            }
        }
        _ => return None,
    };
    state.nav.remember();
    state.nav.routes.push(next);
    Some(vec![Schedule::visible(true)])
}

/// `request` answered 404: if the view on screen reads it, say what is gone and go up one
/// level (the DAGs tab, the runs). Returns whether it did.
pub(crate) fn leave_vanished(state: &mut AppState, request: &AirflowRequest) -> bool {
    let (gone, shown) = match (request, state.route()) {
        (
            AirflowRequest::DagRuns { deployment, dag_id },
            Route::DagRuns {
                deployment: d,
                dag_id: shown,
            },
        ) => (
            format!("DAG {dag_id} no longer exists"),
            d == deployment && shown == dag_id,
        ),
        (
            AirflowRequest::TaskInstances {
                deployment,
                dag_id,
                run_id,
            },
            Route::TaskInstances {
                deployment: d,
                dag_id: shown_dag,
                run_id: shown_run,
            },
        ) => (
            format!("Run {run_id} of {dag_id} no longer exists"),
            d == deployment && shown_dag == dag_id && shown_run == run_id,
        ),
        _ => return false,
    };
    if !shown || state.nav.routes.len() < 2 {
        return false;
    }
    state.nav.remember();
    state.nav.routes.pop();
    // Said on the level it went up to.
    error(state, format!("{gone} in this deployment's Airflow"));
    true
}
