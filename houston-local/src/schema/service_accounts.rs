//! Service accounts by entity: creation rules shared by the scoped mutations of
//! `mutation.rs`, and the 0.23-era operations of the introspected schema — the legacy
//! `serviceAccounts` / `createServiceAccount` / `updateServiceAccount` / `deleteServiceAccount`
//! (entity named by the arguments or by the account itself), system service accounts, and
//! single-account lookups.

use async_graphql::{Context, Object, Result};

use super::mutation::{SaOp, SaScope, create_sa, sa_in_scope, scoped_sa_op};
use super::types::{DEP_SAS, ServiceAccount, WS_SAS};
use super::{
    EntityType, Json, Uuid, caller, dep_entity, load_deployment, non_empty, read, require,
};
use crate::db::accounts;
use crate::db::store::{self, SaRow};
use crate::error::{bad_input, forbidden, not_found};
use crate::rbac::{Entity, Permission, Role};

const SYSTEM_SAS_GET: &[Permission] = &[Permission::SystemServiceAccountsGet];

pub(crate) fn create_workspace_sa(
    ctx: &Context<'_>,
    label: String,
    category: Option<String>,
    ws: String,
    role: Role,
) -> Result<Option<ServiceAccount>> {
    let p = require(
        ctx,
        &[
            Permission::WorkspaceServiceAccountsCreate,
            Permission::SystemServiceAccountsCreate,
        ],
        Entity::Workspace(&ws),
    )?;
    if !role.is_workspace() {
        return Err(bad_input("invalid workspace role"));
    }
    if !p.may_grant(role, Entity::Workspace(&ws)) {
        return Err(forbidden());
    }
    create_sa(ctx, label, category, role, Some(ws), None)
}

pub(crate) fn create_deployment_sa(
    ctx: &Context<'_>,
    label: String,
    category: Option<String>,
    deployment: &str,
    role: Role,
) -> Result<Option<ServiceAccount>> {
    let d = load_deployment(ctx, deployment)?;
    let p = require(
        ctx,
        &[
            Permission::DeploymentServiceAccountsCreate,
            Permission::SystemServiceAccountsCreate,
        ],
        dep_entity(&d),
    )?;
    if !role.is_deployment() {
        return Err(bad_input("Invalid role"));
    }
    if !p.may_grant(role, dep_entity(&d)) {
        return Err(forbidden());
    }
    create_sa(ctx, label, category, role, None, Some(d.id))
}

fn create_system_sa(
    ctx: &Context<'_>,
    label: String,
    category: Option<String>,
    role: Role,
) -> Result<Option<ServiceAccount>> {
    let p = require(
        ctx,
        &[Permission::SystemServiceAccountsCreate],
        Entity::System,
    )?;
    if !role.is_system() {
        return Err(bad_input("Invalid role"));
    }
    if !p.may_grant(role, Entity::System) {
        return Err(forbidden());
    }
    create_sa(ctx, label, category, role, None, None)
}

/// The entity of an existing account (RESOURCE_NOT_FOUND for an unknown id).
fn scope_of(ctx: &Context<'_>, id: &str) -> Result<SaScope> {
    caller(ctx)?;
    let sa = read(ctx, |c| Ok(store::sa_by_id(c, id)?))?.ok_or_else(not_found)?;
    Ok(
        match (&sa.binding.deployment_id, &sa.binding.workspace_id) {
            (Some(dep), _) => SaScope::Deployment(Box::new(load_deployment(ctx, dep)?)),
            (None, Some(ws)) => SaScope::Workspace(ws.clone()),
            (None, None) => SaScope::System,
        },
    )
}

fn entity_uuid(entity_uuid: Option<&Uuid>) -> Result<&str> {
    non_empty(entity_uuid.map(|u| u.0.as_str()))
        .ok_or_else(|| bad_input("A required argument was not sent: entityUuid"))
}

fn masked(rows: Vec<SaRow>) -> Option<Vec<Option<ServiceAccount>>> {
    Some(
        rows.into_iter()
            .map(|s| Some(ServiceAccount::masked(s)))
            .collect(),
    )
}

#[derive(Default)]
pub(crate) struct ServiceAccountQuery;

