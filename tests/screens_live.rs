//! Snapshots of the live tabs at 80×24 and 160×48, from fixed lines, fixed metrics and a fixed
//! clock: the log view following, paused with a filter and the new-lines marker, typing a
//! search, polling; the Metrics tab of a healthy and an unhealthy deployment, and waiting.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::streams::{StreamEvent, StreamId};
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::metrics::{Metric, Point, Series};
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use common::*;
use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

fn stream_id(effects: &[Effect]) -> StreamId {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Subscribe { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no stream started in {effects:?}"))
}

fn event(id: StreamId, event: StreamEvent) -> Msg {
    Msg::Stream {
        id,
        at: now(),
        event,
    }
}

/// Airflow-like lines of every level, one every 7 s up to 3 s ago.
fn log_lines(count: i64) -> Vec<LogLine> {
    lines_between(0, count, count)
}

/// Lines `from..to` of a series of `total` lines written one every 7 s up to 3 s ago.
fn lines_between(from: i64, to: i64, total: i64) -> Vec<LogLine> {
    (from..to)
        .map(|i| {
            let (level, message) = match i % 9 {
                0 => ("INFO", "[scheduler_job_runner.py:1578] Scheduler heartbeat".to_string()),
                1 => (
                    "INFO",
                    format!("[dag_processing.py:1099] Processing file /usr/local/airflow/dags/ingest_orders_{i}.py for tasks to queue"),
                ),
                2 => (
                    "WARNING",
                    format!("[scheduler_job_runner.py:1610] DAG dbt_run_marts_{i} is missing and will be deactivated."),
                ),
                3 => (
                    "ERROR",
                    format!("[scheduler_job_runner.py:809] Executor reports task instance <TaskInstance: export_to_s3.publish_{i} [queued]> finished (failed) although the task says it's queued."),
                ),
                4 => ("DEBUG", "[settings.py:59] Disposing DB connection pool".to_string()),
                _ => (
                    "INFO",
                    format!("[dagrun.py:822] Marking run <DagRun daily_revenue_rollup @ 2026-11-27T11:00:00+00:00: scheduled__{i}, state:running> successful"),
                ),
            };
            LogLine {
                id: format!("log-{i}"),
                timestamp: Some(ago(3 + 7 * (total - 1 - i))),
                component: Some("scheduler".into()),
                level: Some(level.into()),
                message,
            }
        })
        .collect()
}

/// The log view of prod-etl, its recent lines loaded and the stream live.
fn logs_state(lines: Vec<LogLine>) -> (AppState, StreamId) {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    let fx = update(&mut s, ch('l'));
    let request = fx
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { request, seq } if matches!(request, Request::Logs { .. }) => {
                Some((request.clone(), *seq))
            }
            _ => None,
        })
        .expect("the logs request");
    let fx = update(&mut s, reply(request.0, request.1, 0, Payload::Logs(lines)));
    let id = stream_id(&fx);
    update(&mut s, event(id, StreamEvent::Started));
    // The "Loading…" flash of the first fetch is not part of these pictures.
    s.ui.message = None;
    (s, id)
}

#[test]
fn logs_following() {
    let (s, _) = logs_state(log_lines(60));
    let text = render(&s, 80, 24);
    assert!(text.contains(" scheduler "), "{text}");
    assert!(text.contains("● live · 60 lines"), "{text}");
    assert!(text.contains("following"), "{text}");
    // The newest line is on the last text row.
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[rows.len() - 4].contains("11:59:57"), "{text}");
    snap("logs_following", &s);

    // Levels have their colours: the ERROR tag red, the WARN tag yellow.
    let buffer = render_buffer(&s, 160, 48);
    let text = render(&s, 160, 48);
    let find = |needle: &str| {
        let row = text.lines().position(|l| l.contains(needle)).unwrap();
        let col = text.lines().nth(row).unwrap().find(needle).unwrap();
        let x = text.lines().nth(row).unwrap()[..col].chars().count();
        (x as u16, row as u16)
    };
    assert_eq!(buffer[find("ERROR")].fg, Color::Red);
    assert_eq!(buffer[find("WARN ")].fg, Color::Yellow);
}

