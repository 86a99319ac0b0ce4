//! `astrodash serve` as a user runs it: the messages about the admin password,
//! `--reset-admin-password` on an existing database, and the APC versions with
//! `--inactive-cluster`, and `--airflow-upstream`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

struct Serve {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Serve {
    fn start(db: &Path, extra: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_astrodash"))
            .args(["serve", "--port", "0", "--db"])
            .arg(db)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start astrodash serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Serve { child, lines }
    }

    /// The first line starting with `prefix`, within 30 s.
    fn line(&self, prefix: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no line starting with {prefix:?}"));
            if line.starts_with(prefix) {
                return line;
            }
        }
    }

    /// `http://127.0.0.1:PORT/v1` from the first line.
    fn url(&self) -> String {
        let line = self.line("houston-local listening on ");
        line.split_whitespace().nth(3).expect("url").to_string()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The password after ` / ` on a `... EMAIL / PASSWORD` line.
fn password(line: &str) -> String {
    line.rsplit(" / ").next().expect("password").to_string()
}

/// One GraphQL request, with a token when given.
fn post(
    url: &str,
    token: Option<&str>,
    query: &str,
    variables: serde_json::Value,
) -> serde_json::Value {
    let body = serde_json::json!({"query": query, "variables": variables});
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut req = reqwest::Client::new().post(url).json(&body);
        if let Some(t) = token {
            req = req.header("Authorization", t);
        }
        req.send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json")
    })
}

fn admin_token(url: &str, password: &str) -> Option<String> {
    let reply = post(
        url,
        None,
        "mutation($p: String!) { createToken(identity: \"admin@astrodash.local\", password: $p) { token { value } } }",
        serde_json::json!({"p": password}),
    );
    reply["data"]["createToken"]["token"]["value"]
        .as_str()
        .map(str::to_string)
}

fn login_works(url: &str, password: &str) -> bool {
    admin_token(url, password).is_some()
}

#[test]
fn reset_admin_password_on_an_existing_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("houston.db");
    let first = {
        let s = Serve::start(&db, &["--seed", "demo"]);
        let url = s.url();
        let seeded = password(&s.line("demo admin: admin@astrodash.local / "));
        assert!(login_works(&url, &seeded));
        seeded
    };
    {
        // Restarted: the password is not shown again, but how to set a new one is.
        let s = Serve::start(&db, &["--seed", "demo"]);
        s.url();
        let hint = s.line("existing database:");
        assert!(
            hint.contains(&format!(
                "astrodash serve --db {} --reset-admin-password",
                db.display()
            )),
            "{hint}"
        );
    }
    let s = Serve::start(&db, &["--reset-admin-password"]);
    let url = s.url();
    let new = password(&s.line("new password: admin@astrodash.local / "));
    assert_ne!(new, first);
    assert!(login_works(&url, &new));
    assert!(!login_works(&url, &first));
}

#[test]
fn reset_admin_password_of_an_unknown_user_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("houston.db");
    drop(Serve::start(&db, &["--seed", "demo"]).url());
    let out = Command::new(env!("CARGO_BIN_EXE_astrodash"))
        .args(["serve", "--port", "0", "--db"])
        .arg(&db)
        .args(["--reset-admin-password", "nobody@example.com"])
        .output()
        .expect("run astrodash serve");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("astrodash serve: no user with e-mail address nobody@example.com"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn serve_poses_as_apc_with_an_inactive_cluster() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("houston.db");
    let s = Serve::start(
        &db,
        &[
            "--seed",
            "demo",
            "--houston-version",
            "2.1.0",
            "--inactive-cluster",
            "aws-us-east-1=maintenance window",
        ],
    );
    let url = s.url();
    let token = admin_token(&url, &password(&s.line("demo admin: "))).expect("login");
    let reply = post(
        &url,
        Some(&token),
        "{ appConfig { version } paginatedClusters { clusters { name status statusReason } } }",
        serde_json::json!({}),
    );
    assert_eq!(reply["data"]["appConfig"]["version"], "2.1.0", "{reply}");
    let clusters = &reply["data"]["paginatedClusters"]["clusters"];
    assert_eq!(clusters[0]["name"], "aws-us-east-1", "{reply}");
    assert_eq!(clusters[0]["status"], "INACTIVE");
    assert_eq!(clusters[0]["statusReason"]["message"], "maintenance window");
    assert_eq!(
        clusters[1]["status"], "INACTIVE",
        "the demo's other cluster"
    );
    drop(s);

    let out = Command::new(env!("CARGO_BIN_EXE_astrodash"))
        .args(["serve", "--port", "0", "--houston-version", "1.0.1"])
        .args(["--seed", "demo", "--inactive-cluster", "no-such-cluster"])
        .output()
        .expect("run astrodash serve");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("astrodash serve: no cluster named no-such-cluster"),
        "{stderr}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_astrodash"))
        .args(["serve", "--port", "0", "--houston-version", "2.2.0"])
        .output()
        .expect("run astrodash serve");
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("0.23.0 to 0.37.x, 1.0.x, 2.0.x and 2.1.x"),
        "{stderr}"
    );
}

