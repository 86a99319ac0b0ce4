//! The real astrodash binary in a pseudo-terminal against a real Apache Airflow (2.10, the
//! example DAGs) through `astrodash serve --airflow-upstream URL`: houston-local checks the
//! Houston token as the platform's ingress does and proxies Core ETL's Airflow to the real
//! webserver. The DAGs tab lists the real example DAGs; unpause and trigger from it are what
//! the real Airflow then reports (read with the client, basic auth); Enter down to the new
//! run's first task shows its log once the real scheduler ran it; pause restores the DAG.
//! A mapped task's instance (`add_one[1]` of `example_dynamic_task_mapping`) opens its own log
//! through the proxy (its `map_index` passed on).
//! Start the Airflow with `scripts/real-airflow.sh start`, then
//! `eval "$(scripts/real-airflow.sh env)" && cargo test --test real_airflow_tui -- --ignored`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use astrodash::airflow::{AirflowClient, ApiVersion, Credential, Options, Secret};
use common::pty::{ENTER, ESC, Tui};
use serde_json::{Value, json};

const NEEDS: &str = "needs a real Airflow: scripts/real-airflow.sh";
/// A quick example DAG with no external dependencies (paused at creation).
const FAST_DAG: &str = "tutorial_taskflow_api";
/// The example DAG with a mapped task: `add_one.expand(x=[1, 2, 3])`, then `sum_it`.
const MAPPED_DAG: &str = "example_dynamic_task_mapping";
const CTRL_S: &str = "\x13";
const CTRL_R: &str = "\x12";

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: {NEEDS}, then eval its env"))
}

/// `astrodash serve --seed demo` proxying every deployment's Airflow to the real one.
struct Serve {
    child: Child,
    lines: mpsc::Receiver<String>,
    _dir: tempfile::TempDir,
}