#[test]
fn logs_paused_filtered_with_new_lines() {
    let (mut s, id) = logs_state(lines_between(0, 60, 80));
    update(&mut s, ch('&'));
    type_text(&mut s, "marking run");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::PageUp));
    let more = lines_between(60, 80, 80);
    update(
        &mut s,
        event(
            id,
            StreamEvent::Lines {
                lines: more,
                dropped: 0,
            },
        ),
    );
    update(&mut s, ch('/'));
    type_text(&mut s, "scheduled__5");
    update(&mut s, key(KeyCode::Enter));
    s.ui.message = None;
    let text = render(&s, 160, 48);
    assert!(text.contains("paused"), "{text}");
    assert!(text.contains("new lines"), "{text}");
    assert!(text.contains("of 80 lines match &marking run"), "{text}");
    assert!(!text.contains("Scheduler heartbeat"), "{text}");
    snap("logs_paused_filtered", &s);

    // The search is highlighted where it occurs.
    let buffer = render_buffer(&s, 160, 48);
    let row = text
        .lines()
        .position(|l| l.contains("scheduled__59"))
        .unwrap();
    let col = text.lines().nth(row).unwrap().find("scheduled__5").unwrap();
    let x = text.lines().nth(row).unwrap()[..col].chars().count() as u16;
    assert_eq!(buffer[(x, row as u16)].bg, Color::Yellow);
    // Without colour, the highlight is reversed.
    s.ui.mono = true;
    let buffer = render_buffer(&s, 160, 48);
    assert!(
        buffer[(x, row as u16)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset, "no colour under NO_COLOR");
    }
}

#[test]
fn logs_search_being_typed() {
    let (mut s, _) = logs_state(log_lines(20));
    update(&mut s, ch('/'));
    type_text(&mut s, "heartbeat");
    let text = render(&s, 80, 24);
    assert!(text.contains("Search: /heartbeat"), "{text}");
    assert!(text.contains("Enter apply"), "{text}");
    snap("logs_search_typed", &s);
}

#[test]
fn logs_polling_after_the_socket_failed() {
    let (mut s, id) = logs_state(log_lines(12));
    update(
        &mut s,
        event(
            id,
            StreamEvent::Failed(ApiError::Network(
                "log stream: connection refused (os error 111)".into(),
            )),
        ),
    );
    s.ui.message = None;
    let text = render(&s, 160, 48);
    assert!(text.contains("polling every 2 s"), "{text}");
    snap("logs_polling", &s);
}

#[test]
fn logs_empty_window() {
    let (s, _) = logs_state(vec![]);
    let text = render(&s, 80, 24);
    assert!(
        text.contains("No scheduler lines in the last 5 min"),
        "{text}"
    );
}

/// One series over the 15-minute window, a point every 15 s.
fn range(labels: &[(&str, &str)], f: impl Fn(f64) -> f64) -> Series {
    Series {
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        points: (0..61)
            .map(|i| Point {
                at: now().timestamp() as f64 - 900.0 + 15.0 * f64::from(i),
                value: f(f64::from(i)),
            })
            .collect(),
    }
}

fn metric(label: &str, series: Vec<Series>) -> Metric {
    Metric {
        label: label.into(),
        series,
    }
}

fn instant(labels: &[(&str, &str)], value: f64) -> Series {
    let mut s = range(labels, |_| value);
    s.points = vec![*s.points.last().unwrap()];
    s
}

