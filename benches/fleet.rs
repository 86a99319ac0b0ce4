//! The fleet and the DAGs tab (issue 14). Run with `cargo bench --bench fleet`; figures go to
//! BENCHMARKS.md.
//! - the DAGs tab, 1,000 DAGs, 160×48: one frame (budget 2 ms);
//! - what staying live costs: 200 deployments through the real reducer with a simulated clock,
//!   every read answered at once — Airflow reads per deployment per minute while the
//!   all-deployments view (or `:dags`) is shown and when it is not, and the most in flight;
//! - the release binary as a whole process in a pseudo-terminal against houston-local with
//!   ~200 deployments: `a` → every deployment's Airflow columns filled, and `:dags` → every
//!   deployment's failed and running runs read (budget 3 s);
//! - `7` on a deployment → the DAGs tab's first frame with data, and beside it in the same run
//!   `curl` (process start → reply) fetching the same document from the same Airflow.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use astrodash::airflow::model::{Component, Dag, DagRun, Health};
use astrodash::app::airflow::{AirflowPayload, AirflowRequest};
use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::{AppState, DeploymentTab, Route};
use astrodash::app::update::{init, update};
use astrodash::config::{Settings, TokenSource};
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0)
        .single()
        .unwrap()
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn deployment(i: usize) -> Deployment {
    Deployment {
        id: format!("d-{i:04}").into(),
        label: format!("fleet-{i:04}"),
        description: None,
        release_name: format!("release-{i}"),
        namespace: None,
        workspace_id: Some("ws".into()),
        workspace_label: Some("Fleet".into()),
        cluster: None,
        executor: Executor::Celery,
        airflow_version: Some("2.9.2".into()),
        desired_airflow_version: Some("2.9.2".into()),
        runtime_version: None,
        desired_runtime_version: None,
        runtime_airflow_version: None,
        chart_version: None,
        status: DeploymentStatus::Healthy,
        image_tag: None,
        urls: vec![DeploymentUrl {
            kind: "airflow".into(),
            url: format!("https://deployments.example.com/release-{i}/airflow"),
        }],
        resources: vec![],
        extra_au: None,
        capabilities: DeploymentCapabilities::default(),
        created_at: None,
        updated_at: None,
    }
}

fn state() -> AppState {
    let settings = Settings {
        context_name: "bench".into(),
        url: "http://127.0.0.1/v1".into(),
        token: Some("t".into()),
        token_source: TokenSource::Flag,
        refresh: Duration::from_secs(5),
        ..Settings::default()
    };
    let mut s = AppState::new(&settings, now(), false);
    update(&mut s, Msg::Resize(160, 48));
    s.cache.succeed(
        Request::Me,
        Payload::Me(Me {
            id: Some("u".into()),
            username: "u".into(),
            full_name: Some("Bench User".into()),
            email: None,
            is_system_admin: true,
            deployment_roles: Vec::new(),
        }),
        now(),
    );
    s
}

fn stats(mut samples: Vec<Duration>) -> (f64, f64, f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    let p99 = samples[(samples.len() * 99 / 100).min(samples.len() - 1)];
    (
        ms(mean),
        ms(samples[samples.len() / 2]),
        ms(p99),
        ms(samples[samples.len() - 1]),
    )
}

// ---- the DAGs tab, 1,000 DAGs ----

fn dag(i: usize) -> Dag {
    Dag {
        dag_id: format!("pipeline_{i:04}"),
        is_paused: i.is_multiple_of(5),
        is_active: true,
        schedule: Some("0 * * * *".into()),
        next_run: Some(now() + chrono::Duration::minutes((i % 60) as i64)),
        has_import_errors: i.is_multiple_of(97),
        owners: vec!["data-eng".into()],
        tags: vec!["etl".into(), format!("team-{}", i % 7)],
        description: None,
        fileloc: Some(format!("/usr/local/airflow/dags/pipeline_{i:04}.py")),
    }
}

