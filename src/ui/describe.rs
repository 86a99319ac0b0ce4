//! `d` describe: the item's YAML over the body (the message line and hints stay visible),
//! scrolled, with the search's matches highlighted and the search line at the bottom.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::block;
use super::format::{truncate, visible};
use super::palette::highlighted;
use super::theme::Theme;
use crate::app::describe::DescribeView;

/// Char indices of every occurrence of `query` (lower-case) in `line`, ignoring case.
fn occurrences(line: &str, query: &str) -> Vec<usize> {
    let query: Vec<char> = query.chars().collect();
    if query.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = line
        .chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + query.len() <= chars.len() {
        if chars[i..i + query.len()] == query[..] {
            out.extend(i..i + query.len());
            i += query.len();
        } else {
            i += 1;
        }
    }
    out
}

pub(crate) fn render(frame: &mut Frame, body: Rect, view: &DescribeView, theme: &Theme) {
    if body.height < 3 || body.width < 10 {
        return;
    }
    let mut title = format!(" {} — YAML, secrets masked ", view.title);
    if let Some(note) = view.source_note() {
        title.push_str(&format!("· {note} "));
    }
    if let Some(position) = view.match_position() {
        title.push_str(&format!("· match {position} "));
    } else if !view.query.is_empty() {
        title.push_str("· no match ");
    }
    let inner_height = usize::from(body.height.saturating_sub(2));
    let search_rows = usize::from(view.search.is_some());
    let visible_rows = inner_height.saturating_sub(search_rows).max(1);
    let scroll = view
        .scroll
        .min(view.lines.len().saturating_sub(visible_rows));
    let room = usize::from(body.width.saturating_sub(3));
    let current_line = view.current.and_then(|i| view.matches.get(i)).copied();
    let needle = view.query.to_lowercase();
    let mut lines: Vec<Line> = view
        .lines
        .iter()
        .enumerate()
        .skip(scroll)
        .take(visible_rows)
        .map(|(i, text)| {
            let text = truncate(text, room);
            let gutter = if Some(i) == current_line { "›" } else { " " };
            let mut spans = vec![Span::styled(gutter, theme.accent())];
            spans.extend(highlighted(
                &text,
                &occurrences(&text, &needle),
                theme.text(),
                theme.matched(),
            ));
            Line::from(spans)
        })
        .collect();
    while lines.len() < visible_rows {
        lines.push(Line::from(""));
    }
    if let Some(input) = &view.search {
        let value = visible(input.value());
        lines.push(Line::from(vec![
            Span::styled("/", theme.accent()),
            Span::raw(value),
        ]));
    }
    let position = format!(
        " {}-{}/{} ",
        (scroll + 1).min(view.lines.len()),
        (scroll + visible_rows).min(view.lines.len()),
        view.lines.len()
    );
    let block = block(title, theme)
        .title_bottom(Line::from(Span::styled(position, theme.dim())).right_aligned());
    frame.render_widget(Clear, body);
    frame.render_widget(Paragraph::new(lines).block(block), body);
    if let Some(input) = &view.search {
        let x = body.x + 2 + input.visual_cursor() as u16;
        let y = body.y + 1 + visible_rows as u16;
        frame.set_cursor_position(Position::new(x.min(body.right().saturating_sub(2)), y));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_occurrence_ignoring_case() {
        assert_eq!(
            occurrences("Prod prod", "prod"),
            vec![0, 1, 2, 3, 5, 6, 7, 8]
        );
        assert_eq!(occurrences("abc", ""), Vec::<usize>::new());
        assert_eq!(occurrences("ÉTÉ", "té"), vec![1, 2]);
    }
}
