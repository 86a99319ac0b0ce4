//! `astrodash serve` as a user runs it: the messages about the admin password, and
//! `--reset-admin-password` on an existing database.
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

fn login_works(url: &str, password: &str) -> bool {
    let body = serde_json::json!({
        "query": "mutation($p: String!) { createToken(identity: \"admin@astrodash.local\", password: $p) { token { value } } }",
        "variables": {"p": password},
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let reply: serde_json::Value = rt.block_on(async {
        reqwest::Client::new()
            .post(url)
            .json(&body)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json")
    });
    reply["data"]["createToken"]["token"]["value"].is_string()
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
