//! The client against Houstons of different versions (a fake that validates documents against
//! the 0.23 schema or against 0.35's (tests/fixtures)): version-first choice of documents, the
//! fallback on schema-mismatch errors (once, remembered, shared by clones), model values with
//! what an older Houston lacks left empty, and the unsupported error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fake_houston;

use astrodash::houston::model::{DeploymentId, Role, WorkspaceId};
use astrodash::houston::{ApiError, HoustonClient, Release};
use fake_houston::validate::{Schema, validate};
use fake_houston::*;

const TOKEN: &str = "test-token";

fn ws() -> WorkspaceId {
    WORKSPACE_ID.into()
}

fn dep() -> DeploymentId {
    DEPLOYMENT_ID.into()
}

async fn houston(sdl: String, version: Option<&str>) -> (FakeHouston, HoustonClient) {
    let fake = FakeHouston::start(Setup::new(sdl, version)).await;
    let client = HoustonClient::new(&fake.url, Some(TOKEN.into())).unwrap();
    (fake, client)
}

#[tokio::test]
async fn fallback_happens_once_is_remembered_and_leaves_missing_fields_empty() {
    let (fake, client) = houston(sdl_0_23(), Some("0.23.0")).await;
    // Not probed: the version is unknown, so the newest document (Houston 1.0's) goes first.
    let deployments = client.workspace_deployments(&ws()).await.unwrap();
    assert_eq!(
        fake.operations(),
        [
            "WorkspaceDeploymentsV100",
            "WorkspaceDeployments",
            "WorkspaceDeploymentsV025",
            "WorkspaceDeploymentsV023"
        ]
    );
    let d = &deployments[0];
    assert_eq!(d.namespace, None, "0.23 has no namespace");
    assert_eq!(d.label, "Core ETL");
    assert_eq!(d.release_name, RELEASE);
    assert_eq!(d.airflow_version.as_deref(), Some("2.4.1"));
    assert_eq!(d.image_tag.as_deref(), Some("deploy-3"));
    assert_eq!(d.workspace_label.as_deref(), Some("Data Platform"));
    assert!(d.capabilities.can_update_variables);
    assert_eq!(d.resources[0].cpu_millis, 500);
    let mut refused = client.refused_documents();
    refused.sort_unstable();
    assert_eq!(
        refused,
        [
            "WorkspaceDeployments",
            "WorkspaceDeploymentsV025",
            "WorkspaceDeploymentsV100"
        ]
    );

    // Remembered: the next call, and calls on clones (the app clones per request) and on a
    // client with another token (same server), send only the reduced document.
    fake.forget();
    client.workspace_deployments(&ws()).await.unwrap();
    client.clone().workspace_deployments(&ws()).await.unwrap();
    client
        .with_token(Some("other".into()))
        .workspace_deployments(&ws())
        .await
        .unwrap();
    assert_eq!(fake.operations(), ["WorkspaceDeploymentsV023"; 3]);
    let schema_0_23 = Schema::parse(&sdl_0_23());
    assert!(
        fake.seen()
            .iter()
            .all(|s| validate(&schema_0_23, &s.query).is_empty())
    );

    // A new client (another connection, maybe another server) starts afresh.
    let fresh = HoustonClient::new(&fake.url, Some(TOKEN.into())).unwrap();
    fake.forget();
    fresh.workspace_deployments(&ws()).await.unwrap();
    assert_eq!(
        fake.operations(),
        [
            "WorkspaceDeploymentsV100",
            "WorkspaceDeployments",
            "WorkspaceDeploymentsV025",
            "WorkspaceDeploymentsV023"
        ]
    );
}

