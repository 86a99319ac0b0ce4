//! The import errors on a deployment's Overview: one row per DAG file Airflow failed to import.
//! `d` (or Enter) shows a row whole, its stack trace included.

use super::specs::{by_text, by_time, flex, layout};
use super::{Cell, Column, CopyTarget, Look, Sort, Spec};
use crate::airflow::model::ImportError;
use crate::ui::format::age_or;

/// What went wrong, in one line: the trace's last line names the exception (its first is
/// always "Traceback (most recent call last):").
pub(crate) fn error_line(e: &ImportError) -> &str {
    e.stack_trace
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("")
}

pub(crate) static IMPORT_ERRORS: Spec<ImportError> = Spec {
    title: "Import errors",
    noun: "import error",
    name: |e| e.filename.as_str(),
    columns: &[
        Column {
            layout: flex("File", 20, 0),
            cell: |e, _| Cell::with(e.filename.clone(), Look::Warning),
            sort: |a, b| by_text(&a.filename, &b.filename),
        },
        Column {
            layout: layout("Seen", 8, 1),
            cell: |e, env| Cell::with(age_or(env.now, e.timestamp, "—"), Look::Dim),
            sort: |a, b| by_time(a.timestamp, b.timestamp),
        },
        Column {
            layout: flex("Error", 24, 0),
            cell: |e, _| Cell::plain(error_line(e)),
            sort: |a, b| by_text(error_line(a), error_line(b)),
        },
    ],
    key: |e| e.filename.as_str(),
    search: |e, f| f(&e.filename) || f(&e.stack_trace),
    default_sort: Some(Sort {
        column: 0,
        descending: false,
    }),
    copy: &[
        CopyTarget {
            label: "file",
            value: |e| Some(e.filename.clone()),
        },
        CopyTarget {
            label: "stack trace",
            value: |e| Some(e.stack_trace.clone()),
        },
    ],
};
