//! Simulated Prometheus answers for Houston's `metrics` subscription (houston-api.md §3.10):
//! per metric label the `data.result` array Houston forwards, an instant vector
//! `[{metric, value: [ts, "v"]}]` or, for range queries, a matrix `[{metric, values: [...]}]`.
//! Values are smooth functions of (deployment, time) with a little deterministic noise, follow
//! the deployment's phase (a crash-looping scheduler stops heartbeating and tasks fail), and
//! quotas follow its real resources (the AU model in `resources.rs`).

use std::collections::HashMap;
use std::f64::consts::TAU;

use serde_json::{Value, json};

use super::{Phase, SplitMix, Timeline, hash};
use crate::db::store::DeploymentRow;
use crate::resources::{self, AU_CPU, AU_MEMORY};

/// The `MetricType` groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Status,
    Tasks,
    Database,
    Scheduler,
    Quotas,
    Usage,
}

pub const ALL_KINDS: [Kind; 6] = [
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
pub const MAX_POINTS: i64 = 11_000;

/// A range query: `since` minutes back from now, one point every `step` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub since_minutes: i64,
    pub step_secs: i64,
}

impl Range {
    /// Points per series, or an error for a step or window Prometheus would refuse.
    pub fn check(self) -> Result<i64, String> {
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

/// One running pod (container) of a deployment.
#[derive(Clone, Debug)]
struct Pod {
    /// Helm chart component label: `scheduler`, `worker`, ...
    component: &'static str,
    name: String,
}

/// Everything the series of one deployment depend on, besides time.
pub struct Model {
    release: String,
    namespace: String,
    executor: String,
    timeline: Timeline,
    seed: u64,
    pods: Vec<Pod>,
    /// ResourceQuota `hard`: pods, millicpu, MiB.
    hard: (i64, i64, i64),
    /// What the core pods take: pods, millicpu, MiB.
    core: (i64, i64, i64),
    /// Room for task pods (KubernetesExecutor), in AU.
    extra_au: i64,
    dag_count: i64,
}

/// Kubernetes-looking random name part (lowercase letters and digits).
fn name_part(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut rng = SplitMix::new(seed);
    (0..len)
        .map(|_| ALPHABET[(rng.unit() * ALPHABET.len() as f64) as usize % ALPHABET.len()] as char)
        .collect()
}

impl Model {
    pub fn new(d: &DeploymentRow, timeline: Timeline) -> Self {
        let seed = hash(&[d.id.as_bytes()]);
        let config: Value = serde_json::from_str(&d.config).unwrap_or(Value::Null);
        let properties: Value = serde_json::from_str(&d.properties).unwrap_or(Value::Null);
        let extra_au = properties
            .get("extra_au")
            .and_then(Value::as_i64)
            .unwrap_or_else(|| resources::default_extra_au(&d.executor))
            .max(0);
        let mut pods = Vec::new();
        let mut core = (0, 0, 0);
        for c in resources::component_pods(&config) {
            let component = if c.name == "workers" {
                "worker"
            } else {
                c.name
            };
            // Pods are replaced by every deploy: the ReplicaSet hash follows the deploy count.
            let rs = name_part(
                hash(&[
                    &seed.to_le_bytes(),
                    component.as_bytes(),
                    &d.deploy_count.to_le_bytes(),
                ]),
                10,
            );
            for replica in 0..c.replicas {
                let suffix = name_part(hash(&[rs.as_bytes(), &replica.to_le_bytes()]), 5);
                pods.push(Pod {
                    component,
                    name: format!("{}-{component}-{rs}-{suffix}", d.release_name),
                });
            }
            core.0 += c.replicas;
            core.1 += c.replicas * c.cpu_millis;
            core.2 += c.replicas * c.memory_mib;
        }
        // Twice the core pods (a rolling deploy runs old and new side by side) plus the
        // extra capacity; a settled Local or Celery deployment then sits at 50 %.
        let hard = (
            2 * core.0 + extra_au,
            2 * core.1 + extra_au * AU_CPU,
            2 * core.2 + extra_au * AU_MEMORY,
        );
        Model {
            release: d.release_name.clone(),
            namespace: format!("astronomer-{}", d.release_name),
            executor: d.executor.clone(),
            timeline,
            seed,
            pods,
            hard,
            core,
            extra_au,
            dag_count: 4 + (seed % 37) as i64,
        }
    }

    /// A smooth wave in [-1, 1] with a per-deployment phase.
    fn wave(&self, part: &str, t_s: f64, period_s: f64) -> f64 {
        let phase = (hash(&[&self.seed.to_le_bytes(), part.as_bytes()]) % 1000) as f64 / 1000.0;
        (TAU * (t_s / period_s + phase)).sin()
    }

    /// Noise in [0, 1), constant within each 10-second bucket.
    fn noise(&self, part: &str, t_s: f64) -> f64 {
        let bucket = (t_s / 10.0).floor() as i64;
        SplitMix::new(hash(&[
            &self.seed.to_le_bytes(),
            part.as_bytes(),
            &bucket.to_le_bytes(),
        ]))
        .unit()
    }

    /// A gauge wandering around `base`: ±`swing` (relative) over a few minutes, plus noise.
    fn gauge(&self, part: &str, t_s: f64, base: f64, swing: f64) -> f64 {
        let w = 0.7 * self.wave(part, t_s, 420.0) + 0.3 * self.wave(part, t_s, 97.0);
        let n = self.noise(part, t_s) - 0.5;
        (base * (1.0 + swing * w + 0.2 * swing * n)).max(0.0)
    }

    /// A counter growing at `per_sec` on average since the current phase began (pods restart
    /// at each phase change, so counters reset as Prometheus counters do).
    fn counter(&self, part: &str, t_ms: i64, per_sec: f64) -> f64 {
        let elapsed = (t_ms - self.timeline.phase_start(t_ms)).max(0) as f64 / 1000.0;
        let omega = TAU / 600.0;
        let phase = self.wave(part, 0.0, 1.0);
        // Rate per_sec × (1 + ½ cos) never goes negative, so the counter never decreases.
        (per_sec * (elapsed + 0.5 / omega * ((omega * elapsed + phase).sin() - phase.sin())))
            .floor()
            .max(0.0)
    }

    /// The rate of `counter` at `t_ms`.
    fn counter_rate(&self, part: &str, t_ms: i64, per_sec: f64) -> f64 {
        let elapsed = (t_ms - self.timeline.phase_start(t_ms)).max(0) as f64 / 1000.0;
        let omega = TAU / 600.0;
        let phase = self.wave(part, 0.0, 1.0);
        per_sec * (1.0 + 0.5 * (omega * elapsed + phase).cos())
    }

    /// Task pods running at `t` (KubernetesExecutor only), within the extra capacity.
    fn task_pods(&self, t_s: f64, phase: Phase) -> i64 {
        if self.executor != "KubernetesExecutor" || phase != Phase::Healthy {
            return 0;
        }
        let cap = self.extra_au.min(6) as f64;
        (self.gauge("task-pods", t_s, cap / 2.0, 0.9).round() as i64).clamp(0, self.extra_au)
    }

    /// Every series of `label` at `t_ms`: (labels, value).
    fn series(&self, label: &str, t_ms: i64) -> Vec<(Value, f64)> {
        let phase = self.timeline.phase_at(t_ms);
        let t_s = t_ms as f64 / 1000.0;
        let by_phase = |healthy: f64, unhealthy: f64, deploying: f64| match phase {
            Phase::Healthy => healthy,
            Phase::Unhealthy => unhealthy,
            Phase::Deploying => deploying,
        };
        let release = json!({"release": self.release});
        let deployment = json!({"deployment": self.release});
        let heartbeat_labels = json!({"deployment": self.release, "type": "counter"});
        let none = json!({});
        match label {
            "deploymentStatus" => {
                let down = by_phase(0.0, -1.0, -2.0);
                vec![(release, down)]
            }
            "schedulerHeartbeat" => {
                let rate = by_phase(0.2, 0.0, 0.1);
                vec![(heartbeat_labels, rate * (1.0 + 0.02 * self.wave("hb", t_s, 60.0)))]
            }
            "coreContainerStatus" => self.container_status(phase),
            "runningTasks" => {
                let base = by_phase(3.0, 0.0, 0.5);
                vec![(deployment, self.gauge("running", t_s, base, 0.5))]
            }
            "queuedTasks" => {
                let base = by_phase(0.6, 8.0, 2.0);
                vec![(deployment, self.gauge("queued", t_s, base, 0.6))]
            }
            "failedTasks" => {
                let base = by_phase(0.002, 0.08, 0.0);
                vec![(deployment, self.gauge("failed", t_s, base, 0.4))]
            }
            "successfulTasks" => {
                let base = by_phase(0.08, 0.003, 0.01);
                vec![(deployment, self.gauge("succeeded", t_s, base, 0.4))]
            }
            "taskStatus" => self.task_status(t_s, phase),
            "totalDatabaseConnections" => {
                let base = by_phase(14.0, 1.0, 4.0);
                vec![(none, self.gauge("db-conns", t_s, base, 0.35).round())]
            }
            "totalWaitingClients" => {
                let base = by_phase(0.3, 6.0, 1.0);
                vec![(none, self.gauge("db-waiting", t_s, base, 0.5).round())]
            }
            "heartbeat" => {
                let per_min = by_phase(12.0, 0.0, 6.0);
                vec![(heartbeat_labels, per_min * (1.0 + 0.02 * self.wave("hb", t_s, 60.0)))]
            }
            "dagCount" => vec![(none, self.dag_count as f64)],
            "zombieCount" => {
                let per_sec = by_phase(1.0 / 3600.0, 1.0 / 60.0, 0.0);
                vec![(none, self.counter("zombies", t_ms, per_sec))]
            }
            "taskSuccessCount" => {
                let per_sec = by_phase(0.08, 0.003, 0.01);
                vec![(none, self.counter("successes", t_ms, per_sec))]
            }
            "taskFailCount" => {
                let per_sec = by_phase(0.002, 0.08, 0.0);
                vec![(none, self.counter("failures", t_ms, per_sec))]
            }
            "taskSuccessRate" => {
                let per_sec = by_phase(0.08, 0.003, 0.01);
                vec![(deployment, self.counter_rate("successes", t_ms, per_sec))]
            }
            "taskFailRate" => {
                let per_sec = by_phase(0.002, 0.08, 0.0);
                vec![(deployment, self.counter_rate("failures", t_ms, per_sec))]
            }
            "maxPods" => vec![(none, self.hard.0 as f64)],
            "cpuMax" => vec![(none, self.hard.1 as f64 / 1000.0)],
            "memoryMax" => vec![(none, self.hard.2 as f64 * 1_048_576.0)],
            "runningPods" | "reservedCPU" | "reservedMemory" => {
                let (pods, cpu, mem) = self.quota_used(t_s, phase);
                let pct = |used: i64, hard: i64| used as f64 * 100.0 / hard.max(1) as f64;
                let v = match label {
                    "runningPods" => pct(pods, self.hard.0),
                    "reservedCPU" => pct(cpu, self.hard.1),
                    _ => pct(mem, self.hard.2),
                };
                vec![(none, v)]
            }
            "cpuUsage" => self.per_pod(|pod| {
                let base = match (pod.component, phase) {
                    ("scheduler", Phase::Unhealthy) => 1.5,
                    ("scheduler", _) => 35.0,
                    ("webserver", _) => 12.0,
                    ("worker", Phase::Unhealthy) => 6.0,
                    ("worker", _) => 45.0,
                    ("triggerer", _) => 8.0,
                    _ => 3.0,
                };
                let labels = json!({
                    "pod_name": pod.name,
                    "container_name": pod.component,
                    "component_name": pod.component,
                    "namespace": self.namespace,
                    "short_name": pod.name.strip_prefix(&format!("{}-", self.release)).unwrap_or(&pod.name),
                });
                (labels, self.gauge(&pod.name, t_s, base, 0.3).min(100.0))
            }),
            "memoryUsage" => self.per_pod(|pod| {
                let base = match pod.component {
                    "scheduler" => 55.0,
                    "webserver" => 60.0,
                    "worker" => 40.0,
                    "triggerer" => 30.0,
                    "flower" => 20.0,
                    _ => 10.0,
                };
                let labels = json!({
                    "pod_name": pod.name,
                    "container_name": pod.component,
                    "component_name": pod.component,
                    "namespace": self.namespace,
                    "deployment": self.release,
                });
                let part = format!("{}-mem", pod.name);
                (labels, self.gauge(&part, t_s, base, 0.1).min(100.0))
            }),
            "networkRx" | "networkTx" => self.per_pod(|pod| {
                let (rx, tx) = match pod.component {
                    "scheduler" => (40_000.0, 25_000.0),
                    "webserver" => (120_000.0, 300_000.0),
                    "worker" => (60_000.0, 30_000.0),
                    _ => (5_000.0, 5_000.0),
                };
                let base = if label == "networkRx" { rx } else { tx };
                let labels = json!({
                    "pod_name": pod.name,
                    "component_name": pod.component,
                    "namespace": self.namespace,
                    "deployment": self.release,
                });
                let part = format!("{}-{label}", pod.name);
                (labels, self.gauge(&part, t_s, base, 0.5).round())
            }),
            _ => Vec::new(),
        }
    }

    fn per_pod(&self, f: impl Fn(&Pod) -> (Value, f64)) -> Vec<(Value, f64)> {
        self.pods.iter().map(f).collect()
    }

    /// Pods, millicpu and MiB counted against the quota at `t`.
    fn quota_used(&self, t_s: f64, phase: Phase) -> (i64, i64, i64) {
        let tasks = self.task_pods(t_s, phase);
        // During a deploy the new pods start next to the old ones.
        let copies = if phase == Phase::Deploying { 2 } else { 1 };
        (
            copies * self.core.0 + tasks,
            copies * self.core.1 + tasks * AU_CPU,
            copies * self.core.2 + tasks * AU_MEMORY,
        )
    }

    /// 0 per running core container; 1 and a reason for one that is not.
    fn container_status(&self, phase: Phase) -> Vec<(Value, f64)> {
        let (failing, reason): (&[&str], &str) = match phase {
            Phase::Healthy => (&[], ""),
            Phase::Unhealthy => (&["scheduler"], "CrashLoopBackOff"),
            Phase::Deploying => (&["scheduler", "webserver"], "ContainerCreating"),
        };
        let mut out: Vec<(Value, f64)> = self
            .pods
            .iter()
            .map(|p| {
                let down = failing.contains(&p.component);
                (
                    json!({"container": p.component, "pod": p.name}),
                    if down { 1.0 } else { 0.0 },
                )
            })
            .collect();
        for c in failing {
            if self.pods.iter().any(|p| p.component == *c) {
                out.push((json!({"container": c, "reason": reason}), 1.0));
            }
        }
        out
    }

    /// Task pods (KubernetesExecutor): running ones at 0; a failing deployment's last task
    /// pod terminated with an error.
    fn task_status(&self, t_s: f64, phase: Phase) -> Vec<(Value, f64)> {
        if self.executor != "KubernetesExecutor" {
            return Vec::new();
        }
        let minute = (t_s / 60.0).floor() as i64;
        let pod = |i: i64| {
            format!(
                "{}-task-{}",
                self.release,
                name_part(
                    hash(&[&self.seed.to_le_bytes(), &(minute * 16 + i).to_le_bytes()]),
                    8
                )
            )
        };
        let mut out: Vec<(Value, f64)> = (0..self.task_pods(t_s, phase))
            .map(|i| (json!({"container": "base", "pod": pod(i)}), 0.0))
            .collect();
        if phase == Phase::Unhealthy {
            out.push((json!({"container": "base", "pod": pod(15)}), 1.0));
            out.push((json!({"container": "base", "reason": "Error"}), 1.0));
        }
        out
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
        if t_ms >= model.timeline.created_ms {
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
pub fn evaluate(
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
    use crate::db::store::fmt_ms;

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