#[tokio::test]
async fn every_reduced_document_yields_the_same_model_with_gaps() {
    let (fake, client) = houston(sdl_0_23(), Some("0.23.0")).await;
    let deployment = client.deployment(&dep()).await.unwrap();
    assert_eq!(deployment.namespace, None);
    assert_eq!(deployment.label, "Core ETL");
    let accounts = client.workspace_service_accounts(&ws()).await.unwrap();
    assert_eq!(accounts[0].label, "ci-bot");
    assert_eq!(
        accounts[0].role,
        Some(Role::WorkspaceEditor),
        "from roleBindings"
    );
    let accounts = client.deployment_service_accounts(&dep()).await.unwrap();
    assert_eq!(accounts[0].role, Some(Role::DeploymentAdmin));
    assert_eq!(
        fake.operations(),
        [
            "DeploymentV100",
            "Deployment",
            "DeploymentV025",
            "DeploymentV023",
            "WorkspaceServiceAccounts",
            "WorkspaceServiceAccountsV023",
            "DeploymentServiceAccounts",
            "DeploymentServiceAccountsV023",
        ]
    );
    let mut refused = client.refused_documents();
    refused.sort_unstable();
    assert_eq!(
        refused,
        [
            "Deployment",
            "DeploymentServiceAccounts",
            "DeploymentV025",
            "DeploymentV100",
            "WorkspaceServiceAccounts"
        ]
    );
}

#[tokio::test]
async fn a_probed_0_23_gets_the_reduced_documents_at_once() {
    let (fake, client) = houston(sdl_0_23(), Some("0.23.0")).await;
    let version = client.probe_version().await.unwrap();
    assert_eq!(version.release(), Some(Release::new(0, 23, 0)));
    assert_eq!(client.houston_version(), Some(version));
    // A clone made before or after the probe knows it too.
    let clone = client.clone();
    assert_eq!(clone.houston_version().unwrap().as_str(), "0.23.0");

    let me = clone.me().await.unwrap();
    let workspaces = clone.workspaces(me.user_id()).await.unwrap();
    assert_eq!(workspaces[0].my_role, Some(Role::WorkspaceAdmin));
    clone.workspace(&ws(), me.user_id()).await.unwrap();
    clone.workspace_deployments(&ws()).await.unwrap();
    clone.deployment(&dep()).await.unwrap();
    clone.workspace_users(&ws()).await.unwrap();
    clone.workspace_invites(&ws()).await.unwrap();
    clone.workspace_service_accounts(&ws()).await.unwrap();
    clone.deployment_variables(&dep(), RELEASE).await.unwrap();
    clone.deployment_service_accounts(&dep()).await.unwrap();
    clone.deployment_users(&dep()).await.unwrap();
    clone.auth_config().await.unwrap();
    assert_eq!(
        fake.operations(),
        [
            "AppConfig",
            "Me",
            "Workspaces",
            "Workspace",
            "WorkspaceDeploymentsV023",
            "DeploymentV023",
            "WorkspaceUsers",
            "WorkspaceInvites",
            "WorkspaceServiceAccountsV023",
            "DeploymentVariables",
            "DeploymentServiceAccountsV023",
            "DeploymentUsers",
            "AuthConfig",
        ],
        "one request each, none refused"
    );
    assert!(client.refused_documents().is_empty());
    let in_use = client.documents_in_use();
    let deployments = in_use
        .iter()
        .find(|d| d.operation == "workspaceDeployments")
        .unwrap();
    assert_eq!(deployments.document, Some("WorkspaceDeploymentsV023"));
    assert!(deployments.reduced);
    // The reduced forms are 0.23's, and the System Admin panel's older ones: users without
    // their teams (0.28), the workspace list for every workspace (`sysWorkspaces`: 1.0).
    assert!(
        in_use
            .iter()
            .filter(|d| d.reduced)
            .all(|d| d.document.is_none_or(
                |doc| doc.ends_with("V023") || ["SystemUsers", "Workspaces"].contains(&doc)
            )),
        "{in_use:?}"
    );
    // Teams need 0.28: no document at all for 0.23.
    assert!(
        in_use
            .iter()
            .filter(|d| d.operation.ends_with("Teams"))
            .all(|d| d.document.is_none())
    );
}

#[tokio::test]
async fn houston_0_35_gets_the_newest_documents() {
    let (fake, client) = houston(sdl_0_35(), Some("0.35.0")).await;
    client.probe_version().await.unwrap();
    let deployments = client.workspace_deployments(&ws()).await.unwrap();
    assert_eq!(
        deployments[0].namespace.as_deref(),
        Some("astronomer-celestial-orbit-1234")
    );
    let accounts = client.workspace_service_accounts(&ws()).await.unwrap();
    assert_eq!(
        accounts[0].role,
        Some(Role::WorkspaceEditor),
        "from roleBinding"
    );
    assert_eq!(
        fake.operations(),
        [
            "AppConfig",
            "WorkspaceDeployments",
            "WorkspaceServiceAccounts"
        ]
    );
    let reduced: Vec<_> = client
        .documents_in_use()
        .into_iter()
        .filter(|d| d.reduced)
        .collect();
    assert!(reduced.is_empty(), "{reduced:?}");
}

