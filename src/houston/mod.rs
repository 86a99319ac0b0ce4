//! The Houston API client: transport (reqwest POST /v1), operations (graphql_client derives over
//! `queries/`), conversion into domain types (`model`), errors, and the legacy graphql-ws client.
//!
//! The public signatures below are what the app's effect executor calls (a contract: methods
//! may be added, signatures stay).

pub mod convert;
pub mod jwt;
pub mod model;
pub mod ops;
pub mod reply;
pub mod tls;
pub mod transport;
pub mod ws;

use model::*;
pub use tls::TrustOptions;
pub use transport::{Timeouts, TransportOptions};
use transport::{Transport, normalize_token};

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
            | ApiError::ReplyTooLarge { .. } => false,
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
            _ => None,
        }
    }

    /// The token is missing, expired or lacks permission: the login screen may help.
    pub fn is_forbidden(&self) -> bool {
        matches!(self, ApiError::Forbidden(_))
    }
}

/// Cheap to clone: one reqwest client inside.
#[derive(Clone)]
pub struct HoustonClient {
    transport: Transport,
    token: Option<String>,
}

impl std::fmt::Debug for HoustonClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("HoustonClient")
            .field("url", &self.transport.url())
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Store tokens without a pasted `Bearer ` prefix; an empty token is no token.
fn clean_token(token: Option<String>) -> Option<String> {
    token
        .map(|t| normalize_token(&t).to_string())
        .filter(|t| !t.is_empty())
}

impl HoustonClient {
    /// `url` is the GraphQL endpoint, e.g. `https://houston.example.com/v1`. Fails only on a URL
    /// that does not parse.
    pub fn new(url: &str, token: Option<String>) -> Result<Self, ApiError> {
        Self::with_timeouts(url, token, Timeouts::default())
    }

    /// Like `new`, with explicit connect/request timeouts (tests use short ones).
    pub fn with_timeouts(
        url: &str,
        token: Option<String>,
        timeouts: Timeouts,
    ) -> Result<Self, ApiError> {
        Ok(HoustonClient {
            transport: Transport::new(url, timeouts)?,
            token: clean_token(token),
        })
    }

    /// Like `new`, with every transport option (timeouts, reply size cap, TLS trust).
    pub fn with_options(
        url: &str,
        token: Option<String>,
        options: &TransportOptions,
    ) -> Result<Self, ApiError> {
        Ok(HoustonClient {
            transport: Transport::with_options(url, options)?,
            token: clean_token(token),
        })
    }

