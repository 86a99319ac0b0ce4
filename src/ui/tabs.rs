//! The tab bar of the workspace and deployment dashboards: `1 Deployments  2 Users …`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;

pub fn render_tabs(frame: &mut Frame, area: Rect, titles: &[&str], active: usize, theme: &Theme) {
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
