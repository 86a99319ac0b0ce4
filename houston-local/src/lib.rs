//! houston-local: a Houston-compatible GraphQL server (Astronomer Software's API) backed by
//! SQLite. It powers `astrodash demo`, `astrodash serve` and the end-to-end tests.

pub mod auth;
mod cache;
mod db;
mod error;
pub mod limits;
mod principal;
mod rbac;
mod resources;
mod schema;
mod seed;
mod server;
mod sim;
mod state;
mod validation;
pub mod versioning;
mod ws;

pub use error::Error;
pub use server::{Config, Handle, Seed, start};
pub use versioning::HoustonVersion;

/// The server's GraphQL schema in SDL form (what `schema.graphql` must contain).
pub fn schema_sdl() -> String {
    schema::build_schema(None).sdl()
}
