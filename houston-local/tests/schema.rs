//! The checked-in SDL matches the server, and every client document validates and runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Map, Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn schema_graphql_is_up_to_date() {
    let path = repo_root().join("schema.graphql");
    let sdl = houston_local::schema_sdl();
    if std::env::var("UPDATE_SCHEMA").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &sdl).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == sdl,
        "schema.graphql differs from the server's SDL. Regenerate it with\n  \
         cargo run -p houston-local --example export_sdl > schema.graphql\n\
         or  UPDATE_SCHEMA=1 cargo test -p houston-local --test schema"
    );
}

/// Every `*.graphql` document in the repo's `queries/` directory and in tests/fixtures.
fn documents() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in [
        repo_root().join("queries"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
    ] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "graphql") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Declared variables: (name, type).
fn variables(doc: &str) -> Vec<(String, String)> {
    let re = regex::Regex::new(r"\$(\w+)\s*:\s*([\w!\[\]]+)").unwrap();
    let mut v: Vec<(String, String)> = re
        .captures_iter(doc)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    v.dedup();
    v
}

fn operations(doc: &str) -> Vec<(String, Option<String>)> {
    let re = regex::Regex::new(r"(?m)^\s*(query|mutation|subscription)\b\s*(\w+)?").unwrap();
    re.captures_iter(doc)
        .map(|c| (c[1].to_string(), c.get(2).map(|m| m.as_str().to_string())))
        .collect()
}

struct Ids {
    workspace: String,
    deployment: String,
    release: String,
    password: String,
    /// The default cluster (Houston 1.0+).
    cluster: Option<String>,
}

/// The first Houston version a client document is sent to (`# since Houston X.Y.Z`); `None`
/// for documents every modelled version gets.
fn since(doc: &str) -> Option<String> {
    doc.lines()
        .find_map(|l| l.strip_prefix("# since Houston "))
        .map(|v| v.trim().to_string())
}

/// The default cluster's id, where the version has clusters.
async fn default_cluster(s: &Srv) -> Option<String> {
    let d = s
        .ok(
            ADMIN,
            "{ paginatedClusters { clusters { id name } } }",
            json!({}),
        )
        .await;
    d["paginatedClusters"]["clusters"][0]["id"]
        .as_str()
        .map(str::to_string)
}

/// Fill variables by the client's naming convention.
fn fill(doc: &str, path: &Path, ids: &Ids) -> Value {
    let mut m = Map::new();
    for (name, ty) in variables(doc) {
        let v = match name.as_str() {
            "workspaceUuid" | "workspaceId" => json!(ids.workspace),
            "deploymentUuid" | "deploymentId" | "id" => json!(ids.deployment),
            "releaseName" => json!(ids.release),
            "clusterId" => json!(
                ids.cluster
                    .as_deref()
                    .expect("a document for 1.0+ runs at 1.0+")
            ),
            "identity" => json!(ADMIN),
            "password" => json!(ids.password),
            _ if !ty.ends_with('!') => continue,
            _ => panic!(
                "{}: cannot fill required variable ${name}: {ty}; name it after the convention \
                 ($workspaceUuid, $deploymentUuid, $releaseName, $id, $deploymentId, $identity, $password) \
                 or extend tests/schema.rs",
                path.display()
            ),
        };
        m.insert(name, v);
    }
    Value::Object(m)
}

/// The client's documents of fields APC 1.0 added: run against houston-local posing as the
/// newest version (the client sends them only to 1.0 and later).
const SINCE_1_0: &[&str] = &["system_workspaces.graphql", "deployment_task_usage.graphql"];

fn since_1_0(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|f| SINCE_1_0.contains(&f.to_string_lossy().as_ref()))
}

#[tokio::test]
async fn every_client_document_runs_without_errors() {
    let docs = documents();
    assert!(docs.len() >= 3, "fixtures missing");
    for path in docs {
        let doc = std::fs::read_to_string(&path).unwrap();
        // A fresh server per document so mutations cannot disturb the next one; a document
        // of a newer Houston runs against that version.
        let mut cfg = test_config();
        cfg.log_interval_ms = 30;
        // The System Admin's 1.0 documents carry no marker: they run at the newest version.
        let since = since(&doc).or_else(|| since_1_0(&path).then(|| "2.1.0".to_string()));
        if let Some(v) = &since {
            cfg.houston_version = v.parse().unwrap();
        }
        let s = start_with(cfg).await;
        let (_, password) = s.h.seeded_admin().unwrap();
        let (deployment, release) = s.deployment("Core ETL").await;
        // Clusters exist from 1.0 (a `# since` of 0.x names an older feature).
        let apc = since.as_deref().is_some_and(|v| !v.starts_with("0."));
        let cluster = match apc {
            true => default_cluster(&s).await,
            false => None,
        };
        let ids = Ids {
            workspace: s.workspace_id("Data Platform").await,
            deployment,
            release,
            password,
            cluster,
        };
        let vars = fill(&doc, &path, &ids);
        let token = s.token(ADMIN);
        for (kind, name) in operations(&doc) {
            if kind == "subscription" {
                run_subscription(&s, &token, &doc, name.as_deref(), &vars, &path).await;
                continue;
            }
            let body = s
                .http
                .post(s.h.url())
                .header("Authorization", &token)
                .json(&json!({"query": doc, "variables": vars, "operationName": name}))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap();
            assert!(
                body.get("errors").is_none(),
                "{} ({name:?}) failed: {body}",
                path.display()
            );
        }
        s.h.shutdown().await;
    }
}

