//! Triggering a DAG run: the optional conf, a JSON object checked here (the error goes on the
//! field, what was typed stays), then a confirmation naming the DAG and the deployment.

use serde_json::Value;

use super::{Field, FieldId, Form, Plan};
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
