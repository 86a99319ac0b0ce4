//! One store for everything fetched: from Houston (`Request → Remote<Payload>`) and, beside it,
//! from the deployments' Airflows (`cache.airflow`, `AirflowRequest → Remote<AirflowPayload>`),
//! with typed getters and one path for a request to start, fail or succeed. Every success bumps
//! a generation number, so tables know cheaply when their rows changed.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use std::ops::{Deref, DerefMut};

use super::airflow::{AirflowPayload, AirflowRequest};
use super::remote::Remote;
use crate::airflow::AirflowError;
use crate::houston::ApiError;
use crate::houston::model::*;
use crate::houston::request::{Payload, Request};

/// Everything fetched. Houston's data is read through `Deref` (`cache.remote(&request)`, the
/// typed getters below); the deployments' Airflow data is `cache.airflow`, kept the same way.
#[derive(Debug, Clone, Default)]
pub struct Cache {
    houston: Store<Request, Payload, ApiError>,
    pub airflow: Store<AirflowRequest, AirflowPayload, AirflowError>,
    /// The DAGs tabs' rows, put together from three Airflow reads when one answers
    /// (`app::dags`).
    pub(crate) dag_rows: super::dags::DagRowsByDeployment,
}

impl Deref for Cache {
    type Target = Store<Request, Payload, ApiError>;

    fn deref(&self) -> &Self::Target {
        &self.houston
    }
}

impl DerefMut for Cache {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.houston
    }
}

/// One API's replies by request: `K → Remote<V, E>`.
#[derive(Debug, Clone)]
pub struct Store<K, V, E> {
    entries: HashMap<K, Entry<V, E>>,
    next_generation: u64,
}

impl<K, V, E> Default for Store<K, V, E> {
    fn default() -> Self {
        Store {
            entries: HashMap::new(),
            next_generation: 0,
        }
    }
}

#[derive(Debug, Clone)]
struct Entry<V, E> {
    remote: Remote<V, E>,
    generation: u64,
}

impl<V, E> Default for Entry<V, E> {
    fn default() -> Self {
        Entry {
            remote: Remote::NotLoaded,
            generation: 0,
        }
    }
}

/// Getters that unwrap one payload variant.
macro_rules! payload {
    ($remote:expr, $variant:ident) => {
        match $remote.and_then(|r| r.data()) {
            Some(Payload::$variant(data)) => Some(data),
            _ => None,
        }
    };
}

impl<K: Eq + Hash + Clone, V: PartialEq, E> Store<K, V, E> {
    pub fn remote(&self, request: &K) -> Option<&Remote<V, E>> {
        self.entries.get(request).map(|e| &e.remote)
    }

    /// Changes whenever the data behind `request` changes (0: never loaded).
    pub(crate) fn generation(&self, request: &K) -> u64 {
        self.entries.get(request).map_or(0, |e| e.generation)
    }

    pub fn start(&mut self, request: &K) {
        self.entries
            .entry(request.clone())
            .or_default()
            .remote
            .start_loading();
    }

    /// A reply arrived. The generation moves only when the data differs from what was there:
    /// a refresh that brings the same rows re-sorts and re-filters nothing.
    pub fn succeed(&mut self, request: K, payload: V, at: Timestamp) {
        let entry = self.entries.entry(request).or_default();
        let same = entry.generation > 0 && entry.remote.data() == Some(&payload);
        entry.remote.succeed(payload, at);
        if !same {
            self.next_generation += 1;
            entry.generation = self.next_generation;
        }
    }

    /// The last good data stays.
    pub fn fail(&mut self, request: &K, error: E, at: Timestamp) {
        if let Some(e) = self.entries.get_mut(request) {
            e.remote.fail(error, at);
            // Views over many entries count failures too (`latest`).
            self.next_generation += 1;
        }
    }

    /// Changes whenever any entry's data changes or a read fails: for views computed from
    /// many entries (the fleet's).
    pub(crate) fn latest(&self) -> u64 {
        self.next_generation
    }

    /// Change cached data in place (e.g. drop a row the server just deleted).
    pub(crate) fn edit(&mut self, request: &K, f: impl FnOnce(&mut V)) {
        if let Some(Entry {
            remote: Remote::Ready { data, .. },
            generation,
        }) = self.entries.get_mut(request)
        {
            f(data);
            self.next_generation += 1;
            *generation = self.next_generation;
        }
    }

