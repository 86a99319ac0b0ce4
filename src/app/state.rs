//! The whole state of the app: where the user is, what data we have, overlays and messages.
//! Rendering reads it; only `update` changes it.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use tui_input::Input;

use super::filter::{Searchable, filtered_indices};
use super::keymap::KeyContext;
use super::msg::{Request, RequestKey, UrlKind};
use super::remote::Remote;
use crate::config::Settings;
use crate::houston::ApiError;
use crate::houston::model::*;

/// How long an info flash stays on screen.
pub const FLASH_SECONDS: i64 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkspaceTab {
    Deployments,
    Users,
    ServiceAccounts,
    Settings,
}

impl WorkspaceTab {
    pub const ALL: [WorkspaceTab; 4] = [
        WorkspaceTab::Deployments,
        WorkspaceTab::Users,
        WorkspaceTab::ServiceAccounts,
        WorkspaceTab::Settings,
    ];
    pub fn title(self) -> &'static str {
        match self {
            WorkspaceTab::Deployments => "Deployments",
            WorkspaceTab::Users => "Users",
            WorkspaceTab::ServiceAccounts => "Service Accounts",
            WorkspaceTab::Settings => "Settings",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentTab {
    Overview,
    Variables,
    ServiceAccounts,
    Users,
}

impl DeploymentTab {
    pub const ALL: [DeploymentTab; 4] = [
        DeploymentTab::Overview,
        DeploymentTab::Variables,
        DeploymentTab::ServiceAccounts,
        DeploymentTab::Users,
    ];
    pub fn title(self) -> &'static str {
        match self {
            DeploymentTab::Overview => "Overview",
            DeploymentTab::Variables => "Environment variables",
            DeploymentTab::ServiceAccounts => "Service accounts",
            DeploymentTab::Users => "Users",
        }
    }
}

/// One level of the navigation stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Account,
    Workspace {
        id: WorkspaceId,
        tab: WorkspaceTab,
    },
    Deployment {
        id: DeploymentId,
        tab: DeploymentTab,
    },
}

/// Identifies a selectable table (its selection and filter are remembered per table).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TableId {
    Workspaces,
    Deployments(WorkspaceId),
    WorkspaceUsers(WorkspaceId),
    WorkspaceServiceAccounts(WorkspaceId),
    DeploymentVariables(DeploymentId),
    DeploymentServiceAccounts(DeploymentId),
    DeploymentUsers(DeploymentId),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableState {
    /// Index into the filtered rows.
    pub selected: usize,
    pub filter: String,
}

/// The rows of a table that matched its filter, computed when the filter or the data changes so
/// that drawing a frame does not re-filter 10,000 rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterCache {
    pub filter: String,
    pub data_at: Option<Timestamp>,
    pub data_len: usize,
    pub rows: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// The message line: info flashes clear by themselves, errors stay until `Esc` or a success.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    pub level: Level,
    pub at: Timestamp,
}

/// Where the copy of a URL popup's URL to the clipboard stands.
#[derive(Debug, Clone, PartialEq)]
pub enum CopyStatus {
    /// Asked for; the outcome has not arrived yet.
    Pending,
    Copied,
    TooLong,
    Failed,
}

