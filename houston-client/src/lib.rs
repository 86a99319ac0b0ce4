//! The Houston API client: transport (reqwest POST /v1), operations (graphql_client derives over
//! `queries/`), their per-version variants (`documents`, `variants`), conversion into domain
//! types (`model`), errors, and the legacy graphql-ws client.
//!
//! The public signatures below are what the app's effect executor calls (a contract: methods
//! may be added, signatures stay).
//!
//! Version handling: call [`HoustonClient::probe_version`] on connect. Every clone of the client
//! then sends the documents that Houston version accepts; independently, a document the server
//! refuses as a schema mismatch is replaced by its older form for the rest of the session.
//! What no form can do fails with [`ApiError::Unsupported`].

mod apc_mutations;
mod apc_ops;
mod cluster;
pub mod convert;
pub mod convert_lists;
mod convert_people;
pub mod documents;
pub mod jwt;
pub mod metrics;
pub mod model;
pub mod mutation;
pub mod mutation_ops;
pub mod ops;
pub mod profile;
pub mod reply;
pub mod request;
pub mod resources;
pub mod runtime;
pub mod secret;
mod serde_words;
mod service_account_mutations;
pub mod subscription;
pub mod system;
pub mod system_mutations;
pub mod team_mutations;
pub mod tls;
pub mod transport;
pub mod unsupported;
pub mod variants;
pub mod version;
pub mod ws;

use model::*;
use profile::ServerProfile;
pub use secret::Secret;
pub use tls::TrustOptions;
use transport::Transport;
pub use transport::{Timeouts, TransportOptions};
pub use version::{HoustonVersion, Release};

/// Why a request failed. `Clone` so it can live in app state.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// Could not reach the server (connection refused, DNS, TLS...).
    #[error("cannot reach Houston: {0}")]
    Network(String),
    #[error("request timed out")]
    Timeout,
    /// A non-2xx HTTP status (GraphQL validation errors come back as 400).
    #[error("HTTP {status}: {body}")]
    Http { status: u16, body: String },
    /// `extensions.code = "FORBIDDEN"`: missing/expired token or missing permission.
    #[error("{0}")]
    Forbidden(String),
    /// Any other GraphQL `errors[]` entry: all messages joined, and the first `extensions.code`
    /// Houston gave (`BAD_USER_INPUT`, `USER_ALREADY_INVITED` …), so a form can tell what was
    /// refused.
    #[error("{message}")]
    GraphQl {
        message: String,
        code: Option<String>,
    },
    /// The object asked for does not exist (any more): Houston answered `null` for it, or
    /// `RESOURCE_NOT_FOUND`.
    #[error("{0}")]
    NotFound(String),
    /// The reply could not be decoded (malformed JSON, missing data): which operation's reply,
    /// and what about it, in words.
    #[error("unexpected reply from Houston: {0}")]
    Decode(String),
    /// The URL does not lead to Houston's GraphQL endpoint (a 404, a web page, JSON that is not
    /// a GraphQL reply): names the URL tried and the likely fix. Retrying will not help.
    #[error("{0}")]
    NotHouston(String),
    /// The token cannot be sent at all (control characters, line breaks): a configuration
    /// problem, not a server one. The text says what is wrong, never the token.
    #[error("the token cannot be used: {0}")]
    InvalidToken(String),
    /// The server's TLS certificate was refused: what is wrong with it and how to trust it.
    #[error("{0}")]
    Certificate(String),
    /// The reply was larger than the transport accepts (`TransportOptions::max_reply_bytes`).
    #[error(
        "Houston's reply is larger than {} MiB, the most astrodash accepts; \
         the list is too long to show",
        limit_bytes / (1024 * 1024)
    )]
    ReplyTooLarge { limit_bytes: u64 },
    /// This Houston's schema lacks a field, argument or type the request needs (validation
    /// failed with `Cannot query field …`, `Unknown argument …` …), and no older form of the
    /// request is left to try: the feature is not available on this server. `message` is
    /// Houston's own text; `houston_version` what the server reported, once known.
    #[error("{}", unsupported_text(.houston_version.as_deref(), .message))]
    Unsupported {
        message: String,
        houston_version: Option<String>,
    },
}

