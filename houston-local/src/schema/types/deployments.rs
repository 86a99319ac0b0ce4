//! Deployments: status, URLs, resources, capabilities, environment variables and log records.

use std::sync::{Arc, OnceLock};

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use serde_json::{Value, json};

use super::*;
use crate::db::store::{self, DeploymentRow, EnvRow};
use crate::rbac::{Permission, Principal};
use crate::schema::{
    DateTime, DeploymentStatusType, ExecutorType, Json, caller, dep_entity, read, state, status_of,
};

#[derive(SimpleObject, Clone)]
pub struct DeploymentStatus {
    pub status: Option<DeploymentStatusType>,
    #[graphql(visible = "crate::versioning::since_0_25")]
    pub result: Option<Json>,
}

#[derive(SimpleObject)]
pub struct DeploymentUrl {
    #[graphql(name = "type")]
    pub kind: Option<String>,
    pub url: Option<String>,
}

#[derive(SimpleObject)]
pub struct DeployInfo {
    pub current: Option<String>,
    pub desired: Option<String>,
    pub next_cli: Option<String>,
    #[graphql(visible = "crate::versioning::since_0_25")]
    pub latest: Option<String>,
    pub next: Option<String>,
}

#[derive(SimpleObject)]
pub struct DagDeploymentInfo {
    #[graphql(name = "type")]
    pub kind: Option<String>,
}

#[derive(SimpleObject)]
pub struct ContainerResources {
    pub cpu: Option<i32>,
    pub memory: Option<i32>,
}

#[derive(SimpleObject)]
pub struct ResourcesLimits {
    pub requests: Option<ContainerResources>,
    pub limits: Option<ContainerResources>,
}

#[derive(SimpleObject)]
pub struct WorkersConfig {
    pub replicas: Option<i32>,
    pub termination_grace_period_seconds: Option<i32>,
    pub resources: Option<ResourcesLimits>,
}

#[derive(SimpleObject)]
pub struct WebserverConfig {
    pub resources: Option<ResourcesLimits>,
    pub use_default_airflow_image: Option<bool>,
}

#[derive(SimpleObject)]
pub struct ReplicaLimits {
    pub default: Option<i32>,
    pub minimum: Option<i32>,
    pub limit: Option<i32>,
    pub min_airflow_version: Option<String>,
}

#[derive(SimpleObject)]
pub struct SchedulerConfig {
    pub replicas: Option<ReplicaLimits>,
    pub resources: Option<ResourcesLimits>,
}

#[derive(SimpleObject, Default)]
pub struct DeploymentCapabilities {
    pub can_deploy: Option<bool>,
    pub can_update_deployment: Option<bool>,
    pub can_delete_deployment: Option<bool>,
    pub can_create_service_account: Option<bool>,
    pub can_update_service_account: Option<bool>,
    pub can_delete_service_account: Option<bool>,
    pub can_update_variables: Option<bool>,
    pub can_update_user_role: Option<bool>,
}

pub fn deployment_capabilities(p: &Principal, d: &DeploymentRow) -> DeploymentCapabilities {
    let e = crate::schema::dep_entity(d);
    let has = |perms: &[Permission]| Some(p.any(perms, e));
    DeploymentCapabilities {
        can_deploy: has(&[
            Permission::DeploymentImagesPush,
            Permission::SystemDeploymentsImagesPush,
        ]),
        can_update_deployment: has(&[
            Permission::DeploymentConfigUpdate,
            Permission::SystemDeploymentsUpdate,
        ]),
        can_delete_deployment: has(&[
            Permission::DeploymentConfigDelete,
            Permission::SystemDeploymentsDelete,
        ]),
        can_create_service_account: has(&[
            Permission::DeploymentServiceAccountsCreate,
            Permission::SystemServiceAccountsCreate,
        ]),
        can_update_service_account: has(&[
            Permission::DeploymentServiceAccountsUpdate,
            Permission::SystemServiceAccountsUpdate,
        ]),
        can_delete_service_account: has(&[
            Permission::DeploymentServiceAccountsDelete,
            Permission::SystemServiceAccountsDelete,
        ]),
        can_update_variables: has(&[
            Permission::DeploymentVariablesUpdate,
            Permission::SystemDeploymentVariablesUpdate,
        ]),
        can_update_user_role: has(&[
            Permission::DeploymentUserRolesUpdate,
            Permission::SystemIamUpdate,
        ]),
    }
}

#[derive(SimpleObject, Clone)]
pub struct EnvironmentVariable {
    pub key: Option<String>,
    pub value: Option<String>,
    pub is_secret: Option<bool>,
}

/// Secrets are blanked in every reply.
pub fn env_reply(rows: Vec<EnvRow>) -> Vec<EnvironmentVariable> {
    rows.into_iter()
        .map(|e| EnvironmentVariable {
            value: Some(if e.is_secret { String::new() } else { e.value }),
            key: Some(e.key),
            is_secret: Some(e.is_secret),
        })
        .collect()
}

pub struct Deployment {
    pub row: Arc<DeploymentRow>,
    config: OnceLock<Value>,
}

