//! Moving around: the cursor, opening rows, going back, tabs, links and copying.

use crossterm::event::{KeyCode, KeyEvent};

use super::messages::{error, flash};
use super::sort::reapply_table;
use crate::app::effect::{Effect, Schedule};
use crate::app::modal::{CopyStatus, Modal, UrlKind, UrlPopup};
use crate::app::msg::Secret;
use crate::app::state::{AppState, DeploymentTab, Route, WorkspaceTab};
use crate::app::tables;
use crate::houston::model::{Executor, Workspace};
use crate::platform::{CopyOutcome, OpenOutcome};

/// Move the cursor of the current table: `f(position, rows, page) -> new position`.
pub(crate) fn move_selection(state: &mut AppState, f: impl Fn(usize, usize, usize) -> usize) {
    let Some(table) = state.current_table() else {
        return;
    };
    reapply_table(state, &table);
    let page = state.ui.page_rows.max(1);
    let rows = tables::rows(&state.cache, &table);
    let t = state.ui.tables.entry(table).or_default();
    let len = t.len();
    let pos = f(t.selected.min(len.saturating_sub(1)), len, page);
    t.select(pos.min(len.saturating_sub(1)), rows.as_ref());
}

pub(crate) fn open_selected(state: &mut AppState) -> Vec<Effect> {
    // Down a deployment's Airflow: DAG → runs → task instances → log.
    if let Some(effects) = super::airflow_drill::open(state) {
        return effects;
    }
    let next = match state.route() {
        // An import error opens whole, its stack trace scrollable and searchable.
        Route::Deployment {
            tab: DeploymentTab::Overview,
            ..
        } if matches!(
            state.current_table(),
            Some(tables::TableId::ImportErrors(_))
        ) =>
        {
            return super::describe::open(state);
        }
        Route::Clusters => return open_cluster_deployments(state),
        // The run's task instances; Esc comes back to `:dags`.
        Route::FleetRuns => match state.selected::<crate::app::fleet::FleetRun>() {
            Some(row) => Route::TaskInstances {
                deployment: row.deployment,
                dag_id: row.run.dag_id,
                run_id: row.run.dag_run_id,
            },
            None => return vec![],
        },
        Route::Account if state.current_table() == Some(tables::TableId::SharedDeployments) => {
            match state.target_deployment() {
                Some(d) => Route::Deployment {
                    id: d.id.clone(),
                    tab: DeploymentTab::Overview,
                },
                None => return vec![],
            }
        }
        Route::Admin {
            tab: crate::app::state::AdminTab::Workspaces,
        } => match state.selected::<Workspace>() {
            Some(ws) => Route::Workspace {
                id: ws.id.clone(),
                tab: WorkspaceTab::Deployments,
            },
            None => return vec![],
        },
        Route::Account => match state.selected::<Workspace>() {
            Some(ws) => Route::Workspace {
                id: ws.id.clone(),
                tab: WorkspaceTab::Deployments,
            },
            None => return vec![],
        },
        Route::Workspace {
            tab: WorkspaceTab::Deployments,
            ..
        }
        | Route::AllDeployments => match state.target_deployment() {
            Some(d) => Route::Deployment {
                id: d.id.clone(),
                tab: DeploymentTab::Overview,
            },
            None => return vec![],
        },
        _ => return vec![],
    };
    state.nav.remember();
    state.nav.routes.push(next);
    vec![Schedule::visible(true)]
}

/// Enter on a cluster: the all-deployments view filtered by its name (Esc clears the filter).
fn open_cluster_deployments(state: &mut AppState) -> Vec<Effect> {
    let Some(row) = state.selected::<crate::app::clusters::ClusterRow>() else {
        return vec![];
    };
    let effects = open_all_deployments(state);
    let table = tables::TableId::AllDeployments;
    state.ui.tables.entry(table.clone()).or_default().filter = row.cluster.name;
    super::sort::reapply_table(state, &table);
    effects
}

/// The all-deployments view, over the current screen (Esc comes back).
pub(crate) fn open_all_deployments(state: &mut AppState) -> Vec<Effect> {
    if state.route() == &Route::AllDeployments {
        return vec![];
    }
    let mut routes = state.nav.routes.clone();
    routes.push(Route::AllDeployments);
    super::history::go_to(state, routes)
}

/// The System Admin panel, over the current screen (Esc comes back). Only a system admin
/// gets here: the key and `:admin` say why not to anyone else.
pub(crate) fn open_admin(state: &mut AppState) -> Vec<Effect> {
    if matches!(state.route(), Route::Admin { .. }) {
        return vec![];
    }
    let mut routes = state.nav.routes.clone();
    routes.push(Route::Admin {
        tab: crate::app::state::AdminTab::Users,
    });
    super::history::go_to(state, routes)
}

/// Esc on a screen: clear the filter, else go back one level (the view's messages go with it),
/// else clear the message.
pub(crate) fn back(state: &mut AppState) -> Vec<Effect> {
    if let Some(table) = state.current_table()
        && !state.table(&table).filter.is_empty()
    {
        if let Some(t) = state.ui.tables.get_mut(&table) {
            t.filter.clear();
        }
        reapply_table(state, &table);
        return vec![];
    }
    if state.nav.routes.len() > 1 {
        state.nav.remember();
        state.nav.routes.pop();
        return vec![Schedule::visible(true)];
    }
    state.ui.message = None;
    vec![]
}

