//! The pure reducer: `update(state, msg) -> effects`. No I/O and no clock reads — time arrives in
//! messages — so every flow is testable without a terminal or a network.

use chrono::Duration as ChronoDuration;
use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::effect::Effect;
use super::keymap::{Action, KeyContext, resolve};
use super::msg::{Msg, Payload, Request, RequestKey, Secret, UrlKind};
use super::remote::Remote;
use super::state::*;
use crate::houston::ApiError;
use crate::houston::model::{DeploymentId, Executor as AirflowExecutor, Timestamp, WorkspaceId};
use crate::platform::{CopyOutcome, OpenOutcome};

/// The longest wait between retries while the server is unreachable.
pub const MAX_BACKOFF_SECS: i64 = 30;

/// Seconds to wait after `failures` consecutive failures: 2, 4, 8, 16, 30, 30…
pub fn backoff_secs(failures: u32) -> i64 {
    if failures == 0 {
        return 0;
    }
    2i64.saturating_pow(failures.min(16)).min(MAX_BACKOFF_SECS)
}

/// The first effects after start: log in or fetch who we are.
pub fn init(state: &mut AppState) -> Vec<Effect> {
    refresh_visible(state, false)
}

pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Tick(now) => on_tick(state, now),
        Msg::Resize(_, h) => {
            // Header, crumbs, tabs, block borders, table header, message and hint lines.
            state.page_rows = usize::from(h.saturating_sub(9)).max(1);
            vec![]
        }
        Msg::Key(key) => on_key(state, key),
        Msg::Paste(text) => {
            on_paste(state, &text);
            vec![]
        }
        Msg::Api {
            key,
            seq,
            at,
            result,
        } => on_api(state, key, seq, at, result),
        Msg::LoginResult { at: _, result } => on_login_result(state, result),
        Msg::OpenResult { url, what, outcome } => on_open_result(state, url, what, outcome),
        Msg::CopyResult {
            text,
            label,
            outcome,
        } => {
            on_copy_result(state, &text, &label, outcome);
            vec![]
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Requests and refresh

fn remote_start_loading(state: &mut AppState, key: &RequestKey) {
    match key {
        RequestKey::AuthConfig => {
            if let Some(l) = state.login.as_mut() {
                l.auth_config.start_loading()
            }
        }
        RequestKey::Me => state.me.start_loading(),
        RequestKey::Workspaces => state.workspaces.start_loading(),
        RequestKey::Deployments(id) => state
            .deployments
            .entry(id.clone())
            .or_default()
            .start_loading(),
        RequestKey::WorkspaceUsers(id) => state
            .workspace_users
            .entry(id.clone())
            .or_default()
            .start_loading(),
        RequestKey::WorkspaceInvites(id) => state
            .workspace_invites
            .entry(id.clone())
            .or_default()
            .start_loading(),
        RequestKey::WorkspaceServiceAccounts(id) => state
            .workspace_service_accounts
            .entry(id.clone())
            .or_default()
            .start_loading(),
        RequestKey::Deployment(id) => state
            .deployment
            .entry(id.clone())
            .or_default()
            .start_loading(),
        RequestKey::DeploymentVariables(id) => state
            .deployment_variables
            .entry(id.clone())
            .or_default()
            .start_loading(),
        RequestKey::DeploymentServiceAccounts(id) => state
            .deployment_service_accounts
            .entry(id.clone())
            .or_default()
            .start_loading(),
        RequestKey::DeploymentUsers(id) => state
            .deployment_users
            .entry(id.clone())
            .or_default()
            .start_loading(),
    }
}

fn remote_fail(state: &mut AppState, key: &RequestKey, error: ApiError, at: Timestamp) {
    fn fail<T>(r: Option<&mut Remote<T>>, error: ApiError, at: Timestamp) {
        if let Some(r) = r {
            r.fail(error, at)
        }
    }
    match key {
        RequestKey::AuthConfig => fail(state.login.as_mut().map(|l| &mut l.auth_config), error, at),
        RequestKey::Me => state.me.fail(error, at),
        RequestKey::Workspaces => state.workspaces.fail(error, at),
        RequestKey::Deployments(id) => fail(state.deployments.get_mut(id), error, at),
        RequestKey::WorkspaceUsers(id) => fail(state.workspace_users.get_mut(id), error, at),
        RequestKey::WorkspaceInvites(id) => fail(state.workspace_invites.get_mut(id), error, at),
        RequestKey::WorkspaceServiceAccounts(id) => {
            fail(state.workspace_service_accounts.get_mut(id), error, at)
        }
        RequestKey::Deployment(id) => fail(state.deployment.get_mut(id), error, at),
        RequestKey::DeploymentVariables(id) => {
            fail(state.deployment_variables.get_mut(id), error, at)
        }
        RequestKey::DeploymentServiceAccounts(id) => {
            fail(state.deployment_service_accounts.get_mut(id), error, at)
        }
        RequestKey::DeploymentUsers(id) => fail(state.deployment_users.get_mut(id), error, at),
    }
}

fn fetch(state: &mut AppState, request: Request) -> Effect {
    state.next_seq += 1;
    let seq = state.next_seq;
    let key = request.key();
    state.latest_seq.insert(key.clone(), seq);
    state.in_flight.insert(key.clone());
    remote_start_loading(state, &key);
    Effect::Fetch { seq, request }
}

/// Stop requests the visible view no longer needs, then request what it needs (all of it when
/// `force`, else only what is not already on its way) and schedule the next refresh.
fn refresh_visible(state: &mut AppState, force: bool) -> Vec<Effect> {
    let wanted = state.visible_requests();
    let wanted_keys: Vec<RequestKey> = wanted.iter().map(Request::key).collect();
    let mut effects = Vec::new();
    let stale: Vec<RequestKey> = state
        .in_flight
        .iter()
        .filter(|k| !wanted_keys.contains(k))
        .cloned()
        .collect();
    for key in stale {
        state.in_flight.remove(&key);
        // A late reply for a cancelled request must not be applied.
        state.latest_seq.remove(&key);
        effects.push(Effect::Cancel(key));
    }
    for request in wanted {
        if force || !state.in_flight.contains(&request.key()) {
            effects.push(fetch(state, request));
        }
    }
    if effects.iter().any(|e| matches!(e, Effect::Fetch { .. })) {
        state.round_failed = false;
    }
    schedule_refresh(state);
    effects
}

fn schedule_refresh(state: &mut AppState) {
    // A zero interval would refresh on every tick; one second is the floor.
    let every = ChronoDuration::from_std(state.refresh)
        .unwrap_or(ChronoDuration::seconds(5))
        .max(ChronoDuration::seconds(1));
    state.next_refresh_at = Some(state.now + every);
}

fn on_tick(state: &mut AppState, now: Timestamp) -> Vec<Effect> {
    state.now = now;
    if let Some(m) = &state.message
        && m.level == Level::Info
        && now - m.at >= ChronoDuration::seconds(FLASH_SECONDS)
    {
        state.message = None;
    }
    match state.next_refresh_at {
        Some(due) if now >= due => refresh_visible(state, false),
        _ => vec![],
    }
}

fn token_expired(state: &AppState, at: Timestamp) -> bool {
    state.token_expires_at.is_some_and(|exp| exp <= at)
}

fn on_api(
    state: &mut AppState,
    key: RequestKey,
    seq: u64,
    at: Timestamp,
    result: Result<Payload, ApiError>,
) -> Vec<Effect> {
    // Latest wins: a reply to a superseded or cancelled request is dropped.
    if state.latest_seq.get(&key) != Some(&seq) {
        return vec![];
    }
    state.in_flight.remove(&key);
    match result {
        Ok(payload) => on_payload(state, &key, payload, at),
        Err(ApiError::Forbidden(text)) if key == RequestKey::Me || token_expired(state, at) => {
            to_login(state, Some(format!("Please log in again: {text}")))
        }
        Err(error) => {
            let is_permission = matches!(error, ApiError::Forbidden(_));
            let text = if is_permission {
                format!("Permission denied: {error}")
            } else {
                error.to_string()
            };
            remote_fail(state, &key, error, at);
            set_message(state, Level::Error, text, at);
            if !is_permission && !state.round_failed {
                // The server is struggling or gone: back off before asking again.
                state.round_failed = true;
                state.failures = state.failures.saturating_add(1);
                state.next_refresh_at =
                    Some(at + ChronoDuration::seconds(backoff_secs(state.failures)));
            }
            vec![]
        }
    }
}

fn on_payload(
    state: &mut AppState,
    key: &RequestKey,
    payload: Payload,
    at: Timestamp,
) -> Vec<Effect> {
    let recovered = state.failures > 0;
    state.failures = 0;
    if state
        .message
        .as_ref()
        .is_some_and(|m| m.level == Level::Error)
    {
        state.message = None;
    }
    if recovered {
        set_message(state, Level::Info, "Connection restored".into(), at);
    }
    // The id the request was about (workspace or deployment).
    let id = key_id(key);
    match payload {
        Payload::AuthConfig(cfg) => {
            if let Some(login) = state.login.as_mut() {
                if !login.mode_chosen {
                    login.mode = if cfg.local_enabled {
                        LoginMode::Password
                    } else {
                        LoginMode::Token
                    };
                }
                login.auth_config.succeed(cfg, at);
            }
            vec![]
        }
        Payload::Me(me) => {
            state.me.succeed(me, at);
            // Now we know who we are, the visible view can load.
            refresh_visible(state, false)
        }
        Payload::Workspaces(list) => {
            state.workspaces.succeed(list, at);
            clamp_selection(state, &TableId::Workspaces);
            vec![]
        }
        Payload::Deployments(list) => {
            if let Some(id) = &id {
                state
                    .deployments
                    .entry(WorkspaceId(id.clone()))
                    .or_default()
                    .succeed(list, at);
                clamp_selection(state, &TableId::Deployments(WorkspaceId(id.clone())));
            }
            vec![]
        }
        Payload::WorkspaceUsers(mut list) => {
            // Servers return members in no particular order; keep the table stable.
            crate::houston::model::sort_workspace_users(&mut list);
            if let Some(id) = &id {
                state
                    .workspace_users
                    .entry(WorkspaceId(id.clone()))
                    .or_default()
                    .succeed(list, at);
                clamp_selection(state, &TableId::WorkspaceUsers(WorkspaceId(id.clone())));
            }
            vec![]
        }
        Payload::WorkspaceInvites(list) => {
            if let Some(id) = &id {
                state
                    .workspace_invites
                    .entry(WorkspaceId(id.clone()))
                    .or_default()
                    .succeed(list, at);
            }
            vec![]
        }
        Payload::ServiceAccounts(list) => {
            match (key, &id) {
                (RequestKey::WorkspaceServiceAccounts(_), Some(id)) => {
                    state
                        .workspace_service_accounts
                        .entry(WorkspaceId(id.clone()))
                        .or_default()
                        .succeed(list, at);
                    clamp_selection(
                        state,
                        &TableId::WorkspaceServiceAccounts(WorkspaceId(id.clone())),
                    );
                }
                (RequestKey::DeploymentServiceAccounts(_), Some(id)) => {
                    state
                        .deployment_service_accounts
                        .entry(DeploymentId(id.clone()))
                        .or_default()
                        .succeed(list, at);
                    clamp_selection(
                        state,
                        &TableId::DeploymentServiceAccounts(DeploymentId(id.clone())),
                    );
                }
                _ => {}
            }
            vec![]
        }
        Payload::Deployment(d) => {
            let id = d.id.clone();
            let had_release = state.find_deployment(&id).is_some();
            state.deployment.entry(id).or_default().succeed(*d, at);
            // The variables tab needs the release name, which may only be known now.
            if had_release {
                vec![]
            } else {
                refresh_visible(state, false)
            }
        }
        Payload::DeploymentVariables(list) => {
            if let Some(id) = &id {
                state
                    .deployment_variables
                    .entry(DeploymentId(id.clone()))
                    .or_default()
                    .succeed(list, at);
                clamp_selection(
                    state,
                    &TableId::DeploymentVariables(DeploymentId(id.clone())),
                );
            }
            vec![]
        }
        Payload::DeploymentUsers(list) => {
            if let Some(id) = &id {
                state
                    .deployment_users
                    .entry(DeploymentId(id.clone()))
                    .or_default()
                    .succeed(list, at);
                clamp_selection(state, &TableId::DeploymentUsers(DeploymentId(id.clone())));
            }
            vec![]
        }
    }
}

fn key_id(key: &RequestKey) -> Option<String> {
    match key {
        RequestKey::AuthConfig | RequestKey::Me | RequestKey::Workspaces => None,
        RequestKey::Deployments(id)
        | RequestKey::WorkspaceUsers(id)
        | RequestKey::WorkspaceInvites(id)
        | RequestKey::WorkspaceServiceAccounts(id) => Some(id.to_string()),
        RequestKey::Deployment(id)
        | RequestKey::DeploymentVariables(id)
        | RequestKey::DeploymentServiceAccounts(id)
        | RequestKey::DeploymentUsers(id) => Some(id.to_string()),
    }
}

/// Drop everything tied to the old token and show the login screen.
fn to_login(state: &mut AppState, reason: Option<String>) -> Vec<Effect> {
    let mut effects: Vec<Effect> = std::mem::take(&mut state.in_flight)
        .into_iter()
        .map(Effect::Cancel)
        .collect();
    state.latest_seq.clear();
    state.login = Some(LoginState::new(reason));
    state.overlay = None;
    state.filter_input = None;
    state.message = None;
    state.failures = 0;
    state.me = Remote::NotLoaded;
    effects.extend(refresh_visible(state, true));
    effects
}

fn on_login_result(state: &mut AppState, result: Result<Secret, ApiError>) -> Vec<Effect> {
    let Some(login) = state.login.as_mut() else {
        return vec![];
    };
    login.submitting = false;
    match result {
        Ok(token) => accept_token(state, token),
        Err(e) => {
            // Keep what was typed; show the server's words.
            login.error = Some(match e {
                ApiError::Forbidden(m) | ApiError::GraphQl { message: m, .. } => m,
                other => other.to_string(),
            });
            vec![]
        }
    }
}

fn accept_token(state: &mut AppState, token: Secret) -> Vec<Effect> {
    state.token_expires_at = crate::houston::jwt::expires_at(&token.0);
    state.login = None;
    // A new identity: nothing fetched with the old token may show under it.
    state.reset_remote_data();
    let mut effects = vec![Effect::UseToken(token)];
    effects.extend(refresh_visible(state, true));
    effects
}

// ---------------------------------------------------------------------------------------------
// Messages

fn set_message(state: &mut AppState, level: Level, text: String, at: Timestamp) {
    state.message = Some(Message { text, level, at });
}

fn flash(state: &mut AppState, text: impl Into<String>) {
    let now = state.now;
    set_message(state, Level::Info, text.into(), now);
}

fn error(state: &mut AppState, text: impl Into<String>) {
    let now = state.now;
    set_message(state, Level::Error, text.into(), now);
}

// ---------------------------------------------------------------------------------------------
// Keys

fn on_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let ctx = state.key_context();
    let action = resolve(ctx, &key);
    match ctx {
        KeyContext::Login => on_login_key(state, key, action),
        KeyContext::Help | KeyContext::UrlPopup => match action {
            Some(Action::Close) => {
                state.overlay = None;
                vec![]
            }
            Some(Action::Quit) => quit(state),
            _ => vec![],
        },
        KeyContext::Filter => on_filter_key(state, key, action),
        KeyContext::Account
        | KeyContext::WorkspaceDeployments
        | KeyContext::Workspace
        | KeyContext::Deployment => match action {
            Some(action) => on_action(state, action, key),
            None => vec![],
        },
    }
}