/// A deployment's Kubernetes namespace: the pre-created or adopted one, else Houston's
/// `<platform namespace>-<release name>`.
pub fn namespace_of(d: &DeploymentRow) -> String {
    d.namespace
        .clone()
        .unwrap_or_else(|| format!("astronomer-{}", d.release_name))
}

impl Deployment {
    pub fn new(row: DeploymentRow) -> Self {
        Deployment {
            row: Arc::new(row),
            config: OnceLock::new(),
        }
    }
    fn require(&self, ctx: &Context<'_>, perms: &[Permission]) -> Result<()> {
        check(&*caller(ctx)?, perms, dep_entity(&self.row))
    }
    fn cfg(&self) -> &Value {
        self.config
            .get_or_init(|| serde_json::from_str(&self.row.config).unwrap_or(Value::Null))
    }
    fn resources(&self, component: &str) -> Option<ResourcesLimits> {
        let r = self.cfg().get(component)?.get("resources")?;
        let cr = |k: &str| {
            r.get(k).map(|x| ContainerResources {
                cpu: x.get("cpu").and_then(Value::as_i64).map(|v| v as i32),
                memory: x.get("memory").and_then(Value::as_i64).map(|v| v as i32),
            })
        };
        Some(ResourcesLimits {
            requests: cr("requests"),
            limits: cr("limits"),
        })
    }
    /// A boolean kept in `properties` (false when absent).
    fn property_flag(&self, key: &str) -> bool {
        serde_json::from_str::<Value>(&self.row.properties)
            .ok()
            .and_then(|p| p.get(key).and_then(Value::as_bool))
            .unwrap_or(false)
    }
    fn replicas(&self, component: &str) -> Option<i32> {
        self.cfg()
            .get(component)?
            .get("replicas")?
            .as_i64()
            .map(|v| v as i32)
    }
}

