//! The Logs tab: component tabs and the window in the top border, the lines (levels coloured,
//! search matches highlighted, wrapped or cut), the search/filter line when open, and the
//! state of the feed and the new-lines marker in the bottom border. Only the lines on screen
//! are laid out, so a frame costs the same with 100 or 100,000 lines buffered.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::truncate;
use super::theme::Theme;
use super::{block, placeholder};
use crate::app::live::Link;
use crate::app::logs::{Entry, Feed, LOG_POLL_SECS, LogLevel, LogView};
use crate::app::state::AppState;
use crate::houston::model::DeploymentId;
use crate::houston::request::Request;

/// Columns of `HH:MM:SS ` before a line when timestamps are shown.
const TIME_WIDTH: usize = 9;
/// Columns of the level tag and its space.
const TAG_WIDTH: usize = 6;

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    id: &DeploymentId,
) {
    let Some(view) = state.live.log_view(id) else {
        let text = match state.remote(&Request::Deployment(id.clone())) {
            Some(r) if r.error().is_some() => " Could not load the deployment".to_string(),
            _ => " Loading…".to_string(),
        };
        placeholder(frame, block(" Logs ", theme).inner(area), text, theme);
        frame.render_widget(block(" Logs ", theme), area);
        return;
    };
    render_view(frame, area, theme, view);
}

/// A task instance's log (`Route::TaskLog`), in the same view.
pub(crate) fn render_task_log(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    match &state.live.task_log {
        Some(view) => render_view(frame, area, theme, view),
        None => {
            placeholder(
                frame,
                block(" Log ", theme).inner(area),
                " Loading…".into(),
                theme,
            );
            frame.render_widget(block(" Log ", theme), area);
        }
    }
}

