//! Fetching and keeping the visible view fresh: latest-wins requests, the refresh schedule,
//! back-off while the server is unreachable, and what failures mean — a session that ended, an
//! item that vanished, a permission the caller lacks, or a server that is down.

use chrono::Duration as ChronoDuration;

use super::freshness;
use super::messages::{error, session_error, session_flash};
use crate::app::effect::Effect;
use crate::app::state::{AppState, LoginState, Route, WorkspaceTab};
use crate::app::tables::TableId;
use crate::houston::ApiError;
use crate::houston::model::*;
use crate::houston::request::{Payload, Request};

/// The longest wait between retries while the server is unreachable.
pub const MAX_BACKOFF_SECS: i64 = 30;

/// While something is DEPLOYING, the view refreshes this often to show it settle.
const DEPLOYING_REFRESH_SECS: i64 = 2;

/// Seconds to wait after `failures` consecutive failures: 2, 4, 8, 16, 30, 30…
pub fn backoff_secs(failures: u32) -> i64 {
    if failures == 0 {
        return 0;
    }
    2i64.saturating_pow(failures.min(16)).min(MAX_BACKOFF_SECS)
}

pub fn fetch(state: &mut AppState, request: Request) -> Effect {
    state.net.next_seq += 1;
    let seq = state.net.next_seq;
    state.net.latest_seq.insert(request.clone(), seq);
    state.net.in_flight.insert(request.clone());
    state.cache.start(&request);
    Effect::Fetch { seq, request }
}

/// Stop requests the visible view no longer needs, then request what it needs (all of it when
/// `force`, else only what is not already on its way) and schedule the next refresh.
pub fn refresh_visible(state: &mut AppState, force: bool) -> Vec<Effect> {
    let wanted = state.visible_requests();
    let context = state.context_requests();
    let mut effects = Vec::new();
    let stale: Vec<Request> = state
        .net
        .in_flight
        .iter()
        .filter(|r| !wanted.contains(r) && !context.contains(r) && !is_background(r))
        // A re-read that tells whether a timed-out change was applied is needed wherever the
        // user looks now.
        .filter(|r| !state.net.unsure.iter().any(|u| u.waiting.contains(r)))
        .cloned()
        .collect();
    for request in stale {
        state.net.in_flight.remove(&request);
        // A late reply for a cancelled request must not be applied.
        state.net.latest_seq.remove(&request);
        effects.push(Effect::Cancel(request));
    }
    let all: Vec<Request> = wanted.iter().chain(&context).cloned().collect();
    freshness::prune_queue(state, &all);
    for request in all {
        let due = (force
            || (!state.net.in_flight.contains(&request)
                && !freshness::fresh_enough(state, &request, &wanted)))
            && !freshness::covered(state, &request);
        if due && let Some(effect) = freshness::fetch_bounded(state, request) {
            effects.push(effect);
        }
    }
    if effects.iter().any(|e| matches!(e, Effect::Fetch { .. })) {
        state.net.round_failed = false;
    }
    schedule_refresh(state);
    // A view shown again may hold rows that changed while it was away: sort them once now,
    // not on every frame until the next reply.
    if let Some(table) = state.current_table()
        && state.ui.tables.contains_key(&table)
    {
        refresh_table(state, &table);
    }
    effects
}

/// Fetch what the visible view needs and has never had (e.g. once who we are, or a
/// workspace's capabilities, became known). Nothing already loaded is fetched again.
pub fn fetch_missing(state: &mut AppState) -> Vec<Effect> {
    let wanted: Vec<Request> = state
        .visible_requests()
        .into_iter()
        .chain(state.context_requests())
        .filter(|r| state.cache.remote(r).is_none() && !state.net.in_flight.contains(r))
        // Statuses refresh rows that carry them already: never missing, only due.
        .filter(|r| crate::app::freshness::rows_for(r).is_none())
        .collect();
    wanted
        .into_iter()
        .filter_map(|r| freshness::fetch_bounded(state, r))
        .collect()
}

/// Requests that check the session or the platform, which no view switch cancels.
fn is_background(request: &Request) -> bool {
    matches!(
        request,
        Request::Me | Request::DeploymentConfig | Request::AppConfig | Request::Workspaces { .. }
    )
}

