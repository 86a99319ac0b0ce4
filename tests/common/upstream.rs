//! The real binary against a real Apache Airflow, through `astrodash serve --airflow-upstream`:
//! houston-local checks the Houston token as the platform's ingress does and proxies the
//! deployments' Airflow to the real one. Shared by `real_airflow_tui` (Airflow 2) and
//! `real_airflow3_tui` (Airflow 3): the same walk of the DAGs tab, checked on the real Airflow.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use astrodash::airflow::AirflowClient;
use serde_json::{Value, json};

use super::pty::{ENTER, ESC, Tui};
use super::real_airflow::MAPPED_DAG;

const CTRL_S: &str = "\x13";
const CTRL_R: &str = "\x12";

/// `astrodash serve --seed demo` proxying every deployment's Airflow to `upstream`.
pub struct Serve {
    child: Child,
    lines: mpsc::Receiver<String>,
    _dir: tempfile::TempDir,
}

impl Serve {
    pub fn start(upstream: &str, user: &str, password: &str) -> Serve {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_astrodash"))
            .args(["serve", "--port", "0", "--seed", "demo", "--db"])
            .arg(dir.path().join("houston.db"))
            .args(["--airflow-upstream", upstream])
            .args(["--airflow-upstream-user", user])
            .args(["--airflow-upstream-password", password])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start astrodash serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Serve {
            child,
            lines,
            _dir: dir,
        }
    }

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

