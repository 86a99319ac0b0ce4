//! The all-deployments table at 5,000 deployments in 200 workspaces, both ways it can be fed
//! (one platform-wide list; 200 workspace lists read in place): a filter keystroke, a sort
//! change, a frame, and applying a round of statuses with one change.
//! Run with `cargo bench --bench all_deployments`. Budget (BENCHMARKS.md): 5 ms per keystroke.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use astrodash::app::msg::Msg;
use astrodash::app::state::{AppState, Route};
use astrodash::app::tables::{self, Sort, TableId};
use astrodash::app::update::update;
use astrodash::config::{Settings, TokenSource};
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WORKSPACES: usize = 200;
const EACH: usize = 25;

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0)
        .single()
        .unwrap()
}

fn workspace(w: usize) -> Workspace {
    Workspace {
        id: format!("ws-{w:03}").into(),
        label: format!("Bulk {w:03}"),
        description: None,
        deployment_count: EACH,
        my_role: Some(Role::WorkspaceViewer),
        created_at: None,
        updated_at: None,
        capabilities: WorkspaceCapabilities::default(),
    }
}

fn deployment(w: usize, i: usize) -> Deployment {
    let n = w * EACH + i;
    Deployment {
        id: format!("d-{n:05}").into(),
        label: format!("Bulk {w:03} {i:04}"),
        description: None,
        release_name: format!("stellar-orbit-{n}"),
        namespace: None,
        workspace_id: Some(format!("ws-{w:03}").into()),
        workspace_label: Some(format!("Bulk {w:03}")),
        cluster: None,
        executor: match n % 3 {
            0 => Executor::Celery,
            1 => Executor::Kubernetes,
            _ => Executor::Local,
        },
        airflow_version: Some("2.9.2".into()),
        desired_airflow_version: Some(
            if n.is_multiple_of(7) {
                "2.10.3"
            } else {
                "2.9.2"
            }
            .into(),
        ),
        runtime_version: None,
        desired_runtime_version: None,
        runtime_airflow_version: None,
        chart_version: None,
        status: match n % 11 {
            0 => DeploymentStatus::Unhealthy,
            1 => DeploymentStatus::Deploying,
            _ => DeploymentStatus::Healthy,
        },
        image_tag: Some(format!("deploy-{}", n % 20)),
        urls: vec![DeploymentUrl {
            kind: "airflow".into(),
            url: format!("https://deployments.example.com/stellar-orbit-{n}/airflow"),
        }],
        resources: vec![],
        extra_au: None,
        capabilities: DeploymentCapabilities::default(),
        created_at: None,
        updated_at: Some(now() - chrono::Duration::seconds(n as i64)),
    }
}

/// On the all-deployments view; `per_workspace`: Houston refused the platform-wide list.
fn state(per_workspace: bool) -> AppState {
    let settings = Settings {
        context_name: "bench".into(),
        url: "http://127.0.0.1/v1".into(),
        token: Some("t".into()),
        token_source: TokenSource::Flag,
        app_url: None,
        read_only: false,
        refresh: Duration::from_secs(5),
        ..Settings::default()
    };
    let mut s = AppState::new(&settings, now(), false);
    let me = Me {
        id: Some("u".into()),
        username: "u".into(),
        full_name: None,
        email: None,
        is_system_admin: !per_workspace,
        deployment_roles: Vec::new(),
    };
    s.cache.succeed(Request::Me, Payload::Me(me), now());
    let workspaces: Vec<Workspace> = (0..WORKSPACES).map(workspace).collect();
    s.cache.succeed(
        Request::Workspaces {
            me_id: Some("u".into()),
        },
        Payload::Workspaces(workspaces),
        now(),
    );
    if per_workspace {
        s.cache.start(&Request::AllDeployments);
        s.cache.fail(
            &Request::AllDeployments,
            ApiError::Forbidden("no".into()),
            now(),
        );
        for w in 0..WORKSPACES {
            let list = (0..EACH).map(|i| deployment(w, i)).collect();
            s.cache.succeed(
                Request::Deployments(format!("ws-{w:03}").into()),
                Payload::Deployments(list),
                now(),
            );
        }
    } else {
        let list = (0..WORKSPACES)
            .flat_map(|w| (0..EACH).map(move |i| deployment(w, i)))
            .collect();
        s.cache
            .succeed(Request::AllDeployments, Payload::Deployments(list), now());
    }
    s.nav.routes.push(Route::AllDeployments);
    update(&mut s, Msg::Resize(160, 48));
    reapply(&mut s);
    assert_eq!(s.rows(&TableId::AllDeployments).len(), WORKSPACES * EACH);
    s
}

/// Re-sort and re-filter the table's view, as the reducer does after a change.
fn reapply(s: &mut AppState) {
    let id = TableId::AllDeployments;
    let rows = tables::rows(&s.cache, &id);
    let generation = id.generation(&s.cache);
    s.ui.tables
        .entry(id)
        .or_default()
        .reapply(rows.as_ref(), generation);
}

fn report(name: &str, mut samples: Vec<Duration>, budget_ms: f64) {
    samples.sort();
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    let p50 = samples[samples.len() / 2];
    let p99 = samples[(samples.len() * 99 / 100).min(samples.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{name}: mean {:.3} ms, median {:.3} ms, p99 {:.3} ms over {} samples (budget {budget_ms} ms) {}",
        ms(mean),
        ms(p50),
        ms(p99),
        samples.len(),
        if ms(mean) < budget_ms {
            "OK"
        } else {
            "OVER BUDGET"
        }
    );
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn bench(per_workspace: bool) {
    let how = if per_workspace {
        "200 workspace lists"
    } else {
        "one list"
    };
    let mut s = state(per_workspace);

    // Filter: type "bulk 1" and take it back, key by key, through `update`.
    update(&mut s, key(KeyCode::Char('/')));
    let mut samples = Vec::new();
    for _ in 0..20 {
        for c in "bulk 1".chars() {
            let start = Instant::now();
            update(&mut s, key(KeyCode::Char(c)));
            samples.push(start.elapsed());
        }
        for _ in 0..6 {
            let start = Instant::now();
            update(&mut s, key(KeyCode::Backspace));
            samples.push(start.elapsed());
        }
    }
    update(&mut s, key(KeyCode::Esc));
    report(
        &format!("all deployments 5,000 ({how}): filter keystroke"),
        samples,
        5.0,
    );

    // Sort: every column, both ways (what a sort key does to the table).
    let columns = s.rows(&TableId::AllDeployments).layouts().len();
    let mut samples = Vec::new();
    for _ in 0..10 {
        for column in 0..columns {
            for descending in [false, true] {
                let start = Instant::now();
                s.ui.tables.entry(TableId::AllDeployments).or_default().sort =
                    Some(Sort { column, descending });
                reapply(&mut s);
                samples.push(start.elapsed());
            }
        }
    }
    s.ui.tables.entry(TableId::AllDeployments).or_default().sort = None;
    reapply(&mut s);
    report(
        &format!("all deployments 5,000 ({how}): sort change"),
        samples,
        5.0,
    );

    // A frame of the view.
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let mut samples = Vec::new();
    for _ in 0..300 {
        update(&mut s, key(KeyCode::PageDown));
        let start = Instant::now();
        terminal.draw(|f| astrodash::ui::draw(f, &s)).unwrap();
        samples.push(start.elapsed());
    }
    report(
        &format!("all deployments 5,000 ({how}): render @160x48"),
        samples,
        2.0,
    );
}

fn main() {
    bench(false);
    bench(true);
}
