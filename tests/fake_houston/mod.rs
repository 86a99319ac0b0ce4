//! A fake Houston for client tests: it validates every document against a schema (the real
//! one's rules, in Apollo's words and status codes) and answers valid ones from canned data,
//! projected onto the selection like a real server does. Give it the 0.23 schema and it
//! refuses `namespace`, `roleBinding` … as a 0.23 Houston would.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod validate;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use graphql_parser::query::{Selection, SelectionSet};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use validate::Schema;

/// A schema file of the repo: Houston 0.23's or 0.35's (tests/fixtures), or schema.graphql
/// (houston-local's, every version's fields up to 2.1).
pub fn sdl(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

pub fn sdl_0_23() -> String {
    sdl("tests/fixtures/houston_0_23.graphql")
}

pub fn sdl_0_35() -> String {
    sdl("tests/fixtures/houston_0_35.graphql")
}

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub operation_name: Option<String>,
    pub query: String,
    pub variables: Value,
    pub authorization: Option<String>,
}

/// How the fake behaves.
pub struct Setup {
    pub sdl: String,
    /// `appConfig.version`; `None` answers `null`.
    pub version: Option<String>,
    /// Root field → the full stored value (selection projects it).
    pub data: HashMap<String, Value>,
    /// Operation name → canned `(status, body)`, sent without validation.
    pub canned: HashMap<String, (u16, String)>,
    /// Root fields answered FORBIDDEN when no token comes (appConfig, authConfig are public).
    pub require_token: bool,
}

impl Setup {
    pub fn new(sdl: String, version: Option<&str>) -> Setup {
        Setup {
            sdl,
            version: version.map(str::to_string),
            data: demo_data(),
            canned: HashMap::new(),
            require_token: true,
        }
    }
}

pub struct FakeHouston {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl Drop for FakeHouston {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeHouston {
    pub async fn start(setup: Setup) -> FakeHouston {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/v1", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mut data = setup.data.clone();
        data.insert(
            "appConfig".into(),
            json!({"version": setup.version, "baseDomain": "houston.example.com"}),
        );
        let state = Arc::new(State {
            schema: Schema::parse(&setup.sdl),
            data,
            canned: setup.canned,
            require_token: setup.require_token,
            seen: seen.clone(),
        });
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let state = state.clone();
                tokio::spawn(async move { serve(socket, &state).await });
            }
        });
        FakeHouston { url, seen, task }
    }

    /// Operation names of the requests so far, in order.
    pub fn operations(&self) -> Vec<String> {
        self.seen()
            .into_iter()
            .map(|s| s.operation_name.unwrap_or_default())
            .collect()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn forget(&self) {
        self.seen.lock().unwrap().clear();
    }
}

struct State {
    schema: Schema,
    data: HashMap<String, Value>,
    canned: HashMap<String, (u16, String)>,
    require_token: bool,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// One request per connection (`Connection: close`).
async fn serve(mut socket: TcpStream, state: &State) {
    let Some((head, body)) = read_request(&mut socket).await else {
        return;
    };
    let authorization = head.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("authorization")
            .then(|| v.trim().to_string())
    });
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let seen = Seen {
        operation_name: request["operationName"].as_str().map(str::to_string),
        query: request["query"].as_str().unwrap_or_default().to_string(),
        variables: request["variables"].clone(),
        authorization,
    };
    state.seen.lock().unwrap().push(seen.clone());
    let (status, reply) = answer(state, &seen);
    let text = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
        reply.len()
    );
    let _ = socket.write_all(text.as_bytes()).await;
    let _ = socket.shutdown().await;
}

async fn read_request(socket: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let (head, body_start) = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break (String::from_utf8_lossy(&buf[..pos]).to_string(), pos + 4);
        }
    };
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < body_start + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some((head, buf[body_start..].to_vec()))
}

