//! Every change astrodash makes, run by the real client against houston-local: what the admin
//! changes is there afterwards, what a viewer tries is refused with Houston's words and changes
//! nothing, and secrets keep their values when other variables change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use astrodash::houston::model::*;
use astrodash::houston::mutation::{DeploymentSpec, EnvVarInput, Mutation, ResourceSpec, Scope};
use astrodash::houston::{ApiError, HoustonClient};

const ADMIN: &str = "admin@astrodash.local";
const VIEWER: &str = "vera@astrodash.local";
const FORBIDDEN: &str = "You do not have the appropriate permissions for that";

async fn server() -> houston_local::Handle {
    houston_local::start(houston_local::Config {
        port: 0,
        seed: Some(houston_local::Seed::Demo),
        log_interval_ms: 0,
        ..houston_local::Config::default()
    })
    .await
    .unwrap()
}

fn client(h: &houston_local::Handle, email: &str) -> HoustonClient {
    HoustonClient::new(&h.url(), Some(h.issue_token(email).unwrap().into())).unwrap()
}

async fn workspace(c: &HoustonClient, label: &str) -> Workspace {
    let me = c.me().await.unwrap();
    c.workspaces(me.user_id())
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.label == label)
        .unwrap()
}

async fn run(
    c: &HoustonClient,
    m: &Mutation,
) -> Result<astrodash::houston::mutation::Outcome, ApiError> {
    m.run(c, &DeploymentConfig::default()).await
}