    /// Apply a partial update from the server (e.g. fresh statuses) to cached data: the data
    /// is now as of `at`, and its generation moves only when `f` reports a change.
    pub(crate) fn patch(
        &mut self,
        request: &K,
        at: Timestamp,
        f: impl FnOnce(&mut V) -> bool,
    ) -> bool {
        let Some(entry) = self.entries.get_mut(request) else {
            return false;
        };
        let Some((data, data_at)) = entry.remote.data_mut() else {
            return false;
        };
        *data_at = (*data_at).max(at);
        let changed = f(data);
        if changed {
            self.next_generation += 1;
            entry.generation = self.next_generation;
        }
        changed
    }

    /// Change in place every cached payload whose request `pick` selects (including data kept
    /// while a refetch is on its way); `f` reports whether it changed anything.
    pub(crate) fn edit_where(
        &mut self,
        pick: impl Fn(&K) -> bool,
        mut f: impl FnMut(&mut V) -> bool,
    ) {
        for (request, entry) in &mut self.entries {
            if !pick(request) {
                continue;
            }
            if let Some((data, _)) = entry.remote.data_mut()
                && f(data)
            {
                self.next_generation += 1;
                entry.generation = self.next_generation;
            }
        }
    }

    pub fn forget(&mut self, request: &K) {
        self.entries.remove(request);
    }

