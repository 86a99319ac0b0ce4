//! houston-local: a Houston-compatible GraphQL server (Astronomer Software's API) backed by
//! SQLite. It powers `astrodash demo`, `astrodash serve` and the end-to-end tests.

pub mod auth;
mod cache;
pub mod db;
pub mod limits;
pub mod rbac;
pub mod resources;
pub mod schema;
pub mod seed;
pub mod server;
pub mod sim;
pub mod validation;
pub mod versioning;
pub mod ws;

pub use server::{Config, Error, Handle, Seed, start};
pub use versioning::HoustonVersion;

/// The server's GraphQL schema in SDL form (what `schema.graphql` must contain).
pub fn schema_sdl() -> String {
    schema::build_schema(None).sdl()
}
