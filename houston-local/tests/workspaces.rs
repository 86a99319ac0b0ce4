//! Workspaces, workspace users, invites, system users.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::json;

const WS_Q: &str = "query($w: Uuid!) { workspace(workspaceUuid: $w) { id label description users { username } deployments { id } serviceAccounts { label } invites { email role } roleBindings { role user { username } } workspaceCapabilities { canUpdateWorkspace canDeleteWorkspace canCreateDeployment canUpdateIAM canInviteUser } createdAt updatedAt } }";

#[tokio::test]
async fn list_and_read_workspaces_by_role() {
    let s = seeded().await;
    let labels = |d: &serde_json::Value, k: &str| -> Vec<String> {
        d[k].as_array()
            .unwrap()
            .iter()
            .map(|w| w["label"].as_str().unwrap().to_string())
            .collect()
    };
    let q = "{ workspaces { id label } }";
    assert_eq!(
        labels(&s.ok(ADMIN, q, json!({})).await, "workspaces").len(),
        4
    );
    assert_eq!(
        labels(&s.ok(SAM, q, json!({})).await, "workspaces").len(),
        4
    );
    assert_eq!(
        labels(&s.ok(VERA, q, json!({})).await, "workspaces"),
        vec!["Data Platform", "Marketing Analytics"]
    );
    assert_eq!(
        labels(&s.ok(DAN, q, json!({})).await, "workspaces"),
        vec!["Sandbox"]
    );
    let p = s
        .ok(
            ADMIN,
            "{ paginatedWorkspaces(take: 2, pageNumber: 1) { label } }",
            json!({}),
        )
        .await;
    assert_eq!(
        labels(&p, "paginatedWorkspaces"),
        vec!["ML Research", "Sandbox"]
    );

    let dp = s.workspace_id("Data Platform").await;
    // Viewers and editors may not list invites (WORKSPACE_ADMIN only): just that field fails.
    let only_invites_forbidden = |b: &serde_json::Value| {
        let errs = b["errors"].as_array().unwrap();
        assert_eq!(errs.len(), 1, "{b}");
        assert_eq!(errs[0]["path"], json!(["workspace", "invites"]), "{b}");
        assert_eq!(code(b), "FORBIDDEN");
        b["data"].clone()
    };
    let d = only_invites_forbidden(&s.gql(VERA, WS_Q, json!({"w": dp})).await);
    let w = &d["workspace"];
    assert_eq!(w["label"], "Data Platform");
    assert_eq!(w["deployments"].as_array().unwrap().len(), 4);
    assert_eq!(w["workspaceCapabilities"]["canUpdateWorkspace"], false);
    assert_eq!(w["workspaceCapabilities"]["canCreateDeployment"], false);
    assert!(w["createdAt"].as_str().unwrap().ends_with('Z'));
    let d = only_invites_forbidden(&s.gql(LINUS, WS_Q, json!({"w": dp})).await);
    let caps = &d["workspace"]["workspaceCapabilities"];
    assert_eq!(caps["canUpdateWorkspace"], true);
    assert_eq!(caps["canCreateDeployment"], true);
    assert_eq!(caps["canDeleteWorkspace"], false);
    assert_eq!(caps["canUpdateIAM"], false);
    let d = s.ok(GRACE, WS_Q, json!({"w": dp})).await;
    assert_eq!(
        d["workspace"]["workspaceCapabilities"]["canDeleteWorkspace"],
        true
    );
    assert_eq!(
        d["workspace"]["invites"][0]["email"],
        "new.hire@astrodash.local"
    );

    let ml = s.workspace_id("ML Research").await;
    assert_forbidden(&s.gql(VERA, WS_Q, json!({"w": ml})).await, "workspace");
}

