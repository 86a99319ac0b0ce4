//! Each endpoint's reply, from `RawReply` to the model: what the clients call after a request,
//! and what the fuzz tests feed with damaged replies (it must never panic).

use serde_json::Value;

use crate::error::{AirflowError, RawReply, classify, classify_text};
use crate::flower::FlowerMetrics;
use crate::model::{
    Dag, DagRun, FlowerTask, Health, ImportError, Page, RawDag, RawDagRun, RawHealth,
    RawTaskInstance, TaskInstance, Worker, log_text,
};

/// A page of items and the server's `total_entries`.
pub type Paged<T> = (Vec<T>, Option<u64>);

pub fn dag_page(reply: &RawReply<'_>) -> Result<Paged<Dag>, AirflowError> {
    let page: Page<RawDag> = classify(reply)?;
    Ok((
        page.items.into_iter().map(Dag::from).collect(),
        page.total_entries,
    ))
}

pub fn dag(reply: &RawReply<'_>) -> Result<Dag, AirflowError> {
    classify::<RawDag>(reply).map(Dag::from)
}

pub fn run_page(reply: &RawReply<'_>) -> Result<Paged<DagRun>, AirflowError> {
    let page: Page<RawDagRun> = classify(reply)?;
    Ok((
        page.items.into_iter().map(DagRun::from).collect(),
        page.total_entries,
    ))
}

pub fn run(reply: &RawReply<'_>) -> Result<DagRun, AirflowError> {
    classify::<RawDagRun>(reply).map(DagRun::from)
}

pub fn task_instance_page(reply: &RawReply<'_>) -> Result<Paged<TaskInstance>, AirflowError> {
    let page: Page<RawTaskInstance> = classify(reply)?;
    Ok((
        page.items.into_iter().map(TaskInstance::from).collect(),
        page.total_entries,
    ))
}

pub fn import_error_page(reply: &RawReply<'_>) -> Result<Paged<ImportError>, AirflowError> {
    let page: Page<ImportError> = classify(reply)?;
    Ok((page.items, page.total_entries))
}

pub fn health(reply: &RawReply<'_>) -> Result<Health, AirflowError> {
    classify::<RawHealth>(reply).map(Health::from)
}

/// A task log: text, or Airflow 3's JSON of structured lines.
pub fn task_log(reply: &RawReply<'_>) -> Result<String, AirflowError> {
    let text = classify_text(reply)?;
    Ok(log_text(reply.content_type, &text))
}

/// Any JSON (a reply whose content the caller does not need).
pub fn any(reply: &RawReply<'_>) -> Result<(), AirflowError> {
    classify::<Value>(reply).map(drop)
}

/// Flower's `/api/workers?refresh=1` with `/api/workers?status=true` (which may have failed:
/// then whether a worker is online is not known).
pub fn flower_workers(
    info: &RawReply<'_>,
    status: Option<&RawReply<'_>>,
) -> Result<Vec<Worker>, AirflowError> {
    let info: Value = classify(info)?;
    let status: Value = match status {
        Some(reply) => classify(reply)?,
        None => Value::Null,
    };
    let Value::Object(info) = info else {
        return Err(flower_decode("the worker list is not a map of workers"));
    };
    let count = |v: &Value| v.as_array().map_or(0, |a| a.len() as u64);
    let mut workers: Vec<Worker> = info
        .iter()
        .map(|(name, w)| {
            let stats = &w["stats"];
            Worker {
                name: name.clone(),
                online: status.get(name).and_then(Value::as_bool),
                pool_size: stats["pool"]["max-concurrency"].as_u64(),
                active: count(&w["active"]),
                processed: stats["total"]
                    .as_object()
                    .map_or(0, |t| t.values().filter_map(Value::as_u64).sum()),
            }
        })
        .collect();
    workers.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(workers)
}

pub fn flower_tasks(reply: &RawReply<'_>) -> Result<Vec<FlowerTask>, AirflowError> {
    let Value::Object(tasks) = classify(reply)? else {
        return Err(flower_decode("the task list is not a map of tasks"));
    };
    let text = |v: &Value| v.as_str().map(str::to_string);
    Ok(tasks
        .iter()
        .map(|(uuid, t)| FlowerTask {
            uuid: uuid.clone(),
            name: text(&t["name"]),
            state: text(&t["state"]),
            worker: text(&t["worker"]),
            received: t["received"].as_f64(),
            runtime: t["runtime"].as_f64(),
        })
        .collect())
}

pub fn flower_metrics(reply: &RawReply<'_>) -> Result<FlowerMetrics, AirflowError> {
    Ok(crate::flower::parse_metrics(&classify_text(reply)?))
}

fn flower_decode(detail: &str) -> AirflowError {
    AirflowError::Decode {
        service: "Flower".into(),
        detail: detail.into(),
    }
}