/// The popup shown when a URL could not be opened in a browser.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlPopup {
    pub url: String,
    pub what: UrlKind,
    pub reason: String,
    pub copy: CopyStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    Url(UrlPopup),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMode {
    Password,
    Token,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginField {
    Username,
    Password,
}

#[derive(Debug, Clone)]
pub struct LoginState {
    pub mode: LoginMode,
    /// Set once the user toggles the mode, so the server's auth config no longer overrides it.
    pub mode_chosen: bool,
    pub focus: LoginField,
    pub username: Input,
    pub password: Input,
    pub token: Input,
    pub auth_config: Remote<AuthConfig>,
    pub error: Option<String>,
    /// Why we are here (e.g. the token was rejected).
    pub reason: Option<String>,
    pub submitting: bool,
}

impl LoginState {
    pub fn new(reason: Option<String>) -> Self {
        LoginState {
            mode: LoginMode::Password,
            mode_chosen: false,
            focus: LoginField::Username,
            username: Input::default(),
            password: Input::default(),
            token: Input::default(),
            auth_config: Remote::NotLoaded,
            error: None,
            reason,
            submitting: false,
        }
    }
}

/// A summary of the visible view's data, for the header.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewStatus {
    /// When the oldest visible data arrived.
    pub updated_at: Option<Timestamp>,
    pub in_flight: bool,
    /// The first failure among the visible data, if any (the data on screen is then stale).
    pub failed: Option<ApiError>,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub context_name: String,
    pub app_url: Option<String>,
    pub read_only: bool,
    /// Server certificates are not verified (`insecure_skip_verify`): a red badge says so.
    pub tls_unverified: bool,
    pub refresh: Duration,
    pub token_expires_at: Option<Timestamp>,
    /// The clock as of the last message that carried one; rendering uses it, never the real clock.
    pub now: Timestamp,
    /// All colours off (`NO_COLOR`).
    pub mono: bool,
    /// Rows available for a table page (PgUp/PgDn), from the terminal size.
    pub page_rows: usize,

    pub login: Option<LoginState>,
    pub routes: Vec<Route>,
    pub overlay: Option<Overlay>,
    /// The `/` filter being typed, if any; its value is mirrored into the table's filter live.
    pub filter_input: Option<Input>,
    pub message: Option<Message>,
    pub quit: bool,

    pub me: Remote<Me>,
    pub workspaces: Remote<Vec<Workspace>>,
    pub deployments: HashMap<WorkspaceId, Remote<Vec<Deployment>>>,
    pub workspace_users: HashMap<WorkspaceId, Remote<Vec<WorkspaceUser>>>,
    pub workspace_invites: HashMap<WorkspaceId, Remote<Vec<Invite>>>,
    pub workspace_service_accounts: HashMap<WorkspaceId, Remote<Vec<ServiceAccount>>>,
    pub deployment: HashMap<DeploymentId, Remote<Deployment>>,
    pub deployment_variables: HashMap<DeploymentId, Remote<Vec<EnvVar>>>,
    pub deployment_service_accounts: HashMap<DeploymentId, Remote<Vec<ServiceAccount>>>,
    pub deployment_users: HashMap<DeploymentId, Remote<Vec<DeploymentUser>>>,

    pub tables: HashMap<TableId, TableState>,
    pub filter_cache: HashMap<TableId, FilterCache>,

    pub next_seq: u64,
    /// The newest sequence number issued per key: older replies are dropped.
    pub latest_seq: HashMap<RequestKey, u64>,
    pub in_flight: BTreeSet<RequestKey>,
    /// Consecutive failed requests; drives the back-off.
    pub failures: u32,
    /// A request of the current refresh round already failed (count each round once, so a view
    /// with two requests does not back off twice as fast).
    pub round_failed: bool,
    /// When the visible view is refreshed next (refresh interval or back-off retry).
    pub next_refresh_at: Option<Timestamp>,
}

impl AppState {
    pub fn new(settings: &Settings, now: Timestamp, mono: bool) -> Self {
        AppState {
            context_name: settings.context_name.clone(),
            app_url: settings.app_url.clone(),
            read_only: settings.read_only,
            tls_unverified: settings.trust.insecure_skip_verify,
            refresh: settings.refresh,
            token_expires_at: settings
                .token
                .as_deref()
                .and_then(crate::houston::jwt::expires_at),
            now,
            mono,
            page_rows: 10,
            login: settings
                .token
                .is_none()
                .then(|| LoginState::new(settings.login_reason.clone())),
            routes: vec![Route::Account],
            overlay: None,
            filter_input: None,
            // Config warnings, once (they are in the log file too).
            message: (!settings.warnings.is_empty()).then(|| Message {
                text: format!("Warning: {}", settings.warnings.join(" · ")),
                level: Level::Info,
                at: now,
            }),
            quit: false,
            me: Remote::NotLoaded,
            workspaces: Remote::NotLoaded,
            deployments: HashMap::new(),
            workspace_users: HashMap::new(),
            workspace_invites: HashMap::new(),
            workspace_service_accounts: HashMap::new(),
            deployment: HashMap::new(),
            deployment_variables: HashMap::new(),
            deployment_service_accounts: HashMap::new(),
            deployment_users: HashMap::new(),
            tables: HashMap::new(),
            filter_cache: HashMap::new(),
            next_seq: 0,
            latest_seq: HashMap::new(),
            in_flight: BTreeSet::new(),
            failures: 0,
            round_failed: false,
            next_refresh_at: None,
        }
    }

