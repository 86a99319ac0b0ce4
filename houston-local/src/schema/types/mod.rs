//! GraphQL output types. Wrappers hold database rows; nested objects load lazily so that a
//! list query costs one SQL statement unless nested fields are selected.

mod bindings;
mod config;
mod deployments;
mod users;
mod visibility;
mod workspaces;

pub use bindings::*;
pub use config::*;
pub use deployments::*;
pub use users::*;
pub use visibility::*;
pub use workspaces::*;

pub const CHART_VERSION: &str = "1.10.0";
pub const AIRFLOW_VERSIONS: [&str; 4] = ["2.7.3", "2.8.1", "2.9.2", "2.10.3"];
pub const DEFAULT_AIRFLOW_VERSION: &str = "2.10.3";