fn unsupported_text(houston_version: Option<&str>, message: &str) -> String {
    let on = match houston_version.filter(|v| !v.is_empty()) {
        Some(version) => format!("Houston {version}"),
        None => "this Houston version".to_string(),
    };
    if message.is_empty() {
        format!("not available on {on}")
    } else {
        format!("not available on {on} ({message})")
    }
}

impl ApiError {
    /// Worth retrying later by itself (server unreachable, slow or failing), as opposed to an
    /// answer that will not change until the user acts (bad token, missing permission, bad input).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network(_) | ApiError::Timeout => true,
            ApiError::Http { status, .. } => *status >= 500 || *status == 429,
            ApiError::Forbidden(_)
            | ApiError::GraphQl { .. }
            | ApiError::NotFound(_)
            | ApiError::Decode(_)
            | ApiError::NotHouston(_)
            | ApiError::InvalidToken(_)
            | ApiError::Certificate(_)
            | ApiError::ReplyTooLarge { .. }
            | ApiError::Unsupported { .. } => false,
        }
    }

    /// A GraphQL error without a code.
    pub fn graphql(message: impl Into<String>) -> ApiError {
        ApiError::GraphQl {
            message: message.into(),
            code: None,
        }
    }

    /// Houston's `extensions.code`, when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::GraphQl { code, .. } => code.as_deref(),
            ApiError::Forbidden(_) => Some("FORBIDDEN"),
            ApiError::NotFound(_) => Some("RESOURCE_NOT_FOUND"),
            ApiError::Unsupported { .. } => Some("GRAPHQL_VALIDATION_FAILED"),
            _ => None,
        }
    }

    /// The token is missing, expired or lacks permission: the login screen may help.
    pub fn is_forbidden(&self) -> bool {
        matches!(self, ApiError::Forbidden(_))
    }

    /// This Houston cannot do what was asked (its schema lacks it): say "not available", do
    /// not retry, do not treat the server as down.
    pub fn is_unsupported(&self) -> bool {
        matches!(self, ApiError::Unsupported { .. })
    }

    /// A schema-mismatch error as the transport sees it, before the client knows the version.
    pub fn unsupported(message: impl Into<String>) -> ApiError {
        ApiError::Unsupported {
            message: message.into(),
            houston_version: None,
        }
    }
}

/// Cheap to clone: one reqwest client and one server profile inside, shared by the clones.
#[derive(Debug, Clone)]
pub struct HoustonClient {
    transport: Transport,
    token: Option<Secret>,
    /// What this session learnt about the server (version, refused documents).
    profile: ServerProfile,
}

/// Which document a read operation uses at the moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInUse {
    /// The root field, e.g. `workspaceDeployments`.
    pub operation: &'static str,
    /// The document's operation name, e.g. `WorkspaceDeploymentsV023`; `None` when the server
    /// supports no form of it.
    pub document: Option<&'static str>,
    /// Not a full form (`is_full_form`): something this Houston lacks is shown as "—".
    pub reduced: bool,
}

/// Whether `document` lacks nothing of its operation: the newest form, or the newest before
/// Houston 1.0 (the 1.0 forms trade the Astronomer Certified fields for the cluster, so a
/// Houston before 1.0 on its own newest form lacks nothing it has). No document for an
/// operation of 1.0 and later (clusters) on an older Houston lacks nothing either.
fn is_full_form(variants: &[variants::VariantInfo], document: Option<&str>) -> bool {
    let newest = variants.first();
    let newest_before_1_0 = variants.iter().find(|v| v.since < documents::HOUSTON_1_0);
    let Some(document) = document else {
        return newest_before_1_0.is_none();
    };
    Some(document).is_some_and(|d| {
        [newest, newest_before_1_0]
            .into_iter()
            .flatten()
            .any(|v| v.document == d)
    })
}