fn render_view(frame: &mut Frame, area: Rect, theme: &Theme, view: &LogView) {
    let styles = Styles::new(theme);
    let frame_block = block("", theme)
        .title_top(component_tabs(view, theme))
        .title_top(
            Line::from(Span::styled(format!(" {} ", top_right(view)), theme.dim())).right_aligned(),
        )
        .title_bottom(status_line(view, theme, usize::from(area.width) / 2))
        .title_bottom(marker(view, theme).right_aligned());
    let inner = frame_block.inner(area);
    frame.render_widget(frame_block, area);

    let (text_area, prompt_area) = match &view.prompt {
        Some(_) if inner.height > 1 => (
            Rect {
                height: inner.height - 1,
                ..inner
            },
            Some(Rect {
                y: inner.y + inner.height - 1,
                height: 1,
                ..inner
            }),
        ),
        _ => (inner, None),
    };
    let width = usize::from(text_area.width);
    let height = usize::from(text_area.height);
    if view.view_len() == 0 {
        placeholder(frame, text_area, empty_text(view), theme);
    } else {
        let rows = visible_rows(view, width, height, &styles);
        frame.render_widget(Paragraph::new(rows), text_area);
    }
    if let (Some(prompt), Some(area)) = (&view.prompt, prompt_area) {
        let prefix = format!(" {}", prompt.kind.label());
        let room = usize::from(area.width).saturating_sub(prefix.len() + 1);
        let scroll = prompt.input.visual_scroll(room);
        let value: String = prompt.input.value().chars().skip(scroll).collect();
        let line = Line::from(vec![
            Span::styled(prefix.clone(), theme.accent()),
            Span::raw(value),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        let x =
            area.x + (prefix.len() + prompt.input.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// ` scheduler │ webserver │ worker `, the shown one highlighted.
fn component_tabs<'a>(view: &'a LogView, theme: &Theme) -> Line<'a> {
    let title = if view.task.is_some() {
        " Log "
    } else {
        " Logs "
    };
    let mut spans = vec![Span::styled(title, theme.title())];
    for (i, name) in view.components.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", theme.dim()));
        }
        let style = if i == view.component {
            theme.tab_active()
        } else {
            theme.text()
        };
        spans.push(Span::styled(format!(" {name} "), style));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

/// The window and the display toggles that are not the default.
fn top_right(view: &LogView) -> String {
    let mut parts = vec![match &view.task {
        Some(task) => task.name(),
        None => view.window.label().to_string(),
    }];
    if view.wrap {
        parts.push("wrap".into());
    }
    if !view.timestamps {
        parts.push("no times".into());
    }
    parts.join(" · ")
}

/// Where the lines come from, how many there are, and what narrows them.
fn status_line<'a>(view: &'a LogView, theme: &Theme, room: usize) -> Line<'a> {
    let (feed, style) = match (&view.feed, view.link) {
        (Feed::Idle, _) => (String::new(), theme.dim()),
        (Feed::Loading, _) => ("◌ loading recent lines…".to_string(), theme.dim()),
        (Feed::Live, Link::Connecting) => ("◌ connecting…".to_string(), theme.dim()),
        (Feed::Live, Link::Open) => ("● live".to_string(), theme.info()),
        (Feed::Polling { reason }, _) => (
            format!("⟳ polling every {LOG_POLL_SECS} s ({reason})"),
            theme.warning(),
        ),
        (Feed::Stopped { reason }, _) => (format!("✗ stopped: {reason}"), theme.error()),
        (Feed::Read, _) => ("✓ read from Airflow".to_string(), theme.dim()),
    };
    let mut counts = if view.filter.is_empty() {
        format!("{} lines", view.buffer.len())
    } else {
        format!(
            "{} of {} lines match &{}",
            view.view_len(),
            view.buffer.len(),
            view.filter
        )
    };
    if !view.search.is_empty() {
        counts.push_str(&format!(" · /{}", view.search));
    }
    if view.dropped > 0 {
        counts.push_str(&format!(" · {} dropped", view.dropped));
    }
    if let Some(note) = &view.note {
        counts.push_str(&format!(" · {note}"));
    }
    let feed_width = super::format::width(&feed);
    let rest = truncate(
        &format!(" · {counts} "),
        room.saturating_sub(feed_width + 2),
    );
    Line::from(vec![
        Span::raw(" "),
        Span::styled(truncate(&feed, room.saturating_sub(2)), style),
        Span::styled(rest, theme.dim()),
    ])
}

/// The new-lines marker while paused; "following" otherwise.
fn marker<'a>(view: &LogView, theme: &Theme) -> Line<'a> {
    if view.following() {
        return Line::from(Span::styled(" ↓ following ", theme.dim()));
    }
    let text = match view.unseen {
        0 => " ⏸ paused · F follow ".to_string(),
        1 => " ⏸ paused · 1 new line · F follow ".to_string(),
        n => format!(" ⏸ paused · {n} new lines · F follow "),
    };
    Line::from(Span::styled(text, theme.badge()))
}

fn empty_text(view: &LogView) -> String {
    if !view.filter.is_empty() && !view.buffer.is_empty() {
        return format!(
            " No line matches &{} ({} hidden; Esc clears the filter)",
            view.filter,
            view.buffer.len()
        );
    }
    match &view.feed {
        Feed::Loading if view.task.is_some() => " Reading the log from Airflow…".to_string(),
        Feed::Loading => " Loading recent lines…".to_string(),
        Feed::Stopped { reason } => format!(" {reason}"),
        _ if view.task.is_some() => format!(
            " Airflow has no lines for {} (a try that has not started writes none)",
            view.component_name()
        ),
        _ => format!(
            " No {} lines in the {}: new ones appear here as they are written",
            view.component_name(),
            view.window.label()
        ),
    }
}

/// The colours of the log view.
struct Styles {
    time: Style,
    current: Style,
    hit: Style,
    tag: [Style; 5],
    message: [Style; 5],
}

impl Styles {
    fn new(theme: &Theme) -> Self {
        let color = |c: Color| {
            if theme.mono {
                Style::new()
            } else {
                Style::new().fg(c)
            }
        };
        let bold = Modifier::BOLD;
        Styles {
            time: theme.dim(),
            current: theme.selected(),
            hit: if theme.mono {
                Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
            } else {
                Style::new().fg(Color::Black).bg(Color::Yellow)
            },
            // Error, warning, info, debug, unknown: without colour, errors stay bold.
            tag: [
                color(Color::Red).add_modifier(bold),
                color(Color::Yellow).add_modifier(bold),
                color(Color::Green),
                color(Color::DarkGray),
                Style::new(),
            ],
            message: [
                color(Color::Red),
                color(Color::Yellow),
                Style::new(),
                color(Color::DarkGray),
                Style::new(),
            ],
        }
    }

    fn index(level: LogLevel) -> usize {
        match level {
            LogLevel::Error => 0,
            LogLevel::Warning => 1,
            LogLevel::Info => 2,
            LogLevel::Debug => 3,
            LogLevel::Unknown => 4,
        }
    }
}

/// The rows on screen: the newest lines while following, else the page from the top line.
fn visible_rows<'a>(
    view: &'a LogView,
    width: usize,
    height: usize,
    styles: &Styles,
) -> Vec<Line<'a>> {
    if height == 0 || width == 0 {
        return Vec::new();
    }
    if view.following() {
        let mut rows: Vec<Line> = Vec::new();
        for pos in (0..view.view_len()).rev() {
            let Some(entry) = view.view_entry(pos) else {
                continue;
            };
            let mut lines = entry_rows(view, entry, width, styles);
            lines.reverse();
            rows.extend(lines);
            if rows.len() >= height {
                break;
            }
        }
        rows.truncate(height);
        rows.reverse();
        rows
    } else {
        let mut rows = Vec::new();
        let mut pos = view.top_pos(height);
        while rows.len() < height {
            let Some(entry) = view.view_entry(pos) else {
                break;
            };
            rows.extend(entry_rows(view, entry, width, styles));
            pos += 1;
        }
        rows.truncate(height);
        rows
    }
}

