//! The pick-one menus (`y` copy, `:ctx` contexts): numbered entries, the selected one reversed,
//! each with its value or details dimmed after it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::format::{truncate, width};
use super::table::window_start;
use super::theme::Theme;
use super::{block, centered};
use crate::app::menu::{Menu, MenuKind};

const MAX_WIDTH: usize = 96;
/// Labels longer than this are cut, so the values keep most of the room.
const MAX_LABEL_WIDTH: usize = 24;

pub(crate) fn render(frame: &mut Frame, area: Rect, menu: &Menu, theme: &Theme) {
    let label_width = menu
        .items
        .iter()
        .map(|i| width(&i.label))
        .max()
        .unwrap_or(0)
        .min(MAX_LABEL_WIDTH);
    let wanted = menu
        .items
        .iter()
        .map(|i| 5 + label_width + 2 + width(&i.detail))
        .max()
        .unwrap_or(20)
        .max(width(&menu.title) + 6)
        .min(MAX_WIDTH) as u16
        + 2;
    let rect = centered(
        area,
        wanted.min(area.width.saturating_sub(2)),
        (menu.items.len() as u16 + 2).min(area.height),
    );
    let inner_width = usize::from(rect.width.saturating_sub(2));
    let rows = usize::from(rect.height.saturating_sub(2));
    let start = window_start(menu.selected, rows);
    let lines: Vec<Line> = menu
        .items
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(i, item)| {
            let number = if i < 9 {
                format!("{}", i + 1)
            } else {
                " ".into()
            };
            let marker = if item.current { "●" } else { " " };
            let label = truncate(&item.label, label_width.max(1));
            let pad = label_width.saturating_sub(width(&label));
            let used = 5 + label_width + 2;
            let mut spans = vec![
                Span::styled(format!(" {number} "), theme.key()),
                Span::raw(format!("{marker} {label}{}  ", " ".repeat(pad))),
            ];
            if inner_width > used + 1 {
                spans.push(Span::styled(
                    truncate(&item.detail, inner_width - used),
                    theme.dim(),
                ));
            }
            let line = Line::from(spans);
            if i == menu.selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    let hint = match menu.kind {
        MenuKind::Copy => " 1-9/Enter copy · y y first · Esc ",
        MenuKind::Contexts => " 1-9/Enter switch · Esc ",
    };
    let block = block(format!(" {} ", menu.title), theme)
        .title_bottom(Line::from(Span::styled(hint, theme.dim())).right_aligned());
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
