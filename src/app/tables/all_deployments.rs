//! The all-deployments table: its spec (worst status first, then name) and its rows, which
//! are either the platform-wide list or every workspace's own list read in place — never a
//! merged copy.

use std::cmp::Ordering;

use super::specs::{
    DEPLOYMENT_AIRFLOW, DEPLOYMENT_COPY, DEPLOYMENT_EXECUTOR, DEPLOYMENT_IMAGE, DEPLOYMENT_NAME,
    DEPLOYMENT_RELEASE, DEPLOYMENT_STATUS, DEPLOYMENT_UPDATED, by_opt_text, by_text, flex, layout,
    or_dash,
};
use super::{Cell, Column, Ctx, Layout, Look, Rows, Sort, Spec, contains_ignore_case};
use crate::app::all_deployments::lists;
use crate::app::cache::Cache;
use crate::houston::model::Deployment;

/// The column the view is sorted by until the user picks another.
const STATUS_COLUMN: usize = 5;

pub static ALL_DEPLOYMENTS: Spec<Deployment> = Spec {
    title: "All deployments",
    noun: "deployment",
    columns: &[
        Column {
            layout: flex("Workspace", 12, 1),
            cell: |d, _| Cell::plain(or_dash(d.workspace_label.as_deref())),
            sort: |a, b| by_opt_text(a.workspace_label.as_deref(), b.workspace_label.as_deref()),
        },
        DEPLOYMENT_NAME,
        Column {
            layout: layout("Release", 24, 2),
            ..DEPLOYMENT_RELEASE
        },
        DEPLOYMENT_EXECUTOR,
        Column {
            layout: layout("Airflow", 14, 2),
            ..DEPLOYMENT_AIRFLOW
        },
        Column {
            // Worst first, then by name: problems on top in a stable order.
            sort: |a, b| {
                a.status
                    .cmp(&b.status)
                    .then_with(|| by_text(&a.label, &b.label))
            },
            ..DEPLOYMENT_STATUS
        },
        Column {
            layout: layout("Image", 12, 5),
            ..DEPLOYMENT_IMAGE
        },
        Column {
            layout: layout("Updated", 9, 4),
            ..DEPLOYMENT_UPDATED
        },
    ],
    key: |d| d.id.as_str(),
    search: |d, f| {
        f(&d.label)
            || f(d.workspace_label.as_deref().unwrap_or(""))
            || f(&d.release_name)
            || f(d.executor.label())
            || f(d.status.label())
            || f(d.airflow_version.as_deref().unwrap_or(""))
            || f(d.image_tag.as_deref().unwrap_or(""))
    },
    default_sort: Some(Sort {
        column: STATUS_COLUMN,
        descending: false,
    }),
    copy: DEPLOYMENT_COPY,
};

/// Several cached lists seen as one table, without copying them: row `i` is found by its
/// list's starting index.
struct PartsRows<'a> {
    parts: Vec<&'a [Deployment]>,
    /// Where each part starts, ascending.
    starts: Vec<usize>,
    len: usize,
    spec: &'static Spec<Deployment>,
}

impl<'a> PartsRows<'a> {
    fn new(parts: Vec<&'a [Deployment]>, spec: &'static Spec<Deployment>) -> Self {
        let mut starts = Vec::with_capacity(parts.len());
        let mut len = 0;
        for part in &parts {
            starts.push(len);
            len += part.len();
        }
        PartsRows {
            parts,
            starts,
            len,
            spec,
        }
    }

    fn get(&self, i: usize) -> Option<&'a Deployment> {
        if i >= self.len {
            return None;
        }
        // The last part starting at or before `i` (empty parts share a start; skip them).
        let part = self.starts.partition_point(|&s| s <= i).checked_sub(1)?;
        let start = *self.starts.get(part)?;
        self.parts.get(part)?.get(i - start)
    }
}

impl Rows for PartsRows<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn key(&self, i: usize) -> &str {
        self.get(i).map_or("", |r| (self.spec.key)(r))
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        self.get(i)
            .is_some_and(|r| (self.spec.search)(r, &mut |text| contains_ignore_case(text, needle)))
    }
    fn compare(&self, column: usize, a: usize, b: usize) -> Ordering {
        match (self.get(a), self.get(b), self.spec.columns.get(column)) {
            (Some(x), Some(y), Some(c)) => (c.sort)(x, y),
            _ => Ordering::Equal,
        }
    }
    fn cell(&self, i: usize, column: usize, ctx: &Ctx) -> Cell {
        match (self.get(i), self.spec.columns.get(column)) {
            (Some(r), Some(c)) => (c.cell)(r, ctx),
            _ => Cell::with("", Look::Plain),
        }
    }
    fn layouts(&self) -> Vec<Layout> {
        self.spec.columns.iter().map(|c| c.layout).collect()
    }
    fn title(&self) -> &'static str {
        self.spec.title
    }
    fn noun(&self) -> &'static str {
        self.spec.noun
    }
    fn default_sort(&self) -> Option<Sort> {
        self.spec.default_sort
    }
    fn copy_targets(&self, i: usize) -> Vec<(&'static str, String)> {
        let Some(row) = self.get(i) else {
            return Vec::new();
        };
        self.spec
            .copy
            .iter()
            .filter_map(|c| (c.value)(row).map(|v| (c.label, v)))
            .collect()
    }
}

/// The rows of the all-deployments table (empty until something is loaded).
pub fn rows(cache: &Cache) -> Box<dyn Rows + '_> {
    Box::new(PartsRows::new(lists(cache).parts, &ALL_DEPLOYMENTS))
}

/// The deployment behind row `i` of the table.
pub fn deployment(cache: &Cache, i: usize) -> Option<&Deployment> {
    PartsRows::new(lists(cache).parts, &ALL_DEPLOYMENTS).get(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::houston::model::*;

    fn d(id: &str) -> Deployment {
        Deployment {
            id: id.into(),
            label: id.into(),
            description: None,
            release_name: String::new(),
            namespace: None,
            workspace_id: None,
            workspace_label: None,
            executor: Executor::Local,
            airflow_version: None,
            desired_airflow_version: None,
            runtime_version: None,
            desired_runtime_version: None,
            runtime_airflow_version: None,
            chart_version: None,
            status: DeploymentStatus::Healthy,
            image_tag: None,
            urls: vec![],
            resources: vec![],
            extra_au: None,
            capabilities: DeploymentCapabilities::default(),
            created_at: None,
            updated_at: None,
        }
    }

    #[test]
    fn rows_span_the_parts_in_order_skipping_empty_ones() {
        let (a, empty, b) = (vec![d("a1"), d("a2")], vec![], vec![d("b1")]);
        let rows = PartsRows::new(vec![&a, &empty, &empty, &b], &ALL_DEPLOYMENTS);
        assert_eq!(rows.len(), 3);
        let keys: Vec<&str> = (0..4).map(|i| rows.key(i)).collect();
        assert_eq!(keys, ["a1", "a2", "b1", ""]);
        let none = PartsRows::new(vec![&empty], &ALL_DEPLOYMENTS);
        assert_eq!((none.len(), none.key(0)), (0, ""));
    }
}