    /// Forget everything fetched with the previous token (remote data, table selections and
    /// filters, their caches, the navigation), so nothing of another identity is ever drawn.
    pub fn reset_remote_data(&mut self) {
        self.me = Remote::NotLoaded;
        self.workspaces = Remote::NotLoaded;
        self.deployments.clear();
        self.workspace_users.clear();
        self.workspace_invites.clear();
        self.workspace_service_accounts.clear();
        self.deployment.clear();
        self.deployment_variables.clear();
        self.deployment_service_accounts.clear();
        self.deployment_users.clear();
        self.tables.clear();
        self.filter_cache.clear();
        self.filter_input = None;
        self.overlay = None;
        self.routes = vec![Route::Account];
        self.failures = 0;
        self.round_failed = false;
    }

    pub fn route(&self) -> &Route {
        self.routes.last().unwrap_or(&Route::Account)
    }

    /// Which keymap applies right now.
    pub fn key_context(&self) -> KeyContext {
        if self.login.is_some() {
            return KeyContext::Login;
        }
        match &self.overlay {
            Some(Overlay::Help) => return KeyContext::Help,
            Some(Overlay::Url(_)) => return KeyContext::UrlPopup,
            None => {}
        }
        if self.filter_input.is_some() {
            return KeyContext::Filter;
        }
        self.screen_context()
    }

    /// The keymap of the screen under any overlay (what the help overlay documents).
    pub fn screen_context(&self) -> KeyContext {
        if self.login.is_some() {
            return KeyContext::Login;
        }
        match self.route() {
            Route::Account => KeyContext::Account,
            Route::Workspace {
                tab: WorkspaceTab::Deployments,
                ..
            } => KeyContext::WorkspaceDeployments,
            Route::Workspace { .. } => KeyContext::Workspace,
            Route::Deployment { .. } => KeyContext::Deployment,
        }
    }

    pub fn workspace(&self, id: &WorkspaceId) -> Option<&Workspace> {
        self.workspaces.data()?.iter().find(|w| &w.id == id)
    }

    /// Whether the caller may see the pending invites of workspace `id` (`workspaceInvites`
    /// needs `workspace.invites.get`, a workspace admin's permission). Unknown workspace: no.
    pub fn can_see_invites(&self, id: &WorkspaceId) -> bool {
        self.workspace(id)
            .is_some_and(|w| w.capabilities.can_invite_user)
    }

    /// A deployment by id: its own fetch if we have it, else the row from a workspace list.
    pub fn find_deployment(&self, id: &DeploymentId) -> Option<&Deployment> {
        if let Some(d) = self.deployment.get(id).and_then(|r| r.data()) {
            return Some(d);
        }
        self.deployments
            .values()
            .filter_map(|r| r.data())
            .flat_map(|list| list.iter())
            .find(|d| &d.id == id)
    }

    /// The table under the cursor on the current screen, if the screen has one.
    pub fn current_table(&self) -> Option<TableId> {
        if self.login.is_some() {
            return None;
        }
        match self.route() {
            Route::Account => Some(TableId::Workspaces),
            Route::Workspace { id, tab } => match tab {
                WorkspaceTab::Deployments => Some(TableId::Deployments(id.clone())),
                WorkspaceTab::Users => Some(TableId::WorkspaceUsers(id.clone())),
                WorkspaceTab::ServiceAccounts => {
                    Some(TableId::WorkspaceServiceAccounts(id.clone()))
                }
                WorkspaceTab::Settings => None,
            },
            Route::Deployment { id, tab } => match tab {
                DeploymentTab::Overview => None,
                DeploymentTab::Variables => Some(TableId::DeploymentVariables(id.clone())),
                DeploymentTab::ServiceAccounts => {
                    Some(TableId::DeploymentServiceAccounts(id.clone()))
                }
                DeploymentTab::Users => Some(TableId::DeploymentUsers(id.clone())),
            },
        }
    }

    pub fn table_state(&self, id: &TableId) -> TableState {
        self.tables.get(id).cloned().unwrap_or_default()
    }

    pub fn filter_of(&self, id: &TableId) -> &str {
        self.tables.get(id).map_or("", |t| t.filter.as_str())
    }