impl HoustonClient {
    /// `url` is the GraphQL endpoint, e.g. `https://houston.example.com/v1`. Fails only on a URL
    /// that does not parse.
    pub fn new(url: &str, token: Option<Secret>) -> Result<Self, ApiError> {
        Self::with_timeouts(url, token, Timeouts::default())
    }

    /// Like `new`, with explicit connect/request timeouts (tests use short ones).
    pub fn with_timeouts(
        url: &str,
        token: Option<Secret>,
        timeouts: Timeouts,
    ) -> Result<Self, ApiError> {
        Ok(HoustonClient {
            transport: Transport::new(url, timeouts)?,
            token,
            profile: ServerProfile::default(),
        })
    }

    /// Like `new`, with every transport option (timeouts, reply size cap, TLS trust).
    pub fn with_options(
        url: &str,
        token: Option<Secret>,
        options: &TransportOptions,
    ) -> Result<Self, ApiError> {
        Ok(HoustonClient {
            transport: Transport::with_options(url, options)?,
            token,
            profile: ServerProfile::default(),
        })
    }

    /// Start streaming a deployment's logs over the websocket, trusting exactly the servers
    /// this client's HTTP requests trust.
    pub async fn subscribe_logs(
        &self,
        deployment_id: &DeploymentId,
        component: Option<&str>,
        search: Option<&str>,
    ) -> Result<ws::LogSubscription, ApiError> {
        ws::LogSubscription::start(
            self.url(),
            self.token(),
            self.transport.tls_config(),
            &deployment_id.to_string(),
            component,
            search,
        )
        .await
    }

    /// Certificates are not verified for this client (`insecure_skip_verify`).
    pub fn is_insecure(&self) -> bool {
        self.transport.is_insecure()
    }

    pub fn url(&self) -> &str {
        self.transport.url()
    }

    /// The same endpoint, connection pool and server profile with another token (after login /
    /// logout): the server did not change.
    pub fn with_token(&self, token: Option<Secret>) -> Self {
        HoustonClient {
            transport: self.transport.clone(),
            token,
            profile: self.profile.clone(),
        }
    }

    /// The token every authenticated request sends, as `Secret::token` read it.
    pub fn token(&self) -> Option<&Secret> {
        self.token.as_ref()
    }

    /// Run one document as it is (no version choice): the mutations of `houston::mutation`.
    pub(crate) async fn run<Q: graphql_client::GraphQLQuery>(
        &self,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, ApiError> {
        self.transport.run::<Q>(self.token(), variables).await
    }

    /// On connect: ask Houston its version (`appConfig`) and remember it, so that from now on
    /// every clone of this client sends the documents that version accepts. A reply without a
    /// version is remembered as unknown (newest documents first, with fallback).
    pub async fn probe_version(&self) -> Result<HoustonVersion, ApiError> {
        let config = self.app_config().await?;
        Ok(config.houston_version())
    }

    /// The version Houston reported, once probed (`probe_version` or `app_config`).
    pub fn houston_version(&self) -> Option<HoustonVersion> {
        self.profile.version()
    }

    /// The documents this server refused this session (operation names), for diagnostics.
    pub fn refused_documents(&self) -> Vec<&'static str> {
        self.profile.refused()
    }

    /// For every read operation, the document a request would send now.
    pub fn documents_in_use(&self) -> Vec<DocumentInUse> {
        documents::READ_OPERATIONS
            .iter()
            .map(|op| {
                let document = op.document_in_use(self);
                DocumentInUse {
                    operation: op.field(),
                    document,
                    reduced: !is_full_form(&op.variants(), document),
                }
            })
            .collect()
    }

    /// `appConfig`; also records the version it reports (see `probe_version`).
    pub async fn app_config(&self) -> Result<AppConfig, ApiError> {
        let config = self.fetch(&documents::APP_CONFIG, &()).await?;
        self.profile.set_version(config.houston_version());
        Ok(config)
    }

