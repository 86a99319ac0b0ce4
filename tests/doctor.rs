//! `astrodash doctor`: its report against a fake Houston 0.23, against houston-local (0.35) through
//! the real binary, and when things are wrong (no token, expired token, unreachable server,
//! bad settings, an operation the server lacks). The token never appears in the output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fake_houston;

use std::process::Command;
use std::time::Duration;

use astrodash::config::{Settings, TokenSource};
use astrodash::doctor::{Report, diagnose};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fake_houston::*;

/// A JWT-shaped token (unsigned: astrodash only reads `exp`) expiring `secs` from now.
fn jwt(secs: i64) -> String {
    let exp = chrono::Utc::now().timestamp() + secs;
    let enc = |s: &str| URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.{}",
        enc(r#"{"alg":"RS256","typ":"JWT"}"#),
        enc(&format!(r#"{{"uuid":"u-ada","exp":{exp}}}"#)),
        enc("signature-s3cr3t")
    )
}

fn settings(url: &str, token: Option<&str>) -> Settings {
    Settings {
        context_name: "test".into(),
        url: url.into(),
        token: token.map(Into::into),
        token_source: if token.is_some() {
            TokenSource::Env
        } else {
            TokenSource::None
        },
        app_url: None,
        read_only: false,
        refresh: Duration::from_secs(5),
        ..Settings::default()
    }
}

/// The document line of one operation.
fn line<'a>(report: &'a Report, operation: &str) -> &'a str {
    report
        .text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{operation} ")))
        .unwrap_or_else(|| panic!("no line for {operation}:\n{}", report.text))
}