    /// When the rows of `table` arrived, and how many there are.
    fn table_data_meta(&self, table: &TableId) -> (Option<Timestamp>, usize) {
        fn meta<T>(r: Option<&Remote<Vec<T>>>) -> (Option<Timestamp>, usize) {
            r.map_or((None, 0), |r| (r.data_at(), r.data().map_or(0, Vec::len)))
        }
        match table {
            TableId::Workspaces => meta(Some(&self.workspaces)),
            TableId::Deployments(id) => meta(self.deployments.get(id)),
            TableId::WorkspaceUsers(id) => meta(self.workspace_users.get(id)),
            TableId::WorkspaceServiceAccounts(id) => meta(self.workspace_service_accounts.get(id)),
            TableId::DeploymentVariables(id) => meta(self.deployment_variables.get(id)),
            TableId::DeploymentServiceAccounts(id) => {
                meta(self.deployment_service_accounts.get(id))
            }
            TableId::DeploymentUsers(id) => meta(self.deployment_users.get(id)),
        }
    }

    /// Filter the rows of `table` from scratch.
    pub fn compute_visible_rows(&self, table: &TableId) -> Vec<usize> {
        fn rows<T: Searchable>(r: Option<&Remote<Vec<T>>>, filter: &str) -> Vec<usize> {
            r.and_then(|r| r.data())
                .map(|v| filtered_indices(v, filter))
                .unwrap_or_default()
        }
        let f = self.filter_of(table);
        match table {
            TableId::Workspaces => rows(Some(&self.workspaces), f),
            TableId::Deployments(id) => rows(self.deployments.get(id), f),
            TableId::WorkspaceUsers(id) => rows(self.workspace_users.get(id), f),
            TableId::WorkspaceServiceAccounts(id) => {
                rows(self.workspace_service_accounts.get(id), f)
            }
            TableId::DeploymentVariables(id) => rows(self.deployment_variables.get(id), f),
            TableId::DeploymentServiceAccounts(id) => {
                rows(self.deployment_service_accounts.get(id), f)
            }
            TableId::DeploymentUsers(id) => rows(self.deployment_users.get(id), f),
        }
    }

    /// A filter cache entry for `table` matching the current filter and data.
    pub fn fresh_filter_cache(&self, table: &TableId) -> FilterCache {
        let (data_at, data_len) = self.table_data_meta(table);
        FilterCache {
            filter: self.filter_of(table).to_string(),
            data_at,
            data_len,
            rows: self.compute_visible_rows(table),
        }
    }

    /// Indices of the rows of `table` that pass its filter (from the cache when it is current).
    pub fn visible_rows(&self, table: &TableId) -> Vec<usize> {
        let filter = self.filter_of(table);
        if filter.is_empty() {
            let (_, len) = self.table_data_meta(table);
            return (0..len).collect();
        }
        if let Some(cache) = self.filter_cache.get(table) {
            let (data_at, data_len) = self.table_data_meta(table);
            if cache.filter == filter && cache.data_at == data_at && cache.data_len == data_len {
                return cache.rows.clone();
            }
        }
        self.compute_visible_rows(table)
    }

    /// The data index of the selected row of `table`, if any row is visible.
    pub fn selected_index(&self, table: &TableId) -> Option<usize> {
        let rows = self.visible_rows(table);
        let sel = self
            .table_state(table)
            .selected
            .min(rows.len().checked_sub(1)?);
        rows.get(sel).copied()
    }

    /// The deployment `o`/`f`/`y` act on: the dashboard's own, or the selected row.
    pub fn target_deployment(&self) -> Option<&Deployment> {
        match self.route() {
            Route::Deployment { id, .. } => self.find_deployment(id),
            Route::Workspace {
                id,
                tab: WorkspaceTab::Deployments,
            } => {
                let table = TableId::Deployments(id.clone());
                let idx = self.selected_index(&table)?;
                self.deployments.get(id)?.data()?.get(idx)
            }
            _ => None,
        }
    }