fn quit(state: &mut AppState) -> Vec<Effect> {
    state.quit = true;
    vec![Effect::Quit]
}

fn on_action(state: &mut AppState, action: Action, key: KeyEvent) -> Vec<Effect> {
    match action {
        Action::Up => move_selection(state, |sel, _, _| sel.saturating_sub(1)),
        Action::Down => move_selection(state, |sel, _, _| sel.saturating_add(1)),
        Action::Top => move_selection(state, |_, _, _| 0),
        Action::Bottom => move_selection(state, |_, len, _| len.saturating_sub(1)),
        Action::PageUp => move_selection(state, |sel, _, page| sel.saturating_sub(page)),
        Action::PageDown => move_selection(state, |sel, _, page| sel.saturating_add(page)),
        Action::Open => open_selected(state),
        Action::Back => back(state),
        Action::NextTab => switch_tab(state, |i, n| (i + 1) % n),
        Action::PrevTab => switch_tab(state, |i, n| (i + n - 1) % n),
        Action::TabByNumber => match key.code {
            KeyCode::Char(c) => match c.to_digit(10) {
                Some(d) if d >= 1 => switch_tab(state, |i, n| {
                    let want = d as usize - 1;
                    if want < n { want } else { i }
                }),
                _ => vec![],
            },
            _ => vec![],
        },
        Action::Help => {
            state.overlay = Some(Overlay::Help);
            vec![]
        }
        Action::Filter => {
            if let Some(table) = state.current_table() {
                let current = state.filter_of(&table).to_string();
                state.filter_input = Some(Input::new(current));
            }
            vec![]
        }
        Action::OpenAirflow => open_link(state, UrlKind::Airflow),
        Action::OpenFlower => open_link(state, UrlKind::Flower),
        Action::Copy => copy_selected(state),
        Action::Refresh => {
            flash(state, "Refreshing…");
            refresh_visible(state, true)
        }
        Action::Quit => quit(state),
        Action::SwitchField
        | Action::Submit
        | Action::ToggleLoginMode
        | Action::ClearFilter
        | Action::KeepFilter
        | Action::Close => vec![],
    }
}