#[tokio::test]
async fn create_update_delete_workspace() {
    let s = seeded().await;
    let d = s
        .ok(VERA, "mutation { createWorkspace(label: \"  Vera's Lab \", description: \"mine\") { id label description workspaceCapabilities { canDeleteWorkspace } roleBindings { role user { username } } } }", json!({}))
        .await;
    let w = &d["createWorkspace"];
    assert_eq!(w["label"], "Vera's Lab");
    assert_eq!(w["roleBindings"][0]["role"], "WORKSPACE_ADMIN");
    assert_eq!(w["workspaceCapabilities"]["canDeleteWorkspace"], true);
    let id = w["id"].as_str().unwrap().to_string();

    let bad = s
        .gql(
            VERA,
            "mutation { createWorkspace(label: \"  \") { id } }",
            json!({}),
        )
        .await;
    assert_bad_input(&bad, "label");

    let up = "mutation($w: Uuid!, $p: JSON!) { updateWorkspace(workspaceUuid: $w, payload: $p) { label description } }";
    let d = s
        .ok(
            VERA,
            up,
            json!({"w": id, "p": {"label": "Renamed", "description": "new", "ignored": 1}}),
        )
        .await;
    assert_eq!(d["updateWorkspace"]["label"], "Renamed");
    assert_eq!(d["updateWorkspace"]["description"], "new");
    let bad = s.gql(VERA, up, json!({"w": id, "p": {"label": ""}})).await;
    assert_bad_input(&bad, "label");

    // Someone without rights cannot rename or delete; nothing changes.
    assert_forbidden(
        &s.gql(LINUS, up, json!({"w": id, "p": {"label": "Hacked"}}))
            .await,
        "updateWorkspace",
    );
    let del = "mutation($w: Uuid!) { deleteWorkspace(workspaceUuid: $w) { id label } }";
    assert_forbidden(
        &s.gql(LINUS, del, json!({"w": id})).await,
        "deleteWorkspace",
    );
    let d = s.ok(ADMIN, WS_Q, json!({"w": id})).await;
    assert_eq!(d["workspace"]["label"], "Renamed");

    // Editors may rename but not delete.
    let dp = s.workspace_id("Data Platform").await;
    let d = s
        .ok(LINUS, up, json!({"w": dp, "p": {"description": "edited"}}))
        .await;
    assert_eq!(d["updateWorkspace"]["label"], "Data Platform");
    assert_forbidden(
        &s.gql(LINUS, del, json!({"w": dp})).await,
        "deleteWorkspace",
    );

    // Deleting a workspace with deployments is refused.
    let b = s.gql(GRACE, del, json!({"w": dp})).await;
    assert_eq!(
        message(&b),
        "You must first deprovision all deployments before you can delete your workspace."
    );
    assert_eq!(code(&b), "INTERNAL_SERVER_ERROR", "{b}");
    assert!(s.ok(ADMIN, WS_Q, json!({"w": dp})).await["workspace"]["id"].is_string());

    let d = s.ok(VERA, del, json!({"w": id})).await;
    assert_eq!(d["deleteWorkspace"]["label"], "Renamed");
    let b = s.gql(ADMIN, WS_Q, json!({"w": id})).await;
    assert!(b["data"]["workspace"].is_null(), "{b}");
}

