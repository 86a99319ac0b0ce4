//! The simulated deployment behind the metrics: its pods (from `Deployment.config`), its
//! quotas (the AU model), and the value of every series at any moment.

use std::f64::consts::TAU;

use serde_json::{Value, json};

use crate::db::store::DeploymentRow;
use crate::resources::{self, AU_CPU, AU_MEMORY};
use crate::sim::{Phase, SplitMix, Timeline, hash};

/// One running pod (container) of a deployment.
#[derive(Clone, Debug)]
struct Pod {
    /// Helm chart component label: `scheduler`, `worker`, ...
    component: &'static str,
    name: String,
}

/// Everything the series of one deployment depend on, besides time.
pub(crate) struct Model {
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
    pub(crate) fn new(d: &DeploymentRow, timeline: Timeline) -> Self {
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

    /// No samples exist before this moment (epoch ms).
    pub(super) fn created_ms(&self) -> i64 {
        self.timeline.created_ms
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
    pub(super) fn series(&self, label: &str, t_ms: i64) -> Vec<(Value, f64)> {
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
