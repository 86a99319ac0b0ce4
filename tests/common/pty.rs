//! The pseudo-terminal harness of the end-to-end tests: the real `astrodash` binary in a
//! pseudo-terminal (portable-pty + vt100), houston-local on a runtime owned by the test, and a
//! runner for commands that never take the terminal.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const WAIT: Duration = Duration::from_secs(20);

/// The binary running in a pseudo-terminal, its screen parsed by vt100.
pub struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    /// Kept open for the whole test: the terminal's settings (termios) live on after the child.
    master: Box<dyn MasterPty + Send>,
    home: tempfile::TempDir,
}

impl Tui {
    /// The process's HOME (its config and data directories are below it).
    #[allow(dead_code)] // not every test binary reads it
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Starts astrodash with `args` in a clean environment: an empty HOME (no astro CLI or
    /// astrodash config), no display and no SSH variables.
    pub fn spawn(args: &[&str], extra_env: &[(&str, &str)], cols: u16, rows: u16) -> Tui {
        let home = tempfile::tempdir().expect("temp home");
        Tui::spawn_in(home, args, extra_env, cols, rows)
    }

    /// Like `spawn`, in a home the test prepared (e.g. with `config/astrodash/astrodash.toml`,
    /// the default config file there).
    pub fn spawn_in(
        home: tempfile::TempDir,
        args: &[&str],
        extra_env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Tui {
        let program = env!("CARGO_BIN_EXE_astrodash");
        Tui::spawn_program_in(program, home, args, extra_env, cols, rows)
    }

    /// Like `spawn_in`, running `program` (e.g. a shell that then runs astrodash).
    pub fn spawn_program_in(
        program: &str,
        home: tempfile::TempDir,
        args: &[&str],
        extra_env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Tui {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        // A UTF-8 locale, as a desktop terminal sets (without one astrodash draws ASCII only).
        cmd.env("LANG", "C.UTF-8");
        cmd.env("HOME", home.path());
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("XDG_DATA_HOME", home.path().join("data"));
        cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        cmd.cwd(home.path());
        let child = pty.slave.spawn_command(cmd).expect("spawn the program");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let writer = pty.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
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
            master: pty.master,
            home,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn raw_output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Waits until the screen contains `text`; fails with the screen when it never does.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |s| s.contains(text))
    }

    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("not {text}"), |s| !s.contains(text))
    }

    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
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

    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .expect("write to pty");
        self.writer.flush().expect("flush pty");
        // Let the app handle each key before the next (a human never types in 0 ms anyway).
        std::thread::sleep(Duration::from_millis(150));
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
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

    /// The background colour of the screen line holding `text` (of its first character),
    /// `None` while `text` is not on screen.
    pub fn background_of(&self, text: &str) -> Option<vt100::Color> {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        (0..rows).find_map(|row| {
            let line = screen.contents_between(row, 0, row, cols);
            let col = line.find(text)?;
            let col = u16::try_from(line[..col].chars().count()).ok()?;
            screen.cell(row, col).map(|c| c.bgcolor())
        })
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Bytes the program has written so far (to look only at what came after some moment).
    pub fn raw_len(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    /// What the program wrote from byte `from` on.
    pub fn raw_since(&self, from: usize) -> String {
        let raw = self.raw.lock().unwrap();
        String::from_utf8_lossy(raw.get(from..).unwrap_or_default()).into_owned()
    }

    /// What the program wrote from byte `from` on, once it holds `needle` or `patience` has
    /// passed (the caller asserts, naming what it was waiting for).
    pub fn raw_since_when(&self, from: usize, needle: &str, patience: Duration) -> String {
        let start = Instant::now();
        loop {
            let out = self.raw_since(from);
            if out.contains(needle) || start.elapsed() > patience {
                return out;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// Sends `signal` (e.g. `libc::SIGHUP`) to the program, as a shell's `kill` would.
    #[cfg(unix)]
    pub fn signal(&self, signal: i32) {
        let pid = i32::try_from(self.pid()).expect("pid fits");
        // SAFETY: kill(2) with our own child's pid has no memory-safety preconditions.
        let rc = unsafe { libc::kill(pid, signal) };
        assert_eq!(rc, 0, "kill({pid}, {signal}) failed");
    }

    /// The terminal's line discipline is back in cooked mode (canonical input and echo on), as
    /// a shell expects after the program has gone.
    #[cfg(unix)]
    pub fn terminal_is_cooked(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("pty master fd");
        // SAFETY: a zeroed termios is a valid out-parameter; `fd` stays open while `self` lives.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(fd, &mut termios) };
        assert_eq!(rc, 0, "tcgetattr on the pty failed");
        termios.c_lflag & libc::ICANON != 0 && termios.c_lflag & libc::ECHO != 0
    }

    /// From the account dashboard of the demo seed into Core ETL's deployment dashboard.
    pub fn open_core_etl(&mut self) {
        self.wait_for("Data Platform");
        self.send("/Data Platform");
        self.send(ENTER);
        self.send(ENTER);
        self.wait_for("Core ETL");
        self.send("/Core ETL");
        self.send(ENTER);
        self.send(ENTER);
        self.wait_for("Overview");
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub const ENTER: &str = "\r";
pub const ESC: &str = "\x1b";

/// houston-local running on a runtime owned by the test, so the test thread may block freely.
pub struct Server {
    rt: tokio::runtime::Runtime,
    handle: Option<houston_local::Handle>,
}

impl Server {
    pub fn start(config: houston_local::Config) -> Server {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let handle = rt
            .block_on(houston_local::start(config))
            .expect("start houston-local");
        Server {
            rt,
            handle: Some(handle),
        }
    }

    pub fn demo() -> Server {
        Server::start(houston_local::Config {
            seed: Some(houston_local::Seed::Demo),
            deploying_secs: 3600,
            ..houston_local::Config::default()
        })
    }

    /// The runtime houston-local runs on (for helpers such as a TLS front).
    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.rt
    }

    pub fn handle(&self) -> &houston_local::Handle {
        self.handle.as_ref().expect("server running")
    }

    pub fn url(&self) -> String {
        self.handle().url()
    }

    pub fn admin_token(&self) -> String {
        self.handle()
            .issue_token("admin@astrodash.local")
            .expect("token")
    }

    /// A GraphQL request to houston-local as `token` (raw `Authorization`, like Houston); the
    /// reply's `data`, after checking it holds no `errors`.
    pub fn graphql(
        &self,
        token: &str,
        query: &str,
        variables: serde_json::Value,
    ) -> serde_json::Value {
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

    pub fn stop(&mut self) {
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

pub fn logged_in(server: &Server, extra_args: &[&str]) -> Tui {
    let url = server.url();
    let token = server.admin_token();
    let mut args = vec!["--url", url.as_str()];
    args.extend_from_slice(extra_args);
    Tui::spawn(&args, &[("ASTRODASH_TOKEN", token.as_str())], 120, 40)
}

/// Runs the binary to completion outside a terminal (for --version, --help and config errors).
pub fn run_plain(args: &[&str], home: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_astrodash"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("run astrodash")
}
