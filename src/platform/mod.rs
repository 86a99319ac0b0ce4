//! Talking to the user's machine: browser (open, with the SSH fallback), clipboard (OSC 52),
//! hyperlinks (OSC 8).
//!
//! CONTRACT SKELETON: filled in by the platform work; signatures stay.

/// What happened when we tried to open a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    /// A browser was launched (detached).
    Opened,
    /// We did not (or could not) open a browser; show the URL instead. The reason is for the user,
    /// e.g. "over SSH" or "no display" or the launcher's error.
    ShowUrl { reason: String },
}

/// Open `url` in a browser unless we are over SSH or have no display. May take a few hundred
/// milliseconds: call it from `spawn_blocking`, never on the UI loop.
pub fn open_in_browser(_url: &str) -> OpenOutcome {
    OpenOutcome::ShowUrl {
        reason: "not implemented".into(),
    }
}

/// The OSC 52 escape sequence that asks the terminal to put `text` on the local clipboard.
pub fn osc52_copy_sequence(_text: &str) -> String {
    String::new()
}

/// `text` wrapped as an OSC 8 hyperlink to `url`.
pub fn osc8_hyperlink(_url: &str, text: &str) -> String {
    text.to_string()
}
