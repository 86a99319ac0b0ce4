//! Row types and the SQL behind them. Functions take a `&Connection`, which is either a
//! reader or the writer's open transaction (a `Transaction` derefs to `Connection`).
//!
//! One file per domain, re-exported here (`store::deployment_by_id`); this file keeps the
//! clock, the counts and the JWT secret.

mod bindings;
mod deployments;
mod invites;
mod service_accounts;
mod users;
mod workspaces;

pub(crate) use bindings::*;
pub(crate) use deployments::*;
pub(crate) use invites::*;
pub(crate) use service_accounts::*;
pub(crate) use users::*;
pub(crate) use workspaces::*;

use rusqlite::Connection;

use crate::auth;

pub(crate) type R<T> = rusqlite::Result<T>;

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// RFC 3339 UTC with milliseconds, e.g. `2026-11-27T03:19:46.123Z`.
pub(crate) fn fmt_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

pub(crate) fn now_ts() -> String {
    fmt_ms(now_ms())
}

pub(crate) fn count_users(c: &Connection) -> R<i64> {
    c.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
}

pub(crate) fn count_workspaces(c: &Connection) -> R<i64> {
    c.query_row("SELECT COUNT(*) FROM workspaces", [], |r| r.get(0))
}

/// The JWT secret is generated once, when the database is created, and stored in it.
pub(crate) fn jwt_secret(c: &Connection) -> R<String> {
    c.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('jwt_secret', ?1)",
        [auth::random_hex(32)],
    )?;
    c.query_row("SELECT value FROM meta WHERE key = 'jwt_secret'", [], |r| {
        r.get(0)
    })
}
