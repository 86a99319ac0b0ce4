//! Idle cost of `astrodash serve --db F` with many deployments and nobody connected: CPU time of
//! the server process (from `/proc/<pid>/stat`) and the size of the database files over time.
//! Linux only. The figures go into BENCHMARKS.md.
//!
//! ```text
//! cargo build --release --bin astrodash
//! cargo run --release -p houston-local --example idle_serve -- target/release/astrodash 5 2000
//! ```
//! Arguments: the astrodash binary, minutes to watch (default 5), deployments (default 2000).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use houston_local::{Config, Seed};

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("process is running");
    // The command name (field 2) may contain spaces; the fields after its closing paren are fixed.
    let rest = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    // Fields 14 and 15 of stat(5); `rest` starts at field 3.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn clock_ticks_per_second() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// The database file plus its WAL companions, in bytes.
fn db_bytes(path: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::fs::metadata(PathBuf::from(p)).map_or(0, |m| m.len())
        })
        .sum()
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let binary = args
        .next()
        .expect("usage: idle_serve <astrodash binary> [minutes] [deployments]");
    let minutes: u64 = args.next().map_or(5, |m| m.parse().expect("minutes"));
    let deployments: usize = args
        .next()
        .map_or(2000, |n| n.parse().expect("deployments"));

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("houston.db");
    // Prepare the database in-process: demo seed plus one workspace of `deployments`.
    let handle = houston_local::start(Config {
        db: Some(db.clone()),
        seed: Some(Seed::Demo),
        log_interval_ms: 0,
        ..Config::default()
    })
    .await
    .unwrap();
    handle.bulk_workspace("Bulk", deployments).unwrap();
    handle.shutdown().await;
    println!(
        "prepared {} with {deployments} + 10 deployments: {:.2} MiB",
        db.display(),
        mib(db_bytes(&db))
    );

    let mut child = Command::new(&binary)
        .args(["serve", "--port", "0", "--db"])
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start astrodash serve");
    let pid = child.id();
    // Let start-up work (opening, migrations) finish before measuring.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let hz = clock_ticks_per_second() as f64;
    let (t0, c0, s0) = (Instant::now(), cpu_ticks(pid), db_bytes(&db));
    println!("minute | CPU (% of one core, that minute) | database MiB");
    let mut last = (t0, c0);
    for minute in 1..=minutes {
        tokio::time::sleep(Duration::from_secs(60)).await;
        let (now, ticks) = (Instant::now(), cpu_ticks(pid));
        let pct = (ticks - last.1) as f64 / hz / (now - last.0).as_secs_f64() * 100.0;
        println!("{minute:>6} | {pct:>6.2} | {:.2}", mib(db_bytes(&db)));
        last = (now, ticks);
    }
    let (t1, c1, s1) = (Instant::now(), cpu_ticks(pid), db_bytes(&db));
    let secs = (t1 - t0).as_secs_f64();
    println!(
        "total: {:.2} s CPU in {secs:.0} s = {:.2} % of one core; database {:.2} → {:.2} MiB ({:+.2} MiB/min)",
        (c1 - c0) as f64 / hz,
        (c1 - c0) as f64 / hz / secs * 100.0,
        mib(s0),
        mib(s1),
        (mib(s1) - mib(s0)) / (secs / 60.0)
    );
    let _ = child.kill();
    let _ = child.wait();
}
