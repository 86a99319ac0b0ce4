//! Platform accounts (0.23-era operations of the introspected schema): e-mail lookups,
//! platform invites, user removal and system role bindings, and the e-mail confirmation /
//! password reset flows, which have nothing to do here (no SMTP: addresses are confirmed on
//! creation and no reset mail is ever sent).

use async_graphql::{Context, ID, Object, Result};

use super::inputs::{EmailWhereUniqueInput, InviteSearch};
use super::mutation::dup_binding;
use super::types::{AuthUser, Email, Invite, RoleBinding, User, email_of};
use super::{Uuid, caller, non_empty, read, require, write};
use crate::db::accounts;
use crate::db::store::{self, NewBinding};
use crate::error::{bad_input, coded, not_found, plain_error};
use crate::rbac::{Entity, Permission, Role};

const LAST_ADMIN: &str =
    "There are no other system administrators. Please assign another before removing yourself.";

fn valid_email(email: &str) -> Result<String> {
    let email = email.trim().to_lowercase();
    if email.len() < 3 || !email.contains('@') {
        return Err(bad_input(format!("Invalid email address: {email}")));
    }
    Ok(email)
}

#[derive(Default)]
pub(crate) struct AccountQuery;

#[Object]
impl AccountQuery {
    /// An e-mail address by `id` or `address` (verification tokens do not exist here, so a
    /// `token` finds nothing). Callers without `system.users.get` find only their own.
    async fn email(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] where_: EmailWhereUniqueInput,
    ) -> Result<Option<Email>> {
        let p = caller(ctx)?;
        let user = if let Some(id) = non_empty(where_.id.as_deref()) {
            read(ctx, |c| Ok(accounts::user_by_email_id(c, id)?))?
        } else if let Some(address) = non_empty(where_.address.as_deref()) {
            read(ctx, |c| Ok(store::user_by_email(c, address.trim())?))?
        } else if non_empty(where_.token.as_deref()).is_some() {
            None
        } else {
            return Err(bad_input(
                "A required argument was not sent: where.id, where.address or where.token",
            ));
        };
        let all = p.has(Permission::SystemUsersGet, Entity::System);
        Ok(user
            .filter(|u| all || p.user_id() == Some(u.id.as_str()))
            .map(|u| email_of(&u)))
    }

    /// Every pending invite, platform and workspace ones (`system.invites.get`).
    async fn invites(
        &self,
        ctx: &Context<'_>,
        invite: Option<InviteSearch>,
    ) -> Result<Option<Vec<Option<Invite>>>> {
        require(ctx, &[Permission::SystemInvitesGet], Entity::System)?;
        let rows = read(ctx, |c| Ok(accounts::all_invites(c)?))?;
        let id = invite
            .as_ref()
            .and_then(|i| non_empty(i.invite_uuid.as_ref().map(|u| u.0.as_str())));
        let email = invite
            .as_ref()
            .and_then(|i| non_empty(i.email.as_deref()))
            .map(str::to_lowercase);
        Ok(Some(
            rows.into_iter()
                .filter(|i| id.is_none_or(|x| i.id == x))
                .filter(|i| email.as_deref().is_none_or(|e| i.email.contains(e)))
                .map(|i| Some(Invite(i)))
                .collect(),
        ))
    }
}

#[derive(Default)]
pub(crate) struct AccountMutation;

#[Object]
impl AccountMutation {
    /// No confirmation tokens exist (addresses are confirmed on creation).
    async fn confirm_email(
        &self,
        token: String,
        duration: Option<i32>,
    ) -> Result<Option<AuthUser>> {
        let _ = (token, duration);
        Err(not_found())
    }

    /// Always true, whether or not the address exists (no mail is sent: SMTP is not
    /// configured, and the answer must not reveal accounts).
    async fn forgot_password(&self, email: String) -> Result<bool> {
        valid_email(&email)?;
        Ok(true)
    }