#[tokio::test]
async fn doctor_on_houston_0_23_shows_the_reduced_documents() {
    let fake = FakeHouston::start(Setup::new(sdl_0_23(), Some("0.23.0"))).await;
    // Mid-minute, so the rounding of "in 5h 29m" cannot flip during the test.
    let token = jwt(3600 * 5 + 60 * 30);
    let report = diagnose(&settings(&fake.url, Some(&token))).await;
    assert!(report.ok(), "{}", report.text);
    let text = &report.text;
    assert!(
        text.contains(&format!("URL:          {} (context test)", fake.url)),
        "{text}"
    );
    assert!(text.contains("Reachable:    yes"), "{text}");
    assert!(text.contains("Houston:      0.23.0\n"), "{text}");
    assert!(
        text.contains("Login:        local accounts (e-mail and password); single sign-on: Google"),
        "{text}"
    );
    assert!(
        text.contains("Token:        user token (JWT) from ASTRODASH_TOKEN, expires ")
            && text.contains("(in 5h 29m)"),
        "{text}"
    );
    assert!(
        text.contains("Signed in as: Ada Lovelace <ada@example.com> (ada), system admin"),
        "{text}"
    );
    let deployments = line(&report, "workspaceDeployments");
    assert!(
        deployments.contains("WorkspaceDeploymentsV023"),
        "{deployments}"
    );
    assert!(
        deployments.contains(
            r#"ok (older form; WorkspaceDeployments refused: Cannot query field "namespace" on type "Deployment"."#
        ) && deployments.contains(
            r#"WorkspaceDeploymentsV025 refused: Cannot query field "namespace" on type "Deployment".)"#
        ),
        "{deployments}"
    );
    let teams = line(&report, "workspaceTeams");
    assert!(
        teams.ends_with("not offered: needs Houston 0.28.0 or later"),
        "{teams}"
    );
    let accounts = line(&report, "workspaceServiceAccounts");
    assert!(
        accounts.contains(r#"WorkspaceServiceAccounts refused: Cannot query field "roleBinding" on type "ServiceAccount"."#),
        "{accounts}"
    );
    assert!(line(&report, "deployment").contains("DeploymentV023"));
    assert!(line(&report, "deploymentServiceAccounts").contains("DeploymentServiceAccountsV023"));
    for same in [
        "appConfig",
        "self",
        "workspaces",
        "workspaceUsers",
        "deploymentUsers",
    ] {
        let l = line(&report, same);
        assert!(l.ends_with(" ok"), "{l}");
    }
    assert!(text.ends_with("\nEverything works.\n"), "{text}");
    assert!(!text.contains(&token) && !text.contains("s3cr3t"), "{text}");

    // The probes used real ids: the deployment documents were asked about the one deployment.
    let seen = fake.seen();
    let deployment_probe = seen
        .iter()
        .find(|s| s.operation_name.as_deref() == Some("DeploymentV023"))
        .unwrap();
    assert_eq!(deployment_probe.variables["id"], DEPLOYMENT_ID);
    let variables = seen
        .iter()
        .find(|s| s.operation_name.as_deref() == Some("DeploymentVariables"))
        .unwrap();
    assert_eq!(variables.variables["releaseName"], RELEASE);
    // Each form probed once (plus the requests that found the ids).
    let probes = |name: &str| {
        seen.iter()
            .filter(|s| s.operation_name.as_deref() == Some(name))
            .count()
    };
    assert_eq!(probes("WorkspaceUsers"), 1);
    assert_eq!(probes("DeploymentServiceAccounts"), 1);
    assert_eq!(probes("DeploymentServiceAccountsV023"), 1);
}

#[tokio::test]
async fn doctor_without_a_token_still_checks_the_documents_but_fails() {
    let fake = FakeHouston::start(Setup::new(sdl_0_23(), Some("0.23.0"))).await;
    let report = diagnose(&settings(&fake.url, None)).await;
    assert!(!report.ok());
    assert_eq!(report.problems, 1, "{}", report.text);
    assert!(
        report.text.contains("Token:        PROBLEM: none"),
        "{}",
        report.text
    );
    // Validation comes first: a FORBIDDEN answer means the document was accepted.
    let deployments = line(&report, "workspaceDeployments");
    assert!(
        deployments.contains("WorkspaceDeploymentsV023")
            && deployments
                .contains("answered: You do not have the appropriate permissions for that"),
        "{deployments}"
    );
    assert!(
        report.text.ends_with("\n1 problem found.\n"),
        "{}",
        report.text
    );
}

#[tokio::test]
async fn doctor_reports_an_expired_token_and_a_service_account_key() {
    let fake = FakeHouston::start(Setup::new(sdl_0_35(), Some("0.35.0"))).await;
    let expired = jwt(-600);
    let report = diagnose(&settings(&fake.url, Some(&expired))).await;
    assert!(!report.ok());
    assert!(
        report
            .text
            .contains("Token:        PROBLEM: user token (JWT) from ASTRODASH_TOKEN, expired ")
            && report.text.contains("(10m ago)"),
        "{}",
        report.text
    );
    assert!(!report.text.contains(&expired));

    let mut setup = Setup::new(sdl_0_35(), Some("0.35.0"));
    setup.data.insert(
        "self".into(),
        serde_json::json!({"user": null, "authUserCapabilities": {"canSysAdmin": false}}),
    );
    let fake = FakeHouston::start(setup).await;
    let key = "0123456789abcdef0123456789abcdef";
    let report = diagnose(&settings(&fake.url, Some(key))).await;
    assert!(report.ok(), "{}", report.text);
    assert!(
        report
            .text
            .contains("Token:        API key or token without expiry, from ASTRODASH_TOKEN"),
        "{}",
        report.text
    );
    assert!(
        report.text.contains("Signed in as: a service account\n"),
        "{}",
        report.text
    );
    assert!(!report.text.contains(key));
}

#[tokio::test]
async fn doctor_names_an_operation_the_server_lacks() {
    let sdl = sdl_0_23().replace(
        "\tdeploymentUsers(deploymentId: Id!, user: UserSearch): [User]\n",
        "",
    );
    let fake = FakeHouston::start(Setup::new(sdl, Some("0.22.0"))).await;
    let report = diagnose(&settings(&fake.url, Some(&jwt(3600)))).await;
    assert_eq!(report.problems, 1, "{}", report.text);
    let users = line(&report, "deploymentUsers");
    assert!(
        users.contains(r#"PROBLEM: not available (DeploymentUsers refused: Cannot query field "deploymentUsers" on type "Query".)"#),
        "{users}"
    );
}

#[tokio::test]
async fn doctor_on_an_unreachable_server_stops_early() {
    let port = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let report = diagnose(&settings(&format!("http://127.0.0.1:{port}/v1"), Some("t"))).await;
    assert_eq!(report.problems, 1);
    assert!(
        report
            .text
            .contains("Reachable:    PROBLEM: cannot reach Houston"),
        "{}",
        report.text
    );
    assert!(!report.text.contains("Documents"), "{}", report.text);
}

/// `astrodash doctor` as a user runs it: a clean environment, the token in ASTRODASH_TOKEN.
fn run_doctor(args: &[&str], token: Option<&str>) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let env: Vec<(&str, &str)> = token.map(|t| ("ASTRODASH_TOKEN", t)).into_iter().collect();
    run_doctor_in(&home, args, &env)
}

/// `astrodash doctor` with `home` as HOME (its config below `config/`) and `env` set.
fn run_doctor_in(
    home: &tempfile::TempDir,
    args: &[&str],
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_astrodash"));
    cmd.arg("doctor")
        .args(args)
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(home.path())
        .envs(env.iter().copied());
    let output = cmd.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn doctor_binary_against_houston_local() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let handle = rt
        .block_on(houston_local::start(houston_local::Config {
            seed: Some(houston_local::Seed::Demo),
            ..houston_local::Config::default()
        }))
        .unwrap();
    let token = handle.issue_token("admin@astrodash.local").unwrap();
    let url = handle.url();

    let (code, stdout, stderr) = run_doctor(&["--url", &url], Some(&token));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("Houston:      0.35.0\n"), "{stdout}");
    assert!(
        stdout.contains("Token:        user token (JWT) from ASTRODASH_TOKEN"),
        "{stdout}"
    );
    assert!(stdout.contains("Signed in as: "), "{stdout}");
    assert!(stdout.contains("system admin"), "{stdout}");
    // houston-local serves the newest form of every document.
    for document in [
        "WorkspaceDeployments ",
        "Deployment ",
        "WorkspaceServiceAccounts ",
        "DeploymentServiceAccounts ",
    ] {
        assert!(stdout.contains(document), "{stdout}");
    }
    assert!(!stdout.contains("V023"), "{stdout}");
    assert!(!stdout.contains("PROBLEM"), "{stdout}");
    assert!(stdout.ends_with("Everything works.\n"), "{stdout}");
    assert!(!stdout.contains(&token) && !stderr.contains(&token));

    // No token: exit 1, and it says why.
    let (code, stdout, _) = run_doctor(&["--url", &url], None);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("Token:        PROBLEM: none"), "{stdout}");

    rt.block_on(handle.shutdown());
}

