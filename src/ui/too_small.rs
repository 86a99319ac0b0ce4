//! Below 80×24 the layout would be cut: say so, with the size, instead. Keys do nothing there
//! but quit (`q`, Ctrl-c): they would act on a screen the user cannot see.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use super::{MIN_HEIGHT, MIN_WIDTH};

pub(crate) fn render(frame: &mut Frame, area: Rect, theme: &Theme) {
    let lines = vec![
        Line::from(Span::styled("Terminal too small", theme.warning())),
        Line::from(format!(
            "{}×{}: astrodash needs at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            area.width, area.height
        )),
        Line::from(Span::styled(
            "Enlarge the window, or press q to quit.",
            theme.dim(),
        )),
    ];
    // Rows the wrapped lines take (an estimate is enough to centre them).
    let rows: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(usize::from(area.width.max(1))).max(1))
        .sum();
    let height = (rows as u16).min(area.height);
    let paragraph = Paragraph::new(lines).centered().wrap(Wrap { trim: true });
    let [middle] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    frame.render_widget(paragraph, middle);
}
