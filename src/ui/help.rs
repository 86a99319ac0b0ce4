//! The `?` overlay, generated from the same keymap the dispatcher uses.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::format::truncate;
use super::theme::Theme;
use super::{block, centered};
use crate::app::keymap::{KeyContext, bindings};
use crate::app::state::AppState;

const KEY_WIDTH: usize = 8;
const COLUMN_WIDTH: usize = 36;

fn entry(label: &str, description: &str, theme: &Theme) -> Vec<Span<'static>> {
    let desc = truncate(description, COLUMN_WIDTH - KEY_WIDTH - 3);
    vec![
        Span::styled(format!(" {label:<KEY_WIDTH$} "), theme.key()),
        Span::raw(format!(
            "{desc:<width$}",
            width = COLUMN_WIDTH - KEY_WIDTH - 2
        )),
    ]
}

/// Lay `items` out in `columns` columns, filling down first.
fn grid(items: &[(&str, &str)], columns: usize, theme: &Theme) -> Vec<Line<'static>> {
    let rows = items.len().div_ceil(columns.max(1));
    (0..rows)
        .map(|r| {
            let mut spans = Vec::new();
            for c in 0..columns {
                if let Some((label, desc)) = items.get(c * rows + r) {
                    spans.extend(entry(label, desc, theme));
                }
            }
            Line::from(spans)
        })
        .collect()
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let ctx = state.screen_context();
    let screen: Vec<(&str, &str)> = bindings(ctx)
        .into_iter()
        .map(|b| (b.label, b.description))
        .collect();
    let filter: Vec<(&str, &str)> = bindings(KeyContext::Filter)
        .into_iter()
        .map(|b| (b.label, b.description))
        .collect();
    // One column when it fits the height, else two side by side.
    let single_height = screen.len() + filter.len() + 3 + 2;
    let columns = if single_height <= usize::from(area.height) || area.width < 76 {
        1
    } else {
        2
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(" {}", ctx.title()),
        theme.title(),
    ))];
    lines.extend(grid(&screen, columns, theme));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        " While filtering (/)",
        theme.title(),
    )));
    lines.extend(grid(&filter, columns, theme));
    let height = (lines.len() as u16).saturating_add(2);
    let width = (COLUMN_WIDTH * columns) as u16 + 2;
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block(" Help — Esc to close ", theme)),
        popup,
    );
}