    /// Forget every entry `f` picks.
    pub(crate) fn forget_where(&mut self, f: impl Fn(&K) -> bool) {
        self.entries.retain(|r, _| !f(r));
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

impl Cache {
    /// Forget everything, Houston's and the Airflows'.
    pub(crate) fn clear(&mut self) {
        self.houston.clear();
        self.airflow.clear();
        self.dag_rows.clear();
    }

    /// A deployment list and its generation, in one look-up (the all-deployments view asks
    /// this of every workspace several times a frame).
    pub(crate) fn deployment_list(&self, request: &Request) -> (u64, Option<&[Deployment]>) {
        match self.entries.get(request) {
            Some(e) => (
                e.generation,
                payload!(Some(&e.remote), Deployments).map(Vec::as_slice),
            ),
            None => (0, None),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Typed getters

    pub(crate) fn auth_config(&self) -> Option<&AuthConfig> {
        payload!(self.remote(&Request::AuthConfig), AuthConfig)
    }

    pub fn app_config(&self) -> Option<&AppConfig> {
        payload!(self.remote(&Request::AppConfig), AppConfig)
    }

    pub fn me(&self) -> Option<&Me> {
        payload!(self.remote(&Request::Me), Me)
    }

    /// The request for the caller's workspaces, once we know who the caller is.
    pub(crate) fn workspaces_request(&self) -> Option<Request> {
        self.me().map(|me| Request::Workspaces {
            me_id: me.user_id().cloned(),
        })
    }

    pub fn workspaces(&self) -> Option<&[Workspace]> {
        let request = self.workspaces_request()?;
        payload!(self.remote(&request), Workspaces).map(Vec::as_slice)
    }

    /// A workspace from the caller's list, else (a system admin's) from every workspace.
    pub(crate) fn workspace(&self, id: &WorkspaceId) -> Option<&Workspace> {
        let find = |list: &'_ [Workspace]| list.iter().position(|w| &w.id == id);
        if let Some(list) = self.workspaces()
            && let Some(i) = find(list)
        {
            return list.get(i);
        }
        let list = self.system_workspaces()?;
        list.get(find(list)?)
    }

    /// The request for every workspace of the platform (System Admin panel).
    pub(crate) fn system_workspaces_request(&self) -> Option<Request> {
        self.me().map(|me| Request::SystemWorkspaces {
            me_id: me.user_id().cloned(),
        })
    }

    pub(crate) fn system_workspaces(&self) -> Option<&[Workspace]> {
        let request = self.system_workspaces_request()?;
        payload!(self.remote(&request), Workspaces).map(Vec::as_slice)
    }

    pub fn deployments(&self, ws: &WorkspaceId) -> Option<&[Deployment]> {
        payload!(self.remote(&Request::Deployments(ws.clone())), Deployments).map(Vec::as_slice)
    }

    pub fn workspace_users(&self, ws: &WorkspaceId) -> Option<&[WorkspaceUser]> {
        payload!(
            self.remote(&Request::WorkspaceUsers(ws.clone())),
            WorkspaceUsers
        )
        .map(Vec::as_slice)
    }

    pub(crate) fn invites(&self, ws: &WorkspaceId) -> Option<&[Invite]> {
        payload!(self.remote(&Request::WorkspaceInvites(ws.clone())), Invites).map(Vec::as_slice)
    }

    pub(crate) fn workspace_service_accounts(&self, ws: &WorkspaceId) -> Option<&[ServiceAccount]> {
        payload!(
            self.remote(&Request::WorkspaceServiceAccounts(ws.clone())),
            ServiceAccounts
        )
        .map(Vec::as_slice)
    }

    /// The System Admin panel's users, once loaded.
    pub(crate) fn system_users(&self) -> Option<&[crate::houston::system::PlatformUser]> {
        payload!(self.remote(&Request::SystemUsers), PlatformUsers).map(Vec::as_slice)
    }

    pub(crate) fn system_invites(&self) -> Option<&[Invite]> {
        payload!(self.remote(&Request::SystemInvites), Invites).map(Vec::as_slice)
    }

    /// The platform's clusters (Houston 1.0+), once loaded.
    pub(crate) fn clusters(&self) -> Option<&[Cluster]> {
        payload!(self.remote(&Request::Clusters), Clusters).map(Vec::as_slice)
    }

    /// A cluster: its own fetch (with its config) when we have one, else its row in the list.
    pub(crate) fn cluster(&self, id: &ClusterId) -> Option<&Cluster> {
        payload!(self.remote(&Request::Cluster(id.clone())), Cluster)
            .map(|c| &**c)
            .or_else(|| self.clusters()?.iter().find(|c| &c.id == id))
    }

    /// The Runtime releases `request` (a `Request::RuntimeReleases`) brought, once loaded.
    pub(crate) fn runtime_releases(
        &self,
        request: &Request,
    ) -> Option<&[crate::houston::runtime::RuntimeRelease]> {
        payload!(self.remote(request), RuntimeReleases).map(Vec::as_slice)
    }

    /// The namespaces a new deployment on `cluster` may use, once loaded.
    pub(crate) fn namespaces(&self, cluster: &ClusterId) -> Option<&[String]> {
        payload!(
            self.remote(&Request::AvailableNamespaces(cluster.clone())),
            Namespaces
        )
        .map(Vec::as_slice)
    }

    pub(crate) fn system_service_accounts(&self) -> Option<&[ServiceAccount]> {
        payload!(
            self.remote(&Request::SystemServiceAccounts),
            ServiceAccounts
        )
        .map(Vec::as_slice)
    }

    /// The platform's switches as `cluster` sees them, once loaded.
    pub(crate) fn platform_flags(&self, cluster: &ClusterId) -> Option<PlatformFlags> {
        payload!(
            self.remote(&Request::PlatformFlags(cluster.clone())),
            PlatformFlags
        )
        .copied()
    }

    /// Every deployment on the platform (the all-deployments view), once loaded.
    pub(crate) fn platform_deployments(&self) -> Option<&[Deployment]> {
        payload!(self.remote(&Request::AllDeployments), Deployments).map(Vec::as_slice)
    }

    /// A deployment as its own fetch has it (everything the dashboard shows); list rows lack
    /// the description, resources and such.
    pub(crate) fn full_deployment(&self, id: &DeploymentId) -> Option<&Deployment> {
        payload!(self.remote(&Request::Deployment(id.clone())), Deployment).map(|d| &**d)
    }

    /// A deployment: its own fetch when we have one, else its row in a list.
    pub fn deployment(&self, id: &DeploymentId) -> Option<&Deployment> {
        if let Some(d) = payload!(self.remote(&Request::Deployment(id.clone())), Deployment) {
            return Some(d);
        }
        self.entries.values().find_map(|e| match e.remote.data() {
            Some(Payload::Deployments(list)) => list.iter().find(|d| &d.id == id),
            _ => None,
        })
    }

    /// Deployments read by release name (`:deploy NAME` when no list held them), by id.
    pub(crate) fn reached_by_name(&self) -> Vec<&Deployment> {
        let mut out: Vec<&Deployment> = self
            .entries
            .iter()
            .filter_map(|(request, entry)| match (request, entry.remote.data()) {
                (Request::DeploymentByRelease(_), Some(Payload::Deployment(d))) => Some(&**d),
                _ => None,
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out.dedup_by(|a, b| a.id == b.id);
        out
    }

    /// Forget that deployment `id` was read by release name (it is gone).
    pub(crate) fn forget_reached(&mut self, id: &DeploymentId) {
        self.entries.retain(|request, entry| {
            !matches!(
                (request, entry.remote.data()),
                (Request::DeploymentByRelease(_), Some(Payload::Deployment(d))) if d.id == *id
            )
        });
    }

    /// Every deployment held, once each (its own fetch preferred over a list row), with the
    /// workspace whose list it came from; in no particular order. For the palette.
    pub(crate) fn known_deployments(&self) -> Vec<(&Deployment, Option<&WorkspaceId>)> {
        // The deployments fetched on their own (few: the dashboards visited).
        let mut own: HashMap<&DeploymentId, (&Deployment, bool)> = HashMap::new();
        for entry in self.entries.values() {
            if let Some(Payload::Deployment(d)) = entry.remote.data() {
                own.insert(&d.id, (d, false));
            }
        }
        let mut out = Vec::new();
        for (request, entry) in &self.entries {
            if let (Request::Deployments(ws), Some(Payload::Deployments(list))) =
                (request, entry.remote.data())
            {
                out.reserve(list.len());
                for row in list {
                    let d = match own.get_mut(&row.id) {
                        Some((d, listed)) => {
                            *listed = true;
                            *d
                        }
                        None => row,
                    };
                    out.push((d, Some(ws)));
                }
            }
        }
        // The platform-wide list (the all-deployments view) adds the workspaces not opened.
        if let Some(platform) = self.platform_deployments() {
            let seen: HashSet<&DeploymentId> = out.iter().map(|(d, _)| &d.id).collect();
            let mut extra = Vec::new();
            for row in platform.iter().filter(|d| !seen.contains(&d.id)) {
                let d = match own.get_mut(&row.id) {
                    Some((d, listed)) => {
                        *listed = true;
                        *d
                    }
                    None => row,
                };
                extra.push((d, d.workspace_id.as_ref()));
            }
            out.extend(extra);
        }
        out.extend(
            own.into_values()
                .filter(|(_, listed)| !listed)
                .map(|(d, _)| (d, d.workspace_id.as_ref())),
        );
        out
    }

    pub(crate) fn variables(&self, d: &DeploymentId) -> Option<&[EnvVar]> {
        payload!(
            self.remote(&Request::DeploymentVariables(d.clone())),
            Variables
        )
        .map(Vec::as_slice)
    }

    pub(crate) fn deployment_service_accounts(
        &self,
        d: &DeploymentId,
    ) -> Option<&[ServiceAccount]> {
        payload!(
            self.remote(&Request::DeploymentServiceAccounts(d.clone())),
            ServiceAccounts
        )
        .map(Vec::as_slice)
    }

    pub(crate) fn deployment_users(&self, d: &DeploymentId) -> Option<&[DeploymentUser]> {
        payload!(
            self.remote(&Request::DeploymentUsers(d.clone())),
            DeploymentUsers
        )
        .map(Vec::as_slice)
    }

    pub(crate) fn workspace_teams(&self, ws: &WorkspaceId) -> Option<&[Team]> {
        payload!(self.remote(&Request::WorkspaceTeams(ws.clone())), Teams).map(Vec::as_slice)
    }

    pub(crate) fn deployment_teams(&self, d: &DeploymentId) -> Option<&[Team]> {
        payload!(self.remote(&Request::DeploymentTeams(d.clone())), Teams).map(Vec::as_slice)
    }

    /// The platform's deployment limits; Houston's defaults until the server has said.
    pub(crate) fn deployment_config(&self) -> DeploymentConfig {
        payload!(self.remote(&Request::DeploymentConfig), DeploymentConfig)
            .cloned()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn success_bumps_the_generation_and_failure_keeps_data() {
        let at = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut cache = Cache::default();
        let req = Request::WorkspaceUsers("ws".into());
        assert_eq!(cache.generation(&req), 0);
        cache.start(&req);
        cache.succeed(req.clone(), Payload::WorkspaceUsers(vec![]), at);
        let first = cache.generation(&req);
        assert!(first > 0);
        assert_eq!(cache.workspace_users(&"ws".into()), Some(&[][..]));
        cache.fail(&req, ApiError::Timeout, at);
        assert_eq!(cache.workspace_users(&"ws".into()), Some(&[][..]));
        assert_eq!(cache.generation(&req), first);
        // The same data again: nothing to redo.
        cache.succeed(req.clone(), Payload::WorkspaceUsers(vec![]), at);
        assert_eq!(cache.generation(&req), first);
        assert!(!cache.remote(&req).unwrap().is_failed());
        let user = WorkspaceUser {
            id: "u".into(),
            username: "u".into(),
            full_name: None,
            email: None,
            role: None,
            status: None,
        };
        cache.succeed(req.clone(), Payload::WorkspaceUsers(vec![user]), at);
        assert!(cache.generation(&req) > first);
    }
}