#[tokio::test]
async fn odd_version_strings_mean_newest_first_then_fallback() {
    for odd in [None, Some(""), Some("unknown"), Some("master-abc123")] {
        let (fake, client) = houston(sdl_0_23(), odd).await;
        let version = client.probe_version().await.unwrap();
        assert!(!version.is_known(), "{odd:?}");
        let deployments = client.workspace_deployments(&ws()).await.unwrap();
        assert_eq!(deployments[0].namespace, None);
        assert_eq!(
            fake.operations(),
            [
                "AppConfig",
                "WorkspaceDeploymentsV100",
                "WorkspaceDeployments",
                "WorkspaceDeploymentsV025",
                "WorkspaceDeploymentsV023"
            ],
            "{odd:?}"
        );
    }
}

#[tokio::test]
async fn readable_but_unusual_versions_choose_by_number() {
    for (reported, first) in [
        ("0.23", "WorkspaceDeploymentsV023"),
        ("v0.24.9", "WorkspaceDeploymentsV023"),
        ("0.25.0-rc.1", "WorkspaceDeploymentsV023"),
        ("0.25.0", "WorkspaceDeploymentsV025"),
        ("0.28.9", "WorkspaceDeploymentsV025"),
        ("0.29.0", "WorkspaceDeployments"),
        (" 0.35.2 ", "WorkspaceDeployments"),
        (" 1.0.5 ", "WorkspaceDeploymentsV100"),
        ("2.1.0", "WorkspaceDeploymentsV100"),
    ] {
        // houston-local's schema: every version's fields, so the first choice is accepted.
        let (fake, client) = houston(sdl("schema.graphql"), Some(reported)).await;
        client.probe_version().await.unwrap();
        client.workspace_deployments(&ws()).await.unwrap();
        assert_eq!(fake.operations(), ["AppConfig", first], "{reported}");
    }
}

#[tokio::test]
async fn a_server_older_than_it_says_is_corrected_by_the_fallback() {
    // Reports 0.25.0 but serves the 0.23 schema.
    let (fake, client) = houston(sdl_0_23(), Some("0.25.0")).await;
    client.probe_version().await.unwrap();
    let deployments = client.workspace_deployments(&ws()).await.unwrap();
    assert_eq!(deployments.len(), 1);
    client.workspace_deployments(&ws()).await.unwrap();
    assert_eq!(
        fake.operations(),
        [
            "AppConfig",
            "WorkspaceDeploymentsV025",
            "WorkspaceDeploymentsV023",
            "WorkspaceDeploymentsV023"
        ]
    );
}

#[tokio::test]
async fn an_operation_no_form_of_which_the_server_has_is_unsupported() {
    // An older Houston without deployment-level users at all.
    let sdl = sdl_0_23().replace(
        "\tdeploymentUsers(deploymentId: Id!, user: UserSearch): [User]\n",
        "",
    );
    let (fake, client) = houston(sdl, Some("0.22.0")).await;
    client.probe_version().await.unwrap();
    let error = client.deployment_users(&dep()).await.unwrap_err();
    assert_eq!(
        error,
        ApiError::Unsupported {
            message: r#"Cannot query field "deploymentUsers" on type "Query"."#.into(),
            houston_version: Some("0.22.0".into()),
        }
    );
    assert!(error.is_unsupported());
    assert!(!error.is_transient());
    assert!(!error.is_forbidden());
    assert_eq!(error.code(), Some("GRAPHQL_VALIDATION_FAILED"));
    assert_eq!(
        error.to_string(),
        r#"not available on Houston 0.22.0 (Cannot query field "deploymentUsers" on type "Query".)"#
    );
    // Remembered: no second request, the same kind of answer.
    let again = client.clone().deployment_users(&dep()).await.unwrap_err();
    assert_eq!(again, error, "Houston's words are remembered too");
    assert_eq!(fake.operations(), ["AppConfig", "DeploymentUsers"]);
    let in_use = client.documents_in_use();
    let users = in_use
        .iter()
        .find(|d| d.operation == "deploymentUsers")
        .unwrap();
    assert_eq!(users.document, None);
    // Other screens are unaffected.
    client.workspace_users(&ws()).await.unwrap();
}