/// What houston-local publishes for a deployment, healthy or with a crash-looping scheduler.
fn metrics(healthy: bool) -> Vec<Metric> {
    let wave = |base: f64, swing: f64| move |i: f64| base * (1.0 + swing * (i / 6.0).sin());
    let pick = |h: f64, u: f64| if healthy { h } else { u };
    let pods = ["scheduler", "webserver", "worker"];
    let per_pod = |base: [f64; 3]| -> Vec<Series> {
        pods.iter()
            .zip(base)
            .map(|(pod, b)| range(&[("component_name", pod)], wave(b, 0.3)))
            .collect()
    };
    let mut containers: Vec<Series> = pods
        .iter()
        .map(|pod| {
            let down = !healthy && *pod == "scheduler";
            instant(&[("container", pod)], if down { 1.0 } else { 0.0 })
        })
        .collect();
    if !healthy {
        containers.push(instant(
            &[("container", "scheduler"), ("reason", "CrashLoopBackOff")],
            1.0,
        ));
    }
    vec![
        metric("deploymentStatus", vec![instant(&[], pick(0.0, -1.0))]),
        metric("schedulerHeartbeat", vec![instant(&[], pick(0.2, 0.0))]),
        metric("coreContainerStatus", containers),
        metric("runningTasks", vec![range(&[], wave(pick(3.0, 0.0), 0.5))]),
        metric("queuedTasks", vec![range(&[], wave(pick(0.6, 8.0), 0.6))]),
        metric(
            "failedTasks",
            vec![range(&[], wave(pick(0.002, 0.08), 0.4))],
        ),
        metric(
            "successfulTasks",
            vec![range(&[], wave(pick(0.08, 0.003), 0.4))],
        ),
        metric(
            "totalDatabaseConnections",
            vec![range(&[], wave(pick(14.0, 1.0), 0.35))],
        ),
        metric(
            "totalWaitingClients",
            vec![range(&[], wave(pick(0.3, 6.0), 0.5))],
        ),
        metric("heartbeat", vec![range(&[], wave(pick(12.0, 0.0), 0.02))]),
        metric("cpuMax", vec![instant(&[], 2.4)]),
        metric("memoryMax", vec![instant(&[], 9.0 * 1_073_741_824.0)]),
        metric("maxPods", vec![instant(&[], 14.0)]),
        metric("reservedCPU", vec![instant(&[], pick(50.0, 92.0))]),
        metric("reservedMemory", vec![instant(&[], pick(50.0, 80.0))]),
        metric("runningPods", vec![instant(&[], 50.0)]),
        metric(
            "cpuUsage",
            per_pod(pick3(healthy, [35.0, 12.0, 45.0], [1.5, 12.0, 6.0])),
        ),
        metric("memoryUsage", per_pod([55.0, 60.0, 40.0])),
    ]
}

fn pick3(healthy: bool, h: [f64; 3], u: [f64; 3]) -> [f64; 3] {
    if healthy { h } else { u }
}

/// The Metrics tab of prod-etl with `list` received.
fn metrics_state(list: Option<Vec<Metric>>) -> AppState {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    s.nav.routes.push(Route::Deployment {
        id: "d-etl".into(),
        tab: DeploymentTab::Metrics,
    });
    let fx = update(&mut s, Msg::Tick(now()));
    let id = stream_id(&fx);
    update(&mut s, event(id, StreamEvent::Started));
    if let Some(list) = list {
        update(&mut s, event(id, StreamEvent::Metrics(list)));
    }
    s
}

#[test]
fn metrics_of_a_healthy_deployment() {
    let s = metrics_state(Some(metrics(true)));
    let text = render(&s, 80, 24);
    for expected in [
        "heartbeat OK",
        "core containers running",
        "running",
        "queued",
        "connections",
        "of 2.4 cores",
        "50%",
        "● live · updated just now · 1 update",
    ] {
        assert!(text.contains(expected), "{expected}:\n{text}");
    }
    let big = render(&s, 160, 48);
    assert!(big.contains("Usage, mean per pod"), "{big}");
    // The legend names both lines with their newest value.
    assert!(big.contains("│CPU ") && big.contains("│memory "), "{big}");
    snap("metrics_healthy", &s);
}

#[test]
fn metrics_of_an_unhealthy_deployment_show_it() {
    let s = metrics_state(Some(metrics(false)));
    let text = render(&s, 160, 48);
    assert!(text.contains("✗ no heartbeat"), "{text}");
    assert!(text.contains("scheduler: CrashLoopBackOff"), "{text}");
    assert!(text.contains("0/min"), "{text}");
    // Past 90 % of the CPU quota the gauge is red.
    let buffer = render_buffer(&s, 160, 48);
    let row = text.lines().position(|l| l.contains("92%")).unwrap() as u16;
    let red =
        (0..160).any(|x| buffer[(x, row)].symbol() == "█" && buffer[(x, row)].fg == Color::Red);
    assert!(red, "{text}");
    snap("metrics_unhealthy", &s);
}

#[test]
fn metrics_waiting_for_the_first_snapshot() {
    let s = metrics_state(None);
    let text = render(&s, 80, 24);
    assert!(text.contains("Waiting for the first metrics"), "{text}");
    snap("metrics_waiting", &s);
}
