//! `d` describe: open the YAML of the item under the cursor, scroll it, search it (`/`, `n`,
//! `N`) and copy it (`y`).

use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::messages::flash;
use crate::app::clusters::ClusterRow;
use crate::app::describe::{DescribeView, Subject, mask_secrets, subject};
use crate::app::effect::{Effect, Schedule};
use crate::app::keymap::Action;
use crate::app::modal::Modal;
use crate::app::msg::Secret;
use crate::app::state::{AppState, Route};
use crate::app::tables::TableId;
use crate::houston::ApiError;
use crate::houston::model::{ClusterId, DeploymentId};
use crate::houston::request::Request;

/// The deployment under the cursor when only its list row is at hand: lists are fetched with
/// lean row documents, so describing or copying it as JSON wants its own fetch first.
pub(crate) fn lean_row_deployment(state: &AppState) -> Option<DeploymentId> {
    state
        .current_table()
        .filter(|t| matches!(t, TableId::Deployments(_) | TableId::AllDeployments))
        .and(state.target_deployment())
        .map(|d| d.id.clone())
        .filter(|id| state.cache.full_deployment(id).is_none())
}

/// The cluster under the cursor of the Clusters view: its row is the list's (the cluster's own
/// tier of the config); `d` reads `cluster(id)` for the merged config the cluster page shows.
pub(crate) fn listed_cluster(state: &AppState) -> Option<ClusterId> {
    state.selected::<ClusterRow>().map(|row| row.cluster.id)
}

/// The selected row of the current table, else the dashboard's own subject.
pub(crate) fn current_subject(state: &AppState) -> Option<Subject> {
    let Some(table) = state.current_table() else {
        return match state.route() {
            Route::Deployment { id, .. } => {
                let d = state.cache.deployment(id)?;
                subject("deployment", &d.label, d)
            }
            Route::Workspace { id, .. } => {
                let w = state.cache.workspace(id)?;
                subject("workspace", &w.label, w)
            }
            Route::Account
            | Route::AllDeployments
            | Route::Admin { .. }
            | Route::Clusters
            | Route::FleetRuns
            | Route::DagRuns { .. }
            | Route::TaskInstances { .. }
            | Route::TaskLog { .. } => None,
        };
    };
    let i = state.selected_index(&table)?;
    // A deployment row is described from its own fetch when there is one (the fuller record).
    match &table {
        TableId::SharedDeployments => {
            let d = crate::app::tables::all_deployments::shared_deployment(&state.cache, i)?;
            subject("deployment", &d.label, d)
        }
        TableId::AllDeployments => {
            let row = crate::app::tables::all_deployments::deployment(&state.cache, i)?;
            let d = state.cache.deployment(&row.id).unwrap_or(row);
            subject("deployment", &d.label, d)
        }
        TableId::Deployments(ws) => {
            let row = state.cache.deployments(ws)?.get(i)?;
            // Its own fetch, when there is one, is the fuller record.
            let d = state.cache.deployment(&row.id).unwrap_or(row);
            subject("deployment", &d.label, d)
        }
        // Every other table describes its row as its spec names it.
        other => {
            let rows = state.rows(other);
            let (name, mut value) = rows.describe(i)?;
            mask_secrets(&mut value);
            Some(Subject {
                noun: rows.noun(),
                name,
                value,
            })
        }
    }
}

pub(crate) fn open(state: &mut AppState) -> Vec<Effect> {
    let Some(subject) = current_subject(state) else {
        flash(state, "Nothing to describe here");
        return vec![];
    };
    let mut view = DescribeView::new(&subject);
    // A list row is the lean record: fetch the whole deployment and show it when it comes.
    let mut effects = vec![];
    if let Some(id) = lean_row_deployment(state) {
        let request = Request::Deployment(id);
        effects = vec![Schedule::ensure(request.clone())];
        view.awaiting = Some(request);
    } else if let Some(id) = listed_cluster(state) {
        // Read afresh: the merged config changes with the platform's and the cluster's tiers.
        let request = Request::Cluster(id);
        effects = vec![Schedule::fetch(request.clone())];
        view.awaiting = Some(request);
    }
    state.ui.modals.push(Modal::Describe(view));
    effects
}

