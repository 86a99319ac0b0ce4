//! The `:` palette: the command line at the top of the body, and under it the suggestions with
//! the typed characters highlighted; the one Tab chose is selected.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::block;
use super::format::{truncate, visible, width};
use super::table::window_start;
use super::theme::Theme;
use crate::app::palette::{Completion, Palette};

/// Widest the palette gets (it is a prompt, not a page).
const MAX_WIDTH: u16 = 100;
/// Most suggestions shown at once.
const MAX_ROWS: usize = 10;

/// `text` with the characters at `positions` (char indices) in `hit`, the rest in `base`.
pub(crate) fn highlighted(
    text: &str,
    positions: &[usize],
    base: Style,
    hit: Style,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (i, c) in text.chars().enumerate() {
        let is_hit = positions.contains(&i);
        if is_hit != run_hit && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hit { hit } else { base },
            ));
        }
        run_hit = is_hit;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_hit { hit } else { base }));
    }
    spans
}

fn suggestion(c: &Completion, chosen: bool, room: usize, theme: &Theme) -> Line<'static> {
    let label = truncate(&c.label, room.saturating_sub(2));
    let mut spans = vec![Span::raw(if chosen { "› " } else { "  " })];
    spans.extend(highlighted(
        &label,
        &c.positions,
        theme.text(),
        theme.matched(),
    ));
    let used = 2 + width(&label);
    if !c.detail.is_empty() && used + 4 < room {
        spans.push(Span::styled(
            format!("  {}", truncate(&c.detail, room - used - 2)),
            theme.dim(),
        ));
    }
    let line = Line::from(spans);
    if chosen {
        line.style(theme.selected())
    } else {
        line
    }
}

pub(crate) fn render(frame: &mut Frame, body: Rect, palette: &Palette, theme: &Theme) {
    if body.height < 3 || body.width < 10 {
        return;
    }
    let width = body.width.min(MAX_WIDTH);
    let inner_width = usize::from(width.saturating_sub(2));
    let room_for_rows = usize::from(body.height.saturating_sub(3));
    let rows = palette.completions.len().min(MAX_ROWS).min(room_for_rows);
    let height = (3 + rows) as u16;
    let area = Rect {
        x: body.x + (body.width - width) / 2,
        y: body.y,
        width,
        height: height.min(body.height),
    };

    let prompt = ":";
    let value = visible(palette.input.value());
    let room = inner_width.saturating_sub(prompt.len() + 1);
    let scroll = palette.input.visual_scroll(room);
    let shown: String = value.chars().skip(scroll).collect();
    let mut lines = vec![Line::from(vec![
        Span::styled(prompt, theme.accent()),
        Span::raw(shown),
    ])];
    let start = window_start(palette.chosen.unwrap_or(0), rows);
    for (i, c) in palette
        .completions
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
    {
        lines.push(suggestion(c, palette.chosen == Some(i), inner_width, theme));
    }
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block(" Command ", theme)), area);
    let cursor = palette.input.visual_cursor().saturating_sub(scroll);
    let x = area.x + 1 + (prompt.len() + cursor) as u16;
    frame.set_cursor_position(Position::new(
        x.min(area.right().saturating_sub(2)),
        area.y + 1,
    ));
}
