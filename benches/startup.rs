//! Start-up and idle benchmarks of the real binary in a pseudo-terminal:
//! - time from process start to the first frame and to the first frame with data (`astrodash demo`);
//! - CPU used while idle on the account dashboard.
//!
//! Run with `cargo bench --bench startup`; figures go to BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Run {
    first_frame: Duration,
    first_data: Duration,
}

/// Spawns astrodash with `args` and returns (screen, child, start instant, home dir).
fn spawn(
    args: &[&str],
    env: &[(&str, &str)],
) -> (
    Arc<Mutex<vt100::Parser>>,
    Box<dyn portable_pty::Child + Send + Sync>,
    Instant,
    tempfile::TempDir,
) {
    let home = tempfile::tempdir().expect("home");
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_astrodash"));
    cmd.args(args);
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", home.path());
    cmd.env("XDG_DATA_HOME", home.path().join("data"));
    for (k, v) in env {
        cmd.env(k, v);
    }
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
    (parser, child, start, home)
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

fn demo_start() -> Run {
    let (parser, mut child, start, _home) = spawn(&["demo"], &[]);
    let frame = wait_until(&parser, |s| {
        s.alternate_screen() && !s.contents().trim().is_empty()
    });
    let data = wait_until(&parser, |s| s.contents().contains("Data Platform"));
    let _ = child.kill();
    let _ = child.wait();
    Run {
        first_frame: frame - start,
        first_data: data - start,
    }
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

fn idle_cpu(refresh: &str, seconds: u64) -> f64 {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt
        .block_on(houston_local::start(houston_local::Config {
            seed: Some(houston_local::Seed::Demo),
            log_interval_ms: 0,
            ..houston_local::Config::default()
        }))
        .expect("server");
    let token = server.issue_token("admin@astrodash.local").expect("token");
    let url = server.url();
    let (parser, mut child, _, _home) = spawn(
        &["--url", &url, "--refresh", refresh],
        &[("ASTRODASH_TOKEN", token.as_str())],
    );
    wait_until(&parser, |s| s.contents().contains("Data Platform"));
    std::thread::sleep(Duration::from_millis(500));
    let pid = child.process_id().expect("pid");
    let before = cpu_ms(pid);
    std::thread::sleep(Duration::from_secs(seconds));
    let used = cpu_ms(pid) - before;
    let _ = child.kill();
    let _ = child.wait();
    rt.block_on(server.shutdown());
    used
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    (mean, v[v.len() / 2], v[v.len() - 1])
}

fn main() {
    const RUNS: usize = 10;
    let _warm = demo_start();
    let runs: Vec<Run> = (0..RUNS).map(|_| demo_start()).collect();
    let (mean, p50, max) = stats(
        runs.iter()
            .map(|r| r.first_frame.as_secs_f64() * 1e3)
            .collect(),
    );
    println!(
        "demo: process start → first frame       mean {mean:7.1} ms  p50 {p50:7.1} ms  max {max:7.1} ms  ({RUNS} runs)"
    );
    let (mean, p50, max) = stats(
        runs.iter()
            .map(|r| r.first_data.as_secs_f64() * 1e3)
            .collect(),
    );
    println!(
        "demo: process start → first data frame  mean {mean:7.1} ms  p50 {p50:7.1} ms  max {max:7.1} ms  ({RUNS} runs)"
    );

    let idle = idle_cpu("3600", 10);
    println!("idle on the account dashboard, no refresh due:      {idle:6.1} ms CPU in 10 s");
    let refreshing = idle_cpu("5", 10);
    println!("idle on the account dashboard, refresh every 5 s:   {refreshing:6.1} ms CPU in 10 s");
}
