//! Who is calling: an `Authorization` value (HTTP header, or a websocket's
//! `connection_init` payload) resolved to a principal, and the request data that carries it.

use std::sync::Arc;

use crate::auth;
use crate::db::store;
use crate::rbac::{Principal, PrincipalKind};
use crate::state::State;

/// How stale a service account's `lastUsedAt` may get before a request refreshes it.
const LAST_USED_RESOLUTION_MS: i64 = 60_000;

/// Resolve an `Authorization` value to a principal. Bad, expired or unknown credentials give
/// `None`, which protected fields turn into FORBIDDEN.
pub(crate) fn authenticate(state: &State, value: Option<&str>) -> Option<Arc<Principal>> {
    match auth::classify(value?)? {
        auth::Credential::ApiKey(key) => {
            let hash = auth::hash_api_key(key);
            let sa = state.db.read(|c| store::sa_by_key_hash(c, &hash)).ok()??;
            if !sa.active {
                return None;
            }
            // Record use at most once a minute, and without invalidating cached responses
            // (no cacheable document reads `lastUsedAt`, see `cache::cacheable`): a write per
            // request would take the writer lock and empty everyone's cache each time.
            let now = store::now_ms();
            let stale = sa
                .last_used_at
                .as_deref()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .is_none_or(|t| now - t.timestamp_millis() >= LAST_USED_RESOLUTION_MS);
            if stale && let Err(e) = state.db.write_quiet(|c| store::touch_sa(c, &sa.id)) {
                tracing::warn!("cannot record service account use: {e}");
            }
            Some(Arc::new(Principal {
                kind: PrincipalKind::ServiceAccount(sa.id.clone()),
                grants: vec![sa.binding.grant()],
            }))
        }
        auth::Credential::Jwt(token) => {
            let claims = auth::decode_jwt(&state.secret, token, chrono::Utc::now().timestamp())?;
            let (user, grants) = state
                .db
                .read(|c| {
                    let u = store::user_by_id(c, &claims.uuid)?;
                    let g = crate::db::teams::user_grants(c, &claims.uuid, state.teams_enabled())?;
                    Ok::<_, rusqlite::Error>((u, g))
                })
                .ok()?;
            let user = user.filter(|u| u.status == "active")?;
            Some(Arc::new(Principal {
                kind: PrincipalKind::User(user.id),
                grants,
            }))
        }
    }
}

/// The caller of one request or websocket connection (None = anonymous or bad credentials).
#[derive(Clone, Default)]
pub(crate) struct Caller(pub Option<Arc<Principal>>);

/// The raw credential of a websocket connection, so long-running subscriptions can re-check
/// it (a removed user, deleted key or expired token stops receiving data).
#[derive(Clone, Default)]
pub(crate) struct ConnectionCredential(pub Option<String>);
