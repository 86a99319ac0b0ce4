//! The shared server state: one per running server, placed in the schema data and handed to
//! the HTTP and websocket handlers.

use std::sync::Arc;

use crate::db::Db;
use crate::limits::Limits;
use crate::limits::login::Logins;

/// Shared server state.
pub struct State {
    pub db: Arc<Db>,
    pub secret: Vec<u8>,
    pub base_domain: String,
    /// This server's own address (`http://127.0.0.1:<port>`): deployments' Airflow and
    /// Flower URLs point here.
    pub self_url: String,
    pub deploying_ms: i64,
    pub public_signup: bool,
    /// Time between two log lines of one component (0: no log lines).
    pub log_interval_ms: u64,
    /// Time between two `metrics` events.
    pub metrics_interval: std::time::Duration,
    /// Lifetime of a `log` / `metrics` / `deploymentStatus` subscription.
    pub log_stream_max: std::time::Duration,
    pub metrics_stream_max: std::time::Duration,
    pub status_stream_max: std::time::Duration,
    /// The Houston version this server reports and models (`Config::houston_version`).
    pub houston_version: crate::versioning::version::HoustonVersion,
    pub limits: Limits,
    /// Password checks and the failed-login back-off.
    pub logins: Logins,
}

impl State {
    /// Whether the served version has teams (0.28+): below it team bindings grant nothing
    /// and are not listed, even when the database holds teams.
    pub fn teams_enabled(&self) -> bool {
        self.houston_version >= crate::versioning::version::V0_28
    }
}
