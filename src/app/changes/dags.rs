//! A deployment's DAGs (its Airflow): pause or unpause, trigger a run. Each for the roles that
//! may act in Airflow (`Cap::ActInAirflow`), each confirmed with the DAG and the deployment named.

use super::{Change, Then, change, deployment_id};
use crate::airflow::model::Dag;
use crate::app::airflow::AirflowMutation;
use crate::app::forms::FormKind;
use crate::app::forms::dags::deployment_name;
use crate::app::keymap::cond::{Cap, Cond, Cond::*};
use crate::app::modal::{Confirm, ConfirmAction};
use crate::app::state::AppState;
use crate::app::tables::TableId;
use crate::keys::Action;

const ACT_ROW: &[Cond] = &[Writable, HasRow, Can(Cap::ActInAirflow)];

pub(super) fn rows() -> Vec<Change> {
    vec![
        change(
            Action::Pause,
            "pause / unpause the DAG",
            Some("pause"),
            ACT_ROW,
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

/// The DAG under the cursor on the DAGs tab.
fn selected_dag(state: &AppState) -> Option<&Dag> {
    let Some(TableId::Dags(d)) = state.current_table() else {
        return None;
    };
    let i = state.selected_index(&TableId::Dags(d.clone()))?;
    state.cache.airflow_dags(&d)?.get(i)
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
