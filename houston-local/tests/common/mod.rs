//! Shared helpers for the HTTP and websocket tests: start a seeded server on an ephemeral
//! port, send GraphQL requests, pick seeded ids, assert error shapes.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod airflow;
pub mod clusters;
pub mod teams;
pub mod ws;

use houston_local::{Config, Handle, Seed};
use serde_json::{Value, json};

pub const ADMIN: &str = "admin@astrodash.local";
pub const GRACE: &str = "grace@astrodash.local"; // WORKSPACE_ADMIN of Data Platform, ML Research
pub const LINUS: &str = "linus@astrodash.local"; // WORKSPACE_EDITOR of Data Platform, Marketing
pub const VERA: &str = "vera@astrodash.local"; // WORKSPACE_VIEWER of Data Platform, Marketing
pub const DAN: &str = "dan@astrodash.local"; // DEPLOYMENT_EDITOR on Campaign Attribution
pub const SAM: &str = "sam@astrodash.local"; // SYSTEM_VIEWER

pub struct Srv {
    pub h: Handle,
    pub http: reqwest::Client,
}

pub fn test_config() -> Config {
    Config {
        seed: Some(Seed::Demo),
        deploying_secs: 1,
        log_interval_ms: 0,
        ..Config::default()
    }
}

pub async fn seeded() -> Srv {
    start_with(test_config()).await
}

pub async fn start_with(cfg: Config) -> Srv {
    let h = houston_local::start(cfg).await.expect("server starts");
    Srv {
        h,
        http: reqwest::Client::new(),
    }
}

impl Srv {
    pub fn token(&self, email: &str) -> String {
        self.h.issue_token(email).expect("token")
    }

    /// POST a document; returns the whole response body.
    pub async fn raw(&self, auth: Option<&str>, query: &str, vars: Value) -> Value {
        let mut req = self
            .http
            .post(self.h.url())
            .json(&json!({"query": query, "variables": vars}));
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let resp = req.send().await.expect("request");
        // 200, or 400 for documents that fail validation (Apollo Server 2 behaviour).
        assert!(
            resp.status() == 200 || resp.status() == 400,
            "HTTP {}",
            resp.status()
        );
        resp.json().await.expect("json body")
    }

    /// As `email`; returns the body.
    pub async fn gql(&self, email: &str, query: &str, vars: Value) -> Value {
        let t = self.token(email);
        self.raw(Some(&t), query, vars).await
    }

