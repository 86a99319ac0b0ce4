//! Fixture data and helpers shared by the flow and screen tests.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod admin;
pub mod app_flows;
pub mod clusters;
pub mod fleet;
pub mod forms;
pub mod live;
pub mod merge;
pub mod navigation;
pub mod pty;
pub mod real_airflow;
pub mod screens;
pub mod tls;
pub mod upstream;

use std::time::Duration;

use astrodash::app::msg::Msg;
use astrodash::app::state::AppState;
use astrodash::config::{Settings, TokenSource};
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub fn now() -> Timestamp {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 27, 12, 0, 0)
        .unwrap()
}

pub fn ago(secs: i64) -> Timestamp {
    now() - chrono::Duration::seconds(secs)
}

pub fn later(secs: i64) -> Timestamp {
    now() + chrono::Duration::seconds(secs)
}

pub fn settings(token: Option<&str>) -> Settings {
    Settings {
        context_name: "demo".into(),
        url: "http://127.0.0.1:8871/v1".into(),
        token: token.map(Into::into),
        token_source: if token.is_some() {
            TokenSource::Flag
        } else {
            TokenSource::None
        },
        app_url: Some("https://app.example.com".into()),
        read_only: false,
        refresh: Duration::from_secs(5),
        ..Settings::default()
    }
}

pub fn me() -> Me {
    Me {
        id: Some("u-ada".into()),
        username: "ada".into(),
        full_name: Some("Ada Lovelace".into()),
        email: Some("ada@example.com".into()),
        is_system_admin: false,
        deployment_roles: Vec::new(),
    }
}

pub fn workspace(id: &str, label: &str, desc: Option<&str>, count: usize, role: Role) -> Workspace {
    // What Houston computes for each role (only admins manage users and invites).
    let admin = role == Role::WorkspaceAdmin;
    let editor = admin || role == Role::WorkspaceEditor;
    let capabilities = WorkspaceCapabilities {
        can_update_workspace: admin,
        can_delete_workspace: admin,
        can_create_deployment: editor,
        can_update_iam: admin,
        can_invite_user: admin,
        can_create_service_account: editor,
        can_update_service_account: editor,
        can_delete_service_account: editor,
    };
    Workspace {
        id: id.into(),
        label: label.into(),
        description: desc.map(str::to_string),
        deployment_count: count,
        my_role: Some(role),
        created_at: Some(ago(86400 * 40)),
        updated_at: Some(ago(3600 * 5)),
        capabilities,
    }
}

pub fn workspaces() -> Vec<Workspace> {
    vec![
        workspace(
            "ws-data",
            "Data Platform",
            Some("Production pipelines"),
            3,
            Role::WorkspaceAdmin,
        ),
        workspace(
            "ws-sandbox",
            "Analytics Sandbox",
            None,
            0,
            Role::WorkspaceEditor,
        ),
        workspace(
            "ws-long",
            "Quarterly Revenue Forecasting and Reconciliation Working Group (EMEA)",
            Some("A workspace whose name and description are both much longer than any column"),
            1,
            Role::WorkspaceViewer,
        ),
    ]
}

fn resources() -> Vec<ComponentResources> {
    let c = |name: &str, au: f64, replicas: Option<i64>| ComponentResources {
        component: name.into(),
        au,
        cpu_millis: (au * 100.0) as i64,
        memory_mib: (au * 384.0) as i64,
        replicas,
        grace_period_secs: None,
    };
    vec![
        c("scheduler", 10.0, Some(1)),
        c("webserver", 5.0, Some(1)),
        c("workers", 10.0, Some(2)),
        c("triggerer", 5.0, Some(1)),
        c("flower", 5.0, Some(1)),
    ]
}