fn bench_dags_frame() {
    let mut s = state();
    let d = deployment(0);
    let id = d.id.clone();
    s.cache.succeed(
        Request::Deployment(id.clone()),
        Payload::Deployment(Box::new(d)),
        now(),
    );
    s.nav.routes.push(Route::Deployment {
        id: id.clone(),
        tab: DeploymentTab::Dags,
    });
    // Through the reducer: the tab's rows are made when the reply arrives.
    let request = AirflowRequest::Dags(id);
    let seq = astrodash::app::update::airflow::fetch(&mut s, request.clone())
        .iter()
        .find_map(|e| match e {
            Effect::AirflowFetch { seq, .. } => Some(*seq),
            _ => None,
        })
        .unwrap();
    update(
        &mut s,
        Msg::AirflowReply {
            request,
            seq,
            at: now(),
            result: Ok(AirflowPayload::Dags((0..1000).map(dag).collect())),
        },
    );
    let mut terminal = match Terminal::new(TestBackend::new(160, 48)) {
        Ok(t) => t,
        Err(e) => match e {},
    };
    let mut samples = Vec::new();
    for _ in 0..500 {
        update(&mut s, key(KeyCode::PageDown));
        let start = Instant::now();
        let _ = terminal.draw(|f| astrodash::ui::draw(f, &s));
        samples.push(start.elapsed());
    }
    let text: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(text.contains("pipeline_"), "the table is drawn");
    let (mean, p50, p99, _) = stats(samples);
    println!(
        "DAGs tab, 1,000 DAGs, 160×48, one frame: mean {mean:.3} ms, median {p50:.3} ms, p99 {p99:.3} ms (500 frames; budget 2 ms)"
    );
}

// ---- the cost of staying live ----

fn answer(request: &AirflowRequest) -> AirflowPayload {
    match request {
        AirflowRequest::FailedRuns(_) => AirflowPayload::RunPage {
            runs: vec![DagRun {
                dag_id: "etl".into(),
                dag_run_id: "scheduled__1".into(),
                state: Some("failed".into()),
                run_type: None,
                logical_date: None,
                start_date: Some(now()),
                end_date: Some(now()),
                conf: None,
            }],
            total: Some(1),
        },
        AirflowRequest::RunningRuns(_) => AirflowPayload::RunPage {
            runs: vec![],
            total: Some(0),
        },
        AirflowRequest::ImportErrors(_) => AirflowPayload::ImportErrors(vec![]),
        AirflowRequest::Health(_) => AirflowPayload::Health(Health {
            scheduler: Component {
                status: Some("healthy".into()),
                latest_heartbeat: Some(now()),
            },
            ..Health::default()
        }),
        _ => AirflowPayload::Dags(vec![]),
    }
}

/// Run the clock for `minutes`, a tick a second, answering every read at once; the reads sent
/// per deployment per minute, and the most in flight at once.
fn run_clock(
    s: &mut AppState,
    first: Vec<Effect>,
    from: i64,
    minutes: i64,
) -> (Vec<HashMap<DeploymentId, usize>>, usize) {
    let mut per_minute = vec![HashMap::new(); minutes as usize];
    let mut most = 0;
    let mut first = Some(first);
    for t in from..from + minutes * 60 {
        let at = now() + chrono::Duration::seconds(t);
        let mut pending: Vec<Effect> = update(s, Msg::Tick(at));
        // What opening the view sent, answered with the first tick's.
        pending.extend(first.take().unwrap_or_default());
        while let Some(effect) = pending.pop() {
            if let Effect::AirflowFetch { seq, request, .. } = effect {
                most = most.max(s.fleet.in_flight.len());
                let minute = ((t - from) / 60) as usize;
                *per_minute[minute]
                    .entry(request.deployment().clone())
                    .or_default() += 1;
                let payload = answer(&request);
                pending.extend(update(
                    s,
                    Msg::AirflowReply {
                        request,
                        seq,
                        at,
                        result: Ok(payload),
                    },
                ));
            }
        }
    }
    (per_minute, most)
}

