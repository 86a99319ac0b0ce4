//! Houston replies (JSON fixtures) → domain types: full rows, nulls, malformed config, and
//! values from a future Houston (unknown roles, executors, statuses).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use astrodash::houston::model::*;
use astrodash::houston::{ApiError, convert, ops};
use serde::de::DeserializeOwned;

fn fixture<T: DeserializeOwned>(name: &str) -> T {
    let path = format!(
        "{}/tests/fixtures/houston/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn data<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap()
}

#[test]
fn full_deployment() {
    let deployments = convert::workspace_deployments(fixture("workspace_deployments_full.json"));
    assert_eq!(deployments.len(), 2, "the null row is skipped");
    let d = &deployments[0];
    assert_eq!(d.id, "ckdep1");
    assert_eq!(d.label, "Sales ETL");
    assert_eq!(d.description.as_deref(), Some("nightly sales loads"));
    assert_eq!(d.release_name, "quasar-nebula-1234");
    assert_eq!(
        d.namespace.as_deref(),
        Some("astronomer-quasar-nebula-1234")
    );
    assert_eq!(d.workspace_id.as_ref().map(|w| w.as_str()), Some("ckws1"));
    assert_eq!(d.workspace_label.as_deref(), Some("Data Platform"));
    assert_eq!(d.executor, Executor::Celery);
    assert_eq!(d.status, DeploymentStatus::Healthy);
    assert_eq!(d.airflow_version.as_deref(), Some("2.9.3"));
    assert_eq!(d.desired_airflow_version.as_deref(), Some("2.10.1"));
    assert!(d.upgrade_pending());
    assert_eq!(d.chart_version.as_deref(), Some("1.11.2"));
    assert_eq!(d.image_tag.as_deref(), Some("deploy-7"));
    assert_eq!(d.urls.len(), 2, "null and url-less entries are dropped");
    assert_eq!(
        d.url("airflow"),
        Some("https://deployments.example.com/quasar-nebula-1234/airflow")
    );
    assert_eq!(
        d.url("flower"),
        Some("https://deployments.example.com/quasar-nebula-1234/flower")
    );
    assert_eq!(d.extra_au, Some(10));
    assert_eq!(
        d.capabilities,
        DeploymentCapabilities {
            can_update: true,
            can_delete: false,
            can_update_variables: true,
            can_create_service_account: true,
            can_update_service_account: false,
            can_delete_service_account: false,
            can_update_user_role: false,
        }
    );
    assert_eq!(
        d.created_at.map(|t| t.to_rfc3339()),
        Some("2026-01-02T03:04:05.678+00:00".into())
    );
    assert_eq!(
        d.updated_at.map(|t| t.to_rfc3339()),
        Some("2026-11-20T09:00:00+00:00".into())
    );

    let names: Vec<&str> = d.resources.iter().map(|r| r.component.as_str()).collect();
    assert_eq!(
        names,
        [
            "scheduler",
            "webserver",
            "workers",
            "triggerer",
            "statsd",
            "pgbouncer",
            "flower",
            "redis"
        ]
    );
    let scheduler = &d.resources[0];
    assert_eq!(
        scheduler,
        &ComponentResources {
            component: "scheduler".into(),
            au: 5.0,
            cpu_millis: 500,
            memory_mib: 1920,
            replicas: Some(2),
            grace_period_secs: None,
        }
    );
    assert_eq!(d.resources[1].replicas, None);
    assert_eq!(d.resources[2].au, 10.0);
    assert_eq!(d.resources[2].replicas, Some(3));
    assert_eq!(d.resources[4].au, 2.0);
}

#[test]
fn deployment_with_nulls_and_malformed_config() {
    let deployments = convert::workspace_deployments(fixture("workspace_deployments_full.json"));
    let d = &deployments[1];
    assert_eq!(d.label, "meteor-orbit-42", "falls back to the release name");
    assert_eq!(d.description, None);
    assert_eq!(d.namespace, None);
    assert_eq!(d.executor, Executor::Other("SomeFutureExecutor".into()));
    assert_eq!(d.executor.label(), "SomeFutureExecutor");
    assert_eq!(d.status, DeploymentStatus::Deploying, "case-insensitive");
    assert!(d.urls.is_empty());
    assert_eq!(d.image_tag, None);
    assert_eq!(d.workspace_id, None);
    assert_eq!(d.extra_au, None, "a non-numeric extra_au is ignored");
    assert_eq!(d.capabilities, DeploymentCapabilities::default());
    assert_eq!(d.created_at, None);
    assert_eq!(d.updated_at, None);
    assert!(!d.upgrade_pending());
    // Only `workers` has a usable limit ("300" as a string); the rest is malformed.
    assert_eq!(
        d.resources,
        vec![ComponentResources {
            component: "workers".into(),
            au: 3.0,
            cpu_millis: 300,
            memory_mib: 0,
            replicas: None,
            grace_period_secs: None,
        }]
    );
}

#[test]
fn minimal_deployment_row_decodes() {
    let d: ops::deployment::ResponseData = data(
        r#"{"deployment":{"id":"x","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}}"#,
    );
    let d = convert::deployment(d).unwrap();
    assert_eq!(d.id, "x");
    assert_eq!(d.label, "x");
    assert_eq!(d.release_name, "");
    assert_eq!(d.status, DeploymentStatus::Unknown);
    assert_eq!(d.executor, Executor::Other(String::new()));
    assert!(d.resources.is_empty());
}

#[test]
fn executor_from_config_when_field_is_null() {
    let d: ops::deployment::ResponseData = data(
        r#"{"deployment":{"id":"x","executor":null,"config":{"executor":"KubernetesExecutor"},"createdAt":"","updatedAt":""}}"#,
    );
    assert_eq!(
        convert::deployment(d).unwrap().executor,
        Executor::Kubernetes
    );
}

#[test]
fn null_deployment_is_not_found() {
    let d: ops::deployment::ResponseData = data(r#"{"deployment":null}"#);
    assert!(matches!(convert::deployment(d), Err(ApiError::NotFound(_))));
}

#[test]
fn null_list_is_empty() {
    let d: ops::workspace_deployments::ResponseData = data(r#"{"workspaceDeployments":null}"#);
    assert!(convert::workspace_deployments(d).is_empty());
    let w: ops::workspaces::ResponseData = data(r#"{"workspaces":null}"#);
    assert!(convert::workspaces(w, Some(&"me".into())).is_empty());
    let v: ops::deployment_variables::ResponseData = data(r#"{"deploymentVariables":null}"#);
    assert!(convert::deployment_variables(v).is_empty());
    let i: ops::workspace_invites::ResponseData = data(r#"{"workspaceInvites":null}"#);
    assert!(convert::workspace_invites(i).is_empty());
}

#[test]
fn workspaces_pick_my_role_and_count_deployments() {
    let ws = convert::workspaces(fixture("workspaces.json"), Some(&"me-1".into()));
    assert_eq!(ws.len(), 3);
    assert_eq!(ws[0].id, "ckws1");
    assert_eq!(ws[0].label, "Data Platform");
    assert_eq!(ws[0].description.as_deref(), Some("The team's workspace"));
    assert_eq!(ws[0].deployment_count, 2);
    assert_eq!(ws[0].my_role, Some(Role::WorkspaceAdmin));
    assert_eq!(
        ws[0].capabilities,
        WorkspaceCapabilities {
            can_update_workspace: true,
            can_delete_workspace: true,
            can_create_deployment: true,
            can_update_iam: true,
            can_invite_user: true,
            can_create_service_account: false,
            can_update_service_account: false,
            can_delete_service_account: false,
        }
    );
    assert_eq!(
        ws[0].created_at.map(|t| t.to_rfc3339()),
        Some("2026-01-01T00:00:00+00:00".into())
    );

    assert_eq!(
        ws[1].my_role,
        Some(Role::Other("WORKSPACE_OWNER_OF_EVERYTHING".into()))
    );
    assert_eq!(ws[1].deployment_count, 0);
    assert_eq!(ws[1].capabilities, WorkspaceCapabilities::default());

    assert_eq!(ws[2].my_role, None, "a system admin may have no binding");
    assert_eq!(ws[2].description, None);
}

#[test]
fn workspace_users_pick_the_role_of_this_workspace() {
    let d: ops::workspace_users::ResponseData = fixture("workspace_users.json");
    let users = convert::workspace_users(d, &"ckws1".into());
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].role, Some(Role::WorkspaceEditor));
    assert_eq!(
        users[0].email.as_deref(),
        Some("ada@example.com"),
        "primary first"
    );
    assert_eq!(users[0].full_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(users[0].status.as_deref(), Some("active"));
    assert_eq!(users[1].role, None);
    assert_eq!(
        users[1].username, "bob@example.com",
        "falls back to the e-mail"
    );
    assert_eq!(users[1].email.as_deref(), Some("bob@example.com"));
}

#[test]
fn deployment_users_pick_the_deployment_role() {
    let d: ops::deployment_users::ResponseData = fixture("deployment_users.json");
    let users = convert::deployment_users(d, &"ckdep1".into());
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].role, Some(Role::DeploymentEditor));
    assert_eq!(users[0].email.as_deref(), Some("ada@example.com"));
    assert_eq!(
        users[1].role,
        Some(Role::Other("DEPLOYMENT_SUPERVISOR".into()))
    );
    assert_eq!(users[1].full_name, None);
    assert_eq!(users[1].email, None);
}

#[test]
fn service_accounts() {
    let d: ops::workspace_service_accounts::ResponseData = fixture("service_accounts.json");
    let sas = convert::workspace_service_accounts(d);
    assert_eq!(sas.len(), 2);
    assert_eq!(sas[0].label, "ci-deployer");
    assert_eq!(sas[0].category.as_deref(), Some("CI"));
    assert_eq!(sas[0].role, Some(Role::WorkspaceEditor));
    assert!(sas[0].active);
    assert_eq!(
        sas[0].last_used_at.map(|t| t.to_rfc3339()),
        Some("2026-11-26T12:00:00+00:00".into())
    );
    assert_eq!(sas[1].label, "sa2");
    assert_eq!(sas[1].role, None);
    assert!(!sas[1].active);
    assert_eq!(sas[1].last_used_at, None);

    let d: ops::deployment_service_accounts::ResponseData = data(
        r#"{"deploymentServiceAccounts":[{"id":"s","label":"x","category":null,"active":true,"lastUsedAt":null,"createdAt":"x","roleBinding":{"role":"DEPLOYMENT_ADMIN"}}]}"#,
    );
    let sas = convert::deployment_service_accounts(d);
    assert_eq!(sas[0].role, Some(Role::DeploymentAdmin));
}

#[test]
fn me_reads_admin_capability() {
    let me = convert::me(fixture("me.json")).unwrap();
    assert_eq!(
        me,
        Me {
            id: Some("me-1".into()),
            username: "admin@example.com".into(),
            full_name: Some("Platform Admin".into()),
            email: Some("admin@example.com".into()),
            is_system_admin: true,
            deployment_roles: vec![],
        }
    );
    let d: ops::me::ResponseData = data(
        r#"{"self":{"user":{"id":"u","username":"x","fullName":null,"status":null,"emails":[]},"authUserCapabilities":null}}"#,
    );
    let me = convert::me(d).unwrap();
    assert!(!me.is_system_admin);
    assert_eq!(me.email, None);
    let d: ops::me::ResponseData = data(r#"{"self":null}"#);
    assert!(matches!(convert::me(d), Err(ApiError::Decode(_))));
}

#[test]
fn a_service_account_key_is_a_principal_without_a_user() {
    // What Houston answers when the token is a service-account API key.
    let d: ops::me::ResponseData =
        data(r#"{"self":{"user":null,"authUserCapabilities":{"canSysAdmin":false}}}"#);
    let me = convert::me(d).unwrap();
    assert!(me.is_service_account());
    assert_eq!(me.user_id(), None);
    assert_eq!(me.username, "service account");
    assert_eq!(me.email, None);
    assert!(!me.is_system_admin);

    // Its workspaces load, with no role of its own in any of them.
    let ws = convert::workspaces(fixture("workspaces.json"), me.user_id());
    assert_eq!(ws.len(), 3);
    assert!(ws.iter().all(|w| w.my_role.is_none()), "{ws:?}");
    assert_eq!(ws[0].label, "Data Platform");
}

#[test]
fn invites_keep_unknown_roles() {
    let d: ops::workspace_invites::ResponseData = data(
        r#"{"workspaceInvites":[{"id":"i1","email":"new@example.com","role":"WORKSPACE_VIEWER","createdAt":"2026-03-01T00:00:00Z"},{"id":"i2","email":null,"role":"FUTURE_ROLE","createdAt":"?"}]}"#,
    );
    let invites = convert::workspace_invites(d);
    assert_eq!(invites[0].role, Role::WorkspaceViewer);
    assert_eq!(invites[0].email, "new@example.com");
    assert!(invites[0].created_at.is_some());
    assert_eq!(invites[1].role, Role::Other("FUTURE_ROLE".into()));
    assert_eq!(invites[1].email, "");
    assert_eq!(invites[1].created_at, None);
}

#[test]
fn variables_never_show_secret_values() {
    let d: ops::deployment_variables::ResponseData = data(
        r#"{"deploymentVariables":[{"key":"A","value":"1","isSecret":false},{"key":"S","value":"leak","isSecret":true},{"key":null,"value":"x","isSecret":false},null,{"key":"N","value":null,"isSecret":null}]}"#,
    );
    assert_eq!(
        convert::deployment_variables(d),
        vec![
            EnvVar {
                key: "A".into(),
                value: "1".into(),
                is_secret: false
            },
            EnvVar {
                key: "S".into(),
                value: "".into(),
                is_secret: true
            },
            EnvVar {
                key: "N".into(),
                value: "".into(),
                is_secret: false
            },
        ]
    );
}

#[test]
fn auth_and_app_config() {
    let d: ops::auth_config::ResponseData = data(
        r#"{"authConfig":{"localEnabled":true,"publicSignup":false,"initialSignup":null,"providers":[{"name":"google","displayName":"Google","url":"https://x"},{"name":"okta","displayName":null,"url":"https://y"}]}}"#,
    );
    assert_eq!(
        convert::auth_config(d).unwrap(),
        AuthConfig {
            local_enabled: true,
            public_signup: false,
            initial_signup: false,
            providers: vec!["Google".into(), "okta".into()],
        }
    );
    let d: ops::auth_config::ResponseData = data(r#"{"authConfig":null}"#);
    assert!(convert::auth_config(d).is_err());

    let d: ops::app_config::ResponseData = data(r#"{"appConfig":null}"#);
    assert_eq!(
        convert::app_config(d),
        AppConfig {
            version: None,
            base_domain: None
        }
    );
}

#[test]
fn login_without_token_is_an_error() {
    let d: ops::create_token::ResponseData = data(r#"{"createToken":{"token":null}}"#);
    assert!(matches!(convert::create_token(d), Err(ApiError::Decode(_))));
    let d: ops::create_token::ResponseData =
        data(r#"{"createToken":{"token":{"value":"abc.def.ghi"}}}"#);
    assert_eq!(convert::create_token(d).unwrap(), "abc.def.ghi");
}

#[test]
fn timestamps() {
    assert_eq!(
        convert::parse_timestamp(Some("2026-05-06T07:08:09Z")).map(|t| t.timestamp()),
        Some(1_778_051_289)
    );
    assert_eq!(
        convert::parse_timestamp(Some("1700000000000")).map(|t| t.timestamp()),
        Some(1_700_000_000)
    );
    assert_eq!(convert::parse_timestamp(Some("yesterday")), None);
    assert_eq!(convert::parse_timestamp(Some("")), None);
    assert_eq!(convert::parse_timestamp(None), None);
}

#[test]
fn resources_ignore_non_objects() {
    assert!(convert::resources_from_config(None).is_empty());
    assert!(convert::resources_from_config(Some(&serde_json::json!("x"))).is_empty());
    assert!(convert::resources_from_config(Some(&serde_json::json!([1, 2]))).is_empty());
    let r = convert::resources_from_config(Some(&serde_json::json!({
        "scheduler": {"replicas": "x", "resources": {"limits": {"cpu": 150.4, "memory": 512}}}
    })));
    assert_eq!(r[0].cpu_millis, 150);
    assert_eq!(r[0].au, 1.5);
    assert_eq!(r[0].replicas, None);
}
