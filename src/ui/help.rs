//! The `?` overlay, generated from the same keymap the dispatcher uses.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::theme::Theme;
use super::{block, centered};
use crate::app::keymap::{KeyContext, bindings};
use crate::app::state::AppState;

fn section(lines: &mut Vec<Line<'static>>, ctx: KeyContext, theme: &Theme) {
    for b in bindings(ctx) {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<8}", b.label), theme.key()),
            Span::raw(b.description),
        ]));
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let ctx = state.screen_context();
    let mut lines = vec![Line::from(Span::styled(ctx.title(), theme.title()))];
    section(&mut lines, ctx, theme);
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "While filtering (/)",
        theme.title(),
    )));
    section(&mut lines, KeyContext::Filter, theme);
    let height = (lines.len() as u16).saturating_add(2);
    let popup = centered(area, 48, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block(" Help — Esc to close ", theme)),
        popup,
    );
}
