//! Workspace dashboard: Deployments | Users (+ pending invites) | Service Accounts | Settings.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::account::empty_text;
use super::block;
use super::format::{age_or, airflow_version, date_and_age, or_dash};
use super::table::{CellText, Column, TableView, col, flex, render_table, table_title};
use super::tabs::render_tab_page;
use super::theme::{Theme, status_text};
use crate::app::state::{AppState, TableId, WorkspaceTab};
use crate::houston::model::ServiceAccount;
use crate::houston::model::WorkspaceId;

const DEPLOYMENT_COLUMNS: [Column; 7] = [
    flex("Deployment", 14, 0),
    col("Release", 24, 1),
    col("Status", 11, 0),
    col("Executor", 10, 3),
    col("Airflow", 14, 1),
    col("Image", 12, 4),
    col("Updated", 9, 2),
];

const USER_COLUMNS: [Column; 4] = [
    flex("Name", 14, 0),
    flex("E-mail", 18, 1),
    col("Role", 8, 0),
    col("Status", 8, 2),
];

const INVITE_COLUMNS: [Column; 3] = [
    flex("E-mail", 20, 0),
    col("Role", 8, 0),
    col("Invited", 9, 1),
];

pub const SERVICE_ACCOUNT_COLUMNS: [Column; 4] = [
    flex("Service account", 16, 0),
    col("Category", 14, 2),
    col("Role", 8, 0),
    col("Last used", 10, 1),
];

pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    id: &WorkspaceId,
    tab: WorkspaceTab,
) {
    let body = render_tab_page(frame, area, &WorkspaceTab::ALL, |t| t.title(), &tab, theme);
    match tab {
        WorkspaceTab::Deployments => deployments(frame, body, state, theme, id),
        WorkspaceTab::Users => users(frame, body, state, theme, id),
        WorkspaceTab::ServiceAccounts => {
            let table = TableId::WorkspaceServiceAccounts(id.clone());
            let remote = state.workspace_service_accounts.get(id);
            service_accounts(
                frame,
                body,
                state,
                theme,
                &table,
                remote,
                "No service accounts in this workspace yet",
            )
        }
        WorkspaceTab::Settings => settings(frame, body, state, theme, id),
    }
}

fn deployments(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, id: &WorkspaceId) {
    let table = TableId::Deployments(id.clone());
    let rows = state.visible_rows(&table);
    let remote = state.deployments.get(id);
    let list = remote
        .and_then(|r| r.data())
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let filter = state.filter_of(&table);
    let view = TableView {
        block: block(
            table_title("Deployments", rows.len(), list.len(), filter),
            theme,
        ),
        columns: &DEPLOYMENT_COLUMNS,
        len: rows.len(),
        selected: Some(state.table_state(&table).selected),
        empty: if filter.is_empty() {
            empty_text(remote, "No deployments in this workspace yet")
        } else {
            format!("No deployment matches \"{filter}\"")
        },
    };
    let now = state.now;
    render_table(frame, area, theme, view, |r, c| {
        let d = &list[rows[r]];
        match c {
            0 => CellText::styled(d.label.clone(), theme.title()),
            1 => CellText::plain(d.release_name.clone()),
            2 => CellText::styled(status_text(d.status), theme.status(d.status)),
            3 => CellText::plain(d.executor.label()),
            4 => {
                let style = if d.upgrade_pending() {
                    theme.warning()
                } else {
                    theme.text()
                };
                CellText::styled(airflow_version(d), style)
            }
            5 => CellText::plain(or_dash(d.image_tag.as_deref())),
            _ => CellText::plain(age_or(now, d.updated_at, "—")),
        }
    });
}

