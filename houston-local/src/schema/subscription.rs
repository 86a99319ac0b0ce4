//! Subscription root: live log lines, metrics and deployment status changes.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::{Context, Result, Subscription};
use futures_util::Stream;
use tokio::time::Instant;

use super::metrics::{Metric, MetricType};
use super::query::{LOG_PERMS, parse_after};
use super::types::{DeploymentLog, DeploymentStatus};
use super::{
    DateTime, Uuid, dep_entity, load_deployment, non_empty, read, require, state, status_of,
};
use crate::db::store::{self, DeploymentRow};
use crate::error::{bad_input, forbidden, internal, not_found};
use crate::principal::ConnectionCredential;
use crate::rbac::Permission;
use crate::sim::logs::{Filter, MAX_RECORDS};
use crate::sim::metrics::{ALL_KINDS, Range, evaluate};
use crate::state::State;

pub(crate) struct SubscriptionRoot;

/// An `Err` item ends the stream (after the error is delivered).
type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<Option<T>>> + Send>>;

/// How often a log or metrics stream re-checks the caller's credential and permission (the
/// status stream re-checks on every poll).
const RECHECK: Duration = Duration::from_millis(500);
const STATUS_POLL: Duration = Duration::from_millis(200);
const STATUS_PERMS: &[Permission] = &[
    Permission::DeploymentStatusGet,
    Permission::SystemDeploymentsStatus,
];
const METRICS_PERMS: &[Permission] = &[
    Permission::DeploymentMetricsGet,
    Permission::SystemDeploymentsMetrics,
];
/// Houston's default step for range queries, in seconds.
const DEFAULT_STEP_SECS: i64 = 60;

/// Re-authenticate the connection's credential and re-check `perms` on the deployment. Plain
/// HTTP requests (no `ConnectionCredential`) are checked once, at the start.
struct Recheck {
    state: Arc<State>,
    credential: Option<ConnectionCredential>,
    deployment: DeploymentRow,
    perms: &'static [Permission],
}

impl Recheck {
    fn new(ctx: &Context<'_>, deployment: DeploymentRow, perms: &'static [Permission]) -> Self {
        Recheck {
            state: state(ctx).clone(),
            credential: ctx.data_opt::<ConnectionCredential>().cloned(),
            deployment,
            perms,
        }
    }
    fn still_allowed(&self) -> bool {
        let Some(ConnectionCredential(token)) = &self.credential else {
            return true;
        };
        crate::principal::authenticate(&self.state, token.as_deref())
            .is_some_and(|p| p.any(self.perms, dep_entity(&self.deployment)))
    }
}

