//! Login: username + password (local auth), or paste a token from `<app_url>/token`.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use tui_input::Input;

use super::theme::Theme;
use super::{block, centered};
use crate::app::remote::Remote;
use crate::app::state::{AppState, LoginField, LoginMode};

const LABEL_WIDTH: usize = 11;

/// One `Label  [value]` line; returns the cursor column when focused.
fn input_line<'a>(
    label: &'a str,
    input: &Input,
    masked: bool,
    focused: bool,
    room: usize,
    theme: &Theme,
) -> (Line<'a>, Option<u16>) {
    let scroll = input.visual_scroll(room);
    let shown: String = if masked {
        "•".repeat(input.value().chars().count().saturating_sub(scroll))
    } else {
        input.value().chars().skip(scroll).collect()
    };
    let marker = if focused { "▶ " } else { "  " };
    let label_style = if focused { theme.accent() } else { theme.dim() };
    let line = Line::from(vec![
        Span::styled(format!("{marker}{label:<LABEL_WIDTH$}"), label_style),
        Span::styled(
            shown,
            if focused {
                theme.selected()
            } else {
                theme.text()
            },
        ),
    ]);
    let cursor =
        focused.then(|| (2 + LABEL_WIDTH + input.visual_cursor().saturating_sub(scroll)) as u16);
    (line, cursor)
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let Some(login) = &state.login else {
        return;
    };
    let rect = centered(area, 72, 14);
    let inner_width = usize::from(rect.width.saturating_sub(2));
    let room = inner_width.saturating_sub(2 + LABEL_WIDTH + 1);
    let mut lines = Vec::new();
    if let Some(reason) = &login.reason {
        lines.push(Line::from(Span::styled(reason.clone(), theme.warning())));
    }
    lines.push(Line::from(format!("Log in to {}", state.context_name)));
    lines.push(Line::from(""));
    let mut cursor: Option<(u16, u16)> = None;
    let local_disabled =
        matches!(&login.auth_config, Remote::Ready { data, .. } if !data.local_enabled);
    match login.mode {
        LoginMode::Password => {
            let (line, c) = input_line(
                "Username",
                &login.username,
                false,
                login.focus == LoginField::Username,
                room,
                theme,
            );
            if let Some(c) = c {
                cursor = Some((c, lines.len() as u16));
            }
            lines.push(line);
            let (line, c) = input_line(
                "Password",
                &login.password,
                true,
                login.focus == LoginField::Password,
                room,
                theme,
            );
            if let Some(c) = c {
                cursor = Some((c, lines.len() as u16));
            }
            lines.push(line);
            if local_disabled {
                lines.push(Line::from(Span::styled(
                    "This server has password login turned off: press Ctrl-t to paste a token.",
                    theme.warning(),
                )));
            }
        }
        LoginMode::Token => {
            let hint = match &state.app_url {
                Some(url) => format!(
                    "Get a token at {}/token and paste it here.",
                    url.trim_end_matches('/')
                ),
                None => {
                    "Get a token from your Astronomer web UI (<app URL>/token) and paste it here."
                        .to_string()
                }
            };
            lines.push(Line::from(hint));
            let (line, c) = input_line("Token", &login.token, true, true, room, theme);
            if let Some(c) = c {
                cursor = Some((c, lines.len() as u16));
            }
            lines.push(line);
        }
    }
    lines.push(Line::from(""));
    if login.submitting {
        lines.push(Line::from(Span::styled("Logging in…", theme.dim())));
    }
    if let Some(error) = &login.error {
        lines.push(Line::from(Span::styled(
            format!("✗ {error}"),
            theme.error(),
        )));
    }
    if let Remote::Failed { error, .. } = &login.auth_config {
        lines.push(Line::from(Span::styled(
            format!("Could not ask the server how to log in: {error}"),
            theme.error(),
        )));
    }
    let title = match login.mode {
        LoginMode::Password => " Log in — username and password ",
        LoginMode::Token => " Log in — paste a token ",
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(title, theme)),
        rect,
    );
    if let Some((x, y)) = cursor {
        let pos = Position::new(
            (rect.x + 1 + x).min(rect.right().saturating_sub(2)),
            rect.y + 1 + y,
        );
        if rect.contains(pos) {
            frame.set_cursor_position(pos);
        }
    }
}
