//! All deployments: every deployment the caller can see in one table, worst status first,
//! with each one's Airflow columns; while it is read workspace by workspace, a line says how
//! far it got, and another how far the reading of their Airflows got (and how many could not
//! be read).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use super::placeholder;
use super::table::render_app_table;
use super::theme::Theme;
use crate::app::all_deployments::progress;
use crate::app::state::AppState;
use crate::app::tables::TableId;

pub(crate) fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let area = with_fleet_line(frame, area, state, theme);
    render_app_table(
        frame,
        area,
        state,
        theme,
        &TableId::AllDeployments,
        "No deployments in any workspace you can see",
    );
}

/// The progress lines of a fleet view above `area`; returns what is left for the table.
pub(super) fn with_fleet_line(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
) -> Rect {
    let mut lines = Vec::new();
    if let Some((answered, total)) = progress(&state.cache) {
        lines.push(format!(" Read {answered} of {total} workspaces…"));
    }
    if let Some(line) = state.fleet.progress.line() {
        lines.push(format!(" {line}"));
    }
    let mut area = area;
    for text in lines {
        let [line, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        placeholder(frame, line, text, theme);
        area = rest;
    }
    area
}
