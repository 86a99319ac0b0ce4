//! State, messages, the pure `update(state, msg) -> effects`, the effect executor and the event loop.

use crate::config::Settings;

/// Run the TUI until the user quits. Restores the terminal on every exit path.
pub async fn run(_settings: Settings) -> color_eyre::Result<()> {
    Ok(())
}
