//! The Workers tab's table: a Celery deployment's workers as Flower reports them (its API, or,
//! when Flower refuses that, its metrics).

use super::specs::{flex, layout};
use super::{Cell, Column, CopyTarget, Look, Sort, Spec};
use crate::airflow::model::Worker;

fn online(w: &Worker) -> Cell {
    match w.online {
        Some(true) => Cell::with("online", Look::Accent),
        Some(false) => Cell::with("offline", Look::Warning),
        None => Cell::with("—", Look::Dim),
    }
}

pub(crate) static WORKERS: Spec<Worker> = Spec {
    title: "Workers",
    noun: "worker",
    name: |w| w.name.as_str(),
    columns: &[
        Column {
            layout: flex("Worker", 24, 0),
            cell: |w, _| Cell::with(w.name.clone(), Look::Title),
            sort: |a, b| super::specs::by_text(&a.name, &b.name),
        },
        Column {
            layout: layout("Status", 7, 0),
            cell: |w, _| online(w),
            sort: |a, b| b.online.cmp(&a.online),
        },
        Column {
            layout: layout("Pool", 5, 1),
            cell: |w, _| Cell::plain(w.pool_size.map_or("—".into(), |n| n.to_string())),
            sort: |a, b| b.pool_size.cmp(&a.pool_size),
        },
        Column {
            layout: layout("Active", 6, 0),
            cell: |w, _| Cell::plain(w.active.to_string()),
            sort: |a, b| b.active.cmp(&a.active),
        },
        Column {
            layout: layout("Processed", 9, 1),
            cell: |w, _| Cell::plain(w.processed.to_string()),
            sort: |a, b| b.processed.cmp(&a.processed),
        },
    ],
    key: |w| w.name.as_str(),
    search: |w, f| f(&w.name),
    default_sort: Some(Sort {
        column: 0,
        descending: false,
    }),
    copy: &[CopyTarget {
        label: "worker name",
        value: |w| Some(w.name.clone()),
    }],
};