/// The read-only documents the TUI runs, as a WORKSPACE_VIEWER of the workspace: no errors
/// except where a viewer lacks the permission by design (invites need WORKSPACE_ADMIN).
#[tokio::test]
async fn client_queries_work_for_a_workspace_viewer() {
    let s = seeded().await;
    let (deployment, release) = s.deployment("Core ETL").await;
    let ids = Ids {
        workspace: s.workspace_id("Data Platform").await,
        deployment,
        release,
        password: String::new(),
        cluster: None,
    };
    let token = s.token(VERA);
    let mut ran = 0;
    for path in documents() {
        let doc = std::fs::read_to_string(&path).unwrap();
        let ops = operations(&doc);
        // Documents of newer Houstons run at their version in the test above (the APC 1.0
        // System Admin documents are system-level: not for a viewer either).
        if ops.iter().any(|(k, _)| k != "query") || since(&doc).is_some() || since_1_0(&path) {
            continue;
        }
        let vars = fill(&doc, &path, &ids);
        for (_, name) in ops {
            let body = s
                .http
                .post(s.h.url())
                .header("Authorization", &token)
                .json(&json!({"query": doc, "variables": vars, "operationName": name}))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap();
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            // Invites need WORKSPACE_ADMIN; the platform-wide lists `system.deployments.get`
            // (the all-deployments view then reads workspace by workspace); the System Admin
            // panel's lists a system role.
            if file == "workspace_invites.graphql"
                || file.starts_with("all_deployment")
                || file.starts_with("system_")
            {
                assert_eq!(code(&body), "FORBIDDEN", "{file}: {body}");
                continue;
            }
            assert!(body.get("errors").is_none(), "{file} as viewer: {body}");
            ran += 1;
        }
    }
    assert!(ran >= 8, "only {ran} documents ran");
    s.h.shutdown().await;
}

async fn run_subscription(
    s: &Srv,
    token: &str,
    doc: &str,
    name: Option<&str>,
    vars: &Value,
    path: &Path,
) {
    let mut req = s.h.ws_url().into_client_request().unwrap();
    req.headers_mut()
        .insert("Sec-WebSocket-Protocol", "graphql-ws".parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let init = json!({"type": "connection_init", "payload": {"authorization": token}});
    let start = json!({"type": "start", "id": "1", "payload": {"query": doc, "variables": vars, "operationName": name}});
    ws.send(Message::text(init.to_string())).await.unwrap();
    ws.send(Message::text(start.to_string())).await.unwrap();
    loop {
        let m = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .unwrap_or_else(|_| panic!("{}: no data within 5 s", path.display()))
            .unwrap()
            .unwrap();
        let Message::Text(t) = m else { continue };
        let f: Value = serde_json::from_str(&t).unwrap();
        match f["type"].as_str() {
            Some("connection_ack") => continue,
            Some("data") => {
                assert!(
                    f["payload"].get("errors").is_none(),
                    "{}: {f}",
                    path.display()
                );
                break;
            }
            _ => panic!("{}: unexpected frame {f}", path.display()),
        }
    }
}

/// The TUI's documents must not pay for metering (`limits::document::Shape::metered`): their
/// results are bounded by the lists they read.
#[test]
fn client_documents_run_unmetered() {
    let checker = houston_local::limits::document::Checker::new(
        houston_local::limits::Limits::default(),
        &houston_local::schema_sdl(),
    );
    let mut checked = 0;
    for path in documents() {
        let doc = std::fs::read_to_string(&path).unwrap();
        let parsed = async_graphql::parser::parse_query(&doc).unwrap();
        let metered = checker.check(&parsed, None).unwrap().metered;
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        // Introspection is always metered; so is the System Admin panel's user list with each
        // user's teams' bindings (three lists deep: users → teams → roleBindings), read only
        // while a system admin shows that tab. Everything else astrodash or astro-cli sends
        // is not.
        let by_design = ["introspection.graphql", "system_users_v028.graphql"];
        assert_eq!(metered, by_design.contains(&file.as_str()), "{file}");
        checked += 1;
    }
    assert!(checked >= 10);
}
