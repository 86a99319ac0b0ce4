//! Drawing only: one module per screen, shared widgets, theme. Never mutates state or does I/O.

pub(crate) mod account;
pub(crate) mod admin;
mod airflow_overview;
pub(crate) mod all_deployments;
pub(crate) mod ascii;
pub(crate) mod clusters;
pub(crate) mod confirm;
pub(crate) mod conflict;
pub(crate) mod dags;
pub(crate) mod deployment;
pub(crate) mod describe;
pub(crate) mod fleet_runs;
pub(crate) mod form;
pub mod format;
pub(crate) mod header;
pub(crate) mod help;
pub(crate) mod hints;
pub mod hit;
pub(crate) mod login;
pub(crate) mod logs;
pub(crate) mod menu;
pub(crate) mod messages;
pub(crate) mod metrics;
pub(crate) mod palette;
pub mod popup;
pub(crate) mod starting;
pub(crate) mod table;
pub(crate) mod tabs;
pub(crate) mod theme;
pub(crate) mod too_small;
pub(crate) mod workers;
pub(crate) mod workspace;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

use crate::app::modal::Modal;
use crate::app::state::{AppState, Route};
use theme::Theme;

/// The smallest terminal the layout is made for; below it a notice is shown instead.
pub(crate) const MIN_WIDTH: u16 = 80;
pub(crate) const MIN_HEIGHT: u16 = 24;

/// Below the minimum size only the "terminal too small" notice is drawn.
pub(crate) fn too_small((width, height): (u16, u16)) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// The screen's rows: header, breadcrumbs, body, message line, hint bar.
pub(crate) fn areas(area: Rect) -> [Rect; 5] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Draw the whole screen from the state (in ASCII only when the terminal cannot show UTF-8).
pub fn draw(frame: &mut Frame, state: &AppState) {
    draw_screen(frame, state);
    if state.ui.ascii {
        ascii::to_ascii(frame.buffer_mut());
    }
}

fn draw_screen(frame: &mut Frame, state: &AppState) {
    let theme = Theme::of(&state.ui);
    let area = frame.area();
    // The theme's own background and text colour, under everything (nothing for default/mono).
    frame.render_widget(Block::new().style(theme.base()), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small::render(frame, area, &theme);
        return;
    }
    let [
        header_area,
        crumbs_area,
        body_area,
        message_area,
        hints_area,
    ] = areas(area);

    header::render_header(frame, header_area, state, &theme);
    header::render_breadcrumbs(frame, crumbs_area, state, &theme);
    if state.session.login.is_some() {
        login::render(frame, body_area, state, &theme);
    } else {
        match state.route() {
            Route::Account => account::render(frame, body_area, state, &theme),
            Route::Workspace { id, tab } => {
                workspace::render(frame, body_area, state, &theme, id, *tab)
            }
            Route::Deployment { id, tab } => {
                deployment::render(frame, body_area, state, &theme, id, *tab)
            }
            Route::AllDeployments => all_deployments::render(frame, body_area, state, &theme),
            Route::Admin { tab } => admin::render(frame, body_area, state, &theme, *tab),
            Route::Clusters => clusters::render(frame, body_area, state, &theme),
            Route::FleetRuns => fleet_runs::render(frame, body_area, state, &theme),
            Route::DagRuns { .. } | Route::TaskInstances { .. } | Route::TaskLog { .. } => {
                dags::render(frame, body_area, state, &theme)
            }
        }
    }
    hints::render_message_line(frame, message_area, state, &theme);
    hints::render_hints(frame, hints_area, state, &theme);

    // The modal stack, bottom first: a confirmation shows over the form it belongs to.
    for modal in &state.ui.modals {
        match modal {
            Modal::Help { scroll } => help::render(frame, area, state, *scroll, &theme),
            Modal::Messages { scroll } => {
                messages::render(frame, body_area, state, *scroll, &theme)
            }
            Modal::Url(popup) => popup::render_url_popup(frame, area, popup, &theme),
            Modal::Form(f) => form::render(frame, area, state, f, &theme),
            Modal::Confirm(c) => confirm::render(frame, area, c, &theme),
            Modal::Conflict(c) => conflict::render(frame, area, c, &theme),
            Modal::ApiKey(k) => popup::render_api_key(frame, area, k, &theme),
            // Over the body only: the message line and the hints stay in view.
            Modal::Describe(d) => describe::render(frame, body_area, d, &theme),
            Modal::Palette(p) => palette::render(frame, body_area, p, &theme),
            Modal::Menu(m) => menu::render(frame, area, m, &theme),
        }
    }
}

/// A bordered block with a bold title.
pub(crate) fn block<'a>(title: impl Into<String>, theme: &Theme) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border())
        .title(Span::styled(title.into(), theme.title()))
}

/// A centred rectangle of at most `width`×`height` inside `area`.
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A dim one-liner for "loading…" and "could not load" placeholders.
pub(crate) fn placeholder(frame: &mut Frame, area: Rect, text: String, theme: &Theme) {
    frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), area);
}
