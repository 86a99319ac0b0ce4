//! Where a reply goes: the one place a `Msg::Api` is routed. Latest wins; a success goes into
//! the cache (and to the features that wait for it: the log view, describe, the copy menu,
//! freshness), a failure is classified (the session ended, permission denied, vanished,
//! unsupported, transient); then the re-read an edit or a timed-out change waits for, the queue
//! of workspace lists and a `:deploy NAME` search get their turn. Each feature answers with
//! effects; fetching is `refresh`'s, leaving for the login screen `session`'s.

use chrono::Duration as ChronoDuration;

use super::messages::{error, session_error, session_flash};
use super::session::{restore_view, session_ended, to_login};
use super::sort::reapply_current_table;
use super::{
    all_deployments, deploy_search, describe, freshness, full_deployment, logs, menu, recheck,
    timeouts,
};
use crate::app::effect::{Effect, Schedule};
use crate::app::freshness::backoff_secs;
use crate::app::state::{AppState, Route};
use crate::houston::ApiError;
use crate::houston::model::*;
use crate::houston::request::{Payload, Request};

/// A reply to `request` (sent as number `seq`), and what follows from it.
pub(crate) fn on_reply(
    state: &mut AppState,
    request: Request,
    seq: u64,
    at: Timestamp,
    result: Result<Payload, ApiError>,
) -> Vec<Effect> {
    // A re-read an edit waits for (before anything is sent): noted before it is applied.
    let recheck_reply = recheck::answers(state, &request, seq).then(|| {
        (
            request.clone(),
            result.as_ref().err().map(|e| e.to_string()),
        )
    });
    let fresh = result.is_ok() && state.net.latest_seq.get(&request) == Some(&seq);
    let timed_out = request.clone();
    let mut effects = on_api(state, request, seq, at, result);
    // A Runtime upgrade asked for opens once the releases it offers are here (or says why not).
    if matches!(timed_out, Request::RuntimeReleases(_))
        && state.net.latest_seq.get(&timed_out) == Some(&seq)
    {
        let failure = state
            .cache
            .remote(&timed_out)
            .and_then(|r| r.error())
            .map(ToString::to_string);
        effects.extend(full_deployment::on_runtime_releases(
            state,
            &timed_out,
            failure.as_deref(),
        ));
    }
    // A create form offers the namespaces of its cluster once they (and its switches) are here.
    if fresh
        && matches!(
            timed_out,
            Request::AvailableNamespaces(_) | Request::PlatformFlags(_)
        )
    {
        super::dialogs::refresh_placement(state);
    }
    // A change that timed out may be waiting for this data to be checked.
    effects.extend(timeouts::on_reread(state, &timed_out, fresh));
    // A slot may have freed up for a queued workspace list.
    effects.extend(freshness::pump(state));
    // New deployment rows: the fleet view on screen reads their Airflows.
    if fresh {
        effects.extend(super::fleet::pump(state));
    }
    if let Some((request, failure)) = recheck_reply {
        effects.extend(recheck::on_reply(state, &request, seq, failure));
    }
    effects.extend(deploy_search::on_reply(state));
    effects
}

fn token_expired(state: &AppState, at: Timestamp) -> bool {
    state.session.token_expires_at.is_some_and(|exp| exp <= at)
}

fn on_api(
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
    if let Some(effects) = all_deployments::on_refused(state, &request, &error, at) {
        return effects;
    }
    full_deployment::on_failed(state, &request);
    describe::on_fetch_failed(state, &request, &error);
    menu::on_fetch_failed(state, &request);
    state.cache.fail(&request, error.clone(), at);
    logs::on_lines_failed(state, &request, &error);
    match error {
        ApiError::Forbidden(text) if request == Request::Me || token_expired(state, at) => {
            session_ended(state, &text)
        }
        ApiError::Forbidden(text) => {
            error_here(state, &request, format!("Permission denied: {text}"));
            // The token may have died (server restarted, token revoked): ask who we are.
            let mut effects = vec![Schedule::ensure(Request::Me)];
            if request.workspace().is_some()
                && let Some(ws) = state.cache.workspaces_request()
            {
                // …or the workspace may be gone.
                effects.push(Schedule::ensure(ws));
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
            let system_admin = me.is_system_admin;
            let first = state.cache.me().is_none();
            state.cache.succeed(request, payload, at);
            if first {
                restore_view(state, me_id.as_ref());
                // Now we know who we are, the visible view can load.
                effects.push(Schedule::missing());
            } else if !system_admin {
                effects.extend(left_admin_panel(state));
            }
            return effects;
        }
        Payload::Workspaces(list) => {
            let gone = workspace_gone(state, list);
            state.cache.succeed(request, payload, at);
            reapply_current_table(state);
            if let Some(id) = gone {
                return workspace_vanished(state, &id);
            }
            // Capabilities arrived: the view may now ask for more (e.g. invites).
            return vec![Schedule::missing()];
        }
        Payload::Logs(_) => {
            let Payload::Logs(lines) = payload else {
                return effects;
            };
            // Lines go to the log view's buffer, not the cache.
            return logs::on_lines(state, request, lines);
        }
        Payload::Deployment(d) => {
            let id = d.id.clone();
            let first = state.cache.deployment(&id).is_none();
            state.cache.succeed(request, payload, at);
            reapply_current_table(state);
            if first {
                effects.push(Schedule::missing());
            }
            effects.extend(full_deployment::on_full_deployment(state, &id));
            describe::on_full_deployment(state, &id);
            menu::on_full_deployment(state, &id);
            return effects;
        }
        Payload::Deployments(list) => freshness::on_rows(state, &request, list, at),
        Payload::Statuses(list) => {
            effects.extend(freshness::on_statuses(state, request, list, at));
            reapply_current_table(state);
            return effects;
        }
        _ => {}
    }
    let cluster = match &request {
        Request::Cluster(id) => Some(id.clone()),
        _ => None,
    };
    state.cache.succeed(request, payload, at);
    reapply_current_table(state);
    if let Some(id) = cluster {
        describe::on_cluster(state, &id);
    }
    effects
}

/// The system role was revoked (by another admin) while the System Admin panel is open: leave
/// it, with whatever was open over it, and say why, rather than show its refusals.
fn left_admin_panel(state: &mut AppState) -> Vec<Effect> {
    let in_panel = |r: &Route| matches!(r, Route::Admin { .. });
    if !state.nav.routes.iter().any(in_panel) {
        return vec![];
    }
    if state.nav.routes.last().is_some_and(in_panel) {
        state.ui.modals.clear();
    }
    state.nav.routes.retain(|r| !in_panel(r));
    error(
        state,
        "You are no longer a system admin: the System Admin panel was closed",
    );
    vec![Schedule::visible(true)]
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
    vec![Schedule::visible(true)]
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
        return vec![Schedule::visible(true)];
    }
    vec![]
}
