//! Cloud billing leftovers of the 0.23-era schema. Software has no billing: card operations
//! and trials return null (after the permission check), and suspension only flips
//! `Workspace.active`.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::types::{WS_READ, Workspace};
use super::{Uuid, require, write};
use crate::db::{accounts, store};
use crate::error::{bad_input, not_found};
use crate::rbac::{Entity, Permission};

const WS_UPDATE: &[Permission] = &[
    Permission::WorkspaceConfigUpdate,
    Permission::SystemWorkspaceUpdate,
];
const SYSTEM_WS_UPDATE: &[Permission] = &[Permission::SystemWorkspaceUpdate];

#[derive(SimpleObject)]
pub(crate) struct Card {
    pub(crate) name: Option<String>,
    pub(crate) exp_month: Option<i32>,
    pub(crate) exp_year: Option<i32>,
    pub(crate) last4: Option<String>,
    pub(crate) brand: Option<String>,
    pub(crate) billing_email: Option<String>,
    pub(crate) company: Option<String>,
}

#[derive(Default)]
pub(crate) struct BillingQuery;

#[Object]
impl BillingQuery {
    /// Always null: no workspace has a card.
    async fn card(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        stripe_customer_id: String,
    ) -> Result<Option<Card>> {
        let _ = stripe_customer_id;
        require(ctx, WS_READ, Entity::Workspace(&workspace_uuid.0))?;
        Ok(None)
    }
}

#[derive(Default)]
pub(crate) struct BillingMutation;

#[Object]
impl BillingMutation {
    /// Billing is disabled: null.
    async fn add_card(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        billing_email: String,
        company: Option<String>,
        token: String,
    ) -> Result<Option<Card>> {
        let _ = (billing_email, company, token);
        require(ctx, WS_UPDATE, Entity::Workspace(&workspace_uuid.0))?;
        Ok(None)
    }

    /// Billing is disabled: null.
    async fn update_card(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        billing_email: String,
        company: Option<String>,
        token: String,
    ) -> Result<Option<Card>> {
        let _ = (billing_email, company, token);
        require(ctx, WS_UPDATE, Entity::Workspace(&workspace_uuid.0))?;
        Ok(None)
    }

    /// Billing is disabled: null (no Stripe customer is recorded).
    async fn add_customer_id(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        stripe_customer_id: String,
    ) -> Result<Option<Workspace>> {
        let _ = stripe_customer_id;
        require(ctx, SYSTEM_WS_UPDATE, Entity::Workspace(&workspace_uuid.0))?;
        Ok(None)
    }

    /// Suspends or resumes a workspace: `Workspace.active` becomes `!isSuspended` (nothing else
    /// changes for its members).
    async fn suspend_workspace(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        is_suspended: bool,
    ) -> Result<Option<Workspace>> {
        let ws = workspace_uuid.0;
        require(ctx, SYSTEM_WS_UPDATE, Entity::Workspace(&ws))?;
        let row = write(ctx, |c| {
            store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?;
            accounts::set_workspace_active(c, &ws, !is_suspended)?;
            Ok(store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?)
        })?;
        Ok(Some(Workspace::loaded(row)))
    }

    /// Software workspaces have no trial: null.
    async fn extend_workspace_trial(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        extra_days: i32,
    ) -> Result<Option<Workspace>> {
        require(ctx, SYSTEM_WS_UPDATE, Entity::Workspace(&workspace_uuid.0))?;
        if extra_days < 0 {
            return Err(bad_input("extraDays must not be negative"));
        }
        Ok(None)
    }
}
