//! The System Admin panel: Users | Invites | Service accounts, each a table named by its row
//! in the registry (`state::AdminTab`).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::table::render_app_table;
use super::tabs::render_tab_page;
use super::theme::Theme;
use crate::app::state::{AdminTab, AppState};

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, tab: AdminTab) {
    let body = render_tab_page(frame, area, &AdminTab::ALL, |t| t.title(), &tab, theme);
    if let Some(table) = tab.tables().first() {
        render_app_table(frame, body, state, theme, table, tab.row().empty);
    }
}
