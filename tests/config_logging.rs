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
    // A second init (the subscriber is global) reports failure instead of panicking.
    assert_eq!(astrodash::logging::init_in(data_dir), None);
}
