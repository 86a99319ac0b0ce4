//! The bottom two lines: the message/filter line and the key hint bar (from the live keymap:
//! only keys that exist here and now).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{truncate, width};
use super::theme::Theme;
use crate::app::keymap::active;
use crate::app::state::{AppState, Level};

pub(crate) fn render_message_line(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    if let Some(input) = &state.ui.filter_input {
        let prefix = " Filter: /";
        let room = usize::from(area.width).saturating_sub(prefix.len() + 1);
        let scroll = input.visual_scroll(room);
        let value: String = input.value().chars().skip(scroll).collect();
        let line = Line::from(vec![Span::styled(prefix, theme.accent()), Span::raw(value)]);
        frame.render_widget(Paragraph::new(line), area);
        let x = area.x + (prefix.len() + input.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    let Some(message) = state.visible_message() else {
        return;
    };
    let (text, style) = match message.level {
        Level::Error => (format!(" ✗ {}", message.text), theme.error()),
        Level::Info => (format!(" {}", message.text), theme.info()),
    };
    let room = usize::from(area.width);
    // A message cut short says where to read it whole.
    const MORE: &str = " (:messages)";
    let line = if width(&text) > room && room > MORE.len() + 10 {
        Line::from(vec![
            Span::styled(truncate(&text, room - MORE.len()), style),
            Span::styled(MORE, theme.dim()),
        ])
    } else {
        Line::from(Span::styled(truncate(&text, room), style))
    };
    frame.render_widget(Paragraph::new(line), area);
}

pub(crate) fn render_hints(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let hints: Vec<(String, String)> = active(state, state.key_scope())
        .into_iter()
        .filter_map(|b| {
            b.hint
                .as_ref()
                .map(|hint| (b.label.to_string(), hint.to_string()))
        })
        .collect();
    let cost =
        |(label, hint): &(String, String)| label.chars().count() + 1 + hint.chars().count() + 2;
    // When not everything fits, `?` still does: it is how the rest is found.
    let help = hints.iter().position(|(label, _)| label == "?");
    let total: usize = hints.iter().map(cost).sum();
    let reserve = match help {
        Some(i) if 1 + total > usize::from(area.width) => cost(&hints[i]),
        _ => 0,
    };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1 + reserve;
    let mut shown_help = false;
    for (i, h) in hints.iter().enumerate() {
        let reserved_here = Some(i) == help && reserve > 0;
        let piece = if reserved_here { 0 } else { cost(h) };
        if used + piece > usize::from(area.width) {
            break;
        }
        used += piece;
        shown_help |= Some(i) == help;
        spans.push(Span::styled(h.0.clone(), theme.key()));
        spans.push(Span::styled(format!(" {}  ", h.1), theme.dim()));
    }
    if let (Some(i), false, true) = (help, shown_help, reserve > 0) {
        spans.push(Span::styled(hints[i].0.clone(), theme.key()));
        spans.push(Span::styled(format!(" {}  ", hints[i].1), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