#[tokio::test]
async fn workspace_users_and_search() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let q = "query($w: Uuid!, $u: UserSearch) { workspaceUsers(workspaceUuid: $w, user: $u) { id username fullName emails { address } roleBindings { role workspace { id } } } }";
    let d = s.ok(VERA, q, json!({"w": dp})).await;
    let users = d["workspaceUsers"].as_array().unwrap();
    assert_eq!(users.len(), 4);
    let d = s
        .ok(
            VERA,
            q,
            json!({"w": dp, "u": {"email": "LINUS@astrodash.local", "username": ""}}),
        )
        .await;
    assert_eq!(d["workspaceUsers"][0]["fullName"], "Linus Editor");
    let d = s
        .ok(VERA, q, json!({"w": dp, "u": {"fullName": "hopper"}}))
        .await;
    assert_eq!(d["workspaceUsers"].as_array().unwrap().len(), 1);

    let one = "query($w: Uuid!, $e: String!) { workspaceUser(workspaceUuid: $w, user: {email: $e}) { username roleBindings { role workspace { id } } } }";
    let d = s.ok(VERA, one, json!({"w": dp, "e": GRACE})).await;
    assert_eq!(d["workspaceUser"]["username"], "grace");
    let b = s
        .gql(VERA, one, json!({"w": dp, "e": "sam@astrodash.local"}))
        .await;
    assert_eq!(code(&b), "RESOURCE_NOT_FOUND");

    let ml = s.workspace_id("ML Research").await;
    assert_forbidden(&s.gql(VERA, q, json!({"w": ml})).await, "workspaceUsers");

    // Cursor paging over all four users.
    let pq = "query($w: Uuid!, $c: Uuid, $t: Int) { paginatedWorkspaceUsers(workspaceUuid: $w, cursor: $c, take: $t) { id } }";
    let all = s.ok(ADMIN, pq, json!({"w": dp, "c": "", "t": 10})).await["paginatedWorkspaceUsers"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(all.len(), 4);
    let p1 = s.ok(ADMIN, pq, json!({"w": dp, "t": 2})).await["paginatedWorkspaceUsers"].clone();
    assert_eq!(p1.as_array().unwrap().len(), 2);
    let p2 = s
        .ok(ADMIN, pq, json!({"w": dp, "c": p1[1]["id"], "t": 2}))
        .await["paginatedWorkspaceUsers"]
        .clone();
    assert_eq!(p2, json!([all[2], all[3]]));
    let back = s
        .ok(ADMIN, pq, json!({"w": dp, "c": p2[0]["id"], "t": -2}))
        .await["paginatedWorkspaceUsers"]
        .clone();
    assert_eq!(back, json!([all[0], all[1]]));
    assert_forbidden(
        &s.gql(VERA, pq, json!({"w": ml})).await,
        "paginatedWorkspaceUsers",
    );

    // System-wide list needs system.users.get.
    // Eight seeded users: six with their own roles, two whose roles come from teams.
    let d = s.ok(SAM, "{ users { username } }", json!({})).await;
    assert_eq!(d["users"].as_array().unwrap().len(), 8);
    assert_forbidden(
        &s.gql(GRACE, "{ users { username } }", json!({})).await,
        "users",
    );
}

