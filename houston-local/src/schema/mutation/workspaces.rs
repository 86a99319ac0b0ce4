//! Workspaces: create, rename or re-describe, delete.

use std::sync::Arc;

use async_graphql::{Context, Object, Result};
use serde_json::Value;

use crate::db::store::{self, NewBinding};
use crate::error::{bad_input, not_found, plain_error};
use crate::rbac::{Entity, Permission, Role};
use crate::schema::types::*;
use crate::schema::{Json, Uuid, require, write};

#[derive(Default)]
pub(crate) struct WorkspaceMutation;

#[Object]
impl WorkspaceMutation {
    async fn create_workspace(
        &self,
        ctx: &Context<'_>,
        label: String,
        description: Option<String>,
    ) -> Result<Option<Workspace>> {
        let p = require(ctx, &[Permission::SystemWorkspaceCreate], Entity::System)?;
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
            &[
                Permission::WorkspaceConfigUpdate,
                Permission::SystemWorkspaceUpdate,
            ],
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
            &[
                Permission::WorkspaceConfigDelete,
                Permission::SystemWorkspaceDelete,
            ],
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
}
