//! A conflict: the fields both the user and the server changed since the form opened, each with
//! the value the form opened with, the server's value now and the user's; and the choices.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::format::{visible, width};
use super::theme::Theme;
use super::{block, centered};
use crate::app::modal::{ConflictTarget, ConflictView};

/// A value cut to `max` columns (the modal stays readable with long values).
fn cut(s: &str, max: usize) -> String {
    let s = visible(s);
    if width(&s) <= max {
        return s;
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

pub(crate) fn render(frame: &mut Frame, area: Rect, c: &ConflictView, theme: &Theme) {
    let w = area.width.saturating_sub(4).clamp(1, 110);
    let inner = w.saturating_sub(4) as usize;
    // Four columns: field, base, theirs, mine.
    let col = (inner.saturating_sub(6) / 4).max(6);
    let cell = |s: &str| format!("{:<col$}", cut(s, col));
    let mut lines: Vec<Line> = vec![
        Line::from("Nothing was sent. Both you and the server changed:"),
        Line::from(""),
        Line::from(Span::styled(
            format!(
                "{}  {}  {}  {}",
                cell("Field"),
                cell("When opened"),
                cell("Server now"),
                cell("Yours")
            ),
            theme.dim(),
        )),
    ];
    for r in &c.rows {
        lines.push(Line::from(vec![
            Span::styled(cell(&r.field), theme.warning()),
            Span::raw("  "),
            Span::styled(cell(&r.base), theme.dim()),
            Span::raw("  "),
            Span::styled(cell(&r.theirs), theme.info()),
            Span::raw("  "),
            Span::styled(cell(&r.mine), theme.title()),
        ]));
    }
    lines.push(Line::from(""));
    let keys = match c.target {
        ConflictTarget::Form => {
            "t take the server's  ·  m keep mine  ·  e edit  ·  Esc back to the form"
        }
        ConflictTarget::DeleteVariable { .. } => {
            "t keep the server's (nothing deleted)  ·  m delete it anyway  ·  Esc cancel"
        }
    };
    lines.push(Line::from(Span::styled(keys, theme.dim())));
    let rows: u16 = lines
        .iter()
        .map(|l| {
            (l.width() as u16)
                .div_ceil(w.saturating_sub(2).max(1))
                .max(1)
        })
        .sum();
    let rect = centered(area, w, rows + 2);
    let b = block("", theme).title(Span::styled(format!(" {} ", c.title), theme.error()));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(b),
        rect,
    );
}
