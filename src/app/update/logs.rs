//! The log view's reducer: opening it (`l`, the Logs tab), its keys and its search/filter
//! line, the recent lines (`logs`), live lines, the fallback to polling `logs` when the socket
//! fails, and saving the shown lines to a file in the current directory.

use std::path::PathBuf;

use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::messages::{error, flash};
use crate::app::airflow::AirflowRequest;
use crate::app::effect::{Effect, Schedule};
use crate::app::keymap::Action;
use crate::app::live::Link;
use crate::app::logs::{Feed, LogView, Prompt, PromptKind, TaskSource};
use crate::app::state::{AppState, DeploymentTab, Route, WorkspaceTab};
use crate::app::streams::StreamEvent;
use crate::houston::ApiError;
use crate::houston::model::{DeploymentId, LogLine, Timestamp};
use crate::houston::request::Request;

/// A stream that ends sooner than this after starting is not restarted (polling instead):
/// Houston ends healthy streams after 20 minutes, a quick end means something is wrong.
const MIN_STREAM_LIFE_SECS: i64 = 60;

/// Text rows of the log panel: the table page plus the table's header and footer rows.
pub fn log_page(state: &AppState) -> usize {
    state.ui.page_rows.saturating_add(2).max(1)
}

/// The log view on screen, if the Logs tab is shown.
fn shown_id(state: &AppState) -> Option<DeploymentId> {
    match state.route() {
        Route::Deployment {
            id,
            tab: DeploymentTab::Logs,
        } if state.session.login.is_none() => Some(id.clone()),
        _ => None,
    }
}

/// The log view on screen: the Logs tab's, or a task instance's log.
fn view_mut(state: &mut AppState) -> Option<&mut LogView> {
    if shows_task_log(state) {
        return state.live.task_log.as_mut();
    }
    let id = shown_id(state)?;
    state.live.log_view_mut(&id)
}

fn shows_task_log(state: &AppState) -> bool {
    state.session.login.is_none() && matches!(state.route(), Route::TaskLog { .. })
}

/// Open or put away the log views as the route says, and ask for the lines they wait for.
pub(crate) fn prepare(state: &mut AppState) -> Vec<Effect> {
    let mut effects = prepare_task_log(state);
    effects.extend(prepare_component(state));
    effects
}

/// A task log lives while it is shown; another task instance gets a new view.
fn prepare_task_log(state: &mut AppState) -> Vec<Effect> {
    let shown = match state.route() {
        Route::TaskLog {
            deployment,
            dag_id,
            run_id,
            task_id,
            map_index,
            try_number,
        } if state.session.login.is_none() => Some((
            deployment.clone(),
            TaskSource {
                dag_id: dag_id.clone(),
                run_id: run_id.clone(),
                task_id: task_id.clone(),
                map_index: *map_index,
            },
            *try_number,
        )),
        _ => None,
    };
    let Some((deployment, task, tries)) = shown else {
        state.live.task_log = None;
        return Vec::new();
    };
    let same = state
        .live
        .task_log
        .as_ref()
        .is_some_and(|v| v.deployment == deployment && v.task.as_ref() == Some(&task));
    if !same {
        let capacity = state.live.log_capacity;
        state.live.task_log = Some(LogView::for_task(deployment, task, tries, capacity));
    }
    fetch_task_log(state)
}

/// Read the try the task log shows, unless it is read or on its way.
fn fetch_task_log(state: &mut AppState) -> Vec<Effect> {
    match state.live.task_log.as_ref().and_then(LogView::task_request) {
        Some(request) => super::airflow::ensure(state, request),
        None => Vec::new(),
    }
}

/// Airflow's answer to the task log's read (not kept in the cache: the view holds the lines).
pub(crate) fn on_task_log(
    state: &mut AppState,
    request: &AirflowRequest,
    result: Result<String, String>,
) {
    let Some(view) = state.live.task_log.as_mut() else {
        return;
    };
    if view.task_request().as_ref() != Some(request) {
        return;
    }
    match result {
        Ok(text) => view.add_task_log(&text),
        Err(reason) => view.feed = Feed::Stopped { reason },
    }
}

