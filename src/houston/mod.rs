//! The Houston API client: transport (reqwest POST /v1), operations (graphql_client derives over
//! `queries/`), conversion into domain types (`model`), errors, and the legacy graphql-ws client.
//!
//! CONTRACT SKELETON: the public signatures below are what the app's effect executor calls.
//! Bodies are filled in by the client work; signatures may gain methods but not change.

pub mod jwt;
pub mod model;

use model::*;

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
    /// Any other GraphQL `errors[]` entry (first message; all messages joined).
    #[error("{0}")]
    GraphQl(String),
    /// The reply could not be decoded (malformed JSON, missing data).
    #[error("unexpected reply from Houston: {0}")]
    Decode(String),
}

/// Cheap to clone: one reqwest client inside.
#[derive(Clone)]
pub struct HoustonClient {
    url: String,
    token: Option<String>,
}

impl std::fmt::Debug for HoustonClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("HoustonClient")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

fn todo_err<T>() -> Result<T, ApiError> {
    Err(ApiError::Network("client not implemented yet".into()))
}

impl HoustonClient {
    /// `url` is the GraphQL endpoint, e.g. `https://houston.example.com/v1`.
    pub fn new(url: &str, token: Option<String>) -> Result<Self, ApiError> {
        Ok(HoustonClient {
            url: url.to_string(),
            token,
        })
    }
    pub fn url(&self) -> &str {
        &self.url
    }
    pub fn with_token(&self, token: Option<String>) -> Self {
        HoustonClient {
            url: self.url.clone(),
            token,
        }
    }
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    pub async fn app_config(&self) -> Result<AppConfig, ApiError> {
        todo_err()
    }
    pub async fn auth_config(&self) -> Result<AuthConfig, ApiError> {
        todo_err()
    }
    /// Local login; returns the JWT.
    pub async fn create_token(&self, _identity: &str, _password: &str) -> Result<String, ApiError> {
        todo_err()
    }
    pub async fn me(&self) -> Result<Me, ApiError> {
        todo_err()
    }
    /// The caller's workspaces; `me_id` picks the caller's own role out of the bindings.
    pub async fn workspaces(&self, _me_id: &str) -> Result<Vec<Workspace>, ApiError> {
        todo_err()
    }
    pub async fn workspace(
        &self,
        _workspace_id: &str,
        _me_id: &str,
    ) -> Result<Workspace, ApiError> {
        todo_err()
    }
    pub async fn workspace_deployments(
        &self,
        _workspace_id: &str,
    ) -> Result<Vec<Deployment>, ApiError> {
        todo_err()
    }
    pub async fn deployment(&self, _deployment_id: &str) -> Result<Deployment, ApiError> {
        todo_err()
    }
    pub async fn workspace_users(
        &self,
        _workspace_id: &str,
    ) -> Result<Vec<WorkspaceUser>, ApiError> {
        todo_err()
    }
    pub async fn workspace_invites(&self, _workspace_id: &str) -> Result<Vec<Invite>, ApiError> {
        todo_err()
    }
    pub async fn workspace_service_accounts(
        &self,
        _workspace_id: &str,
    ) -> Result<Vec<ServiceAccount>, ApiError> {
        todo_err()
    }
    pub async fn deployment_variables(
        &self,
        _deployment_id: &str,
        _release_name: &str,
    ) -> Result<Vec<EnvVar>, ApiError> {
        todo_err()
    }
    pub async fn deployment_service_accounts(
        &self,
        _deployment_id: &str,
    ) -> Result<Vec<ServiceAccount>, ApiError> {
        todo_err()
    }
    pub async fn deployment_users(
        &self,
        _deployment_id: &str,
    ) -> Result<Vec<DeploymentUser>, ApiError> {
        todo_err()
    }
}
