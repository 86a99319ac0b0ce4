//! `Config::houston_version` at work: what each version refuses, reports and shapes, and
//! astrodash's own documents at 0.23.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::*;
use houston_local::versioning::table;
use serde_json::{Value, json};

#[tokio::test]
async fn missing_fields_are_refused_exactly_like_unknown_ones() {
    let s = seeded_at("0.23.0").await;
    // A field no version has, for comparison.
    let unknown = refused(&s, ADMIN, "{ deployments { nonsense } }", json!({})).await;
    assert_eq!(
        unknown["errors"][0]["message"],
        "Cannot query field \"nonsense\" on type \"Deployment\"."
    );
    let cases = [
        (
            "{ deployments { id namespace } }",
            "Cannot query field \"namespace\" on type \"Deployment\".",
        ),
        (
            "{ paginatedWorkspaces { id } }",
            "Cannot query field \"paginatedWorkspaces\" on type \"Query\".",
        ),
        (
            "{ self { user { teams { id } } } }",
            "Cannot query field \"teams\" on type \"User\".",
        ),
        (
            "{ workspaceTeams(workspaceUuid: \"x\") { id } }",
            "Cannot query field \"workspaceTeams\" on type \"Query\".",
        ),
        (
            "query { deployment(where: {id: \"x\"}) { runtimeVersion } }",
            "Cannot query field \"runtimeVersion\" on type \"Deployment\".",
        ),
        (
            "mutation { deleteDeployment(deploymentUuid: \"x\", deploymentHardDelete: true) { id } }",
            "Unknown argument \"deploymentHardDelete\" on field \"deleteDeployment\" of type \"Mutation\".",
        ),
        (
            "mutation($d: DagDeployment) { deleteDeployment(deploymentUuid: \"x\") { id } }",
            "Unknown type \"DagDeployment\"",
        ),
    ];
    for (doc, message) in cases {
        let b = refused(&s, ADMIN, doc, json!({})).await;
        let e = &b["errors"][0];
        assert_eq!(e["message"], message, "{doc}");
        // The variable case also reports the unused variable, as graphql-js would.
        if !doc.contains("$d") {
            assert_eq!(b["errors"].as_array().unwrap().len(), 1, "{b}");
        }
        // Same shape as the unknown field: message, locations, extensions.code.
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(e), keys(&unknown["errors"][0]), "{doc}");
        assert!(e["locations"][0]["line"].as_u64().is_some());
    }
    // Nothing ran: the refused mutation left the deployment in place.
    let (id, _) = s.deployment("Playground").await;
    let before = s.h.db_generation();
    refused(
        &s,
        ADMIN,
        "mutation($d: Uuid!) { deleteDeployment(deploymentUuid: $d, deploymentHardDelete: true) { id } }",
        json!({"d": id}),
    )
    .await;
    assert_eq!(s.h.db_generation(), before);
    s.deployment("Playground").await;
    // Anonymous callers are refused the same way (validation comes before permissions).
    let resp = s
        .http
        .post(s.h.url())
        .json(&json!({"query": "{ runtimeReleases { version } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    s.h.shutdown().await;
}

#[tokio::test]
async fn subscriptions_are_gated_too() {
    let s = seeded_at("0.23.0").await;
    let (_, release) = s.deployment("Core ETL").await;
    let token = s.token(ADMIN);
    let f = s
        .first_event(
            &token,
            "subscription($r: String) { deploymentStatus(releaseName: $r) { status result } }",
            &json!({"r": release}),
        )
        .await;
    assert_eq!(f["type"], "error", "{f}");
    assert_eq!(
        f["payload"]["message"],
        "Unknown field \"result\" on type \"DeploymentStatus\"."
    );
    let ok = s
        .first_event(
            &token,
            "subscription($r: String) { deploymentStatus(releaseName: $r) { status } }",
            &json!({"r": release}),
        )
        .await;
    assert_eq!(ok["type"], "data", "{ok}");
    assert!(ok["payload"]["data"]["deploymentStatus"]["status"].is_string());
    s.h.shutdown().await;
}

#[tokio::test]
async fn app_config_reports_the_version_and_its_features() {
    for (version, runtime) in [("0.28.3", false), ("0.29.0", true), ("0.35.0", true)] {
        let s = seeded_at(version).await;
        let d = s
            .ok(ADMIN, "{ appConfig { version featureFlags } }", json!({}))
            .await;
        assert_eq!(d["appConfig"]["version"], version);
        assert_eq!(
            d["appConfig"]["featureFlags"]["astroRuntimeEnabled"],
            runtime
        );
        s.h.shutdown().await;
    }
    let s = seeded_at("0.23.0").await;
    // appConfig is public and answers before login, with 0.23's fields.
    let b = s
        .raw(None, "{ appConfig { version baseDomain } }", json!({}))
        .await;
    assert_eq!(b["data"]["appConfig"]["version"], "0.23.0");
    s.h.shutdown().await;
}

#[tokio::test]
async fn workspace_invites_is_one_object_at_0_23_and_a_list_later() {
    let q = "query($w: Uuid!) { workspace(workspaceUuid: $w) { invites { email role } } }";
    let old = seeded_at("0.23.0").await;
    let dp = old.workspace_id("Data Platform").await;
    let sandbox = old.workspace_id("Sandbox").await;
    let d = old.ok(ADMIN, q, json!({"w": dp})).await;
    assert_eq!(
        d["workspace"]["invites"],
        json!({"email": "new.hire@astrodash.local", "role": "WORKSPACE_VIEWER"})
    );
    let d = old.ok(ADMIN, q, json!({"w": sandbox})).await;
    assert_eq!(d["workspace"]["invites"], Value::Null);
    // Through a list, an alias and a fragment alike.
    let d = old
        .ok(
            ADMIN,
            "{ workspaces { label ...I } } fragment I on Workspace { pending: invites { email } }",
            json!({}),
        )
        .await;
    for w in d["workspaces"].as_array().unwrap() {
        assert!(w["pending"].is_object() || w["pending"].is_null(), "{w}");
    }
    old.h.shutdown().await;
    let new = seeded().await;
    let dp = new.workspace_id("Data Platform").await;
    let d = new.ok(ADMIN, q, json!({"w": dp})).await;
    assert_eq!(d["workspace"]["invites"].as_array().unwrap().len(), 1);
    new.h.shutdown().await;
}

#[tokio::test]
async fn teams_grant_nothing_before_0_28() {
    let q = "{ workspaces { label } }";
    let old = seeded_at("0.25.0").await;
    let d = old.ok("nora@astrodash.local", q, json!({})).await;
    assert_eq!(d["workspaces"], json!([]));
    // Team bindings are not listed either: every binding belongs to a user or a key.
    let bindings = "query($w: Uuid!) { workspace(workspaceUuid: $w) { roleBindings { role user { username } serviceAccount { label } } } }";
    let dp = old.workspace_id("Data Platform").await;
    let d = old.ok(ADMIN, bindings, json!({"w": dp})).await;
    let listed = d["workspace"]["roleBindings"].as_array().unwrap().clone();
    assert!(
        listed
            .iter()
            .all(|b| !b["user"].is_null() || !b["serviceAccount"].is_null()),
        "{d}"
    );
    old.h.shutdown().await;
    let new = seeded_at("0.28.0").await;
    let d = new.ok("nora@astrodash.local", q, json!({})).await;
    assert_eq!(d["workspaces"], json!([{"label": "Data Platform"}]));
    let dp = new.workspace_id("Data Platform").await;
    let d = new.ok(ADMIN, bindings, json!({"w": dp})).await;
    assert_eq!(
        d["workspace"]["roleBindings"].as_array().unwrap().len(),
        listed.len() + 1,
        "the team's binding is listed from 0.28 on: {d}"
    );
    new.h.shutdown().await;
}

/// astrodash's own documents at 0.23: each either runs, or is refused because it selects
/// something 0.23 lacks (the table says when it arrived). The refused ones are printed: the
/// client falls back for them.
#[tokio::test]
async fn astrodash_documents_at_0_23() {
    let s = seeded_at("0.23.0").await;
    let (deployment, release) = s.deployment("Core ETL").await;
    let workspace = s.workspace_id("Data Platform").await;
    let (_, password) = s.h.seeded_admin().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../queries");
    // The reads (mutations, in `queries/mutations/`, would change the data).
    let mut docs: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .collect();
    docs.sort();
    let mut refused_docs = Vec::new();
    let mut ran = 0;
    for path in docs {
        let doc = std::fs::read_to_string(&path).unwrap();
        // Documents of Houston 1.0+ are never sent to 0.23 (the client's tables say so).
        if doc.starts_with("# since Houston ") {
            continue;
        }
        let vars = json!({
            "workspaceUuid": workspace, "deploymentUuid": deployment, "id": deployment,
            "deploymentId": deployment, "releaseName": release, "identity": ADMIN,
            "password": password,
        });
        let resp = s
            .http
            .post(s.h.url())
            .header("Authorization", s.token(ADMIN))
            .json(&json!({"query": doc, "variables": vars}))
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if status == 200 {
            assert!(body.get("errors").is_none(), "{file}: {body}");
            ran += 1;
            continue;
        }
        assert_eq!(status, 400, "{file}: {body}");
        for e in body["errors"].as_array().unwrap() {
            let m = e["message"].as_str().unwrap();
            let rest = m
                .strip_prefix("Cannot query field \"")
                .unwrap_or_else(|| panic!("{file}: {m}"));
            let (field, rest) = rest.split_once('"').unwrap();
            let ty = rest
                .trim_start_matches(" on type \"")
                .trim_end_matches("\".");
            assert!(
                table::field_since(ty, field).is_some(),
                "{file}: {ty}.{field} exists at 0.23 but was refused"
            );
            refused_docs.push(format!("{file}: {ty}.{field}"));
        }
    }
    println!("refused at 0.23.0: {refused_docs:#?}");
    assert!(ran >= 10, "only {ran} ran");
    s.h.shutdown().await;
}