/// Open, resume or put away the Logs tab's view as the route says; fetch its recent lines when
/// it (re)appears. A view lives as long as its deployment's dashboard.
fn prepare_component(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let shown = match state.route() {
        Route::Deployment { id, tab } if state.session.login.is_none() => Some((id.clone(), *tab)),
        _ => None,
    };
    let Some((id, tab)) = shown else {
        state.live.logs = None;
        return Vec::new();
    };
    if state.live.logs.as_ref().is_some_and(|v| v.deployment != id) {
        state.live.logs = None;
    }
    if tab != DeploymentTab::Logs {
        if let Some(v) = state.live.logs.as_mut()
            && v.feed != Feed::Idle
        {
            v.pause_feed();
        }
        return Vec::new();
    }
    match state.live.logs.as_mut() {
        Some(v) if v.feed == Feed::Idle => v.resume(now),
        Some(_) => return Vec::new(),
        None => {
            // The component tabs come from the deployment: wait until it is loaded.
            let Some(d) = state.cache.deployment(&id) else {
                return Vec::new();
            };
            state.live.logs = Some(LogView::new(d, state.live.log_capacity, now));
        }
    }
    fetch_lines(state)
}

/// Ask for the view's current `logs` request, dropping any other one still on its way.
fn fetch_lines(state: &mut AppState) -> Vec<Effect> {
    let wanted = shown_id(state).and_then(|id| state.live.log_request(&id));
    let stale: Vec<Request> = state
        .net
        .in_flight
        .iter()
        .filter(|r| matches!(r, Request::Logs { .. }) && Some(*r) != wanted.as_ref())
        .cloned()
        .collect();
    let mut effects = Vec::new();
    for request in stale {
        state.net.in_flight.remove(&request);
        state.net.latest_seq.remove(&request);
        state.cache.forget(&request);
        effects.push(Effect::Cancel(request));
    }
    if let Some(request) = wanted {
        effects.push(Schedule::ensure(request));
    }
    effects
}

/// `l`: the log view of the selected deployment (or of the dashboard's own).
pub(crate) fn open(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = state.target_deployment().map(|d| d.id.clone()) else {
        flash(state, "Select a deployment first");
        return Vec::new();
    };
    state.nav.remember();
    match state.nav.routes.last_mut() {
        Some(Route::Deployment { tab, .. }) => *tab = DeploymentTab::Logs,
        Some(Route::Workspace {
            tab: WorkspaceTab::Deployments,
            ..
        })
        | Some(Route::AllDeployments) => state.nav.routes.push(Route::Deployment {
            id,
            tab: DeploymentTab::Logs,
        }),
        _ => return Vec::new(),
    }
    super::messages::expire(state);
    vec![Schedule::visible(true)]
}

/// The reply to the view's `logs` request: recent lines, or the next poll.
pub(crate) fn on_lines(state: &mut AppState, request: Request, lines: Vec<LogLine>) -> Vec<Effect> {
    // Each poll asks with a new `after`: keep no bookkeeping per request, or it would grow.
    state.cache.forget(&request);
    state.net.latest_seq.remove(&request);
    let Request::Logs {
        deployment,
        component,
        ..
    } = &request
    else {
        return Vec::new();
    };
    let Some(view) = state.live.log_view_mut(deployment) else {
        return Vec::new();
    };
    if Some(view.component_name()) != component.as_deref() {
        return Vec::new();
    }
    view.add_lines(lines);
    if view.feed == Feed::Loading {
        view.feed = Feed::Live;
        view.link = Link::Connecting;
        view.note = None;
    }
    Vec::new()
}

/// The view's `logs` request failed. A server that is down is retried by the refresh
/// schedule (with back-off); a refusal stops the view; anything else (a Houston without
/// Elasticsearch …) still lets the live stream try.
pub(crate) fn on_lines_failed(state: &mut AppState, request: &Request, error: &ApiError) {
    let Request::Logs { deployment, .. } = request else {
        return;
    };
    let Some(view) = state.live.log_view_mut(deployment) else {
        return;
    };
    if error.is_transient() {
        return;
    }
    match (&view.feed, error) {
        (_, ApiError::Forbidden(text)) => {
            view.feed = Feed::Stopped {
                reason: format!("Houston refused the logs: {text}"),
            };
        }
        (Feed::Loading, e) => {
            view.note = Some(format!("recent lines could not be loaded: {e}"));
            view.feed = Feed::Live;
            view.link = Link::Connecting;
        }
        (Feed::Polling { .. }, e) => {
            view.feed = Feed::Stopped {
                reason: format!("polling the logs failed: {e}"),
            };
        }
        _ => {}
    }
}

