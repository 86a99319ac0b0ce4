//! GraphQL output types. Wrappers hold database rows; nested objects load lazily so that a
//! list query costs one SQL statement unless nested fields are selected.

use std::sync::{Arc, OnceLock};

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use serde_json::{Value, json};

use super::{
    DateTime, DeploymentStatusType, ExecutorType, Json, Uuid, caller, dep_entity, forbidden, read,
    state, status_of,
};
use crate::auth;
use crate::db::store::{
    self, BindingRow, DeploymentRow, EnvRow, InviteRow, SaRow, UserRow, WorkspaceRow,
};
use crate::rbac::{Entity, Grant, Principal, Role};

pub const CHART_VERSION: &str = "1.10.0";
pub const AIRFLOW_VERSIONS: [&str; 4] = ["2.7.3", "2.8.1", "2.9.2", "2.10.3"];
pub const DEFAULT_AIRFLOW_VERSION: &str = "2.10.3";

// ------------------------------------------------------------------ nested permission checks
//
// Root fields check the caller's rights on the entity they return; every nested field that
// exposes *another* entity's data checks again, on that entity. Lists of another entity's
// children (users, deployments, variables, …) fail with FORBIDDEN (which nulls just that field,
// as Houston's `@auth` directive does); references (`RoleBinding.workspace`, `Invite.token`)
// become null, and `User.roleBindings` is filtered.

pub const WS_READ: &[&str] = &["workspace.config.get", "system.workspace.get"];
pub const WS_USERS: &[&str] = &["workspace.users.get", "system.users.get"];
pub const WS_DEPLOYMENTS: &[&str] = &["workspace.deployments.get", "system.deployments.get"];
pub const WS_SAS: &[&str] = &[
    "workspace.serviceAccounts.get",
    "system.serviceAccounts.get",
];
pub const WS_INVITES: &[&str] = &["workspace.invites.get", "system.invites.get"];
pub const DEP_READ: &[&str] = &["deployment.config.get", "system.deployments.get"];
pub const DEP_USERS: &[&str] = &["deployment.users.get", "system.users.get"];
pub const DEP_SAS: &[&str] = &[
    "deployment.serviceAccounts.get",
    "system.serviceAccounts.get",
];
pub const DEP_VARS: &[&str] = &[
    "deployment.variables.get",
    "system.deployment.variables.get",
];

/// An entity's bindings as listed: team bindings only where the version has teams.
fn listed_bindings(ctx: &Context<'_>, rows: Vec<BindingRow>) -> Vec<RoleBinding> {
    let teams = state(ctx).teams_enabled();
    rows.into_iter()
        .filter(|b| teams || b.team_id.is_none())
        .map(RoleBinding)
        .collect()
}

pub(crate) fn check(p: &Principal, perms: &[&str], e: Entity<'_>) -> Result<()> {
    if p.any(perms, e) {
        Ok(())
    } else {
        Err(forbidden())
    }
}

/// Whether the caller may see this binding: its own bindings always, everything with
/// `system.users.get`, otherwise only bindings on entities whose members the caller may list.
fn binding_visible(ctx: &Context<'_>, p: &Principal, b: &BindingRow) -> Result<bool> {
    if b.user_id.is_some() && b.user_id.as_deref() == p.user_id() {
        return Ok(true);
    }
    if let (crate::rbac::PrincipalKind::ServiceAccount(id), Some(sa)) =
        (&p.kind, &b.service_account_id)
        && id == sa
    {
        return Ok(true);
    }
    if p.has("system.users.get", Entity::System) {
        return Ok(true);
    }
    if let Some(dep) = &b.deployment_id {
        let Some(d) = read(ctx, |c| Ok(store::deployment_by_id(c, dep)?))? else {
            return Ok(false);
        };
        return Ok(p.any(DEP_USERS, dep_entity(&d)));
    }
    if let Some(ws) = &b.workspace_id {
        return Ok(p.any(WS_USERS, Entity::Workspace(ws)));
    }
    Ok(false)
}