/// Re-filter `table` after its filter or its data changed (the frame then reads the cache).
fn refilter(state: &mut AppState, table: &TableId) {
    if state.filter_of(table).is_empty() {
        state.filter_cache.remove(table);
    } else {
        let cache = state.fresh_filter_cache(table);
        state.filter_cache.insert(table.clone(), cache);
    }
}

fn clamp_selection(state: &mut AppState, table: &TableId) {
    refilter(state, table);
    let len = state.visible_rows(table).len();
    if let Some(t) = state.tables.get_mut(table) {
        t.selected = t.selected.min(len.saturating_sub(1));
    }
}

fn move_selection(state: &mut AppState, f: impl Fn(usize, usize, usize) -> usize) -> Vec<Effect> {
    let Some(table) = state.current_table() else {
        return vec![];
    };
    let len = state.visible_rows(&table).len();
    let page = state.page_rows.max(1);
    let t = state.tables.entry(table).or_default();
    let current = t.selected.min(len.saturating_sub(1));
    t.selected = f(current, len, page).min(len.saturating_sub(1));
    vec![]
}

fn open_selected(state: &mut AppState) -> Vec<Effect> {
    let next = match state.route().clone() {
        Route::Account => {
            let Some(idx) = state.selected_index(&TableId::Workspaces) else {
                return vec![];
            };
            let Some(ws) = state.workspaces.data().and_then(|l| l.get(idx)) else {
                return vec![];
            };
            Route::Workspace {
                id: ws.id.clone(),
                tab: WorkspaceTab::Deployments,
            }
        }
        Route::Workspace {
            tab: WorkspaceTab::Deployments,
            ..
        } => match state.target_deployment() {
            Some(d) => Route::Deployment {
                id: d.id.clone(),
                tab: DeploymentTab::Overview,
            },
            None => return vec![],
        },
        _ => return vec![],
    };
    state.routes.push(next);
    refresh_visible(state, true)
}

