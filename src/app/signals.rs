//! The signals that end the program, and Ctrl-z. A terminating signal ends the event loop so
//! the terminal is restored, and the exit status says which signal it was (128 + n, as a
//! shell reports a program killed by it). Ctrl-z (a key in raw mode, not a signal) gives the
//! terminal back and stops the process as a shell's job control expects; once continued
//! (`fg`), the dashboard takes the terminal again and redraws.

/// How the event loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// This signal (SIGTERM, SIGINT, SIGHUP, SIGQUIT) ended it.
    Signal(i32),
}

impl Ended {
    /// The exit status to end the process with when it is not 0: 128 + the signal's number.
    pub fn exit_code(self) -> Option<i32> {
        match self {
            Ended::Quit => None,
            Ended::Signal(n) => Some(128 + n),
        }
    }
}

/// The signals that end the program (SIGTERM, SIGINT, SIGHUP from a closed SSH session,
/// SIGQUIT), where there are such things, each with its number.
#[cfg(unix)]
pub(crate) type Terminate = Vec<(i32, tokio::signal::unix::Signal)>;
#[cfg(not(unix))]
pub(crate) type Terminate = ();

#[cfg(unix)]
pub(crate) fn listen_for_terminate() -> Terminate {
    use tokio::signal::unix::{SignalKind, signal};
    [
        SignalKind::terminate(),
        SignalKind::interrupt(),
        SignalKind::hangup(),
        SignalKind::quit(),
    ]
    .into_iter()
    .filter_map(|kind| Some((kind.as_raw_value(), signal(kind).ok()?)))
    .collect()
}
#[cfg(not(unix))]
pub(crate) fn listen_for_terminate() -> Terminate {}

/// Resolves to the number of the first of the signals that arrives (never, when none could be
/// listened for).
#[cfg(unix)]
pub(crate) async fn terminated(signals: &mut Terminate) -> i32 {
    std::future::poll_fn(|cx| {
        for (number, signal) in signals.iter_mut() {
            if signal.poll_recv(cx).is_ready() {
                return std::task::Poll::Ready(*number);
            }
        }
        std::task::Poll::Pending
    })
    .await
}
#[cfg(not(unix))]
pub(crate) async fn terminated(_: &mut Terminate) -> i32 {
    std::future::pending().await
}

/// Stop the process as Ctrl-z in a shell would (SIGTSTP); returns once it is continued. Where a
/// stop is impossible (no job control: the kernel drops SIGTSTP for a process group no shell
/// watches) it returns at once, and the dashboard simply carries on.
#[cfg(unix)]
pub(crate) fn stop_until_continued() {
    // SAFETY: raise(3) has no memory-safety preconditions; SIGTSTP keeps its default action
    // (nothing here installs a handler for it), which stops the whole process.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
}
#[cfg(not(unix))]
pub(crate) fn stop_until_continued() {}

/// Whether `key` is the suspend key (Ctrl-z, the terminal's usual `susp` character).
pub(crate) fn is_suspend_key(key: &crossterm::event::KeyEvent) -> bool {
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    cfg!(unix)
        && key.kind != KeyEventKind::Release
        && key.modifiers == KeyModifiers::CONTROL
        && matches!(key.code, KeyCode::Char('z' | 'Z'))
}
