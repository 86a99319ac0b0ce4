//! The cost of staying live: the real binary in a pseudo-terminal, connected to houston-local
//! through a byte-counting TCP proxy, left alone on a big view.
//!
//! - `workspace`: the workspace dashboard of a workspace with 2,001 deployments;
//! - `all`: the all-deployments view (`a` on the account dashboard) over the same data;
//!
//! - `unfocused`: the workspace dashboard after the terminal reported a lost focus a minute ago;
//!
//! each reports bytes downloaded per minute, CPU used (from `/proc/<pid>/stat`) and resident
//! memory (`VmRSS`, peak `VmHWM` from `/proc/<pid>/status`) over one idle minute with the default
//! 5 s refresh. `complete` times the all-deployments view over 5,000 deployments in 200
//! workspaces: from the key press until the table holds every row.
//!
//! Run with `cargo bench --bench live` (all three) or `cargo bench --bench live -- workspace`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ROWS: u16 = 40;
const COLS: u16 = 160;

/// Bytes that went through the proxy, each way.
#[derive(Default)]
struct Counters {
    down: AtomicU64,
    up: AtomicU64,
}

/// Copy `from` → `to`, counting.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    count: Arc<Counters>,
    down: bool,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let counter = if down { &count.down } else { &count.up };
        counter.fetch_add(n as u64, Ordering::Relaxed);
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

/// A TCP proxy in front of `upstream`; returns its address.
async fn counting_proxy(
    upstream: std::net::SocketAddr,
    count: Arc<Counters>,
) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let Ok(server) = tokio::net::TcpStream::connect(upstream).await else {
                continue;
            };
            let (cr, cw) = client.into_split();
            let (sr, sw) = server.into_split();
            tokio::spawn(pump(cr, sw, count.clone(), false));
            tokio::spawn(pump(sr, cw, count.clone(), true));
        }
    });
    addr
}

struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _home: tempfile::TempDir,
}