fn users(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, id: &WorkspaceId) {
    let may_see_invites = state.can_see_invites(id);
    let invites = state.workspace_invites.get(id).filter(|_| may_see_invites);
    let invite_list = invites
        .and_then(|r| r.data())
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    // Borders, the header row and the rows; with no rows, a blank line and the "none" text.
    let invite_rows = if invite_list.is_empty() {
        2
    } else {
        invite_list.len()
    };
    let invite_height = (invite_rows as u16 + 3).min(area.height / 3).max(4);
    let [users_area, invites_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(invite_height)]).areas(area);

    let table = TableId::WorkspaceUsers(id.clone());
    let rows = state.visible_rows(&table);
    let remote = state.workspace_users.get(id);
    let list = remote
        .and_then(|r| r.data())
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let filter = state.filter_of(&table);
    let view = TableView {
        block: block(table_title("Users", rows.len(), list.len(), filter), theme),
        columns: &USER_COLUMNS,
        len: rows.len(),
        selected: Some(state.table_state(&table).selected),
        empty: if filter.is_empty() {
            empty_text(remote, "No users in this workspace")
        } else {
            format!("No user matches \"{filter}\"")
        },
    };
    render_table(frame, users_area, theme, view, |r, c| {
        let u = &list[rows[r]];
        match c {
            0 => CellText::styled(u.display_name().to_string(), theme.title()),
            1 => CellText::plain(or_dash(u.email.as_deref())),
            2 => CellText::plain(u.role.as_ref().map_or("—", |r| r.short())),
            _ => CellText::plain(or_dash(u.status.as_deref())),
        }
    });

    let now = state.now;
    let (title, empty) = if may_see_invites {
        (
            format!(" Pending invites ({}) ", invite_list.len()),
            empty_text(invites, "No pending invites"),
        )
    } else {
        (
            " Pending invites ".to_string(),
            "Pending invites are visible to workspace admins".to_string(),
        )
    };
    let view = TableView {
        block: block(title, theme),
        columns: &INVITE_COLUMNS,
        len: invite_list.len(),
        selected: None,
        empty,
    };
    render_table(frame, invites_area, theme, view, |r, c| {
        let i = &invite_list[r];
        match c {
            0 => CellText::plain(i.email.clone()),
            1 => CellText::plain(i.role.short()),
            _ => CellText::plain(age_or(now, i.created_at, "—")),
        }
    });
}

/// A service-account table (workspace or deployment).
pub fn service_accounts(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    table: &TableId,
    remote: Option<&crate::app::remote::Remote<Vec<ServiceAccount>>>,
    none: &str,
) {
    let rows = state.visible_rows(table);
    let list = remote
        .and_then(|r| r.data())
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let filter = state.filter_of(table);
    let view = TableView {
        block: block(
            table_title("Service accounts", rows.len(), list.len(), filter),
            theme,
        ),
        columns: &SERVICE_ACCOUNT_COLUMNS,
        len: rows.len(),
        selected: Some(state.table_state(table).selected),
        empty: if filter.is_empty() {
            empty_text(remote, none)
        } else {
            format!("No service account matches \"{filter}\"")
        },
    };
    let now = state.now;
    render_table(frame, area, theme, view, |r, c| {
        let sa = &list[rows[r]];
        match c {
            0 => CellText::styled(sa.label.clone(), theme.title()),
            1 => CellText::plain(or_dash(sa.category.as_deref())),
            2 => CellText::plain(sa.role.as_ref().map_or("—", |r| r.short())),
            _ => CellText::plain(age_or(now, sa.last_used_at, "never")),
        }
    });
}

/// Key/value lines: `Label      value`.
pub fn field<'a>(label: &'a str, value: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!(" {label:<13}"), theme.dim()),
        Span::raw(value),
    ])
}

fn settings(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, id: &WorkspaceId) {
    let b = block(" Settings ", theme);
    let Some(w) = state.workspace(id) else {
        let text = empty_text(
            Some(&state.workspaces),
            "This workspace is no longer listed",
        );
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
            w.my_role.as_ref().map_or("—", |r| r.as_str()).to_string(),
            theme,
        ),
    ];
    frame.render_widget(Paragraph::new(lines).block(b), area);
}
