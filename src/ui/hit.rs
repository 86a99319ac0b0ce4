//! What a mouse click lands on: a tab of the tab bar or a row of the table. Uses the same
//! layout as drawing (`ui::areas`, the tab bar, the table's window), so clicks match the screen.

use ratatui::layout::{Position, Rect};

use super::format::width;
use super::table::{fit_columns, window_start};
use crate::app::state::{AppState, Route, WorkspaceTab};
use crate::app::tables::Layout;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hit {
    /// The tab at this index.
    Tab(usize),
    /// The row at this position of the table's view.
    Row(usize),
}

/// The tab titles as the tab bar draws them in `bar` columns: ` 1 Deployments │ 2 Users …`.
fn tab_at(titles: &[&str], bar: u16, x: u16) -> Option<usize> {
    let (labels, separator) = super::tabs::labels(titles, bar);
    let mut start = 1u16;
    for (i, label) in labels.iter().enumerate() {
        let w = width(label) as u16;
        if (start..start + w).contains(&x) {
            return Some(i);
        }
        start += w + width(separator) as u16;
    }
    None
}

/// What is at (`x`, `y`) on a screen of size `area`; nothing while a modal, the login screen
/// or the too-small notice is shown.
pub(crate) fn hit_test(state: &AppState, area: Rect, x: u16, y: u16) -> Option<Hit> {
    if area.width < super::MIN_WIDTH
        || area.height < super::MIN_HEIGHT
        || state.session.login.is_some()
        || !state.ui.modals.is_empty()
    {
        return None;
    }
    let [_, _, body, _, _] = super::areas(area);
    let titles: Vec<&str> = match state.route() {
        Route::Account
        | Route::FleetRuns
        | Route::AllDeployments
        | Route::Clusters
        | Route::DagRuns { .. }
        | Route::TaskInstances { .. }
        | Route::TaskLog { .. } => Vec::new(),
        Route::Workspace { .. } => WorkspaceTab::ALL.iter().map(|t| t.title()).collect(),
        Route::Deployment { .. } => super::deployment::tab_titles(body.width),
        Route::Admin { .. } => crate::app::state::AdminTab::ALL
            .iter()
            .map(|t| t.title())
            .collect(),
    };
    let table_area = if titles.is_empty() {
        body
    } else {
        if y == body.y {
            return tab_at(&titles, body.width, x.saturating_sub(body.x)).map(Hit::Tab);
        }
        Rect {
            y: body.y + 1,
            height: body.height.saturating_sub(1),
            ..body
        }
    };
    let table = state.current_table()?;
    // Inside the border, below the header row.
    let rows_area = Rect {
        x: table_area.x + 1,
        y: table_area.y + 2,
        width: table_area.width.saturating_sub(2),
        height: table_area.height.saturating_sub(3),
    };
    if !rows_area.contains(Position::new(x, y)) {
        return None;
    }
    let view = state.view(&table);
    let selected = state
        .selected_index(&table)
        .and_then(|i| view.iter().position(|&v| v == i))
        .unwrap_or(0);
    let start = window_start(selected, usize::from(rows_area.height));
    let pos = start + usize::from(y - rows_area.y);
    (pos < view.len()).then_some(Hit::Row(pos))
}

/// Which of a table's columns are on screen (a narrow terminal drops the least important):
/// what `s` cycles through. Tables span the body's width, inside their border.
pub fn shown_columns(state: &AppState, columns: &[Layout]) -> Vec<usize> {
    let (screen_width, _) = state.ui.size;
    fit_columns(columns, screen_width.saturating_sub(2))
        .into_iter()
        .map(|(i, _)| i)
        .collect()
}
