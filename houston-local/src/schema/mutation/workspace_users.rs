//! Workspace members: add, change role, remove; pending invites.

use async_graphql::{Context, Object, Result};

use super::{IAM, dup_binding};
use crate::db::store::{self, NewBinding};
use crate::error::{bad_input, coded, not_found};
use crate::rbac::{Entity, Role};
use crate::schema::inputs::*;
use crate::schema::types::*;
use crate::schema::{Uuid, caller, non_empty, read, require, write};

#[derive(Default)]
pub(crate) struct WorkspaceUserMutation;

#[Object]
impl WorkspaceUserMutation {
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
