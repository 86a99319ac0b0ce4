//! Team roles changed and removed by the real client against houston-local: what an admin
//! changes is there afterwards, what a workspace viewer tries is refused with Houston's words
//! and changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use astrodash::houston::model::*;
use astrodash::houston::mutation::Mutation;
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

async fn data_platform(c: &HoustonClient) -> Workspace {
    let me = c.me().await.unwrap();
    c.workspaces(me.user_id())
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.label == "Data Platform")
        .unwrap()
}

async fn run(c: &HoustonClient, m: &Mutation) -> Result<(), ApiError> {
    m.run(c, &DeploymentConfig::default()).await.map(|_| ())
}

fn team<'a>(teams: &'a [Team], name: &str) -> Option<&'a Team> {
    teams.iter().find(|t| t.name == name)
}

#[tokio::test]
async fn an_admin_changes_and_removes_a_teams_workspace_role() {
    let h = server().await;
    let admin = client(&h, ADMIN);
    let ws = data_platform(&admin).await;
    let teams = admin.workspace_teams(&ws.id).await.unwrap();
    let eng = team(&teams, "Data Engineering").unwrap().clone();
    assert_eq!(eng.role, Some(Role::WorkspaceEditor));

    run(
        &admin,
        &Mutation::SetWorkspaceTeamRole {
            workspace: ws.id.clone(),
            team: eng.id.clone(),
            name: eng.name.clone(),
            role: Role::WorkspaceViewer,
        },
    )
    .await
    .unwrap();
    let teams = admin.workspace_teams(&ws.id).await.unwrap();
    assert_eq!(
        team(&teams, "Data Engineering").unwrap().role,
        Some(Role::WorkspaceViewer)
    );

    run(
        &admin,
        &Mutation::RemoveWorkspaceTeam {
            workspace: ws.id.clone(),
            team: eng.id.clone(),
            name: eng.name.clone(),
        },
    )
    .await
    .unwrap();
    let teams = admin.workspace_teams(&ws.id).await.unwrap();
    assert!(team(&teams, "Data Engineering").is_none(), "{teams:?}");
}

#[tokio::test]
async fn an_admin_changes_and_removes_a_teams_deployment_role() {
    let h = server().await;
    let admin = client(&h, ADMIN);
    let ws = data_platform(&admin).await;
    let d = admin
        .workspace_deployments(&ws.id)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.label == "Reverse ETL")
        .unwrap();
    let teams = admin.deployment_teams(&d.id).await.unwrap();
    let eng = team(&teams, "Data Engineering").unwrap().clone();
    assert_eq!(eng.role, Some(Role::DeploymentAdmin));

    run(
        &admin,
        &Mutation::SetDeploymentTeamRole {
            deployment: d.id.clone(),
            team: eng.id.clone(),
            name: eng.name.clone(),
            role: Role::DeploymentEditor,
        },
    )
    .await
    .unwrap();
    let teams = admin.deployment_teams(&d.id).await.unwrap();
    assert_eq!(
        team(&teams, "Data Engineering").unwrap().role,
        Some(Role::DeploymentEditor)
    );

    run(
        &admin,
        &Mutation::RemoveDeploymentTeam {
            deployment: d.id.clone(),
            team: eng.id.clone(),
            name: eng.name.clone(),
        },
    )
    .await
    .unwrap();
    let teams = admin.deployment_teams(&d.id).await.unwrap();
    assert!(team(&teams, "Data Engineering").is_none(), "{teams:?}");
    // The workspace role the team holds stays.
    let teams = admin.workspace_teams(&ws.id).await.unwrap();
    assert!(team(&teams, "Data Engineering").is_some());
}

#[tokio::test]
async fn a_viewer_cannot_touch_team_roles_and_nothing_changes() {
    let h = server().await;
    let admin = client(&h, ADMIN);
    let viewer = client(&h, VIEWER);
    let ws = data_platform(&admin).await;
    let eng = team(
        &admin.workspace_teams(&ws.id).await.unwrap(),
        "Data Engineering",
    )
    .unwrap()
    .clone();
    for m in [
        Mutation::SetWorkspaceTeamRole {
            workspace: ws.id.clone(),
            team: eng.id.clone(),
            name: eng.name.clone(),
            role: Role::WorkspaceAdmin,
        },
        Mutation::RemoveWorkspaceTeam {
            workspace: ws.id.clone(),
            team: eng.id.clone(),
            name: eng.name.clone(),
        },
    ] {
        let err = run(&viewer, &m).await.unwrap_err();
        assert!(
            matches!(&err, ApiError::Forbidden(text) if text.contains(FORBIDDEN)),
            "{m:?}: {err:?}"
        );
    }
    let teams = admin.workspace_teams(&ws.id).await.unwrap();
    assert_eq!(
        team(&teams, "Data Engineering").unwrap().role,
        Some(Role::WorkspaceEditor)
    );
}
