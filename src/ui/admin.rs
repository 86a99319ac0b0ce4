//! The System Admin panel: Users | Invites | Workspaces | Service accounts | Task usage, each a
//! table named by its row in the registry (`state::AdminTab`); the task usage says its range,
//! and what Houston does not serve.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use super::placeholder;
use super::table::render_app_table;
use super::tabs::render_tab_page;
use super::theme::Theme;
use crate::app::state::{AdminTab, AppState};
use crate::houston::ApiError;
use crate::houston::request::Request;

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    tab: AdminTab,
) {
    let mut body = render_tab_page(frame, area, &AdminTab::ALL, |t| t.title(), &tab, theme);
    if tab == AdminTab::TaskUsage {
        let [line, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
        placeholder(frame, line, task_usage_line(state), theme);
        body = rest;
    }
    let days = state.ui.task_usage_days;
    if let Some(table) = tab.tables(days).first() {
        render_app_table(frame, body, state, theme, table, tab.row().empty);
    }
}

/// "Task runs of the last 30 days, worst failure rate first (w: 7 / 30 / 90 days)", or why
/// Houston has none.
fn task_usage_line(state: &AppState) -> String {
    let refused = crate::app::task_usage::requests(&state.cache, state.ui.task_usage_days)
        .iter()
        .filter(|r| matches!(r, Request::TaskUsage { .. }))
        .find_map(|r| {
            state
                .cache
                .remote(r)?
                .error()
                .filter(|e| e.is_unsupported())
                .cloned()
        });
    match refused {
        // Short enough for 80 columns: "Not available on Houston 0.35.0 (task usage needs …)".
        Some(ApiError::Unsupported {
            message,
            houston_version: Some(v),
        }) => format!(
            " Not available on Houston {v} ({})",
            message.replace("deploymentTaskUsage", "task usage")
        ),
        Some(e) => format!(" Task usage: {e}"),
        None => format!(
            " Task runs of the last {} days, worst failure rate first (w: 7 / 30 / 90 days)",
            state.ui.task_usage_days
        ),
    }
}
