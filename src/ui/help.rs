//! The `?` overlay, generated from the same keymap the dispatcher uses: only what is possible
//! here and now. It scrolls when the terminal is small.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::format::truncate;
use super::theme::Theme;
use super::{block, centered};
use crate::app::keymap::{KeyScope, Screen, hidden, shown};
use crate::app::state::AppState;
use crate::app::state::DeploymentTab;

const KEY_WIDTH: usize = 9;
const COLUMN_WIDTH: usize = 48;

fn entry(label: &str, description: &str, theme: &Theme) -> Vec<Span<'static>> {
    let desc = truncate(description, COLUMN_WIDTH - KEY_WIDTH - 3);
    vec![
        Span::styled(format!(" {label:<KEY_WIDTH$} "), theme.key()),
        Span::raw(format!(
            "{desc:<width$}",
            width = COLUMN_WIDTH - KEY_WIDTH - 2
        )),
    ]
}

/// Lay `items` out in `columns` columns, filling down first.
fn grid(items: &[(String, &str)], columns: usize, theme: &Theme) -> Vec<Line<'static>> {
    let rows = items.len().div_ceil(columns.max(1));
    (0..rows)
        .map(|r| {
            let mut spans = Vec::new();
            for c in 0..columns {
                if let Some((label, desc)) = items.get(c * rows + r) {
                    spans.extend(entry(label, desc, theme));
                }
            }
            Line::from(spans)
        })
        .collect()
}

/// `text` in lines of at most `width` characters, broken between words.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

pub(crate) fn render(frame: &mut Frame, area: Rect, state: &AppState, scroll: u16, theme: &Theme) {
    let scope = state.screen_scope();
    let items = |scope| -> Vec<(String, &'static str)> {
        shown(state, scope)
            .into_iter()
            .map(|b| (b.label.to_string(), b.description))
            .collect()
    };
    let screen = items(scope);
    // The keys of the line `/` opens: the table filter, or the log view's search and filter.
    let (filter_title, filter) = match scope {
        KeyScope::Screen(Screen::Deployment(DeploymentTab::Logs)) => (
            " While searching or filtering (/ &)",
            items(KeyScope::LogPrompt),
        ),
        KeyScope::Screen(_) if state.current_table().is_some() => {
            (" While filtering (/)", items(KeyScope::Filter))
        }
        _ => ("", vec![]),
    };
    // Two columns when one would not fit the height and the width allows.
    let single_height = screen.len() + filter.len() + 3 + 2;
    let columns = if single_height <= usize::from(area.height) || area.width < 100 {
        1
    } else {
        2
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(" {}", scope.title()),
        theme.title(),
    ))];
    lines.extend(grid(&screen, columns, theme));
    if !filter.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(filter_title, theme.title())));
        lines.extend(grid(&filter, columns, theme));
    }
    if matches!(scope, KeyScope::Screen(_)) {
        // Keys the session, the role or the deployment rule out: listed with why, by reason.
        let hidden = hidden(state, scope);
        let mut reasons: Vec<&String> = hidden.iter().map(|(_, _, r)| r).collect();
        reasons.dedup();
        for reason in reasons {
            lines.push(Line::from(""));
            let title = format!("Not here — {reason}");
            for part in wrap(&title, COLUMN_WIDTH * columns - 2) {
                lines.push(Line::from(Span::styled(format!(" {part}"), theme.title())));
            }
            let keys: Vec<(String, &str)> = hidden
                .iter()
                .filter(|(_, _, r)| r == reason)
                .map(|(label, description, _)| (label.clone(), *description))
                .collect();
            lines.extend(grid(&keys, columns, theme));
        }
        // The message line shows one message, cut: where the earlier ones are, whole.
        lines.push(Line::from(""));
        lines.push(Line::from(entry(
            ":messages",
            "the last messages, whole",
            theme,
        )));
    }
    let total = lines.len() as u16;
    let height = total.saturating_add(2).min(area.height);
    let visible = height.saturating_sub(2);
    let max_scroll = total.saturating_sub(visible);
    let scroll = scroll.min(max_scroll);
    let title = if max_scroll > 0 {
        format!(
            " Help — j/k scroll ({}/{}) — Esc to close ",
            scroll + 1,
            max_scroll + 1
        )
    } else {
        " Help — Esc to close ".to_string()
    };
    let width = (COLUMN_WIDTH * columns) as u16 + 2;
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(block(title, theme)),
        popup,
    );
}
