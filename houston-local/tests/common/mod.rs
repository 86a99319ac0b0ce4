//! Shared helpers for the HTTP and websocket tests: start a seeded server on an ephemeral
//! port, send GraphQL requests, pick seeded ids, assert error shapes.
#![allow(dead_code)]

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
