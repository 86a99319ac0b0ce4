//! Account dashboard: my workspaces.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::block;
use super::format::or_dash;
use super::table::{CellText, Column, TableView, col, flex, render_table, table_title};
use super::theme::Theme;
use crate::app::remote::Remote;
use crate::app::state::{AppState, TableId};

const COLUMNS: [Column; 4] = [
    flex("Workspace", 16, 0),
    flex("Description", 16, 2),
    col("Deployments", 11, 1),
    // Wide enough for "System admin".
    col("My role", 12, 1),
];

/// The text shown instead of rows: loading, failure, or the screen's own "nothing here".
pub fn empty_text<T>(remote: Option<&Remote<T>>, none: &str) -> String {
    match remote {
        Some(r) if r.data().is_some() => none.to_string(),
        Some(Remote::Failed { error, .. }) => format!("Could not load: {error}"),
        _ => "Loading…".to_string(),
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let table = TableId::Workspaces;
    let rows = state.visible_rows(&table);
    let list = state.workspaces.data().map(Vec::as_slice).unwrap_or(&[]);
    let filter = state.filter_of(&table);
    let view = TableView {
        block: block(
            table_title("Workspaces", rows.len(), list.len(), filter),
            theme,
        ),
        columns: &COLUMNS,
        len: rows.len(),
        selected: Some(state.table_state(&table).selected),
        empty: if let (Remote::NotLoaded, Remote::Failed { error, .. }) =
            (&state.workspaces, &state.me)
        {
            // We could not even learn who we are.
            format!("Could not load: {error}")
        } else if filter.is_empty() {
            empty_text(
                Some(&state.workspaces),
                "You are not a member of any workspace yet",
            )
        } else {
            format!("No workspace matches \"{filter}\"")
        },
    };
    // A system admin sees every workspace, bound to it or not.
    let system_admin = state.me.data().is_some_and(|me| me.is_system_admin);
    render_table(frame, area, theme, view, |r, c| {
        let w = &list[rows[r]];
        match c {
            0 => CellText::styled(w.label.clone(), theme.title()),
            1 => CellText::plain(or_dash(w.description.as_deref())),
            2 => CellText::plain(w.deployment_count.to_string()),
            _ => match &w.my_role {
                Some(role) => CellText::plain(role.short()),
                None if system_admin => CellText::styled("System admin", theme.dim()),
                None => CellText::plain("—"),
            },
        }
    });
}
