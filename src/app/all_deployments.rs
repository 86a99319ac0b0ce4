//! Where the all-deployments view gets its rows. A caller allowed `system.deployments.get`
//! (SYSTEM_VIEWER and up) gets every deployment in one request (`paginatedDeployments`, or
//! `deployments` on older Houstons). Anyone else is refused — Houston's answer is the test,
//! since roles and their permissions are configurable — and the view then reads each visible
//! workspace's list, a few at a time (`freshness::MAX_LISTS_IN_FLIGHT`), showing how far it got.
//! The choice is remembered in the cache: a refused platform-wide request stays as the marker
//! until the session changes.

use super::cache::Cache;
use crate::houston::model::Deployment;
use crate::houston::request::Request;

/// The cached lists the view shows, in order, and a number that changes whenever any of them
/// (or their order) does.
pub(crate) struct Lists<'a> {
    pub(crate) parts: Vec<&'a [Deployment]>,
    pub(crate) generation: u64,
}

/// Houston refused the platform-wide list: read workspace by workspace.
pub(crate) fn per_workspace(cache: &Cache) -> bool {
    cache.remote(&Request::AllDeployments).is_some_and(|r| {
        r.data().is_none()
            && r.error()
                .is_some_and(|e| e.is_forbidden() || e.is_unsupported())
    })
}

/// Each visible workspace's list request, in the workspace list's order.
fn workspace_requests(cache: &Cache) -> impl Iterator<Item = Request> + '_ {
    cache
        .workspaces()
        .unwrap_or(&[])
        .iter()
        .map(|w| Request::Deployments(w.id.clone()))
}

pub(crate) fn lists(cache: &Cache) -> Lists<'_> {
    if !per_workspace(cache) {
        return Lists {
            parts: cache.platform_deployments().into_iter().collect(),
            generation: cache.generation(&Request::AllDeployments),
        };
    }
    let mut parts = Vec::new();
    let mut generation: u64 = 1;
    for request in workspace_requests(cache) {
        let (list_generation, list) = cache.deployment_list(&request);
        // Order matters as much as content: row indices follow the parts' order.
        generation = generation
            .wrapping_mul(1_000_003)
            .wrapping_add(list_generation);
        parts.extend(list);
    }
    // Deployments shared with the caller outside those workspaces, each read on its own.
    let shared = super::shared::deployments(cache);
    generation = generation
        .wrapping_mul(1_000_003)
        .wrapping_add(super::shared::generation(cache));
    parts.extend(shared.into_iter().map(std::slice::from_ref));
    Lists { parts, generation }
}

/// The request whose state the table's title and placeholder reflect: the platform-wide list,
/// or (per workspace) the first list that has rows, else the first one asked for.
pub(crate) fn representative_request(cache: &Cache) -> Request {
    if !per_workspace(cache) {
        return Request::AllDeployments;
    }
    let mut first = None;
    for request in workspace_requests(cache).chain(super::shared::requests(cache)) {
        if cache.remote(&request).is_some_and(|r| r.data().is_some()) {
            return request;
        }
        first.get_or_insert(request);
    }
    first.unwrap_or(Request::AllDeployments)
}

/// What the view keeps fresh: the rows, and once they are here, the statuses that keep them
/// live between full reloads.
pub(crate) fn visible_requests(cache: &Cache) -> Vec<Request> {
    let loaded = |r: &Request| cache.remote(r).is_some_and(|r| r.data().is_some());
    if !per_workspace(cache) {
        let mut out = vec![Request::AllDeployments];
        if loaded(&Request::AllDeployments) {
            out.push(Request::AllDeploymentStatuses);
        }
        return out;
    }
    let mut out = Vec::new();
    for request in workspace_requests(cache) {
        let statuses = match &request {
            Request::Deployments(ws) => Request::DeploymentStatuses(ws.clone()),
            _ => continue,
        };
        let has_rows = loaded(&request);
        out.push(request);
        if has_rows {
            out.push(statuses);
        }
    }
    out.extend(super::shared::requests(cache));
    out
}

/// Reading workspace by workspace: (answered, total) while some are still outstanding.
pub fn progress(cache: &Cache) -> Option<(usize, usize)> {
    if !per_workspace(cache) {
        return None;
    }
    let requests: Vec<Request> = workspace_requests(cache).collect();
    let answered = requests
        .iter()
        .filter(|r| {
            cache
                .remote(r)
                .is_some_and(|r| r.data().is_some() || r.is_failed())
        })
        .count();
    (answered < requests.len()).then_some((answered, requests.len()))
}

/// What is still missing of the platform-wide list (the one list, or each workspace's when
/// Houston refuses it): nothing once every part has been answered, rows or a failure.
pub(crate) fn search_requests(cache: &Cache) -> Vec<Request> {
    let unanswered = |r: &Request| {
        cache
            .remote(r)
            .is_none_or(|r| r.data().is_none() && !r.is_failed())
    };
    if !per_workspace(cache) {
        return [Request::AllDeployments]
            .into_iter()
            .filter(|r| unanswered(r))
            .collect();
    }
    // The deployments of the caller's deployment roles count; one reached by name already is.
    let roles = super::shared::roles(cache)
        .into_iter()
        .map(|r| Request::Deployment(r.deployment_id.clone()));
    workspace_requests(cache)
        .chain(roles)
        .filter(|r| unanswered(r))
        .collect()
}

/// What `:deploy wanted` still waits for: the platform-wide list first; then, when Houston
/// refused it (the caller reads workspace by workspace, or — a deployment's service-account
/// key — nothing at all), the deployment itself by release name.
pub(crate) fn lookup_requests(cache: &Cache, wanted: &str) -> Vec<Request> {
    let missing = search_requests(cache);
    if !missing.is_empty() || !per_workspace(cache) {
        return missing;
    }
    let direct = direct_request(wanted);
    let unanswered = cache
        .remote(&direct)
        .is_none_or(|r| r.data().is_none() && !r.is_failed());
    if unanswered { vec![direct] } else { vec![] }
}

/// The deployment whose release name is `wanted`, asked for directly.
pub(crate) fn direct_request(wanted: &str) -> Request {
    Request::DeploymentByRelease(wanted.to_string())
}