    /// As `email`; asserts no errors and returns `data`.
    pub async fn ok(&self, email: &str, query: &str, vars: Value) -> Value {
        let body = self.gql(email, query, vars).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    pub async fn workspace_id(&self, label: &str) -> String {
        let d = self
            .ok(ADMIN, "{ workspaces { id label } }", json!({}))
            .await;
        d["workspaces"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["label"] == label)
            .unwrap_or_else(|| panic!("workspace {label}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// (id, releaseName) of a seeded deployment by label.
    pub async fn deployment(&self, label: &str) -> (String, String) {
        let d = self
            .ok(ADMIN, "{ deployments { id label releaseName } }", json!({}))
            .await;
        let x = d["deployments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["label"] == label)
            .unwrap_or_else(|| panic!("deployment {label}"))
            .clone();
        (
            x["id"].as_str().unwrap().to_string(),
            x["releaseName"].as_str().unwrap().to_string(),
        )
    }
}

pub fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

pub fn message(body: &Value) -> &str {
    body["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no error in {body}"))
}

pub fn assert_forbidden(body: &Value, field: &str) {
    assert_eq!(
        message(body),
        "You do not have the appropriate permissions for that",
        "{body}"
    );
    assert_eq!(code(body), "FORBIDDEN", "{body}");
    assert!(
        body["data"].is_null() || body["data"][field].is_null(),
        "data must be null: {body}"
    );
}

pub fn assert_bad_input(body: &Value, contains: &str) {
    assert!(
        message(body).contains(contains),
        "expected error containing {contains:?}: {body}"
    );
    assert_eq!(code(body), "BAD_USER_INPUT", "{body}");
}

/// A seeded server reporting Houston `version` (e.g. "0.23.0").
pub async fn seeded_at(version: &str) -> Srv {
    let mut cfg = test_config();
    cfg.houston_version = version.parse().expect("a valid Houston version");
    // The astro CLI's `log` subscription must see a line soon (computed on demand: free).
    cfg.log_interval_ms = 200;
    start_with(cfg).await
}

/// The body of a request refused before execution: HTTP 400 GRAPHQL_VALIDATION_FAILED.
pub async fn refused(s: &Srv, email: &str, query: &str, vars: Value) -> Value {
    let resp = s
        .http
        .post(s.h.url())
        .header("Authorization", s.token(email))
        .json(&json!({"query": query, "variables": vars}))
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), 400, "{query}");
    let body: Value = resp.json().await.expect("json body");
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    body
}

impl Srv {
    /// A seeded user's id.
    pub async fn user_id(&self, email: &str) -> String {
        let d = self
            .ok(
                ADMIN,
                "query($e: String) { users(user: {email: $e}) { id } }",
                json!({"e": email}),
            )
            .await;
        d["users"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("user {email}"))
            .to_string()
    }

    /// A seeded team's id (teams exist from Houston 0.28 on).
    pub async fn team_id(&self, name: &str) -> String {
        let d = self
            .ok(ADMIN, "{ paginatedTeams { teams { id name } } }", json!({}))
            .await;
        d["paginatedTeams"]["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("team {name}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A seeded service account's id, by label.
    pub async fn sa_id(&self, label: &str) -> String {
        let d = self
            .ok(
                ADMIN,
                "{ workspaces { serviceAccounts { id label } deployments { serviceAccounts { id label } } } }",
                json!({}),
            )
            .await;
        let mut all = Vec::new();
        for w in d["workspaces"].as_array().unwrap() {
            all.extend(w["serviceAccounts"].as_array().unwrap().iter().cloned());
            for dep in w["deployments"].as_array().unwrap() {
                all.extend(dep["serviceAccounts"].as_array().unwrap().iter().cloned());
            }
        }
        all.iter()
            .find(|s| s["label"] == label)
            .unwrap_or_else(|| panic!("service account {label}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Create a service account and return its clear-text key.
    pub async fn workspace_key(&self, workspace: &str, role: &str) -> String {
        let d = self
            .ok(
                ADMIN,
                "mutation($w: Uuid!, $r: Role!) { createWorkspaceServiceAccount(label: \"test key\", workspaceUuid: $w, role: $r) { apiKey } }",
                json!({"w": workspace, "r": role}),
            )
            .await;
        d["createWorkspaceServiceAccount"]["apiKey"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Run a subscription over the legacy protocol and return the first `data` payload
    /// (or the `error` payload), waiting at most 5 s.
    pub async fn first_event(&self, token: &str, doc: &str, vars: &Value) -> Value {
        use futures_util::{SinkExt, StreamExt};
        use tokio_tungstenite::tungstenite::Message;
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut req = self.h.ws_url().into_client_request().unwrap();
        req.headers_mut()
            .insert("Sec-WebSocket-Protocol", "graphql-ws".parse().unwrap());
        let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
        let init = json!({"type": "connection_init", "payload": {"authorization": token}});
        let start =
            json!({"type": "start", "id": "1", "payload": {"query": doc, "variables": vars}});
        ws.send(Message::text(init.to_string())).await.unwrap();
        ws.send(Message::text(start.to_string())).await.unwrap();
        loop {
            let m = tokio::time::timeout(std::time::Duration::from_secs(5), ws.next())
                .await
                .expect("an event within 5 s")
                .unwrap()
                .unwrap();
            let Message::Text(t) = m else { continue };
            let f: Value = serde_json::from_str(&t).unwrap();
            match f["type"].as_str() {
                Some("data") | Some("error") => return f,
                _ => continue,
            }
        }
    }
}
