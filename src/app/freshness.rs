//! Staying live cheaply. Deployment lists are fetched in full once a minute; in between, a
//! small status-only document keeps them current (its answers are applied to the cached rows,
//! which stay the one copy of each list). A row whose status changed is highlighted for a
//! while. Workspace-by-workspace reads are bounded to a few at a time, and while the terminal
//! has been out of focus for a while the refresh slows down and carries statuses only (the full
//! lists come when focus returns).

use std::collections::{HashMap, VecDeque};

use crate::houston::model::{DeploymentId, Timestamp};
use crate::houston::request::Request;

/// The longest wait between retries while the server is unreachable.
pub const MAX_BACKOFF_SECS: i64 = 30;

/// Seconds to wait after `failures` consecutive failures: 2, 4, 8, 16, 30, 30…
pub fn backoff_secs(failures: u32) -> i64 {
    if failures == 0 {
        return 0;
    }
    2i64.saturating_pow(failures.min(16)).min(MAX_BACKOFF_SECS)
}

/// How long a row whose status changed stays highlighted.
pub const HIGHLIGHT_SECS: i64 = 30;
/// How often a list kept live by statuses is fetched in full anyway (names, versions, images).
pub const ROWS_REFRESH_SECS: i64 = 60;
/// Workspace lists (rows or statuses) in flight at once; the rest wait their turn.
pub const MAX_LISTS_IN_FLIGHT: usize = 4;
/// After this long without focus the refresh slows down…
pub(crate) const UNFOCUSED_GRACE_SECS: i64 = 60;
/// …to this interval, until focus returns.
pub(crate) const UNFOCUSED_REFRESH_SECS: i64 = 60;

#[derive(Debug, Clone, Default)]
pub struct Freshness {
    /// Deployments whose status changed, and when it was seen.
    pub changed: HashMap<DeploymentId, Timestamp>,
    /// When each statuses-kept list was last fetched in full.
    pub(crate) rows_at: HashMap<Request, Timestamp>,
    /// Workspace lists waiting for a free slot, oldest first.
    pub queue: VecDeque<Request>,
    /// Since when the terminal reports being out of focus (`None`: focused, or the terminal
    /// never said).
    pub(crate) unfocused_since: Option<Timestamp>,
    /// A deployment edit asked for on a list: the form opens when the full deployment arrives.
    pub awaiting_edit: Option<DeploymentId>,
    /// A Runtime upgrade asked for: its form opens when the releases it offers arrive.
    pub(crate) awaiting_upgrade: Option<(DeploymentId, Request)>,
}

impl Freshness {
    /// The status of deployment `id` changed less than `HIGHLIGHT_SECS` ago.
    pub fn recently_changed(&self, id: &str, now: Timestamp) -> bool {
        self.changed
            .get(id)
            .is_some_and(|at| (now - *at).num_seconds() < HIGHLIGHT_SECS)
    }

    /// Forget what belonged to the previous identity (focus stays: it is the terminal's).
    pub(crate) fn reset(&mut self) {
        *self = Freshness {
            unfocused_since: self.unfocused_since,
            ..Freshness::default()
        };
    }
}

/// The status-only request that keeps list `rows` live, if it is such a list.
pub(crate) fn statuses_for(rows: &Request) -> Option<Request> {
    match rows {
        Request::Deployments(ws) => Some(Request::DeploymentStatuses(ws.clone())),
        Request::AllDeployments => Some(Request::AllDeploymentStatuses),
        _ => None,
    }
}

/// The list a status-only request keeps live.
pub(crate) fn rows_for(statuses: &Request) -> Option<Request> {
    match statuses {
        Request::DeploymentStatuses(ws) => Some(Request::Deployments(ws.clone())),
        Request::AllDeploymentStatuses => Some(Request::AllDeployments),
        _ => None,
    }
}

/// One workspace's list: the kind of request a view may want hundreds of at once.
pub(crate) fn is_workspace_list(request: &Request) -> bool {
    matches!(
        request,
        Request::Deployments(_) | Request::DeploymentStatuses(_)
    )
}
