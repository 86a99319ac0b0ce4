//! Workspace dashboard: Deployments | Users | Invites | Service Accounts | Settings.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::block;
use super::format::{date_and_age, or_dash};
use super::table::{empty_text, render_app_table};
use super::tabs::render_tab_page;
use super::theme::Theme;
use crate::app::state::{AppState, WorkspaceTab};
use crate::houston::model::{Role, WorkspaceId};

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    id: &WorkspaceId,
    tab: WorkspaceTab,
) {
    let body = render_tab_page(frame, area, &WorkspaceTab::ALL, |t| t.title(), &tab, theme);
    let ws = id.clone();
    match tab {
        WorkspaceTab::Invites if !state.can_see_invites(id) => frame.render_widget(
            Paragraph::new(Span::styled(
                " Pending invites are visible to workspace admins",
                theme.dim(),
            ))
            .block(block(" Pending invites ", theme)),
            body,
        ),
        WorkspaceTab::Settings => settings(frame, body, state, theme, id),
        // A table tab: its table, as the tab's row in the registry names it.
        table_tab => {
            if let Some(table) = table_tab.tables(&ws).first() {
                let empty = table_tab.row().empty;
                render_app_table(frame, body, state, theme, table, empty);
            }
        }
    }
}

/// Key/value lines: `Label      value`.
pub(crate) fn field<'a>(label: &'a str, value: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!(" {label:<13}"), theme.dim()),
        Span::raw(value),
    ])
}

fn settings(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, id: &WorkspaceId) {
    let b = block(" Settings ", theme);
    let Some(w) = state.cache.workspace(id) else {
        let remote = state
            .cache
            .workspaces_request()
            .and_then(|r| state.remote(&r));
        let text = empty_text(remote, "This workspace is no longer listed");
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {text}"), theme.dim())).block(b),
            area,
        );
        return;
    };
    let lines = vec![
        field("Name", w.label.clone(), theme),
        field(
            "Description",
            or_dash(w.description.as_deref()).to_string(),
            theme,
        ),
        field("Id", w.id.to_string(), theme),
        field("Created", date_and_age(state.now, w.created_at), theme),
        field("Updated", date_and_age(state.now, w.updated_at), theme),
        field("Deployments", w.deployment_count.to_string(), theme),
        field(
            "My role",
            // The same words as the lists ("Admin", not `WORKSPACE_ADMIN`).
            w.my_role.as_ref().map_or("—", Role::short).to_string(),
            theme,
        ),
    ];
    frame.render_widget(Paragraph::new(lines).block(b), area);
}
