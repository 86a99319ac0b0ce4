//! End-to-end journeys: the real `astrodash` binary in a pseudo-terminal (portable-pty + vt100)
//! against houston-local started in this test process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const WAIT: Duration = Duration::from_secs(20);

/// The binary running in a pseudo-terminal, its screen parsed by vt100.
struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _home: tempfile::TempDir,
}

impl Tui {
    /// Starts astrodash with `args` in a clean environment: an empty HOME (no astro CLI or
    /// astrodash config), no display and no SSH variables.
    fn spawn(args: &[&str], extra_env: &[(&str, &str)], cols: u16, rows: u16) -> Tui {
        let home = tempfile::tempdir().expect("temp home");
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_astrodash"));
        cmd.args(args);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home.path());
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("XDG_DATA_HOME", home.path().join("data"));
        cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        cmd.cwd(home.path());
        let child = pty.slave.spawn_command(cmd).expect("spawn astrodash");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let writer = pty.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let _master = pty.master; // keep the pty open while reading
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        p.lock().unwrap().process(&buf[..n]);
                        r.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                }
            }
        });
        Tui {
            parser,
            raw,
            writer,
            child,
            _home: home,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn raw_output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Waits until the screen contains `text`; fails with the screen when it never does.
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |s| s.contains(text))
    }

    fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("not {text}"), |s| !s.contains(text))
    }

    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > WAIT {
                panic!("timed out waiting for {what:?}; screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .expect("write to pty");
        self.writer.flush().expect("flush pty");
        // Let the app handle each key before the next (a human never types in 0 ms anyway).
        std::thread::sleep(Duration::from_millis(150));
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if start.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("astrodash did not exit; screen was:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

const ENTER: &str = "\r";
const ESC: &str = "\x1b";

/// houston-local running on a runtime owned by the test, so the test thread may block freely.
struct Server {
    rt: tokio::runtime::Runtime,
    handle: Option<houston_local::Handle>,
}

impl Server {
    fn start(config: houston_local::Config) -> Server {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let handle = rt
            .block_on(houston_local::start(config))
            .expect("start houston-local");
        Server {
            rt,
            handle: Some(handle),
        }
    }

    fn demo() -> Server {
        Server::start(houston_local::Config {
            seed: Some(houston_local::Seed::Demo),
            deploying_secs: 3600,
            ..houston_local::Config::default()
        })
    }

    fn handle(&self) -> &houston_local::Handle {
        self.handle.as_ref().expect("server running")
    }

    fn url(&self) -> String {
        self.handle().url()
    }

    fn admin_token(&self) -> String {
        self.handle()
            .issue_token("admin@astrodash.local")
            .expect("token")
    }

    /// A GraphQL request to houston-local as `token` (raw `Authorization`, like Houston); the
    /// reply's `data`, after checking it holds no `errors`.
    fn graphql(&self, token: &str, query: &str, variables: serde_json::Value) -> serde_json::Value {
        let url = self.url();
        let reply: serde_json::Value = self.rt.block_on(async {
            reqwest::Client::new()
                .post(url)
                .header("Authorization", token)
                .json(&serde_json::json!({ "query": query, "variables": variables }))
                .send()
                .await
                .expect("POST to houston-local")
                .json()
                .await
                .expect("JSON reply")
        });
        assert!(reply.get("errors").is_none(), "GraphQL errors: {reply}");
        reply["data"].clone()
    }

    fn stop(&mut self) {
        if let Some(handle) = self.handle.take() {
            self.rt.block_on(handle.shutdown());
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn logged_in(server: &Server, extra_args: &[&str]) -> Tui {
    let url = server.url();
    let token = server.admin_token();
    let mut args = vec!["--url", url.as_str()];
    args.extend_from_slice(extra_args);
    Tui::spawn(&args, &[("ASTRODASH_TOKEN", token.as_str())], 120, 40)
}

#[test]
fn walk_account_workspace_deployment_and_back() {
    let server = Server::demo();
    let mut tui = logged_in(&server, &[]);
    let screen = tui.wait_for("Data Platform");
    assert!(
        screen.contains("Workspaces"),
        "account dashboard title:\n{screen}"
    );
    assert!(
        screen.contains("admin@astrodash.local"),
        "header shows who I am:\n{screen}"
    );

    // Data Platform is the first workspace (sorted by name? the seed order): open it.
    tui.send("/Data Platform");
    tui.send(ENTER);
    tui.send(ENTER);
    let screen = tui.wait_for("Service Accounts");
    assert!(screen.contains("Deployments"), "workspace tabs:\n{screen}");
    assert!(
        screen.contains("Data Platform"),
        "breadcrumb names the workspace:\n{screen}"
    );
    // The tab bar draws before the list arrives: wait for a row before opening one.
    tui.wait_for("Core ETL");

    // Open the first deployment: its dashboard shows resources and the Airflow URL.
    tui.send(ENTER);
    let screen = tui.wait_for("scheduler");
    assert!(
        screen.contains("Environment variables"),
        "deployment tabs:\n{screen}"
    );
    assert!(
        screen.contains("https://deployments.astrodash.local/"),
        "URLs:\n{screen}"
    );

    // Invites tab of the workspace, then back to the account dashboard.
    tui.send(ESC);
    tui.wait_gone("Environment variables");
    tui.send("3");
    tui.wait_for("Pending invites");
    tui.send(ESC);
    tui.wait_for("Workspaces");

    tui.send("q");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert!(
        !tui.alternate_screen(),
        "terminal left in the alternate screen"
    );
}

#[test]
fn open_airflow_without_a_display_shows_and_copies_the_url() {
    let server = Server::demo();
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");
    tui.send("/Data Platform");
    tui.send(ENTER);
    tui.send(ENTER);
    tui.wait_for("Service Accounts");
    // The tab bar draws before the list arrives: wait for a row before opening one.
    tui.wait_for("Core ETL");
    tui.send(ENTER);
    let screen = tui.wait_for("scheduler");
    let release = screen
        .split("https://deployments.astrodash.local/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("an Airflow URL on the deployment dashboard")
        .to_string();

    tui.send("o");
    let url = format!("https://deployments.astrodash.local/{release}/airflow");
    let screen = tui.wait_for("no display");
    assert!(
        screen.contains(&url),
        "popup shows the full URL {url}:\n{screen}"
    );
    assert!(
        tui.raw_output().contains("\x1b]52;c;"),
        "URL copied with OSC 52"
    );
    tui.send(ESC);
    tui.wait_gone("no display");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn server_restart_mid_session_marks_data_stale_then_recovers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db: PathBuf = dir.path().join("houston.db");
    let mut server = Server::start(houston_local::Config {
        db: Some(db.clone()),
        seed: Some(houston_local::Seed::Demo),
        ..houston_local::Config::default()
    });
    let port = server.handle().addr().port();
    let mut tui = logged_in(&server, &["--refresh", "1"]);
    tui.wait_for("Data Platform");

    server.stop();
    let screen = tui.wait_for("STALE");
    assert!(
        screen.contains("Data Platform"),
        "last data stays on screen:\n{screen}"
    );

    let restarted = Server::start(houston_local::Config {
        port,
        db: Some(db),
        ..houston_local::Config::default()
    });
    let screen = tui.wait_gone("STALE");
    assert!(
        screen.contains("Data Platform"),
        "recovered view:\n{screen}"
    );
    tui.send("q");
    assert!(tui.wait_exit().success());
    drop(restarted);
}

#[test]
fn login_with_username_and_password() {
    let server = Server::demo();
    let (email, password) = server
        .handle()
        .seeded_admin()
        .expect("seeded admin credentials");
    let url = server.url();
    let mut tui = Tui::spawn(&["--url", &url], &[], 100, 30);
    tui.wait_for("Password");
    tui.send(&email);
    tui.send("\t");
    tui.send("wrong-password");
    tui.send(ENTER);
    let screen = tui.wait_for("Invalid password and username combination");
    assert!(
        screen.contains(&email),
        "the username stays typed after an error:\n{screen}"
    );

    // Clear the password field and type the right one.
    tui.send(&"\x7f".repeat("wrong-password".len()));
    tui.send(&password);
    tui.send(ENTER);
    tui.wait_for("Data Platform");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_service_account_key_works_as_a_token() {
    let server = Server::demo();
    let admin = server.admin_token();
    let data = server.graphql(
        &admin,
        "query { workspaces { id label } }",
        serde_json::json!({}),
    );
    let workspace_id = data["workspaces"]
        .as_array()
        .and_then(|list| list.iter().find(|w| w["label"] == "Data Platform"))
        .and_then(|w| w["id"].as_str())
        .expect("the seeded Data Platform workspace")
        .to_string();
    let created = server.graphql(
        &admin,
        "mutation($w: Uuid!) { createWorkspaceServiceAccount(label: \"ci\", category: \"CI\", \
         workspaceUuid: $w, role: WORKSPACE_VIEWER) { id apiKey } }",
        serde_json::json!({ "w": workspace_id }),
    );
    let key = created["createWorkspaceServiceAccount"]["apiKey"]
        .as_str()
        .expect("the new key")
        .to_string();

    let url = server.url();
    let mut tui = Tui::spawn(&["--url", &url], &[("ASTRODASH_TOKEN", &key)], 120, 40);
    let screen = tui.wait_for("Data Platform");
    assert!(
        screen.contains("service account"),
        "header says who I am:\n{screen}"
    );
    assert!(
        !screen.contains("Password") && !screen.contains("self.user"),
        "no login screen, no decode error:\n{screen}"
    );
    // The key's only workspace: open it and see its deployments.
    tui.send(ENTER);
    let screen = tui.wait_for("Core ETL");
    assert!(
        screen.contains("Service Accounts"),
        "workspace tabs:\n{screen}"
    );
    assert!(!screen.contains(&key), "the key is never shown");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn a_bad_token_leads_to_the_login_screen() {
    let server = Server::demo();
    let url = server.url();
    let mut tui = Tui::spawn(
        &["--url", &url],
        &[("ASTRODASH_TOKEN", "not-a-valid-token")],
        100,
        30,
    );
    let screen = tui.wait_for("Password");
    assert!(
        screen.contains("You do not have the appropriate permissions for that")
            || screen.to_lowercase().contains("log in"),
        "login screen explains why:\n{screen}"
    );
    tui.send("\x03");
    assert!(tui.wait_exit().success());
    assert!(!tui.alternate_screen());
}

#[test]
fn demo_command_opens_logged_in_on_the_account_dashboard() {
    let mut tui = Tui::spawn(&["demo"], &[], 120, 40);
    let screen = tui.wait_for("Data Platform");
    assert!(
        screen.contains("demo"),
        "context name in the header:\n{screen}"
    );
    tui.send("?");
    tui.wait_for("refresh now");
    tui.send(ESC);
    tui.send("q");
    assert!(tui.wait_exit().success());
}

/// Runs the binary to completion outside a terminal (for --version, --help and config errors).
fn run_plain(args: &[&str], home: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_astrodash"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("run astrodash")
}

#[test]
fn version_help_and_config_errors_exit_before_the_terminal_is_touched() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = run_plain(&["--version"], home.path());
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("astrodash {}", env!("CARGO_PKG_VERSION"))
    );

    let out = run_plain(&["--help"], home.path());
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("demo") && help.contains("serve") && help.contains("--url"),
        "{help}"
    );
    assert!(!help.contains('\x1b'), "no terminal escapes in --help");

    let bad = home.path().join("bad.toml");
    std::fs::write(
        &bad,
        "default_context = \"prod\"\n[[context]]\nname = \"prod\"\nurl = 42\n",
    )
    .expect("write");
    let out = run_plain(
        &["--config", bad.to_str().expect("utf-8 path")],
        home.path(),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:4"),
        "error names the file and line: {err}"
    );
    assert!(
        !err.contains('\x1b') && out.stdout.is_empty(),
        "terminal untouched: {err}"
    );

    let out = run_plain(&[], home.path());
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("astrodash demo"),
        "no-connection error suggests the demo: {err}"
    );
}

// ---- navigation and convenience --------------------------------------------------------

/// The release name shown on the line of `label` in the copy menu.
fn menu_value(screen: &str, label: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no {label} in the menu:\n{screen}"));
    let after = &line[line.find(label).expect("label") + label.len()..];
    after
        .split_whitespace()
        .next()
        .expect("a value after the label")
        .to_string()
}

#[test]
fn the_palette_opens_a_workspace_and_y_copies_from_the_menu_with_osc52() {
    use base64::Engine;
    let server = Server::demo();
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");
    tui.send(":ws Data");
    tui.wait_for("ws Data Platform");
    tui.send(ENTER);
    tui.wait_for("Core ETL");

    tui.send("y");
    let screen = tui.wait_for("Copy from deployment");
    assert!(
        screen.contains("deployment as JSON"),
        "the menu lists the row as JSON:\n{screen}"
    );
    let release = menu_value(&screen, "release name");
    let encoded = base64::engine::general_purpose::STANDARD.encode(release.as_bytes());
    tui.send("1");
    let screen = tui.wait_for("Copied release name");
    assert!(screen.contains(&release), "{screen}");
    let raw = tui.raw_output();
    assert!(
        raw.contains(&format!("\x1b]52;c;{encoded}\x1b\\")),
        "OSC 52 with the release name in the terminal output"
    );
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn inside_tmux_without_set_clipboard_a_copy_is_not_claimed() {
    let server = Server::demo();
    let url = server.url();
    let token = server.admin_token();
    // A tmux socket that does not exist: tmux (if installed at all) cannot answer.
    let mut tui = Tui::spawn(
        &["--url", &url],
        &[
            ("ASTRODASH_TOKEN", token.as_str()),
            ("TMUX", "/nonexistent/astrodash-test-tmux,1,0"),
        ],
        120,
        40,
    );
    tui.wait_for("Data Platform");
    tui.send("y");
    tui.wait_for("Copy from workspace");
    tui.send("y");
    let screen = tui.wait_for("tmux may drop it");
    assert!(
        screen.contains("set -g set-clipboard on") && !screen.contains("Copied"),
        "{screen}"
    );
    assert!(tui.raw_output().contains("\x1b]52;c;"), "still sent");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn logout_shows_the_login_screen_and_logging_in_again_works() {
    let server = Server::demo();
    let (email, password) = server
        .handle()
        .seeded_admin()
        .expect("seeded admin credentials");
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");
    tui.send(":logout");
    tui.send(ENTER);
    let screen = tui.wait_for("Logged out");
    assert!(screen.contains("Password"), "the login form:\n{screen}");
    assert!(
        !screen.contains("Marketing Analytics"),
        "no data left:\n{screen}"
    );
    tui.send(&email);
    tui.send("\t");
    tui.send(&password);
    tui.send(ENTER);
    tui.wait_for("Marketing Analytics");
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn describe_shows_the_deployment_with_its_secret_masked() {
    let server = Server::demo();
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");
    // On the account dashboard, :deploy means the selected workspace's deployments.
    tui.send(":deploy");
    tui.send(ENTER);
    tui.wait_for("Core ETL");
    tui.send(ENTER);
    tui.wait_for("scheduler");
    tui.send("2");
    tui.wait_for("SNOWFLAKE_PASSWORD");
    tui.send("G");
    tui.send("d");
    let screen = tui.wait_for("YAML, secrets masked");
    assert!(screen.contains("key: SNOWFLAKE_PASSWORD"), "{screen}");
    assert!(!screen.contains("s3cr3t"), "{screen}");
    tui.send(ESC);
    tui.send("q");
    assert!(tui.wait_exit().success());
}

#[test]
fn the_mouse_is_captured_only_with_mouse_and_released_on_exit() {
    let server = Server::demo();
    let mut tui = logged_in(&server, &[]);
    tui.wait_for("Data Platform");
    tui.send("q");
    assert!(tui.wait_exit().success());
    assert!(!tui.raw_output().contains("\x1b[?1000h"), "off by default");

    let mut tui = logged_in(&server, &["--mouse"]);
    let screen = tui.wait_for("Data Platform");
    assert!(screen.contains(" 1/4 "), "{screen}");
    // Click the second workspace (row 6, 1-based: header, crumbs, border, titles, first row).
    tui.send("\x1b[<0;10;6M\x1b[<0;10;6m");
    tui.wait_for(" 2/4 ");
    tui.send("q");
    assert!(tui.wait_exit().success());
    let raw = tui.raw_output();
    assert!(raw.contains("\x1b[?1000h"), "captured");
    assert!(raw.contains("\x1b[?1000l"), "released on exit");
}

#[test]
fn a_terminal_too_small_says_so_and_q_quits() {
    let server = Server::demo();
    let url = server.url();
    let token = server.admin_token();
    let mut tui = Tui::spawn(&["--url", &url], &[("ASTRODASH_TOKEN", &token)], 70, 20);
    let screen = tui.wait_for("Terminal too small");
    assert!(screen.contains("70×20"), "{screen}");
    tui.send("q");
    assert!(tui.wait_exit().success());
}
