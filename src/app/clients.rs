//! The clients the executor runs requests, changes and streams with, as one bundle.
//!
//! It lives in `app`, not in the client crate, because it is about to hold more than Houston:
//! the next API (a deployment's own Airflow and Flower) adds a field here, one client per
//! deployment, and a dispatch in `fetch`/`mutate`; the executor only passes the bundle on.

use crate::houston::model::DeploymentConfig;
use crate::houston::mutation::{Mutation, Outcome};
use crate::houston::request::{Payload, Request};
use crate::houston::{ApiError, HoustonClient};

/// Cheap to clone (each client shares its connection pool): one clone per task.
#[derive(Debug, Clone)]
pub(crate) struct Clients {
    /// The current context's Houston.
    pub houston: HoustonClient,
}

impl Clients {
    pub fn new(houston: HoustonClient) -> Clients {
        Clients { houston }
    }

    /// Run one read with the client it is addressed to.
    pub async fn fetch(&self, request: &Request) -> Result<Payload, ApiError> {
        request.run(&self.houston).await
    }

    /// Make one change with the client it is addressed to.
    pub(crate) async fn mutate(
        &self,
        mutation: &Mutation,
        config: &DeploymentConfig,
    ) -> Result<Outcome, ApiError> {
        mutation.run(&self.houston, config).await
    }
}