/// Fetch `request` unless it is already on its way.
pub fn ensure(state: &mut AppState, request: Request) -> Vec<Effect> {
    if state.net.in_flight.contains(&request) {
        return vec![];
    }
    vec![fetch(state, request)]
}

fn schedule_refresh(state: &mut AppState) {
    // A zero interval would refresh on every tick; one second is the floor.
    let mut every = ChronoDuration::from_std(state.session.refresh)
        .unwrap_or(ChronoDuration::seconds(5))
        .max(ChronoDuration::seconds(1));
    if shows_deploying(state) {
        every = every.min(ChronoDuration::seconds(DEPLOYING_REFRESH_SECS));
    }
    if polls_logs(state) {
        every = every.min(ChronoDuration::seconds(crate::app::logs::LOG_POLL_SECS));
    }
    // Nobody looking: everything slows down, log polling included.
    every = freshness::refresh_interval(state, every);
    state.net.next_refresh_at = Some(state.now + every);
}

/// Whether the log view on screen polls `logs` (its live stream is unavailable).
fn polls_logs(state: &AppState) -> bool {
    match state.route() {
        Route::Deployment {
            id,
            tab: crate::app::state::DeploymentTab::Logs,
        } => state.live.polls_logs(id),
        _ => false,
    }
}

/// Whether a deployment on screen is DEPLOYING (the view then follows it more closely).
fn shows_deploying(state: &AppState) -> bool {
    match state.route() {
        Route::Deployment { id, .. } => state
            .cache
            .deployment(id)
            .is_some_and(|d| d.status == DeploymentStatus::Deploying),
        Route::Workspace {
            id,
            tab: WorkspaceTab::Deployments,
        } => state
            .cache
            .deployments(id)
            .is_some_and(|l| l.iter().any(|d| d.status == DeploymentStatus::Deploying)),
        _ => false,
    }
}

pub fn on_tick(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    state.now = now;
    super::messages::expire(state);
    freshness::on_tick(state);
    match state.net.next_refresh_at {
        Some(due) if now >= due => refresh_visible(state, false),
        _ => vec![],
    }
}

fn token_expired(state: &AppState, at: Timestamp) -> bool {
    state.session.token_expires_at.is_some_and(|exp| exp <= at)
}

pub fn on_api(
    state: &mut AppState,
    request: Request,
    seq: u64,
    at: Timestamp,
    result: Result<Payload, ApiError>,
) -> Vec<Effect> {
    // Latest wins: a reply to a superseded or cancelled request is dropped.
    if state.net.latest_seq.get(&request) != Some(&seq) {
        return vec![];
    }
    state.net.in_flight.remove(&request);
    let error = match result {
        Ok(payload) => return on_payload(state, request, payload, at),
        Err(e) => e,
    };
    if let Some(effects) = super::all_deployments::on_refused(state, &request, &error, at) {
        return effects;
    }
    freshness::on_failed(state, &request);
    super::describe::on_fetch_failed(state, &request);
    super::menu::on_fetch_failed(state, &request);
    state.cache.fail(&request, error.clone(), at);
    super::logs::on_lines_failed(state, &request, &error);
    match error {
        ApiError::Forbidden(text) if request == Request::Me || token_expired(state, at) => {
            session_ended(state, &text)
        }
        ApiError::Forbidden(text) => {
            error_here(state, &request, format!("Permission denied: {text}"));
            // The token may have died (server restarted, token revoked): ask who we are.
            let mut effects = ensure(state, Request::Me);
            if request.workspace().is_some()
                && let Some(ws) = state.cache.workspaces_request()
            {
                // …or the workspace may be gone.
                effects.extend(ensure(state, ws));
            }
            effects
        }
        ApiError::NotFound(text) => vanished(state, &request, &text),
        // What this Houston cannot provide: the view says so where the data would be; not an
        // error to retry.
        ApiError::Unsupported { .. } => vec![],
        // A token that cannot even be sent is a configuration problem: said once, then login.
        ApiError::InvalidToken(text) => to_login(state, Some(text)),
        error => {
            if matches!(request, Request::DeploymentConfig | Request::AppConfig) {
                // Optional: forms fall back to Houston's default limits, documents to the
                // newest form with fallback.
                return vec![];
            }
            let text = error.to_string();
            // About the connection as a whole (unreachable, not Houston, untrusted certificate)
            // rather than about this view's data.
            let about_connection = error.is_transient()
                || matches!(error, ApiError::NotHouston(_) | ApiError::Certificate(_));
            if about_connection {
                session_error(state, text);
            } else {
                error_here(state, &request, text);
            }
            if !state.net.round_failed {
                // The server is struggling or gone: back off before asking again.
                state.net.round_failed = true;
                state.net.failures = state.net.failures.saturating_add(1);
                state.net.next_refresh_at =
                    Some(at + ChronoDuration::seconds(backoff_secs(state.net.failures)));
            }
            vec![]
        }
    }
}

