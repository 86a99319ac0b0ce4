//! Changes inside a deployment's Airflow that ask something first: triggering a DAG run (the
//! optional conf, a JSON object checked here: the error goes on the field, what was typed
//! stays), clearing a task instance (with its downstream tasks or not), marking a run or a task
//! instance success or failed. Each then confirms, naming the DAG, the run and the deployment.

use serde_json::Value;

use super::{Choice, Field, FieldId, Form, Plan};
use crate::airflow::MarkState;
use crate::airflow::model::instance_name;
use crate::app::airflow::AirflowMutation;
use crate::app::modal::ConfirmLine;
use crate::app::state::AppState;
use crate::houston::model::DeploymentId;

pub(crate) fn trigger(dag_id: &str) -> Form {
    Form::new(
        format!("Trigger {dag_id}"),
        vec![
            Field::text(FieldId::Conf, "Conf (JSON)", "")
                .multiline()
                .help("optional, a JSON object: {\"key\": \"value\"}; empty: the DAG's params"),
        ],
    )
}

/// The conf as Airflow takes it: nothing, or a JSON object; else what is wrong, in words.
pub(crate) fn parse_conf(text: &str) -> Result<Option<Value>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => Ok(Some(v)),
        Ok(other) => Err(format!(
            "The conf must be a JSON object ({{\"key\": …}}), not {}",
            kind_of(&other)
        )),
        Err(e) => Err(format!("Not valid JSON: {e}")),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn plan_trigger(
    state: &AppState,
    deployment: &DeploymentId,
    dag_id: &str,
    form: &mut Form,
) -> Option<Plan> {
    let mut conf = None;
    let ok = form.validate(|f| match parse_conf(&f.value(FieldId::Conf)) {
        Ok(c) => conf = c,
        Err(e) => f.set_error(FieldId::Conf, e),
    });
    if !ok {
        return None;
    }
    let mut lines = vec![ConfirmLine::Text(format!(
        "Deployment: {}",
        deployment_name(state, deployment)
    ))];
    lines.push(ConfirmLine::Text(match &conf {
        Some(c) => format!("Conf: {c}"),
        None => "Conf: none (the DAG's params apply)".into(),
    }));
    if is_paused(state, deployment, dag_id) {
        lines.push(ConfirmLine::Text(
            "The DAG is paused: the run is queued and starts once it is unpaused.".into(),
        ));
    }
    Some(Plan::Airflow {
        title: format!("Trigger a run of {dag_id}?"),
        lines,
        verb: "Trigger",
        mutation: AirflowMutation::Trigger {
            deployment: deployment.clone(),
            dag_id: dag_id.to_string(),
            conf,
        },
    })
}

/// `name`: the instance's (`extract`, `extract[3]`).
pub(crate) fn clear(run_id: &str, name: &str) -> Form {
    Form::new(
        format!("Clear {name} of {run_id}"),
        vec![Field::select(
            FieldId::Downstream,
            "Clear",
            vec![
                Choice::new("no", "this task only"),
                Choice::new("yes", "this task and its downstream tasks"),
            ],
            "no",
        )],
    )
}

pub(crate) fn plan_clear(
    state: &AppState,
    deployment: &DeploymentId,
    dag_id: &str,
    run_id: &str,
    (task_id, map_index): (&str, i64),
    form: &Form,
) -> Plan {
    let downstream = form.value(FieldId::Downstream) == "yes";
    Plan::Airflow {
        title: format!("Clear {}?", instance_name(task_id, map_index)),
        lines: vec![
            where_(state, deployment, dag_id, run_id),
            ConfirmLine::Text(if downstream {
                "It and its downstream tasks run again; the run goes back to running.".into()
            } else {
                "It runs again; the run goes back to running.".into()
            }),
        ],
        verb: "Clear",
        mutation: AirflowMutation::ClearTaskInstance {
            deployment: deployment.clone(),
            dag_id: dag_id.to_string(),
            run_id: run_id.to_string(),
            task_id: task_id.to_string(),
            map_index,
            downstream,
        },
    }
}

/// Mark a run (`name` none) or a task instance (`name`: `extract`, `extract[3]`).
pub(crate) fn mark(run_id: &str, name: Option<&str>) -> Form {
    let title = match name {
        Some(task) => format!("Mark {task} of {run_id}"),
        None => format!("Mark run {run_id}"),
    };
    Form::new(
        title,
        vec![Field::select(
            FieldId::State,
            "As",
            vec![
                Choice::new("success", "success"),
                Choice::new("failed", "failed"),
            ],
            "success",
        )],
    )
}

pub(crate) fn plan_mark(
    state: &AppState,
    deployment: &DeploymentId,
    dag_id: &str,
    run_id: &str,
    task: Option<(&str, i64)>,
    form: &Form,
) -> Plan {
    let mark = if form.value(FieldId::State) == "failed" {
        MarkState::Failed
    } else {
        MarkState::Success
    };
    let (deployment, dag, run) = (deployment.clone(), dag_id.to_string(), run_id.to_string());
    let (title, note, mutation) = match task {
        Some((task_id, map_index)) => (
            format!(
                "Mark {} {}?",
                instance_name(task_id, map_index),
                mark.as_str()
            ),
            "Its downstream tasks are then scheduled as the new state allows.",
            AirflowMutation::MarkTaskInstance {
                deployment: deployment.clone(),
                dag_id: dag,
                run_id: run,
                task_id: task_id.to_string(),
                map_index,
                state: mark,
            },
        ),
        None => (
            format!("Mark run {run_id} {}?", mark.as_str()),
            "Airflow sets its unfinished task instances to match.",
            AirflowMutation::MarkRun {
                deployment: deployment.clone(),
                dag_id: dag,
                run_id: run,
                state: mark,
            },
        ),
    };
    Plan::Airflow {
        title,
        lines: vec![
            where_(state, &deployment, dag_id, run_id),
            ConfirmLine::Text(note.into()),
        ],
        verb: "Mark",
        mutation,
    }
}

/// "DAG etl, run manual__2026-…, deployment Core ETL (quantum-star-4782)".
fn where_(state: &AppState, deployment: &DeploymentId, dag_id: &str, run_id: &str) -> ConfirmLine {
    ConfirmLine::Text(format!(
        "DAG {dag_id}, run {run_id}, deployment {}",
        deployment_name(state, deployment)
    ))
}

/// "Quantum Nebula (quantum-nebula-1234)", or the id when the deployment is not cached.
pub(crate) fn deployment_name(state: &AppState, d: &DeploymentId) -> String {
    match state.cache.deployment(d) {
        Some(dep) => format!("{} ({})", dep.label, dep.release_name),
        None => d.to_string(),
    }
}

fn is_paused(state: &AppState, d: &DeploymentId, dag_id: &str) -> bool {
    state
        .cache
        .airflow_dags(d)
        .and_then(|dags| dags.iter().find(|x| x.dag_id == dag_id))
        .is_some_and(|x| x.is_paused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conf_is_empty_or_a_json_object() {
        assert_eq!(parse_conf("  "), Ok(None));
        assert_eq!(
            parse_conf(r#"{"a": [1, 2]}"#),
            Ok(Some(serde_json::json!({"a": [1, 2]})))
        );
        assert!(parse_conf("[1]").unwrap_err().contains("not a list"));
        assert!(parse_conf("\"x\"").unwrap_err().contains("not a string"));
        assert!(
            parse_conf("{a: 1}")
                .unwrap_err()
                .starts_with("Not valid JSON")
        );
    }
}