pub fn deployment(
    id: &str,
    label: &str,
    release: &str,
    executor: Executor,
    status: DeploymentStatus,
) -> Deployment {
    Deployment {
        id: id.into(),
        label: label.into(),
        description: None,
        release_name: release.into(),
        namespace: Some(format!("astronomer-{release}")),
        workspace_id: Some("ws-data".into()),
        workspace_label: Some("Data Platform".into()),
        cluster: None,
        executor,
        airflow_version: Some("2.9.2".into()),
        desired_airflow_version: Some("2.9.2".into()),
        runtime_version: None,
        desired_runtime_version: None,
        runtime_airflow_version: None,
        chart_version: Some("1.11.0".into()),
        status,
        image_tag: Some("deploy-42".into()),
        urls: vec![DeploymentUrl {
            kind: "airflow".into(),
            url: format!("https://deployments.example.com/{release}/airflow"),
        }],
        resources: resources(),
        extra_au: Some(10),
        capabilities: DeploymentCapabilities::default(),
        created_at: Some(ago(86400 * 12)),
        updated_at: Some(ago(180)),
    }
}

pub fn deployments() -> Vec<Deployment> {
    let mut etl = deployment(
        "d-etl",
        "prod-etl",
        "quantum-nebula-1234",
        Executor::Celery,
        DeploymentStatus::Healthy,
    );
    etl.airflow_version = Some("2.8.1".into());
    etl.description = Some("Nightly ETL".into());
    etl.urls.push(DeploymentUrl {
        kind: "flower".into(),
        url: "https://deployments.example.com/quantum-nebula-1234/flower".into(),
    });
    let mut reporting = deployment(
        "d-rep",
        "reporting",
        "stellar-orbit-5678",
        Executor::Kubernetes,
        DeploymentStatus::Unhealthy,
    );
    reporting.updated_at = Some(ago(7200));
    let mut staging = deployment(
        "d-stg",
        "staging",
        "cosmic-dust-9012",
        Executor::Local,
        DeploymentStatus::Deploying,
    );
    staging.image_tag = None;
    let mut odd = deployment(
        "d-odd",
        "an-extremely-long-deployment-label-that-will-not-fit-anywhere",
        "galactic-core-3456",
        Executor::Kubernetes,
        DeploymentStatus::Unknown,
    );
    odd.updated_at = None;
    vec![etl, reporting, staging, odd]
}

pub fn users() -> Vec<WorkspaceUser> {
    vec![
        WorkspaceUser {
            id: "u-ada".into(),
            username: "ada".into(),
            full_name: Some("Ada Lovelace".into()),
            email: Some("ada@example.com".into()),
            role: Some(Role::WorkspaceAdmin),
            status: Some("active".into()),
        },
        WorkspaceUser {
            id: "u-grace".into(),
            username: "grace".into(),
            full_name: Some("Grace Hopper".into()),
            email: Some("grace@example.com".into()),
            role: Some(Role::WorkspaceEditor),
            status: Some("active".into()),
        },
        WorkspaceUser {
            id: "u-alan".into(),
            username: "alan".into(),
            full_name: None,
            email: Some("alan@example.com".into()),
            role: Some(Role::WorkspaceViewer),
            status: Some("pending".into()),
        },
    ]
}

pub fn invites() -> Vec<Invite> {
    vec![Invite {
        id: "i-1".into(),
        email: "katherine@example.com".into(),
        role: Role::WorkspaceEditor,
        created_at: Some(ago(3600 * 26)),
    }]
}

pub fn service_accounts() -> Vec<ServiceAccount> {
    vec![
        ServiceAccount {
            id: "sa-ci".into(),
            label: "GitHub Actions deploy".into(),
            category: Some("CI/CD".into()),
            role: Some(Role::WorkspaceEditor),
            active: true,
            last_used_at: Some(ago(600)),
            created_at: Some(ago(86400 * 3)),
        },
        ServiceAccount {
            id: "sa-old".into(),
            label: "Legacy cron".into(),
            category: None,
            role: Some(Role::WorkspaceViewer),
            active: true,
            last_used_at: None,
            created_at: Some(ago(86400 * 300)),
        },
    ]
}

