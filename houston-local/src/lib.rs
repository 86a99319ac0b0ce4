//! houston-local: a Houston-compatible GraphQL server (Astronomer Software's API) backed by
//! SQLite. It powers `astrodash demo`, `astrodash serve` and the end-to-end tests.
//!
//! Layers, each importing only from the ones before it:
//! - `auth` (credentials), `rbac` (roles, `Permission`, the check), `error`, `versioning`,
//!   `resources`, `validation`, `cache`;
//! - `db` (the SQLite store), `limits` (request limits and the login back-off);
//! - `state` (the shared server state), `sim` (simulated logs and metrics);
//! - `principal` (who is calling: an `Authorization` value resolved against the store);
//! - `schema` (the GraphQL schema and its resolvers);
//! - `ws` (websocket subscriptions), `seed` (the demo data);
//! - `airflow` (each deployment's simulated Airflow and Flower behind an ingress-like guard);
//! - `server` (configuration, startup, the HTTP routes and the `Handle`).
//!
//! Two exceptions, both in `versioning`: its `visible` hooks read the served version from
//! `state`, and its document gate indexes the whole schema's SDL (`schema_sdl`).

pub mod airflow;
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

pub use airflow::AirflowConfig;
pub use error::Error;
pub use server::{Config, Handle, Seed, start};
pub use versioning::HoustonVersion;

/// The server's GraphQL schema in SDL form (what `schema.graphql` must contain).
pub fn schema_sdl() -> String {
    schema::build_schema(None).sdl()
}

/// The schema a server posing as `version` has, as SDL printed from its own introspection
/// (`serve --print-schema`; the client's tests validate each version's documents against it).
pub async fn schema_sdl_at(version: HoustonVersion) -> Result<String, String> {
    versioning::sdl::sdl_at(version).await
}
