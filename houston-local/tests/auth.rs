//! Transport, public operations, login, tokens, API keys.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use houston_local::Config;
use serde_json::json;

#[tokio::test]
async fn healthz_and_public_config() {
    let s = seeded().await;
    let r = s
        .http
        .get(format!("{}/healthz", s.h.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "{}");

    let body = s
        .raw(
            None,
            "{ appConfig { version baseDomain featureFlags } authConfig { localEnabled publicSignup initialSignup providers { name } } }",
            json!(null),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["appConfig"]["version"], "0.35.0");
    assert_eq!(body["data"]["appConfig"]["baseDomain"], "astrodash.local");
    assert_eq!(body["data"]["authConfig"]["localEnabled"], true);
    assert_eq!(body["data"]["authConfig"]["publicSignup"], false);
    assert_eq!(body["data"]["authConfig"]["initialSignup"], false);
}

#[tokio::test]
async fn missing_garbage_and_expired_credentials_are_forbidden() {
    let s = seeded().await;
    let q = "{ workspaces { id } }";
    assert_forbidden(&s.raw(None, q, json!({})).await, "workspaces");
    assert_forbidden(
        &s.raw(Some("not-a-token"), q, json!({})).await,
        "workspaces",
    );
    assert_forbidden(
        &s.raw(Some("Bearer a.b.c"), q, json!({})).await,
        "workspaces",
    );
    // A correctly signed but expired token.
    let good = s.token(ADMIN);
    let me = s
        .raw(Some(&good), "{ self { user { id } } }", json!({}))
        .await;
    let uid = me["data"]["self"]["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let now = chrono::Utc::now().timestamp();
    let expired = s.h.sign_claims(&houston_local::auth::Claims {
        uuid: uid.clone(),
        iat: now - 100_000,
        exp: now - 10,
    });
    assert_forbidden(&s.raw(Some(&expired), q, json!({})).await, "workspaces");
    // Same claims, valid expiry → accepted, raw and with Bearer.
    let valid = s.h.sign_claims(&houston_local::auth::Claims {
        uuid: uid,
        iat: now,
        exp: now + 60,
    });
    for auth in [valid.clone(), format!("Bearer {valid}")] {
        let b = s.raw(Some(&auth), q, json!({})).await;
        assert!(b.get("errors").is_none(), "{b}");
        assert_eq!(b["data"]["workspaces"].as_array().unwrap().len(), 4);
    }
}

#[tokio::test]
async fn create_token_with_seeded_admin() {
    let s = seeded().await;
    let (email, password) = s.h.seeded_admin().expect("seeded admin");
    let q = "mutation($identity: String, $password: String!) { createToken(identity: $identity, password: $password) { user { id username fullName } token { value payload { uuid iat exp } } } }";
    let b = s
        .raw(None, q, json!({"identity": email, "password": password}))
        .await;
    assert!(b.get("errors").is_none(), "{b}");
    let t = &b["data"]["createToken"]["token"];
    assert_eq!(b["data"]["createToken"]["user"]["fullName"], "Ada Admin");
    let p = &t["payload"];
    assert_eq!(
        p["exp"].as_i64().unwrap() - p["iat"].as_i64().unwrap(),
        86_400
    );
    let tok = t["value"].as_str().unwrap();
    let me = s
        .raw(
            Some(tok),
            "{ self { user { emails { address } } authUserCapabilities { canSysAdmin } } }",
            json!({}),
        )
        .await;
    assert_eq!(me["data"]["self"]["user"]["emails"][0]["address"], ADMIN);
    assert_eq!(
        me["data"]["self"]["authUserCapabilities"]["canSysAdmin"],
        true
    );
    // username works as identity too
    let b = s
        .raw(None, q, json!({"identity": "admin", "password": password}))
        .await;
    assert!(b.get("errors").is_none(), "{b}");

    let bad = s
        .raw(None, q, json!({"identity": email, "password": "wrong"}))
        .await;
    assert_eq!(message(&bad), "Invalid password and username combination");
    assert!(bad["data"]["createToken"].is_null());
    let unknown = s
        .raw(None, q, json!({"identity": "nobody@x.io", "password": "x"}))
        .await;
    assert_eq!(message(&unknown), "The requested resource was not found");
    assert_eq!(code(&unknown), "RESOURCE_NOT_FOUND");
    let nopw = s
        .raw(None, q, json!({"identity": VERA, "password": "x"}))
        .await;
    assert_eq!(message(&nopw), "No password credentials found");
    assert_eq!(code(&nopw), "UNAUTHENTICATED");
}

#[tokio::test]
async fn self_mints_fresh_token_and_reports_capabilities() {
    let s = seeded().await;
    let d = s
        .ok(
            VERA,
            "{ self { user { fullName roleBindings { role workspace { label } } } token { value } isAdmin authUserCapabilities { canSysAdmin } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["self"]["user"]["fullName"], "Vera Viewer");
    assert_eq!(d["self"]["authUserCapabilities"]["canSysAdmin"], false);
    assert_eq!(d["self"]["isAdmin"], false);
    let fresh = d["self"]["token"]["value"].as_str().unwrap();
    let b = s
        .raw(Some(fresh), "{ self { user { fullName } } }", json!({}))
        .await;
    assert_eq!(b["data"]["self"]["user"]["fullName"], "Vera Viewer");
}

#[tokio::test]
async fn create_user_first_is_admin_then_invite_only() {
    let s = start_with(Config {
        log_interval_ms: 0,
        ..Config::default()
    })
    .await;
    assert!(s.h.seeded_admin().is_none());
    let ac = s
        .raw(None, "{ authConfig { initialSignup } }", json!({}))
        .await;
    assert_eq!(ac["data"]["authConfig"]["initialSignup"], true);
    let q = "mutation($email: String!, $password: String!, $inviteToken: String) { createUser(email: $email, password: $password, inviteToken: $inviteToken, profile: {fullName: \"First One\"}) { user { id username fullName roleBindings { role } } token { value } } }";
    let b = s
        .raw(
            None,
            q,
            json!({"email": "First@Example.com", "password": "pw1"}),
        )
        .await;
    assert!(b.get("errors").is_none(), "{b}");
    let u = &b["data"]["createUser"]["user"];
    assert_eq!(u["username"], "first@example.com");
    assert_eq!(u["roleBindings"][0]["role"], "SYSTEM_ADMIN");
    let admin = b["data"]["createUser"]["token"]["value"]
        .as_str()
        .unwrap()
        .to_string();

    // Second sign-up without invite is refused and creates nothing.
    let b = s
        .raw(
            None,
            q,
            json!({"email": "second@example.com", "password": "pw2"}),
        )
        .await;
    assert_eq!(code(&b), "PUBLIC_SIGNUPS_DISABLED");
    assert!(message(&b).starts_with("Public sign ups are disabled"));
    let users = s.raw(Some(&admin), "{ users { id } }", json!({})).await;
    assert_eq!(users["data"]["users"].as_array().unwrap().len(), 1);

    // Invite through a workspace, then sign up with the token.
    let ws = s
        .raw(
            Some(&admin),
            "mutation { createWorkspace(label: \"Team\") { id } }",
            json!({}),
        )
        .await["data"]["createWorkspace"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let add = s
        .raw(
            Some(&admin),
            "mutation($w: Uuid!) { workspaceAddUser(workspaceUuid: $w, email: \"second@example.com\", role: WORKSPACE_EDITOR) { invites { token email role } } }",
            json!({"w": ws}),
        )
        .await;
    let token = add["data"]["workspaceAddUser"]["invites"][0]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let wrong = s
        .raw(
            None,
            q,
            json!({"email": "third@example.com", "password": "pw", "inviteToken": token}),
        )
        .await;
    assert_eq!(code(&wrong), "INVITE_EMAIL_NOT_MATCH");
    let nf = s
        .raw(
            None,
            q,
            json!({"email": "second@example.com", "password": "pw", "inviteToken": "nope"}),
        )
        .await;
    assert_bad_input(&nf, "Invite token not found");
    let ok = s
        .raw(
            None,
            q,
            json!({"email": "second@example.com", "password": "pw2", "inviteToken": token}),
        )
        .await;
    assert!(ok.get("errors").is_none(), "{ok}");
    assert_eq!(
        ok["data"]["createUser"]["user"]["roleBindings"][0]["role"],
        "WORKSPACE_EDITOR"
    );
    let dup = s
        .raw(
            None,
            q,
            json!({"email": "first@example.com", "password": "pw", "inviteToken": token}),
        )
        .await;
    assert!(dup.get("errors").is_some());
    // A used invite cannot be reused, not even by the address it was sent to.
    let reuse = s
        .raw(
            None,
            q,
            json!({"email": "second@example.com", "password": "pw3", "inviteToken": token}),
        )
        .await;
    assert_bad_input(&reuse, "Invite token not found");
    // The invite was consumed.
    let inv = s
        .raw(
            Some(&admin),
            "query($w: Uuid!) { workspaceInvites(workspaceUuid: $w) { id } }",
            json!({"w": ws}),
        )
        .await;
    assert_eq!(inv["data"]["workspaceInvites"].as_array().unwrap().len(), 0);
    s.h.shutdown().await;
}

#[tokio::test]
async fn api_key_auth_updates_last_used() {
    let s = seeded().await;
    let ws = s.workspace_id("Data Platform").await;
    let created = s
        .ok(
            GRACE,
            "mutation($w: Uuid!) { createWorkspaceServiceAccount(label: \"robot\", workspaceUuid: $w, role: WORKSPACE_VIEWER) { id apiKey lastUsedAt } }",
            json!({"w": ws}),
        )
        .await;
    let sa = &created["createWorkspaceServiceAccount"];
    assert!(sa["lastUsedAt"].is_null());
    let key = sa["apiKey"].as_str().unwrap().to_string();
    assert_eq!(key.len(), 32);
    assert!(key.chars().all(|c| c.is_ascii_hexdigit()));

    // The key reads its workspace, but not others and cannot write.
    let b = s
        .raw(
            Some(&key),
            "query($w: Uuid!) { workspace(workspaceUuid: $w) { label } self { user { id } } }",
            json!({"w": ws}),
        )
        .await;
    assert!(b.get("errors").is_none(), "{b}");
    assert_eq!(b["data"]["workspace"]["label"], "Data Platform");
    assert!(b["data"]["self"]["user"].is_null());
    let other = s.workspace_id("ML Research").await;
    let b = s
        .raw(
            Some(&format!("Bearer {key}")),
            "query($w: Uuid!) { workspace(workspaceUuid: $w) { label } }",
            json!({"w": other}),
        )
        .await;
    assert_forbidden(&b, "workspace");
    let b = s
        .raw(
            Some(&key),
            "mutation($w: Uuid!) { updateWorkspace(workspaceUuid: $w, payload: {label: \"x\"}) { id } }",
            json!({"w": ws}),
        )
        .await;
    assert_forbidden(&b, "updateWorkspace");

    let list = s
        .ok(
            GRACE,
            "query($w: Uuid!) { workspaceServiceAccounts(workspaceUuid: $w) { label apiKey lastUsedAt } }",
            json!({"w": ws}),
        )
        .await;
    let robot = list["workspaceServiceAccounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["label"] == "robot")
        .unwrap()
        .clone();
    assert!(robot["lastUsedAt"].as_str().unwrap().ends_with('Z'));
    let masked = robot["apiKey"].as_str().unwrap();
    assert_eq!(masked.len(), 32);
    assert_eq!(&masked[..6], &key[..6]);
    assert!(masked[6..].chars().all(|c| c == '*'));

    // Further key requests within a minute neither write lastUsedAt again nor invalidate the
    // response cache (the write generation stays put).
    let generation = s.h.db_generation();
    for _ in 0..3 {
        let b = s
            .raw(
                Some(&key),
                "query($w: Uuid!) { workspace(workspaceUuid: $w) { label } }",
                json!({"w": ws}),
            )
            .await;
        assert!(b.get("errors").is_none(), "{b}");
    }
    assert_eq!(s.h.db_generation(), generation);
    let again = s
        .ok(
            GRACE,
            "query($w: Uuid!) { workspaceServiceAccounts(workspaceUuid: $w) { label lastUsedAt } }",
            json!({"w": ws}),
        )
        .await;
    let robot2 = again["workspaceServiceAccounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["label"] == "robot")
        .unwrap()
        .clone();
    assert_eq!(robot2["lastUsedAt"], robot["lastUsedAt"]);

    // Unknown key of the right shape.
    let b = s
        .raw(
            Some("0123456789abcdef0123456789abcdef"),
            "{ workspaces { id } }",
            json!({}),
        )
        .await;
    assert_forbidden(&b, "workspaces");
}

#[tokio::test]
async fn request_shapes() {
    let s = seeded().await;
    let t = s.token(ADMIN);
    // null variables and operationName select the operation
    let r = s
        .http
        .post(s.h.url())
        .header("Authorization", &t)
        .json(&json!({"query": "query A { appConfig { version } } query B { workspaces { id } }", "variables": null, "operationName": "B"}))
        .send()
        .await
        .unwrap();
    let b: serde_json::Value = r.json().await.unwrap();
    assert_eq!(b["data"]["workspaces"].as_array().unwrap().len(), 4);
    // undeclared variables are ignored
    let b = s
        .raw(
            Some(&t),
            "{ appConfig { version } }",
            json!({"workspaceUuid": ""}),
        )
        .await;
    assert!(b.get("errors").is_none());
    // unknown fields: HTTP 400 with graphql-js wording, like Apollo Server 2
    let r = s
        .http
        .post(s.h.url())
        .header("Authorization", &t)
        .json(&json!({"query": "{ workspaces { id nope } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let b: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        message(&b),
        "Cannot query field \"nope\" on type \"Workspace\"."
    );
    assert_eq!(code(&b), "GRAPHQL_VALIDATION_FAILED");
    let r = s
        .http
        .post(s.h.url())
        .json(&json!({"query": "{ workspaces { "}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // not JSON → 400
    let r = s.http.post(s.h.url()).body("x").send().await.unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let s = seeded().await;
    let url = s.h.url();
    let http = s.http.clone();
    assert!(http.get(format!("{url}/healthz")).send().await.is_ok());
    drop(s);
    // Shutdown is asynchronous: poll (fresh connections) until refused, with a deadline.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let fresh = reqwest::Client::new();
        if fresh.get(format!("{url}/healthz")).send().await.is_err() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "server still answers 10 s after the handle was dropped"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn document_errors_are_classified_by_origin() {
    let s = seeded().await;
    let t = s.token(ADMIN);
    let send = |q: &'static str| {
        let req = s
            .http
            .post(s.h.url())
            .header("Authorization", &t)
            .json(&json!({"query": q}));
        async move {
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    // A syntax error is a parse failure…
    let (st, b) = send("{ workspaces { id }").await;
    assert_eq!(st, 400);
    assert_eq!(code(&b), "GRAPHQL_PARSE_FAILED", "{b}");
    // …a type error whose message says "expected" is a validation failure.
    let (st, b) = send("{ paginatedWorkspaces(take: \"two\") { id } }").await;
    assert_eq!(st, 400);
    assert!(message(&b).contains("expected"), "{b}");
    assert_eq!(code(&b), "GRAPHQL_VALIDATION_FAILED", "{b}");
    let (st, b) = send("{ workspaces { nope } }").await;
    assert_eq!(st, 400);
    assert_eq!(code(&b), "GRAPHQL_VALIDATION_FAILED", "{b}");
    assert!(message(&b).starts_with("Cannot query field"), "{b}");
    s.h.shutdown().await;
}