    /// A client for resolved settings (endpoint, token and which certificates to trust).
    pub fn from_settings(settings: &crate::config::Settings) -> Result<Self, ApiError> {
        let options = TransportOptions {
            trust: settings.trust.clone(),
            ..TransportOptions::default()
        };
        Self::with_options(&settings.url, settings.token.clone(), &options)
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

    /// The same endpoint and connection pool with another token (after login / logout).
    pub fn with_token(&self, token: Option<String>) -> Self {
        HoustonClient {
            transport: self.transport.clone(),
            token: clean_token(token),
        }
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    async fn run<Q: graphql_client::GraphQLQuery>(
        &self,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, ApiError> {
        self.transport.run::<Q>(self.token(), variables).await
    }

    pub async fn app_config(&self) -> Result<AppConfig, ApiError> {
        let data = self
            .run::<ops::AppConfig>(ops::app_config::Variables)
            .await?;
        Ok(convert::app_config(data))
    }

    pub async fn auth_config(&self) -> Result<AuthConfig, ApiError> {
        let data = self
            .run::<ops::AuthConfig>(ops::auth_config::Variables)
            .await?;
        convert::auth_config(data)
    }

    /// Local login; returns the JWT.
    pub async fn create_token(&self, identity: &str, password: &str) -> Result<String, ApiError> {
        let variables = ops::create_token::Variables {
            identity: Some(identity.to_string()),
            password: password.to_string(),
        };
        // Login never carries an old token: a stale one must not turn this into FORBIDDEN.
        let data = self
            .transport
            .run::<ops::CreateToken>(None, variables)
            .await?;
        convert::create_token(data)
    }

    pub async fn me(&self) -> Result<Me, ApiError> {
        let data = self.run::<ops::Me>(ops::me::Variables).await?;
        convert::me(data)
    }

    /// The caller's workspaces; `me_id` picks the caller's own role out of the bindings (`None`
    /// for a service account, which has no user binding: every `my_role` is then `None`).
    pub async fn workspaces(&self, me_id: Option<&UserId>) -> Result<Vec<Workspace>, ApiError> {
        let data = self
            .run::<ops::Workspaces>(ops::workspaces::Variables)
            .await?;
        Ok(convert::workspaces(data, me_id))
    }

    pub async fn workspace(
        &self,
        workspace_id: &WorkspaceId,
        me_id: Option<&UserId>,
    ) -> Result<Workspace, ApiError> {
        let variables = ops::workspace::Variables {
            workspace_uuid: workspace_id.to_string(),
        };
        let data = self.run::<ops::Workspace>(variables).await?;
        convert::workspace(data, me_id)
    }

    pub async fn workspace_deployments(
        &self,
        workspace_id: &WorkspaceId,
    ) -> Result<Vec<Deployment>, ApiError> {
        let variables = ops::workspace_deployments::Variables {
            workspace_uuid: workspace_id.to_string(),
        };
        let data = self.run::<ops::WorkspaceDeployments>(variables).await?;
        Ok(convert::workspace_deployments(data))
    }

    pub async fn deployment(&self, deployment_id: &DeploymentId) -> Result<Deployment, ApiError> {
        let variables = ops::deployment::Variables {
            id: deployment_id.to_string(),
        };
        let data = self.run::<ops::Deployment>(variables).await?;
        convert::deployment(data)
    }

    pub async fn workspace_users(
        &self,
        workspace_id: &WorkspaceId,
    ) -> Result<Vec<WorkspaceUser>, ApiError> {
        let variables = ops::workspace_users::Variables {
            workspace_uuid: workspace_id.to_string(),
        };
        let data = self.run::<ops::WorkspaceUsers>(variables).await?;
        Ok(convert::workspace_users(data, workspace_id))
    }

    pub async fn workspace_invites(
        &self,
        workspace_id: &WorkspaceId,
    ) -> Result<Vec<Invite>, ApiError> {
        let variables = ops::workspace_invites::Variables {
            workspace_uuid: workspace_id.to_string(),
        };
        let data = self.run::<ops::WorkspaceInvites>(variables).await?;
        Ok(convert::workspace_invites(data))
    }

    pub async fn workspace_service_accounts(
        &self,
        workspace_id: &WorkspaceId,
    ) -> Result<Vec<ServiceAccount>, ApiError> {
        let variables = ops::workspace_service_accounts::Variables {
            workspace_uuid: workspace_id.to_string(),
        };
        let data = self.run::<ops::WorkspaceServiceAccounts>(variables).await?;
        Ok(convert::workspace_service_accounts(data))
    }

    pub async fn deployment_variables(
        &self,
        deployment_id: &DeploymentId,
        release_name: &str,
    ) -> Result<Vec<EnvVar>, ApiError> {
        let variables = ops::deployment_variables::Variables {
            deployment_uuid: deployment_id.to_string(),
            release_name: Some(release_name.to_string()).filter(|r| !r.is_empty()),
        };
        let data = self.run::<ops::DeploymentVariables>(variables).await?;
        Ok(convert::deployment_variables(data))
    }

    pub async fn deployment_service_accounts(
        &self,
        deployment_id: &DeploymentId,
    ) -> Result<Vec<ServiceAccount>, ApiError> {
        let variables = ops::deployment_service_accounts::Variables {
            deployment_uuid: deployment_id.to_string(),
        };
        let data = self
            .run::<ops::DeploymentServiceAccounts>(variables)
            .await?;
        Ok(convert::deployment_service_accounts(data))
    }

    pub async fn deployment_users(
        &self,
        deployment_id: &DeploymentId,
    ) -> Result<Vec<DeploymentUser>, ApiError> {
        let variables = ops::deployment_users::Variables {
            deployment_id: deployment_id.to_string(),
        };
        let data = self.run::<ops::DeploymentUsers>(variables).await?;
        Ok(convert::deployment_users(data, deployment_id))
    }
}
