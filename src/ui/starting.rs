//! The frame shown while the connection is still being set up (e.g. `astrodash demo` starting
//! houston-local), so the first frame never waits for it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;

pub(crate) fn draw_starting(frame: &mut Frame, message: &str, mono: bool) {
    let theme = Theme::new(mono);
    let [area] = Layout::vertical([Constraint::Length(2)])
        .flex(Flex::Center)
        .areas(frame.area());
    let text = vec![
        Line::from(Span::styled("astrodash", theme.title())),
        Line::from(Span::styled(message.to_string(), theme.dim())),
    ];
    frame.render_widget(Paragraph::new(text).centered(), area);
}