/// An error about data of the visible view goes to the view; about other data, nowhere.
fn error_here(state: &mut AppState, request: &Request, text: String) {
    if state.visible_requests().contains(request) {
        error(state, text);
    }
}

fn on_payload(
    state: &mut AppState,
    request: Request,
    payload: Payload,
    at: Timestamp,
) -> Vec<Effect> {
    if state.net.failures > 0 {
        state.net.failures = 0;
        session_flash(state, "Connection restored");
    } else if state
        .ui
        .message
        .as_ref()
        .is_some_and(|m| m.route.is_none() && m.level == crate::app::state::Level::Error)
    {
        // A session-wide error (server unreachable) is over once a reply arrives.
        state.ui.message = None;
    }
    let mut effects = Vec::new();
    match &payload {
        Payload::AuthConfig(cfg) => {
            if let Some(login) = state.session.login.as_mut()
                && !login.mode_chosen
            {
                login.mode = if cfg.local_enabled {
                    crate::app::state::LoginMode::Password
                } else {
                    crate::app::state::LoginMode::Token
                };
            }
        }
        Payload::Me(me) => {
            state.session.last_login = None;
            let me_id = me.user_id().cloned();
            let first = state.cache.me().is_none();
            state.cache.succeed(request, payload, at);
            if first {
                restore_view(state, me_id.as_ref());
                // Now we know who we are, the visible view can load.
                effects.extend(fetch_missing(state));
            }
            return effects;
        }
        Payload::Workspaces(list) => {
            let gone = workspace_gone(state, list);
            state.cache.succeed(request, payload, at);
            refresh_tables(state);
            if let Some(id) = gone {
                return workspace_vanished(state, &id);
            }
            // Capabilities arrived: the view may now ask for more (e.g. invites).
            return fetch_missing(state);
        }
        Payload::Logs(_) => {
            let Payload::Logs(lines) = payload else {
                return effects;
            };
            // Lines go to the log view's buffer, not the cache.
            return super::logs::on_lines(state, request, lines);
        }
        Payload::Deployment(d) => {
            let id = d.id.clone();
            let first = state.cache.deployment(&id).is_none();
            state.cache.succeed(request, payload, at);
            refresh_tables(state);
            if first {
                effects.extend(fetch_missing(state));
            }
            effects.extend(freshness::on_full_deployment(state, &id));
            super::describe::on_full_deployment(state, &id);
            super::menu::on_full_deployment(state, &id);
            return effects;
        }
        Payload::Deployments(list) => freshness::on_rows(state, &request, list, at),
        Payload::Statuses(list) => {
            effects.extend(freshness::on_statuses(state, request, list, at));
            refresh_tables(state);
            return effects;
        }
        _ => {}
    }
    state.cache.succeed(request, payload, at);
    refresh_tables(state);
    effects
}

/// Bring the current screen's table view up to date (after its data changed).
pub fn refresh_tables(state: &mut AppState) {
    if let Some(table) = state.current_table() {
        refresh_table(state, &table);
    }
}

pub fn refresh_table(state: &mut AppState, table: &TableId) {
    let generation = state.table_generation(table);
    let rows = crate::app::tables::rows(&state.cache, table);
    state
        .ui
        .tables
        .entry(table.clone())
        .or_default()
        .refresh(rows.as_ref(), generation);
}