#[Object]
impl Deployment {
    async fn id(&self) -> ID {
        ID(self.row.id.clone())
    }
    async fn label(&self) -> Option<&str> {
        Some(&self.row.label)
    }
    async fn description(&self) -> Option<&str> {
        self.row.description.as_deref()
    }
    async fn release_name(&self) -> Option<&str> {
        Some(&self.row.release_name)
    }
    #[graphql(visible = "crate::versioning::since_0_25")]
    async fn namespace(&self) -> Option<String> {
        Some(namespace_of(&self.row))
    }
    #[graphql(name = "type")]
    async fn kind(&self) -> Option<&str> {
        Some("airflow")
    }
    async fn version(&self) -> Option<&str> {
        Some(&self.row.version)
    }
    #[graphql(visible = "crate::versioning::before_1_0_1")]
    async fn airflow_version(&self) -> Option<&str> {
        Some(&self.row.airflow_version)
    }
    #[graphql(visible = "crate::versioning::before_1_0_1")]
    async fn desired_airflow_version(&self) -> Option<&str> {
        Some(&self.row.desired_airflow_version)
    }
    /// The Astro Runtime version running (null: an Astronomer Certified image).
    #[graphql(visible = "crate::versioning::since_0_29")]
    async fn runtime_version(&self) -> Option<&str> {
        self.row.runtime_version.as_deref()
    }
    /// The Runtime version asked for; differs from `runtimeVersion` while an upgrade waits
    /// for a deploy.
    #[graphql(visible = "crate::versioning::since_0_29")]
    async fn desired_runtime_version(&self) -> Option<&str> {
        self.row.desired_runtime_version.as_deref()
    }
    /// The Airflow version of the running Runtime.
    #[graphql(visible = "crate::versioning::since_0_29")]
    async fn runtime_airflow_version(&self) -> Option<&'static str> {
        self.row
            .runtime_version
            .as_deref()
            .and_then(crate::schema::runtime::airflow_of)
    }
    async fn status(&self) -> Option<&'static str> {
        Some(status_of(&self.row, store::now_ms()).as_str())
    }
    async fn deployment_status(&self) -> Option<DeploymentStatus> {
        Some(DeploymentStatus {
            status: Some(status_of(&self.row, store::now_ms())),
            result: None,
        })
    }
    async fn executor(&self) -> Option<ExecutorType> {
        ExecutorType::parse(&self.row.executor)
    }
    async fn workers(&self) -> Option<WorkersConfig> {
        let w = self.cfg().get("workers")?;
        Some(WorkersConfig {
            replicas: self.replicas("workers"),
            termination_grace_period_seconds: w
                .get("terminationGracePeriodSeconds")
                .and_then(Value::as_i64)
                .map(|v| v as i32),
            resources: self.resources("workers"),
        })
    }
    async fn webserver(&self) -> Option<WebserverConfig> {
        Some(WebserverConfig {
            resources: self.resources("webserver"),
            use_default_airflow_image: Some(false),
        })
    }
    async fn scheduler(&self) -> Option<SchedulerConfig> {
        Some(SchedulerConfig {
            replicas: Some(ReplicaLimits {
                default: self.replicas("scheduler"),
                minimum: Some(1),
                limit: Some(4),
                min_airflow_version: Some("2.0.0".into()),
            }),
            resources: self.resources("scheduler"),
        })
    }
    async fn config(&self) -> Option<Json> {
        Some(async_graphql::Json(self.cfg().clone()))
    }
    async fn properties(&self) -> Option<Json> {
        let mut p: Value = serde_json::from_str(&self.row.properties).unwrap_or(json!({}));
        if let Some(m) = p.as_object_mut() {
            m.insert("component_version".into(), json!(self.row.airflow_version));
        }
        Some(async_graphql::Json(p))
    }
    async fn environment_variables(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<EnvironmentVariable>>> {
        self.require(ctx, DEP_VARS)?;
        let rows = read(ctx, |c| Ok(store::env_vars(c, &self.row.id)?))?;
        Ok(Some(env_reply(rows)))
    }
    async fn urls(&self, ctx: &Context<'_>) -> Option<Vec<Option<DeploymentUrl>>> {
        let base = format!(
            "https://deployments.{}/{}",
            state(ctx).base_domain,
            self.row.release_name
        );
        let mut v = vec![Some(DeploymentUrl {
            kind: Some("airflow".into()),
            url: Some(format!("{base}/airflow")),
        })];
        if self.row.executor == "CeleryExecutor" {
            v.push(Some(DeploymentUrl {
                kind: Some("flower".into()),
                url: Some(format!("{base}/flower")),
            }));
        }
        Some(v)
    }
    async fn alert_emails(&self) -> Vec<String> {
        let p: Value = serde_json::from_str(&self.row.properties).unwrap_or(json!({}));
        p.get("alert_emails")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
    /// The data plane the deployment lives on (APC).
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn cluster_id(&self, ctx: &Context<'_>) -> Result<Option<crate::schema::Uuid>> {
        crate::schema::clusters::cluster_id_of(ctx, &self.row.id)
    }
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn cluster(&self, ctx: &Context<'_>) -> Result<Option<crate::schema::clusters::Cluster>> {
        crate::schema::clusters::cluster_of(ctx, &self.row.id)
    }
    /// How Commander manages it: a Helm release or the `Airflow` custom resource.
    #[graphql(visible = "crate::versioning::since_2_1")]
    async fn mode(&self, ctx: &Context<'_>) -> Result<crate::schema::AllowedDeploymentModeValues> {
        crate::schema::clusters::mode_of(ctx, &self.row.id)
    }
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn analytics_plugin_enabled(&self) -> bool {
        self.property_flag("analyticsPluginEnabled")
    }
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn airflow_db_cleanup_plugin_enabled(&self) -> bool {
        self.property_flag("airflowDbCleanupPluginEnabled")
    }
    async fn deploy_info(&self) -> Option<DeployInfo> {
        let n = self.row.deploy_count;
        let current = (n > 0).then(|| format!("deploy-{n}"));
        let next = Some(format!("deploy-{}", n + 1));
        Some(DeployInfo {
            current: current.clone(),
            desired: current.clone(),
            next_cli: next.clone(),
            latest: current,
            next,
        })
    }
    #[graphql(visible = "crate::versioning::since_0_25")]
    async fn dag_deployment(&self) -> Option<DagDeploymentInfo> {
        Some(DagDeploymentInfo {
            kind: Some("image".into()),
        })
    }
    /// Every path to a deployment checks read access to it, and a deployment reader may see
    /// its workspace's id and label; the workspace's own lists check their permissions.
    async fn workspace(&self) -> Option<Workspace> {
        Some(Workspace::lazy(self.row.workspace_id.clone()))
    }
    async fn role_bindings(&self, ctx: &Context<'_>) -> Result<Option<Vec<RoleBinding>>> {
        self.require(ctx, DEP_USERS)?;
        let rows = read(ctx, |c| Ok(store::bindings_of_deployment(c, &self.row.id)?))?;
        Ok(Some(listed_bindings(ctx, rows)))
    }
    async fn deployment_capabilities(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<DeploymentCapabilities>> {
        let p = caller(ctx)?;
        Ok(Some(deployment_capabilities(&p, &self.row)))
    }
    async fn service_accounts(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<Option<ServiceAccount>>>> {
        self.require(ctx, DEP_SAS)?;
        let rows = read(ctx, |c| Ok(store::sas_of_deployment(c, &self.row.id)?))?;
        Ok(Some(
            rows.into_iter()
                .map(|s| Some(ServiceAccount::masked(s)))
                .collect(),
        ))
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.row.created_at.clone())
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.row.updated_at.clone())
    }
}

pub struct DeploymentLog(pub crate::sim::logs::LogRecord);

#[Object]
impl DeploymentLog {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn timestamp(&self) -> Option<String> {
        Some(store::fmt_ms(self.0.ts_ms))
    }
    async fn release(&self) -> Option<&str> {
        Some(&self.0.release)
    }
    async fn component(&self) -> Option<&str> {
        Some(&self.0.component)
    }
    async fn level(&self) -> Option<&str> {
        Some(&self.0.level)
    }
    async fn message(&self) -> Option<&str> {
        Some(&self.0.message)
    }
}
