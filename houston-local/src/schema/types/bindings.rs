//! Role bindings, service accounts and invites: who has access to what.

use async_graphql::{Context, ID, Object, Result};

use super::*;
use crate::auth;
use crate::db::store::{self, BindingRow, InviteRow, SaRow};
use crate::rbac::{Entity, Permission, Role};
use crate::schema::{DateTime, Uuid, caller, dep_entity, read};

pub(crate) struct RoleBinding(pub BindingRow);

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
    async fn team(&self, ctx: &Context<'_>) -> Result<Option<crate::schema::teams::Team>> {
        let Some(id) = &self.0.team_id else {
            return Ok(None);
        };
        Ok(read(ctx, |c| Ok(crate::db::teams::team_by_id(c, id)?))?
            .map(crate::schema::teams::Team::new))
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at.clone())
    }
}

pub(crate) struct ServiceAccount {
    pub(crate) row: SaRow,
    /// The clear-text key, only right after creation.
    pub(crate) full_key: Option<String>,
}

impl ServiceAccount {
    pub(crate) fn masked(row: SaRow) -> Self {
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
        before: Option<crate::schema::inputs::RoleBindingWhereUniqueInput>,
        after: Option<crate::schema::inputs::RoleBindingWhereUniqueInput>,
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

pub(crate) struct Invite(pub InviteRow);

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
            None => p.has(Permission::SystemInvitesGet, Entity::System),
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
