//! The top two lines: who/where/freshness, then the breadcrumbs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{age, short_duration, truncate, width};
use super::theme::Theme;
use crate::app::state::AppState;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/// The spinner where only ASCII can be drawn (it still turns).
const ASCII_SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

/// The right-hand status pieces: READ-ONLY, token expiry, freshness / STALE.
fn status_spans(state: &AppState, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let now = state.now;
    if state.session.tls_unverified {
        // Red, unlike the yellow badges: the connection itself is not safe.
        let style = if state.ui.mono {
            theme.badge()
        } else {
            ratatui::style::Style::new()
                .fg(ratatui::style::Color::White)
                .bg(ratatui::style::Color::Red)
                .add_modifier(ratatui::style::Modifier::BOLD)
        };
        spans.push(Span::styled(" TLS NOT VERIFIED ", style));
        spans.push(Span::raw(" "));
    }
    if state.session.read_only {
        spans.push(Span::styled(" READ-ONLY ", theme.badge()));
        spans.push(Span::raw(" "));
    }
    if let Some(exp) = state.session.token_expires_at {
        let left = (exp - now).num_seconds();
        if left <= 0 {
            spans.push(Span::styled("token expired", theme.error()));
            spans.push(Span::raw("  "));
        } else if left < 3600 {
            spans.push(Span::styled(
                format!("token expires in {}", short_duration(left)),
                theme.warning(),
            ));
            spans.push(Span::raw("  "));
        }
    }
    if state.session.login.is_some() {
        return spans;
    }
    let status = state.view_status();
    let frames: &[&str] = if state.ui.ascii {
        &ASCII_SPINNER
    } else {
        &SPINNER
    };
    let spinner = if status.in_flight {
        frames[(now.timestamp().rem_euclid(frames.len() as i64)) as usize]
    } else {
        " "
    };
    let server_down = matches!(&status.failed, Some(e) if e.is_transient());
    if server_down {
        // Stale only when there is data to be stale; without any, say it is unreachable.
        let what = match status.updated_at {
            Some(at) => format!("STALE {}", short_duration((now - at).num_seconds())),
            None => "UNREACHABLE".to_string(),
        };
        let retry = match state
            .net
            .next_refresh_at
            .map(|due| (due - now).num_seconds())
        {
            _ if status.in_flight => "retrying now".to_string(),
            Some(secs) if secs > 0 => format!("retrying in {secs}s"),
            _ => "retrying now".to_string(),
        };
        spans.push(Span::styled(format!(" {what} — {retry} "), theme.badge()));
        spans.push(Span::raw(format!(" {spinner}")));
    } else {
        let updated = match status.updated_at {
            Some(at) => format!("updated {}", age(now, at)),
            None if status.in_flight => "loading…".into(),
            None => String::new(),
        };
        spans.push(Span::styled(updated, theme.dim()));
        spans.push(Span::styled(format!(" {spinner}"), theme.accent()));
    }
    spans
}

pub(crate) fn render_header(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let right = status_spans(state, theme);
    let right_width: usize = right.iter().map(|s| s.width()).sum();
    let mut left = format!(" astrodash │ {}", state.session.context_name);
    if let Some(version) = state.cache.app_config().and_then(|c| c.version.as_deref()) {
        left.push_str(&format!(" (Houston {version})"));
    }
    if let Some(me) = state.me() {
        let name = if me.is_service_account() {
            "service account"
        } else {
            me.full_name.as_deref().unwrap_or(&me.username)
        };
        left.push_str(" │ ");
        left.push_str(name);
        if let Some(email) = &me.email {
            left.push_str(&format!(" <{email}>"));
        }
    }
    let room = usize::from(area.width).saturating_sub(right_width + 1);
    let left = truncate(&left, room);
    let gap = usize::from(area.width).saturating_sub(width(&left) + right_width);
    let mut spans = vec![
        Span::styled(left, theme.title()),
        Span::raw(" ".repeat(gap)),
    ];
    spans.extend(right);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub(crate) fn render_breadcrumbs(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let crumbs = state.breadcrumbs();
    let mut spans = vec![Span::raw(" ")];
    let last = crumbs.len().saturating_sub(1);
    for (i, crumb) in crumbs.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", theme.dim()));
        }
        let style = if i == last {
            theme.accent()
        } else {
            theme.text()
        };
        spans.push(Span::styled(truncate(&crumb, 32), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
