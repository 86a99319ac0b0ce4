//! The live data of the visible deployment: the streams running for it (by id, and what each
//! is for), its log view and its metrics tab. The reducer starts and stops streams so that
//! exactly the ones the visible view wants run (`update::streams::sync`).

use std::collections::BTreeMap;

use super::logs::LogView;
use super::metrics::{MetricsView, MetricsWindow};
use super::streams::StreamId;
use crate::houston::model::DeploymentId;
use crate::houston::request::Request;

/// Whether a stream has answered yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Connecting,
    Open,
}

/// What a running stream is for. Two streams for the same key are never wanted at once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StreamKey {
    Logs {
        deployment: DeploymentId,
        component: String,
    },
    Metrics {
        deployment: DeploymentId,
        window: MetricsWindow,
    },
}

#[derive(Debug, Clone)]
pub struct Live {
    /// The last stream id issued.
    pub(crate) next_id: StreamId,
    /// The streams started and not stopped or ended.
    pub running: BTreeMap<StreamId, StreamKey>,
    pub logs: Option<LogView>,
    /// The task log on screen (`Route::TaskLog`), in the same view.
    pub task_log: Option<LogView>,
    pub(crate) metrics: Option<MetricsView>,
    /// Lines a log view keeps (`log_lines` in the config).
    pub(crate) log_capacity: usize,
}

impl Live {
    pub(crate) fn new(log_capacity: usize) -> Self {
        Live {
            next_id: 0,
            running: BTreeMap::new(),
            logs: None,
            task_log: None,
            metrics: None,
            log_capacity,
        }
    }

    /// The log view of deployment `id`, if open.
    pub fn log_view(&self, id: &DeploymentId) -> Option<&LogView> {
        self.logs.as_ref().filter(|v| &v.deployment == id)
    }

    pub(crate) fn log_view_mut(&mut self, id: &DeploymentId) -> Option<&mut LogView> {
        self.logs.as_mut().filter(|v| &v.deployment == id)
    }

    /// The metrics tab of deployment `id`, if open.
    pub fn metrics_view(&self, id: &DeploymentId) -> Option<&MetricsView> {
        self.metrics.as_ref().filter(|v| &v.deployment == id)
    }

    pub(crate) fn metrics_view_mut(&mut self, id: &DeploymentId) -> Option<&mut MetricsView> {
        self.metrics.as_mut().filter(|v| &v.deployment == id)
    }

    /// The `logs` request the log view of `id` needs now (backlog or poll).
    pub(crate) fn log_request(&self, id: &DeploymentId) -> Option<Request> {
        self.log_view(id)?.request()
    }

    /// Whether the log view of `id` polls (the live stream is unavailable).
    pub(crate) fn polls_logs(&self, id: &DeploymentId) -> bool {
        self.log_view(id)
            .is_some_and(|v| matches!(v.feed, super::logs::Feed::Polling { .. }))
    }
}