    /// Always true: there is nothing to confirm.
    async fn resend_confirmation(&self, email: String) -> Result<bool> {
        valid_email(&email)?;
        Ok(true)
    }

    /// No reset tokens exist (`forgotPassword` sends no mail).
    async fn reset_password(
        &self,
        token: String,
        password: String,
        duration: Option<i32>,
    ) -> Result<Option<AuthUser>> {
        let _ = (token, password, duration);
        Err(not_found())
    }

    /// Marks an address verified (they all are): true for a known address.
    async fn verify_email(&self, ctx: &Context<'_>, email: String) -> Result<Option<bool>> {
        require(ctx, &[Permission::SystemUserVerifyEmail], Entity::System)?;
        let email = valid_email(&email)?;
        read(ctx, |c| Ok(store::user_by_email(c, &email)?))?.ok_or_else(not_found)?;
        Ok(Some(true))
    }

    /// Deletes a user and every binding and team membership it has; the last system admin
    /// cannot be removed.
    async fn remove_user(&self, ctx: &Context<'_>, user_uuid: Uuid) -> Result<Option<User>> {
        require(ctx, &[Permission::SystemUserDelete], Entity::System)?;
        let user = write(ctx, |c| {
            let u = store::user_by_id(c, &user_uuid.0)?.ok_or_else(not_found)?;
            if accounts::user_system_binding(c, &u.id, Role::SystemAdmin)?.is_some()
                && store::count_system_admins(c)? <= 1
            {
                return Err(plain_error(LAST_ADMIN).into());
            }
            accounts::delete_user(c, &u.id)?;
            Ok(u)
        })?;
        Ok(Some(User::of(user)))
    }

    /// Invites someone to the platform (no workspace): `createUser(inviteToken:)` then works
    /// with public sign-up closed.
    async fn invite_user(&self, ctx: &Context<'_>, email: String) -> Result<Option<Invite>> {
        require(ctx, &[Permission::SystemUserInvite], Entity::System)?;
        let email = valid_email(&email)?;
        let invite = write(ctx, |c| {
            if store::user_by_email(c, &email)?.is_some() {
                return Err(coded("Email address in use", "DUPLICATE_EMAIL").into());
            }
            if accounts::system_invite_for(c, &email)?.is_some() {
                return Err(coded("User already invited", "USER_ALREADY_INVITED").into());
            }
            Ok(accounts::insert_system_invite(c, &email)?)
        })?;
        Ok(Some(Invite(invite)))
    }

    /// Gives a user a system role.
    async fn create_system_role_binding(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        role: Role,
    ) -> Result<Option<RoleBinding>> {
        require(ctx, &[Permission::SystemIamUpdate], Entity::System)?;
        if !role.is_system() {
            return Err(bad_input("Invalid role"));
        }
        let b = write(ctx, |c| {
            let u = store::user_by_id(c, &user_id.0)?.ok_or_else(not_found)?;
            if accounts::user_system_binding(c, &u.id, role)?.is_some() {
                return Err(dup_binding().into());
            }
            Ok(store::insert_binding(
                c,
                NewBinding {
                    role,
                    user_id: Some(&u.id),
                    service_account_id: None,
                    workspace_id: None,
                    deployment_id: None,
                },
            )?)
        })?;
        Ok(Some(RoleBinding(b)))
    }

    /// Takes a system role from a user; the last system admin keeps theirs.
    async fn delete_system_role_binding(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        role: Role,
    ) -> Result<Option<RoleBinding>> {
        require(ctx, &[Permission::SystemIamUpdate], Entity::System)?;
        let b = write(ctx, |c| {
            let b = accounts::user_system_binding(c, &user_id.0, role)?
                .ok_or_else(|| bad_input("The role binding does not exist for this user"))?;
            if role == Role::SystemAdmin && store::count_system_admins(c)? <= 1 {
                return Err(plain_error(LAST_ADMIN).into());
            }
            store::delete_binding(c, &b.id)?;
            Ok(b)
        })?;
        Ok(Some(RoleBinding(b)))
    }
}
