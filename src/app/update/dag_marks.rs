//! The DAGs tab's marks for DAGs the newest runs across DAGs (`RecentRuns`) left out: when that
//! page came back full, each DAG on screen with none of its runs in it is read on its own
//! (`DagMarks`, a page of `MARKS` runs) — at most `MARKS_IN_FLIGHT` at a time, only while the
//! tab is shown, each again once older than `MARKS_EVERY_SECS` (or the refresh interval, if
//! longer; or than a `Ctrl-r`). It runs
//! after every message (`update`), so scrolling, filtering or sorting brings the next rows'
//! reads.

use super::airflow::fetch;
use crate::app::airflow::AirflowRequest;
use crate::app::dags;
use crate::app::effect::Effect;
use crate::app::remote::Remote;
use crate::app::state::{AppState, DeploymentTab, Route};
use crate::app::tables::TableId;
use crate::houston::model::Timestamp;
use crate::ui::table::window_start;

/// At most this many DAGs' own reads on their way at once.
pub(crate) const MARKS_IN_FLIGHT: usize = 8;

/// A DAG's own read is renewed at most this often. These are the DAGs the busy ones crowd out,
/// whose runs change seldom; at the 5 s refresh a screenful of them would be six reads a
/// second to one Airflow, at this pace one every two seconds.
pub(crate) const MARKS_EVERY_SECS: i64 = 60;

/// The own reads the rows on screen want, top to bottom, due or not.
fn on_screen(state: &AppState) -> Vec<AirflowRequest> {
    let Route::Deployment {
        id,
        tab: DeploymentTab::Dags,
    } = state.route()
    else {
        return vec![];
    };
    let Some(rows) = dags::rows(&state.cache, id) else {
        return vec![];
    };
    // The page was short of its limit (or not read yet): no DAG needs a read of its own.
    if !rows.iter().any(|r| r.own_read) {
        return vec![];
    }
    let table = TableId::Dags(id.clone());
    let view = state.view(&table);
    let cursor = state
        .selected_index(&table)
        .and_then(|i| view.iter().position(|&v| v == i))
        .unwrap_or(0);
    // The rows the table draws: the window that keeps the cursor in sight (`ui::table`), as
    // tall as the screen less its header, crumbs, tabs, table border and column titles,
    // message and hint lines.
    let page = usize::from(state.ui.size.1.saturating_sub(8)).max(1);
    view.iter()
        .skip(window_start(cursor, page))
        .take(page)
        .filter_map(|&i| rows.get(i))
        .filter(|r| r.own_read)
        .map(|r| dags::marks_request(id, &r.dag.dag_id))
        .collect()
}

/// When `request` was last answered, well or not.
fn answered_at(state: &AppState, request: &AirflowRequest) -> Option<Timestamp> {
    match state.cache.airflow.remote(request)? {
        Remote::NotLoaded => None,
        Remote::Ready { at, .. } | Remote::Failed { at, .. } => Some(*at),
        Remote::Loading { prev } => prev.as_ref().map(|p| p.at),
    }
}

/// Send the due own reads of the rows on screen, within `MARKS_IN_FLIGHT`.
pub(crate) fn pump(state: &mut AppState) -> Vec<Effect> {
    let wanted = on_screen(state);
    if wanted.is_empty() {
        return vec![];
    }
    // Slower, as every refresh, once nobody looks at the terminal.
    let every = super::freshness::paced_interval(
        state,
        chrono::Duration::from_std(state.session.refresh)
            .unwrap_or_else(|_| chrono::Duration::seconds(30)),
    )
    .max(chrono::Duration::seconds(MARKS_EVERY_SECS));
    let busy = state
        .airflow
        .in_flight
        .iter()
        .filter(|r| matches!(r, AirflowRequest::DagMarks { .. }))
        .count();
    let mut free = MARKS_IN_FLIGHT.saturating_sub(busy);
    let mut effects = Vec::new();
    for request in wanted {
        if free == 0 {
            break;
        }
        let due = answered_at(state, &request).is_none_or(|at| {
            state.now - at >= every || state.airflow.forced_at.is_some_and(|f| at < f)
        });
        if due && !state.airflow.in_flight.contains(&request) {
            effects.extend(fetch(state, request));
            free -= 1;
        }
    }
    effects
}
