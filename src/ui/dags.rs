//! The views below a deployment's DAGs tab: a DAG's runs, a run's task instances (tables from
//! their specs) and a task instance's log (the log view). The breadcrumbs name the deployment,
//! DAG, run and task.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::table::render_app_table;
use super::theme::Theme;
use crate::app::state::{AppState, Route};

pub(crate) fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let empty = match state.route() {
        Route::DagRuns { .. } => "No runs of this DAG yet",
        Route::TaskInstances { .. } => "No task instances in this run",
        Route::TaskLog { .. } => return super::logs::render_task_log(frame, area, state, theme),
        _ => return,
    };
    if let Some(table) = state.current_table() {
        render_app_table(frame, area, state, theme, &table, empty);
    }
}