fn bench_live_cost() {
    const N: usize = 200;
    let mut s = state();
    s.cache.succeed(
        Request::AllDeployments,
        Payload::Deployments((0..N).map(deployment).collect()),
        now(),
    );
    // One clock through both views: it never runs backwards.
    let mut clock = 0;
    for (route, name) in [
        (Route::AllDeployments, "all deployments (Airflow columns)"),
        (Route::FleetRuns, ":dags"),
    ] {
        s.fleet = Default::default();
        s.cache.airflow.clear();
        s.nav.routes = vec![Route::Account, route];
        let opened = init(&mut s);
        let (minutes, most) = run_clock(&mut s, opened, clock, 11);
        clock += 11 * 60;
        let first: usize = minutes[0].values().sum();
        let later: Vec<usize> = minutes[1..].iter().map(|m| m.values().sum()).collect();
        let worst = minutes[1..]
            .iter()
            .flat_map(|m| m.values())
            .max()
            .copied()
            .unwrap_or(0);
        let mean = later.iter().sum::<usize>() as f64 / (later.len() * N) as f64;
        println!(
            "{name}, {N} deployments shown: first minute {first} reads ({:.1} per deployment), then {mean:.2} reads per deployment per minute (most for one deployment in a minute: {worst}); at most {most} in flight",
            first as f64 / N as f64
        );
        s.nav.routes = vec![Route::Account];
        let closed = init(&mut s);
        let (hidden, _) = run_clock(&mut s, closed, clock, 10);
        clock += 10 * 60;
        let none: usize = hidden.iter().flat_map(|m| m.values()).sum();
        println!("{name}, not shown for 10 minutes: {none} reads");
    }
}

// ---- the release binary against houston-local ----

struct Houston {
    rt: tokio::runtime::Runtime,
    handle: Option<houston_local::Handle>,
    token: String,
}

impl Houston {
    fn start(bulk: usize) -> Houston {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let handle = rt
            .block_on(houston_local::start(houston_local::Config {
                seed: Some(houston_local::Seed::Demo),
                log_interval_ms: 0,
                ..houston_local::Config::default()
            }))
            .expect("server");
        if bulk > 0 {
            handle
                .bulk_workspace("Fleet", bulk)
                .expect("bulk workspace");
        }
        let token = handle.issue_token("admin@astrodash.local").expect("token");
        Houston {
            rt,
            handle: Some(handle),
            token,
        }
    }

    fn url(&self) -> String {
        self.handle.as_ref().expect("running").url()
    }

    /// Every deployment: (label, release name, Airflow URL).
    fn deployments(&self) -> Vec<(String, String, String)> {
        let url = self.url();
        let token = self.token.clone();
        let reply: serde_json::Value = self.rt.block_on(async move {
            reqwest::Client::new()
                .post(url)
                .header("Authorization", token)
                .json(&serde_json::json!({
                    "query": "{ deployments { label releaseName urls { type url } } }"
                }))
                .send()
                .await
                .expect("POST")
                .json()
                .await
                .expect("JSON")
        });
        reply["data"]["deployments"]
            .as_array()
            .expect("deployments")
            .iter()
            .map(|d| {
                let airflow = d["urls"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|u| u["type"] == "airflow")
                    .map(|u| u["url"].as_str().unwrap().to_string())
                    .unwrap_or_default();
                (
                    d["label"].as_str().unwrap().to_string(),
                    d["releaseName"].as_str().unwrap().to_string(),
                    airflow,
                )
            })
            .collect()
    }
}

impl Drop for Houston {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            self.rt.block_on(handle.shutdown());
        }
    }
}

struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn std::io::Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _scratch: tempfile::TempDir,
}

