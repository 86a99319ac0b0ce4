//! Deployments: create, update, delete, Airflow upgrades and environment variables.

use async_graphql::{Context, Object, Result};
use serde_json::{Value, json};

use super::{DEP_UPDATE, version_key};
use crate::auth;
use crate::db::store::{self, DeploymentRow, EnvRow};
use crate::error::{bad_input, not_found, plain_error};
use crate::rbac::{Entity, Permission};
use crate::resources;
use crate::schema::inputs::*;
use crate::schema::types::*;
use crate::schema::{
    ExecutorType, Json, Uuid, dep_entity, load_deployment, non_empty, require, state, write,
};
use crate::validation;

/// Build the stored config from executor, `config` JSON overrides and typed inputs.
fn build_config(base: Value, config: Option<&Value>, typed: &Value) -> Result<Value> {
    let mut cfg = base;
    if let Some(c) = config.filter(|c| !c.is_null()) {
        resources::apply_overrides(&mut cfg, c).map_err(bad_input)?;
    }
    resources::apply_overrides(&mut cfg, typed).map_err(bad_input)?;
    resources::validate_config(&cfg).map_err(bad_input)?;
    Ok(cfg)
}

fn executor_from(
    arg: Option<ExecutorType>,
    config: Option<&Value>,
) -> Result<Option<&'static str>> {
    if let Some(e) = arg {
        return Ok(Some(e.as_str()));
    }
    match config.and_then(|c| c.get("executor")) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_str()
            .and_then(ExecutorType::parse)
            .map(|e| Some(e.as_str()))
            .ok_or_else(|| {
                bad_input(format!(
                    "Invalid executor: {v} (expected one of {})",
                    resources::EXECUTORS.join(", ")
                ))
            }),
    }
}

fn merge_properties(base: &mut Value, patch: Option<&Value>) -> Result<()> {
    let Some(p) = patch.filter(|p| !p.is_null()) else {
        return Ok(());
    };
    let (Some(b), Some(p)) = (base.as_object_mut(), p.as_object()) else {
        return Err(bad_input("properties must be a JSON object"));
    };
    for (k, v) in p {
        b.insert(k.clone(), v.clone());
    }
    resources::validate_extra_au(base).map_err(bad_input)
}

#[derive(Default)]
pub struct DeploymentMutation;