/// The workspace on screen that a fresh workspace list no longer holds.
fn workspace_gone(state: &AppState, list: &[Workspace]) -> Option<WorkspaceId> {
    state.nav.routes.iter().find_map(|r| match r {
        Route::Workspace { id, .. } if !list.iter().any(|w| &w.id == id) => Some(id.clone()),
        _ => None,
    })
}

fn workspace_vanished(state: &mut AppState, id: &WorkspaceId) -> Vec<Effect> {
    let name = state
        .cache
        .workspace(id)
        .map_or_else(|| id.to_string(), |w| w.label.clone());
    state.cache.forget_where(|r| r.workspace() == Some(id));
    state.nav.routes.truncate(1);
    error(
        state,
        format!("Workspace {name} is gone: it was deleted, or you no longer have access to it"),
    );
    refresh_visible(state, true)
}

/// Houston answered that the thing asked about does not exist (any more).
fn vanished(state: &mut AppState, request: &Request, text: &str) -> Vec<Effect> {
    let Some(id) = request.deployment().cloned() else {
        error_here(state, request, text.to_string());
        return vec![];
    };
    let name = state
        .cache
        .deployment(&id)
        .map_or_else(|| id.to_string(), |d| d.label.clone());
    state.cache.forget_where(|r| r.deployment() == Some(&id));
    state.cache.forget_reached(&id);
    // Also out of every list (the rest of each list stays: the all-deployments view may be
    // made of hundreds of them), so it does not show until they refresh.
    state.cache.edit_where(
        |r| matches!(r, Request::Deployments(_) | Request::AllDeployments),
        |payload| match payload {
            Payload::Deployments(list) => {
                let before = list.len();
                list.retain(|d| d.id != id);
                list.len() != before
            }
            _ => false,
        },
    );
    if let Some(pos) = state
        .nav
        .routes
        .iter()
        .position(|r| matches!(r, Route::Deployment { id: d, .. } if *d == id))
    {
        state.nav.routes.truncate(pos.max(1));
        error(
            state,
            format!("Deployment {name} no longer exists: it was deleted"),
        );
        return refresh_visible(state, true);
    }
    vec![]
}

/// Houston no longer accepts the token: say so and show the login screen, remembering where
/// the user was so the same user returns there.
pub fn session_ended(state: &mut AppState, text: &str) -> Vec<Effect> {
    let reason = if state.cache.me().is_some() {
        format!("Your session ended: Houston no longer accepts the token ({text}). Log in again.")
    } else {
        format!("Houston did not accept the token: {text}")
    };
    to_login(state, Some(reason))
}

/// Drop everything tied to the old token and show the login screen.
pub fn to_login(state: &mut AppState, reason: Option<String>) -> Vec<Effect> {
    let mut effects: Vec<Effect> = std::mem::take(&mut state.net.in_flight)
        .into_iter()
        .map(Effect::Cancel)
        .collect();
    state.net.latest_seq.clear();
    // A token refused at once: the login screen comes back as the user left it, with the error.
    let mut login = match state.session.last_login.take() {
        Some(mut previous) if state.cache.me().is_none() => {
            previous.form_mut().error = reason;
            previous.submitting = false;
            previous
        }
        _ => LoginState::new(reason),
    };
    if let Some(me) = state.me() {
        login.return_to = Some((me.user_id().cloned(), state.nav.routes.clone()));
    }
    state.session.login = Some(login);
    state.ui.modals.clear();
    state.ui.filter_input = None;
    state.ui.message = None;
    state.ui.deploy_search = None;
    state.net.failures = 0;
    state.cache.forget(&Request::Me);
    effects.extend(refresh_visible(state, true));
    effects
}

/// After a new login: the same user goes back to the view they were on.
fn restore_view(state: &mut AppState, me: Option<&UserId>) {
    if let Some((previous, routes)) = state.session.return_to.take()
        && previous.as_ref() == me
        && me.is_some()
    {
        state.nav.routes = routes;
    }
}
