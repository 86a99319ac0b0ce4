//! Reads and changes of a deployment's Airflow, the way Houston's go: a read gets a sequence
//! number and latest wins; a success goes into the Airflow cache; a failure is kept beside the
//! last good data and classified — a refusal by the platform (a redirect to its login page, 401,
//! 403) is "permission denied" for that view, never the end of the Houston session; a change is
//! refused in read-only mode and, once done, re-reads what it made stale.

use super::messages::{error, flash};
use super::mutations::refused_read_only;
use super::sort::reapply_current_table;
use crate::airflow::AirflowError;
use crate::app::airflow::{AirflowMutation, AirflowPayload, AirflowRequest, AirflowTarget};
use crate::app::effect::{Effect, Schedule};
use crate::app::modal::Modal;
use crate::app::state::{AppState, DeploymentTab, Route};
use crate::houston::model::{DeploymentId, Executor, Timestamp};

/// Where `deployment`'s Airflow is, from what the cache holds about it.
fn target(state: &AppState, deployment: &DeploymentId) -> Option<AirflowTarget> {
    state
        .cache
        .full_deployment(deployment)
        .or_else(|| state.cache.deployment(deployment))
        .and_then(AirflowTarget::of)
}

/// Send `request` now (superseding one on its way).
pub fn fetch(state: &mut AppState, request: AirflowRequest) -> Vec<Effect> {
    let Some(target) = target(state, request.deployment()) else {
        let failure =
            AirflowError::Setup("Houston gives no Airflow URL for this deployment".into());
        state.cache.airflow.start(&request);
        state.cache.airflow.fail(&request, failure, state.now);
        return vec![];
    };
    fetch_at(state, request, target)
}

/// Send `request` to `target`, the deployment's Airflow as the caller already found it.
pub(crate) fn fetch_at(
    state: &mut AppState,
    request: AirflowRequest,
    target: AirflowTarget,
) -> Vec<Effect> {
    state.net.next_seq += 1;
    let seq = state.net.next_seq;
    state.airflow.latest_seq.insert(request.clone(), seq);
    state.airflow.in_flight.insert(request.clone());
    state.cache.airflow.start(&request);
    vec![Effect::AirflowFetch {
        seq,
        request,
        target,
    }]
}

/// What the visible view shows from a deployment's Airflow. The DAGs tab costs three reads per
/// refresh (the DAGs, the newest runs across them, the active task instances: see
/// `app::airflow::RECENT_RUNS`); when the newest runs fill their page, the DAGs on screen left
/// without marks are read on their own besides (`update::dag_marks`: never every DAG, at most
/// `MARKS_IN_FLIGHT` at once). A run list or a run's task instances cost one.
/// A task log is read by its view (`update::logs`), once per try.
pub(crate) fn visible_requests(state: &AppState) -> Vec<AirflowRequest> {
    match state.route() {
        Route::Deployment {
            id,
            tab: DeploymentTab::Dags,
        } => vec![
            AirflowRequest::Dags(id.clone()),
            AirflowRequest::RecentRuns(id.clone()),
            AirflowRequest::ActiveTasks(id.clone()),
        ],
        // Airflow's health and import errors beside Houston's status.
        Route::Deployment {
            id,
            tab: DeploymentTab::Overview,
        } => vec![
            AirflowRequest::Health(id.clone()),
            AirflowRequest::ImportErrors(id.clone()),
        ],
        Route::Deployment {
            id,
            tab: DeploymentTab::Workers,
        } => workers_requests(state, id),
        route @ (Route::DagRuns { .. } | Route::TaskInstances { .. }) => state
            .current_table()
            .and_then(|t| t.airflow_request(&state.cache))
            .filter(|_| route.airflow_deployment().is_some())
            .into_iter()
            .collect(),
        _ => vec![],
    }
}

