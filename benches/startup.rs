//! Start-up and idle benchmarks of the release binary run as users run it: a whole process in a
//! pseudo-terminal, with the environment inherited from the shell that runs the bench (minus
//! `DISPLAY`/`WAYLAND_DISPLAY`, as over SSH), once without and once with `RUST_BACKTRACE=1`
//! (common in a Rust developer's shell):
//! - process start → first frame and → first frame with data, for `astrodash demo` and for
//!   `astrodash --url` against houston-local started by the bench;
//! - next to it, `curl` posting the same GraphQL documents (AppConfig, Me, then Workspaces) to
//!   the same houston-local, process start → last reply (skipped, saying so, when curl is
//!   missing);
//! - CPU used while idle on the account dashboard.
//!
//! Run with `cargo bench --bench startup`; figures go to BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use astrodash::houston::ops;
use graphql_client::GraphQLQuery;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const RUNS: usize = 10;

struct Run {
    first_frame: Duration,
    first_data: Duration,
}

/// A running astrodash: its screen, the child and when it was started.
struct Spawned {
    parser: Arc<Mutex<vt100::Parser>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    start: Instant,
    _scratch: tempfile::TempDir,
}

/// The environment variables of this process, as the child gets them (`CommandBuilder`
/// inherits them), with `DISPLAY` removed and `RUST_BACKTRACE` as asked.
fn command(args: &[&str], env: &[(&str, &str)], backtrace: bool, scratch: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_astrodash"));
    cmd.args(args);
    cmd.env_remove("DISPLAY");
    cmd.env_remove("WAYLAND_DISPLAY");
    if backtrace {
        cmd.env("RUST_BACKTRACE", "1");
    } else {
        cmd.env_remove("RUST_BACKTRACE");
        cmd.env_remove("RUST_LIB_BACKTRACE");
    }
    // The only isolation: the log file goes to a scratch directory, not the user's data dir.
    cmd.env("XDG_DATA_HOME", scratch.join("data"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn spawn(args: &[&str], env: &[(&str, &str)], backtrace: bool) -> Spawned {
    let scratch = tempfile::tempdir().expect("scratch dir");
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let cmd = command(args, env, backtrace, scratch.path());
    let start = Instant::now();
    let child = pty.slave.spawn_command(cmd).expect("spawn");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let parser = Arc::new(Mutex::new(vt100::Parser::new(40, 120, 0)));
    let p = parser.clone();
    std::thread::spawn(move || {
        let _master = pty.master;
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p.lock().unwrap().process(&buf[..n]);
        }
    });
    Spawned {
        parser,
        child,
        start,
        _scratch: scratch,
    }
}

fn wait_until(parser: &Mutex<vt100::Parser>, ok: impl Fn(&vt100::Screen) -> bool) -> Instant {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if ok(parser.lock().unwrap().screen()) {
            return Instant::now();
        }
        assert!(
            Instant::now() < deadline,
            "timed out; screen:\n{}",
            parser.lock().unwrap().screen().contents()
        );
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// Process start → first frame, and → the account dashboard with its workspaces.
fn measure(args: &[&str], env: &[(&str, &str)], backtrace: bool) -> Run {
    let mut run = spawn(args, env, backtrace);
    let frame = wait_until(&run.parser, |s| {
        s.alternate_screen() && !s.contents().trim().is_empty()
    });
    let data = wait_until(&run.parser, |s| s.contents().contains("Data Platform"));
    let _ = run.child.kill();
    let _ = run.child.wait();
    Run {
        first_frame: frame - run.start,
        first_data: data - run.start,
    }
}

/// houston-local with demo data on a runtime of the bench.
struct Houston {
    rt: tokio::runtime::Runtime,
    handle: Option<houston_local::Handle>,
    token: String,
}

impl Houston {
    fn start() -> Houston {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let handle = rt
            .block_on(houston_local::start(houston_local::Config {
                seed: Some(houston_local::Seed::Demo),
                log_interval_ms: 0,
                ..houston_local::Config::default()
            }))
            .expect("server");
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
}

impl Drop for Houston {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            self.rt.block_on(handle.shutdown());
        }
    }
}

/// The documents the TUI posts before its first data frame (the server's version, who I am,
/// my workspaces), as `graphql_client` builds them.
fn first_frame_documents(dir: &Path) -> Vec<PathBuf> {
    let app_config = ops::AppConfig::build_query(ops::app_config::Variables);
    let me = ops::Me::build_query(ops::me::Variables);
    let workspaces = ops::Workspaces::build_query(ops::workspaces::Variables);
    let bodies = [
        (
            "app_config.json",
            serde_json::to_vec(&app_config).expect("json"),
        ),
        ("me.json", serde_json::to_vec(&me).expect("json")),
        (
            "workspaces.json",
            serde_json::to_vec(&workspaces).expect("json"),
        ),
    ];
    bodies
        .into_iter()
        .map(|(name, body)| {
            let path = dir.join(name);
            std::fs::write(&path, body).expect("write body");
            path
        })
        .collect()
}

/// `curl` (one process, one connection) posting the documents one after the other: process
/// start → every reply read. `None` when curl cannot be run.
fn curl_run(url: &str, token: &str, bodies: &[PathBuf]) -> Option<Duration> {
    let mut cmd = std::process::Command::new("curl");
    cmd.arg("--silent")
        .arg("--fail")
        .arg("--output")
        .arg("/dev/null");
    for (i, body) in bodies.iter().enumerate() {
        if i > 0 {
            cmd.arg("--next").arg("--silent").arg("--fail");
            cmd.arg("--output").arg("/dev/null");
        }
        cmd.args(["-H", "Content-Type: application/json"]);
        cmd.args(["-H", "Accept: application/json"]);
        cmd.args(["-H", &format!("Authorization: {token}")]);
        cmd.arg("--data-binary")
            .arg(format!("@{}", body.display()))
            .arg(url);
    }
    let start = Instant::now();
    let status = cmd.status().ok()?;
    let elapsed = start.elapsed();
    assert!(status.success(), "curl failed: {status}");
    Some(elapsed)
}

/// utime + stime of a process, from /proc (clock ticks → ms).
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc stat");
    let after_comm = stat.rsplit(')').next().expect("stat format");
    let fields: Vec<&str> = after_comm.split_whitespace().collect();
    // Fields after the command name start at 3 (state); utime is 14 and stime 15 (1-based).
    let ticks: f64 =
        fields[11].parse::<f64>().expect("utime") + fields[12].parse::<f64>().expect("stime");
    ticks * 1000.0 / 100.0
}

fn idle_cpu(houston: &Houston, refresh: &str, seconds: u64) -> f64 {
    let url = houston.url();
    let config = tempfile::NamedTempFile::new().expect("empty config");
    let config = config.path().to_str().expect("utf-8").to_string();
    let mut run = spawn(
        &["--url", &url, "--refresh", refresh, "--config", &config],
        &[("ASTRODASH_TOKEN", houston.token.as_str())],
        false,
    );
    wait_until(&run.parser, |s| s.contents().contains("Data Platform"));
    std::thread::sleep(Duration::from_millis(500));
    let pid = run.child.process_id().expect("pid");
    let before = cpu_ms(pid);
    std::thread::sleep(Duration::from_secs(seconds));
    let used = cpu_ms(pid) - before;
    let _ = run.child.kill();
    let _ = run.child.wait();
    used
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    (mean, v[v.len() / 2], v[v.len() - 1])
}

fn print_row(what: &str, values: Vec<f64>) {
    let runs = values.len();
    let (mean, p50, max) = stats(values);
    println!("{what:<58} p50 {p50:7.1} ms  mean {mean:7.1} ms  max {max:7.1} ms  ({runs} runs)");
}

fn report(label: &str, runs: &[Run]) {
    print_row(
        &format!("{label}: start → first frame"),
        runs.iter()
            .map(|r| r.first_frame.as_secs_f64() * 1e3)
            .collect(),
    );
    print_row(
        &format!("{label}: start → first data frame"),
        runs.iter()
            .map(|r| r.first_data.as_secs_f64() * 1e3)
            .collect(),
    );
}

fn main() {
    let houston = Houston::start();
    let url = houston.url();
    let scratch = tempfile::tempdir().expect("scratch");
    // An empty explicit config: the user's own astrodash.toml plays no part in the figures.
    let config = scratch.path().join("empty.toml");
    std::fs::write(&config, "").expect("empty config");
    let config = config.to_str().expect("utf-8 path").to_string();
    let token_env = [("ASTRODASH_TOKEN", houston.token.as_str())];
    let url_args = ["--url", url.as_str(), "--config", config.as_str()];

    for backtrace in [false, true] {
        let label = if backtrace {
            "RUST_BACKTRACE=1"
        } else {
            "RUST_BACKTRACE unset"
        };
        println!("— {label}");
        let _warm = measure(&["demo"], &[], backtrace);
        let demo: Vec<Run> = (0..RUNS)
            .map(|_| measure(&["demo"], &[], backtrace))
            .collect();
        report("astrodash demo", &demo);
        let _warm = measure(&url_args, &token_env, backtrace);
        let remote: Vec<Run> = (0..RUNS)
            .map(|_| measure(&url_args, &token_env, backtrace))
            .collect();
        report("astrodash --url (houston-local)", &remote);
    }

    let bodies = first_frame_documents(scratch.path());
    match curl_run(&url, &houston.token, &bodies) {
        Some(_) => {
            let runs: Vec<f64> = (0..RUNS)
                .filter_map(|_| curl_run(&url, &houston.token, &bodies))
                .map(|d| d.as_secs_f64() * 1e3)
                .collect();
            print_row(
                "curl posting AppConfig, Me, Workspaces: start → last reply",
                runs,
            );
        }
        None => println!("curl not found: the curl column is skipped"),
    }

    let idle = idle_cpu(&houston, "3600", 10);
    println!("idle on the account dashboard, no refresh due:      {idle:6.1} ms CPU in 10 s");
    let refreshing = idle_cpu(&houston, "5", 10);
    println!("idle on the account dashboard, refresh every 5 s:   {refreshing:6.1} ms CPU in 10 s");
}
