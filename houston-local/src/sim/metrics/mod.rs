//! Simulated Prometheus answers for Houston's `metrics` subscription:
//! per metric label the `data.result` array Houston forwards, an instant vector
//! `[{metric, value: [ts, "v"]}]` or, for range queries, a matrix `[{metric, values: [...]}]`.
//! Values are smooth functions of (deployment, time) with a little deterministic noise, follow
//! the deployment's phase (a crash-looping scheduler stops heartbeating and tasks fail), and
//! quotas follow its real resources (the AU model in `resources.rs`).

mod model;

use std::collections::HashMap;

use serde_json::{Value, json};

pub(crate) use model::Model;

/// The `MetricType` groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Status,
    Tasks,
    Database,
    Scheduler,
    Quotas,
    Usage,
}

pub(crate) const ALL_KINDS: [Kind; 6] = [
    Kind::Status,
    Kind::Tasks,
    Kind::Database,
    Kind::Scheduler,
    Kind::Quotas,
    Kind::Usage,
];

/// Houston runs some queries as range queries (a matrix when `since` is given) and others
/// always as instant queries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Range,
    Instant,
}

/// The labels Houston publishes per group, in its order.
fn labels(kind: Kind) -> &'static [(&'static str, Shape)] {
    use Shape::{Instant, Range};
    match kind {
        Kind::Status => &[
            ("deploymentStatus", Instant),
            ("schedulerHeartbeat", Instant),
            ("coreContainerStatus", Instant),
        ],
        Kind::Tasks => &[
            ("runningTasks", Range),
            ("queuedTasks", Range),
            ("failedTasks", Range),
            ("successfulTasks", Range),
            ("taskStatus", Instant),
        ],
        Kind::Database => &[
            ("totalDatabaseConnections", Range),
            ("totalWaitingClients", Range),
        ],
        Kind::Scheduler => &[
            ("heartbeat", Range),
            ("dagCount", Range),
            ("zombieCount", Range),
            ("taskSuccessCount", Range),
            ("taskFailCount", Range),
            ("taskSuccessRate", Range),
            ("taskFailRate", Range),
        ],
        Kind::Quotas => &[
            ("maxPods", Instant),
            ("cpuMax", Instant),
            ("memoryMax", Instant),
            ("runningPods", Instant),
            ("reservedCPU", Instant),
            ("reservedMemory", Instant),
        ],
        Kind::Usage => &[
            ("cpuUsage", Range),
            ("memoryUsage", Range),
            ("networkRx", Range),
            ("networkTx", Range),
        ],
    }
}

/// Prometheus' own limit on points per series of a range query.
pub(crate) const MAX_POINTS: i64 = 11_000;

/// A range query: `since` minutes back from now, one point every `step` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Range {
    pub(crate) since_minutes: i64,
    pub(crate) step_secs: i64,
}

impl Range {
    /// Points per series, or an error for a step or window Prometheus would refuse.
    pub(crate) fn check(self) -> Result<i64, String> {
        if self.step_secs <= 0 {
            return Err(format!(
                "step must be a positive number of seconds, not {}",
                self.step_secs
            ));
        }
        if self.since_minutes <= 0 {
            return Err(format!(
                "since must be a positive number of minutes, not {}",
                self.since_minutes
            ));
        }
        let points = self.since_minutes * 60 / self.step_secs + 1;
        if points > MAX_POINTS {
            return Err(format!(
                "since {} min at step {} s is {points} points per series; at most {MAX_POINTS} (use a larger step)",
                self.since_minutes, self.step_secs
            ));
        }
        Ok(points)
    }
}

/// Prometheus sample values are strings; four decimals are plenty for a dashboard.
fn sample(v: f64) -> String {
    let rounded = (v * 10_000.0).round() / 10_000.0;
    if rounded == rounded.trunc() && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}

/// `[{metric, value: [t, "v"]}]` at `t_ms` (seconds with milliseconds, as Prometheus does).
fn instant(model: &Model, label: &str, t_ms: i64) -> Value {
    let ts = t_ms as f64 / 1000.0;
    Value::Array(
        model
            .series(label, t_ms)
            .into_iter()
            .map(|(metric, v)| json!({"metric": metric, "value": [ts, sample(v)]}))
            .collect(),
    )
}

