//! Talking to the user's machine: browser (open, with the SSH fallback), clipboard (OSC 52),
//! hyperlinks (OSC 8).

use std::io::Write;

/// What happened when we tried to open a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    /// A browser was launched (detached).
    Opened,
    /// We did not (or could not) open a browser; show the URL instead. The reason is for the user,
    /// e.g. "over SSH" or "no display" or the launcher's error.
    ShowUrl { reason: String },
}

/// The environment facts that decide whether launching a browser makes sense.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct BrowserEnv {
    /// `SSH_CONNECTION` or `SSH_TTY` is set: a launched browser would open on the remote host.
    pub(crate) over_ssh: bool,
    /// `DISPLAY` or `WAYLAND_DISPLAY` is set (only consulted on Linux/BSD).
    pub(crate) has_display: bool,
    /// Linux/BSD, where a graphical browser needs a display server.
    pub(crate) needs_display: bool,
}

impl BrowserEnv {
    /// This process's environment.
    pub(crate) fn current() -> BrowserEnv {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        BrowserEnv {
            over_ssh: set("SSH_CONNECTION") || set("SSH_TTY"),
            has_display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            needs_display: cfg!(any(
                target_os = "linux",
                target_os = "freebsd",
                target_os = "openbsd",
                target_os = "netbsd",
                target_os = "dragonfly"
            )),
        }
    }
}

/// `Some(reason)` when we should not even try to launch a browser.
pub(crate) fn browser_blocked(env: BrowserEnv) -> Option<&'static str> {
    if env.over_ssh {
        Some("over SSH")
    } else if env.needs_display && !env.has_display {
        Some("no display")
    } else {
        None
    }
}

/// Why a URL from the server is never handed to the system opener.
pub(crate) const NOT_WEB_URL: &str = "not an http(s) URL";

