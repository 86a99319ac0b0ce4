//! Forms: a field per line (`▶ Label  value`), its problem under it, its help when focused;
//! deployment forms show what the resources amount to beside (or under) the fields. Long forms
//! scroll to keep the focused field in view.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::format::{width, wrap};
use super::theme::Theme;
use super::{block, centered};
use crate::app::forms::{self, FormKind};
use crate::app::forms::{FieldKind, Form};
use crate::app::modal::FormModal;
use crate::app::state::AppState;

pub(crate) const LABEL_WIDTH: usize = 13;

/// The lines of a form's fields, the line of the focused field, and where its cursor goes
/// (column within the line).
pub(crate) fn field_lines(
    form: &Form,
    room: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, usize, Option<u16>) {
    let mut lines = Vec::new();
    let mut focus_line = 0;
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate() {
        if field.hidden {
            continue;
        }
        let focused = i == form.focus;
        if focused {
            focus_line = lines.len();
        }
        let marker = if focused { "▶ " } else { "  " };
        let label_style = if focused { theme.accent() } else { theme.dim() };
        let value_style = if focused {
            theme.selected()
        } else {
            theme.text()
        };
        let value_room = room.saturating_sub(2 + LABEL_WIDTH + 1).max(1);
        let (shown, cursor_at) = match &field.kind {
            FieldKind::Select { choices, index } => {
                // An arrow only where there is a choice that way: the select stops at its ends.
                let label = field.choice_label().unwrap_or("—");
                let left = if *index > 0 { "◀" } else { " " };
                let right = if *index + 1 < choices.len() {
                    "▶"
                } else {
                    " "
                };
                (format!("{left} {label} {right}"), None)
            }
            FieldKind::Secret => {
                let scroll = field.input.visual_scroll(value_room);
                let n = field.input.value().chars().count().saturating_sub(scroll);
                (
                    "•".repeat(n),
                    Some(field.input.visual_cursor().saturating_sub(scroll)),
                )
            }
            FieldKind::Text | FieldKind::Number { .. } => {
                let scroll = field.input.visual_scroll(value_room);
                let text: String = field.input.value().chars().skip(scroll).collect();
                (
                    super::format::visible(&text),
                    Some(field.input.visual_cursor().saturating_sub(scroll)),
                )
            }
        };
        // An empty value still shows where to type.
        let shown = if shown.is_empty() && focused {
            " ".to_string()
        } else {
            shown
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{marker}{:<LABEL_WIDTH$} ", field.label),
                label_style,
            ),
            Span::styled(shown, value_style),
        ]));
        if focused {
            cursor = cursor_at.map(|c| (2 + LABEL_WIDTH + 1 + c) as u16);
        }
        // A problem or a warning is shown whole, wrapped under the value.
        let note = match (&field.error, &field.warning) {
            (Some(error), _) => Some(("✗", error, theme.error())),
            (None, Some(warning)) => Some(("!", warning, theme.warning())),
            _ => None,
        };
        if let Some((mark, text, style)) = note {
            let indent = 2 + LABEL_WIDTH + 1;
            for (n, part) in wrap(text, room.saturating_sub(indent + 2))
                .into_iter()
                .enumerate()
            {
                let mark = if n == 0 { mark } else { " " };
                lines.push(Line::from(Span::styled(
                    format!("{:indent$}{mark} {part}", ""),
                    style,
                )));
            }
        } else if focused && let Some(help) = &field.help {
            lines.push(Line::from(Span::styled(
                format!("  {:<LABEL_WIDTH$} {help}", ""),
                theme.dim(),
            )));
        }
    }
    (lines, focus_line, cursor)
}

