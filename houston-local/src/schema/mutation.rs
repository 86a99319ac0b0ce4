//! Mutation root. Every mutation checks permissions first, validates, then runs its reads and
//! writes in one transaction, so a rejected or interrupted call changes nothing.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use serde_json::{Value, json};

use super::inputs::*;
use super::types::*;
use super::{
    DbErr, ExecutorType, Id, Json, Uuid, bad_input, caller, coded, dep_entity, forbidden, internal,
    load_deployment, non_empty, not_found, plain_error, read, require, state, write,
};
use crate::auth;
use crate::db::store::{self, DeploymentRow, EnvRow, NewBinding, SaRow};
use crate::rbac::{Entity, Principal, Role};
use crate::resources;
use crate::validation;

/// The core mutations (sessions, workspaces, deployments, users, service accounts).
#[derive(Default)]
pub struct Mutation;

pub(crate) const IAM: &[&str] = &["workspace.iam.update", "system.iam.update"];
pub(crate) const DEP_UPDATE: &[&str] = &["deployment.config.update", "system.deployments.update"];

pub(crate) fn dup_binding() -> async_graphql::Error {
    bad_input("A duplicate role binding already exists")
}

pub(crate) fn version_key(v: &str) -> Vec<u64> {
    v.split(['-', '+'])
        .next()
        .unwrap_or("")
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect()
}

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

pub(crate) fn sa_in_scope(sa: &SaRow, workspace: Option<&str>, deployment: Option<&str>) -> bool {
    sa.binding.deployment_id.as_deref() == deployment
        && (deployment.is_some() || sa.binding.workspace_id.as_deref() == workspace)
}

/// Apply `{label, category, active, role}` to a service account inside a transaction.
fn update_sa_payload(
    c: &rusqlite::Connection,
    mut sa: SaRow,
    payload: &Value,
    scope: &SaScope,
    may_grant: impl Fn(Role) -> bool,
) -> Result<SaRow, DbErr> {
    let Some(p) = payload.as_object() else {
        return Err(bad_input("payload must be a JSON object").into());
    };
    if let Some(l) = p.get("label") {
        let l = l.as_str().map(str::trim).filter(|l| !l.is_empty());
        let l = l.ok_or_else(|| bad_input("label must be a non-empty string"))?;
        if store::sa_label_taken(
            c,
            l,
            sa.binding.workspace_id.as_deref(),
            sa.binding.deployment_id.as_deref(),
            &sa.id,
        )? {
            return Err(
                bad_input(format!("Service Account already exists with the name {l}")).into(),
            );
        }
        sa.label = l.to_string();
    }
    if let Some(cat) = p.get("category") {
        sa.category = cat.as_str().map(str::to_string);
    }
    if let Some(a) = p.get("active") {
        sa.active = a
            .as_bool()
            .ok_or_else(|| bad_input("active must be a boolean"))?;
    }
    if let Some(r) = p.get("role") {
        let role = r
            .as_str()
            .and_then(Role::parse)
            .filter(|r| match scope {
                SaScope::Deployment(_) => r.is_deployment(),
                SaScope::Workspace(_) => r.is_workspace(),
                SaScope::System => r.is_system(),
            })
            .ok_or_else(|| bad_input("Invalid role"))?;
        if !may_grant(role) {
            return Err(forbidden().into());
        }
        store::set_binding_role(c, &sa.binding.id, role)?;
    }
    store::update_sa(c, &sa)?;
    Ok(store::sa_by_id(c, &sa.id)?.ok_or_else(not_found)?)
}

fn find_user_for_role(
    c: &rusqlite::Connection,
    user_id: Option<&Id>,
    email: &str,
) -> Result<store::UserRow, DbErr> {
    let u = match non_empty(user_id.map(|u| u.0.as_str())) {
        Some(id) => store::user_by_id(c, id)?,
        None => store::user_by_email(c, email)?,
    };
    Ok(u.ok_or_else(not_found)?)
}

