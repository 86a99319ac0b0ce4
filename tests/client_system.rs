//! The System Admin panel's reads and changes, run by the real client against houston-local's
//! demo: every user with their system and workspace roles, every invite, system roles granted
//! and revoked (the last system admin refused in Houston's words), platform invites sent and
//! withdrawn, a user deleted; and a non-admin refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use astrodash::houston::model::*;
use astrodash::houston::mutation::Mutation;
use astrodash::houston::system::SYSTEM_WORKSPACES;
use astrodash::houston::system_mutations::SystemChange;
use astrodash::houston::variants::ReadOperation;
use astrodash::houston::{ApiError, HoustonClient};

const ADMIN: &str = "admin@astrodash.local";
const LAST_ADMIN: &str =
    "There are no other system administrators. Please assign another before removing yourself.";

async fn server() -> houston_local::Handle {
    server_at("0.35.0").await
}

async fn server_at(version: &str) -> houston_local::Handle {
    houston_local::start(houston_local::Config {
        port: 0,
        seed: Some(houston_local::Seed::Demo),
        log_interval_ms: 0,
        houston_version: version.parse().unwrap(),
        ..houston_local::Config::default()
    })
    .await
    .unwrap()
}

fn client(h: &houston_local::Handle, email: &str) -> HoustonClient {
    HoustonClient::new(&h.url(), Some(h.issue_token(email).unwrap().into())).unwrap()
}

async fn change(c: &HoustonClient, change: SystemChange) -> Result<(), ApiError> {
    Mutation::System(change)
        .run(c, &DeploymentConfig::default())
        .await
        .map(|_| ())
}