pub fn variables() -> Vec<EnvVar> {
    vec![
        EnvVar {
            key: "AIRFLOW__CORE__PARALLELISM".into(),
            value: "64".into(),
            is_secret: false,
        },
        EnvVar {
            key: "SNOWFLAKE_PASSWORD".into(),
            value: String::new(),
            is_secret: true,
        },
        EnvVar {
            key: "ENVIRONMENT".into(),
            value: "production".into(),
            is_secret: false,
        },
    ]
}

pub fn deployment_users() -> Vec<DeploymentUser> {
    vec![
        DeploymentUser {
            id: "u-ada".into(),
            username: "ada".into(),
            full_name: Some("Ada Lovelace".into()),
            email: Some("ada@example.com".into()),
            role: Some(Role::DeploymentAdmin),
        },
        DeploymentUser {
            id: "u-grace".into(),
            username: "grace".into(),
            full_name: Some("Grace Hopper".into()),
            email: Some("grace@example.com".into()),
            role: Some(Role::DeploymentViewer),
        },
    ]
}

/// Put `payload` in the cache as if it had arrived 3 s ago.
pub fn put(s: &mut AppState, request: Request, payload: Payload) {
    s.cache.succeed(request, payload, ago(3));
}

pub fn workspaces_request() -> Request {
    Request::Workspaces {
        me_id: Some("u-ada".into()),
    }
}

/// Full capabilities on every fixture deployment (an admin's view).
pub fn admin_deployments() -> Vec<Deployment> {
    let mut list = deployments();
    for d in &mut list {
        d.capabilities = DeploymentCapabilities {
            can_update: true,
            can_delete: true,
            can_update_variables: true,
            can_create_service_account: true,
            can_update_service_account: true,
            can_delete_service_account: true,
            can_update_user_role: true,
        };
    }
    list
}

