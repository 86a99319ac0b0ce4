//! What we know about the way to the user's clipboard. OSC 52 goes through the terminal; inside
//! tmux it reaches the outer terminal only with `set-clipboard on`, which the app asks tmux
//! about once (an effect), so a copy is never claimed when tmux may have dropped it.

/// The advice shown when tmux may swallow OSC 52.
pub(crate) const TMUX_ADVICE: &str = "tmux may drop it: set -g set-clipboard on";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClipboardRoute {
    /// `TMUX` is set: we run inside tmux.
    pub in_tmux: bool,
    /// `tmux show -gv set-clipboard`, once answered (`None`: not known, tmux absent or failing).
    pub(crate) tmux_set_clipboard: Option<String>,
}

impl ClipboardRoute {
    /// Whether an OSC 52 sequence may never reach the clipboard.
    pub(crate) fn may_drop(&self) -> bool {
        self.in_tmux && self.tmux_set_clipboard.as_deref() != Some("on")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tmux_without_set_clipboard_on_may_drop() {
        let mut route = ClipboardRoute::default();
        assert!(!route.may_drop());
        route.in_tmux = true;
        assert!(route.may_drop(), "unknown counts as may drop");
        route.tmux_set_clipboard = Some("external".into());
        assert!(route.may_drop());
        route.tmux_set_clipboard = Some("on".into());
        assert!(!route.may_drop());
    }
}