/// `t`: the cursor to a tab's other list and back (the Users tab's teams, the Overview's
/// import errors).
pub(crate) fn switch_list(state: &mut AppState) {
    match state.route() {
        Route::Deployment {
            id,
            tab: DeploymentTab::Overview,
        } => {
            let id = id.clone();
            if state.ui.import_errors_focused.as_ref() == Some(&id) {
                state.ui.import_errors_focused = None;
            } else if state
                .cache
                .airflow_import_errors(&id)
                .is_some_and(|e| !e.is_empty())
            {
                state.ui.import_errors_focused = Some(id);
            } else {
                flash(state, "No import errors to move to");
            }
        }
        _ => state.ui.teams_focused = !state.ui.teams_focused,
    }
}

pub(crate) fn switch_tab(state: &mut AppState, f: impl Fn(usize, usize) -> usize) -> Vec<Effect> {
    fn step<T: Copy + PartialEq>(
        all: &[T],
        tab: &mut T,
        f: impl Fn(usize, usize) -> usize,
    ) -> bool {
        let i = all.iter().position(|t| t == tab).unwrap_or(0);
        let next = all[f(i, all.len()) % all.len()];
        std::mem::replace(tab, next) != next
    }
    let before = state.nav.routes.clone();
    let changed = match state.nav.routes.last_mut() {
        Some(Route::Workspace { tab, .. }) => step(&WorkspaceTab::ALL, tab, f),
        Some(Route::Deployment { tab, .. }) => step(&DeploymentTab::ALL, tab, f),
        Some(Route::Admin { tab }) => step(&crate::app::state::AdminTab::ALL, tab, f),
        _ => false,
    };
    if changed {
        let now = std::mem::replace(&mut state.nav.routes, before);
        state.nav.remember();
        state.nav.routes = now;
        super::messages::expire(state);
        vec![Schedule::visible(true)]
    } else {
        vec![]
    }
}

pub(crate) fn tab_by_number(state: &mut AppState, key: &KeyEvent) -> Vec<Effect> {
    let KeyCode::Char(c) = key.code else {
        return vec![];
    };
    match c.to_digit(10) {
        Some(d) if d >= 1 => switch_tab(state, |i, n| {
            let want = d as usize - 1;
            if want < n { want } else { i }
        }),
        _ => vec![],
    }
}

pub(crate) fn open_link(state: &mut AppState, what: UrlKind) -> Vec<Effect> {
    let Some(d) = state.target_deployment() else {
        flash(state, "Select a deployment first");
        return vec![];
    };
    if what == UrlKind::Flower && d.executor != Executor::Celery {
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

pub(crate) fn on_open_result(
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
            state.ui.message = None;
            state.ui.modals.push(Modal::Url(UrlPopup {
                url: url.clone(),
                what,
                reason,
                copy: CopyStatus::Pending,
            }));
            vec![Effect::Copy {
                text: Secret(url),
                label: format!("{} URL", what.label()),
            }]
        }
    }
}

fn status_of(state: &AppState, outcome: &CopyOutcome) -> CopyStatus {
    match outcome {
        CopyOutcome::Copied if state.ui.clipboard.may_drop() => CopyStatus::SentTmuxMayDrop,
        CopyOutcome::Copied => CopyStatus::Copied,
        CopyOutcome::TooLong => CopyStatus::TooLong,
        CopyOutcome::Failed(e) => CopyStatus::Failed(e.to_string()),
    }
}

/// Tell the truth about a copy: in the modal it was made for, else on the message line.
/// Inside tmux without `set-clipboard on` the sequence may be dropped, and that is what is said.
pub(crate) fn on_copy_result(
    state: &mut AppState,
    text: &Secret,
    label: &str,
    outcome: CopyOutcome,
) {
    let status = status_of(state, &outcome);
    match state.ui.modals.last_mut() {
        Some(Modal::Url(popup)) if popup.url == text.expose() => {
            popup.copy = status;
            return;
        }
        Some(Modal::ApiKey(view)) if view.key == *text => {
            view.copy = status;
            return;
        }
        _ => {}
    }
    // A JSON or YAML copy is many lines: say how many rather than show them.
    let lines = text.expose().lines().count();
    let shown = if lines > 1 {
        format!("({lines} lines)")
    } else {
        crate::app::menu::preview(text.expose(), 60)
    };
    match outcome {
        CopyOutcome::Copied if state.ui.clipboard.may_drop() => flash(
            state,
            format!(
                "Sent {label} {shown} via OSC 52 — {}",
                crate::app::clipboard::TMUX_ADVICE
            ),
        ),
        CopyOutcome::Copied => flash(
            state,
            format!("Copied {label} {shown} to the clipboard (OSC 52)"),
        ),
        CopyOutcome::TooLong => error(
            state,
            format!(
                "The {label} is too long to copy through the terminal ({} bytes)",
                text.expose().len()
            ),
        ),
        CopyOutcome::Failed(e) => error(state, format!("Could not copy the {label}: {e}")),
    }
}

/// The table rows a page holds, from the terminal height.
pub(crate) fn on_resize(state: &mut AppState, height: u16) {
    // Header, crumbs, tabs, block borders, table header, message and hint lines.
    state.ui.page_rows = usize::from(height.saturating_sub(9)).max(1);
}