    pub async fn auth_config(&self) -> Result<AuthConfig, ApiError> {
        self.fetch(&documents::AUTH_CONFIG, &()).await
    }

    /// Local login; returns the JWT, read as a token like every token that enters.
    pub async fn create_token(&self, identity: &str, password: &str) -> Result<Secret, ApiError> {
        let input = (identity.to_string(), password.to_string());
        let raw: String = self.fetch(&documents::CREATE_TOKEN, &input).await?;
        Secret::token(&raw).ok_or_else(|| ApiError::Decode("login reply holds no token".into()))
    }

    pub async fn me(&self) -> Result<Me, ApiError> {
        self.fetch(&documents::ME, &()).await
    }

    /// The caller's workspaces; `me_id` picks the caller's own role out of the bindings (`None`
    /// for a service account, which has no user binding: every `my_role` is then `None`).
    pub async fn workspaces(&self, me_id: Option<&UserId>) -> Result<Vec<Workspace>, ApiError> {
        self.fetch(&documents::WORKSPACES, &me_id.cloned()).await
    }

    pub async fn workspace(
        &self,
        workspace_id: &WorkspaceId,
        me_id: Option<&UserId>,
    ) -> Result<Workspace, ApiError> {
        let input = (workspace_id.clone(), me_id.cloned());
        self.fetch(&documents::WORKSPACE, &input).await
    }

    /// Without `namespace` on Houston before 0.25.
    pub async fn workspace_deployments(
        &self,
        workspace_id: &WorkspaceId,
    ) -> Result<Vec<Deployment>, ApiError> {
        self.fetch(&documents::WORKSPACE_DEPLOYMENTS, workspace_id)
            .await
    }

    /// A workspace's deployments with only what its list draws (`DeploymentRows`): no
    /// description, namespace, chart, resources or creation time.
    pub async fn workspace_deployment_rows(
        &self,
        workspace_id: &WorkspaceId,
    ) -> Result<Vec<Deployment>, ApiError> {
        self.fetch(&documents::DEPLOYMENT_ROWS, workspace_id).await
    }

    /// The status of each deployment of a workspace.
    pub async fn workspace_deployment_statuses(
        &self,
        workspace_id: &WorkspaceId,
    ) -> Result<Vec<DeploymentStatusRow>, ApiError> {
        self.fetch(&documents::DEPLOYMENT_STATUSES, workspace_id)
            .await
    }

    /// Every deployment on the platform, as rows with their workspace's name. Houston answers
    /// FORBIDDEN to a caller without `system.deployments.get`.
    pub async fn all_deployment_rows(&self) -> Result<Vec<Deployment>, ApiError> {
        self.fetch(&documents::ALL_DEPLOYMENT_ROWS, &()).await
    }

    /// The status of every deployment on the platform (same permission).
    pub async fn all_deployment_statuses(&self) -> Result<Vec<DeploymentStatusRow>, ApiError> {
        self.fetch(&documents::ALL_DEPLOYMENT_STATUSES, &()).await
    }

    /// Without `namespace` on Houston before 0.25.
    pub async fn deployment(&self, deployment_id: &DeploymentId) -> Result<Deployment, ApiError> {
        self.fetch(&documents::DEPLOYMENT, deployment_id).await
    }

    /// A deployment by its release name (`deployment(where: {releaseName})`).
    pub async fn deployment_by_release(&self, release_name: &str) -> Result<Deployment, ApiError> {
        self.fetch(&documents::DEPLOYMENT_BY_RELEASE, &release_name.to_string())
            .await
    }

    pub async fn workspace_users(
        &self,
        workspace_id: &WorkspaceId,
    ) -> Result<Vec<WorkspaceUser>, ApiError> {
        self.fetch(&documents::WORKSPACE_USERS, workspace_id).await
    }

    pub async fn workspace_invites(
        &self,
        workspace_id: &WorkspaceId,
    ) -> Result<Vec<Invite>, ApiError> {
        self.fetch(&documents::WORKSPACE_INVITES, workspace_id)
            .await
    }