/// `[{metric, values: [[t, "v"], ...]}]` at step-aligned times, none before creation.
fn matrix(model: &Model, label: &str, now_ms: i64, range: Range) -> Value {
    let step = range.step_secs.max(1);
    let now_s = now_ms.div_euclid(1000);
    let end = now_s - now_s.rem_euclid(step);
    let from = now_s - range.since_minutes.max(0) * 60;
    let start = from - from.rem_euclid(step);
    // Series in order of first appearance, keyed by their labels.
    let mut order: Vec<(Value, Vec<Value>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut t = start;
    while t <= end {
        let t_ms = t * 1000;
        if t_ms >= model.created_ms() {
            for (metric, v) in model.series(label, t_ms) {
                let key = metric.to_string();
                let i = *index.entry(key).or_insert_with(|| {
                    order.push((metric, Vec::new()));
                    order.len() - 1
                });
                order[i].1.push(json!([t, sample(v)]));
            }
        }
        t += step;
    }
    Value::Array(
        order
            .into_iter()
            .map(|(metric, values)| json!({"metric": metric, "values": values}))
            .collect(),
    )
}

/// The `[Metric]` list for `kinds` at `now_ms`: (label, Prometheus `data.result`).
pub(crate) fn evaluate(
    model: &Model,
    kinds: &[Kind],
    range: Option<Range>,
    now_ms: i64,
) -> Vec<(&'static str, Value)> {
    ALL_KINDS
        .iter()
        .filter(|k| kinds.contains(k))
        .flat_map(|k| labels(*k).iter())
        .map(|(label, shape)| {
            let result = match (shape, range) {
                (Shape::Range, Some(r)) => matrix(model, label, now_ms, r),
                _ => instant(model, label, now_ms),
            };
            (*label, result)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::store::{DeploymentRow, fmt_ms};
    use crate::resources;
    use crate::sim::Timeline;

    const T0: i64 = 1_800_000_000_000;

    fn deployment(executor: &str, unhealthy: bool) -> DeploymentRow {
        let mut config = resources::default_config(executor);
        if executor == "CeleryExecutor" {
            config["workers"]["replicas"] = json!(2);
        }
        DeploymentRow {
            id: "dep-1".into(),
            workspace_id: "w".into(),
            label: "d".into(),
            description: None,
            release_name: "rel-1".into(),
            executor: executor.into(),
            airflow_version: "2.9.2".into(),
            desired_airflow_version: "2.9.2".into(),
            version: "1.10.0".into(),
            config: config.to_string(),
            properties: json!({"extra_au": resources::default_extra_au(executor)}).to_string(),
            deploy_count: 3,
            deploying_until: 0,
            unhealthy,
            runtime_version: None,
            desired_runtime_version: None,
            namespace: None,
            adopted: false,
            created_at: fmt_ms(T0 - 86_400_000),
            updated_at: fmt_ms(T0 - 86_400_000),
        }
    }

    fn model(executor: &str, unhealthy: bool) -> Model {
        let d = deployment(executor, unhealthy);
        Model::new(&d, Timeline::of(&d, None))
    }

    fn value(result: &[(&str, Value)], label: &str) -> f64 {
        let (_, v) = result.iter().find(|(l, _)| *l == label).unwrap();
        v[0]["value"][1].as_str().unwrap().parse().unwrap()
    }

    #[test]
    fn every_label_of_every_type_is_published() {
        let m = model("CeleryExecutor", false);
        let all = evaluate(&m, &ALL_KINDS, None, T0);
        assert_eq!(all.len(), 27);
        let only = evaluate(&m, &[Kind::Quotas], None, T0);
        let labels: Vec<_> = only.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            labels,
            [
                "maxPods",
                "cpuMax",
                "memoryMax",
                "runningPods",
                "reservedCPU",
                "reservedMemory"
            ]
        );
        assert_eq!(evaluate(&m, &ALL_KINDS, None, T0), all, "deterministic");
    }

    #[test]
    fn quotas_follow_the_resources() {
        // Celery defaults: 33 AU of components plus a second worker of 10 AU = 43 AU in 9 pods.
        let q = evaluate(&model("CeleryExecutor", false), &[Kind::Quotas], None, T0);
        assert_eq!(value(&q, "maxPods"), 18.0);
        assert_eq!(value(&q, "cpuMax"), 8.6);
        assert_eq!(value(&q, "memoryMax"), 2.0 * 43.0 * 384.0 * 1_048_576.0);
        assert_eq!(value(&q, "runningPods"), 50.0);
        assert_eq!(value(&q, "reservedCPU"), 50.0);
        // Kubernetes executor: 10 extra AU for task pods.
        let k = evaluate(
            &model("KubernetesExecutor", false),
            &[Kind::Quotas],
            None,
            T0,
        );
        assert_eq!(value(&k, "maxPods"), 2.0 * 5.0 + 10.0);
        assert_eq!(value(&k, "cpuMax"), (2.0 * 1900.0 + 1000.0) / 1000.0);
    }

    #[test]
    fn an_unhealthy_deployment_misses_heartbeats_and_fails_tasks() {
        let ok = evaluate(&model("CeleryExecutor", false), &ALL_KINDS, None, T0);
        let bad = evaluate(&model("CeleryExecutor", true), &ALL_KINDS, None, T0);
        assert_eq!(value(&ok, "deploymentStatus"), 0.0);
        assert!(value(&bad, "deploymentStatus") < 0.0);
        assert!(value(&ok, "schedulerHeartbeat") > 0.15);
        assert_eq!(value(&bad, "schedulerHeartbeat"), 0.0);
        assert!(value(&ok, "heartbeat") > 11.0);
        assert_eq!(value(&bad, "heartbeat"), 0.0);
        assert!(value(&bad, "failedTasks") > 10.0 * value(&ok, "failedTasks"));
        assert!(value(&bad, "taskFailCount") > value(&ok, "taskFailCount"));
        let (_, status) = bad
            .iter()
            .find(|(l, _)| *l == "coreContainerStatus")
            .unwrap();
        assert!(status.as_array().unwrap().iter().any(
            |s| s["metric"] == json!({"container": "scheduler", "reason": "CrashLoopBackOff"})
        ));
    }

    #[test]
    fn values_move_and_counters_only_grow() {
        let m = model("CeleryExecutor", false);
        let a = evaluate(&m, &[Kind::Usage], None, T0);
        let b = evaluate(&m, &[Kind::Usage], None, T0 + 5_000);
        assert_ne!(a, b);
        let mut last = 0.0;
        for i in 0..200 {
            let s = evaluate(&m, &[Kind::Scheduler], None, T0 + i * 7_000);
            let c = value(&s, "taskSuccessCount");
            assert!(c >= last, "{c} < {last}");
            last = c;
        }
        assert!(last > 0.0);
    }

    #[test]
    fn ranges_are_matrices_at_step_aligned_times() {
        let m = model("LocalExecutor", false);
        let r = Range {
            since_minutes: 10,
            step_secs: 60,
        };
        assert_eq!(r.check(), Ok(11));
        let out = evaluate(&m, &[Kind::Scheduler, Kind::Status], Some(r), T0 + 30_500);
        let (_, hb) = out.iter().find(|(l, _)| *l == "heartbeat").unwrap();
        let values = hb[0]["values"].as_array().unwrap();
        assert_eq!(values.len(), 11);
        assert!(values.iter().all(|v| v[0].as_i64().unwrap() % 60 == 0));
        assert_eq!(values[10][0], json!(T0 / 1000));
        // Instant-only labels stay vectors.
        let (_, st) = out.iter().find(|(l, _)| *l == "deploymentStatus").unwrap();
        assert!(st[0]["value"].is_array() && st[0].get("values").is_none());
        assert!(
            Range {
                since_minutes: 10_000,
                step_secs: 1
            }
            .check()
            .is_err()
        );
        assert!(
            Range {
                since_minutes: 10,
                step_secs: 0
            }
            .check()
            .is_err()
        );
    }
}