/// Whether the caller may read the service accounts of the account's entity.
fn sa_visible(ctx: &Context<'_>, p: &Principal, b: &BindingRow) -> Result<bool> {
    if let Some(dep) = &b.deployment_id {
        let Some(d) = read(ctx, |c| Ok(store::deployment_by_id(c, dep)?))? else {
            return Ok(false);
        };
        return Ok(p.any(DEP_SAS, dep_entity(&d)));
    }
    if let Some(ws) = &b.workspace_id {
        return Ok(p.any(WS_SAS, Entity::Workspace(ws)));
    }
    Ok(p.has("system.serviceAccounts.get", Entity::System))
}

// ------------------------------------------------------------------ config objects

#[derive(SimpleObject)]
pub struct AppConfig {
    pub version: Option<String>,
    pub base_domain: Option<String>,
    pub smtp_configured: Option<bool>,
    pub manual_release_names: Option<bool>,
    pub prometheus_enabled: Option<bool>,
    pub elastic_search_enabled: Option<bool>,
    #[graphql(visible = "crate::versioning::since_0_25")]
    pub configure_dag_deployment: Option<bool>,
    #[graphql(visible = "crate::versioning::since_0_25")]
    pub nfs_mount_dag_deployment: Option<bool>,
    #[graphql(visible = "crate::versioning::since_0_25")]
    pub manual_namespace_names: Option<bool>,
    #[graphql(visible = "crate::versioning::since_0_25")]
    pub hard_delete_deployment: Option<bool>,
    #[graphql(visible = "crate::versioning::since_0_28")]
    pub triggerer_enabled: Option<bool>,
    #[graphql(visible = "crate::versioning::since_0_28")]
    pub feature_flags: Option<Json>,
    #[graphql(visible = "crate::versioning::since_0_29_2")]
    pub byo_update_registry_host: Option<String>,
}

#[derive(SimpleObject)]
pub struct AuthProvider {
    pub name: String,
    pub display_name: Option<String>,
    pub url: String,
}

#[derive(SimpleObject)]
pub struct AuthConfig {
    pub public_signup: Option<bool>,
    pub external_signup_url: Option<String>,
    pub initial_signup: Option<bool>,
    pub local_enabled: Option<bool>,
    pub providers: Option<Vec<AuthProvider>>,
}

#[derive(SimpleObject)]
pub struct AstroUnit {
    pub cpu: Option<i32>,
    pub memory: Option<i32>,
    pub pods: Option<f64>,
    pub airflow_conns: Option<f64>,
    pub actual_conns: Option<f64>,
    pub price: Option<f64>,
}

#[derive(SimpleObject)]
pub struct AirflowImage {
    pub version: String,
    pub channel: String,
    pub tag: String,
}

#[derive(SimpleObject)]
pub struct DeploymentConfig {
    pub defaults: Option<Json>,
    pub limits: Option<Json>,
    pub astro_unit: Option<AstroUnit>,
    pub max_extra_au: Option<i32>,
    pub executors: Option<Json>,
    pub single_namespace: bool,
    pub logging_enabled: bool,
    pub latest_version: Option<String>,
    pub airflow_images: Vec<AirflowImage>,
    pub airflow_versions: Vec<String>,
    pub default_airflow_image_tag: String,
    pub default_airflow_chart_version: String,
}

