//! The Astronomer Unit model (1 AU = 0.1 CPU + 384 MiB) and the `Deployment.config` JSON:
//! defaults per executor, overrides from typed inputs or `config` JSON, limit checks.

use serde_json::{Map, Value, json};

/// 1 AU = 100 millicpu + 384 MiB.
pub(crate) const AU_CPU: i64 = 100;
pub(crate) const AU_MEMORY: i64 = 384;
pub(crate) const MAX_POD_AU: i64 = 35;
pub(crate) const MAX_EXTRA_AU: i64 = 400;

pub(crate) const EXECUTORS: [&str; 3] = ["LocalExecutor", "CeleryExecutor", "KubernetesExecutor"];
const CELERY_ONLY: [&str; 3] = ["workers", "flower", "redis"];

/// (component, default AU, default replicas or None when the component has no replica count).
fn components(executor: &str) -> Vec<(&'static str, i64, Option<i64>)> {
    let mut v = vec![
        ("scheduler", 5, Some(1)),
        ("webserver", 5, Some(1)),
        ("triggerer", 5, Some(1)),
        ("statsd", 2, None),
        ("pgbouncer", 2, None),
    ];
    if executor == "CeleryExecutor" {
        v.insert(2, ("workers", 10, Some(1)));
        v.push(("flower", 2, None));
        v.push(("redis", 2, None));
    }
    v
}

pub(crate) fn resources_for_au(au: i64) -> Value {
    let r = json!({"cpu": au * AU_CPU, "memory": au * AU_MEMORY});
    json!({"limits": r.clone(), "requests": r})
}

fn default_component(name: &str, au: i64, replicas: Option<i64>) -> Value {
    let mut m = Map::new();
    if let Some(r) = replicas {
        m.insert("replicas".into(), json!(r));
    }
    if name == "workers" {
        m.insert("terminationGracePeriodSeconds".into(), json!(600));
    }
    m.insert("resources".into(), resources_for_au(au));
    Value::Object(m)
}

pub(crate) fn default_config(executor: &str) -> Value {
    let mut m = Map::new();
    m.insert("executor".into(), json!(executor));
    for (name, au, replicas) in components(executor) {
        m.insert(name.into(), default_component(name, au, replicas));
    }
    Value::Object(m)
}

/// `extra_au` defaults to 10 for KubernetesExecutor, else 0.
pub(crate) fn default_extra_au(executor: &str) -> i64 {
    if executor == "KubernetesExecutor" {
        10
    } else {
        0
    }
}

/// Switch executor: add the Celery-only components with defaults or drop them.
pub(crate) fn change_executor(config: &mut Value, executor: &str) {
    let Some(m) = config.as_object_mut() else {
        *config = default_config(executor);
        return;
    };
    m.insert("executor".into(), json!(executor));
    if executor == "CeleryExecutor" {
        for (name, au, replicas) in components(executor) {
            if !m.contains_key(name) {
                m.insert(name.into(), default_component(name, au, replicas));
            }
        }
    } else {
        for name in CELERY_ONLY {
            m.remove(name);
        }
    }
}

fn int(v: &Value, what: &str) -> Result<i64, String> {
    v.as_i64()
        .ok_or_else(|| format!("{what} must be an integer"))
}

/// Merge per-component overrides (`{component: {replicas, terminationGracePeriodSeconds,
/// resources: {limits, requests}}}`) into `config`. Limits without requests are mirrored
/// into requests, as Houston does when generating Helm values.
pub(crate) fn apply_overrides(config: &mut Value, overrides: &Value) -> Result<(), String> {
    let Some(over) = overrides.as_object() else {
        return Err("config must be a JSON object".into());
    };
    let executor = config
        .get("executor")
        .and_then(Value::as_str)
        .unwrap_or("CeleryExecutor")
        .to_string();
    let known: Vec<&str> = components(&executor).iter().map(|c| c.0).collect();
    for (name, patch) in over {
        if name == "executor" || name == "serviceAccountAnnotations" {
            continue;
        }
        if !known.contains(&name.as_str()) {
            if CELERY_ONLY.contains(&name.as_str()) {
                return Err(format!("{name} can only be configured for CeleryExecutor"));
            }
            return Err(format!("Unknown deployment component: {name}"));
        }
        let Some(patch) = patch.as_object() else {
            return Err(format!("config.{name} must be a JSON object"));
        };
        let Some(target) = config.get_mut(name.as_str()).and_then(Value::as_object_mut) else {
            continue;
        };
        if let Some(r) = patch.get("replicas") {
            target.insert(
                "replicas".into(),
                json!(int(r, &format!("{name}.replicas"))?),
            );
        }
        if let Some(t) = patch.get("terminationGracePeriodSeconds") {
            if name != "workers" {
                return Err(format!(
                    "terminationGracePeriodSeconds only applies to workers, not {name}"
                ));
            }
            target.insert(
                "terminationGracePeriodSeconds".into(),
                json!(int(t, "workers.terminationGracePeriodSeconds")?),
            );
        }
        if let Some(res) = patch.get("resources") {
            let Some(res) = res.as_object() else {
                return Err(format!("config.{name}.resources must be a JSON object"));
            };
            let current = target
                .entry("resources")
                .or_insert_with(|| resources_for_au(1));
            let limits = res.get("limits");
            let requests = res.get("requests").or(limits);
            for (kind, src) in [("limits", limits), ("requests", requests)] {
                let Some(src) = src else { continue };
                for key in ["cpu", "memory"] {
                    if let Some(v) = src.get(key) {
                        let v = int(v, &format!("{name}.resources.{kind}.{key}"))?;
                        current[kind][key] = json!(v);
                    }
                }
            }
        }
    }
    Ok(())
}

