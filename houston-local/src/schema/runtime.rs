//! Astro Runtime (Houston 0.29+): the release catalogue, the two-phase Runtime upgrade
//! (as in Houston, the mutation only sets `desiredRuntimeVersion`; the running version
//! changes when an image on the new version is deployed) and `updateDeploymentImage`, the
//! deploy that completes it (0.29.2+).

use async_graphql::{Context, Object, Result, SimpleObject};

use super::mutation::{DEP_UPDATE, version_key};
use super::types::Deployment;
use super::{Uuid, caller, dep_entity, load_deployment, non_empty, read, require, state, write};
use crate::db::store;
use crate::error::{bad_input, not_found};
use crate::rbac::Permission;
use crate::validation;

/// One Astro Runtime release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Release {
    pub version: &'static str,
    pub airflow_version: &'static str,
    /// Upgrading to it migrates the Airflow metadata database (a new Airflow minor version).
    pub airflow_database_migrations: bool,
}

/// The catalogue `runtimeReleases` serves, oldest first: one line of Runtime per Airflow
/// version houston-local offers (`types::AIRFLOW_VERSIONS`).
pub const RELEASES: &[Release] = &[
    Release {
        version: "9.5.0",
        airflow_version: "2.7.3",
        airflow_database_migrations: true,
    },
    Release {
        version: "9.6.0",
        airflow_version: "2.7.3",
        airflow_database_migrations: false,
    },
    Release {
        version: "10.2.0",
        airflow_version: "2.8.1",
        airflow_database_migrations: true,
    },
    Release {
        version: "10.3.0",
        airflow_version: "2.8.1",
        airflow_database_migrations: false,
    },
    Release {
        version: "11.6.0",
        airflow_version: "2.9.2",
        airflow_database_migrations: true,
    },
    Release {
        version: "11.7.0",
        airflow_version: "2.9.2",
        airflow_database_migrations: false,
    },
    Release {
        version: "12.4.0",
        airflow_version: "2.10.3",
        airflow_database_migrations: true,
    },
];

/// The newest release (what adopted deployments are assumed to run).
pub fn latest() -> Release {
    RELEASES[RELEASES.len() - 1]
}

pub fn release(version: &str) -> Option<Release> {
    RELEASES.iter().copied().find(|r| r.version == version)
}

/// The Airflow version a Runtime release runs.
pub fn airflow_of(version: &str) -> Option<&'static str> {
    release(version).map(|r| r.airflow_version)
}

