//! The whole state of the app, grouped: the session (who, where, read-only), the cache of server
//! data, the navigation stack, the UI (modals, tables, messages) and the network bookkeeping.
//! Rendering reads it; only `update` changes it.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use tui_input::Input;

use super::airflow::AirflowState;
use super::cache::Cache;
use super::clipboard::ClipboardRoute;
use super::contexts::Contexts;
use super::fleet::FleetState;
use super::freshness::Freshness;
use super::live::Live;
use super::modal::Modal;
use super::tables::{self, Rows, TableId, TableState};
use crate::config::{Settings, ThemeName};
use crate::houston::model::*;
use crate::houston::mutation::Mutation;
use crate::houston::request::Request;
use crate::keys::Keymap;

pub(crate) mod admin_tabs;
pub(crate) mod route;
pub(crate) mod session;
pub(crate) mod tabs;
mod visible;

pub use admin_tabs::AdminTab;
pub use route::{Nav, Route, Screen};
pub use session::{LoginMode, LoginState, Session};
pub use tabs::{DeploymentTab, TabRow, WorkspaceTab};

/// How long an info message stays on screen.
pub(crate) const FLASH_SECONDS: i64 = 4;

/// How many messages `:messages` keeps.
pub const MESSAGE_LOG_LIMIT: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// The message line. A message belongs to the view it was raised in: it is not shown
/// elsewhere, info messages time out, and Esc clears any message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    pub level: Level,
    pub at: Timestamp,
    /// The view it was raised in; `None` for messages about the whole session.
    pub route: Option<Route>,
}

#[derive(Debug, Clone)]
pub struct Ui {
    /// All colours off (`NO_COLOR`).
    pub mono: bool,
    /// ASCII glyphs only: the locale is not UTF-8 (`LANG=C`).
    pub ascii: bool,
    /// Rows available for a table page (PgUp/PgDn), from the terminal size.
    pub page_rows: usize,
    pub modals: Vec<Modal>,
    /// The `/` filter being typed, if any; its value is mirrored into the table's filter live.
    pub filter_input: Option<Input>,
    pub message: Option<Message>,
    /// Every message shown, newest last, at most `MESSAGE_LOG_LIMIT` (`:messages` reads them).
    pub message_log: std::collections::VecDeque<Message>,
    pub tables: HashMap<TableId, TableState>,
    pub(crate) keymap: Keymap,
    /// The theme drawn with (the current context's; `mono` above still forces mono).
    pub theme: ThemeName,
    /// The terminal's size (for mouse hit-testing and the too-small notice).
    pub(crate) size: (u16, u16),
    /// Mouse capture is on (`--mouse` / `mouse = true`).
    pub mouse: bool,
    /// Commands run from the palette, oldest first (↑/↓ browse them).
    pub palette_history: Vec<String>,
    /// A `:deploy NAME` not found among the lists loaded, waiting for the platform-wide list.
    pub deploy_search: Option<String>,
    /// Whether a copy can be trusted to arrive (tmux).
    pub clipboard: ClipboardRoute,
    /// On a deployment's Users tab, the cursor is in the teams list (`t` switches).
    pub(crate) teams_focused: bool,
    /// On this deployment's Overview, the cursor is in the import errors (`t` switches).
    pub(crate) import_errors_focused: Option<DeploymentId>,
    /// The System Admin panel's task-usage range, in days (`w` cycles it).
    pub task_usage_days: u16,
}

/// Requests and mutations in flight, and the back-off after failures.
#[derive(Debug, Clone, Default)]
pub struct Net {
    pub(crate) next_seq: u64,
    /// The newest sequence number issued per request: older replies are dropped.
    pub latest_seq: HashMap<Request, u64>,
    pub in_flight: BTreeSet<Request>,
    /// Consecutive failed rounds; drives the back-off.
    pub failures: u32,
    /// A request of the current refresh round already failed (count each round once).
    pub(crate) round_failed: bool,
    /// When the visible view is refreshed next (refresh interval or back-off retry).
    pub next_refresh_at: Option<Timestamp>,
    /// Mutations sent and not answered yet, by id.
    pub mutations: HashMap<u64, Mutation>,
    /// For creates in flight: how many objects had that name when sent, by mutation id.
    pub(crate) namesakes: HashMap<u64, usize>,
    /// Changes whose request timed out, being checked against a fresh read.
    pub unsure: Vec<super::applied::Unsure>,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub session: Session,
    pub cache: Cache,
    /// What the deployments' Airflows answered, kept the same way.
    pub airflow: AirflowState,
    /// The fleet views' reads of many deployments' Airflows (`update::fleet`).
    pub fleet: FleetState,
    pub nav: Nav,
    pub ui: Ui,
    pub net: Net,
    /// The visible deployment's streams, log view and metrics.
    pub live: Live,
    /// Keeping lists live cheaply: status patches, highlights, bounded reads, focus.
    pub freshness: Freshness,
    /// The installations `:ctx` switches between, and what each left behind.
    pub contexts: Contexts,
    /// The clock as of the last message that carried one; rendering uses it, never the real clock.
    pub now: Timestamp,
    pub quit: bool,
}