/// Apollo's answers: 400 for a document that does not parse or validate, else 200 with data
/// (or FORBIDDEN for a protected field without a token).
fn answer(state: &State, seen: &Seen) -> (u16, String) {
    if let Some((status, body)) = seen
        .operation_name
        .as_ref()
        .and_then(|name| state.canned.get(name))
    {
        return (*status, body.clone());
    }
    let doc = match validate::parse(&seen.query) {
        Ok(doc) => doc,
        Err(e) => return (400, errors_body(&[e], "GRAPHQL_PARSE_FAILED")),
    };
    let errors = validate::validate(&state.schema, &seen.query);
    if !errors.is_empty() {
        return (400, errors_body(&errors, "GRAPHQL_VALIDATION_FAILED"));
    }
    let ops = validate::operations(&doc);
    let Some(op) = ops
        .iter()
        .find(|op| op.name == seen.operation_name || ops.len() == 1)
    else {
        return (
            400,
            errors_body(&["Unknown operation".into()], "BAD_USER_INPUT"),
        );
    };
    let mut data = serde_json::Map::new();
    let mut errors = Vec::new();
    for item in &op.selection.items {
        let Selection::Field(field) = item else {
            continue;
        };
        let key = field.alias.clone().unwrap_or_else(|| field.name.clone());
        let public = matches!(
            field.name.as_str(),
            "appConfig" | "authConfig" | "createToken"
        );
        if state.require_token && seen.authorization.is_none() && !public {
            data.insert(key.clone(), Value::Null);
            errors.push(json!({
                "message": "You do not have the appropriate permissions for that",
                "path": [key],
                "extensions": {"code": "FORBIDDEN"},
            }));
            continue;
        }
        let stored = state.data.get(&field.name).unwrap_or(&Value::Null);
        data.insert(key, project(stored, &field.selection_set));
    }
    let mut reply = json!({ "data": data });
    if !errors.is_empty() {
        reply["errors"] = Value::Array(errors);
    }
    (200, reply.to_string())
}

fn errors_body(messages: &[String], code: &str) -> String {
    let errors: Vec<Value> = messages
        .iter()
        .map(|m| json!({"message": m, "locations": [{"line": 1, "column": 1}], "extensions": {"code": code}}))
        .collect();
    json!({ "errors": errors }).to_string()
}