impl Serve {
    fn start() -> Serve {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_astrodash"))
            .args(["serve", "--port", "0", "--seed", "demo", "--db"])
            .arg(dir.path().join("houston.db"))
            .args(["--airflow-upstream", &var("ASTRODASH_REAL_AIRFLOW_URL")])
            .args([
                "--airflow-upstream-user",
                &var("ASTRODASH_REAL_AIRFLOW_USER"),
            ])
            .args([
                "--airflow-upstream-password",
                &var("ASTRODASH_REAL_AIRFLOW_PASSWORD"),
            ])
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

/// The real Airflow itself (basic auth), to check what the TUI did.
fn real_airflow() -> AirflowClient {
    let credential = Credential::Basic {
        user: var("ASTRODASH_REAL_AIRFLOW_USER"),
        password: Secret::from(var("ASTRODASH_REAL_AIRFLOW_PASSWORD")),
    };
    AirflowClient::new(
        &var("ASTRODASH_REAL_AIRFLOW_URL"),
        credential,
        ApiVersion::V1,
        &Options::default(),
    )
    .unwrap()
}

/// `astrodash serve` proxying to the real Airflow, and the demo admin in the TUI against it.
fn serve_and_tui(rt: &tokio::runtime::Runtime) -> (Serve, Tui) {
    let serve = Serve::start();
    let url = serve
        .line("houston-local listening on ")
        .split_whitespace()
        .nth(3)
        .unwrap()
        .to_string();
    let password = serve
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
    (serve, tui)
}

#[test]
#[ignore = "needs a real Airflow: scripts/real-airflow.sh"]
fn a_mapped_instances_own_log_through_the_proxy() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let real = real_airflow();
    // A finished run of the mapped DAG (triggered with the client; bounded wait).
    rt.block_on(real.set_paused(MAPPED_DAG, false)).unwrap();
    let run = rt.block_on(real.trigger(MAPPED_DAG, None)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let tis = rt
            .block_on(real.task_instances(MAPPED_DAG, &run.dag_run_id))
            .unwrap();
        let done = |t: &astrodash::airflow::model::TaskInstance| {
            matches!(t.state.as_deref(), Some("success" | "failed"))
        };
        if tis.len() > 2 && tis.iter().all(done) {
            break;
        }
        assert!(Instant::now() < deadline, "the run did not finish: {tis:?}");
        std::thread::sleep(Duration::from_secs(3));
    }
    rt.block_on(real.set_paused(MAPPED_DAG, true)).unwrap();

    let (_serve, mut tui) = serve_and_tui(&rt);
    tui.wait_for("Data Platform");
    tui.send(":deploy Core ETL");
    tui.send(ENTER);
    tui.wait_for("Core ETL — ");
    tui.send("7");
    tui.wait_for("example_bash_operator");
    tui.send(&format!("/{MAPPED_DAG}"));
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Runs (");
    tui.send(&format!("/{}", run.dag_run_id));
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
    // add_one(2) for map index 1: its own log, as the real Airflow wrote it.
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

#[test]
#[ignore = "needs a real Airflow: scripts/real-airflow.sh"]
fn the_dags_tab_pause_trigger_and_a_task_log_against_a_real_airflow() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let real = real_airflow();
    // Paused, as the examples are at creation (an earlier run may have left it otherwise).
    rt.block_on(real.set_paused(FAST_DAG, true)).unwrap();
    let runs_before = rt.block_on(real.dag_runs(FAST_DAG, 100)).unwrap().len();

    let (_serve, mut tui) = serve_and_tui(&rt);
    tui.wait_for("Data Platform");
    tui.send(":deploy Core ETL");
    tui.send(ENTER);
    tui.wait_for("Core ETL — ");
    tui.send("7");
    // The real Airflow's example DAGs, read through the platform-like proxy.
    let screen = tui.wait_for("example_bash_operator");
    assert!(screen.contains("DAGs"), "{screen}");
    tui.send(&format!("/{FAST_DAG}"));
    tui.send(ENTER);
    tui.wait_until("the filtered rows", |s| {
        s.contains(FAST_DAG) && !s.contains("example_bash_operator")
    });

    // Unpause: the real Airflow reports it.
    tui.send("p");
    tui.wait_for(&format!("Unpause {FAST_DAG}?"));
    tui.send(ENTER);
    tui.wait_for(&format!("Unpaused {FAST_DAG}"));
    let listed = rt.block_on(real.dags()).unwrap();
    assert!(
        !listed
            .iter()
            .find(|d| d.dag_id == FAST_DAG)
            .unwrap()
            .is_paused,
        "the real Airflow reports it unpaused"
    );

    // Trigger with a conf: a manual run the real Airflow lists, with that conf.
    tui.send("t");
    tui.wait_for(&format!("Trigger {FAST_DAG}"));
    tui.send("{\"from\": \"astrodash-tui\"}");
    tui.send(CTRL_S);
    tui.wait_for(&format!("Trigger a run of {FAST_DAG}?"));
    tui.send(ENTER);
    tui.wait_for(&format!("Triggered a run of {FAST_DAG}"));
    let runs = rt.block_on(real.dag_runs(FAST_DAG, 100)).unwrap();
    assert_eq!(runs.len(), runs_before + 1, "{runs:?}");
    let run = runs
        .iter()
        .find(|r| r.conf == Some(json!({"from": "astrodash-tui"})))
        .expect("the triggered run, with its conf");
    assert_eq!(run.run_type.as_deref(), Some("manual"));

    // Down to the new run's first task and its log, once the real scheduler has run it.
    tui.send(ENTER);
    tui.wait_for("Runs (");
    tui.send(&format!("/{}", run.dag_run_id));
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Task instances (");
    tui.send("/extract");
    tui.send(ENTER);
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let screen = tui.screen();
        let row = screen.lines().find(|l| l.contains("│extract "));
        if row.is_some_and(|r| r.contains("success")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "extract did not succeed within 4 minutes:\n{screen}"
        );
        std::thread::sleep(Duration::from_secs(3));
        tui.send(CTRL_R);
    }
    tui.send(ENTER);
    // The real Airflow's log of that try, in the log view.
    tui.wait_until("the task's log", |s| {
        [
            "Returned value was",
            "Task exited with return code",
            "Marking task as SUCCESS",
        ]
        .iter()
        .any(|line| s.contains(line))
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
    tui.wait_for(&format!("Pause {FAST_DAG}?"));
    tui.send(ENTER);
    tui.wait_for(&format!("Paused {FAST_DAG}"));
    let listed = rt.block_on(real.dags()).unwrap();
    assert!(
        listed
            .iter()
            .find(|d| d.dag_id == FAST_DAG)
            .unwrap()
            .is_paused
    );
    tui.send("q");
    assert!(tui.wait_exit().success());
}