#[tokio::test]
async fn add_update_remove_users_and_invites() {
    let s = seeded().await;
    let ml = s.workspace_id("ML Research").await;
    let add = "mutation($w: Uuid, $e: String!, $r: Role!) { workspaceAddUser(workspaceUuid: $w, email: $e, role: $r) { id users { username } invites { email role } } }";
    // Existing user → binding.
    let d = s
        .ok(
            GRACE,
            add,
            json!({"w": ml, "e": VERA, "r": "WORKSPACE_EDITOR"}),
        )
        .await;
    let names: Vec<_> = d["workspaceAddUser"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect();
    assert!(names.contains(&"vera".to_string()));
    let b = s
        .gql(
            GRACE,
            add,
            json!({"w": ml, "e": VERA, "r": "WORKSPACE_EDITOR"}),
        )
        .await;
    assert_bad_input(&b, "A duplicate role binding already exists");
    // Unknown e-mail → invite; twice → USER_ALREADY_INVITED.
    let d = s
        .ok(
            GRACE,
            add,
            json!({"w": ml, "e": "New.Person@example.com", "r": "WORKSPACE_VIEWER"}),
        )
        .await;
    assert_eq!(
        d["workspaceAddUser"]["invites"][0]["email"],
        "new.person@example.com"
    );
    let b = s
        .gql(
            GRACE,
            add,
            json!({"w": ml, "e": "new.person@example.com", "r": "WORKSPACE_VIEWER"}),
        )
        .await;
    assert_eq!(message(&b), "User already invited");
    assert_eq!(code(&b), "USER_ALREADY_INVITED");
    // Wrong role scope.
    let b = s
        .gql(
            GRACE,
            add,
            json!({"w": ml, "e": "x@example.com", "r": "DEPLOYMENT_ADMIN"}),
        )
        .await;
    assert_bad_input(&b, "invalid workspace role");
    let b = s
        .gql(
            GRACE,
            "mutation { workspaceAddUser(email: \"x@example.com\") { id } }",
            json!({}),
        )
        .await;
    assert_bad_input(&b, "workspaceUuid");
    // Default role is WORKSPACE_VIEWER.
    let d = s.ok(GRACE, "mutation($w: Uuid) { workspaceAddUser(workspaceUuid: $w, email: \"dflt@example.com\") { invites { email role } } }", json!({"w": ml})).await;
    let inv = d["workspaceAddUser"]["invites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["email"] == "dflt@example.com")
        .unwrap()
        .clone();
    assert_eq!(inv["role"], "WORKSPACE_VIEWER");
    // Without IAM rights: forbidden and nothing changes.
    let dp = s.workspace_id("Data Platform").await;
    let b = s
        .gql(
            LINUS,
            add,
            json!({"w": dp, "e": SAM, "r": "WORKSPACE_ADMIN"}),
        )
        .await;
    assert_forbidden(&b, "workspaceAddUser");
    let uq = "query($w: Uuid!) { workspaceUsers(workspaceUuid: $w) { username } workspaceInvites(workspaceUuid: $w) { id email role } }";
    let before = s.ok(ADMIN, uq, json!({"w": dp})).await;
    assert_eq!(before["workspaceUsers"].as_array().unwrap().len(), 4);

    // Role updates: existing binding and pending invite.
    let upd = "mutation($w: Uuid!, $e: String!, $r: Role!) { workspaceUpdateUserRole(workspaceUuid: $w, email: $e, role: $r) }";
    let ups = "mutation($w: Uuid!, $e: String!, $r: Role!) { workspaceUpsertUserRole(workspaceUuid: $w, email: $e, role: $r) }";
    let d = s
        .ok(
            GRACE,
            upd,
            json!({"w": ml, "e": VERA, "r": "WORKSPACE_ADMIN"}),
        )
        .await;
    assert_eq!(d["workspaceUpdateUserRole"], "WORKSPACE_ADMIN");
    let d = s
        .ok(
            GRACE,
            upd,
            json!({"w": ml, "e": "new.person@example.com", "r": "WORKSPACE_EDITOR"}),
        )
        .await;
    assert_eq!(d["workspaceUpdateUserRole"], "WORKSPACE_EDITOR");
    let b = s
        .gql(
            GRACE,
            upd,
            json!({"w": ml, "e": SAM, "r": "WORKSPACE_EDITOR"}),
        )
        .await;
    assert_eq!(code(&b), "RESOURCE_NOT_FOUND");
    let d = s
        .ok(
            GRACE,
            ups,
            json!({"w": ml, "e": SAM, "r": "WORKSPACE_VIEWER"}),
        )
        .await;
    assert_eq!(d["workspaceUpsertUserRole"], "WORKSPACE_VIEWER");
    let b = s
        .gql(GRACE, ups, json!({"w": ml, "e": SAM, "r": "SYSTEM_ADMIN"}))
        .await;
    assert_bad_input(&b, "invalid workspace role");
    assert_forbidden(
        &s.gql(
            LINUS,
            ups,
            json!({"w": dp, "e": VERA, "r": "WORKSPACE_ADMIN"}),
        )
        .await,
        "workspaceUpsertUserRole",
    );
    let me = s.ok(VERA, "query($w: Uuid!) { workspace(workspaceUuid: $w) { workspaceCapabilities { canUpdateIAM } } }", json!({"w": ml})).await;
    assert_eq!(
        me["workspace"]["workspaceCapabilities"]["canUpdateIAM"],
        true
    );
    let ml_inv = s.ok(GRACE, "query($w: Uuid!, $i: InviteSearch) { workspaceInvites(workspaceUuid: $w, invite: $i) { id email role } }", json!({"w": ml, "i": {"email": "new.person"}})).await;
    assert_eq!(ml_inv["workspaceInvites"][0]["role"], "WORKSPACE_EDITOR");
    let invite_id = ml_inv["workspaceInvites"][0]["id"].clone();

    // Invites: viewers cannot list (WORKSPACE_ADMIN in 0.35) and cannot delete.
    assert_forbidden(
        &s.gql(LINUS, uq, json!({"w": dp})).await,
        "workspaceInvites",
    );
    let del = "mutation($i: Uuid) { deleteInviteToken(inviteUuid: $i) { id email } }";
    assert_forbidden(
        &s.gql(LINUS, del, json!({"i": invite_id})).await,
        "deleteInviteToken",
    );
    let d = s.ok(GRACE, del, json!({"i": invite_id})).await;
    assert_eq!(d["deleteInviteToken"]["email"], "new.person@example.com");
    let b = s.gql(GRACE, del, json!({"i": invite_id})).await;
    assert_eq!(code(&b), "RESOURCE_NOT_FOUND");

    // Remove user.
    let vera_id =
        s.ok(VERA, "{ self { user { id } } }", json!({})).await["self"]["user"]["id"].clone();
    let rm = "mutation($w: Uuid!, $u: Uuid!) { workspaceRemoveUser(workspaceUuid: $w, userUuid: $u) { users { username } } }";
    assert_forbidden(
        &s.gql(LINUS, rm, json!({"w": dp, "u": vera_id})).await,
        "workspaceRemoveUser",
    );
    let after = s.ok(ADMIN, uq, json!({"w": dp})).await;
    assert_eq!(after, before);
    let d = s.ok(GRACE, rm, json!({"w": ml, "u": vera_id})).await;
    assert!(
        !d["workspaceRemoveUser"]["users"]
            .to_string()
            .contains("vera")
    );
    let b = s.gql(GRACE, rm, json!({"w": ml, "u": vera_id})).await;
    assert_eq!(code(&b), "RESOURCE_NOT_FOUND");
}

#[tokio::test]
async fn update_self() {
    let s = seeded().await;
    let q = "mutation($p: JSON!) { updateSelf(payload: $p) { fullName username } }";
    let d = s
        .ok(VERA, q, json!({"p": {"fullName": "Vera V. Viewer"}}))
        .await;
    assert_eq!(d["updateSelf"]["fullName"], "Vera V. Viewer");
    let b = s.gql(VERA, q, json!({"p": {"fullName": 3}})).await;
    assert_bad_input(&b, "fullName");
    assert_forbidden(
        &s.raw(None, q, json!({"p": {"fullName": "x"}})).await,
        "updateSelf",
    );
    let d = s
        .ok(VERA, "{ self { user { fullName } } }", json!({}))
        .await;
    assert_eq!(d["self"]["user"]["fullName"], "Vera V. Viewer");
}

#[tokio::test]
async fn remaining_permission_checks_change_nothing() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let ml = s.workspace_id("ML Research").await;
    let (dep, _) = s.deployment("Core ETL").await;
    // Anonymous callers.
    for (q, field) in [
        ("{ self { user { id } } }", "self"),
        (
            "{ paginatedWorkspaces(take: 1) { id } }",
            "paginatedWorkspaces",
        ),
        (
            "mutation { createWorkspace(label: \"anon\") { id } }",
            "createWorkspace",
        ),
    ] {
        assert_forbidden(&s.raw(None, q, json!({})).await, field);
    }
    assert_forbidden(
        &s.gql(VERA, "query($w: Uuid!) { workspaceUser(workspaceUuid: $w, user: {email: \"grace@astrodash.local\"}) { id } }", json!({"w": ml})).await,
        "workspaceUser",
    );
    let before = s
        .ok(ADMIN, "query($w: Uuid!, $d: Id!) { workspaceUsers(workspaceUuid: $w) { username roleBindings { role } } deploymentUsers(deploymentId: $d) { username roleBindings { role } } }", json!({"w": dp, "d": dep}))
        .await;
    assert_forbidden(
        &s.gql(LINUS, "mutation($w: Uuid!) { workspaceUpdateUserRole(workspaceUuid: $w, email: \"vera@astrodash.local\", role: WORKSPACE_ADMIN) }", json!({"w": dp})).await,
        "workspaceUpdateUserRole",
    );
    assert_forbidden(
        &s.gql(LINUS, "mutation($d: Id!) { deploymentUpdateUserRole(email: \"vera@astrodash.local\", deploymentId: $d, role: DEPLOYMENT_ADMIN) { id } }", json!({"d": dep})).await,
        "deploymentUpdateUserRole",
    );
    let sa = s
        .ok(
            ADMIN,
            "query($d: Uuid!) { deploymentServiceAccounts(deploymentUuid: $d) { id label } }",
            json!({"d": dep}),
        )
        .await["deploymentServiceAccounts"][0]
        .clone();
    assert_forbidden(
        &s.gql(VERA, "mutation($s: Uuid!, $d: Uuid!) { updateDeploymentServiceAccount(serviceAccountUuid: $s, deploymentUuid: $d, payload: {label: \"x\"}) { id } }", json!({"s": sa["id"], "d": dep})).await,
        "updateDeploymentServiceAccount",
    );
    let after = s
        .ok(ADMIN, "query($w: Uuid!, $d: Id!) { workspaceUsers(workspaceUuid: $w) { username roleBindings { role } } deploymentUsers(deploymentId: $d) { username roleBindings { role } } }", json!({"w": dp, "d": dep}))
        .await;
    assert_eq!(before, after);
    let sa_after = s
        .ok(
            ADMIN,
            "query($d: Uuid!) { deploymentServiceAccounts(deploymentUuid: $d) { id label } }",
            json!({"d": dep}),
        )
        .await["deploymentServiceAccounts"][0]
        .clone();
    assert_eq!(sa, sa_after);
    // An expired token cannot mutate either.
    let uid = s.ok(GRACE, "{ self { user { id } } }", json!({})).await["self"]["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let now = chrono::Utc::now().timestamp();
    let expired = s.h.sign_claims(&houston_local::auth::Claims {
        uuid: uid,
        iat: now - 90_000,
        exp: now - 1,
    });
    let b = s
        .raw(
            Some(&expired),
            "mutation($w: Uuid!) { deleteWorkspace(workspaceUuid: $w) { id } }",
            json!({"w": ml}),
        )
        .await;
    assert_forbidden(&b, "deleteWorkspace");
    assert_eq!(
        s.ok(ADMIN, "{ workspaces { id } }", json!({})).await["workspaces"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[tokio::test]
async fn cursor_paging_with_minimum_take_does_not_overflow() {
    let s = seeded().await;
    let dp = s.workspace_id("Data Platform").await;
    let q = "query($w: Uuid!, $c: Uuid, $t: Int) { paginatedWorkspaceUsers(workspaceUuid: $w, cursor: $c, take: $t) { id } }";
    let all = s.ok(ADMIN, q, json!({"w": dp})).await["paginatedWorkspaceUsers"]
        .as_array()
        .unwrap()
        .clone();
    assert!(all.len() >= 3);
    let last = all.last().unwrap()["id"].clone();
    let d = s
        .ok(ADMIN, q, json!({"w": dp, "c": last, "t": -2147483648i64}))
        .await;
    assert_eq!(
        d["paginatedWorkspaceUsers"].as_array().unwrap().as_slice(),
        &all[..all.len() - 1]
    );
    let d = s
        .ok(
            ADMIN,
            "{ paginatedWorkspaces(take: 2147483647, pageNumber: 2147483647) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(d["paginatedWorkspaces"], json!([]));
    s.h.shutdown().await;
}

/// Houston keeps the last *system* admin only: a workspace's last admin may step down or go,
/// leaving it without one (astrodash refuses that itself, before sending).
#[tokio::test]
async fn the_last_workspace_admin_may_step_down_as_in_houston() {
    let s = seeded().await;
    let c = "mutation { createWorkspace(label: \"Solo\") { id } }";
    let ws = s.ok(LINUS, c, json!({})).await["createWorkspace"]["id"].clone();
    let upd = "mutation($w: Uuid!, $e: String!) { workspaceUpdateUserRole(workspaceUuid: $w, email: $e, role: WORKSPACE_EDITOR) }";
    let d = s.ok(LINUS, upd, json!({"w": ws, "e": LINUS})).await;
    assert_eq!(d["workspaceUpdateUserRole"], "WORKSPACE_EDITOR");
    let q = "query($w: Uuid!) { workspace(workspaceUuid: $w) { roleBindings { role user { username } } } }";
    let roles = s.ok(ADMIN, q, json!({"w": ws})).await;
    let admins = roles["workspace"]["roleBindings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["role"] == "WORKSPACE_ADMIN")
        .count();
    assert_eq!(admins, 0, "{roles}");
}