#[tokio::test]
async fn unsupported_before_the_version_is_known_says_so() {
    let sdl = sdl_0_23().replace(
        "\tdeploymentUsers(deploymentId: Id!, user: UserSearch): [User]\n",
        "",
    );
    let (_fake, client) = houston(sdl, Some("0.22.0")).await;
    let error = client.deployment_users(&dep()).await.unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("not available on this Houston version (Cannot query field"),
        "{error}"
    );
}

/// A fake whose answer to one operation is canned.
async fn canned(operation: &str, status: u16, body: &str) -> (FakeHouston, HoustonClient) {
    let mut setup = Setup::new(sdl_0_23(), Some("0.23.0"));
    setup
        .canned
        .insert(operation.to_string(), (status, body.to_string()));
    let fake = FakeHouston::start(setup).await;
    let client = HoustonClient::new(&fake.url, Some(TOKEN.into())).unwrap();
    (fake, client)
}

#[tokio::test]
async fn other_errors_never_fall_back_nor_stick() {
    type Expect = fn(&ApiError) -> bool;
    let cases: [(u16, &str, Expect); 4] = [
        (
            500,
            r#"{"errors":[{"message":"Internal server error"}]}"#,
            |e| matches!(e, ApiError::Http { status: 500, .. }),
        ),
        (
            200,
            r#"{"data":{"workspaceDeployments":null},"errors":[{"message":"You do not have the appropriate permissions for that","extensions":{"code":"FORBIDDEN"}}]}"#,
            ApiError::is_forbidden,
        ),
        // A validation error that is not about the schema (our own mistake): no fallback.
        (
            400,
            r#"{"errors":[{"message":"Variable \"$x\" is not used.","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"#,
            |e| matches!(e, ApiError::Http { status: 400, .. }),
        ),
        // A resolver error quoting such a text is still a resolver error.
        (
            200,
            r#"{"data":null,"errors":[{"message":"Cannot query field \"x\" on type \"Y\".","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"#,
            |e| matches!(e, ApiError::GraphQl { .. }),
        ),
    ];
    for (status, body, expected) in cases {
        let (fake, client) = canned("WorkspaceDeploymentsV100", status, body).await;
        let error = client.workspace_deployments(&ws()).await.unwrap_err();
        assert!(expected(&error), "{status} {body}: {error:?}");
        client.workspace_deployments(&ws()).await.unwrap_err();
        assert_eq!(
            fake.operations(),
            ["WorkspaceDeploymentsV100", "WorkspaceDeploymentsV100"],
            "{body}"
        );
        assert!(client.refused_documents().is_empty());
    }
}

#[tokio::test]
async fn a_mismatch_answered_with_200_falls_back_too() {
    let (fake, client) = canned(
        "WorkspaceDeploymentsV100",
        200,
        r#"{"errors":[{"message":"Cannot query field \"cluster\" on type \"Deployment\".","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"#,
    )
    .await;
    let deployments = client.workspace_deployments(&ws()).await.unwrap();
    assert_eq!(deployments[0].label, "Core ETL");
    assert_eq!(
        fake.operations(),
        [
            "WorkspaceDeploymentsV100",
            "WorkspaceDeployments",
            "WorkspaceDeploymentsV025",
            "WorkspaceDeploymentsV023"
        ]
    );
}

#[tokio::test]
async fn a_failed_probe_changes_nothing() {
    let (fake, client) = canned("AppConfig", 502, "<html>Bad Gateway</html>").await;
    assert!(matches!(
        client.probe_version().await.unwrap_err(),
        ApiError::Http { status: 502, .. }
    ));
    assert_eq!(client.houston_version(), None);
    client.workspace_deployments(&ws()).await.unwrap();
    assert_eq!(
        fake.operations(),
        [
            "AppConfig",
            "WorkspaceDeploymentsV100",
            "WorkspaceDeployments",
            "WorkspaceDeploymentsV025",
            "WorkspaceDeploymentsV023"
        ]
    );
}