/// A logged-in state on the account dashboard with every fixture loaded (as a workspace admin
/// of "Data Platform").
pub fn loaded_state() -> AppState {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    s.ui.page_rows = 10;
    put(&mut s, Request::Me, Payload::Me(me()));
    put(
        &mut s,
        workspaces_request(),
        Payload::Workspaces(workspaces()),
    );
    put(
        &mut s,
        Request::Deployments("ws-data".into()),
        Payload::Deployments(admin_deployments()),
    );
    put(
        &mut s,
        Request::Deployments("ws-sandbox".into()),
        Payload::Deployments(vec![]),
    );
    put(
        &mut s,
        Request::WorkspaceUsers("ws-data".into()),
        Payload::WorkspaceUsers(users()),
    );
    put(
        &mut s,
        Request::WorkspaceInvites("ws-data".into()),
        Payload::Invites(invites()),
    );
    put(
        &mut s,
        Request::WorkspaceServiceAccounts("ws-data".into()),
        Payload::ServiceAccounts(service_accounts()),
    );
    for d in admin_deployments() {
        put(
            &mut s,
            Request::Deployment(d.id.clone()),
            Payload::Deployment(Box::new(d.clone())),
        );
        put(
            &mut s,
            Request::DeploymentVariables(d.id.clone()),
            Payload::Variables(variables()),
        );
        put(
            &mut s,
            Request::DeploymentServiceAccounts(d.id.clone()),
            Payload::ServiceAccounts(service_accounts()),
        );
        put(
            &mut s,
            Request::DeploymentUsers(d.id.clone()),
            Payload::DeploymentUsers(deployment_users()),
        );
    }
    put(
        &mut s,
        Request::DeploymentConfig,
        Payload::DeploymentConfig(DeploymentConfig {
            airflow_versions: vec!["2.8.1".into(), "2.9.2".into(), "2.10.3".into()],
            default_airflow_version: Some("2.10.3".into()),
            ..DeploymentConfig::default()
        }),
    );
    s
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn reply(request: Request, seq: u64, secs: i64, payload: Payload) -> Msg {
    Msg::Api {
        request,
        seq,
        at: later(secs),
        result: Ok(payload),
    }
}

/// The screen as text, one line per row, trailing spaces trimmed.
pub fn render(state: &AppState, width: u16, height: u16) -> String {
    let buffer = render_buffer(state, width, height);
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn render_buffer(state: &AppState, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| astrodash::ui::draw(f, state)).unwrap();
    terminal.backend().buffer().clone()
}

/// Type `text` key by key.
pub fn type_text(s: &mut AppState, text: &str) -> Vec<astrodash::app::effect::Effect> {
    let mut out = Vec::new();
    for c in text.chars() {
        out.extend(astrodash::app::update::update(s, ch(c)));
    }
    out
}

/// The reads among `effects`, with their sequence numbers.
pub fn reads(effects: &[astrodash::app::effect::Effect]) -> Vec<(Request, u64)> {
    effects
        .iter()
        .filter_map(|e| match e {
            astrodash::app::effect::Effect::Fetch { seq, request } => Some((request.clone(), *seq)),
            _ => None,
        })
        .collect()
}

/// Answer the reads among `effects` with `server`'s answer for each (`None`: what the cache
/// holds, as if nothing changed on the server). Returns the effects of the answers.
pub fn answer_reads_with(
    s: &mut AppState,
    effects: &[astrodash::app::effect::Effect],
    server: impl Fn(&Request) -> Option<Payload>,
) -> Vec<astrodash::app::effect::Effect> {
    let mut out = Vec::new();
    for (request, seq) in reads(effects) {
        let payload = server(&request)
            .or_else(|| s.cache.remote(&request).and_then(|r| r.data()).cloned())
            .expect("an answer for every read");
        out.extend(astrodash::app::update::update(
            s,
            reply(request, seq, 1, payload),
        ));
    }
    out
}

/// Answer the reads among `effects` with what the cache holds: the server did not change.
pub fn answer_reads(
    s: &mut AppState,
    effects: &[astrodash::app::effect::Effect],
) -> Vec<astrodash::app::effect::Effect> {
    answer_reads_with(s, effects, |_| None)
}

/// Press `msg` and answer the re-read an edit makes before it sends anything, as if nothing
/// changed on the server. Returns every effect, the mutation (if any) among them.
pub fn press_answering_rereads(s: &mut AppState, msg: Msg) -> Vec<astrodash::app::effect::Effect> {
    let mut effects = astrodash::app::update::update(s, msg);
    let answers = answer_reads(s, &effects);
    effects.extend(answers);
    effects
}

/// Ctrl-s on the top form, the server re-read and unchanged.
pub fn submit(s: &mut AppState) -> Vec<astrodash::app::effect::Effect> {
    press_answering_rereads(s, ctrl('s'))
}

/// Enter on a confirmation, the server re-read and unchanged.
pub fn confirm(s: &mut AppState) -> Vec<astrodash::app::effect::Effect> {
    press_answering_rereads(s, key(KeyCode::Enter))
}

/// `update`, with the executor's answer to each `Effect::Connect` fed back as the app receives
/// it when the connection could be made (`Msg::Connected` with `Ok`): a context switch then
/// completes within one call, as it does for the user a moment later.
pub fn update_connected(
    s: &mut AppState,
    msg: astrodash::app::msg::Msg,
) -> Vec<astrodash::app::effect::Effect> {
    use astrodash::app::effect::Effect;
    let mut effects = astrodash::app::update::update(s, msg);
    let connects: Vec<String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Connect { context, .. } => Some(context.clone()),
            _ => None,
        })
        .collect();
    for context in connects {
        let msg = astrodash::app::msg::Msg::Connected {
            context,
            result: Ok(()),
        };
        effects.extend(astrodash::app::update::update(s, msg));
    }
    effects
}
