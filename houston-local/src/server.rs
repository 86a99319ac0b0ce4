//! Configuration, startup, the axum router and the `Handle` that controls a running server.
//! The request handlers the router calls are in `http`.

mod http;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth;
use crate::db::Db;
use crate::db::store;
use crate::error::Error;
use crate::limits::Limits;
use crate::limits::document::Checker;
use crate::limits::login::Logins;
use crate::schema::{self, HoustonSchema};
use crate::state::State;
use http::{graphql, healthz, ws_handler};

#[derive(Clone, Debug)]
pub struct Config {
    pub host: String,
    /// 0 = ephemeral port.
    pub port: u16,
    /// SQLite file; `None` = in-memory database.
    pub db: Option<PathBuf>,
    /// Seed an empty database.
    pub seed: Option<Seed>,
    pub base_domain: String,
    /// How long a new or changed deployment stays DEPLOYING.
    pub deploying_secs: u64,
    /// Release names to mark UNHEALTHY at startup.
    pub unhealthy: Vec<String>,
    /// Clusters (by name) to mark INACTIVE at startup, each with the reason's message
    /// (`None`: a generic one). Houston 1.0+ shows clusters.
    pub inactive_clusters: Vec<(String, Option<String>)>,
    /// Time between two log lines of one component of a deployment; 0 = no log lines.
    /// Lines are computed when read, so this costs nothing while nobody reads.
    pub log_interval_ms: u64,
    /// Time between two events of a `metrics` subscription.
    pub metrics_interval_ms: u64,
    /// Maximum lifetime of every subscription; `None` = Houston's lifetimes:
    /// 20 minutes for `log` and `metrics`, 24 hours for `deploymentStatus`. Streams then end
    /// with `complete`.
    pub subscription_max_secs: Option<u64>,
    /// The Houston version to report and model (`appConfig.version`); older versions expose
    /// only what they had (see `versioning`).
    pub houston_version: crate::versioning::HoustonVersion,
    /// Request size, shape, time and login limits.
    pub limits: Limits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 0,
            db: None,
            seed: None,
            base_domain: "astrodash.local".into(),
            deploying_secs: 5,
            unhealthy: Vec::new(),
            inactive_clusters: Vec::new(),
            log_interval_ms: 1000,
            metrics_interval_ms: 5000,
            subscription_max_secs: None,
            houston_version: crate::versioning::HoustonVersion::default(),
            limits: Limits::default(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seed {
    Demo,
}

#[derive(Clone)]
struct App {
    /// Every value metered: for documents whose result could multiply.
    schema: HoustonSchema,
    unmetered: HoustonSchema,
    checker: Arc<Checker>,
    state: Arc<State>,
    cache: Arc<crate::cache::ResponseCache>,
    /// GraphQL requests executing now (tests watch cancellation with it).
    running: Arc<AtomicUsize>,
}

/// Counts one executing request while alive; dropped with the request, also when cancelled.
struct Running(Arc<AtomicUsize>);

impl Running {
    fn start(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::AcqRel);
        Running(count.clone())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

pub struct Handle {
    addr: SocketAddr,
    state: Arc<State>,
    seeded_admin: Option<(String, String)>,
    /// The database was empty (new file or in memory) when the server started.
    created: bool,
    running: Arc<AtomicUsize>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

/// Seeds an empty database (when asked) and applies the `unhealthy` switches.
/// Returns the seeded admin's credentials when this call seeded.
async fn prepare(db: &Arc<Db>, config: &Config) -> Result<Option<(String, String)>, Error> {
    let mut seeded_admin = None;
    if db.created && config.seed == Some(Seed::Demo) {
        let db2 = db.clone();
        let deploying_ms = config.deploying_secs as i64 * 1000;
        seeded_admin = Some(
            tokio::task::spawn_blocking(move || crate::seed::demo(&db2, deploying_ms))
                .await
                .map_err(|e| Error::Seed(e.to_string()))??,
        );
    }
    for rn in &config.unhealthy {
        if db.write(|c| store::set_unhealthy(c, rn, true))? == 0 {
            return Err(Error::UnknownDeployment(rn.clone()));
        }
    }
    prepare_clusters(db, config, seeded_admin.is_some())?;
    Ok(seeded_admin)
}

/// The demo's clusters (with the demo seed), the default cluster of an APC database, and
/// the `inactive_clusters` switches.
fn prepare_clusters(db: &Db, config: &Config, seeded: bool) -> Result<(), Error> {
    if seeded {
        db.write(|c| crate::seed::clusters::demo(c, &config.base_domain))?;
    }
    if config.houston_version >= crate::versioning::V1_0 {
        db.write(|c| crate::seed::clusters::ensure_default(c, &config.base_domain))?;
    }
    for (name, reason) in &config.inactive_clusters {
        set_cluster_status(db, name, false, reason.as_deref())?;
    }
    Ok(())
}

fn set_cluster_status(
    db: &Db,
    name: &str,
    active: bool,
    reason: Option<&str>,
) -> Result<(), Error> {
    let (status, reason) = if active {
        (crate::db::clusters::ACTIVE, None)
    } else {
        let message = reason.unwrap_or("Commander reported an unhealthy status");
        (
            crate::db::clusters::INACTIVE,
            Some(crate::seed::clusters::inactive_reason(message)),
        )
    };
    if db.write(|c| crate::db::clusters::set_cluster_status(c, name, status, reason.as_ref()))? == 0
    {
        return Err(Error::UnknownCluster(name.to_string()));
    }
    Ok(())
}

/// Removes an SQLite database file and its WAL companions.
fn remove_database_files(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

pub async fn start(config: Config) -> Result<Handle, Error> {
    // Bind first: a busy port must fail before a database file is created and seeded.
    let bind = format!("{}:{}", config.host, config.port);
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .map_err(|source| Error::Bind {
            addr: bind.clone(),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| Error::Bind {
        addr: bind.clone(),
        source,
    })?;
    let new_file = config.db.as_deref().filter(|path| !path.exists());
    let db = Arc::new(Db::open(config.db.as_deref())?);
    let prepared = prepare(&db, &config).await;
    let seeded_admin = match prepared {
        Ok(seeded_admin) => seeded_admin,
        Err(e) => {
            // A failed start leaves nothing behind: otherwise a typo in --unhealthy would keep a
            // seeded file whose admin password was never shown.
            if let Some(path) = new_file {
                drop(db);
                remove_database_files(path);
            }
            return Err(e);
        }
    };
    let secret = db.write(store::jwt_secret)?;
    let created = db.created;
    let twenty_minutes = Duration::from_secs(config.subscription_max_secs.unwrap_or(20 * 60));
    let state = Arc::new(State {
        db,
        secret: secret.into_bytes(),
        base_domain: config.base_domain.clone(),
        deploying_ms: config.deploying_secs as i64 * 1000,
        public_signup: false,
        log_interval_ms: config.log_interval_ms,
        metrics_interval: Duration::from_millis(config.metrics_interval_ms.max(1)),
        log_stream_max: twenty_minutes,
        metrics_stream_max: twenty_minutes,
        status_stream_max: Duration::from_secs(
            config.subscription_max_secs.unwrap_or(24 * 60 * 60),
        ),
        houston_version: config.houston_version,
        logins: Logins::new(&config.limits),
        limits: config.limits.clone(),
    });
    let schema = schema::build_served_schema(state.clone(), true).map_err(Error::Schema)?;
    let unmetered = schema::build_served_schema(state.clone(), false).map_err(Error::Schema)?;
    let checker = Arc::new(Checker::new(config.limits.clone(), &schema.sdl()));
    let running = Arc::new(AtomicUsize::new(0));
    let app = App {
        schema,
        unmetered,
        checker,
        state: state.clone(),
        cache: Arc::new(crate::cache::ResponseCache::default()),
        running: running.clone(),
    };
    let router = Router::new()
        .route("/v1", post(graphql))
        .route("/v1/healthz", get(healthz))
        .route("/ws", get(ws_handler))
        .layer(DefaultBodyLimit::max(config.limits.max_body_bytes))
        .with_state(app);
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let r = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = r {
            tracing::error!("server error: {e}");
        }
    });
    Ok(Handle {
        addr,
        state,
        seeded_admin,
        created,
        running,
        shutdown: Some(tx),
        server: Some(server),
    })
}

impl Handle {
    pub fn url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The database's write generation (bumped by every write that may change a cached
    /// response); for tests.
    #[doc(hidden)]
    pub fn db_generation(&self) -> u64 {
        self.state.db.generation()
    }

    /// (email, password) when this start seeded an empty database.
    pub fn seeded_admin(&self) -> Option<(String, String)> {
        self.seeded_admin.clone()
    }

    /// GraphQL requests (HTTP) executing now; for tests.
    #[doc(hidden)]
    pub fn requests_running(&self) -> usize {
        self.running.load(Ordering::Acquire)
    }

    /// Whether the database was empty when the server started (a new file, or in memory).
    pub fn database_was_empty(&self) -> bool {
        self.created
    }

    /// Give a user a new random password and return it (`astrodash serve
    /// --reset-admin-password`). Tokens already issued stay valid; the user's failed-login
    /// back-off is cleared.
    pub async fn reset_password(&self, email: &str) -> Result<String, Error> {
        let user = self
            .state
            .db
            .read(|c| store::user_by_email(c, email))?
            .ok_or_else(|| Error::UnknownUser(email.to_string()))?;
        let password = crate::auth::random_hex(8);
        let hash = self
            .state
            .logins
            .hash(password.clone())
            .await
            .map_err(|r| Error::Password(r.message()))?
            .map_err(Error::Password)?;
        self.state
            .db
            .write(|c| store::set_password_hash(c, &user.id, &hash))?;
        self.state.logins.forget(&user.id);
        Ok(password)
    }

    /// Mint a 24 h JWT for an existing user (demo login, tests).
    pub fn issue_token(&self, email: &str) -> Result<String, Error> {
        let u = self
            .state
            .db
            .read(|c| store::user_by_email(c, email))?
            .ok_or_else(|| Error::UnknownUser(email.to_string()))?;
        Ok(auth::issue(&self.state.secret, &u.id, chrono::Utc::now().timestamp()).0)
    }

    pub fn set_unhealthy(&self, release_name: &str, unhealthy: bool) -> Result<(), Error> {
        let n = self
            .state
            .db
            .write(|c| store::set_unhealthy(c, release_name, unhealthy))?;
        if n == 0 {
            return Err(Error::UnknownDeployment(release_name.to_string()));
        }
        Ok(())
    }

    /// Marks a cluster (by name) ACTIVE, or INACTIVE with the reason's message.
    pub fn set_cluster_status(
        &self,
        name: &str,
        active: bool,
        reason: Option<&str>,
    ) -> Result<(), Error> {
        set_cluster_status(&self.state.db, name, active, reason)
    }

    /// Test and benchmark helper: mint a JWT with arbitrary claims using the stored secret.
    #[doc(hidden)]
    pub fn sign_claims(&self, claims: &auth::Claims) -> String {
        auth::encode_jwt(&self.state.secret, claims)
    }

    /// Test helper: the value houston-local stores for a deployment's variable, secrets
    /// included (the API never returns a secret's value, so this is how a test proves a secret
    /// kept it).
    #[doc(hidden)]
    pub fn stored_env_value(
        &self,
        deployment_id: &str,
        key: &str,
    ) -> Result<Option<String>, Error> {
        let rows = self.state.db.read(|c| store::env_vars(c, deployment_id))?;
        Ok(rows.into_iter().find(|r| r.key == key).map(|r| r.value))
    }

    /// Benchmark helper: create a workspace with `n` deployments straight through the store.
    /// Returns the workspace id.
    #[doc(hidden)]
    pub fn bulk_workspace(&self, label: &str, n: usize) -> Result<String, Error> {
        crate::seed::bulk_workspace(&self.state.db, label, n)
    }

    /// Graceful stop: stop accepting, finish in-flight requests.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(s) = self.server.take() {
            // Open websockets would hold graceful shutdown forever; bound the wait.
            let abort = s.abort_handle();
            if tokio::time::timeout(std::time::Duration::from_secs(2), s)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(s) = self.server.take() {
            s.abort();
        }
    }
}
