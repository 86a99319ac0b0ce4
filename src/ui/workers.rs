//! The Workers tab: a Celery deployment's workers from its Flower. Where Flower refuses its API
//! (Flower 2 without its own authentication, as Astronomer runs it) that is said above the
//! table, whose rows then come from what `/healthcheck` and `/metrics` give.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::format::wrap;

use super::block;
use super::table::render_app_table;
use super::theme::Theme;
use crate::airflow::AirflowError;
use crate::app::airflow::AirflowRequest;
use crate::app::state::{AppState, DeploymentTab};
use crate::app::tables::TableId;
use crate::houston::model::{DeploymentId, Executor};

pub(super) fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    id: &DeploymentId,
) {
    let table = TableId::Workers(id.clone());
    let empty = DeploymentTab::Workers.row().empty;
    let Some(d) = state.cache.deployment(id) else {
        render_app_table(frame, area, state, theme, &table, empty);
        return;
    };
    if d.executor != Executor::Celery {
        let text = format!(
            " Not a Celery deployment (executor: {}): it has no Flower and no Celery workers.",
            d.executor.label()
        );
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.dim()))
                .wrap(Wrap { trim: false })
                .block(block(" Workers ", theme)),
            area,
        );
        return;
    }
    if !state.cache.flower_refused(id) {
        render_app_table(frame, area, state, theme, &table, empty);
        return;
    }
    let health = match state.cache.flower_status(id) {
        Some(status) => (
            format!("/healthcheck: {}", status.healthcheck),
            theme.info(),
        ),
        None => match state
            .cache
            .airflow_error(&AirflowRequest::FlowerStatus(id.clone()))
        {
            Some(e) => (
                format!("/healthcheck: could not read: {e}"),
                theme.warning(),
            ),
            None => ("/healthcheck: Loading…".to_string(), theme.dim()),
        },
    };
    let inner = usize::from(area.width.saturating_sub(3));
    let said = |text: String, style| {
        wrap(&text, inner)
            .into_iter()
            .map(move |l| Line::from(Span::styled(format!(" {l}"), style)))
    };
    let (health, health_style) = health;
    let lines: Vec<Line> = said(
        format!("{}.", AirflowError::FlowerUnauthenticated),
        theme.warning(),
    )
    .chain(said(health, health_style))
    .chain(said(
        "The workers below are from /metrics: no pool size there; processed counts the tasks \
         finished since Flower started."
            .into(),
        theme.dim(),
    ))
    .collect();
    let [note, rest] = Layout::vertical([
        Constraint::Length(lines.len() as u16 + 2),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(lines).block(block(" Flower ", theme)), note);
    render_app_table(frame, rest, state, theme, &table, empty);
}
