//! Release catalogues of the 0.23-era schema: Astronomer Certified Airflow releases and the
//! platform update check.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::inputs::AirflowReleaseWhereUniqueInput;
use super::types::AIRFLOW_VERSIONS;
use super::{DateTime, caller, non_empty, require, state};
use crate::error::bad_input;
use crate::rbac::{Entity, Permission};
use crate::versioning::V0_35;

/// (Airflow version, release date) of the versions houston-local offers.
const AIRFLOW_RELEASE_DATES: [(&str, &str); 4] = [
    ("2.7.3", "2023-11-06T00:00:00.000Z"),
    ("2.8.1", "2024-01-19T00:00:00.000Z"),
    ("2.9.2", "2024-06-10T00:00:00.000Z"),
    ("2.10.3", "2024-11-04T00:00:00.000Z"),
];

/// When houston-local's newest modelled platform version was released (`updateAvailable`).
const NEWEST_PLATFORM_RELEASE_DATE: &str = "2024-05-20T00:00:00.000Z";

#[derive(SimpleObject)]
pub(crate) struct AirflowRelease {
    pub(crate) tag: String,
    pub(crate) version: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) level: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) release_date: DateTime,
    pub(crate) channel: Option<String>,
}

#[derive(SimpleObject)]
pub(crate) struct PlatformRelease {
    pub(crate) version: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) level: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) release_date: DateTime,
}

fn airflow_releases() -> Vec<AirflowRelease> {
    AIRFLOW_VERSIONS
        .iter()
        .map(|v| AirflowRelease {
            tag: v.to_string(),
            version: Some(v.to_string()),
            url: Some(format!(
                "https://github.com/apache/airflow/releases/tag/{v}"
            )),
            level: Some("bug_fix".into()),
            description: Some(format!("Astronomer Certified Airflow {v}")),
            release_date: DateTime(
                AIRFLOW_RELEASE_DATES
                    .iter()
                    .find(|(version, _)| version == v)
                    .map(|(_, d)| d.to_string())
                    .unwrap_or_default(),
            ),
            channel: Some("stable".into()),
        })
        .collect()
}

#[derive(Default)]
pub(crate) struct ReleaseQuery;

#[Object]
impl ReleaseQuery {
    /// The Airflow versions deployments can run.
    async fn airflow_releases(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<Option<AirflowRelease>>>> {
        caller(ctx)?;
        Ok(Some(airflow_releases().into_iter().map(Some).collect()))
    }

    /// One release by `id` or `tag` (both are the version here); null when unknown.
    async fn airflow_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] where_: AirflowReleaseWhereUniqueInput,
    ) -> Result<Option<AirflowRelease>> {
        caller(ctx)?;
        let key = non_empty(where_.id.as_deref())
            .or(non_empty(where_.tag.as_deref()))
            .ok_or_else(|| bad_input("A required argument was not sent: where.id or where.tag"))?
            .to_string();
        Ok(airflow_releases().into_iter().find(|r| r.tag == key))
    }

    /// The newest platform version houston-local models, when the served version is older;
    /// null when it is up to date.
    async fn update_available(&self, ctx: &Context<'_>) -> Result<Option<PlatformRelease>> {
        require(ctx, &[Permission::SystemUpdatesGet], Entity::System)?;
        if state(ctx).houston_version >= V0_35 {
            return Ok(None);
        }
        Ok(Some(PlatformRelease {
            version: Some(V0_35.to_string()),
            url: None,
            level: Some("new_feature".into()),
            description: Some(
                "Teams, Astro Runtime, paginated lists and pre-created namespaces".into(),
            ),
            release_date: DateTime(NEWEST_PLATFORM_RELEASE_DATE.into()),
        }))
    }
}
