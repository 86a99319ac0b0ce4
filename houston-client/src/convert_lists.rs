//! Replies of the lean list documents (`DeploymentRows`, `AllDeploymentRows`, the status
//! documents) → domain types. A row is a `Deployment` with what the lists draw; what only the
//! deployment dashboard shows (description, namespace, chart, resources, creation time) stays
//! empty until that dashboard fetches the deployment itself.

use super::convert::{capabilities_from, non_empty, parse_timestamp, rows, urls_from};
use super::model::*;
use super::ops;

/// One row from any generated row type. `$runtime` converts the Astro Runtime fields (or
/// leaves them `None` for documents without them); `$caps` the capabilities.
/// `ac` gives the Astronomer Certified versions and the cluster: `(airflow, desired, cluster)`
/// (by default the AC fields and no cluster, as before Houston 1.0).
macro_rules! row_from {
    ($d:expr, runtime($rt:ident) $runtime:expr, caps($c:ident) $caps:expr, label($w:ident) $label:expr $(,)?) => {
        row_from!($d, runtime($rt) $runtime, caps($c) $caps, label($w) $label,
            ac(a) (non_empty(a.airflow_version.clone()), non_empty(a.desired_airflow_version.clone()), None))
    };
    ($d:expr, runtime($rt:ident) $runtime:expr, caps($c:ident) $caps:expr, label($w:ident) $label:expr,
        ac($a:ident) $ac:expr $(,)?) => {{
        let d = $d;
        let $a = &d;
        let (airflow_version, desired_airflow_version, cluster) = $ac;
        let $rt = &d;
        let (runtime_version, desired_runtime_version, runtime_airflow_version) = $runtime;
        let $c = &d;
        let capabilities = $caps;
        let $w = d.workspace.as_ref();
        let workspace_label = $label;
        Deployment {
            label: non_empty(d.label.clone())
                .or_else(|| d.release_name.clone())
                .unwrap_or_else(|| d.id.clone()),
            description: None,
            release_name: d.release_name.unwrap_or_default(),
            namespace: None,
            workspace_id: d.workspace.as_ref().map(|w| WorkspaceId(w.id.clone())),
            workspace_label,
            executor: d
                .executor
                .as_deref()
                .map(Executor::parse)
                .unwrap_or_else(|| Executor::Other(String::new())),
            cluster,
            airflow_version,
            desired_airflow_version,
            runtime_version,
            desired_runtime_version,
            runtime_airflow_version,
            chart_version: None,
            status: DeploymentStatus::parse(d.status.as_deref()),
            image_tag: d.deploy_info.and_then(|i| non_empty(i.current)),
            urls: urls_from!(d.urls),
            resources: Vec::new(),
            extra_au: None,
            capabilities,
            created_at: None,
            updated_at: parse_timestamp(Some(&d.updated_at)),
            id: DeploymentId(d.id),
        }
    }};
}

macro_rules! runtime_fields {
    ($d:expr) => {
        (
            non_empty($d.runtime_version.clone()),
            non_empty($d.desired_runtime_version.clone()),
            non_empty($d.runtime_airflow_version.clone()),
        )
    };
}

/// A workspace's rows, Houston 0.29+.
pub(crate) fn deployment_rows(data: ops::deployment_rows::ResponseData) -> Vec<Deployment> {
    rows(data.workspace_deployments)
        .map(|d| {
            row_from!(d,
                runtime(r) runtime_fields!(r),
                caps(c) capabilities_from!(c.deployment_capabilities.as_ref()),
                label(w) w.and_then(|w| non_empty(w.label.clone())))
        })
        .collect()
}

/// A workspace's rows, Houston 1.0+: the cluster, no AC fields.
pub fn deployment_rows_v100(data: ops::deployment_rows_v100::ResponseData) -> Vec<Deployment> {
    rows(data.workspace_deployments)
        .map(|d| {
            row_from!(d,
                runtime(r) runtime_fields!(r),
                caps(c) capabilities_from!(c.deployment_capabilities.as_ref()),
                label(w) w.and_then(|w| non_empty(w.label.clone())),
                ac(a) (None, None, crate::cluster::cluster_ref!(a.cluster_id.as_ref(), a.cluster.as_ref())))
        })
        .collect()
}

/// A workspace's rows before 0.29.
pub(crate) fn deployment_rows_v023(
    data: ops::deployment_rows_v023::ResponseData,
) -> Vec<Deployment> {
    rows(data.workspace_deployments)
        .map(|d| {
            row_from!(d,
                runtime(_r) (None, None, None),
                caps(c) capabilities_from!(c.deployment_capabilities.as_ref()),
                label(w) w.and_then(|w| non_empty(w.label.clone())))
        })
        .collect()
}

/// Every deployment, from `paginatedDeployments` (0.32+). No capabilities: the
/// all-deployments view offers no changes.
pub fn all_deployment_rows(data: ops::all_deployment_rows::ResponseData) -> Vec<Deployment> {
    rows(data.paginated_deployments)
        .map(|d| {
            row_from!(d,
                runtime(r) runtime_fields!(r),
                caps(_c) DeploymentCapabilities::default(),
                label(w) w.and_then(|w| non_empty(w.label.clone())))
        })
        .collect()
}

/// Every deployment, from `paginatedDeployments` (1.0+): the cluster, no AC fields.
pub fn all_deployment_rows_v100(
    data: ops::all_deployment_rows_v100::ResponseData,
) -> Vec<Deployment> {
    rows(data.paginated_deployments)
        .map(|d| {
            row_from!(d,
                runtime(r) runtime_fields!(r),
                caps(_c) DeploymentCapabilities::default(),
                label(w) w.and_then(|w| non_empty(w.label.clone())),
                ac(a) (None, None, crate::cluster::cluster_ref!(a.cluster_id.as_ref(), a.cluster.as_ref())))
        })
        .collect()
}

/// Every deployment, from `deployments` (0.29–0.31).
pub(crate) fn all_deployment_rows_v029(
    data: ops::all_deployment_rows_v029::ResponseData,
) -> Vec<Deployment> {
    rows(data.deployments)
        .map(|d| {
            row_from!(d,
                runtime(r) runtime_fields!(r),
                caps(_c) DeploymentCapabilities::default(),
                label(w) w.and_then(|w| non_empty(w.label.clone())))
        })
        .collect()
}

/// Every deployment, from `deployments` before 0.29.
pub(crate) fn all_deployment_rows_v023(
    data: ops::all_deployment_rows_v023::ResponseData,
) -> Vec<Deployment> {
    rows(data.deployments)
        .map(|d| {
            row_from!(d,
                runtime(_r) (None, None, None),
                caps(_c) DeploymentCapabilities::default(),
                label(w) w.and_then(|w| non_empty(w.label.clone())))
        })
        .collect()
}

macro_rules! statuses_from {
    ($list:expr) => {
        rows($list)
            .map(|d| DeploymentStatusRow {
                id: DeploymentId(d.id),
                status: DeploymentStatus::parse(d.status.as_deref()),
            })
            .collect()
    };
}

pub(crate) fn deployment_statuses(
    data: ops::deployment_statuses::ResponseData,
) -> Vec<DeploymentStatusRow> {
    statuses_from!(data.workspace_deployments)
}

pub fn all_deployment_statuses(
    data: ops::all_deployment_statuses::ResponseData,
) -> Vec<DeploymentStatusRow> {
    statuses_from!(data.paginated_deployments)
}

pub(crate) fn all_deployment_statuses_v023(
    data: ops::all_deployment_statuses_v023::ResponseData,
) -> Vec<DeploymentStatusRow> {
    statuses_from!(data.deployments)
}
