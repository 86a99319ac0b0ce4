//! The clients the executor runs requests, changes and streams with, as one bundle: the
//! context's Houston, and per deployment its Airflow and Flower (`AirflowClients`), made on
//! first use from the deployment's URLs and the session's token and kept while that token holds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::airflow::{AirflowMutation, AirflowPayload, AirflowRequest, AirflowTarget};
use crate::airflow::{AirflowClient, AirflowError, ApiVersion, Credential, FlowerClient, Options};
use crate::houston::model::DeploymentConfig;
use crate::houston::mutation::{Mutation, Outcome};
use crate::houston::request::{Payload, Request};
use crate::houston::{ApiError, HoustonClient, Secret, TrustOptions};

/// Cheap to clone (each client shares its connection pool): one clone per task.
#[derive(Debug, Clone)]
pub(crate) struct Clients {
    /// The current context's Houston.
    pub(crate) houston: HoustonClient,
    /// The current context's deployments' Airflows and Flowers.
    pub(crate) airflow: AirflowClients,
}

impl Clients {
    pub(crate) fn new(houston: HoustonClient) -> Clients {
        Clients {
            houston,
            airflow: AirflowClients::default(),
        }
    }

    /// Run one read with the client it is addressed to.
    pub(crate) async fn fetch(&self, request: &Request) -> Result<Payload, ApiError> {
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

    /// Run one read against `target`'s Airflow (or Flower), as the session's user.
    pub(crate) async fn fetch_airflow(
        &self,
        target: &AirflowTarget,
        request: &AirflowRequest,
    ) -> Result<AirflowPayload, AirflowError> {
        let (airflow, flower) = self.airflow.clients(target, self.houston.token())?;
        request.run(&airflow, flower.as_ref()).await
    }

    /// Make one change to `target`'s Airflow.
    pub(crate) async fn mutate_airflow(
        &self,
        target: &AirflowTarget,
        mutation: &AirflowMutation,
    ) -> Result<(), AirflowError> {
        let (airflow, _) = self.airflow.clients(target, self.houston.token())?;
        mutation.run(&airflow).await
    }
}

/// One deployment's clients and the token they were made with.
#[derive(Debug, Clone)]
struct Made {
    token: Option<Secret>,
    airflow: AirflowClient,
    flower: Option<FlowerClient>,
}

/// Per deployment, its Airflow and Flower clients, shared by every clone of the bundle so a
/// version correction learnt by one request holds for the next.
#[derive(Debug, Clone, Default)]
pub(crate) struct AirflowClients {
    made: Arc<Mutex<HashMap<AirflowTarget, Made>>>,
    trust: TrustOptions,
}

impl AirflowClients {
    /// Deployments' Airflows are trusted as the context's Houston is.
    pub(crate) fn with_trust(trust: TrustOptions) -> AirflowClients {
        AirflowClients {
            made: Arc::default(),
            trust,
        }
    }

    fn clients(
        &self,
        target: &AirflowTarget,
        token: Option<&Secret>,
    ) -> Result<(AirflowClient, Option<FlowerClient>), AirflowError> {
        let token = token.cloned();
        let mut made = self
            .made
            .lock()
            .map_err(|_| AirflowError::Setup("the Airflow clients are unusable".into()))?;
        if let Some(m) = made.get(target).filter(|m| m.token == token) {
            return Ok((m.airflow.clone(), m.flower.clone()));
        }
        let credential = token
            .as_ref()
            .map_or(Credential::None, Credential::houston_token);
        let options = Options {
            trust: self.trust.clone(),
            ..Options::default()
        };
        let airflow = AirflowClient::new(
            &target.airflow_url,
            credential.clone(),
            ApiVersion::for_airflow(&target.airflow_version),
            &options,
        )?;
        let flower = match &target.flower_url {
            Some(url) => Some(FlowerClient::new(url, credential, &options)?),
            None => None,
        };
        made.insert(
            target.clone(),
            Made {
                token,
                airflow: airflow.clone(),
                flower: flower.clone(),
            },
        );
        Ok((airflow, flower))
    }
}