#[test]
fn doctor_binary_exit_codes_for_bad_settings_and_no_server() {
    // No URL anywhere: a settings problem, exit 2, said on stderr.
    let (code, stdout, stderr) = run_doctor(&[], None);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(stderr.starts_with("astrodash doctor: "), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, stdout, _) = run_doctor(
        &["--url", &format!("http://127.0.0.1:{port}/v1")],
        Some("secret-key-123"),
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("Reachable:    PROBLEM: cannot reach Houston"),
        "{stdout}"
    );
    assert!(!stdout.contains("secret-key-123"));
}

/// The documents table: the lines under "Documents", each split at its runs of 2+ spaces.
fn document_rows(report: &str) -> Vec<&str> {
    report
        .lines()
        .skip_while(|l| !l.starts_with("Documents"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect()
}

#[tokio::test]
async fn doctor_documents_table_keeps_its_columns_apart() {
    let fake = FakeHouston::start(Setup::new(sdl_0_23(), Some("0.23.0"))).await;
    let report = diagnose(&settings(&fake.url, Some(&jwt(3600)))).await;
    let rows = document_rows(&report.text);
    assert!(rows.len() >= 20, "{}", report.text);
    // `workspaceDeployments:status` (27 characters) once ran into its document's name.
    let status = line(&report, "workspaceDeployments:status");
    assert!(
        status.contains("workspaceDeployments:status  DeploymentStatuses"),
        "{status}"
    );
    // Every document name starts in the same column, at least two spaces after the longest
    // operation name; every status too.
    let skip_word_and_spaces = |text: &str, at: usize| {
        let word_end = at + text[at..].find(' ').unwrap_or(text.len() - at);
        let rest = &text[word_end..];
        (word_end, word_end + rest.len() - rest.trim_start().len())
    };
    let mut documents = std::collections::BTreeSet::new();
    let mut statuses = std::collections::BTreeSet::new();
    for row in &rows {
        let (field_end, document) = skip_word_and_spaces(row, 2);
        let (document_end, status) = skip_word_and_spaces(row, document);
        assert!(document - field_end >= 2, "{row}");
        assert!(status - document_end >= 2, "{row}");
        // Columns in characters (`—` is one column, three bytes).
        documents.insert(row[..document].chars().count());
        statuses.insert(row[..status].chars().count());
    }
    assert_eq!(documents.len(), 1, "{}", report.text);
    assert_eq!(statuses.len(), 1, "{}", report.text);
}

#[tokio::test]
async fn doctor_suggests_the_hosts_v1_for_a_wrong_path() {
    let handle = houston_local::start(houston_local::Config::default())
        .await
        .unwrap();
    let base = handle.url().trim_end_matches("/v1").to_string();
    for path in ["/nope", "/ws"] {
        let report = diagnose(&settings(&format!("{base}{path}"), Some("t"))).await;
        let text = &report.text;
        assert!(text.contains("Reachable:    PROBLEM: "), "{text}");
        assert!(text.contains(&format!("did you mean {base}/v1?")), "{text}");
        assert!(!text.contains(&format!("{path}/v1")), "{text}");
    }
    handle.shutdown().await;
}

#[test]
fn doctor_names_the_variable_a_token_came_from() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let handle = rt
        .block_on(houston_local::start(houston_local::Config {
            seed: Some(houston_local::Seed::Demo),
            ..houston_local::Config::default()
        }))
        .unwrap();
    let token = handle.issue_token("admin@astrodash.local").unwrap();
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/astrodash");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("astrodash.toml"),
        format!(
            "[[context]]\nname = \"prod\"\nurl = \"{}\"\ntoken_env = \"PROD_HOUSTON_TOKEN\"\n",
            handle.url()
        ),
    )
    .unwrap();
    let (code, stdout, stderr) =
        run_doctor_in(&home, &[], &[("PROD_HOUSTON_TOKEN", token.as_str())]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let token_line = stdout
        .lines()
        .find(|l| l.starts_with("Token:"))
        .unwrap_or_default();
    assert!(
        token_line.contains(
            "user token (JWT) from PROD_HOUSTON_TOKEN (token_env of the context 'prod' in "
        ),
        "{stdout}"
    );
    assert!(
        !token_line.contains("from the astrodash config file"),
        "{stdout}"
    );
    assert!(!stdout.contains(&token));
    rt.block_on(handle.shutdown());
}

/// The System Admin panel's reads and the clusters' are in the documents table, each gated by
/// the version as the dashboard is: task usage and clusters only from 1.0, `sysWorkspaces`
/// from 1.0 with the workspace list before.
#[tokio::test]
async fn doctor_probes_the_system_admin_and_cluster_reads_per_version() {
    for version in ["0.35.0", "0.37.0", "1.0.0", "1.0.1", "2.0.0", "2.1.0"] {
        let apc = !version.starts_with('0');
        let handle = houston_local::start(houston_local::Config {
            seed: Some(houston_local::Seed::Demo),
            houston_version: version.parse().unwrap(),
            ..houston_local::Config::default()
        })
        .await
        .unwrap();
        let admin = handle.issue_token("admin@astrodash.local").unwrap();
        let report = diagnose(&settings(&handle.url(), Some(&admin))).await;
        assert!(report.ok(), "{version}: {}", report.text);
        for (field, document) in [
            ("users", "SystemUsersV028 "),
            ("invites", "SystemInvites "),
            ("serviceAccounts", "SystemServiceAccounts "),
        ] {
            let l = line(&report, field);
            assert!(l.contains(document) && l.ends_with(" ok"), "{version}: {l}");
        }
        let workspaces = line(&report, "sysWorkspaces");
        let usage = line(&report, "deploymentTaskUsage");
        let clusters = line(&report, "paginatedClusters");
        if apc {
            assert!(workspaces.contains("SystemWorkspaces "), "{workspaces}");
            assert!(usage.contains("DeploymentTaskUsage "), "{usage}");
            assert!(clusters.contains("Clusters "), "{clusters}");
            for l in [workspaces, usage, clusters] {
                assert!(l.ends_with(" ok"), "{version}: {l}");
            }
            let one = line(&report, "cluster");
            assert!(one.ends_with("not probed: it needs a cluster"), "{one}");
        } else {
            // The platform's workspaces come from the workspace list (no older-form note:
            // the 1.0 form is not tried on 0.x).
            assert!(
                workspaces.contains(" Workspaces ") && workspaces.ends_with(" ok"),
                "{version}: {workspaces}"
            );
            for l in [usage, clusters] {
                assert!(
                    l.ends_with("not offered: needs Houston 1.0.0 or later"),
                    "{version}: {l}"
                );
            }
        }
        // A system viewer's probes are answered (a refusal is an answer): no problem.
        let viewer = handle.issue_token("sam@astrodash.local").unwrap();
        let report = diagnose(&settings(&handle.url(), Some(&viewer))).await;
        assert!(report.ok(), "{version}: {}", report.text);
        handle.shutdown().await;
    }
}
