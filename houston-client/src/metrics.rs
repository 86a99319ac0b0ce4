//! Houston's `metrics` subscription data (docs/houston.md, "Legacy websocket"): one
//! `Metric { label, result }` per Prometheus query, `result` being Prometheus' `data.result` —
//! an instant vector `[{metric, value: [ts, "v"]}]` or a range matrix
//! `[{metric, values: [[ts, "v"], …]}]`.
//! Parsed here into plain series; anything odd (a missing label, a value that is not a number)
//! is skipped, never a panic.

use std::collections::BTreeMap;

use serde_json::Value;

/// The groups of queries `metrics` can run (`MetricType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetricType {
    DeploymentStatus,
    DeploymentTasks,
    DeploymentDatabase,
    DeploymentScheduler,
    DeploymentQuotas,
    DeploymentUsage,
}

impl MetricType {
    pub const ALL: [MetricType; 6] = [
        MetricType::DeploymentStatus,
        MetricType::DeploymentTasks,
        MetricType::DeploymentDatabase,
        MetricType::DeploymentScheduler,
        MetricType::DeploymentQuotas,
        MetricType::DeploymentUsage,
    ];

    /// The enum value as Houston spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            MetricType::DeploymentStatus => "DEPLOYMENT_STATUS",
            MetricType::DeploymentTasks => "DEPLOYMENT_TASKS",
            MetricType::DeploymentDatabase => "DEPLOYMENT_DATABASE",
            MetricType::DeploymentScheduler => "DEPLOYMENT_SCHEDULER",
            MetricType::DeploymentQuotas => "DEPLOYMENT_QUOTAS",
            MetricType::DeploymentUsage => "DEPLOYMENT_USAGE",
        }
    }
}

/// One sample: seconds since the epoch and the value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub at: f64,
    pub value: f64,
}

/// One Prometheus series: its labels and its samples, oldest first (one for an instant query).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    pub labels: BTreeMap<String, String>,
    pub points: Vec<Point>,
}

impl Series {
    /// The newest sample's value.
    pub fn latest(&self) -> Option<f64> {
        self.points.last().map(|p| p.value)
    }

    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels.get(name).map(String::as_str)
    }
}

/// One `Metric`: the query's label (`heartbeat`, `cpuUsage` …) and its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub label: String,
    pub series: Vec<Series>,
}

/// A `[Metric]` list as the subscription publishes it. Entries without a label are dropped.
pub(crate) fn parse_metrics(list: &Value) -> Vec<Metric> {
    let Some(items) = list.as_array() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let label = item.get("label")?.as_str()?.to_string();
            let series = parse_result(item.get("result").unwrap_or(&Value::Null));
            Some(Metric { label, series })
        })
        .collect()
}

/// Prometheus' `data.result` (or, leniently, the whole `data` object with `resultType` and
/// `result`) as series. A scalar or string result becomes one series without labels.
pub(crate) fn parse_result(result: &Value) -> Vec<Series> {
    match result {
        Value::Object(map) => map.get("result").map(parse_result).unwrap_or_default(),
        // `resultType: scalar` answers `[ts, "v"]` directly.
        Value::Array(_) if is_sample(result) => sample(result)
            .map(|p| {
                vec![Series {
                    labels: BTreeMap::new(),
                    points: vec![p],
                }]
            })
            .unwrap_or_default(),
        Value::Array(items) => items.iter().filter_map(series).collect(),
        _ => Vec::new(),
    }
}

fn series(item: &Value) -> Option<Series> {
    let labels = item
        .get("metric")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .collect()
        })
        .unwrap_or_default();
    let points = if let Some(values) = item.get("values").and_then(Value::as_array) {
        values.iter().filter_map(sample).collect()
    } else if let Some(value) = item.get("value") {
        sample(value).into_iter().collect()
    } else {
        return None;
    };
    Some(Series { labels, points })
}

/// `[ts, "v"]` as a point; `NaN`/`Inf` values are dropped (they cannot be drawn).
fn sample(pair: &Value) -> Option<Point> {
    let pair = pair.as_array()?;
    let at = number(pair.first()?)?;
    let value = number(pair.get(1)?)?;
    (at.is_finite() && value.is_finite()).then_some(Point { at, value })
}

fn is_sample(v: &Value) -> bool {
    v.as_array()
        .is_some_and(|a| a.len() == 2 && !a[0].is_array() && !a[0].is_object())
}

/// A JSON number, or a string holding one (Prometheus sends values as strings).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn vectors_and_matrices() {
        let list = json!([
            {"label": "schedulerHeartbeat", "result": [
                {"metric": {"deployment": "x", "type": "counter"}, "value": [1700000000.5, "0.2"]}
            ]},
            {"label": "runningTasks", "result": [
                {"metric": {}, "values": [[1700000000, "1"], [1700000060, "3"], [1700000120, "NaN"]]}
            ]},
            {"label": "odd", "result": "not prometheus"},
            {"result": []},
            {"label": "scalar", "result": [1700000000, "7"]},
            {"label": "wrapped", "result": {"resultType": "vector", "result": [
                {"metric": {"pod": 3}, "value": [1, "2.5"]}
            ]}}
        ]);
        let metrics = parse_metrics(&list);
        let labels: Vec<&str> = metrics.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "schedulerHeartbeat",
                "runningTasks",
                "odd",
                "scalar",
                "wrapped"
            ]
        );
        assert_eq!(metrics[0].series[0].latest(), Some(0.2));
        assert_eq!(metrics[0].series[0].label("type"), Some("counter"));
        assert_eq!(
            metrics[1].series[0].points,
            vec![
                Point {
                    at: 1700000000.0,
                    value: 1.0
                },
                Point {
                    at: 1700000060.0,
                    value: 3.0
                }
            ]
        );
        assert!(metrics[2].series.is_empty());
        assert_eq!(metrics[3].series[0].latest(), Some(7.0));
        assert_eq!(metrics[4].series[0].label("pod"), Some("3"));
        assert!(parse_metrics(&json!(null)).is_empty());
        assert!(parse_metrics(&json!({"label": "x"})).is_empty());
    }
}
