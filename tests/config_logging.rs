//! Logging goes to `astrodash.log` in the given directory (created if missing), never to the
//! terminal. Its own test binary: the global subscriber can be set once per process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn logs_to_a_file_in_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("nested/data");
    let path = astrodash::logging::init_in(data_dir.clone()).expect("logging starts");
    assert_eq!(path, data_dir.join("astrodash.log"));
    tracing::info!(answer = 42, "hello from the test");
    tracing::debug!("not at the default level");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("hello from the test"), "{text}");
    assert!(text.contains("answer=42"), "{text}");
    assert!(!text.contains("not at the default level"), "{text}");
    assert!(!text.contains('\x1b'), "no colour codes in the file");
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600, "only its owner reads the log");
    // A second init (the subscriber is global) reports failure instead of panicking.
    assert_eq!(astrodash::logging::init_in(data_dir), None);
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_log_file_is_private_and_an_open_one_is_never_widened() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // Created 0600 whatever the umask allows.
    let new = dir.path().join("new.log");
    astrodash::logging::open_log_file(&new).unwrap();
    assert_eq!(mode(&new), 0o600);
    // An old world-readable log (from before this fix) is narrowed, its text kept.
    let old = dir.path().join("old.log");
    std::fs::write(&old, "earlier run\n").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    astrodash::logging::open_log_file(&old).unwrap();
    assert_eq!(mode(&old), 0o600);
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "earlier run\n");
    // One the user made stricter stays as strict.
    let strict = dir.path().join("strict.log");
    std::fs::write(&strict, "").unwrap();
    std::fs::set_permissions(&strict, std::fs::Permissions::from_mode(0o400)).unwrap();
    // Read-only to its owner: appending fails (as root it does not), the mode is unchanged.
    let _ = astrodash::logging::open_log_file(&strict);
    assert_eq!(mode(&strict), 0o400);
}