    pub async fn workspace_service_accounts(
        &self,
        workspace_id: &WorkspaceId,
    ) -> Result<Vec<ServiceAccount>, ApiError> {
        self.fetch(&documents::WORKSPACE_SERVICE_ACCOUNTS, workspace_id)
            .await
    }

    pub async fn deployment_variables(
        &self,
        deployment_id: &DeploymentId,
        release_name: &str,
    ) -> Result<Vec<EnvVar>, ApiError> {
        let input = (deployment_id.clone(), release_name.to_string());
        self.fetch(&documents::DEPLOYMENT_VARIABLES, &input).await
    }

    pub async fn deployment_service_accounts(
        &self,
        deployment_id: &DeploymentId,
    ) -> Result<Vec<ServiceAccount>, ApiError> {
        self.fetch(&documents::DEPLOYMENT_SERVICE_ACCOUNTS, deployment_id)
            .await
    }

    pub async fn deployment_users(
        &self,
        deployment_id: &DeploymentId,
    ) -> Result<Vec<DeploymentUser>, ApiError> {
        self.fetch(&documents::DEPLOYMENT_USERS, deployment_id)
            .await
    }

    /// Log lines of a deployment (one `component`, else all) newer than `after` (else all
    /// Houston keeps: its newest 800), oldest first.
    pub async fn logs(
        &self,
        deployment_id: &DeploymentId,
        component: Option<&str>,
        after: Option<Timestamp>,
    ) -> Result<Vec<LogLine>, ApiError> {
        let input = (deployment_id.clone(), component.map(str::to_string), after);
        self.fetch(&documents::LOGS, &input).await
    }

    /// Start a subscription on Houston's `/ws` with this client's endpoint and token, trusting
    /// exactly the servers this client's HTTP requests trust.
    pub async fn subscribe(
        &self,
        subscription: subscription::Subscription,
    ) -> Result<ws::SubscriptionStream, ApiError> {
        ws::SubscriptionStream::start(
            self.url(),
            self.token(),
            self.transport.tls_config(),
            subscription,
        )
        .await
    }

    /// Sizes and limits; before Houston 1.0 also the Airflow versions on offer.
    pub async fn deployment_config(&self) -> Result<DeploymentConfig, ApiError> {
        self.fetch(&documents::DEPLOYMENT_CONFIG, &()).await
    }

    /// The platform's clusters (Houston 1.0+).
    pub async fn clusters(&self) -> Result<Vec<Cluster>, ApiError> {
        self.fetch(&documents::CLUSTERS, &()).await
    }

    /// One cluster with its config (`system.clusters.get`).
    pub async fn cluster(&self, id: &ClusterId) -> Result<Cluster, ApiError> {
        self.fetch(&documents::CLUSTER, id).await
    }

    /// The namespaces a new deployment on `cluster` may use.
    pub async fn available_namespaces(&self, cluster: &ClusterId) -> Result<Vec<String>, ApiError> {
        self.fetch(&documents::AVAILABLE_NAMESPACES, cluster).await
    }

    /// The platform switches the create-deployment form follows, as `cluster` sees them.
    pub async fn platform_flags(&self, cluster: &ClusterId) -> Result<PlatformFlags, ApiError> {
        self.fetch(&documents::PLATFORM_FLAGS, cluster).await
    }

    /// Teams with a role on the workspace (Houston 0.28+).
    pub async fn workspace_teams(&self, workspace_id: &WorkspaceId) -> Result<Vec<Team>, ApiError> {
        self.fetch(&documents::WORKSPACE_TEAMS, workspace_id).await
    }

    /// Teams with a role on the deployment (Houston 0.28+).
    pub async fn deployment_teams(
        &self,
        deployment_id: &DeploymentId,
    ) -> Result<Vec<Team>, ApiError> {
        self.fetch(&documents::DEPLOYMENT_TEAMS, deployment_id)
            .await
    }
}
