//! Deployments shared with the caller: a role on a deployment (`DEPLOYMENT_*`) without a role on
//! its workspace. Houston lists such a deployment in no workspace the caller may read and
//! refuses the platform-wide list, so it is found in `self`'s role bindings and read on its own
//! (`deployment(where: {id})`, which a role on the deployment allows). A service account's key
//! has no user, so `self` names no binding: its deployment is the one reached by release name
//! (`:deploy NAME`), kept for the session. The account dashboard, the all-deployments view and
//! the palette show these next to what the workspaces hold.

use std::collections::HashSet;

use super::cache::Cache;
use crate::houston::model::{Deployment, DeploymentId, DeploymentRole};
use crate::houston::request::Request;

/// The caller's deployment roles outside the workspaces listed for them (none until the
/// workspace list is here: until then nothing says which are outside).
pub fn roles(cache: &Cache) -> Vec<&DeploymentRole> {
    let (Some(me), Some(workspaces)) = (cache.me(), cache.workspaces()) else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    me.deployment_roles
        .iter()
        .filter(|r| {
            !r.workspace_id
                .as_ref()
                .is_some_and(|ws| workspaces.iter().any(|w| &w.id == ws))
        })
        .filter(|r| seen.insert(&r.deployment_id))
        .collect()
}

/// The shared deployments, once each: those of the roles, then those reached by name outside
/// the listed workspaces.
pub fn ids(cache: &Cache) -> Vec<DeploymentId> {
    let Some(workspaces) = cache.workspaces() else {
        return Vec::new();
    };
    let mut out: Vec<DeploymentId> = roles(cache)
        .into_iter()
        .map(|r| r.deployment_id.clone())
        .collect();
    let listed = |d: &Deployment| {
        d.workspace_id
            .as_ref()
            .is_some_and(|ws| workspaces.iter().any(|w| &w.id == ws))
    };
    for d in cache.reached_by_name() {
        if !listed(d) && !out.contains(&d.id) {
            out.push(d.id.clone());
        }
    }
    out
}

/// Each shared deployment's own request.
pub(crate) fn requests(cache: &Cache) -> Vec<Request> {
    ids(cache).into_iter().map(Request::Deployment).collect()
}

/// The shared deployments read so far, in the order of `ids`.
pub(crate) fn deployments(cache: &Cache) -> Vec<&Deployment> {
    let reached = cache.reached_by_name();
    ids(cache)
        .iter()
        .filter_map(|id| {
            cache
                .full_deployment(id)
                .or_else(|| reached.iter().copied().find(|d| &d.id == id))
        })
        .collect()
}

/// Changes whenever any shared deployment (or the set of them) does.
pub(crate) fn generation(cache: &Cache) -> u64 {
    requests(cache).iter().fold(7, |g, r| {
        g.wrapping_mul(1_000_003).wrapping_add(cache.generation(r))
    })
}

/// The account dashboard shows the shared deployments as its table: the caller has them and
/// no workspace at all.
pub(crate) fn is_dashboard(cache: &Cache) -> bool {
    cache.workspaces().is_some_and(<[_]>::is_empty) && !ids(cache).is_empty()
}