/// The default state of a table that was never touched.
static NO_TABLE: std::sync::LazyLock<TableState> = std::sync::LazyLock::new(TableState::default);

impl AppState {
    pub fn new(settings: &Settings, now: Timestamp, mono: bool) -> Self {
        let contexts = Contexts::from_settings(settings, mono);
        let (keymap, _) = Keymap::with_overrides(&settings.keys);
        let theme = contexts.theme_of(&settings.context_name);
        let warning = (!settings.warnings.is_empty()).then(|| Message {
            text: format!("Warning: {}", settings.warnings.join(" · ")),
            level: Level::Info,
            at: now,
            route: None,
        });
        AppState {
            session: Session {
                context_name: settings.context_name.clone(),
                houston_url: Some(settings.url.clone()),
                app_url: settings.app_url.clone(),
                read_only: settings.read_only,
                tls_unverified: settings.trust.insecure_skip_verify,
                refresh: settings.refresh,
                token_expires_at: settings
                    .token
                    .as_ref()
                    .and_then(crate::houston::jwt::expires_at),
                login: settings
                    .token
                    .is_none()
                    .then(|| LoginState::new(settings.login_reason.clone())),
                return_to: None,
                last_login: None,
            },
            cache: Cache::default(),
            airflow: AirflowState::default(),
            fleet: FleetState::default(),
            nav: super::contexts::new_nav(),
            ui: Ui {
                mono: contexts.theme.forced_mono(),
                ascii: false,
                page_rows: 10,
                modals: Vec::new(),
                filter_input: None,
                // Config warnings, once, for the whole session (they are in the log file too),
                // and whole in `:messages` (a long list is cut on the line).
                message: warning.clone(),
                message_log: warning.into_iter().collect(),
                tables: HashMap::new(),
                keymap,
                theme,
                size: (80, 24),
                mouse: settings.mouse,
                palette_history: Vec::new(),
                deploy_search: None,
                clipboard: ClipboardRoute::default(),
                teams_focused: false,
                import_errors_focused: None,
                task_usage_days: crate::app::task_usage::RANGES[1],
            },
            net: Net::default(),
            live: Live::new(settings.log_lines),
            freshness: Freshness::default(),
            contexts,
            now,
            quit: false,
        }
    }

    /// Forget everything fetched with the previous token (remote data, table selections and
    /// filters, the navigation), so nothing of another identity is ever drawn.
    pub(crate) fn reset_remote_data(&mut self) {
        self.cache.clear();
        self.airflow = AirflowState::default();
        self.fleet = FleetState::default();
        self.ui.tables.clear();
        self.ui.filter_input = None;
        self.ui.modals.clear();
        self.live.logs = None;
        self.live.task_log = None;
        self.live.metrics = None;
        self.nav = super::contexts::new_nav();
        self.net.failures = 0;
        self.net.round_failed = false;
        self.freshness.reset();
    }

    pub fn route(&self) -> &Route {
        self.nav.routes.last().unwrap_or(&Route::Account)
    }

    pub fn screen(&self) -> Screen {
        self.route().screen()
    }

    pub fn me(&self) -> Option<&Me> {
        self.cache.me()
    }

    /// The workspace of the current screen (the workspace dashboard's, or the deployment's).
    pub(crate) fn current_workspace_id(&self) -> Option<WorkspaceId> {
        match self.route() {
            Route::Workspace { id, .. } => Some(id.clone()),
            // A deployment's dashboard, or a view below its DAGs tab.
            Route::Deployment { id, .. }
            | Route::DagRuns { deployment: id, .. }
            | Route::TaskInstances { deployment: id, .. }
            | Route::TaskLog { deployment: id, .. } => self
                .cache
                .deployment(id)
                .and_then(|d| d.workspace_id.clone())
                .or_else(|| {
                    self.nav.routes.iter().rev().find_map(|r| match r {
                        Route::Workspace { id, .. } => Some(id.clone()),
                        _ => None,
                    })
                }),
            Route::Account
            | Route::AllDeployments
            | Route::Admin { .. }
            | Route::Clusters
            | Route::FleetRuns => None,
        }
    }

    pub(crate) fn current_workspace(&self) -> Option<&Workspace> {
        self.cache.workspace(&self.current_workspace_id()?)
    }

    /// Whether the caller may see the pending invites of workspace `id` (`workspaceInvites`
    /// needs `workspace.invites.get`, a workspace admin's permission). Unknown workspace: no.
    pub fn can_see_invites(&self, id: &WorkspaceId) -> bool {
        self.cache
            .workspace(id)
            .is_some_and(|w| w.capabilities.can_invite_user)
    }

