//! `FlowerClient`: a Celery deployment's Flower (`urls.flower`): workers, tasks, `/healthcheck`
//! and `/metrics`. Flower ≥ 2 refuses its API without its own authentication
//! (`AirflowError::FlowerUnauthenticated`); the health check and metrics still answer.

use std::collections::BTreeMap;

use crate::credential::Credential;
use crate::decode;
use crate::error::{AirflowError, classify_text};
use crate::http::{Call, Http, Options};
use crate::model::{FlowerTask, Worker};

const SERVICE: &str = "Flower";

#[derive(Debug, Clone)]
pub struct FlowerClient {
    http: Http,
}

/// What Flower's Prometheus `/metrics` says about its workers: all there is to show when
/// Flower refuses its API.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlowerMetrics {
    /// `flower_worker_online{worker="…"} 1`, by worker.
    pub workers_online: Vec<(String, bool)>,
    /// `flower_worker_number_of_currently_executing_tasks`, by worker.
    pub executing: BTreeMap<String, u64>,
    /// The `task-succeeded` and `task-failed` events of `flower_events_total`, by worker: the
    /// tasks it finished since Flower started.
    pub finished: BTreeMap<String, u64>,
}

impl FlowerMetrics {
    /// One row per worker the metrics name, in the shape of the API's (no pool size: the
    /// metrics do not give it).
    pub fn workers(&self) -> Vec<Worker> {
        let mut names: Vec<&String> = self
            .workers_online
            .iter()
            .map(|(w, _)| w)
            .chain(self.executing.keys())
            .chain(self.finished.keys())
            .collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .map(|name| Worker {
                name: name.clone(),
                online: self
                    .workers_online
                    .iter()
                    .find(|(w, _)| w == name)
                    .map(|(_, up)| *up),
                pool_size: None,
                active: self.executing.get(name).copied().unwrap_or(0),
                processed: self.finished.get(name).copied().unwrap_or(0),
            })
            .collect()
    }
}

impl FlowerClient {
    pub fn new(
        root: &str,
        credential: Credential,
        options: &Options,
    ) -> Result<FlowerClient, AirflowError> {
        Ok(FlowerClient {
            http: Http::new(root, credential, options)?,
        })
    }

    /// Every worker with its pool and task counts, and whether it is online.
    pub async fn workers(&self) -> Result<Vec<Worker>, AirflowError> {
        let info = self
            .http
            .send(&[], &Call::get(["api", "workers"]).query("refresh", 1))
            .await?;
        let status = self
            .http
            .send(&[], &Call::get(["api", "workers"]).query("status", "true"))
            .await?;
        decode::flower_workers(&info.raw(SERVICE), Some(&status.raw(SERVICE)))
    }

    /// The latest `limit` tasks Flower has seen.
    pub async fn tasks(&self, limit: usize) -> Result<Vec<FlowerTask>, AirflowError> {
        let call = Call::get(["api", "tasks"])
            .query("limit", limit)
            .query("sort_by", "-received");
        let reply = self.http.send(&[], &call).await?;
        decode::flower_tasks(&reply.raw(SERVICE))
    }

    /// `/healthcheck`: `OK` when Flower runs.
    pub async fn healthcheck(&self) -> Result<String, AirflowError> {
        let reply = self
            .http
            .send(&[], &Call::get(["healthcheck"]).accept("text/plain"))
            .await?;
        Ok(classify_text(&reply.raw(SERVICE))?.trim().to_string())
    }

    /// `/metrics`, read for the workers' online gauge.
    pub async fn metrics(&self) -> Result<FlowerMetrics, AirflowError> {
        let reply = self
            .http
            .send(&[], &Call::get(["metrics"]).accept("text/plain"))
            .await?;
        decode::flower_metrics(&reply.raw(SERVICE))
    }
}

/// The worker samples of a Prometheus text page; other lines are skipped.
pub fn parse_metrics(text: &str) -> FlowerMetrics {
    let mut metrics = FlowerMetrics::default();
    for line in text.lines() {
        let Some((name, rest)) = line.split_once('{') else {
            continue;
        };
        let Some((labels, value)) = rest.split_once('}') else {
            continue;
        };
        let label = |key: &str| {
            labels
                .split(',')
                .filter_map(|l| l.split_once('='))
                .find(|(k, _)| k.trim() == key)
                .map(|(_, v)| v.trim().trim_matches('"').to_string())
        };
        let (Some(worker), Some(value)) = (label("worker"), value.trim().parse::<f64>().ok())
        else {
            continue;
        };
        // Counts and gauges of tasks are whole numbers; anything else is not a count.
        let count = if value.is_finite() && value >= 0.0 {
            value as u64
        } else {
            0
        };
        match name {
            "flower_worker_online" => metrics.workers_online.push((worker, value >= 1.0)),
            "flower_worker_number_of_currently_executing_tasks" => {
                *metrics.executing.entry(worker).or_default() += count;
            }
            "flower_events_total"
                if matches!(
                    label("type").as_deref(),
                    Some("task-succeeded" | "task-failed")
                ) =>
            {
                *metrics.finished.entry(worker).or_default() += count;
            }
            _ => {}
        }
    }
    metrics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_online_gauge_is_read_from_metrics() {
        let text = "# HELP flower_worker_online Worker online status\n\
                    flower_worker_online{worker=\"celery@w-1\"} 1.0\n\
                    flower_worker_online{worker=\"celery@w-2\"} 0.0\n\
                    flower_events_total{type=\"x\"} 3\n\
                    flower_worker_online{broken 1\n";
        assert_eq!(
            parse_metrics(text).workers_online,
            vec![("celery@w-1".into(), true), ("celery@w-2".into(), false)]
        );
    }

    #[test]
    fn the_workers_are_read_from_metrics_when_the_api_refuses() {
        let text = "flower_worker_online{worker=\"celery@w-1\"} 1.0\n\
                    flower_worker_online{worker=\"celery@w-2\"} 0.0\n\
                    flower_events_total{task=\"t\",type=\"task-succeeded\",worker=\"celery@w-1\"} 40.0\n\
                    flower_events_total{task=\"u\",type=\"task-failed\",worker=\"celery@w-1\"} 2.0\n\
                    flower_events_total{task=\"t\",type=\"task-received\",worker=\"celery@w-1\"} 99.0\n\
                    flower_worker_number_of_currently_executing_tasks{worker=\"celery@w-1\"} 3.0\n\
                    flower_worker_number_of_currently_executing_tasks{worker=\"celery@w-2\"} NaN\n";
        let worker = |name: &str, online, active, processed| Worker {
            name: name.into(),
            online: Some(online),
            pool_size: None,
            active,
            processed,
        };
        assert_eq!(
            parse_metrics(text).workers(),
            vec![
                worker("celery@w-1", true, 3, 42),
                worker("celery@w-2", false, 0, 0)
            ]
        );
    }
}