pub fn deployment_config() -> DeploymentConfig {
    use crate::resources::*;
    DeploymentConfig {
        defaults: Some(async_graphql::Json(json!({
            "executor": "CeleryExecutor",
            "components": default_config("CeleryExecutor"),
        }))),
        limits: Some(async_graphql::Json(json!({
            "maxPodAu": MAX_POD_AU,
            "maxExtraAu": MAX_EXTRA_AU,
            "cpu": MAX_POD_AU * AU_CPU,
            "memory": MAX_POD_AU * AU_MEMORY,
        }))),
        astro_unit: Some(AstroUnit {
            cpu: Some(AU_CPU as i32),
            memory: Some(AU_MEMORY as i32),
            pods: Some(1.0),
            airflow_conns: Some(5.0),
            actual_conns: Some(0.5),
            price: Some(0.0),
        }),
        max_extra_au: Some(MAX_EXTRA_AU as i32),
        executors: Some(async_graphql::Json(json!(
            EXECUTORS
                .iter()
                .map(|e| json!({
                    "name": e,
                    "defaultExtraAu": default_extra_au(e),
                    "components": default_config(e),
                }))
                .collect::<Vec<_>>()
        ))),
        single_namespace: false,
        logging_enabled: true,
        latest_version: Some(DEFAULT_AIRFLOW_VERSION.into()),
        airflow_images: AIRFLOW_VERSIONS
            .iter()
            .flat_map(|v| {
                [
                    AirflowImage {
                        version: v.to_string(),
                        channel: "stable".into(),
                        tag: format!("{v}-onbuild"),
                    },
                    AirflowImage {
                        version: v.to_string(),
                        channel: "stable".into(),
                        tag: format!("{v}-buster-onbuild"),
                    },
                ]
            })
            .collect(),
        airflow_versions: AIRFLOW_VERSIONS.iter().map(|s| s.to_string()).collect(),
        default_airflow_image_tag: format!("{DEFAULT_AIRFLOW_VERSION}-onbuild"),
        default_airflow_chart_version: CHART_VERSION.into(),
    }
}

// ------------------------------------------------------------------ auth

#[derive(SimpleObject)]
pub struct TokenPayload {
    pub uuid: Option<Uuid>,
    pub iat: Option<i64>,
    pub exp: Option<i64>,
}

#[derive(SimpleObject)]
pub struct Token {
    pub value: Option<String>,
    pub payload: Option<TokenPayload>,
}

#[derive(SimpleObject)]
pub struct AuthUserCapabilities {
    pub can_sys_admin: Option<bool>,
}

pub struct AuthUser {
    pub user: Option<UserRow>,
    pub grants: Vec<Grant>,
}

#[Object]
impl AuthUser {
    async fn user(&self) -> Option<User> {
        self.user.clone().map(|u| User(u, true))
    }

    /// Mints a fresh 24 h JWT each time it is selected (Houston B behaviour); null for
    /// service accounts and inactive users.
    async fn token(&self, ctx: &Context<'_>) -> Option<Token> {
        let u = self.user.as_ref().filter(|u| u.status == "active")?;
        let (value, claims) =
            auth::issue(&state(ctx).secret, &u.id, chrono::Utc::now().timestamp());
        Some(Token {
            value: Some(value),
            payload: Some(TokenPayload {
                uuid: Some(Uuid(claims.uuid)),
                iat: Some(claims.iat),
                exp: Some(claims.exp),
            }),
        })
    }

    async fn permissions(&self) -> Option<Json> {
        Some(async_graphql::Json(json!({})))
    }

    async fn is_admin(&self) -> Option<bool> {
        Some(self.grants.iter().any(|g| g.role == Role::SystemAdmin))
    }

    async fn auth_user_capabilities(&self) -> Option<AuthUserCapabilities> {
        Some(AuthUserCapabilities {
            can_sys_admin: Some(
                self.grants
                    .iter()
                    .any(|g| g.role.grants("system.airflow.admin")),
            ),
        })
    }
}

// ------------------------------------------------------------------ users

#[derive(SimpleObject)]
pub struct Email {
    pub id: ID,
    pub address: Option<String>,
    pub primary: Option<bool>,
    pub verified: Option<bool>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(SimpleObject)]
pub struct UserProp {
    pub key: Option<String>,
    pub value: Option<String>,
    pub category: Option<String>,
}

/// A user's one address (`Email.id` is derived from the user id, see
/// `db::accounts::user_by_email_id`); addresses are verified when the user is created.
pub fn email_of(u: &UserRow) -> Email {
    Email {
        id: ID(format!("e{}", u.id.get(1..).unwrap_or_default())),
        address: Some(u.email.clone()),
        primary: Some(true),
        verified: Some(true),
        created_at: DateTime(u.created_at.clone()),
        updated_at: DateTime(u.updated_at.clone()),
    }
}

/// A user row; the flag marks the authenticated user itself (`self`, `createToken`,
/// `createUser`), whose own role bindings are always visible even to an anonymous request.
pub struct User(pub UserRow, pub bool);

