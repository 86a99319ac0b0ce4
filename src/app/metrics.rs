//! The Metrics tab's state: the chosen window, the newest snapshot of Houston's `metrics`
//! subscription (every `MetricType`), and how the stream stands. Pure: the reducer drives it,
//! the UI reads it.

use std::collections::BTreeMap;

use crate::houston::metrics::{Metric, MetricType, Point, Series};
use crate::houston::model::{DeploymentId, Timestamp};
use crate::houston::subscription::Subscription;

use super::live::Link;

/// How much history the charts show (Houston's `since`, with a `step` giving ~60 points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetricsWindow {
    QuarterHour,
    Hour,
    SixHours,
}

impl MetricsWindow {
    pub(crate) fn since_minutes(self) -> u32 {
        match self {
            MetricsWindow::QuarterHour => 15,
            MetricsWindow::Hour => 60,
            MetricsWindow::SixHours => 360,
        }
    }

    pub(crate) fn step_secs(self) -> u32 {
        self.since_minutes()
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            MetricsWindow::QuarterHour => "15 min",
            MetricsWindow::Hour => "1 h",
            MetricsWindow::SixHours => "6 h",
        }
    }

    pub(crate) fn next(self) -> MetricsWindow {
        match self {
            MetricsWindow::QuarterHour => MetricsWindow::Hour,
            MetricsWindow::Hour => MetricsWindow::SixHours,
            MetricsWindow::SixHours => MetricsWindow::QuarterHour,
        }
    }
}

/// Where the tab's data comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricsFeed {
    /// Not shown: no stream.
    Idle,
    /// The stream is wanted (starting or running).
    Live,
    /// The stream broke; it starts again at `at`.
    Retrying { reason: String, at: Timestamp },
    /// Houston refused or failed the metrics; why.
    Unavailable { reason: String },
    /// This Houston's schema has no metrics (an older version, or a server without them).
    NotOffered { reason: String },
}

/// One `[Metric]` list, by label.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub(crate) at: Timestamp,
    metrics: BTreeMap<String, Vec<Series>>,
}

impl Snapshot {
    pub(crate) fn new(at: Timestamp, list: Vec<Metric>) -> Self {
        Snapshot {
            at,
            metrics: list.into_iter().map(|m| (m.label, m.series)).collect(),
        }
    }

    pub(crate) fn has(&self, label: &str) -> bool {
        self.metrics.contains_key(label)
    }

    pub(crate) fn series(&self, label: &str) -> &[Series] {
        self.metrics.get(label).map_or(&[], Vec::as_slice)
    }

    /// The sum over every series of `label`, per sample time, oldest first.
    pub(crate) fn total(&self, label: &str) -> Vec<Point> {
        self.combine(label, |values| values.iter().sum())
    }

    /// The mean over every series of `label` (e.g. per-pod usage), per sample time.
    pub(crate) fn mean(&self, label: &str) -> Vec<Point> {
        self.combine(label, |values| {
            values.iter().sum::<f64>() / values.len().max(1) as f64
        })
    }

    fn combine(&self, label: &str, f: impl Fn(&[f64]) -> f64) -> Vec<Point> {
        let mut by_time: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
        for s in self.series(label) {
            for p in &s.points {
                // Millisecond buckets: the same sample time from two series lines up.
                by_time
                    .entry((p.at * 1000.0).round() as i64)
                    .or_default()
                    .push(p.value);
            }
        }
        by_time
            .into_iter()
            .map(|(ms, values)| Point {
                at: ms as f64 / 1000.0,
                value: f(&values),
            })
            .collect()
    }

    /// The newest value of the sum over every series of `label`.
    pub(crate) fn latest_total(&self, label: &str) -> Option<f64> {
        let series = self.series(label);
        if series.is_empty() {
            return None;
        }
        Some(series.iter().filter_map(Series::latest).sum())
    }

    /// The newest value of the mean over every series of `label`.
    pub(crate) fn latest_mean(&self, label: &str) -> Option<f64> {
        let values: Vec<f64> = self
            .series(label)
            .iter()
            .filter_map(Series::latest)
            .collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    }
}

#[derive(Debug, Clone)]
pub struct MetricsView {
    pub(crate) deployment: DeploymentId,
    pub(crate) window: MetricsWindow,
    pub snapshot: Option<Snapshot>,
    /// Snapshots received since the view opened.
    pub updates: u64,
    pub feed: MetricsFeed,
    pub(crate) link: Link,
    /// Consecutive stream failures (the retry backs off).
    pub(crate) failures: u32,
    /// When the stream last started.
    pub(crate) live_since: Option<Timestamp>,
}

impl MetricsView {
    pub(crate) fn new(deployment: DeploymentId) -> Self {
        MetricsView {
            deployment,
            window: MetricsWindow::QuarterHour,
            snapshot: None,
            updates: 0,
            feed: MetricsFeed::Live,
            link: Link::Connecting,
            failures: 0,
            live_since: None,
        }
    }

    /// The stream the tab wants now, if any.
    pub(crate) fn subscription(&self) -> Option<Subscription> {
        (self.feed == MetricsFeed::Live).then(|| Subscription::Metrics {
            deployment: self.deployment.clone(),
            types: MetricType::ALL.to_vec(),
            since_minutes: self.window.since_minutes(),
            step_secs: self.window.step_secs(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(points: &[(f64, f64)]) -> Series {
        Series {
            labels: BTreeMap::new(),
            points: points
                .iter()
                .map(|&(at, value)| Point { at, value })
                .collect(),
        }
    }

    #[test]
    fn totals_and_means_line_up_by_time() {
        let snapshot = Snapshot::new(
            chrono::DateTime::UNIX_EPOCH,
            vec![Metric {
                label: "cpuUsage".into(),
                series: vec![
                    series(&[(1.0, 10.0), (2.0, 20.0)]),
                    series(&[(1.0, 30.0), (2.0, 40.0)]),
                ],
            }],
        );
        let values = |points: Vec<Point>| points.iter().map(|p| p.value).collect::<Vec<_>>();
        assert_eq!(values(snapshot.total("cpuUsage")), vec![40.0, 60.0]);
        assert_eq!(values(snapshot.mean("cpuUsage")), vec![20.0, 30.0]);
        assert_eq!(snapshot.mean("cpuUsage")[1].at, 2.0);
        assert_eq!(snapshot.latest_total("cpuUsage"), Some(60.0));
        assert_eq!(snapshot.latest_mean("cpuUsage"), Some(30.0));
        assert_eq!(snapshot.latest_total("missing"), None);
        assert!(snapshot.total("missing").is_empty());
    }
}
