//! Workspace and deployment service accounts: create, update, delete, and the scoped
//! helpers the version-specific service-account mutations share.

use async_graphql::{Context, Object, Result};
use serde_json::Value;

use crate::db::store::{self, DeploymentRow, SaRow};
use crate::error::{DbErr, bad_input, forbidden, not_found};
use crate::rbac::{Entity, Permission, Role};
use crate::schema::types::*;
use crate::schema::{Json, Uuid, dep_entity, load_deployment, require, write};

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

#[derive(Default)]
pub(crate) struct ScopedServiceAccountMutation;

#[Object]
impl ScopedServiceAccountMutation {
    async fn create_workspace_service_account(
        &self,
        ctx: &Context<'_>,
        label: String,
        category: Option<String>,
        workspace_uuid: Uuid,
        role: Role,
    ) -> Result<Option<ServiceAccount>> {
        crate::schema::service_accounts::create_workspace_sa(
            ctx,
            label,
            category,
            workspace_uuid.0,
            role,
        )
    }

    async fn create_deployment_service_account(
        &self,
        ctx: &Context<'_>,
        label: String,
        category: Option<String>,
        deployment_uuid: Uuid,
        role: Role,
    ) -> Result<Option<ServiceAccount>> {
        crate::schema::service_accounts::create_deployment_sa(
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
    fn perms(&self, op: &SaOp<'_>) -> &'static [Permission] {
        match (self, op) {
            (SaScope::Workspace(_), SaOp::Update(_)) => &[
                Permission::WorkspaceServiceAccountsUpdate,
                Permission::SystemServiceAccountsUpdate,
            ],
            (SaScope::Workspace(_), SaOp::Delete) => &[
                Permission::WorkspaceServiceAccountsDelete,
                Permission::SystemServiceAccountsDelete,
            ],
            (SaScope::Deployment(_), SaOp::Update(_)) => &[
                Permission::DeploymentServiceAccountsUpdate,
                Permission::SystemServiceAccountsUpdate,
            ],
            (SaScope::Deployment(_), SaOp::Delete) => &[
                Permission::DeploymentServiceAccountsDelete,
                Permission::SystemServiceAccountsDelete,
            ],
            (SaScope::System, SaOp::Update(_)) => &[Permission::SystemServiceAccountsUpdate],
            (SaScope::System, SaOp::Delete) => &[Permission::SystemServiceAccountsDelete],
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