/// Enforce `maxPodAu` per component and sane replica counts.
pub(crate) fn validate_config(config: &Value) -> Result<(), String> {
    let executor = config
        .get("executor")
        .and_then(Value::as_str)
        .unwrap_or("CeleryExecutor");
    for (name, _, _) in components(executor) {
        let Some(c) = config.get(name) else { continue };
        for kind in ["limits", "requests"] {
            let cpu = c["resources"][kind]["cpu"].as_i64().unwrap_or(0);
            let mem = c["resources"][kind]["memory"].as_i64().unwrap_or(0);
            if cpu <= 0 || mem <= 0 {
                return Err(format!(
                    "{name} resources.{kind} must have a positive cpu (millicpu) and memory (MiB)"
                ));
            }
            if cpu > MAX_POD_AU * AU_CPU || mem > MAX_POD_AU * AU_MEMORY {
                return Err(format!(
                    "{name} resources exceed maxPodAu: at most {MAX_POD_AU} AU ({} millicpu, {} MiB) per component",
                    MAX_POD_AU * AU_CPU,
                    MAX_POD_AU * AU_MEMORY
                ));
            }
        }
        if let Some(r) = c.get("replicas").and_then(Value::as_i64) {
            let (min, max) = match name {
                "scheduler" => (1, 4),
                "webserver" => (1, 4),
                "workers" => (1, 20),
                "triggerer" => (0, 2),
                _ => (0, 10),
            };
            if r < min || r > max {
                return Err(format!("{name} replicas must be between {min} and {max}"));
            }
        }
        if let Some(t) = c
            .get("terminationGracePeriodSeconds")
            .and_then(Value::as_i64)
            && !(0..=36000).contains(&t)
        {
            return Err("workers terminationGracePeriodSeconds must be between 0 and 36000".into());
        }
    }
    Ok(())
}

/// What one component of a deployment runs: pods and the limits of each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ComponentPods {
    /// As in `Deployment.config` (`workers` for the Celery workers).
    pub(crate) name: &'static str,
    pub(crate) replicas: i64,
    pub(crate) cpu_millis: i64,
    pub(crate) memory_mib: i64,
}

/// The pods a deployment's `config` asks for, component by component (a component without a
/// replica count runs one pod; missing limits count as 1 AU).
pub(crate) fn component_pods(config: &Value) -> Vec<ComponentPods> {
    let executor = config
        .get("executor")
        .and_then(Value::as_str)
        .unwrap_or("CeleryExecutor");
    components(executor)
        .into_iter()
        .filter_map(|(name, _, _)| {
            let c = config.get(name)?;
            let limit = |key: &str, au: i64| {
                c["resources"]["limits"][key]
                    .as_i64()
                    .filter(|v| *v > 0)
                    .unwrap_or(au)
            };
            Some(ComponentPods {
                name,
                replicas: c
                    .get("replicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(1)
                    .max(0),
                cpu_millis: limit("cpu", AU_CPU),
                memory_mib: limit("memory", AU_MEMORY),
            })
        })
        .collect()
}

pub(crate) fn validate_extra_au(properties: &Value) -> Result<(), String> {
    match properties.get("extra_au") {
        None | Some(Value::Null) => Ok(()),
        Some(v) => match v.as_i64() {
            Some(n) if (0..=MAX_EXTRA_AU).contains(&n) => Ok(()),
            _ => Err(format!(
                "extra_au must be an integer between 0 and {MAX_EXTRA_AU} (maxExtraAu)"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_executor_switch() {
        let mut c = default_config("CeleryExecutor");
        assert_eq!(c["scheduler"]["resources"]["limits"]["cpu"], 500);
        assert_eq!(c["scheduler"]["resources"]["requests"]["memory"], 1920);
        assert_eq!(c["workers"]["terminationGracePeriodSeconds"], 600);
        assert!(c.get("redis").is_some());
        change_executor(&mut c, "LocalExecutor");
        assert!(c.get("workers").is_none() && c.get("flower").is_none());
        assert_eq!(c["executor"], "LocalExecutor");
        validate_config(&c).unwrap();
    }

    #[test]
    fn overrides_and_limits() {
        let mut c = default_config("CeleryExecutor");
        apply_overrides(&mut c, &json!({"workers": {"replicas": 3, "resources": {"limits": {"cpu": 1000, "memory": 3840}}}})).unwrap();
        assert_eq!(c["workers"]["resources"]["requests"]["cpu"], 1000);
        validate_config(&c).unwrap();
        apply_overrides(
            &mut c,
            &json!({"scheduler": {"resources": {"limits": {"cpu": 3600}}}}),
        )
        .unwrap();
        assert!(validate_config(&c).unwrap_err().contains("maxPodAu"));
        let mut l = default_config("LocalExecutor");
        assert!(apply_overrides(&mut l, &json!({"workers": {"replicas": 2}})).is_err());
        assert!(validate_extra_au(&json!({"extra_au": 401})).is_err());
    }

    #[test]
    fn pods_follow_the_config() {
        let mut c = default_config("CeleryExecutor");
        c["workers"]["replicas"] = json!(3);
        let pods = component_pods(&c);
        let names: Vec<_> = pods.iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "scheduler",
                "webserver",
                "workers",
                "triggerer",
                "statsd",
                "pgbouncer",
                "flower",
                "redis"
            ]
        );
        let workers = &pods[2];
        assert_eq!(
            (workers.replicas, workers.cpu_millis, workers.memory_mib),
            (3, 1000, 3840)
        );
        assert_eq!(pods[4].replicas, 1, "statsd has no replica count: one pod");
        assert_eq!(component_pods(&default_config("LocalExecutor")).len(), 5);
        assert!(component_pods(&json!("not an object")).is_empty());
    }
}
