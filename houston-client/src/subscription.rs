//! The subscriptions astrodash can start over Houston's legacy `graphql-ws` socket
//! (docs/houston.md, "Legacy websocket"): live log lines (`log`), a deployment's metrics
//! (`metrics`) and its health (`deploymentStatus`). Each is a document, its variables and how
//! one `data` payload becomes a [`StreamItem`]; `ws` carries them.
//!
//! The documents live here rather than in `queries/`: every document there is also run over
//! HTTP POST, which a subscription cannot be.

use chrono::SecondsFormat;
use serde_json::{Value, json};

use super::convert::parse_timestamp;
use super::metrics::{Metric, MetricType, parse_metrics};
use super::model::{DeploymentId, DeploymentStatus, LogLine, Timestamp};

/// Every argument and field is in the 0.23 schema (`DeploymentLog { id timestamp release
/// component level message }`), so it has one form. Houston itself starts at "now" whatever
/// `timestamp` says; houston-local replays the lines newer than it first.
pub const LOG_SUBSCRIPTION: &str = "subscription Log($deploymentUuid: Uuid!, $component: String, $timestamp: DateTime, $search: String) {
  log(deploymentUuid: $deploymentUuid, component: $component, timestamp: $timestamp, search: $search) {
    id
    timestamp
    component
    level
    message
  }
}";

/// The whole `[Metric]` list of the requested types, republished every poll (5–30 s).
pub const METRICS_SUBSCRIPTION: &str = "subscription Metrics($deploymentUuid: Uuid!, $metricType: [MetricType], $since: Int, $step: Int) {
  metrics(deploymentUuid: $deploymentUuid, metricType: $metricType, since: $since, step: $step) {
    label
    result
  }
}";

/// `releaseName` is `String!` in older schemas and `String` in newer ones; a `String!` variable
/// fits both.
pub const DEPLOYMENT_STATUS_SUBSCRIPTION: &str =
    "subscription DeploymentStatus($releaseName: String!) {
  deploymentStatus(releaseName: $releaseName) {
    status
  }
}";

/// What to subscribe to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subscription {
    /// New log lines of one deployment, optionally one component; `after` asks (houston-local)
    /// to replay the lines newer than it first.
    Log {
        deployment: DeploymentId,
        component: Option<String>,
        after: Option<Timestamp>,
        /// Only lines whose message contains this (Houston's phrase match).
        search: Option<String>,
    },
    /// A deployment's metrics: range queries over the last `since_minutes`, one point every
    /// `step_secs`.
    Metrics {
        deployment: DeploymentId,
        types: Vec<MetricType>,
        since_minutes: u32,
        step_secs: u32,
    },
    /// A deployment's health, by release name: the current value, then every change.
    DeploymentStatus { release_name: String },
}

/// One `data` frame, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    Log(LogLine),
    Metrics(Vec<Metric>),
    Status(DeploymentStatus),
}