/// A password that could not be checked now: busy or backing off (`TOO_MANY_REQUESTS`).
fn login_refused(r: crate::limits::login::Refused) -> async_graphql::Error {
    match r {
        crate::limits::login::Refused::Failed(e) => internal(e),
        r => coded(r.message(), "TOO_MANY_REQUESTS"),
    }
}

fn principal_user(p: &Principal) -> Result<&str> {
    p.user_id().ok_or_else(forbidden)
}

#[Object(name = "CoreMutation")]
impl Mutation {
    async fn create_token(
        &self,
        ctx: &Context<'_>,
        identity: Option<String>,
        password: String,
        duration: Option<i32>,
    ) -> Result<Option<AuthUser>> {
        let _ = duration;
        let identity = non_empty(identity.as_deref())
            .ok_or_else(|| bad_input("A required argument was not sent: identity"))?
            .to_string();
        let found = read(ctx, |c| Ok(store::user_by_identity(c, &identity)?))?;
        let (user, hash) = found
            .ok_or_else(|| coded("The requested resource was not found", "RESOURCE_NOT_FOUND"))?;
        let hash = hash.ok_or_else(|| coded("No password credentials found", "UNAUTHENTICATED"))?;
        // Bounded argon2 slots and a back-off per user (`limits::login`), whichever
        // identity (username or e-mail) was typed.
        let ok = state(ctx)
            .logins
            .verify(&user.id, password, hash)
            .await
            .map_err(login_refused)?;
        if !ok || user.status != "active" {
            return Err(coded(
                "Invalid password and username combination",
                "INTERNAL_SERVER_ERROR",
            ));
        }
        let grants = read(ctx, |c| Ok(super::user_grants(ctx, c, &user.id)?))?;
        Ok(Some(AuthUser {
            user: Some(user),
            grants,
        }))
    }

