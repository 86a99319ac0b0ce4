//! The astro CLI's Houston documents (tests/fixtures/astro-cli: each Houston document the CLI
//! sends to a 0.35 server, the variant it picks for 0.35, with the variables it sends,
//! undeclared keys, empty strings and `take: -1` included) against seeded servers:
//! at 0.35 all 58 validate and return data; at older versions the ones needing newer fields
//! are refused like unknown fields and the rest still run. tests/fixtures/astro-cli-apc holds
//! the variants the CLI sends to APC (`name@X.Y.Z`: the CLI's version key); at 0.37 and each
//! APC version the documents its `GreatestLowerBound` picks run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use houston_local::HoustonVersion;
use serde_json::{Map, Value, json};

struct Fixture {
    name: String,
    doc: String,
    /// The first Houston version that has everything the document uses.
    since: HoustonVersion,
    vars: Value,
}

impl Fixture {
    fn is_subscription(&self) -> bool {
        self.doc.trim_start().starts_with("subscription")
    }
    fn root_field(&self) -> String {
        let body = &self.doc[self.doc.find('{').unwrap() + 1..];
        body.trim_start()
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap()
            .to_string()
    }
}

fn fixtures() -> Vec<Fixture> {
    fixtures_in("tests/fixtures/astro-cli")
}

/// What the CLI sends to `version`: each document's variant with the greatest key not above it
/// (the CLI's `GreatestLowerBound`).
fn fixtures_for(version: &str) -> Vec<Fixture> {
    let v: HoustonVersion = version.parse().unwrap();
    let mut variants = fixtures_in("tests/fixtures/astro-cli-apc");
    variants.retain(|f| f.since <= v);
    variants.sort_by_key(|f| f.since);
    let mut all = fixtures();
    for variant in variants {
        let (name, _) = variant.name.split_once('@').unwrap();
        let name = name.to_string();
        let slot = all.iter_mut().find(|f| f.name == name).unwrap();
        *slot = Fixture { name, ..variant };
    }
    all
}

fn fixtures_in(dir: &str) -> Vec<Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let header = |key: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(&format!("# {key}: ")))
                    .unwrap_or_else(|| panic!("{}: no `# {key}:` line", p.display()))
                    .to_string()
            };
            Fixture {
                name: p.file_stem().unwrap().to_string_lossy().into_owned(),
                since: header("since").parse().unwrap(),
                vars: serde_json::from_str(&header("variables")).unwrap(),
                doc: text
                    .lines()
                    .filter(|l| !l.starts_with('#'))
                    .collect::<Vec<_>>()
                    .join("\n"),
            }
        })
        .collect()
}

/// Replace `@kind:arg` placeholders with ids of the seeded server (`set`: the documents of
/// that server's version).
async fn resolve(s: &Srv, password: &str, set: &[Fixture], v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                out.insert(k.clone(), Box::pin(resolve(s, password, set, v)).await);
            }
            Value::Object(out)
        }
        Value::String(p) if p.starts_with('@') => {
            let (kind, arg) = p[1..].split_once(':').unwrap_or((&p[1..], ""));
            let id = match kind {
                "workspace" => s.workspace_id(arg).await,
                "deployment" => s.deployment(arg).await.0,
                "release" => s.deployment(arg).await.1,
                "team" => s.team_id(arg).await,
                "cluster" => s.cluster_id(arg).await,
                "user" => s.user_id(arg).await,
                "sa" => s.sa_id(arg).await,
                "password" => password.to_string(),
                "invite_token" => {
                    let d = s.ok(ADMIN, "{ invites { email token } }", json!({})).await;
                    d["invites"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|i| i["email"] == arg)
                        .unwrap()["token"]
                        .as_str()
                        .unwrap()
                        .to_string()
                }
                "empty_workspace" => {
                    let d = s
                        .ok(
                            ADMIN,
                            "mutation { createWorkspace(label: \"Empty\") { id } }",
                            json!({}),
                        )
                        .await;
                    d["createWorkspace"]["id"].as_str().unwrap().to_string()
                }
                "adopted" => {
                    let adopt = set.iter().find(|f| f.name == "deployment_adopt").unwrap();
                    let vars = Box::pin(resolve(s, password, set, &adopt.vars)).await;
                    let d = s.ok(ADMIN, &adopt.doc, vars).await;
                    d["adoptDeployment"]["id"].as_str().unwrap().to_string()
                }
                other => panic!("unknown placeholder kind {other}"),
            };
            json!(id)
        }
        other => other.clone(),
    }
}