/// Whether `url` is an absolute `http`/`https` URL. Anything else (`file:`, `javascript:`, a
/// custom scheme a desktop handler would launch) came from the server and is never opened.
pub(crate) fn is_web_url(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// Open `url` in a browser unless it is not an http(s) URL, we are over SSH or have no display.
/// May take a few hundred milliseconds: call it from `spawn_blocking`, never on the UI loop.
pub(crate) fn open_in_browser(url: &str) -> OpenOutcome {
    if !is_web_url(url) {
        return OpenOutcome::ShowUrl {
            reason: NOT_WEB_URL.to_string(),
        };
    }
    if let Some(reason) = browser_blocked(BrowserEnv::current()) {
        return OpenOutcome::ShowUrl {
            reason: reason.to_string(),
        };
    }
    // Detached: `open::that` would block until the launcher (sometimes the browser) exits.
    match open::that_detached(url) {
        Ok(()) => OpenOutcome::Opened,
        Err(e) => {
            tracing::info!(error = %e, "could not open a browser");
            OpenOutcome::ShowUrl {
                reason: launcher_failure(&e),
            }
        }
    }
}

/// Why no browser opened, for the operator: the `open` crate's errors carry Rust debug output
/// (`Launcher "xdg-open" "https://…" failed with ExitStatus(unix_wait_status(512))`).
pub(crate) fn launcher_failure(error: &std::io::Error) -> String {
    let text = error.to_string();
    if error.kind() == std::io::ErrorKind::NotFound {
        return "no browser launcher was found (xdg-open, gio, …): install one, or copy the URL"
            .into();
    }
    let Some(rest) = text.strip_prefix("Launcher ") else {
        return format!("the browser could not be started: {text}");
    };
    let (command, status) = rest.rsplit_once(" failed with ").unwrap_or((rest, ""));
    // The program is the first quoted word; its arguments (the URL) are left out.
    let program = command
        .split('"')
        .nth(1)
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .filter(|p| !p.is_empty())
        .unwrap_or("the browser launcher");
    match exit_status_words(status) {
        Some(words) => format!("the browser launcher {program} {words}"),
        None => format!("the browser launcher {program} failed"),
    }
}

/// `ExitStatus(unix_wait_status(512))` → `exited with status 2`; a signal → `was killed by
/// signal 9`; `exit status: 1` / `exit code: 1` (other platforms) → `exited with status 1`.
fn exit_status_words(debug: &str) -> Option<String> {
    let number = |s: &str| -> Option<i64> {
        let digits: String = s
            .chars()
            .skip_while(|c| !c.is_ascii_digit() && *c != '-')
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        digits.parse().ok()
    };
    if let Some(raw) = debug.split("unix_wait_status(").nth(1) {
        let raw = number(raw)?;
        let signal = raw & 0x7f;
        return Some(if signal == 0 {
            format!("exited with status {}", (raw >> 8) & 0xff)
        } else {
            format!("was killed by signal {signal}")
        });
    }
    let code = number(debug)?;
    Some(format!("exited with status {code}"))
}

/// Largest base64 payload we send in OSC 52: many terminals (xterm, tmux) drop longer ones.
pub(crate) const OSC52_MAX_ENCODED: usize = 74_994;

/// The OSC 52 escape sequence that asks the terminal to put `text` on the local clipboard
/// (crossterm's `osc52` command: `ESC ] 52 ; c ; <base64> ESC \`).
pub(crate) fn osc52_copy_sequence(text: &str) -> String {
    use crossterm::Command;
    let mut sequence = String::new();
    // Writing into a String cannot fail.
    let _ = crossterm::clipboard::CopyToClipboard::to_clipboard_from(text.as_bytes())
        .write_ansi(&mut sequence);
    sequence
}

/// tmux's `set-clipboard` option (`on`, `external`, `off`), or `None` when tmux cannot be asked
/// (not installed, not our server). Runs a process: call it off the UI task.
pub(crate) fn tmux_set_clipboard() -> Option<String> {
    let output = std::process::Command::new("tmux")
        .args(["show", "-gv", "set-clipboard"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let value = String::from_utf8_lossy(&output.stdout).trim().to_string();
    (!value.is_empty()).then_some(value)
}

/// What became of a copy to the clipboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyOutcome {
    /// The OSC 52 sequence went to the terminal.
    Copied,
    /// Longer than terminals accept in one OSC 52 sequence: nothing was sent.
    TooLong,
    /// Writing to the terminal failed.
    Failed(String),
}

/// Put `text` on the clipboard of the terminal the user sits at (works over SSH) by writing
/// OSC 52 to `out`, the terminal (the event loop passes its backend). The one clipboard path.
pub(crate) fn copy_to_clipboard(out: &mut impl Write, text: &str) -> CopyOutcome {
    match write_copy_sequence(out, text) {
        Ok(()) => CopyOutcome::Copied,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => CopyOutcome::TooLong,
        Err(e) => CopyOutcome::Failed(e.to_string()),
    }
}

/// The OSC 52 sequence for `text` into any writer, refusing text longer than
/// [`OSC52_MAX_ENCODED`] allows (`InvalidInput`, nothing written).
pub(crate) fn write_copy_sequence(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    let encoded_len = base64::encoded_len(text.len(), true).unwrap_or(usize::MAX);
    if encoded_len > OSC52_MAX_ENCODED {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "too long to copy through the terminal ({} bytes; the limit is about {} bytes)",
                text.len(),
                OSC52_MAX_ENCODED / 4 * 3
            ),
        ));
    }
    out.write_all(osc52_copy_sequence(text).as_bytes())?;
    out.flush()
}

/// `text` wrapped as an OSC 8 hyperlink to `url`. Control characters are dropped from both:
/// they come from the server and must not smuggle escape sequences into the terminal.
pub(crate) fn osc8_hyperlink(url: &str, text: &str) -> String {
    let url = without_controls(url);
    let text = without_controls(text);
    format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\")
}