    #[allow(clippy::too_many_arguments)]
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
        username: Option<String>,
        profile: Option<Json>,
        invite_token: Option<String>,
        duration: Option<i32>,
    ) -> Result<Option<AuthUser>> {
        let _ = duration;
        let email = email.trim().to_lowercase();
        if !email.contains('@') || email.len() < 3 {
            return Err(bad_input(format!("Invalid email address: {email}")));
        }
        if password.is_empty() {
            return Err(bad_input("A required argument was not sent: password"));
        }
        let username = non_empty(username.as_deref()).unwrap_or(&email).to_string();
        let full_name = profile
            .as_ref()
            .and_then(|p| p.0.get("fullName").or_else(|| p.0.get("name")))
            .and_then(Value::as_str)
            .map(str::to_string);
        let hash = state(ctx)
            .logins
            .hash(password)
            .await
            .map_err(login_refused)?
            .map_err(internal)?;
        let public_signup = state(ctx).public_signup;
        let token = non_empty(invite_token.as_deref()).map(str::to_string);
        let (user, bindings) = write(ctx, |c| {
            let first = store::count_users(c)? == 0;
            if !first {
                match &token {
                    Some(t) => {
                        let inv = store::invite_by_token(c, t)?
                            .ok_or_else(|| bad_input("Invite token not found"))?;
                        if inv.email != email {
                            return Err(coded(
                                "This email is not associated with the specified invite token",
                                "INVITE_EMAIL_NOT_MATCH",
                            )
                            .into());
                        }
                    }
                    None if !public_signup => {
                        return Err(coded(
                            "Public sign ups are disabled, a valid inviteToken is required to login to the platform. ",
                            "PUBLIC_SIGNUPS_DISABLED",
                        )
                        .into());
                    }
                    None => {}
                }
            }
            if store::user_by_email(c, &email)?.is_some() {
                return Err(coded("Email address in use", "DUPLICATE_EMAIL").into());
            }
            if store::user_by_identity(c, &username)?.is_some() {
                return Err(coded("Email address in use", "DUPLICATE_EMAIL").into());
            }
            let user = store::insert_user(c, &email, &username, full_name.as_deref(), Some(&hash))?;
            if first {
                store::insert_binding(
                    c,
                    NewBinding {
                        role: Role::SystemAdmin,
                        user_id: Some(&user.id),
                        service_account_id: None,
                        workspace_id: None,
                        deployment_id: None,
                    },
                )?;
            }
            // Accepting an invite consumes every pending invite for this e-mail.
            for inv in store::invites_for_email(c, &email)? {
                if let Some(ws) = &inv.workspace_id
                    && store::user_workspace_binding(c, &user.id, ws)?.is_none()
                {
                    store::insert_binding(
                        c,
                        NewBinding {
                            role: inv.role,
                            user_id: Some(&user.id),
                            service_account_id: None,
                            workspace_id: Some(ws),
                            deployment_id: None,
                        },
                    )?;
                }
                store::delete_invite(c, &inv.id)?;
            }
            let b = store::bindings_of_user(c, &user.id)?;
            Ok((user, b))
        })?;
        Ok(Some(AuthUser {
            user: Some(user),
            grants: bindings.iter().map(|b| b.grant()).collect(),
        }))
    }

    async fn update_self(&self, ctx: &Context<'_>, payload: Json) -> Result<Option<User>> {
        let p = caller(ctx)?;
        let uid = principal_user(&p)?.to_string();
        let full_name = match payload.0.get("fullName") {
            None => None,
            Some(v) => Some(
                v.as_str()
                    .map(str::trim)
                    .ok_or_else(|| bad_input("fullName must be a string"))?
                    .to_string(),
            ),
        };
        let u = write(ctx, |c| {
            if let Some(f) = &full_name {
                store::update_user_full_name(c, &uid, f)?;
            }
            Ok(store::user_by_id(c, &uid)?)
        })?;
        Ok(u.map(|u| User(u, true)))
    }

    async fn create_workspace(
        &self,
        ctx: &Context<'_>,
        label: String,
        description: Option<String>,
    ) -> Result<Option<Workspace>> {
        let p = require(ctx, &["system.workspace.create"], Entity::System)?;
        let label = label.trim().to_string();
        if label.is_empty() {
            return Err(bad_input("Workspace label must not be empty"));
        }
        let (row, grant) = write(ctx, |c| {
            let w = store::insert_workspace(c, &label, description.as_deref())?;
            let mut grant = None;
            if let Some(uid) = p.user_id() {
                let b = store::insert_binding(
                    c,
                    NewBinding {
                        role: Role::WorkspaceAdmin,
                        user_id: Some(uid),
                        service_account_id: None,
                        workspace_id: Some(&w.id),
                        deployment_id: None,
                    },
                )?;
                grant = Some(b.grant());
            }
            Ok((w, grant))
        })?;
        let mut now = (*p).clone();
        now.grants.extend(grant);
        Ok(Some(Workspace::loaded(row).with_caller(Arc::new(now))))
    }

    async fn update_workspace(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        payload: Json,
    ) -> Result<Option<Workspace>> {
        let ws = workspace_uuid.0;
        require(
            ctx,
            &["workspace.config.update", "system.workspace.update"],
            Entity::Workspace(&ws),
        )?;
        let p = payload
            .0
            .as_object()
            .ok_or_else(|| bad_input("payload must be a JSON object"))?;
        let label = match p.get("label") {
            None => None,
            Some(v) => Some(
                v.as_str()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| bad_input("Workspace label must not be empty"))?
                    .to_string(),
            ),
        };
        let description = match p.get("description") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(v) => Some(Some(
                v.as_str()
                    .ok_or_else(|| bad_input("description must be a string"))?
                    .to_string(),
            )),
        };
        let row = write(ctx, |c| {
            let cur = store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?;
            let label = label.unwrap_or(cur.label);
            let desc = description.unwrap_or(cur.description);
            store::update_workspace(c, &ws, &label, desc.as_deref())?;
            Ok(store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?)
        })?;
        Ok(Some(Workspace::loaded(row)))
    }

    async fn delete_workspace(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
    ) -> Result<Option<Workspace>> {
        let ws = workspace_uuid.0;
        require(
            ctx,
            &["workspace.config.delete", "system.workspace.delete"],
            Entity::Workspace(&ws),
        )?;
        let row = write(ctx, |c| {
            let cur = store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?;
            if store::count_deployments_of_workspace(c, &ws)? > 0 {
                return Err(plain_error(
                    "You must first deprovision all deployments before you can delete your workspace.",
                )
                .into());
            }
            store::delete_workspace(c, &ws)?;
            Ok(cur)
        })?;
        Ok(Some(Workspace::loaded(row)))
    }

    #[allow(clippy::too_many_arguments)]
    async fn create_deployment(
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
            &["workspace.deployments.create", "system.deployments.create"],
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
            Some(rv) => Some(super::runtime::known_release(rv)?),
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
                super::adoption::claim_pre_created(c, ns)?;
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
    async fn update_deployment(
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
            &["deployment.config.delete", "system.deployments.delete"],
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
                "deployment.variables.update",
                "system.deployment.variables.update",
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

    async fn workspace_add_user(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Option<Uuid>,
        email: String,
        #[graphql(default_with = "Role::WorkspaceViewer")] role: Role,
        deployment_roles: Option<Vec<Option<DeploymentRoles>>>,
        #[graphql(visible = "crate::versioning::since_0_25")] bypass_invite: Option<bool>,
    ) -> Result<Option<Workspace>> {
        let _ = bypass_invite;
        let ws = non_empty(workspace_uuid.as_ref().map(|w| w.0.as_str()))
            .ok_or_else(|| bad_input("A required argument was not sent: workspaceUuid"))?
            .to_string();
        require(ctx, IAM, Entity::Workspace(&ws))?;
        if !role.is_workspace() {
            return Err(bad_input("invalid workspace role"));
        }
        let email = email.trim().to_lowercase();
        if !email.contains('@') {
            return Err(bad_input(format!("Invalid email address: {email}")));
        }
        let dep_roles: Vec<(String, Role)> = deployment_roles
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .filter_map(|r| Some((r.deployment_id?.0, r.role?)))
            .collect();
        if dep_roles.iter().any(|(_, r)| !r.is_deployment()) {
            return Err(bad_input("Invalid role"));
        }
        let row = write(ctx, |c| {
            let w = store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?;
            for (dep, _) in &dep_roles {
                match store::deployment_by_id(c, dep)? {
                    Some(d) if d.workspace_id == ws => {}
                    _ => return Err(not_found().into()),
                }
            }
            match store::user_by_email(c, &email)? {
                Some(u) => {
                    if store::user_workspace_binding(c, &u.id, &ws)?.is_some() {
                        return Err(dup_binding().into());
                    }
                    store::insert_binding(
                        c,
                        NewBinding {
                            role,
                            user_id: Some(&u.id),
                            service_account_id: None,
                            workspace_id: Some(&ws),
                            deployment_id: None,
                        },
                    )?;
                    for (dep, r) in &dep_roles {
                        if store::user_deployment_binding(c, &u.id, dep)?.is_none() {
                            store::insert_binding(
                                c,
                                NewBinding {
                                    role: *r,
                                    user_id: Some(&u.id),
                                    service_account_id: None,
                                    workspace_id: None,
                                    deployment_id: Some(dep),
                                },
                            )?;
                        }
                    }
                }
                None => {
                    if store::workspace_invite_for(c, &ws, &email)?.is_some() {
                        return Err(coded("User already invited", "USER_ALREADY_INVITED").into());
                    }
                    store::insert_invite(c, &ws, &email, role)?;
                }
            }
            Ok(w)
        })?;
        Ok(Some(Workspace::loaded(row)))
    }

    /// Updates an existing binding or pending invite.
    async fn workspace_update_user_role(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        email: String,
        role: Role,
    ) -> Result<Option<Role>> {
        set_workspace_role(ctx, &workspace_uuid.0, &email, role, false).map(Some)
    }

    /// Like `workspaceUpdateUserRole`, but adds a binding for a known user without one.
    #[graphql(visible = "crate::versioning::since_0_25")]
    async fn workspace_upsert_user_role(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        email: String,
        role: Role,
    ) -> Result<Option<Role>> {
        set_workspace_role(ctx, &workspace_uuid.0, &email, role, true).map(Some)
    }

    async fn workspace_remove_user(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        user_uuid: Uuid,
    ) -> Result<Option<Workspace>> {
        let ws = workspace_uuid.0;
        require(ctx, IAM, Entity::Workspace(&ws))?;
        let row = write(ctx, |c| {
            let w = store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?;
            if store::user_workspace_binding(c, &user_uuid.0, &ws)?.is_none() {
                return Err(not_found().into());
            }
            store::remove_user_from_workspace(c, &user_uuid.0, &ws)?;
            Ok(w)
        })?;
        Ok(Some(Workspace::loaded(row)))
    }

    /// Deviation: Houston only requires authentication; we require IAM rights on the
    /// invite's workspace.
    async fn delete_invite_token(
        &self,
        ctx: &Context<'_>,
        invite_uuid: Option<Uuid>,
        workspace_uuid: Option<Uuid>,
    ) -> Result<Option<Invite>> {
        caller(ctx)?;
        let id = non_empty(invite_uuid.as_ref().map(|i| i.0.as_str()))
            .ok_or_else(|| bad_input("A required argument was not sent: inviteUuid"))?
            .to_string();
        let inv = read(ctx, |c| Ok(store::invite_by_id(c, &id)?))?.ok_or_else(not_found)?;
        let ws = inv.workspace_id.clone().unwrap_or_default();
        if non_empty(workspace_uuid.as_ref().map(|w| w.0.as_str())).is_some_and(|w| w != ws) {
            return Err(not_found());
        }
        require(ctx, IAM, Entity::Workspace(&ws))?;
        write(ctx, |c| Ok(store::delete_invite(c, &inv.id)?))?;
        Ok(Some(Invite(inv)))
    }

    async fn deployment_add_user_role(
        &self,
        ctx: &Context<'_>,
        user_id: Option<Id>,
        email: String,
        deployment_id: Id,
        role: Role,
    ) -> Result<Option<RoleBinding>> {
        let d = dep_user_role_check(ctx, &deployment_id.0, Some(role))?;
        let b = write(ctx, |c| {
            let u = find_user_for_role(c, user_id.as_ref(), &email)?;
            if store::user_deployment_binding(c, &u.id, &d.id)?.is_some() {
                return Err(dup_binding().into());
            }
            Ok(store::insert_binding(
                c,
                NewBinding {
                    role,
                    user_id: Some(&u.id),
                    service_account_id: None,
                    workspace_id: None,
                    deployment_id: Some(&d.id),
                },
            )?)
        })?;
        Ok(Some(RoleBinding(b)))
    }

    async fn deployment_update_user_role(
        &self,
        ctx: &Context<'_>,
        user_id: Option<Id>,
        email: String,
        deployment_id: Id,
        role: Role,
    ) -> Result<Option<RoleBinding>> {
        let d = dep_user_role_check(ctx, &deployment_id.0, Some(role))?;
        let b = write(ctx, |c| {
            let u = find_user_for_role(c, user_id.as_ref(), &email)?;
            let b = store::user_deployment_binding(c, &u.id, &d.id)?
                .ok_or_else(|| bad_input("The role binding does not exist for this user"))?;
            store::set_binding_role(c, &b.id, role)?;
            Ok(store::binding_by_id(c, &b.id)?.ok_or_else(not_found)?)
        })?;
        Ok(Some(RoleBinding(b)))
    }

    async fn deployment_remove_user_role(
        &self,
        ctx: &Context<'_>,
        user_id: Option<Id>,
        email: String,
        deployment_id: Id,
    ) -> Result<Option<RoleBinding>> {
        let d = dep_user_role_check(ctx, &deployment_id.0, None)?;
        let b = write(ctx, |c| {
            let u = find_user_for_role(c, user_id.as_ref(), &email)?;
            let b = store::user_deployment_binding(c, &u.id, &d.id)?
                .ok_or_else(|| bad_input("The role binding does not exist for this user"))?;
            store::delete_binding(c, &b.id)?;
            Ok(b)
        })?;
        Ok(Some(RoleBinding(b)))
    }

    async fn create_workspace_service_account(
        &self,
        ctx: &Context<'_>,
        label: String,
        category: Option<String>,
        workspace_uuid: Uuid,
        role: Role,
    ) -> Result<Option<ServiceAccount>> {
        super::service_accounts::create_workspace_sa(ctx, label, category, workspace_uuid.0, role)
    }

    async fn create_deployment_service_account(
        &self,
        ctx: &Context<'_>,
        label: String,
        category: Option<String>,
        deployment_uuid: Uuid,
        role: Role,
    ) -> Result<Option<ServiceAccount>> {
        super::service_accounts::create_deployment_sa(
            ctx,
            label,
            category,
            &deployment_uuid.0,
            role,
        )
    }

    async fn update_workspace_service_account(
        &self,
        ctx: &Context<'_>,
        service_account_uuid: Uuid,
        workspace_uuid: Uuid,
        payload: Json,
    ) -> Result<Option<ServiceAccount>> {
        let scope = SaScope::Workspace(workspace_uuid.0);
        scoped_sa_op(
            ctx,
            &scope,
            &service_account_uuid.0,
            SaOp::Update(&payload.0),
        )
    }

    async fn update_deployment_service_account(
        &self,
        ctx: &Context<'_>,
        service_account_uuid: Uuid,
        deployment_uuid: Uuid,
        payload: Json,
    ) -> Result<Option<ServiceAccount>> {
        let scope = SaScope::Deployment(Box::new(load_deployment(ctx, &deployment_uuid.0)?));
        scoped_sa_op(
            ctx,
            &scope,
            &service_account_uuid.0,
            SaOp::Update(&payload.0),
        )
    }

    async fn delete_workspace_service_account(
        &self,
        ctx: &Context<'_>,
        service_account_uuid: Uuid,
        workspace_uuid: Uuid,
    ) -> Result<Option<ServiceAccount>> {
        let scope = SaScope::Workspace(workspace_uuid.0);
        scoped_sa_op(ctx, &scope, &service_account_uuid.0, SaOp::Delete)
    }

    async fn delete_deployment_service_account(
        &self,
        ctx: &Context<'_>,
        service_account_uuid: Uuid,
        deployment_uuid: Uuid,
    ) -> Result<Option<ServiceAccount>> {
        let scope = SaScope::Deployment(Box::new(load_deployment(ctx, &deployment_uuid.0)?));
        scoped_sa_op(ctx, &scope, &service_account_uuid.0, SaOp::Delete)
    }
}

/// The entity whose service accounts an update/delete addresses.
pub(crate) enum SaScope {
    Workspace(String),
    Deployment(Box<DeploymentRow>),
    /// System service accounts (0.23's `createSystemServiceAccount` …).
    System,
}

pub(crate) enum SaOp<'a> {
    Update(&'a Value),
    Delete,
}

impl SaScope {
    fn entity(&self) -> Entity<'_> {
        match self {
            SaScope::Workspace(ws) => Entity::Workspace(ws),
            SaScope::Deployment(d) => dep_entity(d),
            SaScope::System => Entity::System,
        }
    }
    /// (workspace, deployment) as `sa_in_scope` expects them.
    fn ids(&self) -> (Option<&str>, Option<&str>) {
        match self {
            SaScope::Workspace(ws) => (Some(ws), None),
            SaScope::Deployment(d) => (None, Some(&d.id)),
            SaScope::System => (None, None),
        }
    }
    fn perms(&self, op: &SaOp<'_>) -> &'static [&'static str] {
        match (self, op) {
            (SaScope::Workspace(_), SaOp::Update(_)) => &[
                "workspace.serviceAccounts.update",
                "system.serviceAccounts.update",
            ],
            (SaScope::Workspace(_), SaOp::Delete) => &[
                "workspace.serviceAccounts.delete",
                "system.serviceAccounts.delete",
            ],
            (SaScope::Deployment(_), SaOp::Update(_)) => &[
                "deployment.serviceAccounts.update",
                "system.serviceAccounts.update",
            ],
            (SaScope::Deployment(_), SaOp::Delete) => &[
                "deployment.serviceAccounts.delete",
                "system.serviceAccounts.delete",
            ],
            (SaScope::System, SaOp::Update(_)) => &["system.serviceAccounts.update"],
            (SaScope::System, SaOp::Delete) => &["system.serviceAccounts.delete"],
        }
    }
}

/// Update or delete one service account of `scope` (RESOURCE_NOT_FOUND when the account does
/// not belong to it).
pub(crate) fn scoped_sa_op(
    ctx: &Context<'_>,
    scope: &SaScope,
    sa_id: &str,
    op: SaOp<'_>,
) -> Result<Option<ServiceAccount>> {
    let p = require(ctx, scope.perms(&op), scope.entity())?;
    let (ws, dep) = scope.ids();
    let sa = write(ctx, |c| {
        let sa = store::sa_by_id(c, sa_id)?
            .filter(|s| sa_in_scope(s, ws, dep))
            .ok_or_else(not_found)?;
        match op {
            SaOp::Update(payload) => {
                update_sa_payload(c, sa, payload, scope, |r| p.may_grant(r, scope.entity()))
            }
            SaOp::Delete => {
                store::delete_sa(c, &sa.id)?;
                Ok(sa)
            }
        }
    })?;
    Ok(Some(ServiceAccount::masked(sa)))
}

fn set_workspace_role(
    ctx: &Context<'_>,
    ws: &str,
    email: &str,
    role: Role,
    upsert: bool,
) -> Result<Role> {
    require(ctx, IAM, Entity::Workspace(ws))?;
    if !role.is_workspace() {
        return Err(bad_input("invalid workspace role"));
    }
    let email = email.trim().to_lowercase();
    write(ctx, |c| {
        store::workspace_by_id(c, ws)?.ok_or_else(not_found)?;
        if let Some(u) = store::user_by_email(c, &email)? {
            match store::user_workspace_binding(c, &u.id, ws)? {
                Some(b) => store::set_binding_role(c, &b.id, role)?,
                None if upsert => {
                    store::insert_binding(
                        c,
                        NewBinding {
                            role,
                            user_id: Some(&u.id),
                            service_account_id: None,
                            workspace_id: Some(ws),
                            deployment_id: None,
                        },
                    )?;
                }
                None => return Err(not_found().into()),
            }
            return Ok(role);
        }
        match store::workspace_invite_for(c, ws, &email)? {
            Some(inv) => {
                store::set_invite_role(c, &inv.id, role)?;
                Ok(role)
            }
            None => Err(not_found().into()),
        }
    })
}

fn dep_user_role_check(ctx: &Context<'_>, dep: &str, role: Option<Role>) -> Result<DeploymentRow> {
    let d = load_deployment(ctx, dep)?;
    require(
        ctx,
        &["deployment.userRoles.update", "system.iam.update"],
        dep_entity(&d),
    )?;
    if role.is_some_and(|r| !r.is_deployment()) {
        return Err(bad_input("Invalid role"));
    }
    Ok(d)
}

pub(crate) fn create_sa(
    ctx: &Context<'_>,
    label: String,
    category: Option<String>,
    role: Role,
    ws: Option<String>,
    dep: Option<String>,
) -> Result<Option<ServiceAccount>> {
    let label = label.trim().to_string();
    if label.is_empty() {
        return Err(bad_input("Service account label must not be empty"));
    }
    let (row, key) = write(ctx, |c| {
        if let Some(w) = &ws {
            store::workspace_by_id(c, w)?.ok_or_else(not_found)?;
        }
        if store::sa_label_taken(c, &label, ws.as_deref(), dep.as_deref(), "")? {
            return Err(bad_input(format!(
                "Service Account already exists with the name {label}"
            ))
            .into());
        }
        Ok(store::insert_sa(
            c,
            &label,
            category.as_deref(),
            role,
            ws.as_deref(),
            dep.as_deref(),
        )?)
    })?;
    Ok(Some(ServiceAccount {
        row,
        full_key: Some(key),
    }))
}