/// Placeholders filled with stand-ins: for documents that must be refused before they run.
fn stand_ins(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), stand_ins(v))).collect())
        }
        Value::String(p) if p.starts_with('@') => json!("unused"),
        other => other.clone(),
    }
}

/// Run one document on a fresh seeded server at `version`; it must validate and return data.
async fn runs(f: &Fixture, version: &str) {
    let set = fixtures_for(version);
    let s = seeded_at(version).await;
    let (_, password) = s.h.seeded_admin().unwrap();
    let vars = resolve(&s, &password, &set, &f.vars).await;
    let token = s.token(ADMIN);
    let body = if f.is_subscription() {
        let frame = s.first_event(&token, &f.doc, &vars).await;
        assert_eq!(frame["type"], "data", "{} at {version}: {frame}", f.name);
        frame["payload"].clone()
    } else {
        let resp = s
            .http
            .post(s.h.url())
            .header("authorization", &token)
            .header("Accept", "application/json")
            .json(&json!({"query": f.doc, "variables": vars}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{} at {version}", f.name);
        resp.json::<Value>().await.unwrap()
    };
    assert!(
        body.get("errors").is_none(),
        "{} at {version} failed: {body}",
        f.name
    );
    let root = f.root_field();
    assert!(
        !body["data"][&root].is_null(),
        "{} at {version}: no data for {root}: {body}",
        f.name
    );
    s.h.shutdown().await;
}

/// The document is refused before execution as using fields / arguments / types the version
/// lacks (graphql-js wording), and nothing else.
fn assert_refused_as_unknown(f: &Fixture, version: &str, body: &Value) {
    let errors = body["errors"].as_array().unwrap();
    assert!(!errors.is_empty(), "{} at {version}: {body}", f.name);
    for e in errors {
        let m = e["message"].as_str().unwrap();
        assert!(
            m.starts_with("Cannot query field \"")
                || m.starts_with("Unknown argument \"")
                || m.starts_with("Unknown type \""),
            "{} at {version}: {m}",
            f.name
        );
        assert_eq!(e["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED");
    }
}

#[test]
fn the_corpus_holds_the_58_documents_of_a_0_35_server() {
    let all = fixtures();
    assert_eq!(all.len(), 58);
    // 38 ran against houston-local before teams, Runtime, namespaces, image updates and
    // adoption existed; the other 20 need them.
    let new_roots = [
        "team",
        "teamUsers",
        "paginatedTeams",
        "workspaceTeams",
        "deploymentTeams",
        "workspaceAddTeam",
        "workspaceUpdateTeamRole",
        "workspaceRemoveTeam",
        "deploymentAddTeamRole",
        "deploymentUpdateTeamRole",
        "deploymentRemoveTeamRole",
        "createTeamSystemRoleBinding",
        "deleteTeamSystemRoleBinding",
        "runtimeReleases",
        "updateDeploymentRuntime",
        "cancelRuntimeUpdate",
        "availableNamespaces",
        "updateDeploymentImage",
        "adoptDeployment",
        "unadoptDeployment",
    ];
    let new = all
        .iter()
        .filter(|f| new_roots.contains(&f.root_field().as_str()))
        .count();
    assert_eq!(new, 20);
}

#[tokio::test]
async fn every_document_runs_against_a_0_35_server() {
    for f in fixtures() {
        runs(&f, "0.35.0").await;
    }
}

#[tokio::test]
async fn at_0_23_older_documents_run_and_newer_ones_are_refused() {
    let all = fixtures();
    let old = "0.23.0".parse::<HoustonVersion>().unwrap();
    let shared = seeded_at("0.23.0").await;
    let (mut ran, mut refused_count) = (0, 0);
    for f in &all {
        if f.since <= old {
            runs(f, "0.23.0").await;
            ran += 1;
            continue;
        }
        let body = if f.is_subscription() {
            let frame = shared
                .first_event(&shared.token(ADMIN), &f.doc, &stand_ins(&f.vars))
                .await;
            assert_eq!(frame["type"], "error", "{}: {frame}", f.name);
            json!({"errors": [frame["payload"]]})
        } else {
            refused(&shared, ADMIN, &f.doc, stand_ins(&f.vars)).await
        };
        assert_refused_as_unknown(f, "0.23.0", &body);
        refused_count += 1;
    }
    assert_eq!((ran, refused_count), (28, 30));
    shared.h.shutdown().await;
}

/// At each switch point the documents of that version and older pass validation (they may
/// still fail on the stand-in ids) and the newer ones are refused.
#[tokio::test]
async fn each_switch_point_accepts_exactly_its_documents() {
    let all = fixtures();
    for version in [
        "0.25.0", "0.28.0", "0.29.0", "0.29.2", "0.30.0", "0.32.0", "0.34.1",
    ] {
        let v: HoustonVersion = version.parse().unwrap();
        let s = seeded_at(version).await;
        let token = s.token(ADMIN);
        for f in all.iter().filter(|f| !f.is_subscription()) {
            let resp = s
                .http
                .post(s.h.url())
                .header("authorization", &token)
                .json(&json!({"query": f.doc, "variables": stand_ins(&f.vars)}))
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let body: Value = resp.json().await.unwrap();
            if f.since <= v {
                assert_eq!(status, 200, "{} at {version}: {body}", f.name);
            } else {
                assert_eq!(status, 400, "{} at {version}: {body}", f.name);
                assert_refused_as_unknown(f, version, &body);
            }
        }
        let app = s.ok(ADMIN, "{ appConfig { version } }", json!({})).await;
        assert_eq!(app["appConfig"]["version"], version);
        s.h.shutdown().await;
    }
}

/// At `version` every document the CLI picks for it runs, except `refused` (sent by the CLI
/// but using what the version removed), which is refused like an unknown field.
async fn the_cli_documents_run_at(version: &str, refused_names: &[&str]) {
    let set = fixtures_for(version);
    assert_eq!(set.len(), 58);
    let shared = seeded_at(version).await;
    let mut was_refused = Vec::new();
    for f in &set {
        if !refused_names.contains(&f.name.as_str()) {
            runs(f, version).await;
            continue;
        }
        let body = refused(&shared, ADMIN, &f.doc, stand_ins(&f.vars)).await;
        assert_refused_as_unknown(f, version, &body);
        was_refused.push(f.name.as_str());
    }
    assert_eq!(was_refused, refused_names, "at {version}");
    shared.h.shutdown().await;
}

/// The CLI's Airflow upgrade of an Astronomer Certified deployment selects
/// `airflowVersion desiredAirflowVersion`, which APC 1.0.1 removed.
const AC_UPGRADE: &[&str] = &["deployment_airflow_upgrade"];

#[tokio::test]
async fn the_cli_documents_run_at_0_37() {
    the_cli_documents_run_at("0.37.0", &[]).await;
}

#[tokio::test]
async fn the_cli_documents_run_at_1_0_0() {
    the_cli_documents_run_at("1.0.0", &[]).await;
}

#[tokio::test]
async fn the_cli_documents_run_at_1_0_1() {
    the_cli_documents_run_at("1.0.1", AC_UPGRADE).await;
}

#[tokio::test]
async fn the_cli_documents_run_at_2_0_0() {
    the_cli_documents_run_at("2.0.0", AC_UPGRADE).await;
}

#[tokio::test]
async fn the_cli_documents_run_at_2_1_0() {
    the_cli_documents_run_at("2.1.0", AC_UPGRADE).await;
}

#[test]
fn each_apc_variant_replaces_a_0_35_document() {
    for version in ["1.0.0", "1.0.1", "2.0.0", "2.1.0"] {
        let set = fixtures_for(version);
        let picked = set
            .iter()
            .filter(|f| f.since.to_string() == version)
            .count();
        assert!(picked > 0, "no variant for {version}");
    }
    let at_2_1: Vec<String> = fixtures_for("2.1.0")
        .iter()
        .filter(|f| f.doc.contains("upsertDeployment("))
        .map(|f| f.name.clone())
        .collect();
    assert_eq!(
        at_2_1,
        [
            "deployment_create",
            "deployment_image_update",
            "deployment_update"
        ]
    );
}