fn back(state: &mut AppState) -> Vec<Effect> {
    if state
        .message
        .as_ref()
        .is_some_and(|m| m.level == Level::Error)
    {
        state.message = None;
        return vec![];
    }
    if let Some(table) = state.current_table()
        && !state.filter_of(&table).is_empty()
    {
        if let Some(t) = state.tables.get_mut(&table) {
            t.filter.clear();
        }
        refilter(state, &table);
        return vec![];
    }
    if state.routes.len() <= 1 {
        return vec![];
    }
    state.routes.pop();
    refresh_visible(state, true)
}

fn switch_tab(state: &mut AppState, f: impl Fn(usize, usize) -> usize) -> Vec<Effect> {
    let changed = match state.routes.last_mut() {
        Some(Route::Workspace { tab, .. }) => {
            let all = WorkspaceTab::ALL;
            let i = all.iter().position(|t| t == tab).unwrap_or(0);
            let next = all[f(i, all.len()) % all.len()];
            std::mem::replace(tab, next) != next
        }
        Some(Route::Deployment { tab, .. }) => {
            let all = DeploymentTab::ALL;
            let i = all.iter().position(|t| t == tab).unwrap_or(0);
            let next = all[f(i, all.len()) % all.len()];
            std::mem::replace(tab, next) != next
        }
        _ => false,
    };
    if changed {
        refresh_visible(state, true)
    } else {
        vec![]
    }
}

