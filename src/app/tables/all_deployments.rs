//! The all-deployments table: its spec (worst status first, then name) and its rows, which
//! are either the platform-wide list or every workspace's own list read in place — never a
//! merged copy.

use super::specs::{
    DEPLOYMENT_AIRFLOW, DEPLOYMENT_COPY, DEPLOYMENT_EXECUTOR, DEPLOYMENT_IMAGE, DEPLOYMENT_NAME,
    DEPLOYMENT_RELEASE, DEPLOYMENT_STATUS, DEPLOYMENT_UPDATED, by_opt_text, by_text, flex, layout,
};
use super::{Cell, Column, RowSource, Rows, Sort, Spec, spec_rows};
use crate::app::all_deployments::lists;
use crate::app::cache::Cache;
use crate::houston::model::Deployment;
use crate::ui::format::or_dash;

/// The column the view is sorted by until the user picks another.
const STATUS_COLUMN: usize = 5;

const COLUMNS: &[Column<Deployment>] = &[
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
        layout: flex("Airflow", 14, 2),
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
];

/// On Houston 1.0+: the same with each deployment's cluster last.
const COLUMNS_ON_CLUSTERS: &[Column<Deployment>] = &[
    COLUMNS[0],
    COLUMNS[1],
    COLUMNS[2],
    COLUMNS[3],
    COLUMNS[4],
    COLUMNS[5],
    COLUMNS[6],
    COLUMNS[7],
    super::clusters::DEPLOYMENT_CLUSTER,
];

fn search(d: &Deployment, f: &mut dyn FnMut(&str) -> bool) -> bool {
    f(&d.label)
        || f(d.workspace_label.as_deref().unwrap_or(""))
        || f(&d.release_name)
        || f(d.executor.label())
        || f(d.status.label())
        || f(d.airflow_version.as_deref().unwrap_or(""))
        || f(d.image_tag.as_deref().unwrap_or(""))
}

const BY_STATUS: Option<Sort> = Some(Sort {
    column: STATUS_COLUMN,
    descending: false,
});

pub(crate) static ALL_DEPLOYMENTS: Spec<Deployment> = Spec {
    title: "All deployments",
    noun: "deployment",
    name: |d| d.label.as_str(),
    columns: COLUMNS,
    key: |d| d.id.as_str(),
    search,
    default_sort: BY_STATUS,
    copy: DEPLOYMENT_COPY,
};

/// Every deployment on Houston 1.0+, with its cluster (and `/` finds a cluster's).
pub(crate) static ALL_DEPLOYMENTS_ON_CLUSTERS: Spec<Deployment> = Spec {
    columns: COLUMNS_ON_CLUSTERS,
    search: |d, f| search(d, f) || f(super::clusters::cluster_name(d)),
    title: "All deployments",
    noun: "deployment",
    name: |d| d.label.as_str(),
    key: |d| d.id.as_str(),
    default_sort: BY_STATUS,
    copy: DEPLOYMENT_COPY,
};

/// Several cached lists seen as one, without copying them: row `i` is found by its list's
/// starting index.
struct Parts<'a> {
    parts: Vec<&'a [Deployment]>,
    /// Where each part starts, ascending.
    starts: Vec<usize>,
    len: usize,
}

impl<'a> Parts<'a> {
    fn new(parts: Vec<&'a [Deployment]>) -> Self {
        let mut starts = Vec::with_capacity(parts.len());
        let mut len = 0;
        for part in &parts {
            starts.push(len);
            len += part.len();
        }
        Parts { parts, starts, len }
    }

    fn row(&self, i: usize) -> Option<&'a Deployment> {
        if i >= self.len {
            return None;
        }
        // The last part starting at or before `i` (empty parts share a start; skip them).
        let part = self.starts.partition_point(|&s| s <= i).checked_sub(1)?;
        let start = *self.starts.get(part)?;
        let list: &'a [Deployment] = self.parts.get(part).copied()?;
        list.get(i - start)
    }
}

impl RowSource<Deployment> for Parts<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn get(&self, i: usize) -> Option<&Deployment> {
        self.row(i)
    }
}

/// The rows of the all-deployments table (empty until something is loaded).
pub(crate) fn rows(cache: &Cache) -> Box<dyn Rows + '_> {
    let parts = lists(cache).parts;
    let on_clusters = parts.iter().any(|p| super::clusters::on_clusters(Some(p)));
    let spec = if on_clusters {
        &ALL_DEPLOYMENTS_ON_CLUSTERS
    } else {
        &ALL_DEPLOYMENTS
    };
    Box::new(super::fleet::WithAirflow::new(
        Parts::new(parts),
        spec,
        STATUS_COLUMN,
        cache,
    ))
}

/// Deployments shared with a caller who has no workspace: the same columns, their own title.
pub(crate) static SHARED_DEPLOYMENTS: Spec<Deployment> = Spec {
    title: "Deployments shared with you",
    noun: "deployment",
    name: |d| d.label.as_str(),
    columns: COLUMNS,
    key: |d| d.id.as_str(),
    search,
    default_sort: BY_STATUS,
    copy: DEPLOYMENT_COPY,
};

/// The rows of the account dashboard's shared-deployments table.
pub(crate) fn shared_rows(cache: &Cache) -> Box<dyn Rows + '_> {
    spec_rows(Parts::new(shared_parts(cache)), &SHARED_DEPLOYMENTS)
}

/// The shared deployment behind row `i` of that table.
pub(crate) fn shared_deployment(cache: &Cache, i: usize) -> Option<&Deployment> {
    Parts::new(shared_parts(cache)).row(i)
}

fn shared_parts(cache: &Cache) -> Vec<&[Deployment]> {
    crate::app::shared::deployments(cache)
        .into_iter()
        .map(std::slice::from_ref)
        .collect()
}

/// The deployment behind row `i` of the table.
pub fn deployment(cache: &Cache, i: usize) -> Option<&Deployment> {
    Parts::new(lists(cache).parts).row(i)
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
            cluster: None,
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
        let parts = Parts::new(vec![&a, &empty, &empty, &b]);
        assert_eq!(RowSource::len(&parts), 3);
        let ids: Vec<Option<&str>> = (0..4)
            .map(|i| parts.row(i).map(|d| d.id.as_str()))
            .collect();
        assert_eq!(ids, [Some("a1"), Some("a2"), Some("b1"), None]);
        let none = Parts::new(vec![&empty]);
        assert_eq!((RowSource::len(&none), none.row(0)), (0, None));
    }
}