#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// Pushes each new log line as its own event, when its time comes. With `timestamp`, lines
    /// newer than it are replayed first; without it the stream starts at "now" (Houston's
    /// behaviour).
    async fn log(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        component: Option<String>,
        timestamp: Option<DateTime>,
        search: Option<String>,
    ) -> Result<BoxStream<DeploymentLog>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(ctx, LOG_PERMS, dep_entity(&d))?;
        let after = parse_after(timestamp.as_ref())?;
        let st = state(ctx).clone();
        let filter = Filter::new(
            non_empty(component.as_deref()),
            non_empty(search.as_deref()),
        );
        let check = Recheck::new(ctx, d.clone(), LOG_PERMS);
        let deadline = Instant::now() + st.log_stream_max;
        let mut source = super::logs::source(&st, &d).map_err(internal)?;
        let mut cursor = store::now_ms();
        let backlog = match &source {
            Some(s) if after != i64::MIN => s.records(&filter, after, cursor, MAX_RECORDS),
            _ => Vec::new(),
        };
        Ok(Box::pin(async_stream::stream! {
            for l in backlog {
                yield Ok(Some(DeploymentLog(l)));
            }
            let mut recheck = tokio::time::interval(RECHECK);
            recheck.tick().await;
            loop {
                // Sleep until the next line is written (lines are computed, not stored).
                let next_line = source
                    .as_ref()
                    .and_then(|s| s.next_after(&filter, cursor))
                    .map(|t| Instant::now() + Duration::from_millis((t - store::now_ms()).max(0) as u64));
                tokio::select! {
                    _ = crate::limits::budget::sleep_until(next_line) => {}
                    _ = recheck.tick() => {
                        if !check.still_allowed() {
                            yield Err(forbidden());
                            break;
                        }
                        // Follow health changes; a deleted deployment ends the stream.
                        match super::logs::reload(&st, &d.id) {
                            Ok(Some(s)) => source = s,
                            Ok(None) => break,
                            Err(e) => tracing::warn!("cannot re-read deployment {}: {e}", d.id),
                        }
                        continue;
                    }
                    _ = tokio::time::sleep_until(deadline) => break,
                }
                let now = store::now_ms();
                if let Some(s) = &source {
                    for l in s.records(&filter, cursor, now, MAX_RECORDS) {
                        yield Ok(Some(DeploymentLog(l)));
                    }
                }
                cursor = now;
            }
        }))
    }

    /// Houston's Prometheus-backed metrics (simulated): every tick, the whole `[Metric]` list
    /// for `metricType` (absent or empty: every type). With `since` (minutes), range queries
    /// return matrices at `step` seconds (default 60); otherwise instant vectors.
    async fn metrics(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        metric_type: Option<Vec<Option<MetricType>>>,
        since: Option<i32>,
        step: Option<i32>,
    ) -> Result<BoxStream<Vec<Option<Metric>>>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(ctx, METRICS_PERMS, dep_entity(&d))?;
        let mut kinds: Vec<_> = metric_type
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .map(MetricType::kind)
            .collect();
        if kinds.is_empty() {
            kinds = ALL_KINDS.to_vec();
        }
        let step_secs = step.map_or(DEFAULT_STEP_SECS, i64::from);
        if step_secs <= 0 {
            return Err(bad_input(format!(
                "step must be a positive number of seconds, not {step_secs}"
            )));
        }
        let range = match since.map(i64::from) {
            None | Some(0) => None,
            Some(since_minutes) => {
                let r = Range {
                    since_minutes,
                    step_secs,
                };
                r.check().map_err(bad_input)?;
                Some(r)
            }
        };
        let st = state(ctx).clone();
        let check = Recheck::new(ctx, d.clone(), METRICS_PERMS);
        let deadline = Instant::now() + st.metrics_stream_max;
        Ok(Box::pin(async_stream::stream! {
            let mut tick = tokio::time::interval(st.metrics_interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut recheck = tokio::time::interval(RECHECK);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = recheck.tick() => {
                        if !check.still_allowed() {
                            yield Err(forbidden());
                            break;
                        }
                        continue;
                    }
                    _ = tokio::time::sleep_until(deadline) => break,
                }
                let model = match super::metrics::model(&st, &d.id) {
                    Ok(Some((_, model))) => model,
                    Ok(None) => break,
                    Err(e) => {
                        yield Err(internal(e));
                        break;
                    }
                };
                let list = evaluate(&model, &kinds, range, store::now_ms())
                    .into_iter()
                    .map(|(label, result)| {
                        Some(Metric {
                            label: Some(label.to_string()),
                            result: Some(async_graphql::Json(result)),
                        })
                    })
                    .collect();
                yield Ok(Some(list));
            }
        }))
    }

    /// Emits the current status, then every change (derived from stored timestamps, polled).
    async fn deployment_status(
        &self,
        ctx: &Context<'_>,
        release_name: Option<String>,
    ) -> Result<BoxStream<DeploymentStatus>> {
        let rn = non_empty(release_name.as_deref())
            .ok_or_else(|| {
                crate::error::bad_input("A required argument was not sent: releaseName")
            })?
            .to_string();
        super::caller(ctx)?;
        let d = read(ctx, |c| Ok(store::deployment_by_release(c, &rn)?))?.ok_or_else(not_found)?;
        require(ctx, STATUS_PERMS, dep_entity(&d))?;
        let st = state(ctx).clone();
        let deadline = tokio::time::Instant::now() + st.status_stream_max;
        let check = Recheck::new(ctx, d.clone(), STATUS_PERMS);
        Ok(Box::pin(async_stream::stream! {
            let mut last = None;
            loop {
                if !check.still_allowed() {
                    yield Err(forbidden());
                    break;
                }
                let row = st.db.read(|c| store::deployment_by_id(c, &d.id));
                let Ok(Some(row)) = row else { break };
                let s = status_of(&row, store::now_ms());
                if last != Some(s) {
                    last = Some(s);
                    yield Ok(Some(DeploymentStatus { status: Some(s), result: None }));
                }
                if tokio::time::timeout_at(deadline, tokio::time::sleep(STATUS_POLL))
                    .await
                    .is_err()
                {
                    break;
                }
            }
        }))
    }
}
