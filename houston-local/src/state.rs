//! The shared server state: one per running server, placed in the schema data and handed to
//! the HTTP and websocket handlers.

use std::sync::Arc;

use crate::db::Db;
use crate::limits::Limits;
use crate::limits::login::Logins;

/// Shared server state.
pub(crate) struct State {
    pub(crate) db: Arc<Db>,
    pub(crate) secret: Vec<u8>,
    pub(crate) base_domain: String,
    /// This server's own address (`http://127.0.0.1:<port>`): deployments' Airflow and
    /// Flower URLs point here.
    pub(crate) self_url: String,
    pub(crate) deploying_ms: i64,
    pub(crate) public_signup: bool,
    /// Time between two log lines of one component (0: no log lines).
    pub(crate) log_interval_ms: u64,
    /// Time between two `metrics` events.
    pub(crate) metrics_interval: std::time::Duration,
    /// Lifetime of a `log` / `metrics` / `deploymentStatus` subscription.
    pub(crate) log_stream_max: std::time::Duration,
    pub(crate) metrics_stream_max: std::time::Duration,
    pub(crate) status_stream_max: std::time::Duration,
    /// The Houston version this server reports and models (`Config::houston_version`).
    pub(crate) houston_version: crate::versioning::version::HoustonVersion,
    pub(crate) limits: Limits,
    /// Password checks and the failed-login back-off.
    pub(crate) logins: Logins,
}

impl State {
    /// Whether the served version has teams (0.28+): below it team bindings grant nothing
    /// and are not listed, even when the database holds teams.
    pub(crate) fn teams_enabled(&self) -> bool {
        self.houston_version >= crate::versioning::version::V0_28
    }
}
