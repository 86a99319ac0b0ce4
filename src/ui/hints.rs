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
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for b in active(state, state.key_scope()) {
        let Some(hint) = b.hint else { continue };
        let piece = b.label.chars().count() + 1 + hint.chars().count() + 2;
        if used + piece > usize::from(area.width) {
            break;
        }
        used += piece;
        spans.push(Span::styled(b.label.to_string(), theme.key()));
        spans.push(Span::styled(format!(" {hint}  "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