/// What the log stream reported.
pub(crate) fn on_event(
    state: &mut AppState,
    deployment: &DeploymentId,
    at: Timestamp,
    event: StreamEvent,
) -> Vec<Effect> {
    let Some(view) = state.live.log_view_mut(deployment) else {
        return Vec::new();
    };
    match event {
        StreamEvent::Started => {
            view.link = Link::Open;
            view.live_since = Some(at);
            Vec::new()
        }
        StreamEvent::Lines { lines, dropped } => {
            view.dropped += dropped as u64;
            view.add_lines(lines);
            Vec::new()
        }
        StreamEvent::Failed(ApiError::Forbidden(text)) => {
            view.feed = Feed::Stopped {
                reason: format!("Houston refused the live stream: {text}"),
            };
            super::streams::refused(state, at, "live log stream", &text)
        }
        StreamEvent::Failed(e) => start_polling(state, format!("live stream unavailable: {e}")),
        StreamEvent::Ended => {
            let lived = view
                .live_since
                .is_some_and(|t| (at - t).num_seconds() >= MIN_STREAM_LIFE_SECS);
            if lived {
                // Houston's time limit: `sync` starts a new stream from the newest line.
                view.link = Link::Connecting;
                Vec::new()
            } else {
                start_polling(state, "Houston ended the live stream".to_string())
            }
        }
        StreamEvent::Metrics(_) | StreamEvent::Status(_) => Vec::new(),
    }
}

/// The socket failed: poll `logs` instead, and say so.
fn start_polling(state: &mut AppState, reason: String) -> Vec<Effect> {
    let Some(view) = view_mut(state) else {
        return Vec::new();
    };
    view.feed = Feed::Polling {
        reason: reason.clone(),
    };
    view.link = Link::Connecting;
    view.live_since = None;
    flash(state, format!("Logs: {reason}; polling instead"));
    // Polls now, then on the (shorter) polling schedule.
    vec![Schedule::visible(false)]
}

/// Keys of the Logs tab; `None` for keys it leaves to the dashboard (tabs, help, quit …).
pub(crate) fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Effect>> {
    let page = log_page(state);
    let now = state.now;
    let view = view_mut(state)?;
    let page_delta = isize::try_from(page).unwrap_or(isize::MAX);
    match action {
        Action::Up => view.scroll(-1, page),
        Action::Down => view.scroll(1, page),
        Action::PageUp => view.scroll(-page_delta, page),
        Action::PageDown => view.scroll(page_delta, page),
        Action::Top => view.jump_to_top(),
        Action::Bottom | Action::Follow => view.follow(),
        Action::Search => open_prompt(view, PromptKind::Search),
        Action::FilterLines => open_prompt(view, PromptKind::Filter),
        Action::NextMatch | Action::PrevMatch => {
            let newer = action == Action::NextMatch;
            let text = match view.jump_to_match(newer, page) {
                Some((n, total)) => format!("Match {n} of {total}"),
                None if newer => format!("No newer line matches '{}'", view.search),
                None => format!("No older line matches '{}'", view.search),
            };
            flash(state, text);
        }
        Action::NextComponent | Action::PrevComponent => {
            let count = view.components.len();
            if count < 2 {
                return Some(Vec::new());
            }
            view.component = if action == Action::NextComponent {
                (view.component + 1) % count
            } else {
                (view.component + count - 1) % count
            };
            view.reload(now);
            if view.task.is_some() {
                return Some(fetch_task_log(state));
            }
            return Some(fetch_lines(state));
        }
        // A task's log is read once: Ctrl-r reads it again (a running try has written more).
        Action::Refresh if view.task.is_some() => {
            view.reload(now);
            flash(state, "Reading the log again…");
            return Some(fetch_task_log(state));
        }
        Action::ToggleWrap => view.wrap = !view.wrap,
        Action::ToggleTimestamps => view.timestamps = !view.timestamps,
        Action::CycleWindow if view.task.is_none() => {
            view.window = view.window.next();
            let label = view.window.label();
            view.reload(now);
            flash(state, format!("Loading the logs of the {label}"));
            return Some(fetch_lines(state));
        }
        Action::SaveLines => return Some(save(state)),
        Action::Back => {
            // Esc clears the search, then the filter, before it leaves the dashboard.
            if !view.search.is_empty() {
                view.set_search("");
            } else if !view.filter.is_empty() {
                view.set_filter("");
            } else {
                return None;
            }
        }
        _ => return None,
    }
    Some(Vec::new())
}