#[Object]
impl DeploymentMutation {
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn create_deployment(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        #[graphql(name = "type")] kind: Option<String>,
        label: String,
        description: Option<String>,
        release_name: Option<String>,
        version: Option<String>,
        airflow_version: Option<String>,
        #[graphql(visible = "crate::versioning::since_0_29")] runtime_version: Option<String>,
        executor: Option<ExecutorType>,
        workers: Option<Workers>,
        webserver: Option<Webserver>,
        scheduler: Option<Scheduler>,
        #[graphql(visible = "crate::versioning::since_0_28")] triggerer: Option<Triggerer>,
        config: Option<Json>,
        properties: Option<Json>,
        cloud_role: Option<String>,
        #[graphql(visible = "crate::versioning::since_0_25")] namespace: Option<String>,
        #[graphql(visible = "crate::versioning::since_0_25")] dag_deployment: Option<DagDeployment>,
    ) -> Result<Option<Deployment>> {
        let _ = (kind, cloud_role, dag_deployment);
        let ws = workspace_uuid.0;
        require(
            ctx,
            &[
                Permission::WorkspaceDeploymentsCreate,
                Permission::SystemDeploymentsCreate,
            ],
            Entity::Workspace(&ws),
        )?;
        let label = label.trim().to_string();
        if label.is_empty() {
            return Err(bad_input("Deployment label must not be empty"));
        }
        let config = config.map(|c| c.0);
        let executor = executor_from(executor, config.as_ref())?.unwrap_or("CeleryExecutor");
        if let Some(rn) = non_empty(release_name.as_deref()) {
            validation::check_release_name(rn).map_err(bad_input)?;
        }
        let runtime = match non_empty(runtime_version.as_deref()) {
            Some(rv) => Some(crate::schema::runtime::known_release(rv)?),
            None => None,
        };
        let airflow_version = match (runtime, non_empty(airflow_version.as_deref())) {
            (Some(r), Some(af)) if af != r.airflow_version => {
                return Err(bad_input(format!(
                    "Runtime {} runs Airflow {}, not {af}",
                    r.version, r.airflow_version
                )));
            }
            (Some(r), _) => r.airflow_version.to_string(),
            (None, af) => af.unwrap_or(DEFAULT_AIRFLOW_VERSION).to_string(),
        };
        validation::check_airflow_version(&airflow_version).map_err(bad_input)?;
        let namespace = non_empty(namespace.as_deref()).map(str::to_string);
        let typed = typed_overrides(
            workers.as_ref(),
            webserver.as_ref(),
            scheduler.as_ref(),
            triggerer.as_ref(),
        );
        let cfg = build_config(resources::default_config(executor), config.as_ref(), &typed)?;
        let mut props = json!({"extra_au": resources::default_extra_au(executor)});
        merge_properties(&mut props, properties.as_ref().map(|p| &p.0))?;
        let st = state(ctx);
        let now = store::now_ms();
        let ts = store::fmt_ms(now);
        let mut row = DeploymentRow {
            id: auth::new_id(),
            workspace_id: ws.clone(),
            label,
            description,
            release_name: String::new(),
            executor: executor.to_string(),
            airflow_version: airflow_version.clone(),
            desired_airflow_version: airflow_version,
            version: non_empty(version.as_deref())
                .unwrap_or(CHART_VERSION)
                .to_string(),
            config: cfg.to_string(),
            properties: props.to_string(),
            deploy_count: 0,
            deploying_until: now + st.deploying_ms,
            unhealthy: false,
            runtime_version: runtime.map(|r| r.version.to_string()),
            desired_runtime_version: runtime.map(|r| r.version.to_string()),
            namespace: namespace.clone(),
            adopted: false,
            created_at: ts.clone(),
            updated_at: ts,
        };
        let row = write(ctx, |c| {
            if store::workspace_by_id(c, &ws)?.is_none() {
                return Err(not_found().into());
            }
            if store::label_taken(c, &ws, &row.label, None)? {
                return Err(bad_input(format!(
                    "Workspace already has a deployment named {}",
                    row.label
                ))
                .into());
            }
            if let Some(ns) = &namespace {
                crate::schema::adoption::claim_pre_created(c, ns)?;
            }
            row.release_name = match non_empty(release_name.as_deref()) {
                Some(rn) => {
                    if store::deployment_by_release(c, rn)?.is_some() {
                        return Err(
                            bad_input(format!("Release name {rn} is already in use")).into()
                        );
                    }
                    rn.to_string()
                }
                None => loop {
                    let rn = validation::generate_release_name(&mut rand::rng());
                    if store::deployment_by_release(c, &rn)?.is_none() {
                        break rn;
                    }
                },
            };
            store::insert_deployment(c, &row)?;
            Ok(row)
        })?;
        Ok(Some(Deployment::new(row)))
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn update_deployment(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        payload: Option<Json>,
        executor: Option<ExecutorType>,
        workers: Option<Workers>,
        webserver: Option<Webserver>,
        scheduler: Option<Scheduler>,
        #[graphql(visible = "crate::versioning::since_0_28")] triggerer: Option<Triggerer>,
        config: Option<Json>,
        cloud_role: Option<String>,
        #[graphql(visible = "crate::versioning::since_0_25")] dag_deployment: Option<DagDeployment>,
        sync: Option<bool>,
    ) -> Result<Option<Deployment>> {
        // `sync` (0.23): every update is applied at once here.
        let _ = (cloud_role, dag_deployment, sync);
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(ctx, DEP_UPDATE, dep_entity(&d))?;
        let payload = payload.map(|p| p.0).unwrap_or(Value::Null);
        if !payload.is_null() && !payload.is_object() {
            return Err(bad_input("payload must be a JSON object"));
        }
        let config = config.map(|c| c.0);
        let new_executor = executor_from(executor, config.as_ref())?;
        let typed = typed_overrides(
            workers.as_ref(),
            webserver.as_ref(),
            scheduler.as_ref(),
            triggerer.as_ref(),
        );
        let deploying_ms = state(ctx).deploying_ms;
        let row = write(ctx, |c| {
            let mut d = store::deployment_by_id(c, &d.id)?.ok_or_else(not_found)?;
            if let Some(l) = payload.get("label") {
                let l = l
                    .as_str()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .ok_or_else(|| bad_input("Deployment label must not be empty"))?;
                if store::label_taken(c, &d.workspace_id, l, Some(&d.id))? {
                    return Err(
                        bad_input(format!("Workspace already has a deployment named {l}")).into(),
                    );
                }
                d.label = l.to_string();
            }
            if let Some(v) = payload.get("description") {
                d.description = v.as_str().map(str::to_string);
            }
            if let Some(v) = payload.get("version").and_then(Value::as_str) {
                d.version = v.to_string();
            }
            let mut cfg: Value = serde_json::from_str(&d.config)
                .unwrap_or_else(|_| resources::default_config(&d.executor));
            if let Some(e) = new_executor {
                resources::change_executor(&mut cfg, e);
                d.executor = e.to_string();
            }
            let cfg = build_config(cfg, config.as_ref().or(payload.get("config")), &typed)?;
            d.config = cfg.to_string();
            let mut props: Value = serde_json::from_str(&d.properties).unwrap_or(json!({}));
            merge_properties(&mut props, payload.get("properties"))?;
            d.properties = props.to_string();
            let now = store::now_ms();
            d.deploying_until = now + deploying_ms;
            d.updated_at = store::fmt_ms(now);
            store::update_deployment(c, &d)?;
            Ok(d)
        })?;
        Ok(Some(Deployment::new(row)))
    }

    async fn delete_deployment(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        #[graphql(visible = "crate::versioning::since_0_25")] deployment_hard_delete: Option<bool>,
    ) -> Result<Option<Deployment>> {
        let _ = deployment_hard_delete; // deletes are always hard here
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(
            ctx,
            &[
                Permission::DeploymentConfigDelete,
                Permission::SystemDeploymentsDelete,
            ],
            dep_entity(&d),
        )?;
        write(ctx, |c| Ok(store::delete_deployment(c, &d.id)?))?;
        Ok(Some(Deployment::new(d)))
    }

    /// Two-phase upgrade: only `desiredAirflowVersion` changes; desired = current cancels.
    async fn update_deployment_airflow(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        desired_airflow_version: String,
    ) -> Result<Option<Deployment>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(ctx, DEP_UPDATE, dep_entity(&d))?;
        let want = desired_airflow_version.trim().to_string();
        validation::check_airflow_version(&want).map_err(bad_input)?;
        let row = write(ctx, |c| {
            let mut d = store::deployment_by_id(c, &d.id)?.ok_or_else(not_found)?;
            if version_key(&want) < version_key(&d.airflow_version) {
                return Err(bad_input(format!(
                    "Cannot downgrade Airflow from {} to {want}",
                    d.airflow_version
                ))
                .into());
            }
            d.desired_airflow_version = want.clone();
            d.updated_at = store::now_ts();
            store::update_deployment(c, &d)?;
            Ok(d)
        })?;
        Ok(Some(Deployment::new(row)))
    }

