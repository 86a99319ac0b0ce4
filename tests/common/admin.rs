//! Fixtures of the System Admin panel's tests: a system admin on the account dashboard with
//! the platform's users, invites and system service accounts cached.

use super::*;
use astrodash::app::state::*;
use astrodash::houston::system::{PlatformUser, UserWorkspace};

fn user(
    id: &str,
    name: &str,
    email: &str,
    system: &[Role],
    workspaces: &[(&str, &str, Role)],
) -> PlatformUser {
    PlatformUser {
        id: id.into(),
        username: email.split('@').next().unwrap_or(email).into(),
        full_name: Some(name.into()),
        email: Some(email.into()),
        status: Some("active".into()),
        system_roles: system.to_vec(),
        workspaces: workspaces
            .iter()
            .map(|(id, label, role)| UserWorkspace {
                id: (*id).into(),
                label: (*label).into(),
                role: role.clone(),
                via_team: None,
            })
            .collect(),
        deployment_roles: 0,
        created_at: Some(ago(86_400 * 40)),
    }
}

pub fn platform_users() -> Vec<PlatformUser> {
    let mut pending = user(
        "u-pia",
        "Pia Pending",
        "pia@example.com",
        &[],
        &[("ws-ml", "ML Research", Role::WorkspaceViewer)],
    );
    pending.status = Some("pending".into());
    vec![
        user(
            "u-ada",
            "Ada Lovelace",
            "ada@example.com",
            &[Role::SystemAdmin],
            &[("ws-data", "Data Platform", Role::WorkspaceAdmin)],
        ),
        user(
            "u-grace",
            "Grace Hopper",
            "grace@example.com",
            &[],
            &[
                ("ws-data", "Data Platform", Role::WorkspaceEditor),
                ("ws-ml", "ML Research", Role::WorkspaceAdmin),
            ],
        ),
        pending,
        user(
            "u-sam",
            "Sam Sysview",
            "sam@example.com",
            &[Role::SystemViewer],
            &[],
        ),
    ]
}

pub fn system_invites() -> Vec<Invite> {
    vec![
        Invite {
            id: "i-new".into(),
            email: "newbie@example.com".into(),
            role: Role::User,
            created_at: Some(ago(3_600 * 5)),
        },
        Invite {
            id: "i-ws".into(),
            email: "guest@example.com".into(),
            role: Role::WorkspaceViewer,
            created_at: Some(ago(86_400 * 2)),
        },
    ]
}

pub fn system_service_accounts() -> Vec<ServiceAccount> {
    vec![ServiceAccount {
        id: "sa-ops".into(),
        label: "platform-ops".into(),
        category: Some("Automation".into()),
        role: Some(Role::SystemAdmin),
        active: true,
        last_used_at: Some(ago(600)),
        created_at: Some(ago(86_400 * 90)),
    }]
}

/// A system admin (Ada) with the panel's lists cached, on the account dashboard.
pub fn system_admin() -> AppState {
    let mut s = loaded_state();
    let mut me = me();
    me.is_system_admin = true;
    put(&mut s, Request::Me, Payload::Me(me));
    put(
        &mut s,
        Request::SystemUsers,
        Payload::PlatformUsers(platform_users()),
    );
    put(
        &mut s,
        Request::SystemInvites,
        Payload::Invites(system_invites()),
    );
    // Every workspace: the caller's, and one Ada has no role in.
    let mut all = workspaces();
    all.push(Workspace {
        my_role: None,
        ..workspace(
            "ws-fin",
            "Finance",
            Some("Ledgers"),
            2,
            Role::WorkspaceViewer,
        )
    });
    put(
        &mut s,
        Request::SystemWorkspaces {
            me_id: Some("u-ada".into()),
        },
        Payload::Workspaces(all),
    );
    put(
        &mut s,
        Request::SystemServiceAccounts,
        Payload::ServiceAccounts(system_service_accounts()),
    );
    s
}

/// The panel's `tab`, as a system admin.
pub fn admin_tab(tab: AdminTab) -> AppState {
    let mut s = system_admin();
    s.nav.routes.push(Route::Admin { tab });
    s
}

/// Task runs of each fixture deployment over `days` (prod-etl fails most).
pub fn task_usage(s: &mut AppState, days: u16) {
    let list = s.cache.deployments(&"ws-data".into()).unwrap().to_vec();
    put(
        s,
        Request::AllDeployments,
        Payload::Deployments(list.clone()),
    );
    let counts = [(900, 100), (480, 20), (300, 0)];
    for (d, (ok, failed)) in list.iter().zip(counts) {
        put(
            s,
            Request::TaskUsage {
                release: d.release_name.clone(),
                days,
            },
            Payload::TaskUsage(astrodash::houston::system::TaskUsage {
                successful: ok,
                failed,
                total: ok + failed,
                start: Some(ago(86_400 * i64::from(days))),
                end: Some(now()),
            }),
        );
    }
}
