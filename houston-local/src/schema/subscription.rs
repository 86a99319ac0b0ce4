//! Subscription root: live log lines and deployment status changes.

use std::pin::Pin;
use std::time::Duration;

use async_graphql::{Context, Result, Subscription};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::query::{LOG_PERMS, parse_after};
use super::types::{DeploymentLog, DeploymentStatus};
use super::{
    DateTime, Uuid, dep_entity, load_deployment, non_empty, not_found, read, require, state,
    status_of,
};
use crate::db::store;

pub struct SubscriptionRoot;

type BoxStream<T> = Pin<Box<dyn Stream<Item = Option<T>> + Send>>;

#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// Pushes each new log line as its own event. With `timestamp`, lines newer than it are
    /// replayed first; without it the stream starts at "now" (Houston's behaviour).
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
        let component = non_empty(component.as_deref()).map(str::to_string);
        let search = non_empty(search.as_deref()).map(str::to_lowercase);
        // Subscribe before reading the backlog so nothing falls between the two.
        let mut rx = st.logs_tx.subscribe();
        let backlog = if after == i64::MIN {
            Vec::new()
        } else {
            read(ctx, |c| {
                Ok(store::query_logs(
                    c,
                    &d.id,
                    &d.release_name,
                    component.as_deref(),
                    after,
                    search.as_deref(),
                    800,
                )?)
            })?
        };
        Ok(Box::pin(async_stream::stream! {
            let mut last_id = 0;
            for l in backlog {
                last_id = last_id.max(l.id);
                yield Some(DeploymentLog(l));
            }
            loop {
                match rx.recv().await {
                    Ok(l) => {
                        if l.deployment_id != d.id || l.id <= last_id {
                            continue;
                        }
                        if component.as_deref().is_some_and(|c| c != l.component) {
                            continue;
                        }
                        if search.as_deref().is_some_and(|s| !l.message.to_lowercase().contains(s)) {
                            continue;
                        }
                        last_id = l.id;
                        yield Some(DeploymentLog(l));
                    }
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                }
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
            .ok_or_else(|| super::bad_input("A required argument was not sent: releaseName"))?
            .to_string();
        super::caller(ctx)?;
        let d = read(ctx, |c| Ok(store::deployment_by_release(c, &rn)?))?.ok_or_else(not_found)?;
        require(
            ctx,
            &["deployment.status.get", "system.deployments.status"],
            dep_entity(&d),
        )?;
        let st = state(ctx).clone();
        Ok(Box::pin(async_stream::stream! {
            let mut last = None;
            loop {
                let row = st.db.read(|c| store::deployment_by_id(c, &d.id));
                let Ok(Some(row)) = row else { break };
                let s = status_of(&row, store::now_ms());
                if last != Some(s) {
                    last = Some(s);
                    yield Some(DeploymentStatus { status: Some(s), result: None });
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }))
    }
}