impl Tui {
    fn spawn(houston: &Houston) -> Tui {
        let scratch = tempfile::tempdir().expect("scratch");
        let config = scratch.path().join("empty.toml");
        std::fs::write(&config, "").expect("config");
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 48,
                cols: 160,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_astrodash"));
        let url = houston.url();
        cmd.args(["--url", &url, "--config", config.to_str().unwrap()]);
        cmd.env("ASTRODASH_TOKEN", &houston.token);
        cmd.env("XDG_DATA_HOME", scratch.path().join("data"));
        cmd.env_remove("DISPLAY");
        cmd.env_remove("WAYLAND_DISPLAY");
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(48, 160, 0)));
        let p = parser.clone();
        std::thread::spawn(move || {
            let _master = pty.master;
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
            }
        });
        Tui {
            parser,
            writer,
            child,
            _scratch: scratch,
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }

    fn wait(&self, ok: impl Fn(&str) -> bool) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let screen = self.parser.lock().unwrap().screen().contents();
            if ok(&screen) {
                return Instant::now();
            }
            assert!(Instant::now() < deadline, "timed out; screen:\n{screen}");
            std::thread::sleep(Duration::from_micros(500));
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn bench_fill() {
    // The demo's deployments and a bulk workspace: about 200 in all.
    let houston = Houston::start(188);
    let total = houston.deployments().len();
    let views = [
        ("a", "All deployments (", "`a` → Airflow columns", 3),
        (
            ":dags\r",
            "Failing and long-running DAG runs (",
            "`:dags` → failed and running runs",
            2,
        ),
    ];
    for (keys, title, what, reads) in views {
        let mut samples = Vec::new();
        for _ in 0..5 {
            let mut tui = Tui::spawn(&houston);
            tui.wait(|s| s.contains("Data Platform"));
            tui.send(keys);
            let start = Instant::now();
            // Not before the deployments are listed (an empty list reads nothing).
            let empty = format!("{title}0)");
            let done = tui.wait(|s| {
                s.contains(title)
                    && !s.contains(&empty)
                    && !s.contains("Reading Airflow")
                    && !s.contains("workspaces…")
            });
            let screen = tui.parser.lock().unwrap().screen().contents();
            assert!(!screen.contains("Airflow unreachable"), "{screen}");
            samples.push(done - start);
        }
        let (mean, p50, _, max) = stats(samples);
        println!(
            "{what} of {total} deployments filled ({reads} reads each; houston-local, whole process): median {p50:.0} ms, mean {mean:.0} ms, max {max:.0} ms (5 runs; budget 3 s)"
        );
    }
}

fn curl_dags(airflow: &str, token: &str) -> Option<Duration> {
    let start = Instant::now();
    let status = std::process::Command::new("curl")
        .args(["--silent", "--fail", "--output", "/dev/null"])
        .args(["-H", &format!("Authorization: Bearer {token}")])
        .args(["-H", "Accept: application/json"])
        .arg(format!(
            "{airflow}/api/v1/dags?order_by=dag_id&limit=100&offset=0"
        ))
        .status()
        .ok()?;
    let elapsed = start.elapsed();
    assert!(status.success(), "curl failed: {status}");
    Some(elapsed)
}

fn bench_dags_tab_vs_curl() {
    let houston = Houston::start(0);
    let deployments = houston.deployments();
    let (label, release, airflow) = deployments
        .iter()
        .find(|d| d.0 == "Core ETL")
        .expect("the demo's Core ETL")
        .clone();
    let mut tui_samples = Vec::new();
    let mut curl_samples = Vec::new();
    for _ in 0..10 {
        let mut tui = Tui::spawn(&houston);
        tui.wait(|s| s.contains("Data Platform"));
        tui.send(&format!(":deploy {release}\r"));
        tui.wait(|s| s.contains(&label) && s.contains("Overview"));
        tui.send("7");
        let start = Instant::now();
        // The rows (each DAG is active or paused): the tab has data.
        let done = tui.wait(|s| s.contains(" active ") || s.contains(" paused "));
        tui_samples.push(done - start);
        drop(tui);
        if let Some(d) = curl_dags(&airflow, &houston.token) {
            curl_samples.push(d);
        }
    }
    let (mean, p50, _, max) = stats(tui_samples);
    println!(
        "astrodash: `7` → DAGs tab first frame with data: median {p50:.1} ms, mean {mean:.1} ms, max {max:.1} ms (10 runs)"
    );
    if curl_samples.is_empty() {
        println!("curl not found: the curl column is skipped");
    } else {
        let (mean, p50, _, max) = stats(curl_samples);
        println!(
            "curl GET …/api/v1/dags (same Airflow, same token): process start → reply: median {p50:.1} ms, mean {mean:.1} ms, max {max:.1} ms (10 runs)"
        );
    }
}

fn main() {
    bench_dags_frame();
    bench_live_cost();
    bench_dags_tab_vs_curl();
    bench_fill();
}
