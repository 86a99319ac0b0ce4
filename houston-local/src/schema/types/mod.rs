//! GraphQL output types. Wrappers hold database rows; nested objects load lazily so that a
//! list query costs one SQL statement unless nested fields are selected.

mod bindings;
mod config;
mod deployments;
mod users;
mod visibility;
mod workspaces;

pub(crate) use bindings::*;
pub(crate) use config::*;
pub(crate) use deployments::*;
pub(crate) use users::*;
pub(crate) use visibility::*;
pub(crate) use workspaces::*;

pub(crate) const CHART_VERSION: &str = "1.10.0";
pub(crate) const AIRFLOW_VERSIONS: [&str; 4] = ["2.7.3", "2.8.1", "2.9.2", "2.10.3"];
pub(crate) const DEFAULT_AIRFLOW_VERSION: &str = "2.10.3";