impl User {
    pub fn of(row: UserRow) -> Self {
        User(row, false)
    }
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn username(&self) -> Option<&str> {
        Some(&self.0.username)
    }
    async fn emails(&self) -> Vec<Email> {
        vec![email_of(&self.0)]
    }
    async fn full_name(&self) -> Option<&str> {
        self.0.full_name.as_deref()
    }
    async fn status(&self) -> Option<&str> {
        Some(&self.0.status)
    }
    async fn profile(&self) -> Vec<UserProp> {
        Vec::new()
    }
    /// Filtered to the bindings the caller may see (see `binding_visible`).
    async fn role_bindings(&self, ctx: &Context<'_>) -> Result<Option<Vec<RoleBinding>>> {
        let rows = read(ctx, |c| Ok(store::bindings_of_user(c, &self.0.id)?))?;
        if self.1 {
            return Ok(Some(rows.into_iter().map(RoleBinding).collect()));
        }
        let p = caller(ctx)?;
        let mut out = Vec::with_capacity(rows.len());
        for b in rows {
            if binding_visible(ctx, &p, &b)? {
                out.push(RoleBinding(b));
            }
        }
        Ok(Some(out))
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at.clone())
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at.clone())
    }
    /// The teams the user belongs to (their own membership, or any with `system.teams.get`).
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn teams(&self, ctx: &Context<'_>) -> Result<Option<Vec<Option<super::teams::Team>>>> {
        let own = self.1 || caller(ctx)?.user_id() == Some(self.0.id.as_str());
        if !own {
            check(&*caller(ctx)?, &["system.teams.get"], Entity::System)?;
        }
        let rows = read(ctx, |c| Ok(crate::db::teams::teams_of_user(c, &self.0.id)?))?;
        Ok(Some(
            rows.into_iter()
                .map(|t| Some(super::teams::Team::new(t)))
                .collect(),
        ))
    }
}

// ------------------------------------------------------------------ workspaces

#[derive(SimpleObject, Default)]
pub struct WorkspaceCapabilities {
    #[graphql(visible = "crate::versioning::since_0_25")]
    pub can_get_workspace: Option<bool>,
    pub can_update_billing: Option<bool>,
    #[graphql(name = "canUpdateIAM")]
    pub can_update_iam: Option<bool>,
    pub can_update_workspace: Option<bool>,
    pub can_delete_workspace: Option<bool>,
    pub can_create_deployment: Option<bool>,
    pub can_invite_user: Option<bool>,
    pub can_update_user: Option<bool>,
    pub can_delete_user: Option<bool>,
    pub can_create_service_account: Option<bool>,
    pub can_update_service_account: Option<bool>,
    pub can_delete_service_account: Option<bool>,
}

pub fn workspace_capabilities(p: &Principal, ws: &str) -> WorkspaceCapabilities {
    let e = Entity::Workspace(ws);
    let has = |perms: &[&str]| Some(p.any(perms, e));
    WorkspaceCapabilities {
        can_get_workspace: has(&["workspace.config.get", "system.workspace.get"]),
        can_update_billing: has(&["workspace.billing.update"]),
        can_update_iam: has(&["workspace.iam.update", "system.iam.update"]),
        can_update_workspace: has(&["workspace.config.update", "system.workspace.update"]),
        can_delete_workspace: has(&["workspace.config.delete", "system.workspace.delete"]),
        can_create_deployment: has(&["workspace.deployments.create", "system.deployments.create"]),
        can_invite_user: has(&["workspace.invites.get", "system.invites.get"]),
        can_update_user: has(&["workspace.iam.update", "system.iam.update"]),
        can_delete_user: has(&["workspace.iam.update", "system.iam.update"]),
        can_create_service_account: has(&[
            "workspace.serviceAccounts.create",
            "system.serviceAccounts.create",
        ]),
        can_update_service_account: has(&[
            "workspace.serviceAccounts.update",
            "system.serviceAccounts.update",
        ]),
        can_delete_service_account: has(&[
            "workspace.serviceAccounts.delete",
            "system.serviceAccounts.delete",
        ]),
    }
}

/// A workspace whose row is loaded on first use (so `workspace { id }` costs nothing).
pub struct Workspace {
    pub id: String,
    row: OnceLock<Option<WorkspaceRow>>,
    /// The caller as of the end of a mutation that changed its own bindings.
    caller: Option<Arc<Principal>>,
}

