//! Clusters: the platform's data planes (Houston 1.0+), problems first.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::table::render_app_table;
use super::theme::Theme;
use crate::app::state::AppState;
use crate::app::tables::TableId;

pub(crate) fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    render_app_table(
        frame,
        area,
        state,
        theme,
        &TableId::Clusters,
        "No clusters on this platform",
    );
}