fn open_link(state: &mut AppState, what: UrlKind) -> Vec<Effect> {
    let Some(d) = state.target_deployment() else {
        flash(state, "Select a deployment first");
        return vec![];
    };
    if what == UrlKind::Flower && d.executor != AirflowExecutor::Celery {
        flash(state, "Flower is only available for the Celery executor");
        return vec![];
    }
    let Some(url) = d.url(what.kind()).map(str::to_string) else {
        let text = format!("{} has no {} URL", d.label, what.label());
        error(state, text);
        return vec![];
    };
    flash(state, format!("Opening {}…", what.label()));
    vec![Effect::OpenUrl { url, what }]
}

fn on_open_result(
    state: &mut AppState,
    url: String,
    what: UrlKind,
    outcome: OpenOutcome,
) -> Vec<Effect> {
    match outcome {
        OpenOutcome::Opened => {
            flash(state, format!("Opened {} in your browser", what.label()));
            vec![]
        }
        OpenOutcome::ShowUrl { reason } => {
            state.message = None;
            state.overlay = Some(Overlay::Url(UrlPopup {
                url: url.clone(),
                what,
                reason,
                copy: CopyStatus::Pending,
            }));
            vec![Effect::Copy {
                text: url,
                label: format!("{} URL", what.label()),
            }]
        }
    }
}

