//! Talking to the user's machine: browser (open, with the SSH fallback), clipboard (OSC 52),
//! hyperlinks (OSC 8).
