//! All deployments: every deployment the caller can see in one table, worst status first;
//! while it is read workspace by workspace, a line says how far it got.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use super::placeholder;
use super::table::render_app_table;
use super::theme::Theme;
use crate::app::all_deployments::progress;
use crate::app::state::AppState;
use crate::app::tables::TableId;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let table_area = match progress(&state.cache) {
        Some((answered, total)) => {
            let [line, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
            placeholder(
                frame,
                line,
                format!(" Read {answered} of {total} workspaces…"),
                theme,
            );
            rest
        }
        None => area,
    };
    render_app_table(
        frame,
        table_area,
        state,
        theme,
        &TableId::AllDeployments,
        "No deployments in any workspace you can see",
    );
}