/// One log line as screen rows: `HH:MM:SS LEVEL message`, wrapped under the message column
/// or cut with `…`.
fn entry_rows<'a>(
    view: &LogView,
    entry: &'a Entry,
    width: usize,
    styles: &Styles,
) -> Vec<Line<'a>> {
    let level = Styles::index(entry.level);
    let current = view.current_match == Some(entry.seq);
    let mut prefix = Vec::new();
    let mut prefix_width = 0;
    if view.timestamps {
        let time = entry.line.timestamp.map_or_else(
            || "--:--:--".to_string(),
            |t| t.format("%H:%M:%S").to_string(),
        );
        let style = if current { styles.current } else { styles.time };
        prefix.push(Span::styled(time, style));
        prefix.push(Span::raw(" "));
        prefix_width += TIME_WIDTH;
    } else if current {
        prefix.push(Span::styled("▶", styles.current));
        prefix.push(Span::raw(" "));
        prefix_width += 2;
    }
    prefix.push(Span::styled(entry.level.tag(), styles.tag[level]));
    prefix.push(Span::raw(" "));
    prefix_width += TAG_WIDTH;

    let pieces = highlighted(entry, &view.search, styles.message[level], styles.hit);
    // Too narrow for a message column: the message starts on the prefix row, wraps flush left.
    let indent = if width > prefix_width + 10 {
        prefix_width
    } else {
        0
    };
    let first_room = width.saturating_sub(prefix_width);
    if !view.wrap {
        let mut spans = prefix;
        spans.extend(cut(&pieces, first_room));
        return vec![Line::from(spans)];
    }
    let mut rows = Vec::new();
    let mut row = prefix;
    let mut room = first_room;
    for (text, style) in pieces {
        let mut chunk = String::new();
        for c in text.chars() {
            let w = char_width(c);
            if w > room {
                if !chunk.is_empty() {
                    row.push(Span::styled(std::mem::take(&mut chunk), style));
                }
                rows.push(Line::from(std::mem::take(&mut row)));
                if indent > 0 {
                    row.push(Span::raw(" ".repeat(indent)));
                }
                room = width.saturating_sub(indent);
            }
            chunk.push(c);
            room = room.saturating_sub(w);
        }
        if !chunk.is_empty() {
            row.push(Span::styled(chunk, style));
        }
    }
    rows.push(Line::from(row));
    rows
}

/// The message split into plain and highlighted pieces (every occurrence of the search).
fn highlighted<'a>(
    entry: &'a Entry,
    search: &str,
    plain: Style,
    hit: Style,
) -> Vec<(&'a str, Style)> {
    if search.is_empty() {
        return vec![(entry.text.as_str(), plain)];
    }
    let mut out = Vec::new();
    let mut at = 0;
    // `lower` has the same byte offsets as `text` (ASCII lowercasing), so ranges carry over.
    for (start, found) in entry.lower.match_indices(search) {
        if start < at {
            continue;
        }
        let end = start + found.len();
        if let (Some(before), Some(hit_text)) =
            (entry.text.get(at..start), entry.text.get(start..end))
        {
            if !before.is_empty() {
                out.push((before, plain));
            }
            out.push((hit_text, hit));
            at = end;
        }
    }
    if let Some(rest) = entry.text.get(at..)
        && !rest.is_empty()
    {
        out.push((rest, plain));
    }
    out
}

/// The pieces cut to `room` columns, ending in `…` when something was cut.
fn cut<'a>(pieces: &[(&'a str, Style)], room: usize) -> Vec<Span<'a>> {
    let total: usize = pieces.iter().map(|(t, _)| super::format::width(t)).sum();
    if total <= room {
        return pieces
            .iter()
            .map(|&(t, style)| Span::styled(t, style))
            .collect();
    }
    let mut out = Vec::new();
    let mut left = room.saturating_sub(1);
    for &(text, style) in pieces {
        if left == 0 {
            break;
        }
        let mut end = 0;
        for (i, c) in text.char_indices() {
            let w = char_width(c);
            if w > left {
                break;
            }
            left -= w;
            end = i + c.len_utf8();
        }
        out.push(Span::styled(&text[..end], style));
        if end < text.len() {
            break;
        }
    }
    if room > 0 {
        out.push(Span::raw("…"));
    }
    out
}

fn char_width(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        let mut buf = [0u8; 4];
        Span::raw(&*c.encode_utf8(&mut buf)).width()
    }
}
