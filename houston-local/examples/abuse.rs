//! What one abusive client does to `astrodash serve`, measured from outside:
//! latency of an ordinary request alone, during a flood of wrong-password logins, and during
//! two deeply nested queries; plus how the server answers those and its memory. Works against any
//! astrodash binary (it only speaks HTTP), so old and new versions can be compared. Linux
//! only (reads /proc for the server's memory). The figures go into BENCHMARKS.md.
//!
//! ```text
//! cargo build --release --bin astrodash
//! cargo run --release -p houston-local --example abuse -- target/release/astrodash
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const LOGIN: &str = "mutation($i: String, $p: String!) { createToken(identity: $i, password: $p) { token { value } } }";
/// The ordinary request, uncached (an ignored, ever-changing variable), as a dashboard refresh.
const PROBE: &str = "{ workspaces { id label deployments { id label status } } }";

/// `workspaces { deployments { workspace { deployments { … } } } }` with `pairs` pairs.
fn nested(pairs: usize) -> String {
    let mut q = String::from("id");
    for _ in 0..pairs {
        q = format!("deployments {{ workspace {{ {q} }} }}");
    }
    format!("{{ workspaces {{ {q} }} }}")
}

async fn post(http: &reqwest::Client, url: &str, auth: Option<&str>, body: Value) -> Value {
    let mut req = http.post(url).json(&body);
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    match req.send().await {
        Ok(r) => r.json().await.unwrap_or(Value::Null),
        Err(e) => json!({"transport_error": e.to_string()}),
    }
}

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Latencies (ms) of PROBE sent back to back while `busy` is set; a probe not answered
/// within 2 s counts as 2,000 ms.
fn probe(url: String, token: String, busy: Arc<AtomicBool>) -> tokio::task::JoinHandle<Vec<f64>> {
    tokio::spawn(async move {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        let mut lat = Vec::new();
        let mut n = 0;
        while busy.load(Ordering::Relaxed) {
            n += 1;
            let started = Instant::now();
            let body = post(
                &http,
                &url,
                Some(&token),
                json!({"query": PROBE, "variables": {"n": n}}),
            )
            .await;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            if body["data"]["workspaces"].is_array() || body["transport_error"].is_string() {
                lat.push(ms);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        lat.sort_by(f64::total_cmp);
        lat
    })
}

fn report(what: &str, lat: &[f64]) {
    println!(
        "{what}: ordinary request p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} sent)",
        pct(lat, 0.5),
        pct(lat, 0.99),
        lat.last().copied().unwrap_or(f64::NAN),
        lat.len()
    );
}

#[tokio::main]
async fn main() {
    let binary = std::env::args()
        .nth(1)
        .expect("usage: abuse <astrodash binary>");
    let mut server = Server(
        Command::new(&binary)
            .args(["serve", "--seed", "demo", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start astrodash serve"),
    );
    let pid = server.0.id();
    let mut lines = BufReader::new(server.0.stdout.take().unwrap()).lines();
    let mut url = String::new();
    let mut password = String::new();
    for line in lines.by_ref().map_while(Result::ok) {
        if let Some(rest) = line.strip_prefix("houston-local listening on ") {
            url = rest.split_whitespace().next().unwrap().to_string();
        }
        if let Some(rest) = line.strip_prefix("demo admin: ") {
            password = rest.rsplit(" / ").next().unwrap().to_string();
            break;
        }
    }
    let http = reqwest::Client::new();
    let email = "admin@astrodash.local";
    let login = post(
        &http,
        &url,
        None,
        json!({"query": LOGIN, "variables": {"i": email, "p": password}}),
    )
    .await;
    let token = login["data"]["createToken"]["token"]["value"]
        .as_str()
        .expect("admin login")
        .to_string();
    println!("server {binary} at {url}, RSS {:.0} MiB", rss_mib(pid));

    // Alone.
    let busy = Arc::new(AtomicBool::new(true));
    let p = probe(url.clone(), token.clone(), busy.clone());
    tokio::time::sleep(Duration::from_secs(3)).await;
    busy.store(false, Ordering::Relaxed);
    report("alone", &p.await.unwrap());

    // 200 wrong-password logins, 32 at a time.
    let busy = Arc::new(AtomicBool::new(true));
    let p = probe(url.clone(), token.clone(), busy.clone());
    let (checked, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let gate = Arc::new(tokio::sync::Semaphore::new(32));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let (http, url, gate) = (http.clone(), url.clone(), gate.clone());
        let (checked, refused) = (checked.clone(), refused.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = gate.acquire().await.unwrap();
            let b = post(
                &http,
                &url,
                None,
                json!({"query": LOGIN, "variables": {"i": email, "p": format!("guess-{i}")}}),
            )
            .await;
            match b["errors"][0]["message"].as_str() {
                Some("Invalid password and username combination") => {
                    checked.fetch_add(1, Ordering::Relaxed)
                }
                _ => refused.fetch_add(1, Ordering::Relaxed),
            };
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let took = started.elapsed().as_secs_f64();
    busy.store(false, Ordering::Relaxed);
    let checked = checked.load(Ordering::Relaxed);
    println!(
        "login flood: 200 wrong passwords at 32 concurrent in {took:.2} s: {checked} checked (Houston's wrong-password answer) = {:.1} guesses/s, {} refused without checking",
        checked as f64 / took,
        refused.load(Ordering::Relaxed)
    );
    report("during the login flood", &p.await.unwrap());
    println!("RSS after the login flood: {:.0} MiB", rss_mib(pid));

    // A viewer's service-account key sends deep queries, each abandoned after 10 s.
    let ws = post(
        &http,
        &url,
        Some(&token),
        json!({"query": "{ workspaces { id label } }"}),
    )
    .await;
    let data_platform = ws["data"]["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["label"] == "Data Platform")
        .unwrap()["id"]
        .clone();
    let sa = post(&http, &url, Some(&token), json!({"query": "mutation($w: Uuid!) { createWorkspaceServiceAccount(label: \"viewer\", workspaceUuid: $w, role: WORKSPACE_VIEWER) { apiKey } }", "variables": {"w": data_platform}})).await;
    let key = sa["data"]["createWorkspaceServiceAccount"]["apiKey"]
        .as_str()
        .unwrap()
        .to_string();
    let busy = Arc::new(AtomicBool::new(true));
    let p = probe(url.clone(), token.clone(), busy.clone());
    let deep = nested(15);
    let attacker = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    // Two are enough: the old server grew by gigabytes per request.
    for _ in 0..2 {
        let (attacker, url, key, deep) = (attacker.clone(), url.clone(), key.clone(), deep.clone());
        tasks.push(tokio::spawn(async move {
            let started = Instant::now();
            let b = post(&attacker, &url, Some(&key), json!({"query": deep})).await;
            let answer = b["errors"][0]["message"]
                .as_str()
                .map(str::to_string)
                .or_else(|| {
                    b["transport_error"]
                        .as_str()
                        .map(|e| format!("no answer ({e})"))
                })
                .unwrap_or_else(|| "data".to_string());
            (started.elapsed().as_secs_f64(), answer)
        }));
    }
    for t in tasks {
        let (secs, answer) = t.await.unwrap();
        println!("deep query (15 pairs of deployments/workspace): {secs:.3} s: {answer}");
    }
    println!("RSS when the attacker gave up: {:.0} MiB", rss_mib(pid));
    tokio::time::sleep(Duration::from_secs(5)).await;
    busy.store(false, Ordering::Relaxed);
    report("during and 5 s after the deep queries", &p.await.unwrap());
    println!("RSS 5 s later: {:.0} MiB", rss_mib(pid));
}

/// The server under test, killed when the measurement ends (also on a panic).
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