/// `serve --print-schema` prints the schema of the version asked for (from its introspection)
/// and exits without serving.
#[test]
fn serve_prints_a_versions_schema() {
    let print = |version: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_astrodash"))
            .args(["serve", "--houston-version", version, "--print-schema"])
            .output()
            .expect("run astrodash serve");
        assert_eq!(out.status.code(), Some(0), "{version}");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let v035 = print("0.35.0");
    let v101 = print("1.0.1");
    assert!(v035.starts_with("schema {"), "{v035}");
    assert!(!v035.contains("paginatedClusters(") && v101.contains("paginatedClusters("));
    // Deployment's Astronomer Certified field, gone at 1.0.1.
    let field = |sdl: &str| {
        sdl.lines()
            .any(|l| l.trim() == "desiredAirflowVersion: String")
    };
    assert!(field(&v035) && !field(&v101));
}

/// A one-request stand-in for a real Airflow webserver: answers `{"from": "upstream"}` and
/// hands back the request it read (request line and headers).
fn fake_airflow() -> (String, mpsc::Receiver<String>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().expect("accept");
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = conn.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        let body = r#"{"from": "upstream"}"#;
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        conn.write_all(reply.as_bytes()).expect("write");
        let _ = tx.send(String::from_utf8_lossy(&seen).into_owned());
    });
    (format!("http://{addr}"), rx)
}

/// POST a GraphQL document with a token; returns `data`.
fn graphql(url: &str, token: Option<&str>, query: &str) -> serde_json::Value {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut req = reqwest::Client::new()
            .post(url)
            .json(&serde_json::json!({"query": query}));
        if let Some(t) = token {
            req = req.header("Authorization", t);
        }
        let reply: serde_json::Value = req
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        reply["data"].clone()
    })
}

#[test]
fn airflow_upstream_proxies_a_deployment_to_a_real_webserver() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("houston.db");
    let (upstream, seen) = fake_airflow();
    let s = Serve::start(
        &db,
        &[
            "--seed",
            "demo",
            "--airflow-upstream",
            &upstream,
            "--airflow-upstream-user",
            "admin",
            "--airflow-upstream-password",
            "pw",
        ],
    );
    let url = s.url();
    let pass = password(&s.line("demo admin: admin@astrodash.local / "));
    let login = format!(
        "mutation {{ createToken(identity: \"admin@astrodash.local\", password: \"{pass}\") {{ token {{ value }} }} }}"
    );
    let token = graphql(&url, None, &login)["createToken"]["token"]["value"]
        .as_str()
        .expect("token")
        .to_string();
    let deployments = graphql(&url, Some(&token), "{ deployments { urls { type url } } }");
    let airflow = deployments["deployments"][0]["urls"][0]["url"]
        .as_str()
        .expect("an Airflow URL")
        .to_string();
    assert!(
        airflow.starts_with(url.trim_end_matches("/v1")),
        "{airflow}"
    );

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let body = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{airflow}/api/v1/dags?limit=1"))
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("body")
    });
    assert_eq!(body, r#"{"from": "upstream"}"#);
    let request = seen
        .recv_timeout(Duration::from_secs(10))
        .expect("upstream reached");
    assert!(
        request.starts_with("GET /api/v1/dags?limit=1 HTTP/1.1"),
        "{request}"
    );
    // admin:pw in basic auth; the Houston token is not passed on.
    assert!(
        request
            .to_lowercase()
            .contains("authorization: basic ywrtaw46chc="),
        "{request}"
    );
    assert!(!request.contains(&token), "{request}");
}

#[test]
fn a_malformed_airflow_upstream_is_refused_at_start() {
    let out = Command::new(env!("CARGO_BIN_EXE_astrodash"))
        .args([
            "serve",
            "--port",
            "0",
            "--airflow-upstream",
            "localhost:8080",
        ])
        .output()
        .expect("run astrodash serve");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("expected an http(s) URL or RELEASE=URL"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
