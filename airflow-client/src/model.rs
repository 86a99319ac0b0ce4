//! What astrodash reads from Airflow, one shape for both APIs: the v1 (Airflow 2) and v2
//! (Airflow 3) names of a field are read into one (`execution_date`/`logical_date`,
//! `schedule_interval`/`timetable_summary`, `next_dagrun_create_after`/`next_dagrun_run_after`).
//! Missing fields are defaults, so an older or newer Airflow still decodes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub type Timestamp = DateTime<Utc>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dag {
    pub dag_id: String,
    pub is_paused: bool,
    pub is_active: bool,
    /// The schedule in words as Airflow summarises it (`0 0 * * *`, `1 day, 0:00:00`, `@daily`),
    /// `None` for an unscheduled DAG.
    pub schedule: Option<String>,
    /// When the scheduler creates the next run (`next_dagrun_create_after`, Airflow 3's
    /// `next_dagrun_run_after`): not `next_dagrun`, the logical date, which is in the past.
    pub next_run: Option<Timestamp>,
    pub has_import_errors: bool,
    pub owners: Vec<String>,
    pub tags: Vec<String>,
    pub description: Option<String>,
    pub fileloc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DagRun {
    pub dag_id: String,
    pub dag_run_id: String,
    pub state: Option<String>,
    pub run_type: Option<String>,
    /// `null` for Airflow 3's manual runs.
    pub logical_date: Option<Timestamp>,
    pub start_date: Option<Timestamp>,
    pub end_date: Option<Timestamp>,
    pub conf: Option<Value>,
}

/// Airflow 2.10 sends `execution_date` and `logical_date` both; older ones only the first.
/// Each name is its own field (an alias would refuse the reply as a duplicate).
#[derive(Deserialize)]
pub(crate) struct RawDagRun {
    #[serde(default)]
    dag_id: String,
    #[serde(default)]
    dag_run_id: Option<String>,
    #[serde(default)]
    run_id: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    run_type: Option<String>,
    #[serde(default)]
    logical_date: Option<Timestamp>,
    #[serde(default)]
    execution_date: Option<Timestamp>,
    #[serde(default)]
    start_date: Option<Timestamp>,
    #[serde(default)]
    end_date: Option<Timestamp>,
    #[serde(default)]
    conf: Option<Value>,
}

impl From<RawDagRun> for DagRun {
    fn from(raw: RawDagRun) -> DagRun {
        DagRun {
            dag_id: raw.dag_id,
            dag_run_id: raw.dag_run_id.or(raw.run_id).unwrap_or_default(),
            state: raw.state,
            run_type: raw.run_type,
            logical_date: raw.logical_date.or(raw.execution_date),
            start_date: raw.start_date,
            end_date: raw.end_date,
            conf: raw.conf,
        }
    }
}

