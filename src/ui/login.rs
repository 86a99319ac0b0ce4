//! Login: username + password (local auth), or paste a token from `<app URL>/token`. Both are
//! forms on the shared form model.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::form::field_lines;
use super::theme::Theme;
use super::{block, centered};
use crate::app::remote::Remote;
use crate::app::state::{AppState, LoginMode};
use crate::houston::request::Request;

/// Where the token page is: the app URL when known, else derived from `houston.<domain>`.
pub(crate) fn token_page(state: &AppState, houston_url: Option<&str>) -> Option<String> {
    if let Some(app) = &state.session.app_url {
        return Some(format!("{}/token", app.trim_end_matches('/')));
    }
    let url = reqwest::Url::parse(houston_url?).ok()?;
    let host = url.host_str()?;
    let domain = host.strip_prefix("houston.")?;
    Some(format!("{}://app.{domain}/token", url.scheme()))
}

pub(crate) fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let Some(login) = &state.session.login else {
        return;
    };
    let rect = centered(area, 76, 15);
    let inner_width = usize::from(rect.width.saturating_sub(2));
    let mut lines = Vec::new();
    if let Some(reason) = &login.reason {
        lines.push(Line::from(Span::styled(reason.clone(), theme.warning())));
    }
    lines.push(Line::from(format!(
        "Log in to {}",
        state.session.context_name
    )));
    lines.push(Line::from(""));
    let local_disabled = state.cache.auth_config().is_some_and(|c| !c.local_enabled);
    if login.mode == LoginMode::Token {
        let hint = match token_page(state, state.session.houston_url.as_deref()) {
            Some(page) => format!("Get a token at {page} and paste it here."),
            None => "Get a token from the /token page of your Astronomer web UI and paste it here."
                .to_string(),
        };
        lines.push(Line::from(hint));
    }
    let form = login.form();
    let offset = lines.len();
    let (field_lines, focus_line, cursor) = field_lines(form, inner_width, theme);
    lines.extend(field_lines);
    if login.mode == LoginMode::Password && local_disabled {
        lines.push(Line::from(Span::styled(
            "This server has password login turned off: press Ctrl-t to paste a token.",
            theme.warning(),
        )));
    }
    lines.push(Line::from(""));
    if login.submitting {
        lines.push(Line::from(Span::styled("Logging in…", theme.dim())));
    }
    if let Some(error) = &form.error {
        lines.push(Line::from(Span::styled(
            format!("✗ {error}"),
            theme.error(),
        )));
    }
    if let Some(Remote::Failed { error, .. }) = state.remote(&Request::AuthConfig) {
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
    if let Some(x) = cursor {
        let pos = Position::new(
            (rect.x + 1 + x).min(rect.right().saturating_sub(2)),
            rect.y + 1 + (offset + focus_line) as u16,
        );
        if rect.contains(pos) {
            frame.set_cursor_position(pos);
        }
    }
}
