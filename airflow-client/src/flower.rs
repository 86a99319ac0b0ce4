//! `FlowerClient`: a Celery deployment's Flower (`urls.flower`): workers, tasks, `/healthcheck`
//! and `/metrics`. Flower ≥ 2 refuses its API without its own authentication
//! (`AirflowError::FlowerUnauthenticated`); the health check and metrics still answer.

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

/// What Flower's Prometheus `/metrics` says about its workers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlowerMetrics {
    /// `flower_worker_online{worker="…"} 1`, by worker.
    pub workers_online: Vec<(String, bool)>,
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

/// The `flower_worker_online` samples of a Prometheus text page; other lines are skipped.
pub fn parse_metrics(text: &str) -> FlowerMetrics {
    let mut workers_online = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("flower_worker_online{") else {
            continue;
        };
        let Some((labels, value)) = rest.split_once('}') else {
            continue;
        };
        let worker = labels
            .split(',')
            .filter_map(|l| l.split_once('='))
            .find(|(k, _)| k.trim() == "worker")
            .map(|(_, v)| v.trim().trim_matches('"').to_string());
        let value = value.trim().parse::<f64>().ok();
        if let (Some(worker), Some(value)) = (worker, value) {
            workers_online.push((worker, value >= 1.0));
        }
    }
    FlowerMetrics { workers_online }
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
}