    /// The TUI, logged in as the demo admin, on the account dashboard.
    pub fn tui(&self, rt: &tokio::runtime::Runtime) -> Tui {
        let url = self
            .line("houston-local listening on ")
            .split_whitespace()
            .nth(3)
            .unwrap()
            .to_string();
        let password = self
            .line("demo admin: admin@astrodash.local / ")
            .rsplit(" / ")
            .next()
            .unwrap()
            .to_string();
        let token = admin_token(rt, &url, &password);
        let tui = Tui::spawn(
            &["--url", &url],
            &[("ASTRODASH_TOKEN", token.as_str())],
            120,
            40,
        );
        tui.wait_for("Data Platform");
        tui
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo admin's Houston token from `url` (`http://127.0.0.1:PORT/v1`).
fn admin_token(rt: &tokio::runtime::Runtime, url: &str, password: &str) -> String {
    let query = format!(
        "mutation {{ createToken(identity: \"admin@astrodash.local\", password: \"{password}\") {{ token {{ value }} }} }}"
    );
    let reply: Value = rt.block_on(async {
        reqwest::Client::new()
            .post(url)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    reply["data"]["createToken"]["token"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("no token: {reply}"))
        .to_string()
}

/// The walk: deployment `deployment`'s DAGs tab lists the real example DAGs; unpause and a
/// trigger with a conf are what `real` (the same Airflow, read directly) then reports; Enter
/// down to the new run's `task` shows its real log (one of `log_lines`) once the real scheduler
/// ran it; pause restores the DAG.
pub fn walk_the_dags_tab(
    rt: &tokio::runtime::Runtime,
    real: &AirflowClient,
    mut tui: Tui,
    deployment: &str,
    dag: &str,
    task: &str,
    log_lines: &[&str],
) {
    // Paused, as the examples are at creation (an earlier run may have left it otherwise).
    rt.block_on(real.set_paused(dag, true)).unwrap();
    let runs_before = rt.block_on(real.dag_runs(dag, 100)).unwrap().len();

    tui.send(&format!(":deploy {deployment}"));
    tui.send(ENTER);
    tui.wait_for(&format!("{deployment} — "));
    tui.send("7");
    // The real Airflow's example DAGs, read through the platform-like proxy.
    let screen = tui.wait_for("example_bash_operator");
    assert!(screen.contains("DAGs"), "{screen}");
    tui.send(&format!("/{dag}"));
    tui.send(ENTER);
    tui.wait_until("the filtered rows", |s| {
        s.contains(dag) && !s.contains("example_bash_operator")
    });

    // Unpause: the real Airflow reports it.
    tui.send("p");
    tui.wait_for(&format!("Unpause {dag}?"));
    tui.send(ENTER);
    tui.wait_for(&format!("Unpaused {dag}"));
    let paused = |rt: &tokio::runtime::Runtime| {
        let listed = rt.block_on(real.dags()).unwrap();
        listed.iter().find(|d| d.dag_id == dag).unwrap().is_paused
    };
    assert!(!paused(rt), "the real Airflow reports it unpaused");

    // Trigger with a conf: a manual run the real Airflow lists, with that conf.
    tui.send("t");
    tui.wait_for(&format!("Trigger {dag}"));
    tui.send("{\"from\": \"astrodash-tui\"}");
    tui.send(CTRL_S);
    tui.wait_for(&format!("Trigger a run of {dag}?"));
    tui.send(ENTER);
    tui.wait_for(&format!("Triggered a run of {dag}"));
    let runs = rt.block_on(real.dag_runs(dag, 100)).unwrap();
    assert_eq!(runs.len(), runs_before + 1, "{runs:?}");
    let run = runs
        .iter()
        .find(|r| r.conf == Some(json!({"from": "astrodash-tui"})))
        .expect("the triggered run, with its conf");
    assert_eq!(run.run_type.as_deref(), Some("manual"));

    // Down to the new run's task and its log, once the real scheduler has run it.
    tui.send(ENTER);
    tui.wait_for("Runs (");
    tui.send(&format!("/{}", run.dag_run_id));
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Task instances (");
    tui.send(&format!("/{task}"));
    tui.send(ENTER);
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let screen = tui.screen();
        let row = screen.lines().find(|l| l.contains(&format!("│{task} ")));
        if row.is_some_and(|r| r.contains("success")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{task} did not succeed within 4 minutes:\n{screen}"
        );
        std::thread::sleep(Duration::from_secs(3));
        tui.send(CTRL_R);
    }
    tui.send(ENTER);
    // The real Airflow's log of that try, in the log view.
    tui.wait_until("the task's log", |s| {
        log_lines.iter().any(|l| s.contains(l))
    });
    // Back up to the DAGs tab (Esc also clears each view's filter on the way).
    for _ in 0..6 {
        if tui.screen().contains("DAGs (") {
            break;
        }
        tui.send(ESC);
        std::thread::sleep(Duration::from_millis(500));
    }
    tui.wait_for("DAGs (");

    // Pause again: as it was.
    tui.send("p");
    tui.wait_for(&format!("Pause {dag}?"));
    tui.send(ENTER);
    tui.wait_for(&format!("Paused {dag}"));
    assert!(paused(rt), "the real Airflow reports it paused again");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

/// A finished run of `MAPPED_DAG`, triggered on `real`: its id.
pub fn a_finished_mapped_run(rt: &tokio::runtime::Runtime, real: &AirflowClient) -> String {
    rt.block_on(super::real_airflow::a_finished_mapped_run(real))
        .0
}

/// Deployment `deployment`'s DAGs tab → `MAPPED_DAG` → `run_id` → `add_one[1]`: its own log
/// (`add_one(2)` returned 3), as the real Airflow wrote it, through the proxy (its `map_index`
/// passed on).
pub fn walk_to_a_mapped_instances_log(mut tui: Tui, deployment: &str, run_id: &str) {
    tui.send(&format!(":deploy {deployment}"));
    tui.send(ENTER);
    tui.wait_for(&format!("{deployment} — "));
    tui.send("7");
    tui.wait_for("example_bash_operator");
    tui.send(&format!("/{MAPPED_DAG}"));
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Runs (");
    tui.send(&format!("/{run_id}"));
    tui.send(ENTER);
    tui.send(ENTER);
    let screen = tui.wait_for("add_one[2]");
    assert!(
        screen.contains("add_one[0]") && screen.contains("sum_it"),
        "{screen}"
    );
    tui.send("/add_one[1]");
    tui.send(ENTER);
    tui.send(ENTER);
    let screen = tui.wait_until("the instance's log", |s| {
        s.contains("Returned value was") || s.contains("stopped")
    });
    assert!(screen.contains("Returned value was: 3"), "{screen}");
    let title = screen
        .lines()
        .find(|l| l.contains("─ Log"))
        .unwrap_or_default();
    assert!(
        title.contains("add_one[1]"),
        "the log names the instance:\n{screen}"
    );
    tui.send("q");
    assert!(tui.wait_exit().success());
}
