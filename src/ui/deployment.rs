//! Deployment dashboard: Overview (details, resources, URLs) | Environment variables |
//! Service accounts | Users.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::airflow_overview;
use super::block;
use super::format::{age_or, airflow_version, date_and_age, or_dash, truncate, width};
use super::table::{CellText, TableView, empty_text, render_app_table, render_table};
use super::tabs::render_tab_page;
use super::theme::{Theme, status_text};
use crate::app::remote::Remote;
use crate::app::state::{AppState, DeploymentTab};
use crate::app::tables::{Layout as ColumnLayout, TableId};
use crate::houston::model::{Deployment, DeploymentId, Executor};
use crate::houston::request::Request;

const fn col(title: &'static str, width: u16, priority: u8, flex: bool) -> ColumnLayout {
    ColumnLayout {
        title,
        width,
        flex,
        priority,
    }
}

const RESOURCE_COLUMNS: [ColumnLayout; 6] = [
    col("Component", 12, 0, true),
    col("AU", 6, 0, false),
    col("CPU", 8, 0, false),
    col("Memory", 9, 0, false),
    col("Replicas", 8, 1, false),
    col("Billed AU", 9, 1, false),
];

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    id: &DeploymentId,
    tab: DeploymentTab,
) {
    let titles = tab_titles(area.width);
    let title = |t: &DeploymentTab| {
        let i = DeploymentTab::ALL.iter().position(|x| x == t).unwrap_or(0);
        titles.get(i).copied().unwrap_or_default()
    };
    let body = render_tab_page(frame, area, &DeploymentTab::ALL, title, &tab, theme);
    let d = id.clone();
    match tab {
        DeploymentTab::Overview => overview(frame, body, state, theme, id),
        DeploymentTab::Users => users_and_teams(frame, body, state, theme, &d),
        DeploymentTab::Workers => super::workers::render(frame, body, state, theme, id),
        DeploymentTab::Logs => super::logs::render(frame, body, state, theme, id),
        DeploymentTab::Metrics => super::metrics::render(frame, body, state, theme, id),
        // A table tab: its table, as the tab's row in the registry names it.
        table_tab => {
            if let Some(table) = table_tab.tables(&d).first() {
                let empty = table_tab.row().empty;
                render_app_table(frame, body, state, theme, table, empty);
            }
        }
    }
}

/// The tabs' titles in a bar `width` wide: short ones when the full ones would not fit on one
/// line (` 1 Title ` each, `│` between, one space before).
pub(crate) fn tab_titles(width: u16) -> Vec<&'static str> {
    let full: usize = DeploymentTab::ALL
        .iter()
        .map(|t| t.title().chars().count() + 5)
        .sum();
    let title = if full > usize::from(width) {
        DeploymentTab::short_title
    } else {
        DeploymentTab::title
    };
    DeploymentTab::ALL.iter().map(|t| title(*t)).collect()
}

/// Users with a role on the deployment, and under them the teams with one (Houston 0.28+).
fn users_and_teams(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    id: &DeploymentId,
) {
    let teams = state.cache.deployment_teams(id).unwrap_or(&[]);
    // Borders, the header row and the rows; with no rows, a line for the "none" text.
    let team_rows = teams.len().max(2) as u16;
    let teams_height = (team_rows + 3).min(area.height / 3).max(4);
    let [users_area, teams_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(teams_height)]).areas(area);
    // Both lists are tables; only the one with the cursor (`t` switches) shows it.
    render_app_table(
        frame,
        users_area,
        state,
        theme,
        &TableId::DeploymentUsers(id.clone()),
        DeploymentTab::Users.row().empty,
    );
    let remote = state.remote(&Request::DeploymentTeams(id.clone()));
    // This Houston has no teams (before 0.28): the note alone, without a count or columns.
    if let Some(Remote::Failed { error, .. }) = remote
        && error.is_unsupported()
    {
        let note = empty_text(remote, "");
        frame.render_widget(
            Paragraph::new(Span::styled(note, theme.dim()))
                .wrap(Wrap { trim: true })
                .block(block(" Teams ", theme)),
            teams_area,
        );
        return;
    }
    render_app_table(
        frame,
        teams_area,
        state,
        theme,
        &TableId::DeploymentTeams(id.clone()),
        "No team has a role on this deployment",
    );
}

const LABEL: usize = 12;

/// `label value` pairs in two columns: the left column as wide as its longest value needs.
fn pairs<'a>(
    items: Vec<(&'a str, Span<'a>, &'a str, Span<'a>)>,
    inner_width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let widest_left = items
        .iter()
        .map(|(_, v, _, _)| width(&v.content))
        .max()
        .unwrap_or(0);
    let left_width = (LABEL + widest_left + 2).min(inner_width / 2);
    let right_room = inner_width.saturating_sub(left_width + LABEL);
    items
        .into_iter()
        .map(|(l_label, l_value, r_label, r_value)| {
            let left = truncate(&l_value.content, left_width.saturating_sub(LABEL + 1));
            let pad = left_width.saturating_sub(LABEL + width(&left));
            Line::from(vec![
                Span::styled(format!(" {l_label:<w$}", w = LABEL - 1), theme.dim()),
                Span::styled(left, l_value.style),
                Span::raw(" ".repeat(pad)),
                Span::styled(format!(" {r_label:<w$}", w = LABEL - 1), theme.dim()),
                Span::styled(truncate(&r_value.content, right_room), r_value.style),
            ])
        })
        .collect()
}