#[tokio::test]
async fn the_admin_journey_changes_what_it_says() {
    let h = server().await;
    let admin = client(&h, ADMIN);

    // Workspace: create, rename.
    let out = run(
        &admin,
        &Mutation::CreateWorkspace {
            label: "Payments".into(),
            description: "Card flows".into(),
        },
    )
    .await
    .unwrap();
    let ws = out.workspace.unwrap();
    run(
        &admin,
        &Mutation::UpdateWorkspace {
            id: ws.clone(),
            label: "Payments EU".into(),
            description: "Card flows (EU)".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(workspace(&admin, "Payments EU").await.id, ws);

    // Deployment: create with resources, then more workers.
    let mut resources = ResourceSpec::defaults(&Executor::Celery);
    resources.worker_replicas = 2;
    let spec = DeploymentSpec {
        label: "ledger".into(),
        description: "Ledger ETL".into(),
        executor: Executor::Celery,
        resources,
    };
    let out = run(
        &admin,
        &Mutation::CreateDeployment {
            workspace: ws.clone(),
            spec: spec.clone(),
            airflow_version: Some("2.9.2".into()),
            placement: None,
        },
    )
    .await
    .unwrap();
    let dep = out.deployment.unwrap();
    let d = admin.deployment(&dep).await.unwrap();
    assert_eq!(d.component("workers").unwrap().replicas, Some(2));
    assert_eq!(d.airflow_version.as_deref(), Some("2.9.2"));
    let mut more = spec.clone();
    more.resources.worker_replicas = 4;
    more.resources.scheduler_au = 10;
    run(
        &admin,
        &Mutation::UpdateDeployment {
            id: dep.clone(),
            spec: more,
        },
    )
    .await
    .unwrap();
    let d = admin.deployment(&dep).await.unwrap();
    assert_eq!(d.component("workers").unwrap().replicas, Some(4));
    assert_eq!(d.component("scheduler").unwrap().au, 10.0);
    assert_eq!(d.status, DeploymentStatus::Deploying, "a change deploys");
    // Total the platform bills: 10 + 5 + 10×4 + 5 + fixed 8.
    assert_eq!(d.total_au(), 68.0);

    // Airflow upgrade, then cancel.
    run(
        &admin,
        &Mutation::UpgradeAirflow {
            id: dep.clone(),
            label: "ledger".into(),
            version: "2.10.3".into(),
        },
    )
    .await
    .unwrap();
    assert!(admin.deployment(&dep).await.unwrap().upgrade_pending());
    run(
        &admin,
        &Mutation::UpgradeAirflow {
            id: dep.clone(),
            label: "ledger".into(),
            version: "2.9.2".into(),
        },
    )
    .await
    .unwrap();
    assert!(!admin.deployment(&dep).await.unwrap().upgrade_pending());

    // Variables: a secret, then another change that sends it back empty: its value stays.
    let release = d.release_name.clone();
    let set = |vars: Vec<EnvVarInput>| Mutation::SetVariables {
        id: dep.clone(),
        release_name: release.clone(),
        variables: vars,
    };
    let var = |k: &str, v: &str, secret: bool| EnvVarInput {
        key: k.into(),
        value: Secret(v.into()),
        is_secret: secret,
    };
    run(&admin, &set(vec![var("API_TOKEN", "s3cr3t", true)]))
        .await
        .unwrap();
    run(
        &admin,
        &set(vec![var("API_TOKEN", "", true), var("MODE", "prod", false)]),
    )
    .await
    .unwrap();
    let vars = admin.deployment_variables(&dep, &release).await.unwrap();
    assert_eq!(vars.len(), 2);
    assert!(
        vars.iter().all(|v| !v.is_secret || v.value.is_empty()),
        "never shown"
    );
    // The stored value is still there (houston-local's own record of it).
    assert_eq!(
        h.stored_env_value(dep.as_str(), "API_TOKEN")
            .unwrap()
            .as_deref(),
        Some("s3cr3t")
    );

    // Users: invite an unknown e-mail (pending invite), change its role, revoke it.
    run(
        &admin,
        &Mutation::InviteUser {
            workspace: ws.clone(),
            email: "new.hire@example.com".into(),
            role: Role::WorkspaceViewer,
        },
    )
    .await
    .unwrap();
    run(
        &admin,
        &Mutation::SetWorkspaceRole {
            workspace: ws.clone(),
            email: "new.hire@example.com".into(),
            role: Role::WorkspaceEditor,
        },
    )
    .await
    .unwrap();
    let invites = admin.workspace_invites(&ws).await.unwrap();
    assert_eq!(invites.len(), 1);
    assert_eq!(invites[0].role, Role::WorkspaceEditor);
    run(
        &admin,
        &Mutation::RevokeInvite {
            workspace: ws.clone(),
            invite: invites[0].id.clone(),
            email: invites[0].email.clone(),
        },
    )
    .await
    .unwrap();
    assert!(admin.workspace_invites(&ws).await.unwrap().is_empty());
    // An existing user is added at once; then a deployment role; then removed.
    run(
        &admin,
        &Mutation::InviteUser {
            workspace: ws.clone(),
            email: "linus@astrodash.local".into(),
            role: Role::WorkspaceViewer,
        },
    )
    .await
    .unwrap();
    let linus = admin
        .workspace_users(&ws)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email.as_deref() == Some("linus@astrodash.local"))
        .unwrap();
    run(
        &admin,
        &Mutation::AddDeploymentUser {
            deployment: dep.clone(),
            email: "linus@astrodash.local".into(),
            role: Role::DeploymentEditor,
        },
    )
    .await
    .unwrap();
    run(
        &admin,
        &Mutation::SetDeploymentRole {
            deployment: dep.clone(),
            user: linus.id.clone(),
            email: "linus@astrodash.local".into(),
            role: Role::DeploymentAdmin,
        },
    )
    .await
    .unwrap();
    let du = admin.deployment_users(&dep).await.unwrap();
    assert!(
        du.iter()
            .any(|u| u.id == linus.id && u.role == Some(Role::DeploymentAdmin))
    );
    run(
        &admin,
        &Mutation::RemoveDeploymentUser {
            deployment: dep.clone(),
            user: linus.id.clone(),
            email: "linus@astrodash.local".into(),
        },
    )
    .await
    .unwrap();
    run(
        &admin,
        &Mutation::RemoveWorkspaceUser {
            workspace: ws.clone(),
            user: linus.id.clone(),
            name: "Linus".into(),
        },
    )
    .await
    .unwrap();
    assert!(
        !admin
            .workspace_users(&ws)
            .await
            .unwrap()
            .iter()
            .any(|u| u.id == linus.id)
    );

    // Service accounts: a key once, then edit and delete.
    for scope in [
        Scope::Workspace(ws.clone()),
        Scope::Deployment(dep.clone()),
        Scope::System,
    ] {
        let out = run(
            &admin,
            &Mutation::CreateServiceAccount {
                scope: scope.clone(),
                label: "ci".into(),
                category: "CI/CD".into(),
                role: match scope {
                    Scope::Workspace(_) => Role::WorkspaceEditor,
                    Scope::Deployment(_) => Role::DeploymentEditor,
                    Scope::System => Role::SystemViewer,
                },
            },
        )
        .await
        .unwrap();
        let key = out.api_key.unwrap();
        assert_eq!(key.expose().len(), 32);
        // The key works as a token.
        let as_key = HoustonClient::new(&h.url(), Some(key.expose().into())).unwrap();
        assert!(as_key.me().await.unwrap().is_service_account());
        let list = match &scope {
            Scope::Workspace(ws) => admin.workspace_service_accounts(ws).await.unwrap(),
            Scope::Deployment(d) => admin.deployment_service_accounts(d).await.unwrap(),
            Scope::System => admin.system_service_accounts().await.unwrap(),
        };
        let sa = list.iter().find(|s| s.label == "ci").unwrap().clone();
        run(
            &admin,
            &Mutation::UpdateServiceAccount {
                scope: scope.clone(),
                id: sa.id.clone(),
                label: "ci-2".into(),
                category: "CI".into(),
                role: sa.role.clone().unwrap(),
            },
        )
        .await
        .unwrap();
        run(
            &admin,
            &Mutation::DeleteServiceAccount {
                scope: scope.clone(),
                id: sa.id.clone(),
                label: "ci-2".into(),
            },
        )
        .await
        .unwrap();
        assert!(as_key.me().await.is_err(), "a deleted key stops working");
    }

    // A workspace with a deployment cannot go; without, it can.
    let err = run(
        &admin,
        &Mutation::DeleteWorkspace {
            id: ws.clone(),
            label: "Payments EU".into(),
        },
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("deprovision all deployments"),
        "{err}"
    );
    run(
        &admin,
        &Mutation::DeleteDeployment {
            id: dep.clone(),
            label: "ledger".into(),
        },
    )
    .await
    .unwrap();
    run(
        &admin,
        &Mutation::DeleteWorkspace {
            id: ws.clone(),
            label: "Payments EU".into(),
        },
    )
    .await
    .unwrap();
    let me = admin.me().await.unwrap();
    assert!(
        !admin
            .workspaces(me.user_id())
            .await
            .unwrap()
            .iter()
            .any(|w| w.id == ws)
    );

    // Personal settings.
    run(
        &admin,
        &Mutation::UpdateSelf {
            full_name: "Ada Admin II".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        admin.me().await.unwrap().full_name.as_deref(),
        Some("Ada Admin II")
    );
    h.shutdown().await;
}

#[tokio::test]
async fn a_viewer_is_refused_with_houstons_words_and_nothing_changes() {
    let h = server().await;
    let admin = client(&h, ADMIN);
    let viewer = client(&h, VIEWER);
    // Vera views the workspace "Marketing Analytics" in the demo seed.
    let ws = workspace(&viewer, "Marketing Analytics").await;
    assert!(!ws.capabilities.can_update_workspace);
    let deployments = viewer.workspace_deployments(&ws.id).await.unwrap();
    let d = deployments[0].clone();
    assert!(!d.capabilities.can_update);
    let before = admin.deployment(&d.id).await.unwrap();
    let vars_before = admin
        .deployment_variables(&d.id, &d.release_name)
        .await
        .unwrap();
    assert!(!vars_before.is_empty(), "the seed gives it variables");
    let tries = [
        Mutation::UpdateWorkspace {
            id: ws.id.clone(),
            label: "mine now".into(),
            description: String::new(),
        },
        Mutation::DeleteDeployment {
            id: d.id.clone(),
            label: d.label.clone(),
        },
        Mutation::UpdateDeployment {
            id: d.id.clone(),
            spec: DeploymentSpec {
                label: "renamed".into(),
                description: String::new(),
                executor: d.executor.clone(),
                resources: ResourceSpec::of(&d),
            },
        },
        Mutation::InviteUser {
            workspace: ws.id.clone(),
            email: "friend@example.com".into(),
            role: Role::WorkspaceAdmin,
        },
        Mutation::CreateServiceAccount {
            scope: Scope::Workspace(ws.id.clone()),
            label: "backdoor".into(),
            category: String::new(),
            role: Role::WorkspaceAdmin,
        },
        Mutation::SetVariables {
            id: d.id.clone(),
            release_name: d.release_name.clone(),
            variables: vec![],
        },
    ];
    for m in &tries {
        let err = run(&viewer, m).await.unwrap_err();
        assert!(
            matches!(&err, ApiError::Forbidden(text) if text.contains(FORBIDDEN)),
            "{m:?}: {err:?}"
        );
    }
    let after = admin.deployment(&d.id).await.unwrap();
    assert_eq!(after.label, before.label);
    assert_eq!(after.resources, before.resources);
    assert_eq!(
        admin
            .deployment_variables(&d.id, &d.release_name)
            .await
            .unwrap(),
        vars_before
    );
    assert!(
        !admin
            .workspace_invites(&ws.id)
            .await
            .unwrap()
            .iter()
            .any(|i| i.email == "friend@example.com")
    );
    assert!(
        !admin
            .workspace_service_accounts(&ws.id)
            .await
            .unwrap()
            .iter()
            .any(|s| s.label == "backdoor")
    );
    assert_eq!(
        workspace(&admin, "Marketing Analytics").await.label,
        "Marketing Analytics"
    );
    h.shutdown().await;
}