/// What `y` copies on the current screen, with a description for the flash.
fn copy_target(state: &AppState) -> Option<(String, &'static str)> {
    let table = state.current_table();
    match (state.route(), table) {
        (Route::Deployment { id, .. }, None) => {
            let d = state.find_deployment(id)?;
            Some(match d.url("airflow") {
                Some(u) => (u.to_string(), "Airflow URL"),
                None => (d.release_name.clone(), "release name"),
            })
        }
        (_, Some(table)) => {
            let idx = state.selected_index(&table)?;
            match &table {
                TableId::Workspaces => Some((
                    state.workspaces.data()?.get(idx)?.id.to_string(),
                    "workspace id",
                )),
                TableId::Deployments(ws) => {
                    let d = state.deployments.get(ws)?.data()?.get(idx)?;
                    Some((d.release_name.clone(), "release name"))
                }
                TableId::WorkspaceUsers(ws) => {
                    let u = state.workspace_users.get(ws)?.data()?.get(idx)?;
                    Some(match &u.email {
                        Some(e) => (e.clone(), "e-mail"),
                        None => (u.id.to_string(), "user id"),
                    })
                }
                TableId::WorkspaceServiceAccounts(ws) => {
                    let sa = state.workspace_service_accounts.get(ws)?.data()?.get(idx)?;
                    Some((sa.id.to_string(), "service account id"))
                }
                TableId::DeploymentServiceAccounts(d) => {
                    let sa = state.deployment_service_accounts.get(d)?.data()?.get(idx)?;
                    Some((sa.id.to_string(), "service account id"))
                }
                TableId::DeploymentVariables(d) => {
                    let v = state.deployment_variables.get(d)?.data()?.get(idx)?;
                    Some((v.key.clone(), "variable name"))
                }
                TableId::DeploymentUsers(d) => {
                    let u = state.deployment_users.get(d)?.data()?.get(idx)?;
                    Some(match &u.email {
                        Some(e) => (e.clone(), "e-mail"),
                        None => (u.id.to_string(), "user id"),
                    })
                }
            }
        }
        (Route::Workspace { id, .. }, None) => Some((id.to_string(), "workspace id")),
        _ => None,
    }
}

fn copy_selected(state: &mut AppState) -> Vec<Effect> {
    match copy_target(state) {
        // The message line says what happened once the event loop reports back.
        Some((text, what)) => vec![Effect::Copy {
            text,
            label: what.to_string(),
        }],
        None => {
            flash(state, "Nothing to copy here");
            vec![]
        }
    }
}

/// Tell the truth about a copy: in the URL popup it was made for, else on the message line.
fn on_copy_result(state: &mut AppState, text: &str, label: &str, outcome: CopyOutcome) {
    if let Some(Overlay::Url(popup)) = state.overlay.as_mut()
        && popup.url == text
    {
        popup.copy = match outcome {
            CopyOutcome::Copied => CopyStatus::Copied,
            CopyOutcome::TooLong => CopyStatus::TooLong,
            CopyOutcome::Failed(_) => CopyStatus::Failed,
        };
        return;
    }
    match outcome {
        CopyOutcome::Copied => flash(
            state,
            format!("Copied {label} {text} to the clipboard (OSC 52)"),
        ),
        CopyOutcome::TooLong => error(
            state,
            format!(
                "The {label} is too long to copy through the terminal ({} bytes)",
                text.len()
            ),
        ),
        CopyOutcome::Failed(e) => error(state, format!("Could not copy the {label}: {e}")),
    }
}

