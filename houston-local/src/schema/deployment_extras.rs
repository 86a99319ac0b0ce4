//! The 0.23-era deployment mutations astrodash does not send but the introspected schema has:
//! KEDA worker autoscaling, alert e-mails and chart upgrades.

use async_graphql::{Context, Object, Result};
use serde_json::{Value, json};

use super::mutation::{DEP_UPDATE, version_key};
use super::types::{CHART_VERSION, Deployment};
use super::{Uuid, dep_entity, load_deployment, non_empty, require, state, write};
use crate::db::store::{self, DeploymentRow};
use crate::error::{bad_input, not_found};

/// Loads the deployment, checks `deployment.config.update`, applies `change` to the stored row
/// in one transaction and marks it DEPLOYING (Houston redeploys after each of these).
fn change_and_redeploy(
    ctx: &Context<'_>,
    id: &str,
    change: impl FnOnce(&mut DeploymentRow) -> Result<()>,
) -> Result<Option<Deployment>> {
    let d = load_deployment(ctx, id)?;
    require(ctx, DEP_UPDATE, dep_entity(&d))?;
    let deploying_ms = state(ctx).deploying_ms;
    let row = write(ctx, |c| {
        let mut d = store::deployment_by_id(c, &d.id)?.ok_or_else(not_found)?;
        change(&mut d)?;
        let now = store::now_ms();
        d.deploying_until = now + deploying_ms;
        d.updated_at = store::fmt_ms(now);
        store::update_deployment(c, &d)?;
        Ok(d)
    })?;
    Ok(Some(Deployment::new(row)))
}

fn set_property(d: &mut DeploymentRow, key: &str, value: Value) {
    let mut props: Value = serde_json::from_str(&d.properties).unwrap_or(json!({}));
    if !props.is_object() {
        props = json!({});
    }
    props[key] = value;
    d.properties = props.to_string();
}

#[derive(Default)]
pub(crate) struct DeploymentExtrasMutation;

#[Object]
impl DeploymentExtrasMutation {
    /// Turns KEDA autoscaling of Celery workers on or off (kept as `properties.keda_enabled`).
    async fn update_deployment_keda_config(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        state: bool,
    ) -> Result<Option<Deployment>> {
        change_and_redeploy(ctx, &deployment_uuid.0, |d| {
            if d.executor != "CeleryExecutor" {
                return Err(bad_input(format!(
                    "KEDA autoscales Celery workers: this deployment runs the {}",
                    d.executor
                )));
            }
            set_property(d, "keda_enabled", json!(state));
            Ok(())
        })
    }

    /// Replaces the deployment's alert e-mail addresses (null or [] clears them).
    async fn deployment_alerts_update(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        alert_emails: Option<Vec<Option<String>>>,
    ) -> Result<Option<Deployment>> {
        let mut emails: Vec<String> = Vec::new();
        for e in alert_emails.unwrap_or_default().into_iter().flatten() {
            let e = e.trim().to_lowercase();
            if e.len() < 3 || !e.contains('@') {
                return Err(bad_input(format!("Invalid email address: {e}")));
            }
            if !emails.contains(&e) {
                emails.push(e);
            }
        }
        change_and_redeploy(ctx, &deployment_uuid.0, |d| {
            set_property(d, "alert_emails", json!(emails));
            Ok(())
        })
    }

    /// Upgrades the deployment's Airflow Helm chart (default: the platform's chart version).
    async fn upgrade_deployment(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        version: Option<String>,
    ) -> Result<Option<Deployment>> {
        let want = non_empty(version.as_deref().map(str::trim))
            .unwrap_or(CHART_VERSION)
            .to_string();
        let parts: Vec<&str> = want.split('.').collect();
        if parts.len() != 3
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(bad_input(format!("Invalid chart version: {want}")));
        }
        change_and_redeploy(ctx, &deployment_uuid.0, |d| {
            if version_key(&want) < version_key(&d.version) {
                return Err(bad_input(format!(
                    "Cannot downgrade the Airflow chart from {} to {want}",
                    d.version
                )));
            }
            d.version = want.clone();
            Ok(())
        })
    }
}
