//! Diagnostics go to a file, never to the terminal (the TUI owns it).

use std::fs::File;
use std::path::{Path, PathBuf};

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
    let file = open_log_file(&path).ok()?;
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

/// Open `path` for appending, readable by its owner only: the log holds URLs, user names and
/// error texts. A new file is created 0600; an existing one others could read is narrowed to
/// 0600 (never widened).
pub fn open_log_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(mode & 0o700))?;
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}