impl Workspace {
    pub fn loaded(row: WorkspaceRow) -> Self {
        let id = row.id.clone();
        let cell = OnceLock::new();
        let _ = cell.set(Some(row));
        Workspace {
            id,
            row: cell,
            caller: None,
        }
    }
    pub fn lazy(id: String) -> Self {
        Workspace {
            id,
            row: OnceLock::new(),
            caller: None,
        }
    }
    pub fn with_caller(mut self, p: Arc<Principal>) -> Self {
        self.caller = Some(p);
        self
    }
    /// The caller whose rights nested fields are checked against.
    fn principal(&self, ctx: &Context<'_>) -> Result<Arc<Principal>> {
        match &self.caller {
            Some(p) => Ok(p.clone()),
            None => caller(ctx),
        }
    }
    fn require(&self, ctx: &Context<'_>, perms: &[&str]) -> Result<()> {
        check(&*self.principal(ctx)?, perms, Entity::Workspace(&self.id))
    }
    fn row(&self, ctx: &Context<'_>) -> Result<Option<&WorkspaceRow>> {
        if let Some(r) = self.row.get() {
            return Ok(r.as_ref());
        }
        let r = read(ctx, |c| Ok(store::workspace_by_id(c, &self.id)?))?;
        Ok(self.row.get_or_init(|| r).as_ref())
    }
}