    /// Full replacement; a secret sent with an empty value keeps its stored value.
    async fn update_deployment_variables(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        release_name: Option<String>,
        environment_variables: Vec<Option<InputEnvironmentVariable>>,
    ) -> Result<Option<Vec<Option<EnvironmentVariable>>>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(
            ctx,
            &[
                Permission::DeploymentVariablesUpdate,
                Permission::SystemDeploymentVariablesUpdate,
            ],
            dep_entity(&d),
        )?;
        if non_empty(release_name.as_deref()).is_some_and(|r| r != d.release_name) {
            return Err(not_found());
        }
        let mut incoming: Vec<EnvRow> = Vec::new();
        for v in environment_variables.into_iter().flatten() {
            let key = v.key.unwrap_or_default();
            validation::check_env_key(&key).map_err(plain_error)?;
            if incoming.iter().any(|e| e.key == key) {
                return Err(bad_input(format!(
                    "Duplicate Environment Variable Key: {key}"
                )));
            }
            incoming.push(EnvRow {
                key,
                value: v.value.unwrap_or_default(),
                is_secret: v.is_secret.unwrap_or(false),
            });
        }
        let deploying_ms = state(ctx).deploying_ms;
        let rows = write(ctx, |c| {
            let mut dep = store::deployment_by_id(c, &d.id)?.ok_or_else(not_found)?;
            let old = store::env_vars(c, &d.id)?;
            for v in incoming.iter_mut() {
                if v.is_secret
                    && v.value.is_empty()
                    && let Some(o) = old.iter().find(|o| o.key == v.key)
                {
                    v.value = o.value.clone();
                }
            }
            incoming.sort_by(|a, b| a.key.cmp(&b.key));
            store::replace_env_vars(c, &d.id, &incoming)?;
            let now = store::now_ms();
            dep.deploying_until = now + deploying_ms;
            dep.updated_at = store::fmt_ms(now);
            store::update_deployment(c, &dep)?;
            Ok(store::env_vars(c, &d.id)?)
        })?;
        Ok(Some(env_reply(rows).into_iter().map(Some).collect()))
    }
}
