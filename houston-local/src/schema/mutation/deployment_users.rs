//! Deployment-level roles of workspace users.

use async_graphql::{Context, Object, Result};

use super::dup_binding;
use crate::db::store::{self, DeploymentRow, NewBinding};
use crate::error::{DbErr, bad_input, not_found};
use crate::rbac::{Permission, Role};
use crate::schema::types::*;
use crate::schema::{Id, dep_entity, load_deployment, non_empty, require, write};

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

#[derive(Default)]
pub(crate) struct DeploymentUserMutation;

#[Object]
impl DeploymentUserMutation {
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
}

fn dep_user_role_check(ctx: &Context<'_>, dep: &str, role: Option<Role>) -> Result<DeploymentRow> {
    let d = load_deployment(ctx, dep)?;
    require(
        ctx,
        &[
            Permission::DeploymentUserRolesUpdate,
            Permission::SystemIamUpdate,
        ],
        dep_entity(&d),
    )?;
    if role.is_some_and(|r| !r.is_deployment()) {
        return Err(bad_input("Invalid role"));
    }
    Ok(d)
}