#[Object]
impl Workspace {
    async fn id(&self) -> ID {
        ID(self.id.clone())
    }
    async fn label(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(self.row(ctx)?.map(|r| r.label.clone()))
    }
    async fn description(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(self.row(ctx)?.and_then(|r| r.description.clone()))
    }
    async fn active(&self, ctx: &Context<'_>) -> Result<Option<bool>> {
        Ok(self.row(ctx)?.map(|r| r.active))
    }
    async fn properties(&self) -> Option<Json> {
        Some(async_graphql::Json(json!({})))
    }
    /// Cloud billing leftover: Software has no Stripe customer.
    async fn stripe_customer_id(&self) -> Option<String> {
        None
    }
    /// Cloud billing leftover: Software workspaces have no trial.
    async fn trial_ends_at(&self) -> Option<DateTime> {
        None
    }
    async fn billing_enabled(&self) -> Option<bool> {
        Some(false)
    }
    async fn paywall_enabled(&self) -> Option<bool> {
        Some(false)
    }
    async fn users(&self, ctx: &Context<'_>) -> Result<Option<Vec<Option<User>>>> {
        self.require(ctx, WS_USERS)?;
        let rows = read(ctx, |c| Ok(store::workspace_users(c, &self.id)?))?;
        Ok(Some(rows.into_iter().map(|u| Some(User::of(u))).collect()))
    }
    async fn deployments(&self, ctx: &Context<'_>) -> Result<Option<Vec<Option<Deployment>>>> {
        self.require(ctx, WS_DEPLOYMENTS)?;
        let rows = read(ctx, |c| Ok(store::deployments_of_workspace(c, &self.id)?))?;
        Ok(Some(
            rows.into_iter().map(|d| Some(Deployment::new(d))).collect(),
        ))
    }
    async fn service_accounts(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<Option<ServiceAccount>>>> {
        self.require(ctx, WS_SAS)?;
        let rows = read(ctx, |c| Ok(store::sas_of_workspace(c, &self.id)?))?;
        Ok(Some(
            rows.into_iter()
                .map(|s| Some(ServiceAccount::masked(s)))
                .collect(),
        ))
    }
    async fn invites(&self, ctx: &Context<'_>) -> Result<Vec<Invite>> {
        self.require(ctx, WS_INVITES)?;
        let rows = read(ctx, |c| Ok(store::invites_of_workspace(c, &self.id)?))?;
        Ok(rows.into_iter().map(Invite).collect())
    }
    async fn role_bindings(&self, ctx: &Context<'_>) -> Result<Option<Vec<RoleBinding>>> {
        self.require(ctx, WS_USERS)?;
        let rows = read(ctx, |c| Ok(store::bindings_of_workspace(c, &self.id)?))?;
        Ok(Some(listed_bindings(ctx, rows)))
    }
    async fn workspace_capabilities(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<WorkspaceCapabilities>> {
        let p = self.principal(ctx)?;
        Ok(Some(workspace_capabilities(&p, &self.id)))
    }
    async fn created_at(&self, ctx: &Context<'_>) -> Result<DateTime> {
        Ok(DateTime(
            self.row(ctx)?
                .map(|r| r.created_at.clone())
                .unwrap_or_default(),
        ))
    }
    async fn updated_at(&self, ctx: &Context<'_>) -> Result<DateTime> {
        Ok(DateTime(
            self.row(ctx)?
                .map(|r| r.updated_at.clone())
                .unwrap_or_default(),
        ))
    }
}

// ------------------------------------------------------------------ deployments

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
    let e = super::dep_entity(d);
    let has = |perms: &[&str]| Some(p.any(perms, e));
    DeploymentCapabilities {
        can_deploy: has(&["deployment.images.push", "system.deployments.images.push"]),
        can_update_deployment: has(&["deployment.config.update", "system.deployments.update"]),
        can_delete_deployment: has(&["deployment.config.delete", "system.deployments.delete"]),
        can_create_service_account: has(&[
            "deployment.serviceAccounts.create",
            "system.serviceAccounts.create",
        ]),
        can_update_service_account: has(&[
            "deployment.serviceAccounts.update",
            "system.serviceAccounts.update",
        ]),
        can_delete_service_account: has(&[
            "deployment.serviceAccounts.delete",
            "system.serviceAccounts.delete",
        ]),
        can_update_variables: has(&[
            "deployment.variables.update",
            "system.deployment.variables.update",
        ]),
        can_update_user_role: has(&["deployment.userRoles.update", "system.iam.update"]),
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
    fn require(&self, ctx: &Context<'_>, perms: &[&str]) -> Result<()> {
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
    async fn airflow_version(&self) -> Option<&str> {
        Some(&self.row.airflow_version)
    }
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
            .and_then(super::runtime::airflow_of)
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

// ------------------------------------------------------------------ role bindings, SAs, invites

pub struct RoleBinding(pub BindingRow);

#[Object]
impl RoleBinding {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn role(&self) -> Option<Role> {
        Some(self.0.role)
    }
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = &self.0.user_id else {
            return Ok(None);
        };
        Ok(read(ctx, |c| Ok(store::user_by_id(c, id)?))?.map(User::of))
    }
    async fn service_account(&self, ctx: &Context<'_>) -> Result<Option<ServiceAccount>> {
        let Some(id) = &self.0.service_account_id else {
            return Ok(None);
        };
        Ok(read(ctx, |c| Ok(store::sa_by_id(c, id)?))?.map(ServiceAccount::masked))
    }
    /// Null unless the caller may read that workspace.
    async fn workspace(&self, ctx: &Context<'_>) -> Result<Option<Workspace>> {
        let Some(ws) = &self.0.workspace_id else {
            return Ok(None);
        };
        // No caller: an anonymous createUser/createToken reading the new user's own bindings.
        let ok = caller(ctx).map_or(true, |p| p.any(WS_READ, Entity::Workspace(ws)));
        Ok(ok.then(|| Workspace::lazy(ws.clone())))
    }
    /// Null unless the caller may read that deployment.
    async fn deployment(&self, ctx: &Context<'_>) -> Result<Option<Deployment>> {
        let Some(id) = &self.0.deployment_id else {
            return Ok(None);
        };
        let p = caller(ctx).ok();
        Ok(read(ctx, |c| Ok(store::deployment_by_id(c, id)?))?
            .filter(|d| p.as_ref().is_none_or(|p| p.any(DEP_READ, dep_entity(d))))
            .map(Deployment::new))
    }
    /// The team holding this binding (its members hold the role).
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn team(&self, ctx: &Context<'_>) -> Result<Option<super::teams::Team>> {
        let Some(id) = &self.0.team_id else {
            return Ok(None);
        };
        Ok(read(ctx, |c| Ok(crate::db::teams::team_by_id(c, id)?))?.map(super::teams::Team::new))
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at.clone())
    }
}

pub struct ServiceAccount {
    pub row: SaRow,
    /// The clear-text key, only right after creation.
    pub full_key: Option<String>,
}

impl ServiceAccount {
    pub fn masked(row: SaRow) -> Self {
        ServiceAccount {
            row,
            full_key: None,
        }
    }
}

#[Object]
impl ServiceAccount {
    async fn id(&self) -> ID {
        ID(self.row.id.clone())
    }
    async fn api_key(&self) -> Option<String> {
        Some(
            self.full_key
                .clone()
                .unwrap_or_else(|| auth::mask_api_key(&self.row.key_prefix)),
        )
    }
    async fn label(&self) -> Option<&str> {
        Some(&self.row.label)
    }
    async fn category(&self) -> Option<&str> {
        self.row.category.as_deref()
    }
    async fn active(&self) -> Option<bool> {
        Some(self.row.active)
    }
    async fn last_used_at(&self) -> Option<DateTime> {
        self.row.last_used_at.clone().map(DateTime)
    }
    async fn entity_type(&self) -> &'static str {
        if self.row.binding.deployment_id.is_some() {
            "DEPLOYMENT"
        } else if self.row.binding.workspace_id.is_some() {
            "WORKSPACE"
        } else {
            "SYSTEM"
        }
    }
    async fn entity_uuid(&self) -> Option<Uuid> {
        self.row
            .binding
            .deployment_id
            .clone()
            .or_else(|| self.row.binding.workspace_id.clone())
            .map(Uuid)
    }
    /// The workspace of the account (for a deployment account: the deployment's workspace).
    async fn workspace_uuid(&self, ctx: &Context<'_>) -> Result<Option<Uuid>> {
        if let Some(ws) = &self.row.binding.workspace_id {
            return Ok(Some(Uuid(ws.clone())));
        }
        let Some(dep) = &self.row.binding.deployment_id else {
            return Ok(None);
        };
        Ok(read(ctx, |c| Ok(store::deployment_by_id(c, dep)?))?.map(|d| Uuid(d.workspace_id)))
    }
    async fn deployment_uuid(&self) -> Option<Uuid> {
        self.row.binding.deployment_id.clone().map(Uuid)
    }
    /// Null unless the caller may read the service accounts of the account's entity.
    #[graphql(visible = "crate::versioning::since_0_25")]
    async fn role_binding(&self, ctx: &Context<'_>) -> Result<Option<RoleBinding>> {
        let p = caller(ctx)?;
        Ok(sa_visible(ctx, &p, &self.row.binding)?.then(|| RoleBinding(self.row.binding.clone())))
    }
    /// The account's one binding. The Prisma-style paging arguments of the 0.23 schema are
    /// accepted; `last: 0` / `first: 0` give an empty list, as a one-element page would.
    async fn role_bindings(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        last: Option<i32>,
        before: Option<super::inputs::RoleBindingWhereUniqueInput>,
        after: Option<super::inputs::RoleBindingWhereUniqueInput>,
    ) -> Result<Vec<RoleBinding>> {
        let _ = (before, after);
        if first == Some(0) || last == Some(0) {
            return Ok(Vec::new());
        }
        let p = caller(ctx)?;
        Ok(if sa_visible(ctx, &p, &self.row.binding)? {
            vec![RoleBinding(self.row.binding.clone())]
        } else {
            Vec::new()
        })
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.row.created_at.clone())
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.row.updated_at.clone())
    }
}

pub struct Invite(pub InviteRow);

#[Object]
impl Invite {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn email(&self) -> Option<&str> {
        Some(&self.0.email)
    }
    async fn role(&self) -> Role {
        self.0.role
    }
    /// Null unless the caller may list the workspace's invites (or all invites).
    async fn token(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        let p = caller(ctx)?;
        let ok = match &self.0.workspace_id {
            Some(ws) => p.any(WS_INVITES, Entity::Workspace(ws)),
            None => p.has("system.invites.get", Entity::System),
        };
        Ok(ok.then_some(self.0.token.as_str()))
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at.clone())
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at.clone())
    }
}

// ------------------------------------------------------------------ logs

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
