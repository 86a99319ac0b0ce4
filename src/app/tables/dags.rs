//! The DAGs tab's table: one row per DAG of a deployment's Airflow.

use super::specs::{by_opt_text, by_text, by_time, flex, layout};
use super::{Cell, Column, CopyTarget, Look, Sort, Spec};
use crate::airflow::model::Dag;
use crate::ui::format::{age_or, short_duration};

fn paused(d: &Dag) -> Cell {
    if d.is_paused {
        Cell::with("paused", Look::Dim)
    } else {
        Cell::with("active", Look::Accent)
    }
}

/// A DAG whose file failed to import is marked, so it reads without colour too.
fn dag_id(d: &Dag) -> Cell {
    if d.has_import_errors {
        Cell::with(format!("{} ✗import", d.dag_id), Look::Warning)
    } else {
        Cell::with(d.dag_id.clone(), Look::Title)
    }
}

pub static DAGS: Spec<Dag> = Spec {
    title: "DAGs",
    noun: "DAG",
    name: |d| d.dag_id.as_str(),
    columns: &[
        Column {
            layout: flex("DAG", 24, 0),
            cell: |d, _| dag_id(d),
            sort: |a, b| by_text(&a.dag_id, &b.dag_id),
        },
        Column {
            layout: layout("State", 7, 0),
            cell: |d, _| paused(d),
            sort: |a, b| a.is_paused.cmp(&b.is_paused),
        },
        Column {
            layout: layout("Schedule", 14, 1),
            cell: |d, _| Cell::plain(d.schedule.clone().unwrap_or_else(|| "-".into())),
            sort: |a, b| by_opt_text(a.schedule.as_deref(), b.schedule.as_deref()),
        },
        Column {
            layout: layout("Next run", 9, 2),
            cell: |d, env| Cell::with(next_run(env.now, d), Look::Dim),
            sort: |a, b| by_time(b.next_run, a.next_run),
        },
        Column {
            layout: flex("Owners", 10, 3),
            cell: |d, _| Cell::plain(d.owners.join(", ")),
            sort: |a, b| by_text(&a.owners.join(","), &b.owners.join(",")),
        },
        Column {
            layout: flex("Tags", 10, 4),
            cell: |d, _| Cell::with(d.tags.join(", "), Look::Dim),
            sort: |a, b| by_text(&a.tags.join(","), &b.tags.join(",")),
        },
    ],
    key: |d| d.dag_id.as_str(),
    search: |d, f| {
        f(&d.dag_id)
            || d.owners.iter().any(|o| f(o))
            || d.tags.iter().any(|t| f(t))
            || d.schedule.as_deref().is_some_and(f)
    },
    default_sort: Some(Sort {
        column: 0,
        descending: false,
    }),
    copy: &[
        CopyTarget {
            label: "DAG id",
            value: |d| Some(d.dag_id.clone()),
        },
        CopyTarget {
            label: "DAG file",
            value: |d| d.fileloc.clone(),
        },
    ],
};

/// "in 3h" for a run the scheduler will create, "-" for none.
fn next_run(now: crate::houston::model::Timestamp, d: &Dag) -> String {
    match d.next_run {
        Some(at) if at > now => format!("in {}", short_duration((at - now).num_seconds())),
        other => age_or(now, other, "-"),
    }
}
