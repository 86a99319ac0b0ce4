//! Sessions and the caller's own account: log in, sign up, edit oneself.

use async_graphql::{Context, Object, Result};
use serde_json::Value;

use crate::db::store::{self, NewBinding};
use crate::error::{bad_input, coded, forbidden, internal};
use crate::rbac::{Principal, Role};
use crate::schema::types::*;
use crate::schema::{Json, caller, non_empty, read, state, write};

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

#[derive(Default)]
pub(crate) struct SessionMutation;

#[Object]
impl SessionMutation {
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
        let grants = read(ctx, |c| Ok(crate::schema::user_grants(ctx, c, &user.id)?))?;
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
}
