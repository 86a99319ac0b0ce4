//! Platform invites as the System Admin panel handles them: sent with `inviteUser`, listed by
//! `invites`, withdrawn with `deleteInviteToken(inviteUuid)` alone (a platform invite has no
//! workspace) — by a system admin only; refused and invalid requests change nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

const INVITE: &str = "mutation($e: String!) { inviteUser(email: $e) { id email role } }";
const WITHDRAW: &str = "mutation($i: Uuid) { deleteInviteToken(inviteUuid: $i) { id email } }";
const INVITES: &str = "{ invites { id email role } }";

fn emails(d: &Value) -> Vec<String> {
    d["invites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["email"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_platform_invite_is_withdrawn_by_a_system_admin_only() {
    let s = seeded().await;
    let d = s
        .ok(ADMIN, INVITE, json!({"e": "newbie@example.com"}))
        .await;
    assert_eq!(d["inviteUser"]["role"], "USER");
    let id = d["inviteUser"]["id"].clone();
    assert!(emails(&s.ok(ADMIN, INVITES, json!({})).await).contains(&"newbie@example.com".into()));

    let before = s.h.db_generation();
    // A workspace admin (Grace) and a viewer may not withdraw a platform invite.
    for who in [GRACE, VERA] {
        assert_forbidden(
            &s.gql(who, WITHDRAW, json!({"i": id.clone()})).await,
            "deleteInviteToken",
        );
    }
    assert_bad_input(
        &s.gql(ADMIN, WITHDRAW, json!({})).await,
        "A required argument was not sent: inviteUuid",
    );
    assert_eq!(
        code(&s.gql(ADMIN, WITHDRAW, json!({"i": "nope"})).await),
        "RESOURCE_NOT_FOUND"
    );
    assert_eq!(s.h.db_generation(), before, "refusals change nothing");

    let d = s.ok(ADMIN, WITHDRAW, json!({"i": id})).await;
    assert_eq!(d["deleteInviteToken"]["email"], "newbie@example.com");
    assert!(!emails(&s.ok(ADMIN, INVITES, json!({})).await).contains(&"newbie@example.com".into()));
    // Withdrawn twice: gone.
    assert_eq!(
        code(
            &s.gql(ADMIN, WITHDRAW, json!({"i": d["deleteInviteToken"]["id"]}))
                .await
        ),
        "RESOURCE_NOT_FOUND"
    );
    s.h.shutdown().await;
}

#[tokio::test]
async fn system_service_accounts_are_listed_for_system_roles_only() {
    let s = seeded().await;
    let list = "{ serviceAccounts(entityType: SYSTEM) { label roleBinding { role } } }";
    let create = "mutation($l: String!, $r: Role!) { createSystemServiceAccount(label: $l, role: $r) { id apiKey } }";
    assert_forbidden(
        &s.gql(GRACE, create, json!({"l": "bot", "r": "SYSTEM_VIEWER"}))
            .await,
        "createSystemServiceAccount",
    );
    assert_bad_input(
        &s.gql(ADMIN, create, json!({"l": "bot", "r": "WORKSPACE_VIEWER"}))
            .await,
        "Invalid role",
    );
    let d = s
        .ok(ADMIN, create, json!({"l": "bot", "r": "SYSTEM_VIEWER"}))
        .await;
    assert_eq!(
        d["createSystemServiceAccount"]["apiKey"]
            .as_str()
            .unwrap()
            .len(),
        32
    );
    // SYSTEM_VIEWER (Sam) reads them; a workspace admin does not.
    let d = s.ok(SAM, list, json!({})).await;
    assert_eq!(
        d["serviceAccounts"],
        json!([{"label": "bot", "roleBinding": {"role": "SYSTEM_VIEWER"}}])
    );
    assert_forbidden(&s.gql(GRACE, list, json!({})).await, "serviceAccounts");
    s.h.shutdown().await;
}