impl Tui {
    fn spawn(args: &[&str], env: &[(&str, &str)]) -> Tui {
        let home = tempfile::tempdir().unwrap();
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_astrodash"));
        cmd.args(args);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home.path());
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("XDG_DATA_HOME", home.path().join("data"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
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
        Tui {
            parser,
            writer,
            child,
            _home: home,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if ok(&self.screen()) {
                return Instant::now();
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// utime + stime of a process, from /proc (clock ticks → ms).
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_comm = stat.rsplit(')').next().unwrap();
    let fields: Vec<&str> = after_comm.split_whitespace().collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks * 1000.0 / 100.0
}

/// A `kB` line of /proc/<pid>/status, in MiB.
fn status_mib(pid: u32, key: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

struct Setup {
    rt: tokio::runtime::Runtime,
    server: Option<houston_local::Handle>,
    count: Arc<Counters>,
    proxy: std::net::SocketAddr,
    token: String,
    /// The bulk workspaces' ids.
    bulk: Vec<String>,
}

impl Setup {
    /// houston-local with the demo data plus `workspaces` workspaces of `each` deployments
    /// (named `Bulk NNN`), behind the counting proxy.
    fn new(workspaces: usize, each: usize) -> Setup {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt
            .block_on(houston_local::start(houston_local::Config {
                seed: Some(houston_local::Seed::Demo),
                log_interval_ms: 0,
                ..houston_local::Config::default()
            }))
            .unwrap();
        let bulk = (0..workspaces)
            .map(|w| {
                server
                    .bulk_workspace(&format!("Bulk {w:03}"), each)
                    .unwrap()
            })
            .collect();
        let token = server.issue_token("admin@astrodash.local").unwrap();
        let count = Arc::new(Counters::default());
        let proxy = rt.block_on(counting_proxy(server.addr(), count.clone()));
        Setup {
            rt,
            server: Some(server),
            count,
            proxy,
            token,
            bulk,
        }
    }

    /// A token of `email`, made WORKSPACE_VIEWER of every bulk workspace (Houston refuses
    /// such a user the platform-wide list: the view reads workspace by workspace).
    fn viewer_of_every_workspace(&self, email: &str) -> String {
        let server = self.server.as_ref().unwrap();
        let url = server.url();
        self.rt.block_on(async {
            let http = reqwest::Client::new();
            for ws in &self.bulk {
                let reply: serde_json::Value = http
                    .post(&url)
                    .header("Authorization", &self.token)
                    .json(&serde_json::json!({
                        "query": "mutation($w: Uuid!, $e: String!) { workspaceAddUser(workspaceUuid: $w, email: $e, role: WORKSPACE_VIEWER) { id } }",
                        "variables": {"w": ws, "e": email},
                    }))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                assert!(reply.get("errors").is_none(), "{reply}");
            }
        });
        server.issue_token(email).unwrap()
    }

    fn launch(&self) -> Tui {
        self.launch_as(&self.token)
    }

    fn launch_as(&self, token: &str) -> Tui {
        let url = format!("http://{}/v1", self.proxy);
        let tui = Tui::spawn(
            &["--url", &url, "--refresh", "5"],
            &[("ASTRODASH_TOKEN", token)],
        );
        tui.wait_until("the account dashboard", |s| s.contains("Bulk 000"));
        tui
    }

    fn down(&self) -> u64 {
        self.count.down.load(Ordering::Relaxed)
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.rt.block_on(server.shutdown());
        }
    }
}

/// Leave the view alone for `seconds` and report what it cost.
fn idle_minute(setup: &Setup, tui: &Tui, what: &str, seconds: u64) {
    // Let the first load settle (and its allocations be returned) before measuring.
    std::thread::sleep(Duration::from_secs(6));
    let pid = tui.pid();
    let (bytes0, cpu0) = (setup.down(), cpu_ms(pid));
    std::thread::sleep(Duration::from_secs(seconds));
    let bytes = setup.down() - bytes0;
    let cpu = cpu_ms(pid) - cpu0;
    let per_min = bytes as f64 * 60.0 / seconds as f64;
    println!(
        "{what}: {:.2} MB/min downloaded, CPU {:.0} ms in {seconds} s ({:.2} %), RSS {:.1} MiB (peak {:.1} MiB)",
        per_min / 1e6,
        cpu,
        cpu / (seconds as f64 * 10.0),
        status_mib(pid, "VmRSS:"),
        status_mib(pid, "VmHWM:"),
    );
}

/// From the account dashboard into "Bulk 000" (filtered to it, then opened).
fn open_bulk_workspace(tui: &mut Tui) {
    tui.send("/Bulk 000");
    std::thread::sleep(Duration::from_millis(300));
    tui.send("\r");
    std::thread::sleep(Duration::from_millis(300));
    tui.send("\r");
    tui.wait_until("2,001 deployments", |s| s.contains("Deployments (2001)"));
}

fn workspace_view() {
    let setup = Setup::new(1, 2001);
    let mut tui = setup.launch();
    open_bulk_workspace(&mut tui);
    idle_minute(&setup, &tui, "workspace dashboard, 2,001 deployments", 60);
}

/// The workspace dashboard again, the terminal reporting it lost focus: after a minute the
/// refresh slows to once a minute.
fn unfocused() {
    let setup = Setup::new(1, 2001);
    let mut tui = setup.launch();
    open_bulk_workspace(&mut tui);
    // What a terminal sends when its window loses focus (focus reporting is on).
    tui.send("\x1b[O");
    std::thread::sleep(Duration::from_secs(65));
    idle_minute(
        &setup,
        &tui,
        "workspace dashboard, 2,001 deployments, unfocused for over a minute",
        60,
    );
}

fn all_view() {
    let setup = Setup::new(1, 2001);
    let mut tui = setup.launch();
    tui.send("a");
    tui.wait_until("every deployment", |s| {
        s.contains("All deployments (20") && !s.contains("workspaces…")
    });
    idle_minute(
        &setup,
        &tui,
        "all deployments, 2,001 (+ demo) deployments",
        60,
    );
}

/// Key press → every row of 5,000 deployments in 200 workspaces in the table: as a system
/// admin (one request) and as a workspace viewer of every workspace (200 lists, four at a
/// time).
fn complete() {
    let setup = Setup::new(200, 25);
    let viewer = setup.viewer_of_every_workspace("linus@astrodash.local");
    for (who, token) in [
        ("system admin", &setup.token),
        ("workspace viewer", &viewer),
    ] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let mut tui = setup.launch_as(token);
            let start = Instant::now();
            tui.send("a");
            let done = tui.wait_until("5,000 rows", |s| {
                s.contains("All deployments (50") && !s.contains("workspaces…")
            });
            times.push((done - start).as_secs_f64() * 1e3);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "all deployments, 5,000 in 200 workspaces, as {who}: key → table complete p50 {:.0} ms, min {:.0} ms, max {:.0} ms ({} runs)",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            times.len()
        );
    }
}

fn main() {
    let picked: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wants = |name: &str| picked.is_empty() || picked.iter().any(|p| p == name);
    if wants("workspace") {
        workspace_view();
    }
    if wants("unfocused") {
        unfocused();
    }
    if wants("all") {
        all_view();
    }
    if wants("complete") {
        complete();
    }
}
