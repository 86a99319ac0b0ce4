//! Workspaces and what the caller may do in them.

use std::sync::{Arc, OnceLock};

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use serde_json::json;

use super::*;
use crate::db::store::{self, WorkspaceRow};
use crate::rbac::{Entity, Permission, Principal};
use crate::schema::{DateTime, Json, caller, read};

#[derive(SimpleObject, Default)]
pub(crate) struct WorkspaceCapabilities {
    #[graphql(visible = "crate::versioning::since_0_25")]
    pub(crate) can_get_workspace: Option<bool>,
    pub(crate) can_update_billing: Option<bool>,
    #[graphql(name = "canUpdateIAM")]
    pub(crate) can_update_iam: Option<bool>,
    pub(crate) can_update_workspace: Option<bool>,
    pub(crate) can_delete_workspace: Option<bool>,
    pub(crate) can_create_deployment: Option<bool>,
    pub(crate) can_invite_user: Option<bool>,
    pub(crate) can_update_user: Option<bool>,
    pub(crate) can_delete_user: Option<bool>,
    pub(crate) can_create_service_account: Option<bool>,
    pub(crate) can_update_service_account: Option<bool>,
    pub(crate) can_delete_service_account: Option<bool>,
}

pub(crate) fn workspace_capabilities(p: &Principal, ws: &str) -> WorkspaceCapabilities {
    let e = Entity::Workspace(ws);
    let has = |perms: &[Permission]| Some(p.any(perms, e));
    WorkspaceCapabilities {
        can_get_workspace: has(&[
            Permission::WorkspaceConfigGet,
            Permission::SystemWorkspaceGet,
        ]),
        can_update_billing: has(&[Permission::WorkspaceBillingUpdate]),
        can_update_iam: has(&[Permission::WorkspaceIamUpdate, Permission::SystemIamUpdate]),
        can_update_workspace: has(&[
            Permission::WorkspaceConfigUpdate,
            Permission::SystemWorkspaceUpdate,
        ]),
        can_delete_workspace: has(&[
            Permission::WorkspaceConfigDelete,
            Permission::SystemWorkspaceDelete,
        ]),
        can_create_deployment: has(&[
            Permission::WorkspaceDeploymentsCreate,
            Permission::SystemDeploymentsCreate,
        ]),
        can_invite_user: has(&[
            Permission::WorkspaceInvitesGet,
            Permission::SystemInvitesGet,
        ]),
        can_update_user: has(&[Permission::WorkspaceIamUpdate, Permission::SystemIamUpdate]),
        can_delete_user: has(&[Permission::WorkspaceIamUpdate, Permission::SystemIamUpdate]),
        can_create_service_account: has(&[
            Permission::WorkspaceServiceAccountsCreate,
            Permission::SystemServiceAccountsCreate,
        ]),
        can_update_service_account: has(&[
            Permission::WorkspaceServiceAccountsUpdate,
            Permission::SystemServiceAccountsUpdate,
        ]),
        can_delete_service_account: has(&[
            Permission::WorkspaceServiceAccountsDelete,
            Permission::SystemServiceAccountsDelete,
        ]),
    }
}

/// A workspace whose row is loaded on first use (so `workspace { id }` costs nothing).
pub(crate) struct Workspace {
    pub(crate) id: String,
    row: OnceLock<Option<WorkspaceRow>>,
    /// The caller as of the end of a mutation that changed its own bindings.
    caller: Option<Arc<Principal>>,
}

impl Workspace {
    pub(crate) fn loaded(row: WorkspaceRow) -> Self {
        let id = row.id.clone();
        let cell = OnceLock::new();
        let _ = cell.set(Some(row));
        Workspace {
            id,
            row: cell,
            caller: None,
        }
    }
    pub(crate) fn lazy(id: String) -> Self {
        Workspace {
            id,
            row: OnceLock::new(),
            caller: None,
        }
    }
    pub(crate) fn with_caller(mut self, p: Arc<Principal>) -> Self {
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
    fn require(&self, ctx: &Context<'_>, perms: &[Permission]) -> Result<()> {
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
