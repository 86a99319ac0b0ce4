//! The Clusters table: name, status with its reason, Kubernetes version, provider, how many
//! deployments run there, and the data plane's URL.

use super::specs::{
    DEPLOYMENT_AIRFLOW, DEPLOYMENT_COPY, DEPLOYMENT_EXECUTOR, DEPLOYMENT_IMAGE, DEPLOYMENT_NAME,
    DEPLOYMENT_RELEASE, DEPLOYMENT_STATUS, DEPLOYMENT_UPDATED, DEPLOYMENTS, by_opt_text, by_text,
    flex, layout,
};
use super::{Cell, Column, CopyTarget, Look, Rows, Sort, Spec, spec_rows};
use crate::app::cache::Cache;
use crate::app::clusters::{ClusterRow, rows as cluster_rows};
use crate::houston::model::{ClusterStatus, Deployment};
use crate::ui::format::or_dash;

/// `ACTIVE`, or `INACTIVE: why` (Houston's `statusReason`).
pub(crate) fn status_text(status: &ClusterStatus, reason: Option<&str>) -> String {
    match (status, reason) {
        (ClusterStatus::Active, _) | (_, None) => status.label().to_string(),
        (_, Some(reason)) => format!("{}: {reason}", status.label()),
    }
}

const COLUMNS: &[Column<ClusterRow>] = &[
    Column {
        layout: flex("Name", 14, 0),
        cell: |r, _| Cell::with(r.cluster.name.clone(), Look::Title),
        sort: |a, b| by_text(&a.cluster.name, &b.cluster.name),
    },
    Column {
        layout: flex("Status", 12, 0),
        cell: |r, _| {
            let c = &r.cluster;
            let look = if c.status.is_active() {
                Look::Plain
            } else {
                Look::Warning
            };
            Cell::with(status_text(&c.status, c.status_reason.as_deref()), look)
        },
        // Problems first.
        sort: |a, b| {
            a.cluster
                .status
                .is_active()
                .cmp(&b.cluster.status.is_active())
                .then_with(|| by_text(&a.cluster.name, &b.cluster.name))
        },
    },
    Column {
        layout: layout("Kubernetes", 10, 2),
        cell: |r, _| Cell::plain(or_dash(r.cluster.k8s_version.as_deref())),
        sort: |a, b| {
            by_opt_text(
                a.cluster.k8s_version.as_deref(),
                b.cluster.k8s_version.as_deref(),
            )
        },
    },
    Column {
        layout: layout("Provider", 9, 3),
        cell: |r, _| Cell::plain(or_dash(r.cluster.cloud_provider.as_deref())),
        sort: |a, b| {
            by_opt_text(
                a.cluster.cloud_provider.as_deref(),
                b.cluster.cloud_provider.as_deref(),
            )
        },
    },
    Column {
        layout: layout("Deployments", 11, 1),
        cell: |r, _| {
            Cell::plain(
                r.deployment_count
                    .map_or_else(|| "—".to_string(), |n| n.to_string()),
            )
        },
        sort: |a, b| a.deployment_count.cmp(&b.deployment_count),
    },
    Column {
        layout: flex("Data plane", 16, 4),
        cell: |r, _| Cell::with(or_dash(r.cluster.data_plane_url.as_deref()), Look::Dim),
        sort: |a, b| {
            by_opt_text(
                a.cluster.data_plane_url.as_deref(),
                b.cluster.data_plane_url.as_deref(),
            )
        },
    },
];

pub(crate) static CLUSTERS: Spec<ClusterRow> = Spec {
    title: "Clusters",
    noun: "cluster",
    name: |r| r.cluster.name.as_str(),
    columns: COLUMNS,
    key: |r| r.cluster.id.as_str(),
    search: |r, f| {
        let c = &r.cluster;
        f(&c.name)
            || f(c.status.label())
            || f(c.status_reason.as_deref().unwrap_or(""))
            || f(c.k8s_version.as_deref().unwrap_or(""))
            || f(c.cloud_provider.as_deref().unwrap_or(""))
            || f(c.data_plane_url.as_deref().unwrap_or(""))
    },
    // Problems first, then by name.
    default_sort: Some(Sort {
        column: 1,
        descending: false,
    }),
    copy: &[
        CopyTarget {
            label: "name",
            value: |r| Some(r.cluster.name.clone()),
        },
        CopyTarget {
            label: "id",
            value: |r| Some(r.cluster.id.to_string()),
        },
        CopyTarget {
            label: "data plane URL",
            value: |r| r.cluster.data_plane_url.clone(),
        },
    ],
};

/// The rows of the Clusters table (owned: a handful, with counts worked out per call).
pub(crate) fn rows(cache: &Cache) -> Box<dyn Rows + '_> {
    spec_rows(Owned(cluster_rows(cache)), &CLUSTERS)
}

/// Rows computed for the call rather than borrowed from the cache.
struct Owned(Vec<ClusterRow>);

impl super::RowSource<ClusterRow> for Owned {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn get(&self, i: usize) -> Option<&ClusterRow> {
        self.0.get(i)
    }
}

/// A deployment's cluster; an INACTIVE one is marked (it takes no new deployments or config
/// updates).
pub(super) const DEPLOYMENT_CLUSTER: Column<Deployment> = Column {
    layout: flex("Cluster", 12, 0),
    cell: |d, _| match &d.cluster {
        None => Cell::plain("—"),
        Some(c) if c.status == ClusterStatus::Inactive => {
            Cell::with(format!("✗ {} (INACTIVE)", c.name), Look::Warning)
        }
        Some(c) => Cell::plain(c.name.clone()),
    },
    sort: |a, b| {
        by_opt_text(
            a.cluster.as_ref().map(|c| c.name.as_str()),
            b.cluster.as_ref().map(|c| c.name.as_str()),
        )
    },
};

/// A deployment's cluster name, for `/` (filtering a list by cluster).
pub(super) fn cluster_name(d: &Deployment) -> &str {
    d.cluster.as_ref().map_or("", |c| c.name.as_str())
}

/// Whether a list's deployments run on clusters (Houston 1.0+): then it shows the column.
pub(super) fn on_clusters(list: Option<&[Deployment]>) -> bool {
    list.is_some_and(|l| l.iter().any(|d| d.cluster.is_some()))
}

/// A workspace's deployments on Houston 1.0+: `DEPLOYMENTS` with the cluster.
pub(crate) static DEPLOYMENTS_ON_CLUSTERS: Spec<Deployment> = Spec {
    columns: &[
        DEPLOYMENT_NAME,
        DEPLOYMENT_RELEASE,
        DEPLOYMENT_STATUS,
        DEPLOYMENT_EXECUTOR,
        DEPLOYMENT_AIRFLOW,
        DEPLOYMENT_IMAGE,
        DEPLOYMENT_UPDATED,
        DEPLOYMENT_CLUSTER,
    ],
    title: "Deployments",
    noun: "deployment",
    name: |d| d.label.as_str(),
    key: |d| d.id.as_str(),
    search: |d, f| (DEPLOYMENTS.search)(d, f) || f(cluster_name(d)),
    default_sort: None,
    copy: DEPLOYMENT_COPY,
};
