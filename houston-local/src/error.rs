//! Errors: the `Error` of starting and controlling a server, and the GraphQL errors a
//! request gets, with Houston's texts and `extensions.code` values.

use async_graphql::ErrorExtensions;

/// Why a server could not start, or a `Handle` call failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("no user with e-mail address {0}")]
    UnknownUser(String),
    #[error("no deployment with release name {0}")]
    UnknownDeployment(String),
    #[error("no cluster named {0}")]
    UnknownCluster(String),
    #[error("cannot seed the database: {0}")]
    Seed(String),
    #[error("cannot build the schema: {0}")]
    Schema(String),
    #[error("cannot set the password: {0}")]
    Password(String),
}

// ------------------------------------------------------------------ GraphQL errors

pub fn coded(msg: impl Into<String>, code: &'static str) -> async_graphql::Error {
    async_graphql::Error::new(msg.into()).extend_with(|_, e| e.set("code", code))
}

pub const FORBIDDEN_MSG: &str = "You do not have the appropriate permissions for that";

pub fn forbidden() -> async_graphql::Error {
    coded(FORBIDDEN_MSG, "FORBIDDEN")
}

pub fn bad_input(msg: impl Into<String>) -> async_graphql::Error {
    coded(msg, "BAD_USER_INPUT")
}

/// A user-caused error Houston raises as a plain `Error` (so Apollo reports it as
/// `INTERNAL_SERVER_ERROR`): the message is shown as is and not logged.
pub fn plain_error(msg: impl Into<String>) -> async_graphql::Error {
    coded(msg, "INTERNAL_SERVER_ERROR")
}

pub fn not_found() -> async_graphql::Error {
    coded("The requested resource was not found", "RESOURCE_NOT_FOUND")
}

pub fn internal(e: impl std::fmt::Display) -> async_graphql::Error {
    tracing::error!("internal error: {e}");
    coded("Internal server error", "INTERNAL_SERVER_ERROR")
}

/// Database errors never leak SQL details to clients.
pub struct DbErr(pub async_graphql::Error);
impl From<rusqlite::Error> for DbErr {
    fn from(e: rusqlite::Error) -> Self {
        DbErr(internal(e))
    }
}
impl From<async_graphql::Error> for DbErr {
    fn from(e: async_graphql::Error) -> Self {
        DbErr(e)
    }
}
impl From<DbErr> for async_graphql::Error {
    fn from(e: DbErr) -> Self {
        e.0
    }
}
