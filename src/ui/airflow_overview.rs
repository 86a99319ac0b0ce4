//! The Overview's Airflow part, under Houston's view of the deployment: what the deployment's
//! own Airflow says of its health (scheduler and its heartbeat, metadatabase, triggerer, DAG
//! processor — "—" where this Airflow does not report one) and its import errors, listed when
//! there are some (`t` puts the cursor there, Enter or `d` shows a whole stack trace).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::block;
use super::format::{age, truncate, width, wrap};
use super::table::render_app_table;
use super::theme::Theme;
use crate::airflow::AirflowError;
use crate::airflow::model::Component;
use crate::app::airflow::AirflowRequest;
use crate::app::state::AppState;
use crate::app::tables::TableId;
use crate::houston::model::{DeploymentId, Timestamp};

const LABEL: usize = 15;
/// A heartbeat older than this is a scheduler (or triggerer) that stopped working.
const STALE_SECS: i64 = 60;
/// The most import errors listed at once (the list scrolls).
const MOST_ROWS: u16 = 5;

/// The height of the Airflow block `width` wide: its lines and the border.
pub(super) fn block_height(state: &AppState, theme: &Theme, id: &DeploymentId, width: u16) -> u16 {
    let inner = usize::from(width.saturating_sub(2));
    lines(state, theme, id, inner).len() as u16 + 2
}

/// The height of the import errors list: none while there are none.
pub(super) fn import_errors_height(state: &AppState, id: &DeploymentId) -> u16 {
    let rows = state.rows(&TableId::ImportErrors(id.clone())).len();
    if rows == 0 {
        0
    } else {
        (rows as u16).min(MOST_ROWS) + 3
    }
}

pub(super) fn render_block(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    id: &DeploymentId,
) {
    let inner = usize::from(area.width.saturating_sub(2));
    frame.render_widget(
        Paragraph::new(lines(state, theme, id, inner)).block(block(" Airflow ", theme)),
        area,
    );
}

pub(super) fn render_import_errors(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    id: &DeploymentId,
) {
    if area.height > 0 {
        let table = TableId::ImportErrors(id.clone());
        render_app_table(frame, area, state, theme, &table, "No import errors");
    }
}

/// What a read said: its data, else why it failed, else that it is on its way.
enum Read<'a, T: ?Sized> {
    Data(&'a T),
    Failed(&'a AirflowError),
    Loading,
}

fn read<'a, T: ?Sized>(
    state: &'a AppState,
    request: &AirflowRequest,
    data: Option<&'a T>,
) -> Read<'a, T> {
    match (data, state.cache.airflow_error(request)) {
        (Some(d), _) => Read::Data(d),
        (None, Some(e)) => Read::Failed(e),
        (None, None) => Read::Loading,
    }
}

fn label<'a>(text: &str, theme: &Theme) -> Span<'a> {
    Span::styled(format!(" {text:<w$}", w = LABEL - 1), theme.dim())
}

fn lines<'a>(state: &AppState, theme: &Theme, id: &DeploymentId, inner: usize) -> Vec<Line<'a>> {
    let health_request = AirflowRequest::Health(id.clone());
    let errors_request = AirflowRequest::ImportErrors(id.clone());
    let health = read(state, &health_request, state.cache.airflow_health(id));
    let errors = read(
        state,
        &errors_request,
        state.cache.airflow_import_errors(id),
    );
    let room = inner.saturating_sub(LABEL);
    // A failure is said whole (it names the missing role), wrapped under its label.
    let failure = |name: &str, e: &AirflowError| -> Vec<Line<'a>> {
        wrap(&format!("could not read: {e}"), room)
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                let name = if i == 0 { name } else { "" };
                Line::from(vec![
                    label(name, theme),
                    Span::styled(text, theme.warning()),
                ])
            })
            .collect()
    };
    let mut out = Vec::new();
    match health {
        Read::Data(h) => {
            let half = inner / 2;
            let pair = |l: &str, lc: &Component, r: &str, rc: &Component| {
                let (left, left_style) = component(state.now, lc, theme);
                let left = truncate(&left, half.saturating_sub(LABEL + 1));
                let pad = half.saturating_sub(LABEL + width(&left));
                let (right, right_style) = component(state.now, rc, theme);
                Line::from(vec![
                    label(l, theme),
                    Span::styled(left, left_style),
                    Span::raw(" ".repeat(pad)),
                    label(r, theme),
                    Span::styled(
                        truncate(&right, inner.saturating_sub(half + LABEL)),
                        right_style,
                    ),
                ])
            };
            out.push(pair(
                "Scheduler",
                &h.scheduler,
                "Metadatabase",
                &h.metadatabase,
            ));
            out.push(pair(
                "Triggerer",
                &h.triggerer,
                "DAG processor",
                &h.dag_processor,
            ));
        }
        Read::Failed(e) => out.extend(failure("Airflow", e)),
        Read::Loading => out.push(Line::from(vec![
            label("Airflow", theme),
            Span::styled("Loading…", theme.dim()),
        ])),
    }
    let errors_line = match errors {
        Read::Data([]) => Span::styled("none", theme.text()),
        Read::Data(list) => Span::styled(
            truncate(
                &format!(
                    "{} file{} failed to import (t: to the list, Enter: its trace)",
                    list.len(),
                    if list.len() == 1 { "" } else { "s" }
                ),
                room,
            ),
            theme.warning(),
        ),
        // The same refusal as the health's is said once.
        Read::Failed(e) if matches!(health, Read::Failed(h) if h == e) => return out,
        Read::Failed(e) => {
            out.extend(failure("Import errors", e));
            return out;
        }
        Read::Loading => Span::styled("Loading…", theme.dim()),
    };
    out.push(Line::from(vec![label("Import errors", theme), errors_line]));
    out
}

/// `healthy · 3s ago`, `unhealthy · 12m ago`, `—` for what this Airflow does not report.
fn component(now: Timestamp, c: &Component, theme: &Theme) -> (String, Style) {
    let stale = c
        .latest_heartbeat
        .is_some_and(|at| (now - at).num_seconds() > STALE_SECS);
    let status = c.status.as_deref();
    let style = match status {
        Some("unhealthy") => theme.error(),
        _ if stale => theme.warning(),
        Some("healthy") => theme.info(),
        _ => theme.text(),
    };
    let text = match (status, c.latest_heartbeat) {
        (Some(s), Some(at)) => format!("{s} · {}", age(now, at)),
        (Some(s), None) => s.to_string(),
        (None, Some(at)) => format!("heartbeat {}", age(now, at)),
        (None, None) => "—".to_string(),
    };
    (text, style)
}
