//! End-to-end journeys: the real `astrodash` binary in a pseudo-terminal (portable-pty + vt100)
//! against houston-local started in this test process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use common::pty::{ENTER, ESC, Server, Tui, logged_in, run_plain};

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
        screen.contains(&format!("http://{}/", server.handle().addr())),
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
    // houston-local serves the deployment's Airflow at its own address.
    let own = format!("http://{}/", server.handle().addr());
    let release = screen
        .split(own.as_str())
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("an Airflow URL on the deployment dashboard")
        .to_string();

    tui.send("o");
    let url = format!("{own}{release}/airflow");
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