fn details<'a>(
    d: &'a Deployment,
    state: &AppState,
    theme: &Theme,
    inner_width: u16,
) -> Vec<Line<'a>> {
    let inner = usize::from(inner_width);
    let now = state.now;
    // The upgrade note only when there is room; the arrow already says it.
    let version_text = if d.upgrade_pending() && inner >= 100 {
        format!("{} (upgrade pending)", airflow_version(d))
    } else {
        airflow_version(d)
    };
    let version_style = if d.upgrade_pending() {
        theme.warning()
    } else {
        theme.text()
    };
    let created = match d.created_at {
        Some(t) if inner >= 100 => date_and_age(now, Some(t)),
        Some(t) => format!("{} ({})", t.format("%Y-%m-%d"), age_or(now, Some(t), "")),
        None => "—".into(),
    };
    let mut lines = pairs(
        vec![
            (
                "Status",
                Span::styled(status_text(d.status), theme.status(d.status)),
                "Executor",
                Span::raw(d.executor.label().to_string()),
            ),
            (
                "Release",
                Span::raw(d.release_name.clone()),
                "Namespace",
                Span::raw(or_dash(d.namespace.as_deref()).to_string()),
            ),
            (
                "Airflow",
                Span::styled(version_text, version_style),
                "Image",
                Span::raw(or_dash(d.image_tag.as_deref()).to_string()),
            ),
            (
                "Created",
                Span::raw(created),
                "Updated",
                Span::raw(age_or(now, d.updated_at, "—")),
            ),
        ]
        .into_iter()
        .chain(d.runtime_version.as_ref().map(|runtime| {
            let text = match &d.desired_runtime_version {
                Some(want) if want != runtime => format!("{runtime} → {want}"),
                _ => runtime.clone(),
            };
            let style = if d.runtime_upgrade_pending() {
                theme.warning()
            } else {
                theme.text()
            };
            (
                "Runtime",
                Span::styled(text, style),
                // At most `LABEL - 1` wide: a longer label runs into its value.
                "On Airflow",
                Span::raw(or_dash(d.runtime_airflow_version.as_deref()).to_string()),
            )
        }))
        .collect(),
        inner,
        theme,
    );
    let url_line = |label: &'a str, url: String| {
        Line::from(vec![
            Span::styled(format!(" {label:<w$}", w = LABEL - 1), theme.dim()),
            Span::styled(url, theme.accent()),
        ])
    };
    lines.push(url_line(
        "Airflow UI",
        or_dash(d.url("airflow")).to_string(),
    ));
    if d.executor == Executor::Celery {
        lines.push(url_line("Flower", or_dash(d.url("flower")).to_string()));
    }
    lines
}

fn overview(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, id: &DeploymentId) {
    let Some(d) = state.cache.deployment(id) else {
        let text = empty_text(state.remote(&Request::Deployment(id.clone())), "");
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {text}"), theme.dim()))
                .block(block(" Overview ", theme)),
            area,
        );
        return;
    };
    let detail_lines = details(d, state, theme, area.width.saturating_sub(2));
    let detail_height = detail_lines.len() as u16 + 2;
    let [detail_area, airflow_area, errors_area, resources_area] = Layout::vertical([
        Constraint::Length(detail_height),
        Constraint::Length(airflow_overview::block_height(state, theme, id, area.width)),
        Constraint::Length(airflow_overview::import_errors_height(state, id)),
        Constraint::Fill(1),
    ])
    .areas(area);
    airflow_overview::render_block(frame, airflow_area, state, theme, id);
    airflow_overview::render_import_errors(frame, errors_area, state, theme, id);
    let title = match &d.description {
        Some(desc) if !desc.is_empty() => format!(" {} — {} ", d.label, desc),
        _ => format!(" {} ", d.label),
    };
    frame.render_widget(
        Paragraph::new(detail_lines).block(block(title, theme)),
        detail_area,
    );

    // What the platform bills: each component's size times its replicas, plus extra capacity.
    let title = format!(
        " Resources · extra capacity {} AU · total {} AU ",
        d.extra_au.unwrap_or(0),
        fmt_au(d.total_au())
    );
    let view = TableView {
        block: block(title, theme),
        columns: &RESOURCE_COLUMNS,
        len: d.resources.len(),
        selected: None,
        empty: "No resource information".into(),
        sort: None,
    };
    render_table(frame, resources_area, theme, view, |r, c| {
        let res = &d.resources[r];
        match c {
            0 => CellText::plain(res.component.clone()),
            1 => CellText::plain(fmt_au(res.au)),
            2 => CellText::plain(format!("{}m", res.cpu_millis)),
            3 => CellText::plain(format!("{}Mi", res.memory_mib)),
            4 => CellText::plain(res.replicas.map_or("—".to_string(), |n| n.to_string())),
            _ => CellText::plain(fmt_au(res.billed_au())),
        }
    });
}

fn fmt_au(au: f64) -> String {
    if au.fract() == 0.0 {
        format!("{au:.0}")
    } else {
        format!("{au:.1}")
    }
}
