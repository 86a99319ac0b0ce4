//! The tables under the DAGs tab: a DAG's runs (Enter on a DAG) and a run's task instances
//! (Enter on a run), from the deployment's Airflow.

use super::dags::state_cell;
use super::specs::{by_opt_text, by_text, by_time, flex, layout};
use super::{Cell, Column, CopyTarget, Look, Spec};
use crate::airflow::model::{DagRun, TaskInstance};
use crate::houston::model::Timestamp;
use crate::ui::format::age_or;

/// `12s`, `3m 05s`, `2h 03m`: precise enough to compare tries, short enough for a column.
pub(crate) fn duration_text(secs: Option<f64>) -> String {
    let Some(secs) = secs.filter(|s| s.is_finite() && *s >= 0.0) else {
        return "-".into();
    };
    let secs = secs.round() as i64;
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{}h {:02}m", secs / 3600, secs % 3600 / 60),
    }
}

fn run_seconds(r: &DagRun, now: Timestamp) -> Option<f64> {
    r.duration(now)
        .map(|d| d.num_milliseconds() as f64 / 1000.0)
}

/// For sorting without a clock: a run still going counts as the longest.
fn sort_seconds(r: &DagRun) -> Option<f64> {
    let start = r.start_date?;
    Some(r.end_date.map_or(f64::INFINITY, |end| {
        (end - start).num_milliseconds() as f64 / 1000.0
    }))
}

fn date(at: Option<Timestamp>) -> String {
    at.map_or_else(|| "-".into(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}

/// The run's conf on one line; nothing for none or `{}`.
fn conf_text(r: &DagRun) -> String {
    match &r.conf {
        Some(v) if !v.is_null() && v.as_object().is_none_or(|o| !o.is_empty()) => v.to_string(),
        _ => String::new(),
    }
}

fn state_order(s: Option<&str>) -> u8 {
    match s {
        Some("failed" | "upstream_failed") => 0,
        Some("running") => 1,
        Some("up_for_retry" | "restarting" | "deferred") => 2,
        Some("queued" | "scheduled") => 3,
        Some("success") => 5,
        _ => 4,
    }
}

pub(crate) static RUNS: Spec<DagRun> = Spec {
    title: "Runs",
    noun: "run",
    name: |r| r.dag_run_id.as_str(),
    columns: &[
        Column {
            layout: flex("Run", 24, 0),
            cell: |r, _| Cell::with(r.dag_run_id.clone(), Look::Title),
            sort: |a, b| by_text(&a.dag_run_id, &b.dag_run_id),
        },
        Column {
            layout: layout("State", 10, 0),
            cell: |r, _| state_cell(r.state.as_deref()),
            sort: |a, b| state_order(a.state.as_deref()).cmp(&state_order(b.state.as_deref())),
        },
        Column {
            layout: layout("Type", 9, 2),
            cell: |r, _| Cell::plain(r.run_type.clone().unwrap_or_else(|| "-".into())),
            sort: |a, b| by_opt_text(a.run_type.as_deref(), b.run_type.as_deref()),
        },
        Column {
            layout: layout("Logical date", 16, 2),
            cell: |r, _| Cell::with(date(r.logical_date), Look::Dim),
            sort: |a, b| by_time(a.logical_date, b.logical_date),
        },
        Column {
            layout: layout("Started", 8, 1),
            cell: |r, env| Cell::plain(age_or(env.now, r.start_date, "-")),
            sort: |a, b| by_time(a.start_date, b.start_date),
        },
        Column {
            layout: layout("Duration", 8, 1),
            cell: |r, env| Cell::plain(duration_text(run_seconds(r, env.now))),
            sort: |a, b| sort_seconds(b).total_cmp_opt(sort_seconds(a)),
        },
        Column {
            layout: flex("Conf", 8, 3),
            cell: |r, _| Cell::with(conf_text(r), Look::Dim),
            sort: |a, b| by_text(&conf_text(a), &conf_text(b)),
        },
    ],
    key: |r| r.dag_run_id.as_str(),
    search: |r, f| {
        f(&r.dag_run_id)
            || r.state.as_deref().is_some_and(&mut *f)
            || r.run_type.as_deref().is_some_and(&mut *f)
            || f(&conf_text(r))
    },
    // Airflow's order: newest first.
    default_sort: None,
    copy: &[
        CopyTarget {
            label: "run id",
            value: |r| Some(r.dag_run_id.clone()),
        },
        CopyTarget {
            label: "conf",
            value: |r| Some(conf_text(r)).filter(|c| !c.is_empty()),
        },
    ],
};

pub(crate) static TASK_INSTANCES: Spec<TaskInstance> = Spec {
    title: "Task instances",
    noun: "task instance",
    name: |t| t.name.as_str(),
    columns: &[
        Column {
            layout: flex("Task", 20, 0),
            // `extract[3]`: a mapped task's instances sort by task, then map index.
            cell: |t, _| Cell::with(t.name.clone(), Look::Title),
            sort: |a, b| by_text(&a.task_id, &b.task_id).then(a.map_index.cmp(&b.map_index)),
        },
        Column {
            layout: layout("State", 10, 0),
            cell: |t, _| state_cell(t.state.as_deref()),
            sort: |a, b| state_order(a.state.as_deref()).cmp(&state_order(b.state.as_deref())),
        },
        Column {
            layout: layout("Try", 3, 1),
            cell: |t, _| Cell::plain(t.try_number.to_string()),
            sort: |a, b| b.try_number.cmp(&a.try_number),
        },
        Column {
            layout: layout("Started", 8, 1),
            cell: |t, env| Cell::plain(age_or(env.now, t.start_date, "-")),
            sort: |a, b| by_time(a.start_date, b.start_date),
        },
        Column {
            layout: layout("Duration", 8, 1),
            cell: |t, _| Cell::plain(duration_text(t.duration)),
            sort: |a, b| b.duration.total_cmp_opt(a.duration),
        },
        Column {
            layout: flex("Operator", 10, 2),
            cell: |t, _| Cell::with(t.operator.clone().unwrap_or_default(), Look::Dim),
            sort: |a, b| by_opt_text(a.operator.as_deref(), b.operator.as_deref()),
        },
        Column {
            layout: flex("Host", 10, 3),
            cell: |t, _| Cell::with(t.hostname.clone().unwrap_or_default(), Look::Dim),
            sort: |a, b| by_opt_text(a.hostname.as_deref(), b.hostname.as_deref()),
        },
    ],
    // A mapped task's instances share the task id.
    key: |t| t.name.as_str(),
    search: |t, f| {
        f(&t.name)
            || t.state.as_deref().is_some_and(&mut *f)
            || t.operator.as_deref().is_some_and(&mut *f)
            || t.hostname.as_deref().is_some_and(f)
    },
    // Airflow's order.
    default_sort: None,
    copy: &[
        CopyTarget {
            label: "task id",
            value: |t| Some(t.task_id.clone()),
        },
        CopyTarget {
            label: "host",
            value: |t| t.hostname.clone().filter(|h| !h.is_empty()),
        },
    ],
};

/// Longest first is what one wants from "sort by duration"; unknown last.
trait OptCmp {
    fn total_cmp_opt(self, other: Self) -> std::cmp::Ordering;
}

impl OptCmp for Option<f64> {
    fn total_cmp_opt(self, other: Option<f64>) -> std::cmp::Ordering {
        match (self, other) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            (Some(_), None) => std::cmp::Ordering::Greater,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (None, None) => std::cmp::Ordering::Equal,
        }
    }
}
