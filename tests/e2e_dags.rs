//! End to end down a deployment's Airflow: the real `astrodash` binary in a pseudo-terminal
//! against houston-local (its simulated Airflow behind the ingress-like guard): the DAGs tab
//! with its run marks → Enter → a DAG's runs → a run's task instances → a task's log, then Esc
//! back up to the DAGs tab with the cursor on the DAG it left from; and the marks of DAGs whose
//! runs are older than the newest 300 across DAGs (Core ETL's daily DAGs, crowded out by its
//! hourly and half-hourly ones), read DAG by DAG for the rows on screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::pty::{ENTER, ESC, Server, Tui};

fn server() -> Server {
    Server::start(houston_local::Config {
        seed: Some(houston_local::Seed::Demo),
        deploying_secs: 0,
        ..houston_local::Config::default()
    })
}

/// `2/9` in a table's bottom border: the cursor's position.
fn position(screen: &str) -> Option<String> {
    screen.lines().rev().find_map(|line| {
        let line = line.trim_end_matches(['╯', ' ']);
        let word = line.rsplit(' ').next()?;
        let (a, b) = word.split_once('/')?;
        (a.parse::<usize>().is_ok() && b.parse::<usize>().is_ok()).then(|| word.to_string())
    })
}

#[test]
fn dags_tab_to_a_task_log_and_back_up_to_the_same_dag() {
    let server = server();
    let url = server.url();
    let token = server.admin_token();
    let mut tui = Tui::spawn(
        &["--url", &url],
        &[("ASTRODASH_TOKEN", token.as_str())],
        140,
        40,
    );
    tui.open_core_etl();

    // The DAGs tab: rows from the deployment's Airflow, with their run marks.
    tui.send("7");
    let screen = tui.wait_until("DAG rows with run marks", |s| {
        s.contains("DAGs (") && (s.contains('●') || s.contains('✗'))
    });
    assert!(
        screen.contains("Runs") && screen.contains("Last run"),
        "{screen}"
    );
    tui.send("j");
    let at = tui.wait_until("the cursor on the second DAG", |s| {
        position(s).is_some_and(|p| p.starts_with("2/"))
    });
    let left_from = position(&at).unwrap();

    // Enter: the DAG's runs.
    tui.send(ENTER);
    let screen = tui.wait_for("Runs (");
    assert!(screen.contains("› Runs"), "breadcrumbs:\n{screen}");
    assert!(screen.contains("Logical date"), "{screen}");
    // Enter: the newest run's task instances.
    tui.send(ENTER);
    let screen = tui.wait_for("Task instances (");
    assert!(screen.contains("Operator"), "{screen}");
    // Enter: the first task instance's log, read from Airflow.
    tui.send(ENTER);
    let screen = tui.wait_until("the task log", |s| {
        s.contains("read from Airflow") || s.contains("stopped")
    });
    assert!(screen.contains("read from Airflow"), "{screen}");
    assert!(
        screen.contains("try 1"),
        "the tries are the log's tabs:\n{screen}"
    );
    assert!(!screen.to_lowercase().contains("<html"), "{screen}");

    // Esc walks back up, level by level.
    tui.send(ESC);
    tui.wait_for("Task instances (");
    tui.send(ESC);
    tui.wait_for("Runs (");
    tui.send(ESC);
    let screen = tui.wait_for("DAGs (");
    assert_eq!(
        position(&screen).as_deref(),
        Some(left_from.as_str()),
        "the cursor is on the DAG it left from:\n{screen}"
    );
    tui.send("q");
    tui.wait_exit();
}

/// A `>18h` in the Last run column: a DAG shown without its runs.
fn without_runs(line: &str) -> bool {
    line.split_whitespace().any(|w| {
        w.strip_prefix('>')
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    })
}

#[test]
fn dags_crowded_out_of_the_newest_runs_still_show_their_marks() {
    let server = server();
    let url = server.url();
    let token = server.admin_token();
    let mut tui = Tui::spawn(
        &["--url", &url],
        &[("ASTRODASH_TOKEN", token.as_str())],
        140,
        40,
    );
    tui.open_core_etl();
    tui.send("7");
    // Core ETL's hourly and half-hourly DAGs fill the newest 300 runs; its daily ones (runs a
    // day old and more) are read on their own and get their marks and age too.
    let screen = tui.wait_until("every DAG with its runs", |s| {
        s.contains("DAGs (30)")
            && s.lines().any(|l| l.contains("@daily"))
            && !s.lines().any(without_runs)
    });
    let daily: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains(" active ") && (l.contains("@daily") || l.contains("0 2 * * *")))
        .collect();
    assert!(daily.len() >= 3, "{screen}");
    // Read and found empty (a DAG without a schedule): said so, not left blank.
    assert!(screen.contains("never"), "{screen}");
    for line in &daily {
        assert!(
            line.contains('●') || line.contains('✗'),
            "a daily DAG with its run marks: {line}\n{screen}"
        );
        assert!(line.contains(" ago"), "and its last run's age: {line}");
    }
    tui.send("q");
    tui.wait_exit();
}
