//! astrodash: a keyboard-driven terminal dashboard for Astronomer Software (Houston).

pub use airflow_client as airflow;
pub mod app;
pub mod cli;
pub mod config;
pub mod doctor;
pub use houston_client as houston;
pub mod keys;
pub mod logging;
pub mod platform;
#[doc(hidden)]
pub mod test_support;
pub mod ui;