// ---------------------------------------------------------------------------------------------
// Filter line

fn on_filter_key(state: &mut AppState, key: KeyEvent, action: Option<Action>) -> Vec<Effect> {
    let Some(table) = state.current_table() else {
        state.filter_input = None;
        return vec![];
    };
    match action {
        Some(Action::KeepFilter) => {
            state.filter_input = None;
        }
        Some(Action::Quit) => return quit(state),
        Some(Action::ClearFilter) => {
            state.filter_input = None;
            state
                .tables
                .entry(table.clone())
                .or_default()
                .filter
                .clear();
            refilter(state, &table);
        }
        _ => {
            let Some(input) = state.filter_input.as_mut() else {
                return vec![];
            };
            if let Some(req) = to_input_request(&Event::Key(key)) {
                input.handle(req);
                let value = input.value().to_string();
                let t = state.tables.entry(table.clone()).or_default();
                if t.filter != value {
                    t.filter = value;
                    // The old row index means nothing in the new match set.
                    t.selected = 0;
                    refilter(state, &table);
                }
            }
        }
    }
    vec![]
}

fn on_paste(state: &mut AppState, text: &str) {
    let target = if let Some(login) = state.login.as_mut() {
        Some(focused_input(login))
    } else {
        state.filter_input.as_mut()
    };
    if let Some(input) = target {
        for c in text.chars().filter(|c| !c.is_control()) {
            input.handle(InputRequest::InsertChar(c));
        }
    }
    if state.login.is_none()
        && let (Some(input), Some(table)) = (&state.filter_input, state.current_table())
    {
        let value = input.value().to_string();
        let t = state.tables.entry(table.clone()).or_default();
        t.filter = value;
        t.selected = 0;
        refilter(state, &table);
    }
}

// ---------------------------------------------------------------------------------------------
// Login screen

fn focused_input(login: &mut LoginState) -> &mut Input {
    match (login.mode, login.focus) {
        (LoginMode::Token, _) => &mut login.token,
        (LoginMode::Password, LoginField::Username) => &mut login.username,
        (LoginMode::Password, LoginField::Password) => &mut login.password,
    }
}

fn on_login_key(state: &mut AppState, key: KeyEvent, action: Option<Action>) -> Vec<Effect> {
    let Some(login) = state.login.as_mut() else {
        return vec![];
    };
    match action {
        Some(Action::Quit) => quit(state),
        Some(Action::SwitchField) => {
            login.focus = match login.focus {
                LoginField::Username => LoginField::Password,
                LoginField::Password => LoginField::Username,
            };
            vec![]
        }
        Some(Action::ToggleLoginMode) => {
            login.mode_chosen = true;
            login.error = None;
            login.mode = match login.mode {
                LoginMode::Password => LoginMode::Token,
                LoginMode::Token => LoginMode::Password,
            };
            vec![]
        }
        Some(Action::Submit) => match login.mode {
            LoginMode::Password => {
                if login.submitting {
                    return vec![];
                }
                let username = login.username.value().trim().to_string();
                if username.is_empty() {
                    login.error = Some("Enter your username or e-mail".into());
                    login.focus = LoginField::Username;
                    return vec![];
                }
                if login.focus == LoginField::Username && login.password.value().is_empty() {
                    login.focus = LoginField::Password;
                    return vec![];
                }
                login.error = None;
                login.submitting = true;
                vec![Effect::Login {
                    username,
                    password: Secret(login.password.value().to_string()),
                }]
            }
            LoginMode::Token => {
                let token = login.token.value().trim().to_string();
                if token.is_empty() {
                    login.error = Some("Paste a token first".into());
                    return vec![];
                }
                accept_token(state, Secret(token))
            }
        },
        _ => {
            if let Some(req) = to_input_request(&Event::Key(key)) {
                focused_input(login).handle(req);
            }
            vec![]
        }
    }
}
