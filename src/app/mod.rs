//! State, messages, the pure `update(state, msg) -> effects`, the effect executor and the event loop.

pub mod effect;
pub mod filter;
pub mod keymap;
pub mod msg;
pub mod remote;
pub mod run;
pub mod state;
pub mod update;

pub use run::{run, run_after};
