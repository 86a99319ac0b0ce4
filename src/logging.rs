//! Diagnostics go to a file, never to the terminal (the TUI owns it).

use std::path::PathBuf;

use tracing_subscriber::EnvFilter;

/// Start logging to `astrodash.log` in the user data dir, at the level in `ASTRODASH_LOG`
/// (`info` by default; any `tracing` filter such as `astrodash=debug` works). Returns the log
/// file's path, or `None` when logging could not be set up (then nothing is logged).
pub fn init() -> Option<PathBuf> {
    let dir = crate::config::project_dirs()?.data_dir().to_path_buf();
    init_in(dir)
}

/// `init`, with the directory given.
pub fn init_in(dir: PathBuf) -> Option<PathBuf> {
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join("astrodash.log");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let filter =
        EnvFilter::try_from_env("ASTRODASH_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(path)
}