impl Subscription {
    pub fn document(&self) -> &'static str {
        match self {
            Subscription::Log { .. } => LOG_SUBSCRIPTION,
            Subscription::Metrics { .. } => METRICS_SUBSCRIPTION,
            Subscription::DeploymentStatus { .. } => DEPLOYMENT_STATUS_SUBSCRIPTION,
        }
    }

    pub fn operation_name(&self) -> &'static str {
        match self {
            Subscription::Log { .. } => "Log",
            Subscription::Metrics { .. } => "Metrics",
            Subscription::DeploymentStatus { .. } => "DeploymentStatus",
        }
    }

    /// The root field the `data` payload carries.
    pub fn field(&self) -> &'static str {
        match self {
            Subscription::Log { .. } => "log",
            Subscription::Metrics { .. } => "metrics",
            Subscription::DeploymentStatus { .. } => "deploymentStatus",
        }
    }

    /// What the stream is about, in words ("log stream", "metrics stream"), for messages.
    pub fn what(&self) -> &'static str {
        match self {
            Subscription::Log { .. } => "log stream",
            Subscription::Metrics { .. } => "metrics stream",
            Subscription::DeploymentStatus { .. } => "status stream",
        }
    }

    pub fn variables(&self) -> Value {
        match self {
            Subscription::Log {
                deployment,
                component,
                after,
                search,
            } => json!({
                "deploymentUuid": deployment.as_str(),
                "component": component.as_deref().filter(|c| !c.is_empty()),
                "timestamp": after.map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true)),
                "search": search.as_deref().filter(|s| !s.is_empty()),
            }),
            Subscription::Metrics {
                deployment,
                types,
                since_minutes,
                step_secs,
            } => json!({
                "deploymentUuid": deployment.as_str(),
                "metricType": types.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
                "since": since_minutes,
                "step": step_secs,
            }),
            Subscription::DeploymentStatus { release_name } => json!({
                "releaseName": release_name,
            }),
        }
    }

    /// The `start` payload.
    pub fn payload(&self) -> Value {
        json!({
            "query": self.document(),
            "operationName": self.operation_name(),
            "variables": self.variables(),
        })
    }

    /// The item a `data` payload's `data` object carries; `None` for a frame without one
    /// (`{"log": null}`, an unexpected shape).
    pub fn item(&self, data: &Value) -> Option<StreamItem> {
        let value = data.get(self.field()).filter(|v| !v.is_null())?;
        match self {
            Subscription::Log { .. } => value.is_object().then(|| StreamItem::Log(log_line(value))),
            Subscription::Metrics { .. } => value
                .is_array()
                .then(|| StreamItem::Metrics(parse_metrics(value))),
            Subscription::DeploymentStatus { .. } => {
                let status = value.get("status").and_then(Value::as_str);
                Some(StreamItem::Status(DeploymentStatus::parse(status)))
            }
        }
    }
}

/// A `DeploymentLog` JSON object → `LogLine`.
pub fn log_line(log: &Value) -> LogLine {
    let text = |k: &str| {
        log.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    LogLine {
        // Houston's `ID` may come as a number.
        id: text("id")
            .or_else(|| {
                log.get("id")
                    .filter(|v| v.is_number())
                    .map(Value::to_string)
            })
            .unwrap_or_default(),
        timestamp: parse_timestamp(log.get("timestamp").and_then(Value::as_str)),
        component: text("component"),
        level: text("level"),
        message: text("message").unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn variables_and_items() {
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 11, 27, 3, 0, 0)
            .single()
            .unwrap_or_default();
        let log = Subscription::Log {
            deployment: "d1".into(),
            component: Some("scheduler".into()),
            after: Some(at),
            search: None,
        };
        assert_eq!(
            log.variables(),
            json!({"deploymentUuid": "d1", "component": "scheduler",
                   "timestamp": "2026-11-27T03:00:00.000Z", "search": null})
        );
        let data = json!({"log": {"id": 7, "timestamp": "2026-11-27T03:00:01Z", "message": "hi"}});
        match log.item(&data) {
            Some(StreamItem::Log(l)) => {
                assert_eq!(l.id, "7");
                assert_eq!(l.message, "hi");
                assert!(l.component.is_none());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(log.item(&json!({"log": null})), None);
        assert_eq!(log.item(&json!({"metrics": []})), None);

        let metrics = Subscription::Metrics {
            deployment: "d1".into(),
            types: vec![MetricType::DeploymentTasks, MetricType::DeploymentUsage],
            since_minutes: 60,
            step_secs: 60,
        };
        assert_eq!(
            metrics.variables(),
            json!({"deploymentUuid": "d1", "metricType": ["DEPLOYMENT_TASKS", "DEPLOYMENT_USAGE"],
                   "since": 60, "step": 60})
        );
        let data = json!({"metrics": [{"label": "runningTasks", "result": []}]});
        assert_eq!(
            metrics.item(&data),
            Some(StreamItem::Metrics(vec![Metric {
                label: "runningTasks".into(),
                series: vec![]
            }]))
        );

        let status = Subscription::DeploymentStatus {
            release_name: "r".into(),
        };
        assert_eq!(
            status.item(&json!({"deploymentStatus": {"status": "UNHEALTHY"}})),
            Some(StreamItem::Status(DeploymentStatus::Unhealthy))
        );
        assert_eq!(status.payload()["operationName"], "DeploymentStatus");
    }
}