/// Only the selected fields, as a server answers.
fn project(value: &Value, selection: &SelectionSet<'static, String>) -> Value {
    if selection.items.is_empty() {
        return value.clone();
    }
    match value {
        Value::Array(items) => Value::Array(items.iter().map(|v| project(v, selection)).collect()),
        Value::Object(object) => {
            let mut out = serde_json::Map::new();
            for item in &selection.items {
                let Selection::Field(field) = item else {
                    continue;
                };
                let key = field.alias.clone().unwrap_or_else(|| field.name.clone());
                let inner = object.get(&field.name).unwrap_or(&Value::Null);
                out.insert(key, project(inner, &field.selection_set));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

pub const ME_ID: &str = "u-ada";
pub const WORKSPACE_ID: &str = "ws-1";
pub const DEPLOYMENT_ID: &str = "dep-1";
pub const RELEASE: &str = "celestial-orbit-1234";

/// A small installation: one workspace, one deployment, one service account of each kind.
/// Stored with every field either Houston version could serve; the schema decides what a
/// document may select.
pub fn demo_data() -> HashMap<String, Value> {
    let deployment = json!({
        "id": DEPLOYMENT_ID,
        "label": "Core ETL",
        "description": "nightly loads",
        "releaseName": RELEASE,
        "namespace": "astronomer-celestial-orbit-1234",
        "executor": "CeleryExecutor",
        "status": "HEALTHY",
        "airflowVersion": "2.4.1",
        "desiredAirflowVersion": "2.4.1",
        "version": "1.5.0",
        "deployInfo": {"current": "deploy-3"},
        "urls": [{"type": "airflow", "url": "https://deployments.example.com/celestial-orbit-1234/airflow"}],
        "config": {"scheduler": {"resources": {"limits": {"cpu": 500, "memory": 1920}}}},
        "properties": {"extra_au": 5},
        "workspace": {"id": WORKSPACE_ID, "label": "Data Platform"},
        "deploymentCapabilities": {
            "canUpdateDeployment": true, "canDeleteDeployment": true, "canUpdateVariables": true,
            "canCreateServiceAccount": true, "canUpdateUserRole": true
        },
        "createdAt": "2026-10-01T10:00:00.000Z",
        "updatedAt": "2026-11-20T10:00:00.000Z",
    });
    let workspace = json!({
        "id": WORKSPACE_ID,
        "label": "Data Platform",
        "description": "the team",
        "createdAt": "2026-09-01T10:00:00.000Z",
        "updatedAt": "2026-11-01T10:00:00.000Z",
        "deployments": [{"id": DEPLOYMENT_ID}],
        "roleBindings": [{"role": "WORKSPACE_ADMIN", "user": {"id": ME_ID}}],
        "workspaceCapabilities": {
            "canUpdateWorkspace": true, "canDeleteWorkspace": true, "canCreateDeployment": true,
            "canUpdateIAM": true, "canInviteUser": true, "canCreateServiceAccount": true
        },
    });
    let service_account = |id: &str, label: &str, role: &str| {
        json!({
            "id": id, "label": label, "category": "ci", "active": true,
            "lastUsedAt": null, "createdAt": "2026-10-05T10:00:00.000Z",
            "roleBinding": {"role": role},
            "roleBindings": [{"role": role}],
        })
    };
    let user = json!({
        "id": ME_ID,
        "username": "ada",
        "fullName": "Ada Lovelace",
        "status": "active",
        "emails": [{"address": "ada@example.com", "primary": true}],
        "roleBindings": [
            {"role": "WORKSPACE_ADMIN", "workspace": {"id": WORKSPACE_ID}},
            {"role": "DEPLOYMENT_ADMIN", "deployment": {"id": DEPLOYMENT_ID}},
        ],
    });
    HashMap::from([
        (
            "authConfig".to_string(),
            json!({"localEnabled": true, "publicSignup": false, "initialSignup": false,
                   "providers": [{"name": "google", "displayName": "Google", "url": "https://x"}]}),
        ),
        (
            "self".to_string(),
            json!({"user": user, "authUserCapabilities": {"canSysAdmin": true}}),
        ),
        ("workspaces".to_string(), json!([workspace])),
        ("workspace".to_string(), workspace),
        ("workspaceDeployments".to_string(), json!([deployment])),
        ("deployments".to_string(), json!([deployment])),
        ("paginatedDeployments".to_string(), json!([deployment])),
        ("deployment".to_string(), deployment),
        ("workspaceUsers".to_string(), json!([user])),
        ("deploymentUsers".to_string(), json!([user])),
        (
            "workspaceInvites".to_string(),
            json!([{"id": "inv-1", "email": "bob@example.com", "role": "WORKSPACE_VIEWER",
                    "createdAt": "2026-11-02T10:00:00.000Z"}]),
        ),
        (
            "workspaceServiceAccounts".to_string(),
            json!([service_account("sa-ws", "ci-bot", "WORKSPACE_EDITOR")]),
        ),
        (
            "deploymentServiceAccounts".to_string(),
            json!([service_account("sa-dep", "deployer", "DEPLOYMENT_ADMIN")]),
        ),
        (
            "deploymentVariables".to_string(),
            json!([{"key": "ENV", "value": "prod", "isSecret": false}]),
        ),
        (
            "logs".to_string(),
            json!([{"id": "log-1", "timestamp": "2026-11-27T03:00:00.000Z",
                    "component": "scheduler", "level": "INFO", "message": "Scheduler heartbeat"}]),
        ),
    ])
}