/// A Celery deployment's workers from Flower's API; once Flower has refused that (Flower 2
/// without its own authentication), from `/healthcheck` and `/metrics` instead. Nothing for
/// other executors: they have no Flower.
fn workers_requests(state: &AppState, id: &DeploymentId) -> Vec<AirflowRequest> {
    let celery = state
        .cache
        .deployment(id)
        .is_some_and(|d| d.executor == Executor::Celery);
    if !celery {
        return vec![];
    }
    if state.cache.flower_refused(id) {
        vec![AirflowRequest::FlowerStatus(id.clone())]
    } else {
        vec![AirflowRequest::Workers(id.clone())]
    }
}

/// Fetch what the visible view needs from Airflow: all of it when `force`, else what was never
/// read or is older than the refresh interval, and is not already on its way. Nothing is read
/// for views not shown.
pub(crate) fn refresh_visible(state: &mut AppState, force: bool) -> Vec<Effect> {
    let every = chrono::Duration::from_std(state.session.refresh)
        .unwrap_or_else(|_| chrono::Duration::seconds(30));
    let mut effects = Vec::new();
    if force {
        state.airflow.forced_at = Some(state.now);
    }
    for request in visible_requests(state) {
        let fetched_at = state
            .cache
            .airflow
            .remote(&request)
            .and_then(|r| r.data_at());
        let due = fetched_at.is_none_or(|at| state.now - at >= every);
        if force || (due && !state.airflow.in_flight.contains(&request)) {
            effects.extend(fetch(state, request));
        }
    }
    // The fleet views read many deployments' Airflows, within their own bounds.
    effects.extend(super::fleet::pump(state));
    effects
}

/// Send `request` unless its data is held or on its way.
pub(crate) fn ensure(state: &mut AppState, request: AirflowRequest) -> Vec<Effect> {
    let held = state
        .cache
        .airflow
        .remote(&request)
        .is_some_and(|r| r.data().is_some() || r.is_failed());
    if held || state.airflow.in_flight.contains(&request) {
        return vec![];
    }
    fetch(state, request)
}

pub(crate) fn on_reply(
    state: &mut AppState,
    request: AirflowRequest,
    seq: u64,
    at: Timestamp,
    result: Result<AirflowPayload, AirflowError>,
) -> Vec<Effect> {
    // Latest wins: a reply to a superseded request is dropped.
    if state.airflow.latest_seq.get(&request) != Some(&seq) {
        return vec![];
    }
    state.airflow.in_flight.remove(&request);
    let of_fleet = super::fleet::on_reply(state, &request);
    // A task's log goes to its view, not the cache (the view holds its lines).
    if matches!(request, AirflowRequest::TaskLog { .. }) {
        state.cache.airflow.forget(&request);
        state.airflow.latest_seq.remove(&request);
        // A 404 here is a try without a log more often than a task gone: the view says it.
        let result = match result {
            Ok(AirflowPayload::Log(text)) => Ok(text),
            Ok(_) => Err("Airflow answered something else than a log".to_string()),
            Err(failure) => Err(describe(&failure)),
        };
        super::logs::on_task_log(state, &request, result);
        return vec![];
    }
    let dag_rows = dag_rows_source(&request);
    match result {
        Ok(payload) => {
            state.cache.airflow.succeed(request, payload, at);
        }
        // One of many deployments: counted on the view ("Airflow unreachable for 3 of 200").
        Err(failure) if of_fleet => {
            tracing::info!(?request, %failure, "fleet read failed");
            state.cache.airflow.fail(&request, failure, at);
        }
        Err(failure) => {
            // A DAG or run deleted meanwhile: say so and go up a level.
            if failure.is_not_found() && super::airflow_drill::leave_vanished(state, &request) {
                state.cache.airflow.forget(&request);
                return vec![Schedule::visible(true)];
            }
            let text = describe(&failure);
            // Flower 2's refusal is how Astronomer runs it, not a fault: the Workers tab says
            // it and reads `/healthcheck` and `/metrics` at once.
            let refused = failure == AirflowError::FlowerUnauthenticated;
            state.cache.airflow.fail(&request, failure, at);
            if refused {
                return refresh_visible(state, false);
            }
            // The Overview and the Workers tab say their failures in place, in one line; the
            // message line would repeat it on every refresh.
            let said_in_place = matches!(
                request,
                AirflowRequest::Health(_)
                    | AirflowRequest::ImportErrors(_)
                    // A row without its marks says it (`>18h`).
                    | AirflowRequest::DagMarks { .. }
                    | AirflowRequest::Workers(_)
                    | AirflowRequest::FlowerStatus(_)
            );
            if !said_in_place {
                error(state, text);
            }
        }
    }
    if let Some(d) = dag_rows {
        crate::app::dags::refresh(&mut state.cache, &d);
    }
    // As for Houston's replies: the table on screen re-sorts and re-filters its rows.
    reapply_current_table(state);
    if of_fleet {
        // Its slot is free: the next read goes now.
        return super::fleet::pump(state);
    }
    vec![]
}