#[Object]
impl ServiceAccountQuery {
    /// The accounts of an entity (`entityUuid` for a workspace or deployment), optionally just
    /// one (`serviceAccountUuid`).
    async fn service_accounts(
        &self,
        ctx: &Context<'_>,
        service_account_uuid: Option<Uuid>,
        entity_type: EntityType,
        entity_uuid: Option<Uuid>,
    ) -> Result<Option<Vec<Option<ServiceAccount>>>> {
        let rows = match entity_type {
            EntityType::Workspace => {
                let ws = self::entity_uuid(entity_uuid.as_ref())?;
                require(ctx, WS_SAS, Entity::Workspace(ws))?;
                read(ctx, |c| Ok(store::sas_of_workspace(c, ws)?))?
            }
            EntityType::Deployment => {
                let d = load_deployment(ctx, self::entity_uuid(entity_uuid.as_ref())?)?;
                require(ctx, DEP_SAS, dep_entity(&d))?;
                read(ctx, |c| Ok(store::sas_of_deployment(c, &d.id)?))?
            }
            EntityType::System => {
                require(ctx, SYSTEM_SAS_GET, Entity::System)?;
                read(ctx, |c| Ok(accounts::system_sas(c)?))?
            }
        };
        let only = non_empty(service_account_uuid.as_ref().map(|u| u.0.as_str()));
        Ok(masked(
            rows.into_iter()
                .filter(|s| only.is_none_or(|id| s.id == id))
                .collect(),
        ))
    }

    async fn workspace_service_account(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        service_account_uuid: Uuid,
    ) -> Result<Option<ServiceAccount>> {
        let ws = workspace_uuid.0;
        require(ctx, WS_SAS, Entity::Workspace(&ws))?;
        let sa = read(ctx, |c| Ok(store::sa_by_id(c, &service_account_uuid.0)?))?
            .filter(|s| sa_in_scope(s, Some(&ws), None))
            .ok_or_else(not_found)?;
        Ok(Some(ServiceAccount::masked(sa)))
    }

    async fn deployment_service_account(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        service_account_uuid: Uuid,
    ) -> Result<Option<ServiceAccount>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(ctx, DEP_SAS, dep_entity(&d))?;
        let sa = read(ctx, |c| Ok(store::sa_by_id(c, &service_account_uuid.0)?))?
            .filter(|s| sa_in_scope(s, None, Some(&d.id)))
            .ok_or_else(not_found)?;
        Ok(Some(ServiceAccount::masked(sa)))
    }
}

#[derive(Default)]
pub(crate) struct ServiceAccountMutation;

#[Object]
impl ServiceAccountMutation {
    /// Legacy creation by entity; the same rules as the scoped mutations.
    async fn create_service_account(
        &self,
        ctx: &Context<'_>,
        label: String,
        category: Option<String>,
        entity_type: EntityType,
        entity_uuid: Option<Uuid>,
        role: Role,
    ) -> Result<Option<ServiceAccount>> {
        match entity_type {
            EntityType::Workspace => {
                let ws = self::entity_uuid(entity_uuid.as_ref())?.to_string();
                create_workspace_sa(ctx, label, category, ws, role)
            }
            EntityType::Deployment => {
                let dep = self::entity_uuid(entity_uuid.as_ref())?;
                create_deployment_sa(ctx, label, category, dep, role)
            }
            EntityType::System => create_system_sa(ctx, label, category, role),
        }
    }

    /// A service account with a system role (`SYSTEM_*`).
    async fn create_system_service_account(
        &self,
        ctx: &Context<'_>,
        label: String,
        category: Option<String>,
        role: Role,
    ) -> Result<Option<ServiceAccount>> {
        create_system_sa(ctx, label, category, role)
    }

    /// Legacy update of any account by id (its entity's update permission applies); a null
    /// payload changes nothing.
    async fn update_service_account(
        &self,
        ctx: &Context<'_>,
        service_account_uuid: Uuid,
        payload: Option<Json>,
    ) -> Result<Option<ServiceAccount>> {
        let scope = scope_of(ctx, &service_account_uuid.0)?;
        let payload = payload
            .map(|p| p.0)
            .unwrap_or_else(|| serde_json::json!({}));
        scoped_sa_op(ctx, &scope, &service_account_uuid.0, SaOp::Update(&payload))
    }

    /// Legacy delete of any account by id (its entity's delete permission applies).
    async fn delete_service_account(
        &self,
        ctx: &Context<'_>,
        service_account_uuid: Uuid,
    ) -> Result<Option<ServiceAccount>> {
        let scope = scope_of(ctx, &service_account_uuid.0)?;
        scoped_sa_op(ctx, &scope, &service_account_uuid.0, SaOp::Delete)
    }

    async fn delete_system_service_account(
        &self,
        ctx: &Context<'_>,
        service_account_uuid: Uuid,
    ) -> Result<Option<ServiceAccount>> {
        scoped_sa_op(ctx, &SaScope::System, &service_account_uuid.0, SaOp::Delete)
    }
}
