//! Writing a local file for the user (`s` saves log lines): never over an existing file, never
//! leaving a partial one behind, and every error naming the directory it was in.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `contents` to a file that must not exist yet (a relative `path` is in the current
/// directory). Its absolute path, or the reason in words, naming the directory.
pub(crate) fn write_new_file(path: &Path, contents: &str) -> Result<PathBuf, String> {
    write_new_file_with(path, contents.as_bytes(), |file, bytes| {
        file.write_all(bytes)?;
        file.sync_all()
    })
}

/// [`write_new_file`], with `write` filling the created file (tests make it fail, as a full
/// disk would).
fn write_new_file_with(
    path: &Path,
    bytes: &[u8],
    write: impl FnOnce(&mut File, &[u8]) -> std::io::Result<()>,
) -> Result<PathBuf, String> {
    // "cannot create x.log" does not say where: name the directory it was meant for.
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!("{} already exists", path.display()),
            _ => format!("cannot create {}: {e}", in_directory(&path)),
        })?;
    if let Err(e) = write(&mut file, bytes) {
        drop(file);
        // A full disk leaves a short (often empty) file that looks like a saved one: remove it.
        return Err(match std::fs::remove_file(&path) {
            Ok(()) => format!("cannot write {}: {e}; nothing was saved", path.display()),
            Err(r) => format!(
                "cannot write {}: {e}; the partial file is left there (removing it failed: {r})",
                path.display()
            ),
        });
    }
    Ok(path)
}

/// `name.log in /some/dir`.
fn in_directory(path: &Path) -> String {
    match (path.file_name(), path.parent()) {
        (Some(name), Some(dir)) => {
            format!("{} in {}", name.to_string_lossy(), dir.display())
        }
        _ => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_disk(file: &mut File, bytes: &[u8]) -> std::io::Result<()> {
        // Part of the text lands, then the disk is full.
        file.write_all(&bytes[..bytes.len() / 2])?;
        Err(std::io::Error::from_raw_os_error(28))
    }

    #[test]
    fn writes_a_new_file_and_returns_its_absolute_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.log");
        let written = write_new_file(&path, "one\ntwo\n").unwrap();
        assert_eq!(written, path);
        assert!(written.is_absolute());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\ntwo\n");
        // Never over an existing file.
        let err = write_new_file(&path, "other").unwrap_err();
        assert_eq!(err, format!("{} already exists", path.display()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\ntwo\n");
    }

    #[test]
    fn a_full_disk_leaves_no_file_and_the_error_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("astrodash-etl-scheduler.log");
        let err = write_new_file_with(&path, b"line 1\nline 2\n", full_disk).unwrap_err();
        assert!(!path.exists(), "the partial file is removed");
        assert!(
            err.starts_with(&format!("cannot write {}: ", path.display())),
            "{err}"
        );
        assert!(err.contains("No space left on device"), "{err}");
        assert!(err.ends_with("nothing was saved"), "{err}");
    }

    #[test]
    fn a_file_that_cannot_be_created_names_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("removed");
        let err = write_new_file(&gone.join("a.log"), "x").unwrap_err();
        assert!(
            err.starts_with(&format!("cannot create a.log in {}: ", gone.display())),
            "{err}"
        );
    }

    #[test]
    fn a_relative_name_is_reported_in_the_current_directory() {
        // The log view saves `astrodash-….log` relative to where astrodash was started.
        let cwd = std::env::current_dir().unwrap();
        let err = write_new_file(Path::new("no-such-dir/x.log"), "x").unwrap_err();
        assert!(
            err.starts_with(&format!(
                "cannot create x.log in {}: ",
                cwd.join("no-such-dir").display()
            )),
            "{err}"
        );
    }
}
