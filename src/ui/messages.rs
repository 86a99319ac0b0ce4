//! `:messages`: the message line's last messages, newest first, each shown whole (wrapped),
//! with the time it was raised. Scrolls with j/k like the help overlay.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::block;
use super::format::wrap;
use super::theme::Theme;
use crate::app::state::{AppState, Level, MESSAGE_LOG_LIMIT};

/// `12:04:31 ✗ ` before each message; its further lines are indented as far.
const PREFIX_WIDTH: usize = 11;

/// The log's lines for a box `room` columns wide.
pub(crate) fn lines(state: &AppState, room: usize, theme: &Theme) -> Vec<Line<'static>> {
    let log = &state.ui.message_log;
    if log.is_empty() {
        return vec![Line::from(Span::styled("No messages yet.", theme.dim()))];
    }
    let mut out = Vec::new();
    for m in log.iter().rev() {
        let (mark, style) = match m.level {
            Level::Error => ("✗", theme.error()),
            Level::Info => (" ", theme.text()),
        };
        let time = m.at.format("%H:%M:%S").to_string();
        for (n, part) in wrap(&m.text, room.saturating_sub(PREFIX_WIDTH).max(10))
            .into_iter()
            .enumerate()
        {
            let head = if n == 0 {
                Span::styled(format!("{time} {mark} "), theme.dim())
            } else {
                Span::raw(" ".repeat(PREFIX_WIDTH))
            };
            out.push(Line::from(vec![head, Span::styled(part, style)]));
        }
    }
    out
}

/// Over the body, like describe: the header, the message line and the hints stay in view.
pub(crate) fn render(frame: &mut Frame, rect: Rect, state: &AppState, scroll: u16, theme: &Theme) {
    if rect.height < 3 || rect.width < 20 {
        return;
    }
    let room = usize::from(rect.width.saturating_sub(2));
    let lines = lines(state, room, theme);
    let visible = rect.height.saturating_sub(2);
    let max_scroll = (lines.len() as u16).saturating_sub(visible);
    let scroll = scroll.min(max_scroll);
    let title = format!(
        " Messages — newest first, last {MESSAGE_LOG_LIMIT} kept{} — Esc to close ",
        if max_scroll > 0 {
            format!(" · j/k scroll ({}/{})", scroll + 1, max_scroll + 1)
        } else {
            String::new()
        }
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(block(title, theme)),
        rect,
    );
}
