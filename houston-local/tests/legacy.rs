//! The 0.23-era operations of the introspected schema that astrodash does not send: accounts
//! (e-mail lookups, invites, system roles, mail flows) and release catalogues.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};

fn list_len(d: &Value, field: &str) -> usize {
    d[field].as_array().unwrap().len()
}

#[tokio::test]
async fn email_lookups_and_invites() {
    let s = seeded().await;
    let q =
        "query($w: EmailWhereUniqueInput!) { email(where: $w) { id address primary verified } }";
    let d = s
        .ok(VERA, q, json!({"w": {"address": "VERA@astrodash.local"}}))
        .await;
    assert_eq!(d["email"]["address"], "vera@astrodash.local");
    let id = d["email"]["id"].clone();
    assert_eq!(
        s.ok(VERA, q, json!({"w": {"id": id}})).await["email"]["address"],
        "vera@astrodash.local"
    );
    // Someone else's address: only with system.users.get.
    assert_eq!(
        s.ok(VERA, q, json!({"w": {"address": GRACE}})).await["email"],
        Value::Null
    );
    assert_eq!(
        s.ok(SAM, q, json!({"w": {"address": GRACE}})).await["email"]["verified"],
        true
    );
    assert_eq!(
        s.ok(SAM, q, json!({"w": {"token": "t"}})).await["email"],
        Value::Null
    );
    assert_eq!(
        s.ok(SAM, q, json!({"w": {"id": "nope"}})).await["email"],
        Value::Null
    );
    assert_bad_input(
        &s.gql(SAM, q, json!({"w": {}})).await,
        "A required argument was not sent",
    );
    assert_forbidden(
        &s.raw(None, q, json!({"w": {"address": GRACE}})).await,
        "email",
    );

    let invites = "query($i: InviteSearch) { invites(invite: $i) { email role token } }";
    assert_eq!(
        list_len(&s.ok(ADMIN, invites, json!({})).await, "invites"),
        2
    );
    let d = s
        .ok(ADMIN, invites, json!({"i": {"email": "CONTRACTOR"}}))
        .await;
    assert_eq!(d["invites"][0]["email"], "contractor@example.com");
    assert_forbidden(&s.gql(GRACE, invites, json!({})).await, "invites");

    // Platform invites, then sign-up with the token while public sign-up is closed.
    let invite = "mutation($e: String!) { inviteUser(email: $e) { email role token } }";
    let before = s.h.db_generation();
    assert_forbidden(
        &s.gql(SAM, invite, json!({"e": "guest@example.com"})).await,
        "inviteUser",
    );
    assert_forbidden(
        &s.gql(GRACE, invite, json!({"e": "guest@example.com"}))
            .await,
        "inviteUser",
    );
    assert_bad_input(
        &s.gql(ADMIN, invite, json!({"e": "guest"})).await,
        "Invalid email address",
    );
    assert_eq!(
        code(&s.gql(ADMIN, invite, json!({"e": VERA})).await),
        "DUPLICATE_EMAIL"
    );
    assert_eq!(s.h.db_generation(), before);
    let d = s.ok(ADMIN, invite, json!({"e": "Guest@Example.com"})).await;
    assert_eq!(d["inviteUser"]["email"], "guest@example.com");
    assert_eq!(d["inviteUser"]["role"], "USER");
    let token = d["inviteUser"]["token"].as_str().unwrap().to_string();
    assert_eq!(
        code(
            &s.gql(ADMIN, invite, json!({"e": "guest@example.com"}))
                .await
        ),
        "USER_ALREADY_INVITED"
    );
    let signup = "mutation($t: String) { createUser(email: \"guest@example.com\", password: \"pw-guest\", inviteToken: $t) { user { username roleBindings { role } } } }";
    let b = s.raw(None, signup, json!({"t": token})).await;
    assert_eq!(
        b["data"]["createUser"]["user"]["roleBindings"],
        json!([]),
        "{b}"
    );
    assert_eq!(
        list_len(&s.ok(ADMIN, invites, json!({})).await, "invites"),
        2
    );
    s.h.shutdown().await;
}

