//! The tab bar of the workspace and deployment dashboards: `1 Deployments  2 Users …`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;

/// Each tab's label and what separates them, as drawn in `width` columns: ` 1 Title ` between
/// `│`s, or — when those would not fit — `1 Title` between spaces (a deployment's eight tabs
/// at 80 columns). Mouse clicks read the same (`hit`).
pub(crate) fn labels(titles: &[&str], width: u16) -> (Vec<String>, &'static str) {
    let padded: Vec<String> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| format!(" {} {t} ", i + 1))
        .collect();
    let needed: usize = 1
        + padded
            .iter()
            .map(|l| super::format::width(l))
            .sum::<usize>()
        + titles.len().saturating_sub(1);
    if needed <= usize::from(width) {
        return (padded, "│");
    }
    let compact = titles
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{} {t}", i + 1))
        .collect();
    (compact, " ")
}

pub(crate) fn render_tabs(
    frame: &mut Frame,
    area: Rect,
    titles: &[&str],
    active: usize,
    theme: &Theme,
) {
    let (labels, separator) = labels(titles, area.width);
    let mut spans = vec![Span::raw(" ")];
    let count = labels.len();
    for (i, text) in labels.into_iter().enumerate() {
        if i == active {
            spans.push(Span::styled(text, theme.tab_active()));
        } else {
            spans.push(Span::styled(text, theme.text()));
        }
        if i + 1 < count {
            spans.push(Span::styled(separator, theme.dim()));
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
