//! The System Admin panel's task usage: every deployment of the platform (the platform-wide
//! list) with its successful, failed and total task runs over the chosen range
//! (`deploymentTaskUsage`, one request per deployment; APC 1.0 on), worst failure rate first.

use serde::Serialize;

use super::cache::Cache;
use crate::houston::request::{Payload, Request};
use crate::houston::system::TaskUsage;

/// The ranges `w` cycles through, in days; the second is where the panel starts.
pub(crate) const RANGES: [u16; 3] = [7, 30, 90];

/// The range after `days`.
pub(crate) fn next_range(days: u16) -> u16 {
    let i = RANGES.iter().position(|d| *d == days).unwrap_or(0);
    RANGES[(i + 1) % RANGES.len()]
}

/// One deployment's row: its task runs once answered; `note` says why there are none.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaskUsageRow {
    pub(crate) deployment_id: String,
    pub(crate) deployment: String,
    pub(crate) release_name: String,
    pub(crate) usage: Option<TaskUsage>,
    /// "…" while asked, "—" when Houston has none (refused, not available).
    #[serde(skip)]
    pub(crate) note: &'static str,
}

fn request(release: &str, days: u16) -> Request {
    Request::TaskUsage {
        release: release.to_string(),
        days,
    }
}

/// The platform-wide list, then one task-usage read per deployment in it.
pub(crate) fn requests(cache: &Cache, days: u16) -> Vec<Request> {
    let mut out = vec![Request::AllDeployments];
    for d in cache.platform_deployments().unwrap_or(&[]) {
        out.push(request(&d.release_name, days));
    }
    out
}

/// The rows, in the platform list's order (the table sorts them).
pub(crate) fn rows(cache: &Cache, days: u16) -> Vec<TaskUsageRow> {
    cache
        .platform_deployments()
        .unwrap_or(&[])
        .iter()
        .map(|d| {
            let remote = cache.remote(&request(&d.release_name, days));
            let usage = match remote.and_then(|r| r.data()) {
                Some(Payload::TaskUsage(u)) => Some(u.clone()),
                _ => None,
            };
            let note = match remote {
                _ if usage.is_some() => "",
                Some(r) if r.is_failed() => "—",
                _ => "…",
            };
            TaskUsageRow {
                deployment_id: d.id.to_string(),
                deployment: d.label.clone(),
                release_name: d.release_name.clone(),
                usage,
                note,
            }
        })
        .collect()
}

/// Changes whenever the list or any of its rows' usage does.
pub(crate) fn generation(cache: &Cache, days: u16) -> u64 {
    requests(cache, days).iter().fold(1u64, |g, r| {
        g.wrapping_mul(1_000_003).wrapping_add(cache.generation(r))
    })
}
