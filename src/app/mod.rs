//! State, messages, the pure `update(state, msg) -> effects`, the effect executor and the event
//! loop; the cache of server data, tables, forms, modals and the keymap they use.

pub mod admin;
pub mod airflow;
pub mod all_deployments;
pub mod applied;
pub mod cache;
pub mod changes;
pub mod clients;
pub mod clipboard;
pub mod clusters;
pub mod contexts;
pub mod dags;
pub mod describe;
pub mod effect;
pub mod files;
pub mod fleet;
pub mod forms;
pub mod freshness;
pub mod fuzzy;
pub mod keymap;
pub mod live;
pub mod logs;
pub mod menu;
pub mod merge;
pub mod metrics;
pub mod modal;
pub mod msg;
pub mod palette;
pub mod remote;
pub mod run;
pub mod shared;
pub mod signals;
pub mod state;
pub mod streams;
pub mod tables;
pub mod task_usage;
pub mod update;

pub use run::{run, run_after};
