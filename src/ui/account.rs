//! Account dashboard: my workspaces.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::table::render_app_table;
use super::theme::Theme;
use crate::app::state::AppState;
use crate::app::tables::TableId;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    render_app_table(
        frame,
        area,
        state,
        theme,
        &TableId::Workspaces,
        "You are not a member of any workspace yet (n creates one)",
    );
}
