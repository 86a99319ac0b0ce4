//! The popup shown when a URL could not be opened in a browser: the full URL (wrapped, easy to
//! select), why, and whether it was copied to the clipboard.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::format::width;
use super::theme::Theme;
use super::{block, centered};
use crate::app::modal::{ApiKeyView, CopyStatus, UrlPopup};

const TEXT_ROWS_BEFORE_URL: u16 = 2;

fn reason_line(popup: &UrlPopup) -> String {
    format!("Could not open a browser ({}).", popup.reason)
}

/// The popup's rectangle, and whether the reason and the URL each fit on one line.
fn popup_area(area: Rect, popup: &UrlPopup) -> (Rect, bool) {
    // Wide enough for the URL on one line when the terminal allows (easier to select).
    let wanted = (width(&popup.url) as u16).saturating_add(4).max(56);
    let popup_width = wanted.min(area.width.saturating_sub(4)).max(20);
    let inner_width = popup_width.saturating_sub(2).max(1);
    let rows = |s: &str| (width(s) as u16).div_ceil(inner_width).max(1);
    let reason_rows = rows(&reason_line(popup));
    let url_rows = rows(&popup.url);
    let height = reason_rows + 1 + url_rows + 3 + 2;
    let single = reason_rows == 1 && url_rows == 1;
    (centered(area, popup_width, height), single)
}

/// Where the URL starts on screen when the layout is simple enough to know exactly (used to
/// rewrite it as an OSC 8 hyperlink after the frame).
pub fn url_single_line_position(area: Rect, popup: &UrlPopup) -> Option<(u16, u16)> {
    let (rect, single) = popup_area(area, popup);
    (single && rect.height >= TEXT_ROWS_BEFORE_URL + 3 + 2)
        .then_some((rect.x + 1, rect.y + 1 + TEXT_ROWS_BEFORE_URL))
}

pub(crate) fn render_url_popup(frame: &mut Frame, area: Rect, popup: &UrlPopup, theme: &Theme) {
    let (rect, _) = popup_area(area, popup);
    let mut lines = vec![
        Line::from(Span::styled(reason_line(popup), theme.warning())),
        Line::from("Open this URL yourself:"),
        Line::from(Span::styled(popup.url.clone(), theme.accent())),
        Line::from(""),
    ];
    lines.push(copy_line(&popup.copy, theme));
    lines.push(Line::from(Span::styled(
        "Esc/Enter close  ·  y copy again",
        theme.dim(),
    )));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(format!(" {} ", popup.what.label()), theme)),
        rect,
    );
}

fn copy_line(copy: &CopyStatus, theme: &Theme) -> Line<'static> {
    match copy {
        CopyStatus::Idle | CopyStatus::Pending => Line::from(""),
        CopyStatus::Copied => Line::from(Span::styled(
            "✓ sent to your clipboard (OSC 52)",
            theme.info(),
        )),
        CopyStatus::SentTmuxMayDrop => Line::from(Span::styled(
            format!("! sent via OSC 52 — {}", crate::app::clipboard::TMUX_ADVICE),
            theme.warning(),
        )),
        CopyStatus::TooLong => Line::from(Span::styled(
            "✗ too long to copy to the clipboard",
            theme.warning(),
        )),
        CopyStatus::Failed(e) => Line::from(Span::styled(
            format!("✗ could not copy to the clipboard: {e}"),
            theme.warning(),
        )),
    }
}

/// A new service account's API key, this one time.
pub(crate) fn render_api_key(frame: &mut Frame, area: Rect, view: &ApiKeyView, theme: &Theme) {
    let lines = vec![
        Line::from(format!(
            "Service account {} was created. Its API key:",
            view.label
        )),
        Line::from(""),
        Line::from(Span::styled(view.key.expose().to_string(), theme.accent())),
        Line::from(""),
        Line::from(Span::styled(
            "This is the only time the key is shown: copy it now.",
            theme.warning(),
        )),
        Line::from("Use it as a token: Authorization header, ASTRODASH_TOKEN, docker login."),
        copy_line(&view.copy, theme),
        Line::from(Span::styled("y copy  ·  Esc close", theme.dim())),
    ];
    let w = (width(view.key.expose()) as u16 + 6)
        .max(72)
        .min(area.width.saturating_sub(2));
    let rect = centered(area, w, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(" New API key ", theme)),
        rect,
    );
}
