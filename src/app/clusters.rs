//! The Clusters view (Houston 1.0+, `:clusters`): the platform's data planes with how many of
//! the deployments the caller can see run on each. Any authenticated user may list clusters;
//! the counts come from the all-deployments lists (the platform-wide one, or each workspace's
//! when Houston refuses it), so a caller sees the counts of what they can see.

use std::collections::HashMap;

use serde::Serialize;

use super::all_deployments::{lists, per_workspace};
use super::cache::Cache;
use crate::houston::model::{Cluster, ClusterId};
use crate::houston::request::Request;

/// One row of the Clusters view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterRow {
    #[serde(flatten)]
    pub cluster: Cluster,
    /// Deployments on it among those the caller can see; `None` until a list is loaded.
    pub deployment_count: Option<usize>,
}

/// How many loaded deployments run on each cluster; `None` while no list is loaded.
fn deployment_counts(cache: &Cache) -> Option<HashMap<&ClusterId, usize>> {
    let lists = lists(cache);
    if lists.generation == 0 || (lists.parts.is_empty() && !per_workspace(cache)) {
        return None;
    }
    let mut counts = HashMap::new();
    for d in lists.parts.iter().flat_map(|p| p.iter()) {
        if let Some(c) = &d.cluster {
            *counts.entry(&c.id).or_insert(0) += 1;
        }
    }
    Some(counts)
}

/// The view's rows, in Houston's order (the table sorts them).
pub fn rows(cache: &Cache) -> Vec<ClusterRow> {
    let counts = deployment_counts(cache);
    cache
        .clusters()
        .unwrap_or(&[])
        .iter()
        .map(|c| ClusterRow {
            deployment_count: counts
                .as_ref()
                .map(|counts| counts.get(&c.id).copied().unwrap_or(0)),
            cluster: c.clone(),
        })
        .collect()
}

/// What the view keeps fresh: the clusters, and the deployment lists their counts come from.
pub(crate) fn visible_requests(cache: &Cache) -> Vec<Request> {
    let mut out = vec![Request::Clusters];
    out.extend(super::all_deployments::visible_requests(cache));
    out
}
