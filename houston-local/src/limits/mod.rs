//! Limits that keep one client from taking the server down: the size and shape of a document
//! (checked before it runs), the work and time one request may take (enforced while it
//! runs), and the cost of password checks (bounded, with a back-off per identity after
//! repeated failures). Every refusal is a GraphQL error that names the limit.

pub(crate) mod budget;
pub mod document;
pub(crate) mod login;
pub(crate) mod types;

use std::time::Duration;

/// The numbers, part of `Config`. The defaults leave room for every document astrodash, the
/// astro CLI and standard introspection tools send (tests check that).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest HTTP request body and websocket message, in bytes.
    pub max_body_bytes: usize,
    /// Deepest nesting of fields, outside introspection.
    pub max_depth: usize,
    /// Deepest nesting under `__schema` / `__type`: type references nest `ofType` seven to
    /// nine times in the usual introspection queries, so they need more.
    pub max_introspection_depth: usize,
    /// Fields in one operation, counted with fragments expanded (its complexity).
    pub max_fields: usize,
    /// Aliased fields in one operation.
    pub max_aliases: usize,
    /// Values (fields and list items) one metered request may resolve (see
    /// `document::Shape::metered`); bounds the response size.
    pub max_resolved: usize,
    /// How long one query or mutation may run before it is cancelled.
    pub request_timeout: Duration,
    /// Password hashes computed at the same time (argon2 is slow and takes 19 MiB each).
    pub password_hash_slots: usize,
    /// Logins and sign-ups waiting for a slot; more are refused at once.
    pub password_hash_queue: usize,
    /// Failed logins in a row per identity before the back-off starts.
    pub login_failures_allowed: u32,
    /// Back-off after the allowed failures: 1 s, doubling with each further failure, up to this.
    pub login_backoff_max: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1024 * 1024,
            max_depth: 10,
            max_introspection_depth: 20,
            max_fields: 1000,
            max_aliases: 30,
            max_resolved: 500_000,
            request_timeout: Duration::from_secs(10),
            password_hash_slots: 1,
            password_hash_queue: 16,
            login_failures_allowed: 5,
            login_backoff_max: Duration::from_secs(300),
        }
    }
}
