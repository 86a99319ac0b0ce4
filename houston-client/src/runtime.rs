//! Astro Runtime (Houston 0.29+): the release catalogue a Runtime deployment may be upgraded
//! to, and the upgrade itself (`updateDeploymentRuntime`, cancelled by `cancelRuntimeUpdate`),
//! as the astro CLI sends them. From 1.0.1 on it is the only upgrade: the Astronomer Certified
//! fields are gone.

#![allow(clippy::upper_case_acronyms)]

use graphql_client::GraphQLQuery;
use serde::Serialize;

use super::convert::{non_empty, rows};
use super::model::{ClusterId, DeploymentId};
use super::variants::{Document, Operation, Variant};
use super::version::Release;
use super::{ApiError, HoustonClient};

pub type Uuid = String;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/runtime_releases_v100.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone"
)]
pub struct RuntimeReleasesV100;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/runtime_releases.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone"
)]
pub struct RuntimeReleases;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/update_deployment_runtime.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone"
)]
pub struct UpdateDeploymentRuntime;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/mutations/cancel_runtime_update.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Clone"
)]
pub struct CancelRuntimeUpdate;

/// One Runtime release of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeRelease {
    pub version: String,
    pub airflow_version: Option<String>,
    /// Moving to it migrates the Airflow metadata database.
    pub migrates_database: bool,
}

macro_rules! releases {
    ($list:expr) => {
        rows($list)
            .filter_map(|r| {
                Some(RuntimeRelease {
                    version: non_empty(r.version)?,
                    airflow_version: non_empty(r.airflow_version),
                    migrates_database: r.airflow_database_migrations.unwrap_or(false),
                })
            })
            .collect()
    };
}

impl Document for RuntimeReleasesV100 {
    const NAME: &'static str = runtime_releases_v100::OPERATION_NAME;
    const QUERY: &'static str = runtime_releases_v100::QUERY;
    type Input = Option<ClusterId>;
    type Output = Vec<RuntimeRelease>;
    fn variables(cluster: &Option<ClusterId>) -> runtime_releases_v100::Variables {
        runtime_releases_v100::Variables {
            cluster_id: cluster.as_ref().map(ToString::to_string),
        }
    }
    fn convert(
        data: runtime_releases_v100::ResponseData,
        _: &Option<ClusterId>,
    ) -> Result<Self::Output, ApiError> {
        Ok(releases!(data.runtime_releases))
    }
}

impl Document for RuntimeReleases {
    const NAME: &'static str = runtime_releases::OPERATION_NAME;
    const QUERY: &'static str = runtime_releases::QUERY;
    type Input = Option<ClusterId>;
    type Output = Vec<RuntimeRelease>;
    fn variables(_: &Option<ClusterId>) -> runtime_releases::Variables {
        runtime_releases::Variables
    }
    fn convert(
        data: runtime_releases::ResponseData,
        _: &Option<ClusterId>,
    ) -> Result<Self::Output, ApiError> {
        Ok(releases!(data.runtime_releases))
    }
}

/// The Runtime catalogue, for a deployment's cluster from 1.0 (Runtime exists from 0.29: older
/// Houstons are told "not available" without a request).
pub static RUNTIME_RELEASES: Operation<Option<ClusterId>, Vec<RuntimeRelease>> = Operation {
    field: "runtimeReleases",
    variants: &[
        Variant::of::<RuntimeReleasesV100>(Release::new(1, 0, 0)),
        Variant::of::<RuntimeReleases>(Release::new(0, 29, 0)),
    ],
    probe_input: Some(|_| None),
};

impl HoustonClient {
    /// The Runtime releases (on `cluster`, from Houston 1.0).
    pub async fn runtime_releases(
        &self,
        cluster: Option<&ClusterId>,
    ) -> Result<Vec<RuntimeRelease>, ApiError> {
        self.fetch(&RUNTIME_RELEASES, &cluster.cloned()).await
    }
}

/// Set the desired Runtime version; `cancel` (the running version chosen) cancels a pending
/// upgrade instead, as the CLI does.
pub(crate) async fn upgrade(
    client: &HoustonClient,
    id: &DeploymentId,
    version: &str,
    cancel: bool,
) -> Result<(), ApiError> {
    let deployment_uuid = id.to_string();
    let done = if cancel {
        client
            .run::<CancelRuntimeUpdate>(cancel_runtime_update::Variables { deployment_uuid })
            .await?
            .cancel_runtime_update
            .is_some()
    } else {
        client
            .run::<UpdateDeploymentRuntime>(update_deployment_runtime::Variables {
                deployment_uuid,
                desired_runtime_version: version.to_string(),
            })
            .await?
            .update_deployment_runtime
            .is_some()
    };
    if done {
        Ok(())
    } else {
        Err(super::mutation::missing("deployment"))
    }
}