#[tokio::test]
async fn system_roles_users_and_mail_flows() {
    let s = seeded().await;
    let vera = s.user_id(VERA).await;
    let admin = s.user_id(ADMIN).await;
    let linus = s.user_id(LINUS).await;
    let dp = s.workspace_id("Data Platform").await;
    let key = s.workspace_key(&dp, "WORKSPACE_ADMIN").await;
    let create = "mutation($u: ID!, $r: Role!) { createSystemRoleBinding(userId: $u, role: $r) { role user { username } } }";
    let delete =
        "mutation($u: ID!, $r: Role!) { deleteSystemRoleBinding(userId: $u, role: $r) { role } }";

    let before = s.h.db_generation();
    let vars = json!({"u": vera, "r": "SYSTEM_VIEWER"});
    assert_forbidden(
        &s.gql(SAM, create, vars.clone()).await,
        "createSystemRoleBinding",
    );
    assert_forbidden(
        &s.raw(Some(&key), create, vars.clone()).await,
        "createSystemRoleBinding",
    );
    assert_bad_input(
        &s.gql(ADMIN, create, json!({"u": vera, "r": "WORKSPACE_ADMIN"}))
            .await,
        "Invalid role",
    );
    assert_eq!(
        code(
            &s.gql(ADMIN, create, json!({"u": "nope", "r": "SYSTEM_VIEWER"}))
                .await
        ),
        "RESOURCE_NOT_FOUND"
    );
    assert_bad_input(
        &s.gql(ADMIN, create, json!({"u": admin, "r": "SYSTEM_ADMIN"}))
            .await,
        "A duplicate role binding already exists",
    );
    assert_bad_input(
        &s.gql(ADMIN, delete, vars.clone()).await,
        "The role binding does not exist for this user",
    );
    // The last system admin keeps the role, and stays.
    let last = s
        .gql(ADMIN, delete, json!({"u": admin, "r": "SYSTEM_ADMIN"}))
        .await;
    assert_eq!(code(&last), "INTERNAL_SERVER_ERROR");
    assert!(message(&last).starts_with("There are no other system administrators"));
    let remove = "mutation($u: Uuid!) { removeUser(userUuid: $u) { username } }";
    assert_eq!(
        code(&s.gql(ADMIN, remove, json!({"u": admin})).await),
        "INTERNAL_SERVER_ERROR"
    );
    assert_eq!(s.h.db_generation(), before);

    let d = s.ok(ADMIN, create, vars.clone()).await;
    assert_eq!(
        d["createSystemRoleBinding"],
        json!({"role": "SYSTEM_VIEWER", "user": {"username": "vera"}})
    );
    assert_eq!(
        list_len(
            &s.ok(VERA, "{ workspaces { id } }", json!({})).await,
            "workspaces"
        ),
        4
    );
    s.ok(ADMIN, delete, vars).await;
    assert_eq!(
        list_len(
            &s.ok(VERA, "{ workspaces { id } }", json!({})).await,
            "workspaces"
        ),
        2
    );

    assert_forbidden(
        &s.gql(GRACE, remove, json!({"u": linus})).await,
        "removeUser",
    );
    assert_eq!(
        code(&s.gql(ADMIN, remove, json!({"u": "nope"})).await),
        "RESOURCE_NOT_FOUND"
    );
    let linus_token = s.token(LINUS);
    let d = s.ok(ADMIN, remove, json!({"u": linus})).await;
    assert_eq!(d["removeUser"]["username"], "linus");
    assert_forbidden(
        &s.raw(Some(&linus_token), "{ workspaces { id } }", json!({}))
            .await,
        "workspaces",
    );

    let verify = "mutation($e: String!) { verifyEmail(email: $e) }";
    assert_eq!(
        s.ok(ADMIN, verify, json!({"e": VERA})).await["verifyEmail"],
        true
    );
    assert_eq!(
        code(
            &s.gql(ADMIN, verify, json!({"e": "nobody@example.com"}))
                .await
        ),
        "RESOURCE_NOT_FOUND"
    );
    assert_forbidden(&s.gql(SAM, verify, json!({"e": VERA})).await, "verifyEmail");

    // Public mail flows: nothing to send, nothing revealed.
    let b = s.raw(None, "mutation { forgotPassword(email: \"nobody@example.com\") resendConfirmation(email: \"vera@astrodash.local\") }", json!({})).await;
    assert_eq!(
        b["data"],
        json!({"forgotPassword": true, "resendConfirmation": true})
    );
    assert_bad_input(
        &s.raw(
            None,
            "mutation { forgotPassword(email: \"nope\") }",
            json!({}),
        )
        .await,
        "Invalid email address",
    );
    let b = s
        .raw(
            None,
            "mutation { confirmEmail(token: \"t\") { token { value } } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&b), "RESOURCE_NOT_FOUND");
    let b = s
        .raw(
            None,
            "mutation { resetPassword(token: \"t\", password: \"p\") { token { value } } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&b), "RESOURCE_NOT_FOUND");
    s.h.shutdown().await;
}

#[tokio::test]
async fn release_catalogues_and_update_check() {
    let s = seeded().await;
    let all = s
        .ok(
            VERA,
            "{ airflowReleases { tag version channel releaseDate } }",
            json!({}),
        )
        .await;
    assert_eq!(list_len(&all, "airflowReleases"), 4);
    assert!(
        all["airflowReleases"][0]["releaseDate"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    let one =
        "query($w: AirflowReleaseWhereUniqueInput!) { airflowRelease(where: $w) { tag version } }";
    assert_eq!(
        s.ok(VERA, one, json!({"w": {"tag": "2.9.2"}})).await["airflowRelease"]["version"],
        "2.9.2"
    );
    assert_eq!(
        s.ok(VERA, one, json!({"w": {"id": "9.9.9"}})).await["airflowRelease"],
        Value::Null
    );
    assert_bad_input(
        &s.gql(VERA, one, json!({"w": {}})).await,
        "A required argument was not sent",
    );
    assert_forbidden(
        &s.raw(None, "{ airflowReleases { tag } }", json!({})).await,
        "airflowReleases",
    );
    let update = "{ updateAvailable { version level releaseDate } }";
    assert_eq!(
        s.ok(SAM, update, json!({})).await["updateAvailable"],
        Value::Null
    );
    assert_forbidden(&s.gql(VERA, update, json!({})).await, "updateAvailable");
    s.h.shutdown().await;
    let old = seeded_at("0.23.0").await;
    assert_eq!(
        old.ok(SAM, update, json!({})).await["updateAvailable"]["version"],
        "0.35.0"
    );
    old.h.shutdown().await;
}