impl DagRun {
    /// From start to end (or to `now` while it runs).
    pub fn duration(&self, now: Timestamp) -> Option<chrono::Duration> {
        let start = self.start_date?;
        Some(self.end_date.unwrap_or(now) - start)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskInstance {
    pub task_id: String,
    pub dag_id: String,
    pub dag_run_id: String,
    /// -1 for a task that is not mapped.
    pub map_index: i64,
    /// `task_id`, or `task_id[map_index]` for a mapped task's instance (`instance_name`):
    /// what it is called, and its identity within its run.
    #[serde(skip)]
    pub name: String,
    pub state: Option<String>,
    pub try_number: u32,
    pub start_date: Option<Timestamp>,
    pub end_date: Option<Timestamp>,
    /// Seconds.
    pub duration: Option<f64>,
    pub operator: Option<String>,
    pub hostname: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct RawTaskInstance {
    task_id: String,
    #[serde(default)]
    dag_id: String,
    #[serde(default)]
    dag_run_id: Option<String>,
    #[serde(default)]
    run_id: Option<String>,
    #[serde(default)]
    map_index: Option<i64>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    try_number: Option<u32>,
    #[serde(default)]
    start_date: Option<Timestamp>,
    #[serde(default)]
    end_date: Option<Timestamp>,
    #[serde(default)]
    duration: Option<f64>,
    #[serde(default)]
    operator: Option<String>,
    #[serde(default)]
    hostname: Option<String>,
}

/// `extract`, or `extract[3]` for the instance of a mapped task with map index 3.
pub fn instance_name(task_id: &str, map_index: i64) -> String {
    if map_index >= 0 {
        format!("{task_id}[{map_index}]")
    } else {
        task_id.to_string()
    }
}

impl From<RawTaskInstance> for TaskInstance {
    fn from(raw: RawTaskInstance) -> TaskInstance {
        let map_index = raw.map_index.unwrap_or(-1);
        TaskInstance {
            name: instance_name(&raw.task_id, map_index),
            task_id: raw.task_id,
            dag_id: raw.dag_id,
            dag_run_id: raw.dag_run_id.or(raw.run_id).unwrap_or_default(),
            map_index,
            state: raw.state,
            try_number: raw.try_number.unwrap_or(0),
            start_date: raw.start_date,
            end_date: raw.end_date,
            duration: raw.duration,
            operator: raw.operator,
            hostname: raw.hostname,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportError {
    #[serde(default)]
    pub import_error_id: Option<i64>,
    #[serde(default)]
    pub filename: String,
    #[serde(default)]
    pub timestamp: Option<Timestamp>,
    #[serde(default)]
    pub stack_trace: String,
}

/// One component of `/health`: `healthy`/`unhealthy`, and its last heartbeat where it has one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Component {
    pub status: Option<String>,
    pub latest_heartbeat: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Health {
    pub metadatabase: Component,
    pub scheduler: Component,
    pub triggerer: Component,
    pub dag_processor: Component,
}

/// A Celery worker as Flower knows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Worker {
    pub name: String,
    /// From `?status=true`; `None` when Flower did not say.
    pub online: Option<bool>,
    pub pool_size: Option<u64>,
    pub active: u64,
    pub processed: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FlowerTask {
    pub uuid: String,
    pub name: Option<String>,
    pub state: Option<String>,
    pub worker: Option<String>,
    pub received: Option<f64>,
    pub runtime: Option<f64>,
}

// ---- decoding the wire shapes ----

#[derive(Deserialize)]
pub(crate) struct RawDag {
    dag_id: String,
    #[serde(default)]
    is_paused: Option<bool>,
    #[serde(default)]
    is_active: Option<bool>,
    #[serde(default)]
    schedule_interval: Option<Value>,
    #[serde(default)]
    timetable_summary: Option<String>,
    #[serde(default)]
    timetable_description: Option<String>,
    #[serde(default)]
    next_dagrun_create_after: Option<Timestamp>,
    #[serde(default)]
    next_dagrun_run_after: Option<Timestamp>,
    #[serde(default)]
    has_import_errors: Option<bool>,
    #[serde(default)]
    owners: Vec<String>,
    #[serde(default)]
    tags: Vec<Tag>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    fileloc: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Tag {
    Named { name: String },
    Bare(String),
}

impl From<RawDag> for Dag {
    fn from(raw: RawDag) -> Dag {
        let schedule = raw
            .timetable_summary
            .or_else(|| raw.schedule_interval.as_ref().and_then(schedule_words))
            .or(raw.timetable_description)
            .filter(|s| !s.is_empty() && s != "None");
        Dag {
            dag_id: raw.dag_id,
            is_paused: raw.is_paused.unwrap_or(false),
            is_active: raw.is_active.unwrap_or(true),
            schedule,
            next_run: raw.next_dagrun_create_after.or(raw.next_dagrun_run_after),
            has_import_errors: raw.has_import_errors.unwrap_or(false),
            owners: raw.owners,
            tags: raw
                .tags
                .into_iter()
                .map(|t| match t {
                    Tag::Named { name } | Tag::Bare(name) => name,
                })
                .collect(),
            description: raw.description.filter(|d| !d.is_empty()),
            fileloc: raw.fileloc,
        }
    }
}

/// Airflow 2's `schedule_interval`: `{"__type":"CronExpression","value":"0 0 * * *"}`,
/// `{"__type":"TimeDelta","days":1,"seconds":0,…}`, `{"__type":"RelativeDelta",…}` or a string.
fn schedule_words(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => {
            if let Some(Value::String(v)) = map.get("value") {
                return Some(v.clone());
            }
            let days = map.get("days").and_then(Value::as_i64).unwrap_or(0);
            let seconds = map.get("seconds").and_then(Value::as_i64).unwrap_or(0);
            if map.get("__type").and_then(Value::as_str) == Some("TimeDelta") {
                let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
                return Some(if days > 0 {
                    format!("{days}d {h:02}:{m:02}:{s:02}")
                } else {
                    format!("{h:02}:{m:02}:{s:02}")
                });
            }
            map.get("__type")
                .and_then(Value::as_str)
                .map(str::to_string)
        }
        _ => None,
    }
}

#[derive(Deserialize)]
pub(crate) struct Page<T> {
    #[serde(
        alias = "dags",
        alias = "dag_runs",
        alias = "task_instances",
        alias = "import_errors"
    )]
    pub items: Vec<T>,
    #[serde(default)]
    pub total_entries: Option<u64>,
}

#[derive(Deserialize, Default)]
struct RawComponent {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    latest_scheduler_heartbeat: Option<Timestamp>,
    #[serde(default)]
    latest_triggerer_heartbeat: Option<Timestamp>,
    #[serde(default)]
    latest_dag_processor_heartbeat: Option<Timestamp>,
}

#[derive(Deserialize)]
pub(crate) struct RawHealth {
    #[serde(default)]
    metadatabase: Option<RawComponent>,
    #[serde(default)]
    scheduler: Option<RawComponent>,
    #[serde(default)]
    triggerer: Option<RawComponent>,
    #[serde(default)]
    dag_processor: Option<RawComponent>,
}

impl From<RawHealth> for Health {
    fn from(raw: RawHealth) -> Health {
        let c = |r: Option<RawComponent>| {
            let r = r.unwrap_or_default();
            Component {
                status: r.status,
                latest_heartbeat: r
                    .latest_scheduler_heartbeat
                    .or(r.latest_triggerer_heartbeat)
                    .or(r.latest_dag_processor_heartbeat),
            }
        };
        Health {
            metadatabase: c(raw.metadatabase),
            scheduler: c(raw.scheduler),
            triggerer: c(raw.triggerer),
            dag_processor: c(raw.dag_processor),
        }
    }
}

/// A task log reply: Airflow 2 sends text (`Accept: text/plain`); Airflow 3 JSON whose `content`
/// is a list of structured lines (`{"timestamp","level","event"}`) or of strings.
pub(crate) fn log_text(content_type: Option<&str>, body: &str) -> String {
    let is_json = content_type.is_some_and(|t| t.contains("json"));
    if !is_json {
        return body.to_string();
    }
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return body.to_string();
    };
    match value.get("content") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(lines)) => lines.iter().map(log_line).collect::<Vec<_>>().join("\n"),
        _ => body.to_string(),
    }
}

fn log_line(line: &Value) -> String {
    match line {
        Value::String(s) => s.clone(),
        Value::Object(map) => {
            let field = |k: &str| map.get(k).and_then(Value::as_str).unwrap_or("");
            let parts = [field("timestamp"), field("level"), field("event")];
            let text: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
            text.join(" ")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airflow_two_and_three_dags_read_into_one_shape() {
        let v1: RawDag = serde_json::from_value(serde_json::json!({
            "dag_id": "etl", "is_paused": true, "is_active": true,
            "schedule_interval": {"__type": "CronExpression", "value": "0 0 * * *"},
            "next_dagrun": "2026-01-02T00:00:00+00:00", "has_import_errors": false,
            "owners": ["data"], "tags": [{"name": "prod"}]
        }))
        .unwrap();
        let v2: RawDag = serde_json::from_value(serde_json::json!({
            "dag_id": "etl", "is_paused": true, "timetable_summary": "0 0 * * *",
            "next_dagrun_logical_date": "2026-01-02T00:00:00Z",
            "owners": ["data"], "tags": [{"name": "prod", "dag_id": "etl"}]
        }))
        .unwrap();
        assert_eq!(Dag::from(v1), Dag::from(v2));
    }

    #[test]
    fn airflow_two_ten_sends_both_date_names_and_both_are_read() {
        let raw: RawDagRun = serde_json::from_value(serde_json::json!({
            "dag_id": "etl", "dag_run_id": "r", "execution_date": "2026-01-01T00:00:00+00:00",
            "logical_date": "2026-01-01T00:00:00+00:00"
        }))
        .unwrap();
        assert!(DagRun::from(raw).logical_date.is_some());
        let raw: RawDagRun = serde_json::from_value(serde_json::json!({
            "run_id": "r", "execution_date": "2026-01-01T00:00:00+00:00"
        }))
        .unwrap();
        let run = DagRun::from(raw);
        assert_eq!(
            (run.dag_run_id.as_str(), run.logical_date.is_some()),
            ("r", true)
        );
    }

    #[test]
    fn a_timedelta_schedule_is_shown_as_a_duration() {
        let v = serde_json::json!({"__type": "TimeDelta", "days": 1, "seconds": 3600});
        assert_eq!(schedule_words(&v).as_deref(), Some("1d 01:00:00"));
    }

    #[test]
    fn structured_log_lines_are_joined() {
        let body = r#"{"content":[{"timestamp":"t1","level":"info","event":"hello"},"plain"]}"#;
        assert_eq!(
            log_text(Some("application/json"), body),
            "t1 info hello\nplain"
        );
        assert_eq!(log_text(Some("text/plain"), "a\nb"), "a\nb");
    }
}
