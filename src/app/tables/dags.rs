//! The DAGs tab's table: one row per DAG of a deployment's Airflow, with its newest runs as
//! marks (newest on the right), its last run's age, when the next run is created, and its
//! running and recently failed task instances (`app::dags` puts the rows together).

use std::cmp::Ordering;

use super::specs::{by_opt_text, by_text, by_time, flex, layout};
use super::{Cell, Column, CopyTarget, Look, Sort, Spec};
use crate::app::dags::DagRow;
use crate::houston::model::Timestamp;
use crate::ui::format::{age_or, short_duration};

/// The mark of a run or task instance state, readable without colour (and in ASCII: `*`,
/// `x`, `>`, `o`, `@`, `=`, `.`); the UI colours each by its glyph.
pub(crate) fn mark(state: Option<&str>) -> char {
    match state {
        Some("success") => '●',
        Some("failed" | "upstream_failed") => '✗',
        Some("running") => '▶',
        Some("queued" | "scheduled") => '○',
        Some("up_for_retry" | "up_for_reschedule" | "restarting") => '⟳',
        Some("deferred") => '⏸',
        _ => '·',
    }
}

/// `✗ failed`: the state with its mark.
pub(crate) fn state_cell(state: Option<&str>) -> Cell {
    Cell::with(
        format!("{} {}", mark(state), state.unwrap_or("none")),
        Look::Marks,
    )
}

fn paused(d: &DagRow) -> Cell {
    if d.dag.is_paused {
        Cell::with("paused", Look::Dim)
    } else {
        Cell::with("active", Look::Accent)
    }
}

/// A DAG whose file failed to import is marked, so it reads without colour too.
fn dag_id(d: &DagRow) -> Cell {
    if d.dag.has_import_errors {
        Cell::with(format!("{} ✗import", d.dag.dag_id), Look::Warning)
    } else {
        Cell::with(d.dag.dag_id.clone(), Look::Title)
    }
}

fn marks(d: &DagRow) -> Cell {
    if d.recent_runs.is_empty() {
        return Cell::with("-", Look::Dim);
    }
    let text: String = d.recent_runs.iter().map(|s| mark(s.as_deref())).collect();
    Cell::with(text, Look::Marks)
}

/// The newest run's state decides (failed first), then how many of the marks failed.
fn by_marks(a: &DagRow, b: &DagRow) -> Ordering {
    let weight = |d: &DagRow| {
        let newest = d.recent_runs.last().map(|s| s.as_deref());
        let failed = d
            .recent_runs
            .iter()
            .filter(|s| s.as_deref() == Some("failed"))
            .count();
        (newest == Some(Some("failed")), failed)
    };
    weight(b).cmp(&weight(a))
}

fn count(n: Option<usize>, look: Look) -> Cell {
    match n {
        None => Cell::with("-", Look::Dim),
        Some(0) => Cell::with("0", Look::Dim),
        Some(n) => Cell::with(n.to_string(), look),
    }
}

pub(crate) static DAGS: Spec<DagRow> = Spec {
    title: "DAGs",
    noun: "DAG",
    name: |d| d.dag.dag_id.as_str(),
    columns: &[
        Column {
            layout: flex("DAG", 20, 0),
            cell: |d, _| dag_id(d),
            sort: |a, b| by_text(&a.dag.dag_id, &b.dag.dag_id),
        },
        Column {
            layout: layout("State", 6, 1),
            cell: |d, _| paused(d),
            sort: |a, b| a.dag.is_paused.cmp(&b.dag.is_paused),
        },
        Column {
            layout: layout("Runs", 5, 0),
            cell: |d, _| marks(d),
            sort: by_marks,
        },
        Column {
            layout: layout("Last run", 8, 1),
            cell: |d, env| last_run(env.now, d),
            sort: |a, b| by_time(a.last_run, b.last_run),
        },
        Column {
            layout: layout("Next run", 8, 2),
            cell: |d, env| next_run(env.now, d),
            // Soonest first.
            sort: |a, b| by_time(b.dag.next_run, a.dag.next_run),
        },
        Column {
            layout: layout("Running", 7, 2),
            cell: |d, _| count(d.running_tasks, Look::Accent),
            sort: |a, b| b.running_tasks.cmp(&a.running_tasks),
        },
        Column {
            layout: layout("Failed 24h", 10, 1),
            cell: |d, _| count(d.failed_tasks, Look::Warning),
            sort: |a, b| b.failed_tasks.cmp(&a.failed_tasks),
        },
        Column {
            layout: layout("Schedule", 12, 3),
            cell: |d, _| Cell::plain(d.dag.schedule.clone().unwrap_or_else(|| "-".into())),
            sort: |a, b| by_opt_text(a.dag.schedule.as_deref(), b.dag.schedule.as_deref()),
        },
        Column {
            layout: flex("Owners", 8, 4),
            cell: |d, _| Cell::plain(d.dag.owners.join(", ")),
            sort: |a, b| by_text(&a.dag.owners.join(","), &b.dag.owners.join(",")),
        },
        Column {
            layout: flex("Tags", 8, 5),
            cell: |d, _| Cell::with(d.dag.tags.join(", "), Look::Dim),
            sort: |a, b| by_text(&a.dag.tags.join(","), &b.dag.tags.join(",")),
        },
    ],
    key: |d| d.dag.dag_id.as_str(),
    search: |d, f| {
        f(&d.dag.dag_id)
            || d.dag.owners.iter().any(|o| f(o))
            || d.dag.tags.iter().any(|t| f(t))
            || d.dag.schedule.as_deref().is_some_and(&mut *f)
            || d.recent_runs
                .last()
                .and_then(|s| s.as_deref())
                .is_some_and(f)
    },
    default_sort: Some(Sort {
        column: 0,
        descending: false,
    }),
    copy: &[
        CopyTarget {
            label: "DAG id",
            value: |d| Some(d.dag.dag_id.clone()),
        },
        CopyTarget {
            label: "DAG file",
            value: |d| d.dag.fileloc.clone(),
        },
    ],
};

/// `3h ago`; `never` for a DAG known to have no run; `>9h` for one with no run among the
/// newest read across DAGs (they go back 9 h) while its own read is not in.
fn last_run(now: Timestamp, d: &DagRow) -> Cell {
    match (d.last_run, d.no_run_since) {
        (Some(at), _) => Cell::plain(age_or(now, Some(at), "-")),
        (None, _) if d.never_ran => Cell::with("never", Look::Dim),
        (None, Some(since)) => Cell::with(
            format!(">{}", short_duration((now - since).num_seconds())),
            Look::Dim,
        ),
        (None, None) => Cell::with("-", Look::Dim),
    }
}

/// A run the scheduler will create: "in 3h"; one it should have created already: "due", or
/// "late 2h" once that is past `LATE_SECS` (a scheduler falling behind). A paused DAG gets none,
/// whatever date Airflow keeps for it: "-".
fn next_run(now: Timestamp, d: &DagRow) -> Cell {
    match d.dag.next_run {
        _ if d.dag.is_paused => Cell::with("-", Look::Dim),
        Some(at) if at > now => Cell::with(
            format!("in {}", short_duration((at - now).num_seconds())),
            Look::Dim,
        ),
        Some(at) if (now - at).num_seconds() < LATE_SECS => Cell::with("due", Look::Dim),
        Some(at) => Cell::with(
            format!("late {}", short_duration((now - at).num_seconds())),
            Look::Warning,
        ),
        None => Cell::with("-", Look::Dim),
    }
}

/// How long after its time a run may wait for the scheduler before it is "late".
const LATE_SECS: i64 = 300;