    /// The requests that keep the visible view up to date.
    pub fn visible_requests(&self) -> Vec<Request> {
        if let Some(login) = &self.login {
            return match login.auth_config.data() {
                Some(_) => vec![],
                None => vec![Request::AuthConfig],
            };
        }
        let Some(me) = self.me.data() else {
            return vec![Request::Me];
        };
        let workspaces = Request::Workspaces {
            me_id: me.user_id().cloned(),
        };
        match self.route() {
            Route::Account => vec![workspaces],
            Route::Workspace { id, tab } => {
                let workspace_id = id.clone();
                match tab {
                    WorkspaceTab::Deployments => vec![Request::Deployments { workspace_id }],
                    WorkspaceTab::Users => {
                        let mut out = vec![Request::WorkspaceUsers {
                            workspace_id: workspace_id.clone(),
                        }];
                        // Asking without the permission only earns "Permission denied".
                        if self.can_see_invites(id) {
                            out.push(Request::WorkspaceInvites { workspace_id });
                        }
                        out
                    }
                    WorkspaceTab::ServiceAccounts => {
                        vec![Request::WorkspaceServiceAccounts { workspace_id }]
                    }
                    WorkspaceTab::Settings => vec![workspaces],
                }
            }
            Route::Deployment { id, tab } => {
                let deployment_id = id.clone();
                let mut out = vec![Request::Deployment {
                    deployment_id: deployment_id.clone(),
                }];
                match tab {
                    DeploymentTab::Overview => {}
                    DeploymentTab::Variables => {
                        if let Some(d) = self.find_deployment(id) {
                            out.push(Request::DeploymentVariables {
                                deployment_id,
                                release_name: d.release_name.clone(),
                            });
                        }
                    }
                    DeploymentTab::ServiceAccounts => {
                        out.push(Request::DeploymentServiceAccounts { deployment_id })
                    }
                    DeploymentTab::Users => out.push(Request::DeploymentUsers { deployment_id }),
                }
                out
            }
        }
    }

    /// When the data behind `key` arrived and whether its last request failed.
    fn remote_meta(&self, key: &RequestKey) -> (Option<Timestamp>, Option<ApiError>) {
        fn meta<T>(r: Option<&Remote<T>>) -> (Option<Timestamp>, Option<ApiError>) {
            r.map_or((None, None), |r| (r.data_at(), r.error().cloned()))
        }
        match key {
            RequestKey::AuthConfig => meta(self.login.as_ref().map(|l| &l.auth_config)),
            RequestKey::Me => meta(Some(&self.me)),
            RequestKey::Workspaces => meta(Some(&self.workspaces)),
            RequestKey::Deployments(id) => meta(self.deployments.get(id)),
            RequestKey::WorkspaceUsers(id) => meta(self.workspace_users.get(id)),
            RequestKey::WorkspaceInvites(id) => meta(self.workspace_invites.get(id)),
            RequestKey::WorkspaceServiceAccounts(id) => {
                meta(self.workspace_service_accounts.get(id))
            }
            RequestKey::Deployment(id) => meta(self.deployment.get(id)),
            RequestKey::DeploymentVariables(id) => meta(self.deployment_variables.get(id)),
            RequestKey::DeploymentServiceAccounts(id) => {
                meta(self.deployment_service_accounts.get(id))
            }
            RequestKey::DeploymentUsers(id) => meta(self.deployment_users.get(id)),
        }
    }

    /// Freshness of what is on screen, for the header.
    pub fn view_status(&self) -> ViewStatus {
        let mut status = ViewStatus {
            updated_at: None,
            in_flight: false,
            failed: None,
        };
        for req in self.visible_requests() {
            let key = req.key();
            status.in_flight |= self.in_flight.contains(&key);
            let (at, err) = self.remote_meta(&key);
            if let Some(at) = at {
                status.updated_at = Some(status.updated_at.map_or(at, |u| u.min(at)));
            }
            if status.failed.is_none() {
                status.failed = err;
            }
        }
        status
    }

    /// Breadcrumbs: `context › workspace › deployment › tab`.
    pub fn breadcrumbs(&self) -> Vec<String> {
        let mut out = vec![self.context_name.clone()];
        if self.login.is_some() {
            out.push("Login".into());
            return out;
        }
        for route in &self.routes {
            match route {
                Route::Account => {}
                Route::Workspace { id, .. } => out.push(
                    self.workspace(id)
                        .map_or_else(|| id.to_string(), |w| w.label.clone()),
                ),
                Route::Deployment { id, .. } => out.push(
                    self.find_deployment(id)
                        .map_or_else(|| id.to_string(), |d| d.label.clone()),
                ),
            }
        }
        match self.route() {
            Route::Account => out.push("Workspaces".into()),
            Route::Workspace { tab, .. } => out.push(tab.title().into()),
            Route::Deployment { tab, .. } => out.push(tab.title().into()),
        }
        out
    }
}