fn message(e: &ApiError) -> String {
    match e {
        ApiError::GraphQl { message, .. } | ApiError::Forbidden(message) => message.clone(),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn users_come_with_their_system_and_workspace_roles() {
    let h = server().await;
    let admin = client(&h, ADMIN);
    let users = admin.system_users().await.unwrap();
    let ada = users
        .iter()
        .find(|u| u.email.as_deref() == Some(ADMIN))
        .unwrap();
    assert_eq!(ada.system_roles, vec![Role::SystemAdmin]);
    assert_eq!(ada.status.as_deref(), Some("active"));
    let grace = users
        .iter()
        .find(|u| u.email.as_deref() == Some("grace@astrodash.local"))
        .unwrap();
    assert!(grace.system_roles.is_empty());
    assert_eq!(grace.workspaces.len(), 2);
    assert!(
        grace
            .workspaces
            .iter()
            .all(|w| w.role == Role::WorkspaceAdmin)
    );
    let sam = users
        .iter()
        .find(|u| u.email.as_deref() == Some("sam@astrodash.local"))
        .unwrap();
    assert_eq!(sam.system_role(), Some(&Role::SystemViewer));
    let dan = users
        .iter()
        .find(|u| u.email.as_deref() == Some("dan@astrodash.local"))
        .unwrap();
    assert_eq!(dan.deployment_roles, 1);
}

/// nora and omar hold workspace roles only through their teams (the demo seed): from 0.28,
/// when teams exist, those workspaces are theirs, named with the team; before, none.
#[tokio::test]
async fn team_only_roles_come_as_workspaces_via_the_team() {
    let via =
        |u: &astrodash::houston::system::PlatformUser| -> Vec<(String, Role, Option<String>)> {
            u.workspaces
                .iter()
                .map(|w| (w.label.clone(), w.role.clone(), w.via_team.clone()))
                .collect()
        };
    for version in ["0.28.0", "0.35.0", "1.0.1", "2.1.0"] {
        let h = server_at(version).await;
        let admin = client(&h, ADMIN);
        let users = admin.system_users().await.unwrap();
        let find = |email: &str| {
            users
                .iter()
                .find(|u| u.email.as_deref() == Some(email))
                .unwrap()
        };
        assert_eq!(
            via(find("nora@astrodash.local")),
            [(
                "Data Platform".to_string(),
                Role::WorkspaceEditor,
                Some("Data Engineering".to_string())
            )],
            "{version}"
        );
        assert_eq!(
            via(find("omar@astrodash.local")),
            [(
                "ML Research".to_string(),
                Role::WorkspaceViewer,
                Some("ML Ops".to_string())
            )],
            "{version}"
        );
        // The admin is in Data Engineering too, but their own role on Data Platform shows.
        let ada = via(find(ADMIN));
        assert!(
            ada.iter().all(|(_, _, team)| team.is_none()),
            "{version}: {ada:?}"
        );
        assert!(admin.refused_documents().is_empty(), "{version}");
        h.shutdown().await;
    }
    // Before teams: the older document, and nora has no workspace.
    let h = server_at("0.27.0").await;
    let admin = client(&h, ADMIN);
    let users = admin.system_users().await.unwrap();
    let nora = users
        .iter()
        .find(|u| u.email.as_deref() == Some("nora@astrodash.local"))
        .unwrap();
    assert!(nora.workspaces.is_empty(), "{:?}", nora.workspaces);
    h.shutdown().await;
}

#[tokio::test]
async fn system_roles_are_granted_and_revoked_but_the_last_admin_stays() {
    let h = server().await;
    let admin = client(&h, ADMIN);
    let users = admin.system_users().await.unwrap();
    let find = |users: &[astrodash::houston::system::PlatformUser], email: &str| {
        users
            .iter()
            .find(|u| u.email.as_deref() == Some(email))
            .unwrap()
            .clone()
    };
    let ada = find(&users, ADMIN);
    let grace = find(&users, "grace@astrodash.local");

    // The only system admin cannot step down: Houston's words, and nothing changed.
    let err = change(
        &admin,
        SystemChange::SetRole {
            user: ada.id.clone(),
            name: "Ada".into(),
            revoke: vec![Role::SystemAdmin],
            grant: Some(Role::SystemViewer),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(message(&err), LAST_ADMIN);
    let users = admin.system_users().await.unwrap();
    assert_eq!(find(&users, ADMIN).system_roles, vec![Role::SystemAdmin]);

    // Grant: Grace becomes a system admin.
    change(
        &admin,
        SystemChange::SetRole {
            user: grace.id.clone(),
            name: "Grace".into(),
            revoke: vec![],
            grant: Some(Role::SystemAdmin),
        },
    )
    .await
    .unwrap();
    let users = admin.system_users().await.unwrap();
    assert_eq!(
        find(&users, "grace@astrodash.local").system_roles,
        vec![Role::SystemAdmin]
    );

    // Revoke: and back to none.
    change(
        &admin,
        SystemChange::SetRole {
            user: grace.id.clone(),
            name: "Grace".into(),
            revoke: vec![Role::SystemAdmin],
            grant: None,
        },
    )
    .await
    .unwrap();
    let users = admin.system_users().await.unwrap();
    assert!(
        find(&users, "grace@astrodash.local")
            .system_roles
            .is_empty()
    );
}

#[tokio::test]
async fn platform_invites_are_sent_listed_and_withdrawn_and_users_deleted() {
    let h = server().await;
    let admin = client(&h, ADMIN);
    change(
        &admin,
        SystemChange::Invite {
            email: "newbie@example.com".into(),
        },
    )
    .await
    .unwrap();
    let invites = admin.system_invites().await.unwrap();
    let invite = invites
        .iter()
        .find(|i| i.email == "newbie@example.com")
        .unwrap()
        .clone();
    // A platform invite carries no workspace role.
    assert_eq!(invite.role, Role::User);
    let again = change(
        &admin,
        SystemChange::Invite {
            email: "newbie@example.com".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(message(&again), "User already invited");

    change(
        &admin,
        SystemChange::WithdrawInvite {
            invite: invite.id.clone(),
            email: invite.email.clone(),
        },
    )
    .await
    .unwrap();
    assert!(
        !admin
            .system_invites()
            .await
            .unwrap()
            .iter()
            .any(|i| i.id == invite.id)
    );

    let linus = admin
        .system_users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email.as_deref() == Some("linus@astrodash.local"))
        .unwrap();
    change(
        &admin,
        SystemChange::DeleteUser {
            user: linus.id.clone(),
            name: "Linus".into(),
        },
    )
    .await
    .unwrap();
    assert!(
        !admin
            .system_users()
            .await
            .unwrap()
            .iter()
            .any(|u| u.id == linus.id)
    );
}

#[tokio::test]
async fn a_user_without_a_system_role_is_refused() {
    let h = server().await;
    let grace = client(&h, "grace@astrodash.local");
    assert!(matches!(
        grace.system_users().await,
        Err(ApiError::Forbidden(_))
    ));
    assert!(matches!(
        grace.system_service_accounts().await,
        Err(ApiError::Forbidden(_))
    ));
    let me = grace.me().await.unwrap();
    let err = change(
        &grace,
        SystemChange::SetRole {
            user: me.id.clone().unwrap(),
            name: "Grace".into(),
            revoke: vec![],
            grant: Some(Role::SystemAdmin),
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ApiError::Forbidden(_)), "{err:?}");
}

#[tokio::test]
async fn every_workspace_comes_from_sys_workspaces_where_houston_has_it() {
    for version in ["0.35.0", "1.0.1", "2.1.0"] {
        let h = server_at(version).await;
        let admin = client(&h, ADMIN);
        admin.probe_version().await.unwrap();
        let me = admin.me().await.unwrap();
        let all = admin.system_workspaces(me.user_id()).await.unwrap();
        let mine = admin.workspaces(me.user_id()).await.unwrap();
        assert!(all.len() >= 4, "{version}: {all:?}");
        assert_eq!(all.len(), mine.len(), "{version}");
        let doc = SYSTEM_WORKSPACES.document_in_use(&admin);
        let want = if version.starts_with('0') {
            "Workspaces"
        } else {
            "SystemWorkspaces"
        };
        assert_eq!(doc, Some(want), "{version}");
        // A workspace admin without a system role is refused where Houston has the query.
        if !version.starts_with('0') {
            let grace = client(&h, "grace@astrodash.local");
            grace.probe_version().await.unwrap();
            let me = grace.me().await.unwrap();
            assert!(matches!(
                grace.system_workspaces(me.user_id()).await,
                Err(ApiError::Forbidden(_))
            ));
        }
        h.shutdown().await;
    }
}

#[tokio::test]
async fn task_usage_where_houston_has_it_and_not_available_before() {
    // 1.0.0: the all-deployments documents of today still fit (1.0.1 drops fields they read).
    let h = server_at("1.0.0").await;
    let admin = client(&h, ADMIN);
    admin.probe_version().await.unwrap();
    let all = admin.all_deployment_rows().await.unwrap();
    let d = all.first().unwrap();
    let u = admin
        .deployment_task_usage(&d.release_name, "2026-01-01")
        .await
        .unwrap();
    assert_eq!(u.total, u.successful + u.failed);
    assert!(u.total > 0);
    assert!(u.start.is_some() && u.end.is_some());
    h.shutdown().await;

    let h = server_at("0.35.0").await;
    let admin = client(&h, ADMIN);
    admin.probe_version().await.unwrap();
    let err = admin
        .deployment_task_usage("whatever", "2026-01-01")
        .await
        .unwrap_err();
    assert!(err.is_unsupported(), "{err:?}");
    assert_eq!(
        err.to_string(),
        "not available on Houston 0.35.0 (deploymentTaskUsage needs Houston 1.0.0 or later)"
    );
    h.shutdown().await;
}
