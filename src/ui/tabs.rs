//! The tab bar of the workspace and deployment dashboards: `1 Deployments  2 Users …`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;

pub(crate) fn render_tabs(
    frame: &mut Frame,
    area: Rect,
    titles: &[&str],
    active: usize,
    theme: &Theme,
) {
    let mut spans = vec![Span::raw(" ")];
    for (i, title) in titles.iter().enumerate() {
        let text = format!(" {} {} ", i + 1, title);
        if i == active {
            spans.push(Span::styled(text, theme.tab_active()));
        } else {
            spans.push(Span::styled(text, theme.text()));
        }
        if i + 1 < titles.len() {
            spans.push(Span::styled("│", theme.dim()));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Draws a dashboard's tab bar (`tabs`, with `active` highlighted) on the first line of `area`
/// and returns the rest of `area`, where the active tab's page goes.
pub(crate) fn render_tab_page<T: PartialEq>(
    frame: &mut Frame,
    area: Rect,
    tabs: &[T],
    title: impl Fn(&T) -> &'static str,
    active: &T,
    theme: &Theme,
) -> Rect {
    let [tabs_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let titles: Vec<&str> = tabs.iter().map(&title).collect();
    let active = tabs.iter().position(|t| t == active).unwrap_or(0);
    render_tabs(frame, tabs_area, &titles, active, theme);
    body
}