/// The item's own read failed: the view keeps the list row, and says so (with Houston's
/// reason for a cluster, whose config needs `system.clusters.get`).
pub(crate) fn on_fetch_failed(state: &mut AppState, request: &Request, error: &ApiError) {
    let why = match (request, error) {
        (Request::Cluster(_), ApiError::Forbidden(text)) => {
            Some(format!("its merged config needs a system role ({text})"))
        }
        // Deregistered meanwhile: the list drops it at its next read.
        (Request::Cluster(_), ApiError::NotFound(_)) => {
            Some("the cluster is no longer registered".into())
        }
        (Request::Cluster(_), e) => Some(format!("its merged config could not be read: {e}")),
        _ => None,
    };
    for modal in state.ui.modals.iter_mut() {
        if let Modal::Describe(view) = modal
            && view.awaiting.as_ref() == Some(request)
        {
            view.awaiting = None;
            view.row_only = true;
            view.why = why.clone();
        }
    }
}

/// A cluster's own read arrived: a describe view waiting for it shows it (merged config).
pub(crate) fn on_cluster(state: &mut AppState, id: &ClusterId) {
    let request = Request::Cluster(id.clone());
    let Some(c) = state.cache.cluster(id) else {
        return;
    };
    let Some(subject) = crate::app::describe::subject("cluster", &c.name, c) else {
        return;
    };
    for modal in state.ui.modals.iter_mut() {
        if let Modal::Describe(view) = modal
            && view.awaiting.as_ref() == Some(&request)
        {
            view.replace(&subject);
        }
    }
}

/// The whole deployment arrived: a describe view waiting for it shows it now.
pub(crate) fn on_full_deployment(state: &mut AppState, id: &DeploymentId) {
    let Some(d) = state.cache.full_deployment(id) else {
        return;
    };
    let Some(subject) = crate::app::describe::subject("deployment", &d.label, d) else {
        return;
    };
    for modal in state.ui.modals.iter_mut() {
        if let Modal::Describe(view) = modal
            && view.awaiting.as_ref() == Some(&Request::Deployment(id.clone()))
        {
            view.replace(&subject);
        }
    }
}

fn view_mut(state: &mut AppState) -> Option<&mut DescribeView> {
    match state.ui.modals.last_mut() {
        Some(Modal::Describe(view)) => Some(view),
        _ => None,
    }
}

pub(crate) fn on_key(state: &mut AppState, action: Option<Action>) -> Vec<Effect> {
    let page = state.ui.page_rows.max(1) as isize;
    let Some(view) = view_mut(state) else {
        return vec![];
    };
    match action {
        Some(Action::Down) => view.scroll_by(1),
        Some(Action::Up) => view.scroll_by(-1),
        Some(Action::PageDown) => view.scroll_by(page),
        Some(Action::PageUp) => view.scroll_by(-page),
        Some(Action::Top) => view.scroll = 0,
        Some(Action::Bottom) => view.scroll = view.lines.len().saturating_sub(page as usize),
        // A new search starts empty (what is typed replaces the old one, as in `less`); the
        // old one stays in effect until then.
        Some(Action::Filter) => view.search = Some(Input::default()),
        Some(Action::NextMatch) => view.next_match(true),
        Some(Action::PrevMatch) => view.next_match(false),
        Some(Action::CopyKey) => {
            return vec![Effect::Copy {
                text: Secret(view.text()),
                label: format!("YAML of {}", view.title),
            }];
        }
        Some(Action::Close) => {
            state.ui.modals.pop();
        }
        Some(Action::Quit) => return super::quit(state),
        _ => {}
    }
    vec![]
}

/// Keys while the search is typed: it searches as you type; Enter keeps it, Esc drops it.
pub(crate) fn on_search_key(
    state: &mut AppState,
    key: KeyEvent,
    action: Option<Action>,
) -> Vec<Effect> {
    if action == Some(Action::Quit) {
        return super::quit(state);
    }
    let Some(view) = view_mut(state) else {
        return vec![];
    };
    match action {
        Some(Action::KeepFilter) => view.search = None,
        Some(Action::ClearFilter) => {
            view.search = None;
            view.search_for("");
        }
        _ => {
            if let Some(input) = view.search.as_mut()
                && let Some(req) = to_input_request(&Event::Key(key))
            {
                input.handle(req);
                let query = input.value().to_string();
                view.search_for(&query);
            }
        }
    }
    vec![]
}

pub(crate) fn paste_into_search(state: &mut AppState, text: &str) {
    if let Some(view) = view_mut(state)
        && let Some(input) = view.search.as_mut()
    {
        for c in text.chars().filter(|c| !c.is_control()) {
            input.handle(InputRequest::InsertChar(c));
        }
        let query = input.value().to_string();
        view.search_for(&query);
    }
}