fn open_prompt(view: &mut LogView, kind: PromptKind) {
    let before = match kind {
        PromptKind::Search => view.search.clone(),
        PromptKind::Filter => view.filter.clone(),
    };
    view.prompt = Some(Prompt {
        kind,
        input: Input::new(before.clone()),
        before,
    });
}

/// Keys while the search or filter line is open: typing applies live (the search
/// highlights, the filter hides), Enter keeps it, Esc puts back what was there.
pub(crate) fn on_prompt_key(
    state: &mut AppState,
    key: KeyEvent,
    action: Option<Action>,
) -> Vec<Effect> {
    let page = log_page(state);
    let Some(view) = view_mut(state) else {
        return Vec::new();
    };
    let Some(prompt) = view.prompt.as_mut() else {
        return Vec::new();
    };
    match action {
        Some(Action::KeepFilter) => {
            let kind = prompt.kind;
            view.prompt = None;
            if kind == PromptKind::Search && !view.search.is_empty() {
                let text = match view.jump_to_newest_match(page) {
                    Some((_, total)) => format!("{total} matching lines (n newer, N older)"),
                    None => format!("No line matches '{}'", view.search),
                };
                flash(state, text);
            }
        }
        Some(Action::Cancel) => {
            let (kind, before) = (prompt.kind, prompt.before.clone());
            view.prompt = None;
            apply(view, kind, &before);
        }
        Some(Action::Quit) => return super::quit(state),
        _ => {
            if let Some(request) = to_input_request(&Event::Key(key)) {
                prompt.input.handle(request);
                let (kind, value) = (prompt.kind, prompt.input.value().to_string());
                apply(view, kind, &value);
            }
        }
    }
    Vec::new()
}

pub(crate) fn paste(state: &mut AppState, text: &str) {
    let Some(view) = view_mut(state) else {
        return;
    };
    let Some(prompt) = view.prompt.as_mut() else {
        return;
    };
    for c in text.chars().filter(|c| !c.is_control()) {
        prompt.input.handle(InputRequest::InsertChar(c));
    }
    let (kind, value) = (prompt.kind, prompt.input.value().to_string());
    apply(view, kind, &value);
}

fn apply(view: &mut LogView, kind: PromptKind, value: &str) {
    match kind {
        PromptKind::Search => view.set_search(value),
        PromptKind::Filter => view.set_filter(value),
    }
}

/// `s`: write the shown lines (every line passing the filter) to a new file in the current
/// directory, named after the release, the component and the time.
fn save(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let Some(id) = view_mut(state).map(|v| v.deployment.clone()) else {
        return Vec::new();
    };
    let release = state
        .cache
        .deployment(&id)
        .map_or_else(|| id.to_string(), |d| d.release_name.clone());
    let Some(view) = view_mut(state) else {
        return Vec::new();
    };
    let count = view.view_len();
    if count == 0 {
        flash(state, "No lines to save");
        return Vec::new();
    }
    // A task's log is named after its DAG, task and try; a component's after the component.
    let what = match &view.task {
        Some(task) => format!(
            "{}-{}-try{}",
            file_safe(&task.dag_id),
            file_safe(&task.name()),
            view.try_number()
        ),
        None => file_safe(view.component_name()),
    };
    let name = format!(
        "astrodash-{}-{what}-{}.log",
        file_safe(&release),
        now.format("%Y%m%dT%H%M%SZ")
    );
    let path = PathBuf::from(name);
    view.saving = Some((path.clone(), count));
    let contents = view.visible_text();
    flash(state, format!("Saving {count} lines…"));
    vec![Effect::WriteFile { path, contents }]
}

/// Letters, digits, `-`, `_` and `.` only: a release name from the server never makes a path.
fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// What became of a save.
pub(crate) fn on_saved(state: &mut AppState, path: PathBuf, result: Result<PathBuf, String>) {
    let count = [state.live.logs.as_mut(), state.live.task_log.as_mut()]
        .into_iter()
        .flatten()
        .find_map(|v| v.saving.take_if(|(p, _)| *p == path))
        .map(|(_, count)| count);
    match result {
        Ok(written) => {
            let lines = count.map_or_else(|| "the lines".to_string(), |n| format!("{n} lines"));
            flash(state, format!("Saved {lines} to {}", written.display()));
        }
        Err(e) => error(state, format!("Could not save the logs: {e}")),
    }
}
