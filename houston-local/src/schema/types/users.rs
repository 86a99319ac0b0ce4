//! Users, their e-mail addresses and the authenticated session (`AuthUser`, tokens).

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use serde_json::json;

use super::*;
use crate::auth;
use crate::db::store::{self, UserRow};
use crate::rbac::{Entity, Grant, Permission, Role};
use crate::schema::{DateTime, Json, Uuid, caller, read, state};

#[derive(SimpleObject)]
pub(crate) struct TokenPayload {
    pub(crate) uuid: Option<Uuid>,
    pub(crate) iat: Option<i64>,
    pub(crate) exp: Option<i64>,
}

#[derive(SimpleObject)]
pub(crate) struct Token {
    pub(crate) value: Option<String>,
    pub(crate) payload: Option<TokenPayload>,
}

#[derive(SimpleObject)]
pub(crate) struct AuthUserCapabilities {
    pub(crate) can_sys_admin: Option<bool>,
}

pub(crate) struct AuthUser {
    pub(crate) user: Option<UserRow>,
    pub(crate) grants: Vec<Grant>,
}

#[Object]
impl AuthUser {
    async fn user(&self) -> Option<User> {
        self.user.clone().map(|u| User(u, true))
    }

    /// Mints a fresh 24 h JWT each time it is selected (Houston B behaviour); null for
    /// service accounts and inactive users.
    async fn token(&self, ctx: &Context<'_>) -> Option<Token> {
        let u = self.user.as_ref().filter(|u| u.status == "active")?;
        let (value, claims) =
            auth::issue(&state(ctx).secret, &u.id, chrono::Utc::now().timestamp());
        Some(Token {
            value: Some(value),
            payload: Some(TokenPayload {
                uuid: Some(Uuid(claims.uuid)),
                iat: Some(claims.iat),
                exp: Some(claims.exp),
            }),
        })
    }

    async fn permissions(&self) -> Option<Json> {
        Some(async_graphql::Json(json!({})))
    }

    async fn is_admin(&self) -> Option<bool> {
        Some(self.grants.iter().any(|g| g.role == Role::SystemAdmin))
    }

    async fn auth_user_capabilities(&self) -> Option<AuthUserCapabilities> {
        Some(AuthUserCapabilities {
            can_sys_admin: Some(
                self.grants
                    .iter()
                    .any(|g| g.role.grants(Permission::SystemAirflowAdmin)),
            ),
        })
    }
}

// ------------------------------------------------------------------ users

#[derive(SimpleObject)]
pub(crate) struct Email {
    pub(crate) id: ID,
    pub(crate) address: Option<String>,
    pub(crate) primary: Option<bool>,
    pub(crate) verified: Option<bool>,
    pub(crate) created_at: DateTime,
    pub(crate) updated_at: DateTime,
}

#[derive(SimpleObject)]
pub(crate) struct UserProp {
    pub(crate) key: Option<String>,
    pub(crate) value: Option<String>,
    pub(crate) category: Option<String>,
}

/// A user's one address (`Email.id` is derived from the user id, see
/// `db::accounts::user_by_email_id`); addresses are verified when the user is created.
pub(crate) fn email_of(u: &UserRow) -> Email {
    Email {
        id: ID(format!("e{}", u.id.get(1..).unwrap_or_default())),
        address: Some(u.email.clone()),
        primary: Some(true),
        verified: Some(true),
        created_at: DateTime(u.created_at.clone()),
        updated_at: DateTime(u.updated_at.clone()),
    }
}

/// A user row; the flag marks the authenticated user itself (`self`, `createToken`,
/// `createUser`), whose own role bindings are always visible even to an anonymous request.
pub(crate) struct User(pub UserRow, pub bool);

impl User {
    pub(crate) fn of(row: UserRow) -> Self {
        User(row, false)
    }
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn username(&self) -> Option<&str> {
        Some(&self.0.username)
    }
    async fn emails(&self) -> Vec<Email> {
        vec![email_of(&self.0)]
    }
    async fn full_name(&self) -> Option<&str> {
        self.0.full_name.as_deref()
    }
    async fn status(&self) -> Option<&str> {
        Some(&self.0.status)
    }
    async fn profile(&self) -> Vec<UserProp> {
        Vec::new()
    }
    /// Filtered to the bindings the caller may see (see `binding_visible`).
    async fn role_bindings(&self, ctx: &Context<'_>) -> Result<Option<Vec<RoleBinding>>> {
        let rows = read(ctx, |c| Ok(store::bindings_of_user(c, &self.0.id)?))?;
        if self.1 {
            return Ok(Some(rows.into_iter().map(RoleBinding).collect()));
        }
        let p = caller(ctx)?;
        let mut out = Vec::with_capacity(rows.len());
        for b in rows {
            if binding_visible(ctx, &p, &b)? {
                out.push(RoleBinding(b));
            }
        }
        Ok(Some(out))
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at.clone())
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at.clone())
    }
    /// The teams the user belongs to (their own membership, or any with `system.teams.get`).
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn teams(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<Option<crate::schema::teams::Team>>>> {
        let own = self.1 || caller(ctx)?.user_id() == Some(self.0.id.as_str());
        if !own {
            check(
                &*caller(ctx)?,
                &[Permission::SystemTeamsGet],
                Entity::System,
            )?;
        }
        let rows = read(ctx, |c| Ok(crate::db::teams::teams_of_user(c, &self.0.id)?))?;
        Ok(Some(
            rows.into_iter()
                .map(|t| Some(crate::schema::teams::Team::new(t)))
                .collect(),
        ))
    }
}
