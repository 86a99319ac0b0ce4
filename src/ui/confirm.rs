//! Confirmations: what will happen (a diff, old → new, for changes), the name to type for
//! deletes, and the keys.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::format::{visible, width};
use super::theme::Theme;
use super::{block, centered};
use crate::app::modal::{Confirm, ConfirmLine};

fn line_of(l: &ConfirmLine, theme: &Theme) -> Line<'static> {
    match l {
        ConfirmLine::Text(t) => Line::from(visible(t)),
        ConfirmLine::Added(t) => {
            Line::from(Span::styled(format!("+ {}", visible(t)), theme.info()))
        }
        ConfirmLine::Removed(t) => {
            Line::from(Span::styled(format!("- {}", visible(t)), theme.error()))
        }
        ConfirmLine::Changed { what, old, new } => Line::from(vec![
            Span::styled(format!("~ {what}: "), theme.warning()),
            Span::styled(visible(old), theme.dim()),
            Span::raw(" → "),
            Span::styled(visible(new), theme.title()),
        ]),
    }
}

pub(crate) fn render(frame: &mut Frame, area: Rect, c: &Confirm, theme: &Theme) {
    let mut lines: Vec<Line> = c.lines.iter().map(|l| line_of(l, theme)).collect();
    let mut cursor_line = None;
    if c.type_to_confirm.is_some() {
        lines.push(Line::from(""));
        cursor_line = Some(lines.len());
        let typed = c.input.value();
        let style = if c.typed_matches() {
            theme.info()
        } else {
            theme.selected()
        };
        lines.push(Line::from(vec![
            Span::styled("Name: ", theme.dim()),
            Span::styled(format!("{typed} "), style),
        ]));
    }
    lines.push(Line::from(""));
    let keys = if c.check.is_some() {
        "Checking what the server holds now…  ·  Esc cancel".to_string()
    } else if c.armed() {
        format!("Enter {}  ·  Esc cancel", c.verb)
    } else {
        "type the name to enable Enter  ·  Esc cancel".to_string()
    };
    lines.push(Line::from(Span::styled(keys, theme.dim())));

    let wanted = lines
        .iter()
        .map(|l| l.width())
        .chain(std::iter::once(width(&c.title) + 4))
        .max()
        .unwrap_or(40) as u16;
    let w = (wanted + 4)
        .max(44)
        .min(area.width.saturating_sub(4))
        .max(1);
    let inner_w = w.saturating_sub(2).max(1);
    let rows: u16 = lines
        .iter()
        .map(|l| (l.width() as u16).div_ceil(inner_w).max(1))
        .sum();
    let rect = centered(area, w, rows + 2);
    let title_style = if c.danger {
        theme.error()
    } else {
        theme.title()
    };
    let b = block("", theme).title(Span::styled(format!(" {} ", c.title), title_style));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(b),
        rect,
    );
    if let Some(line) = cursor_line {
        let x = rect.x + 1 + 6 + c.input.visual_cursor() as u16;
        let pos = Position::new(
            x.min(rect.right().saturating_sub(2)),
            rect.y + 1 + line as u16,
        );
        if rect.contains(pos) {
            frame.set_cursor_position(pos);
        }
    }
}
