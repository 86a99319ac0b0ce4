//! `:dags`: the failing and long-running DAG runs of every deployment, newest failure first,
//! with a line saying how far the reading of their Airflows got.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::all_deployments::with_fleet_line;
use super::table::render_app_table;
use super::theme::Theme;
use crate::app::state::AppState;
use crate::app::tables::TableId;

pub(crate) fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let area = with_fleet_line(frame, area, state, theme);
    render_app_table(
        frame,
        area,
        state,
        theme,
        &TableId::FleetRuns,
        "No failed or long-running runs in the last 24 h",
    );
}
