//! A deployment's adjustable resources as astrodash changes them: AU per component, replica
//! counts, the grace period and extra capacity, and the `config` document Houston takes for them.

use serde_json::{Value, json};

use super::model::*;

/// The sizes of a deployment's adjustable components, in AU, and their counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceSpec {
    pub scheduler_au: i64,
    pub scheduler_replicas: i64,
    pub webserver_au: i64,
    pub workers_au: i64,
    pub worker_replicas: i64,
    pub worker_grace_secs: i64,
    pub triggerer_au: i64,
    pub triggerer_replicas: i64,
    pub extra_au: i64,
}

/// Components whose size astrodash does not change (Houston sizes them): their AU each.
pub const FIXED_COMPONENTS: [(&str, i64); 4] =
    [("statsd", 2), ("pgbouncer", 2), ("flower", 2), ("redis", 2)];

impl ResourceSpec {
    /// Houston's defaults for a new deployment (docs/houston.md, "Deployment resources").
    pub fn defaults(executor: &Executor) -> ResourceSpec {
        ResourceSpec {
            scheduler_au: 5,
            scheduler_replicas: 1,
            webserver_au: 5,
            workers_au: 10,
            worker_replicas: 1,
            worker_grace_secs: 600,
            triggerer_au: 5,
            triggerer_replicas: 1,
            extra_au: if *executor == Executor::Kubernetes {
                10
            } else {
                0
            },
        }
    }

    /// What a deployment runs now; defaults for what its config does not say.
    pub fn of(d: &Deployment) -> ResourceSpec {
        let mut spec = ResourceSpec::defaults(&d.executor);
        let au = |c: &ComponentResources| c.au.round() as i64;
        if let Some(c) = d.component("scheduler") {
            spec.scheduler_au = au(c);
            spec.scheduler_replicas = c.replicas.unwrap_or(1);
        }
        if let Some(c) = d.component("webserver") {
            spec.webserver_au = au(c);
        }
        if let Some(c) = d.component("workers") {
            spec.workers_au = au(c);
            spec.worker_replicas = c.replicas.unwrap_or(1);
            spec.worker_grace_secs = c.grace_period_secs.unwrap_or(spec.worker_grace_secs);
        }
        if let Some(c) = d.component("triggerer") {
            spec.triggerer_au = au(c);
            spec.triggerer_replicas = c.replicas.unwrap_or(1);
        }
        spec.extra_au = d.extra_au.unwrap_or(spec.extra_au);
        spec
    }

    /// The AU the platform bills for this spec: each component's size times its replicas,
    /// the fixed components of the executor, and the extra capacity.
    pub fn total_au(&self, executor: &Executor) -> i64 {
        let celery = *executor == Executor::Celery;
        let mut total = self.scheduler_au * self.scheduler_replicas
            + self.webserver_au
            + self.triggerer_au * self.triggerer_replicas
            + self.extra_au;
        if celery {
            total += self.workers_au * self.worker_replicas;
        }
        total
            + FIXED_COMPONENTS
                .iter()
                .filter(|(name, _)| celery || !matches!(*name, "flower" | "redis"))
                .map(|(_, au)| au)
                .sum::<i64>()
    }

    /// `Deployment.config` overrides for the adjustable components (limits mirrored into
    /// requests, as Houston does). Workers only for Celery.
    pub(crate) fn to_config(self, executor: &Executor, config: &DeploymentConfig) -> Value {
        let resources = |au: i64| {
            let r = json!({"cpu": au * config.au_cpu, "memory": au * config.au_memory});
            json!({"limits": r.clone(), "requests": r})
        };
        let mut out = json!({
            "scheduler": {"replicas": self.scheduler_replicas, "resources": resources(self.scheduler_au)},
            "webserver": {"resources": resources(self.webserver_au)},
            "triggerer": {"replicas": self.triggerer_replicas, "resources": resources(self.triggerer_au)},
        });
        if *executor == Executor::Celery {
            out["workers"] = json!({
                "replicas": self.worker_replicas,
                "terminationGracePeriodSeconds": self.worker_grace_secs,
                "resources": resources(self.workers_au),
            });
        }
        out
    }
}
