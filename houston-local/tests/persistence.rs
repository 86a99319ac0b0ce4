//! File persistence across restarts and concurrent writers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use houston_local::Config;
use serde_json::json;

fn file_config(path: &std::path::Path) -> Config {
    Config {
        db: Some(path.to_path_buf()),
        ..test_config()
    }
}

#[tokio::test]
async fn data_survives_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("houston.db");
    let s = start_with(file_config(&path)).await;
    let (email, password) = s.h.seeded_admin().expect("fresh file is seeded");
    let ws = s
        .ok(
            ADMIN,
            "mutation { createWorkspace(label: \"Persistent\") { id } }",
            json!({}),
        )
        .await["createWorkspace"]["id"]
        .clone();
    let (dep, rn) = s.deployment("Core ETL").await;
    s.ok(
        LINUS,
        "mutation($d: Uuid!) { updateDeploymentVariables(deploymentUuid: $d, environmentVariables: [{key: \"KEPT\", value: \"v\", isSecret: true}]) { key } }",
        json!({"d": dep}),
    )
    .await;
    let old_token = s.token(VERA);
    s.h.shutdown().await;

    let s = start_with(file_config(&path)).await;
    assert!(s.h.seeded_admin().is_none(), "existing DB is not reseeded");
    let d = s
        .ok(
            ADMIN,
            "query($w: Uuid!) { workspace(workspaceUuid: $w) { label } }",
            json!({"w": ws}),
        )
        .await;
    assert_eq!(d["workspace"]["label"], "Persistent");
    assert_eq!(
        s.ok(ADMIN, "{ deployments { id } }", json!({})).await["deployments"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    // Tokens stay valid (the JWT secret lives in the DB) and the password still works.
    let b = s
        .raw(
            Some(&old_token),
            "{ self { user { username } } }",
            json!({}),
        )
        .await;
    assert_eq!(b["data"]["self"]["user"]["username"], "vera");
    let b = s
        .raw(
            None,
            "mutation($i: String, $p: String!) { createToken(identity: $i, password: $p) { token { value } } }",
            json!({"i": email, "p": password}),
        )
        .await;
    assert!(
        b["data"]["createToken"]["token"]["value"].is_string(),
        "{b}"
    );
    // The secret value was kept; un-secreting reveals it.
    let d = s
        .ok(
            LINUS,
            "mutation($d: Uuid!) { updateDeploymentVariables(deploymentUuid: $d, environmentVariables: [{key: \"KEPT\", value: \"\", isSecret: true}]) { key value } }",
            json!({"d": dep}),
        )
        .await;
    assert_eq!(d["updateDeploymentVariables"][0]["key"], "KEPT");
    let _ = rn;
    let web = s.deployment("Web Analytics").await.1;
    s.h.set_unhealthy(&web, true).unwrap();
    s.h.shutdown().await;

    // The unhealthy switch persists, and `unhealthy` config entries are applied at start.
    let mut cfg = file_config(&path);
    cfg.unhealthy = vec![s_release(&path, "Data Quality").await];
    let s = start_with(cfg).await;
    let d = s
        .ok(ADMIN, "{ deployments { label status } }", json!({}))
        .await;
    let status = |label: &str| {
        d["deployments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["label"] == label)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("Web Analytics"), "UNHEALTHY");
    assert_eq!(status("Data Quality"), "UNHEALTHY");
    s.h.shutdown().await;

    let mut cfg = file_config(&path);
    cfg.unhealthy = vec!["no-such-release".into()];
    let err = houston_local::start(cfg)
        .await
        .err()
        .expect("unknown release is an error");
    assert!(err.to_string().contains("no-such-release"));
}

/// Release name of a seeded deployment, read through a short-lived server.
async fn s_release(path: &std::path::Path, label: &str) -> String {
    let s = start_with(file_config(path)).await;
    let rn = s.deployment(label).await.1;
    s.h.shutdown().await;
    rn
}

async fn concurrent_workspaces(cfg: Config) {
    let s = std::sync::Arc::new(start_with(cfg).await);
    let mut tasks = Vec::new();
    for t in 0..8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                s.ok(
                    LINUS,
                    "mutation($l: String!) { createWorkspace(label: $l) { id } }",
                    json!({"l": format!("ws-{t}-{i}")}),
                )
                .await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let d = s.ok(ADMIN, "{ workspaces { label } }", json!({})).await;
    let n = d["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["label"].as_str().unwrap().starts_with("ws-"))
        .count();
    assert_eq!(n, 80);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_in_memory() {
    concurrent_workspaces(test_config()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_on_file() {
    let dir = tempfile::tempdir().unwrap();
    concurrent_workspaces(file_config(&dir.path().join("c.db"))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_env_var_updates_are_serialised() {
    let dir = tempfile::tempdir().unwrap();
    let s = std::sync::Arc::new(start_with(file_config(&dir.path().join("e.db"))).await);
    let (dep, _) = s.deployment("Core ETL").await;
    let mut tasks = Vec::new();
    for t in 0..8 {
        let s = s.clone();
        let dep = dep.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..5 {
                let vars: Vec<_> = (0..10)
                    .map(|k| json!({"key": format!("K{k}"), "value": format!("{t}-{i}"), "isSecret": false}))
                    .collect();
                s.ok(
                    LINUS,
                    "mutation($d: Uuid!, $v: [InputEnvironmentVariable]!) { updateDeploymentVariables(deploymentUuid: $d, environmentVariables: $v) { key } }",
                    json!({"d": dep, "v": vars}),
                )
                .await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    // Every update is a full replacement in one transaction: the final set is exactly one
    // writer's ten variables, never a mix.
    let d = s
        .ok(
            ADMIN,
            "query($d: Uuid!) { deploymentVariables(deploymentUuid: $d) { key value } }",
            json!({"d": dep}),
        )
        .await;
    let vars = d["deploymentVariables"].as_array().unwrap();
    assert_eq!(vars.len(), 10);
    let first = vars[0]["value"].clone();
    assert!(vars.iter().all(|v| v["value"] == first), "{vars:?}");
}

#[tokio::test]
async fn a_failed_start_leaves_no_database_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("houston.db");
    let typo = Config {
        seed: Some(houston_local::Seed::Demo),
        unhealthy: vec!["no-such-release-0000".into()],
        ..file_config(&path)
    };
    let err = houston_local::start(typo)
        .await
        .err()
        .expect("unknown release is refused");
    assert!(err.to_string().contains("no-such-release-0000"), "{err}");
    assert!(!path.exists(), "the half-prepared database was removed");

    // So the next start seeds afresh and shows the admin password.
    let s = start_with(Config {
        seed: Some(houston_local::Seed::Demo),
        ..file_config(&path)
    })
    .await;
    assert!(s.h.seeded_admin().is_some());
    s.h.shutdown().await;
}

#[tokio::test]
async fn a_busy_port_fails_before_the_database_is_created() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("houston.db");
    let err = houston_local::start(Config {
        port,
        ..file_config(&path)
    })
    .await
    .err()
    .expect("port in use");
    assert!(err.to_string().contains(&port.to_string()), "{err}");
    assert!(!path.exists());
}

/// The database file and its WAL, in bytes.
fn db_bytes(path: &std::path::Path) -> u64 {
    ["", "-wal"]
        .iter()
        .map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::fs::metadata(std::path::PathBuf::from(p)).map_or(0, |m| m.len())
        })
        .sum()
}

fn stored_log_rows(path: &std::path::Path) -> i64 {
    let c = rusqlite::Connection::open(path).unwrap();
    c.query_row("SELECT COUNT(*) FROM logs", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn log_lines_are_computed_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("houston.db");
    let mut cfg = file_config(&path);
    cfg.log_interval_ms = 10;
    let s = start_with(cfg.clone()).await;
    let (dep, _) = s.deployment("Core ETL").await;
    let q = "query($d: Uuid!) { logs(deploymentUuid: $d) { id } }";
    let size = db_bytes(&path);
    // A hundred lines a second per component, read twice: nothing is written.
    assert_eq!(
        s.ok(ADMIN, q, json!({"d": dep})).await["logs"]
            .as_array()
            .unwrap()
            .len(),
        800
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        s.ok(ADMIN, q, json!({"d": dep})).await["logs"]
            .as_array()
            .unwrap()
            .len(),
        800
    );
    assert_eq!(db_bytes(&path), size);
    assert_eq!(stored_log_rows(&path), 0);
    s.h.shutdown().await;

    // A database from an older version, with many stored lines: they go, and the file shrinks.
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        let dep_id: String = c
            .query_row("SELECT id FROM deployments LIMIT 1", [], |r| r.get(0))
            .unwrap();
        c.execute_batch("BEGIN").unwrap();
        for i in 0..20_000 {
            c.execute(
                "INSERT INTO logs (deployment_id, component, ts_ms, level, message) VALUES (?1, 'scheduler', ?2, 'INFO', ?3)",
                rusqlite::params![dep_id, i, format!("an old stored line number {i} with some padding text")],
            )
            .unwrap();
        }
        c.execute_batch("COMMIT; PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    assert_eq!(stored_log_rows(&path), 20_000);
    let bloated = db_bytes(&path);
    let s = start_with(cfg).await;
    assert_eq!(stored_log_rows(&path), 0);
    assert!(
        db_bytes(&path) < bloated / 2,
        "{} of {bloated}",
        db_bytes(&path)
    );
    assert_eq!(
        s.ok(ADMIN, q, json!({"d": dep})).await["logs"]
            .as_array()
            .unwrap()
            .len(),
        800
    );
    s.h.shutdown().await;
}

#[tokio::test]
async fn a_restarted_server_can_reset_the_admin_password() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("houston.db");
    let s = start_with(file_config(&path)).await;
    assert!(s.h.database_was_empty());
    let (email, first) = s.h.seeded_admin().unwrap();
    let old_token = s.token(ADMIN);
    s.h.shutdown().await;

    let s = start_with(file_config(&path)).await;
    assert!(!s.h.database_was_empty());
    assert!(s.h.seeded_admin().is_none());
    let login = "mutation($i: String, $p: String!) { createToken(identity: $i, password: $p) { token { value } } }";
    let new = s.h.reset_password(&email).await.unwrap();
    assert_ne!(new, first);
    assert_eq!(new.len(), 16);
    let b = s.raw(None, login, json!({"i": email, "p": new})).await;
    assert!(
        b["data"]["createToken"]["token"]["value"].is_string(),
        "{b}"
    );
    let b = s.raw(None, login, json!({"i": email, "p": first})).await;
    assert_eq!(message(&b), "Invalid password and username combination");
    // Tokens issued before stay valid.
    let b = s
        .raw(
            Some(&old_token),
            "{ self { user { username } } }",
            json!({}),
        )
        .await;
    assert_eq!(b["data"]["self"]["user"]["username"], "admin");
    // Any user can be given a password; unknown addresses are an error.
    let grace = s.h.reset_password(GRACE).await.unwrap();
    let b = s.raw(None, login, json!({"i": "grace", "p": grace})).await;
    assert!(
        b["data"]["createToken"]["token"]["value"].is_string(),
        "{b}"
    );
    let err = s.h.reset_password("nobody@example.com").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "no user with e-mail address nobody@example.com"
    );
    s.h.shutdown().await;

    // The new password survives the next restart.
    let s = start_with(file_config(&path)).await;
    let b = s.raw(None, login, json!({"i": email, "p": new})).await;
    assert!(
        b["data"]["createToken"]["token"]["value"].is_string(),
        "{b}"
    );
    s.h.shutdown().await;
}