/// A release of the catalogue, or BAD_USER_INPUT naming the versions there are.
pub fn known_release(version: &str) -> Result<Release> {
    release(version.trim()).ok_or_else(|| {
        bad_input(format!(
            "Invalid Runtime version: {version} (known: {})",
            RELEASES
                .iter()
                .map(|r| r.version)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

#[derive(SimpleObject)]
pub struct RuntimeRelease {
    pub version: Option<String>,
    pub airflow_version: Option<String>,
    pub airflow_database_migrations: Option<bool>,
}

#[derive(Default)]
pub struct RuntimeQuery;

#[Object]
impl RuntimeQuery {
    /// The Runtime catalogue; with `airflowVersion`, the releases running that Airflow version
    /// or a newer one (what a deployment on it may move to). `clusterId` (APC 1.0) is ignored:
    /// houston-local has one cluster.
    #[graphql(visible = "crate::versioning::since_0_29")]
    async fn runtime_releases(
        &self,
        ctx: &Context<'_>,
        airflow_version: Option<String>,
        cluster_id: Option<Uuid>,
    ) -> Result<Option<Vec<Option<RuntimeRelease>>>> {
        let _ = cluster_id;
        caller(ctx)?;
        let min = match non_empty(airflow_version.as_deref()).map(str::trim) {
            Some(v) => {
                validation::check_airflow_version(v).map_err(bad_input)?;
                Some(version_key(v))
            }
            None => None,
        };
        Ok(Some(
            RELEASES
                .iter()
                .filter(|r| {
                    min.as_ref()
                        .is_none_or(|m| version_key(r.airflow_version) >= *m)
                })
                .map(|r| {
                    Some(RuntimeRelease {
                        version: Some(r.version.into()),
                        airflow_version: Some(r.airflow_version.into()),
                        airflow_database_migrations: Some(r.airflow_database_migrations),
                    })
                })
                .collect(),
        ))
    }
}

#[derive(Default)]
pub struct RuntimeMutation;

#[Object]
impl RuntimeMutation {
    /// Asks for a Runtime upgrade (or an Astronomer Certified → Runtime migration): only
    /// `desiredRuntimeVersion` changes; the deployment moves when an image on that version is
    /// deployed (`updateDeploymentImage`). Downgrades, and Runtimes on an older Airflow than
    /// the deployment's, are refused.
    #[graphql(visible = "crate::versioning::since_0_29")]
    async fn update_deployment_runtime(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        desired_runtime_version: String,
    ) -> Result<Option<Deployment>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(ctx, DEP_UPDATE, dep_entity(&d))?;
        let want = known_release(&desired_runtime_version)?;
        let row = write(ctx, |c| {
            let mut d = store::deployment_by_id(c, &d.id)?.ok_or_else(not_found)?;
            if let Some(current) = &d.runtime_version
                && version_key(want.version) < version_key(current)
            {
                return Err(bad_input(format!(
                    "Cannot downgrade Runtime from {current} to {}",
                    want.version
                ))
                .into());
            }
            if version_key(want.airflow_version) < version_key(&d.airflow_version) {
                return Err(bad_input(format!(
                    "Runtime {} runs Airflow {}, older than the deployment's Airflow {}",
                    want.version, want.airflow_version, d.airflow_version
                ))
                .into());
            }
            d.desired_runtime_version = Some(want.version.to_string());
            d.updated_at = store::now_ts();
            store::update_deployment(c, &d)?;
            Ok(d)
        })?;
        Ok(Some(Deployment::new(row)))
    }

    /// Cancels a pending Runtime upgrade or migration (desired = running); a no-op when none
    /// is pending.
    #[graphql(visible = "crate::versioning::since_0_29")]
    async fn cancel_runtime_update(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
    ) -> Result<Option<Deployment>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(ctx, DEP_UPDATE, dep_entity(&d))?;
        let row = write(ctx, |c| {
            let mut d = store::deployment_by_id(c, &d.id)?.ok_or_else(not_found)?;
            if d.desired_runtime_version != d.runtime_version {
                d.desired_runtime_version = d.runtime_version.clone();
                d.updated_at = store::now_ts();
                store::update_deployment(c, &d)?;
            }
            Ok(d)
        })?;
        Ok(Some(Deployment::new(row)))
    }

    /// Deploys a pre-built image (BYO registry): the deployment runs `image` from now on, with
    /// the Runtime (or Astronomer Certified Airflow) version the image is built on. This is
    /// the step that completes a pending upgrade. Downgrades are refused.
    #[graphql(visible = "crate::versioning::since_0_29_2")]
    pub(crate) async fn update_deployment_image(
        &self,
        ctx: &Context<'_>,
        release_name: String,
        image: String,
        #[graphql(visible = "crate::versioning::before_1_0_1")] airflow_version: Option<String>,
        runtime_version: Option<String>,
    ) -> Result<Option<Deployment>> {
        caller(ctx)?;
        let d = read(ctx, |c| {
            Ok(store::deployment_by_release(c, release_name.trim())?)
        })?
        .ok_or_else(not_found)?;
        require(
            ctx,
            &[
                Permission::DeploymentImagesPush,
                Permission::SystemDeploymentsImagesPush,
            ],
            dep_entity(&d),
        )?;
        if image.trim().is_empty() {
            return Err(bad_input("A required argument was not sent: image"));
        }
        let runtime = match non_empty(runtime_version.as_deref()) {
            Some(rv) => Some(known_release(rv)?),
            None => None,
        };
        let airflow = match (
            runtime,
            non_empty(airflow_version.as_deref()).map(str::trim),
        ) {
            (Some(r), _) => r.airflow_version.to_string(),
            (None, Some(af)) => {
                validation::check_airflow_version(af).map_err(bad_input)?;
                af.to_string()
            }
            (None, None) => {
                return Err(bad_input(
                    "A required argument was not sent: runtimeVersion or airflowVersion",
                ));
            }
        };
        let deploying_ms = state(ctx).deploying_ms;
        let row = write(ctx, |c| {
            let mut d = store::deployment_by_id(c, &d.id)?.ok_or_else(not_found)?;
            if let (Some(r), Some(current)) = (runtime, &d.runtime_version)
                && version_key(r.version) < version_key(current)
            {
                return Err(bad_input(format!(
                    "Cannot downgrade Runtime from {current} to {}",
                    r.version
                ))
                .into());
            }
            if runtime.is_none() && d.runtime_version.is_some() {
                return Err(bad_input(
                    "This deployment runs Astro Runtime: send the image's runtimeVersion",
                )
                .into());
            }
            if version_key(&airflow) < version_key(&d.airflow_version) {
                return Err(bad_input(format!(
                    "Cannot downgrade Airflow from {} to {airflow}",
                    d.airflow_version
                ))
                .into());
            }
            d.airflow_version = airflow.clone();
            d.desired_airflow_version = airflow.clone();
            if let Some(r) = runtime {
                d.runtime_version = Some(r.version.to_string());
                d.desired_runtime_version = Some(r.version.to_string());
            }
            let now = store::now_ms();
            d.deploy_count += 1;
            d.deploying_until = now + deploying_ms;
            d.updated_at = store::fmt_ms(now);
            store::update_deployment(c, &d)?;
            Ok(d)
        })?;
        Ok(Some(Deployment::new(row)))
    }
}