/// The form's own status lines: checking, sending, or the server's refusal (whole, wrapped to
/// `room`).
fn status_lines(modal: &FormModal, room: usize, theme: &Theme) -> Vec<Line<'static>> {
    let form = &modal.form;
    let mut out = Vec::new();
    if modal.check.is_some() {
        out.push(Line::from(Span::styled(
            "Checking what the server holds now… (Esc: stop, nothing is sent)",
            theme.dim(),
        )));
    }
    // Pending with an error: a timed-out change being checked (the error says so).
    if form.pending.is_some() && form.error.is_none() {
        out.push(Line::from(Span::styled("Sending…", theme.dim())));
    }
    if let Some(error) = &form.error {
        for (n, part) in wrap(error, room.saturating_sub(2)).into_iter().enumerate() {
            let mark = if n == 0 { "✗" } else { " " };
            out.push(Line::from(Span::styled(
                format!("{mark} {part}"),
                theme.error(),
            )));
        }
    }
    out
}

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    modal: &FormModal,
    theme: &Theme,
) {
    let form = &modal.form;
    let preview = match modal.kind {
        FormKind::CreateDeployment(_) | FormKind::EditDeployment(_) => {
            forms::deployment::preview(form, &state.cache.deployment_config())
        }
        _ => Vec::new(),
    };
    let preview_width = preview.iter().map(|l| width(l)).max().unwrap_or(0) as u16;
    // Beside the fields when there is room, else under them.
    let side_by_side = !preview.is_empty() && area.width >= 64 + preview_width + 6;
    let form_width: u16 = 64;
    let total_width = if side_by_side {
        form_width + preview_width + 5
    } else {
        form_width.max(preview_width + 4)
    };
    let width_limit = area.width.saturating_sub(2).max(20);
    let outer_width = total_width.min(width_limit);
    let fields_room = usize::from(if side_by_side {
        form_width - 2
    } else {
        outer_width.saturating_sub(2)
    });

    let (mut lines, focus_line, cursor) = field_lines(form, fields_room, theme);
    let fields_len = lines.len();
    // The footer (status and keys) always shows; the fields scroll above it.
    let mut footer = status_lines(modal, usize::from(outer_width.saturating_sub(2)), theme);
    // ←/→ only choose on a choice field; elsewhere they move the text cursor.
    let choosing = form
        .focused()
        .is_some_and(|f| matches!(f.kind, FieldKind::Select { .. }));
    footer.push(Line::from(Span::styled(
        format!(
            "C-s {}  ·  Tab next field  ·  {}Esc cancel",
            modal.kind.verb(),
            if choosing { "←/→ choose  ·  " } else { "" }
        ),
        theme.dim(),
    )));
    let room_height = usize::from(area.height.saturating_sub(3));
    if !side_by_side && !preview.is_empty() {
        lines.push(Line::from(""));
        if fields_len + preview.len() + 2 + footer.len() <= room_height {
            lines.push(Line::from(Span::styled(
                "What this amounts to",
                theme.title(),
            )));
            lines.extend(
                preview
                    .iter()
                    .map(|l| Line::from(Span::styled(l.clone(), theme.dim()))),
            );
        } else if let Some(total) = preview.last() {
            // Short terminal: the total only.
            lines.push(Line::from(Span::styled(total.clone(), theme.title())));
        }
    }
    lines.push(Line::from(""));

    let content_height = (lines.len() + footer.len()).max(preview.len() + 2) as u16;
    let height = (content_height + 2)
        .min(area.height.saturating_sub(1))
        .max(5);
    let rect = centered(area, outer_width, height);
    let inner_height = usize::from(height.saturating_sub(2));
    let body_height = inner_height.saturating_sub(footer.len());
    // Keep the focused field (and the line under it) in view.
    let scroll = (focus_line + 2).saturating_sub(body_height).min(fields_len) as u16;

    frame.render_widget(Clear, rect);
    let b = block(format!(" {} ", form.title), theme);
    let inner = b.inner(rect);
    frame.render_widget(b, rect);
    let footer_height = (footer.len() as u16).min(inner.height);
    let body = Rect {
        height: inner.height.saturating_sub(footer_height),
        ..inner
    };
    let footer_area = Rect {
        y: body.y + body.height,
        height: footer_height,
        ..inner
    };
    frame.render_widget(Paragraph::new(footer), footer_area);
    let fields_area = if side_by_side {
        Rect {
            width: form_width.saturating_sub(2).min(body.width),
            ..body
        }
    } else {
        body
    };
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), fields_area);
    if side_by_side {
        let x = fields_area.x + fields_area.width + 1;
        let preview_area = Rect {
            x,
            width: body.right().saturating_sub(x),
            ..body
        };
        let mut plines = vec![Line::from(Span::styled(
            "What this amounts to",
            theme.title(),
        ))];
        plines.extend(
            preview
                .iter()
                .map(|l| Line::from(Span::styled(l.clone(), theme.dim()))),
        );
        frame.render_widget(Paragraph::new(plines), preview_area);
    }
    if let Some(col) = cursor {
        let y = fields_area.y + (focus_line as u16).saturating_sub(scroll);
        let pos = Position::new(
            (fields_area.x + col).min(fields_area.right().saturating_sub(1)),
            y,
        );
        if fields_area.contains(pos) && form.pending.is_none() {
            frame.set_cursor_position(pos);
        }
    }
}