/// The deployment whose DAGs tab rows a reply to `request` feeds, if it feeds them.
fn dag_rows_source(request: &AirflowRequest) -> Option<DeploymentId> {
    match request {
        AirflowRequest::Dags(d)
        | AirflowRequest::RecentRuns(d)
        | AirflowRequest::ActiveTasks(d)
        | AirflowRequest::DagMarks { deployment: d, .. } => Some(d.clone()),
        _ => None,
    }
}

/// A failure in words: a refusal says it is about permissions.
pub(crate) fn describe(failure: &AirflowError) -> String {
    if failure.is_permission_denied() {
        format!("Permission denied by Airflow: {failure}")
    } else {
        format!("Airflow: {failure}")
    }
}

/// Send `mutation`, or refuse it (read-only mode, no Airflow URL). Returns its id when sent.
pub fn mutate(state: &mut AppState, mutation: AirflowMutation) -> (Option<u64>, Vec<Effect>) {
    if refused_read_only(state) {
        return (None, vec![]);
    }
    let Some(target) = target(state, mutation.deployment()) else {
        error(state, "Houston gives no Airflow URL for this deployment");
        return (None, vec![]);
    };
    state.net.next_seq += 1;
    let id = state.net.next_seq;
    state.airflow.mutations.insert(id, mutation.clone());
    flash(state, format!("{}…", mutation.doing()));
    let effect = Effect::AirflowMutate {
        id,
        mutation,
        target,
    };
    (Some(id), vec![effect])
}

pub(crate) fn on_mutated(
    state: &mut AppState,
    id: u64,
    _at: Timestamp,
    result: Result<(), AirflowError>,
) -> Vec<Effect> {
    let Some(mutation) = state.airflow.mutations.remove(&id) else {
        return vec![];
    };
    // The form that sent it (a trigger's), if it is still open.
    let form_index = state
        .ui
        .modals
        .iter()
        .position(|m| matches!(m, Modal::Form(f) if f.form.pending == Some(id)));
    match result {
        Ok(()) => {
            if let Some(i) = form_index {
                state.ui.modals.truncate(i);
            }
            flash(state, mutation.done());
            // What it made stale, if shown or held: read again.
            let mut effects = Vec::new();
            for request in mutation.affected() {
                if state.cache.airflow.remote(&request).is_some() {
                    effects.extend(fetch(state, request));
                }
            }
            effects
        }
        Err(failure) => {
            let text = refused(&mutation, &failure);
            if let Some(Modal::Form(f)) = form_index.and_then(|i| state.ui.modals.get_mut(i)) {
                // What was typed stays: fix or retry from the form.
                f.form.pending = None;
                f.form.error = Some(text.clone());
            }
            error(state, text);
            vec![]
        }
    }
}

/// Why a change did not happen, in words: a refusal names the role it needs; a timeout says
/// it may have happened all the same.
fn refused(mutation: &AirflowMutation, failure: &AirflowError) -> String {
    let doing = mutation.doing();
    if failure.is_permission_denied() {
        format!(
            "Permission denied by Airflow: {failure}. {doing} needs a deployment Editor or Admin"
        )
    } else if matches!(failure, AirflowError::Timeout) {
        format!("{doing} timed out: it may have been applied — check before trying again")
    } else {
        format!("{doing} failed: {}", describe(failure))
    }
}
