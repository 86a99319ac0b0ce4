//! State, messages, the pure `update(state, msg) -> effects`, the effect executor and the event
//! loop; the cache of server data, tables, forms, modals and the keymap they use.

pub(crate) mod admin;
pub mod airflow;
pub mod all_deployments;
pub(crate) mod applied;
pub(crate) mod cache;
pub(crate) mod changes;
pub(crate) mod clients;
pub(crate) mod clipboard;
pub mod clusters;
pub(crate) mod contexts;
pub(crate) mod dags;
pub mod describe;
pub mod effect;
pub(crate) mod files;
pub mod fleet;
pub mod forms;
pub mod freshness;
pub(crate) mod fuzzy;
pub mod keymap;
pub mod live;
pub mod logs;
pub mod menu;
pub(crate) mod merge;
pub mod metrics;
pub mod modal;
pub mod msg;
pub mod palette;
pub(crate) mod remote;
pub mod run;
pub mod shared;
pub mod signals;
pub mod state;
pub mod streams;
pub mod tables;
pub(crate) mod task_usage;
pub mod update;

pub use run::{run, run_after};