    /// The table under the cursor on the current screen, if the screen has one.
    pub fn current_table(&self) -> Option<TableId> {
        if self.session.login.is_some() {
            return None;
        }
        match self.route() {
            // A caller with deployment roles only: their dashboard lists those deployments.
            Route::Account if crate::app::shared::is_dashboard(&self.cache) => {
                Some(TableId::SharedDeployments)
            }
            Route::Account => Some(TableId::Workspaces),
            Route::Workspace { id, tab } => tab.tables(id).into_iter().next(),
            // The Overview's keys (`d`, `y`, `o`) are the deployment's until `t` puts the
            // cursor in its import errors, while there are some.
            Route::Deployment {
                id,
                tab: DeploymentTab::Overview,
            } => (self.ui.import_errors_focused.as_ref() == Some(id)
                && self
                    .cache
                    .airflow_import_errors(id)
                    .is_some_and(|e| !e.is_empty()))
            .then(|| TableId::ImportErrors(id.clone())),
            Route::Deployment { id, tab } => {
                let tables = tab.tables(id);
                // `t` puts the cursor on a tab's second table (the Users tab's teams).
                let second = self.ui.teams_focused && tables.len() > 1;
                tables.into_iter().nth(usize::from(second))
            }
            Route::AllDeployments => Some(TableId::AllDeployments),
            Route::Admin { tab } => tab.tables(self.ui.task_usage_days).into_iter().next(),
            Route::Clusters => Some(TableId::Clusters),
            Route::FleetRuns => Some(TableId::FleetRuns),
            Route::DagRuns { deployment, dag_id } => Some(TableId::DagRuns {
                deployment: deployment.clone(),
                dag_id: dag_id.clone(),
            }),
            Route::TaskInstances {
                deployment,
                dag_id,
                run_id,
            } => Some(TableId::TaskInstances {
                deployment: deployment.clone(),
                dag_id: dag_id.clone(),
                run_id: run_id.clone(),
            }),
            Route::TaskLog { .. } => None,
        }
    }

    /// The log view on screen: the Logs tab's, or a task instance's log.
    pub(crate) fn shown_log_view(&self) -> Option<&super::logs::LogView> {
        match self.route() {
            Route::Deployment {
                id,
                tab: DeploymentTab::Logs,
            } => self.live.log_view(id),
            Route::TaskLog { .. } => self.live.task_log.as_ref(),
            _ => None,
        }
    }

    pub fn table(&self, id: &TableId) -> &TableState {
        self.ui.tables.get(id).unwrap_or(&NO_TABLE)
    }

    pub fn rows(&self, id: &TableId) -> Box<dyn Rows + '_> {
        tables::rows(&self.cache, id)
    }

    /// When the rows of `id` last changed.
    pub fn table_generation(&self, id: &TableId) -> u64 {
        id.generation(&self.cache)
    }

    /// The data indices `id` shows, in order (filtered and sorted).
    pub fn view(&self, id: &TableId) -> Cow<'_, [usize]> {
        self.table(id)
            .view(self.rows(id).as_ref(), self.table_generation(id))
    }

    /// The data index of the selected row of `id`, if any row is visible.
    pub fn selected_index(&self, id: &TableId) -> Option<usize> {
        let view = self.view(id);
        let t = self.table(id);
        let rows = self.rows(id);
        // Prefer the item the cursor belongs to; the position only when it is gone.
        if let Some(key) = &t.selected_key
            && let Some(&i) = view.iter().find(|&&i| rows.key(i) == key)
        {
            return Some(i);
        }
        view.get(t.selected.min(view.len().checked_sub(1)?))
            .copied()
    }

    /// The item under the cursor of the current table, when that table lists `T`s (a
    /// workspace, a variable, a team …): one read for every table, through its rows.
    pub fn selected<T: Clone + 'static>(&self) -> Option<T> {
        let table = self.current_table()?;
        let i = self.selected_index(&table)?;
        self.rows(&table).item(i)?.downcast_ref::<T>().cloned()
    }

    /// The deployment `o`/`f`/`e`/`u` act on: the dashboard's own, or the selected row.
    pub fn target_deployment(&self) -> Option<&Deployment> {
        match self.route() {
            // A deployment's dashboard, or a view below its DAGs tab.
            Route::Deployment { id, .. }
            | Route::DagRuns { deployment: id, .. }
            | Route::TaskInstances { deployment: id, .. }
            | Route::TaskLog { deployment: id, .. } => self.cache.deployment(id),
            Route::Workspace {
                id,
                tab: WorkspaceTab::Deployments,
            } => {
                let i = self.selected_index(&TableId::Deployments(id.clone()))?;
                self.cache.deployments(id)?.get(i)
            }
            Route::AllDeployments => {
                let i = self.selected_index(&TableId::AllDeployments)?;
                tables::all_deployments::deployment(&self.cache, i)
            }
            Route::Account if self.current_table() == Some(TableId::SharedDeployments) => {
                let i = self.selected_index(&TableId::SharedDeployments)?;
                tables::all_deployments::shared_deployment(&self.cache, i)
            }
            _ => None,
        }
    }
}
