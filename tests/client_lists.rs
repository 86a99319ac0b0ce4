//! The lean list documents against Houstons of different versions (the validating fake of
//! `client_versions`): what a row carries and what it leaves to the dashboard, the
//! platform-wide list falling back from `paginatedDeployments` to `deployments`, statuses, and
//! how a refusal reaches the app.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fake_houston;

use astrodash::houston::model::{DeploymentStatus, WorkspaceId};
use astrodash::houston::{ApiError, HoustonClient};
use fake_houston::*;

async fn houston(sdl: String, version: Option<&str>) -> (FakeHouston, HoustonClient) {
    let fake = FakeHouston::start(Setup::new(sdl, version)).await;
    let client = HoustonClient::new(&fake.url, Some("test-token".into())).unwrap();
    (fake, client)
}

fn ws() -> WorkspaceId {
    WORKSPACE_ID.into()
}

#[tokio::test]
async fn a_row_carries_what_the_list_draws_and_nothing_more() {
    let (fake, client) = houston(sdl_0_35(), Some("0.35.0")).await;
    client.probe_version().await.unwrap();
    let rows = client.workspace_deployment_rows(&ws()).await.unwrap();
    let d = &rows[0];
    assert_eq!(d.label, "Core ETL");
    assert_eq!(d.release_name, RELEASE);
    assert_eq!(d.status, DeploymentStatus::Healthy);
    assert_eq!(d.airflow_version.as_deref(), Some("2.4.1"));
    assert_eq!(d.image_tag.as_deref(), Some("deploy-3"));
    assert_eq!(d.workspace_label.as_deref(), Some("Data Platform"));
    assert_eq!(
        d.url("airflow"),
        Some("https://deployments.example.com/celestial-orbit-1234/airflow")
    );
    assert!(
        d.capabilities.can_update_variables,
        "keys on the list need them"
    );
    // What only the dashboard shows is not downloaded for each row.
    assert_eq!(d.description, None);
    assert_eq!(d.namespace, None);
    assert!(d.resources.is_empty());
    let seen = fake.seen();
    let query = &seen.last().unwrap().query;
    for heavy in [
        "config",
        "properties",
        "description",
        "namespace",
        "createdAt",
    ] {
        assert!(
            !query
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == heavy),
            "{heavy} in {query}"
        );
    }
    assert_eq!(fake.operations(), ["AppConfig", "DeploymentRows"]);
}

#[tokio::test]
async fn houston_0_23_gets_rows_without_runtime_fields_at_once() {
    let (fake, client) = houston(sdl_0_23(), Some("0.23.0")).await;
    client.probe_version().await.unwrap();
    let rows = client.workspace_deployment_rows(&ws()).await.unwrap();
    assert_eq!(rows[0].label, "Core ETL");
    assert_eq!(rows[0].runtime_version, None);
    let statuses = client.workspace_deployment_statuses(&ws()).await.unwrap();
    assert_eq!(statuses[0].id.as_str(), DEPLOYMENT_ID);
    assert_eq!(statuses[0].status, DeploymentStatus::Healthy);
    let all = client.all_deployment_rows().await.unwrap();
    assert_eq!(all[0].workspace_label.as_deref(), Some("Data Platform"));
    let all_statuses = client.all_deployment_statuses().await.unwrap();
    assert_eq!(all_statuses.len(), 1);
    assert_eq!(
        fake.operations(),
        [
            "AppConfig",
            "DeploymentRowsV023",
            "DeploymentStatuses",
            "AllDeploymentRowsV023",
            "AllDeploymentStatusesV023"
        ],
        "the version picks the forms: nothing refused"
    );
}

#[tokio::test]
async fn an_unknown_version_falls_back_from_paginated_deployments_once() {
    let (fake, client) = houston(sdl_0_23(), None).await;
    let all = client.all_deployment_rows().await.unwrap();
    assert_eq!(all.len(), 1);
    client.all_deployment_rows().await.unwrap();
    assert_eq!(
        fake.operations(),
        [
            "AllDeploymentRowsV100",
            "AllDeploymentRows",
            "AllDeploymentRowsV029",
            "AllDeploymentRowsV023",
            "AllDeploymentRowsV023"
        ],
        "refusals are remembered"
    );
}

#[tokio::test]
async fn houston_0_35_gets_every_deployment_with_take_minus_one() {
    let (fake, client) = houston(sdl_0_35(), Some("0.35.0")).await;
    client.probe_version().await.unwrap();
    let all = client.all_deployment_rows().await.unwrap();
    assert_eq!(all[0].release_name, RELEASE);
    let seen = fake.seen();
    let query = &seen.last().unwrap().query;
    assert!(query.contains("paginatedDeployments(take: -1)"), "{query}");
    assert_eq!(fake.operations(), ["AppConfig", "AllDeploymentRows"]);
}

#[tokio::test]
async fn a_refusal_comes_back_as_forbidden() {
    let mut setup = Setup::new(sdl_0_35(), Some("0.35.0"));
    setup.canned.insert(
        "AllDeploymentRows".into(),
        (
            200,
            r#"{"data":{"paginatedDeployments":null},"errors":[{"message":"You do not have the appropriate permissions for that","path":["paginatedDeployments"],"extensions":{"code":"FORBIDDEN"}}]}"#
                .into(),
        ),
    );
    let fake = FakeHouston::start(setup).await;
    let client = HoustonClient::new(&fake.url, Some("t".into())).unwrap();
    client.probe_version().await.unwrap();
    let error = client.all_deployment_rows().await.unwrap_err();
    assert!(matches!(error, ApiError::Forbidden(_)), "{error:?}");
    assert!(
        client.refused_documents().is_empty(),
        "not a schema problem"
    );
}