fn without_controls(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_blocks_the_browser() {
        let env = BrowserEnv {
            over_ssh: true,
            has_display: true,
            needs_display: false,
        };
        assert_eq!(browser_blocked(env), Some("over SSH"));
    }

    #[test]
    fn no_display_blocks_only_where_one_is_needed() {
        let linux = BrowserEnv {
            over_ssh: false,
            has_display: false,
            needs_display: true,
        };
        assert_eq!(browser_blocked(linux), Some("no display"));
        let mac = BrowserEnv {
            needs_display: false,
            ..linux
        };
        assert_eq!(browser_blocked(mac), None);
        let desktop = BrowserEnv {
            has_display: true,
            ..linux
        };
        assert_eq!(browser_blocked(desktop), None);
    }

    #[test]
    fn only_http_and_https_urls_are_opened() {
        assert!(is_web_url(
            "https://deployments.example.com/prod-etl/airflow"
        ));
        assert!(is_web_url("http://127.0.0.1:8080/"));
        assert!(
            is_web_url("HTTPS://EXAMPLE.COM/"),
            "schemes are case-insensitive"
        );
        for url in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "ssh://host",
            "vscode://file/etc/passwd",
            "smb://evil/share",
            "/relative/path",
            "deployments.example.com/airflow",
            "",
        ] {
            assert!(!is_web_url(url), "{url}");
            // Refused before any opener or environment check runs.
            assert_eq!(
                open_in_browser(url),
                OpenOutcome::ShowUrl {
                    reason: NOT_WEB_URL.into()
                },
                "{url}"
            );
        }
    }

    #[test]
    fn launcher_failures_in_words() {
        let failed = |text: &str| std::io::Error::other(text.to_string());
        assert_eq!(
            launcher_failure(&failed(
                "Launcher \"xdg-open\" \"https://a.example/x\" failed with ExitStatus(unix_wait_status(512))"
            )),
            "the browser launcher xdg-open exited with status 2"
        );
        assert_eq!(
            launcher_failure(&failed(
                "Launcher \"/usr/bin/gio\" \"open\" \"https://a/\" failed with ExitStatus(unix_wait_status(9))"
            )),
            "the browser launcher gio was killed by signal 9"
        );
        assert_eq!(
            launcher_failure(&failed(
                "Launcher \"cmd\" \"/c\" \"start\" failed with ExitStatus(ExitStatus(1))"
            )),
            "the browser launcher cmd exited with status 1"
        );
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(launcher_failure(&missing).starts_with("no browser launcher was found"));
        for text in [
            launcher_failure(&failed(
                "Launcher \"x\" failed with ExitStatus(unix_wait_status(512))",
            )),
            launcher_failure(&failed("something odd")),
        ] {
            assert!(
                !text.contains("ExitStatus") && !text.contains("unix_wait"),
                "{text}"
            );
        }
    }

    #[test]
    fn osc52_sequence() {
        assert_eq!(osc52_copy_sequence("hello"), "\x1b]52;c;aGVsbG8=\x1b\\");
        assert_eq!(osc52_copy_sequence(""), "\x1b]52;c;\x1b\\");
        // Standard alphabet ('+', '/'), not URL-safe.
        assert_eq!(
            osc52_copy_sequence("\u{fb}\u{ff}"),
            "\x1b]52;c;w7vDvw==\x1b\\"
        );
    }

    #[test]
    fn copy_writes_the_sequence() {
        let mut out = Vec::new();
        write_copy_sequence(&mut out, "id-123").unwrap();
        assert_eq!(out, b"\x1b]52;c;aWQtMTIz\x1b\\");
    }

    #[test]
    fn copy_refuses_oversized_text() {
        // 56,245 bytes encode to 74,996 > 74,994; 56,244 to 74,992.
        let mut out = Vec::new();
        assert!(write_copy_sequence(&mut out, &"x".repeat(56_244)).is_ok());
        let mut out = Vec::new();
        let err = write_copy_sequence(&mut out, &"x".repeat(56_246)).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(out.is_empty(), "nothing written");
    }

    #[test]
    fn copy_reports_what_happened() {
        let mut out = Vec::new();
        assert_eq!(copy_to_clipboard(&mut out, "id-123"), CopyOutcome::Copied);
        assert_eq!(out, b"\x1b]52;c;aWQtMTIz\x1b\\");
        let mut out = Vec::new();
        assert_eq!(
            copy_to_clipboard(&mut out, &"x".repeat(100_000)),
            CopyOutcome::TooLong
        );
        assert!(out.is_empty());

        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("terminal gone"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        assert_eq!(
            copy_to_clipboard(&mut Broken, "x"),
            CopyOutcome::Failed("terminal gone".into())
        );
    }

    #[test]
    fn osc8_link() {
        assert_eq!(
            osc8_hyperlink("https://a.example/x", "Airflow"),
            "\x1b]8;;https://a.example/x\x1b\\Airflow\x1b]8;;\x1b\\"
        );
        assert_eq!(
            osc8_hyperlink("https://a/\x1b]52;c;x\x07", "a\x1bb"),
            "\x1b]8;;https://a/]52;c;x\x1b\\ab\x1b]8;;\x1b\\"
        );
    }
}
