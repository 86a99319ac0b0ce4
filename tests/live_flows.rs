//! Reducer flows of the log view on screen: backlog then live lines, follow/pause and the new-lines
//! marker, search and filter, components, the window, the buffer size, saving, the keys in help.
//! Messages in, state and the exact effects out; no terminal, no network.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::effect::Effect;
use astrodash::app::keymap::{self, Action, KeyScope};
use astrodash::app::live::Link;
use astrodash::app::logs::Feed;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::streams::StreamEvent;
use astrodash::app::update::update;
use astrodash::houston::request::{Payload, Request};
use astrodash::houston::subscription::Subscription;
use common::live::*;
use common::*;
use crossterm::event::KeyCode;
use std::path::PathBuf;

#[test]
fn l_opens_the_log_view_loads_recent_lines_then_streams() {
    let mut s = at_workspace();
    let fx = update(&mut s, ch('l'));
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-etl".into(),
            tab: DeploymentTab::Logs
        }
    );
    // The last five minutes of the first component, before anything live.
    let request = logs_request(&fx);
    assert_eq!(
        request,
        Request::Logs {
            deployment: "d-etl".into(),
            component: Some("scheduler".into()),
            after: Some(now() - chrono::Duration::minutes(5)),
        }
    );
    assert!(subscribed(&fx).is_empty(), "no stream before the backlog");
    assert_eq!(
        view(&s).components,
        ["scheduler", "webserver", "worker", "triggerer"],
        "a Celery deployment has workers"
    );
    assert_eq!(view(&s).feed, Feed::Loading);

    let seq = seq_of(&fx, &request);
    let fx = update(&mut s, reply(request, seq, 0, Payload::Logs(lines(0, 10))));
    let subs = subscribed(&fx);
    assert_eq!(subs.len(), 1);
    // The stream starts just before the newest line it already has (duplicates are dropped).
    assert_eq!(
        subs[0].1,
        Subscription::Log {
            deployment: "d-etl".into(),
            component: Some("scheduler".into()),
            after: Some(ago(1000 - 9) - chrono::Duration::milliseconds(1)),
            search: None,
        }
    );
    assert_eq!(view(&s).buffer.len(), 10);
    assert_eq!(view(&s).link, Link::Connecting);
    let id = subs[0].0;
    update(&mut s, stream(id, StreamEvent::Started));
    assert_eq!(view(&s).link, Link::Open);

    // Live lines append; a line the backlog already had is not repeated.
    let mut batch = lines(9, 13);
    batch.push(lines(3, 4).remove(0));
    update(
        &mut s,
        stream(
            id,
            StreamEvent::Lines {
                lines: batch,
                dropped: 0,
            },
        ),
    );
    assert_eq!(view(&s).buffer.len(), 13);
    assert!(view(&s).following());
    let text = render(&s, 120, 30);
    assert!(text.contains("Processing file dag_12.py"), "{text}");
    assert!(text.contains("● live"), "{text}");
    assert!(text.contains("13 lines"), "{text}");
}

#[test]
fn a_kubernetes_deployment_has_no_worker_tab_and_the_dashboard_has_a_logs_tab() {
    let mut s = at_workspace();
    s.nav.routes.push(Route::Deployment {
        id: "d-rep".into(),
        tab: DeploymentTab::Overview,
    });
    // Logs is tab 5 of the deployment dashboard.
    let fx = update(&mut s, ch('5'));
    assert_eq!(
        s.route(),
        &Route::Deployment {
            id: "d-rep".into(),
            tab: DeploymentTab::Logs
        }
    );
    logs_request(&fx);
    assert_eq!(
        s.live.log_view(&"d-rep".into()).unwrap().components,
        ["scheduler", "webserver", "triggerer"]
    );
}

#[test]
fn scrolling_up_pauses_and_counts_new_lines_until_f() {
    let (mut s, id) = live_logs(lines(0, 100));
    assert!(view(&s).following());
    // `F` does not exist while following: nothing to resume.
    assert_eq!(keymap::resolve(&s, s.key_scope(), &key_event('F')), None);
    update(&mut s, ch('k'));
    assert!(!view(&s).following(), "moving up pauses");
    let page = astrodash::app::update::log_page(&s);
    assert_eq!(view(&s).top_pos(page), 100 - page - 1);
    assert_eq!(
        keymap::resolve(&s, s.key_scope(), &key_event('F')),
        Some(Action::Follow)
    );

    update(
        &mut s,
        stream(
            id,
            StreamEvent::Lines {
                lines: lines(100, 137),
                dropped: 0,
            },
        ),
    );
    assert_eq!(view(&s).unseen, 37);
    // The view did not move: the same line is on top.
    assert_eq!(view(&s).top_pos(page), 100 - page - 1);
    let text = render(&s, 120, 30);
    assert!(text.contains("paused · 37 new lines · F follow"), "{text}");

    update(&mut s, ch('F'));
    assert!(view(&s).following());
    assert_eq!(view(&s).unseen, 0);
    let text = render(&s, 120, 30);
    assert!(text.contains("following"), "{text}");
    assert!(
        text.contains("dag_136.py"),
        "the newest line shows:\n{text}"
    );

    // g goes to the oldest line, G back to following.
    update(&mut s, ch('g'));
    assert_eq!(view(&s).top_pos(page), 0);
    assert!(render(&s, 120, 30).contains("dag_1.py"));
    update(&mut s, ch('G'));
    assert!(view(&s).following());
}

fn key_event(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(KeyCode::Char(c), crossterm::event::KeyModifiers::NONE)
}

#[test]
fn search_highlights_jumps_to_the_newest_match_and_n_walks_matches() {
    let (mut s, _) = live_logs(lines(0, 100));
    update(&mut s, ch('/'));
    assert_eq!(s.key_scope(), KeyScope::LogPrompt);
    type_text(&mut s, "HEARTBEAT 9");
    // Live: the search is set as it is typed (case-insensitive), nothing moves yet.
    assert_eq!(view(&s).search, "heartbeat 9");
    assert!(view(&s).following());
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.key_scope(),
        KeyScope::Screen(astrodash::app::keymap::Screen::Deployment(
            DeploymentTab::Logs
        ))
    );
    // Lines 90 and 95 match: the newest is current, the view paused on it.
    let current = view(&s).current_match.unwrap();
    assert_eq!(view(&s).buffer.by_seq(current).unwrap().line.id, "l95");
    assert!(!view(&s).following());
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("2 matching lines (n newer, N older)")
    );

    update(&mut s, ch('N'));
    let current = view(&s).current_match.unwrap();
    assert_eq!(view(&s).buffer.by_seq(current).unwrap().line.id, "l90");
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("Match 1 of 2")
    );
    update(&mut s, ch('N'));
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("No older line matches 'heartbeat 9'")
    );
    update(&mut s, ch('n'));
    let current = view(&s).current_match.unwrap();
    assert_eq!(view(&s).buffer.by_seq(current).unwrap().line.id, "l95");

    // Esc clears the search first (the dashboard stays).
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(view(&s).search, "");
    assert!(matches!(s.route(), Route::Deployment { .. }));
    // n/N only exist with a search.
    assert_eq!(keymap::resolve(&s, s.key_scope(), &key_event('n')), None);

    // A search nothing matches says so and keeps following.
    update(&mut s, ch('G'));
    update(&mut s, ch('/'));
    type_text(&mut s, "zebra");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("No line matches 'zebra'")
    );
    assert!(view(&s).following());
}

#[test]
fn the_filter_hides_lines_live_and_esc_in_the_prompt_restores_it() {
    let (mut s, id) = live_logs(lines(0, 50));
    update(&mut s, ch('&'));
    type_text(&mut s, "heartbeat");
    assert_eq!(view(&s).view_len(), 10, "applied while typing");
    update(&mut s, key(KeyCode::Enter));
    let text = render(&s, 120, 30);
    assert!(text.contains("10 of 50 lines match &heartbeat"), "{text}");
    assert!(!text.contains("Processing file"), "{text}");

    // New lines go through the filter as they arrive.
    update(
        &mut s,
        stream(
            id,
            StreamEvent::Lines {
                lines: lines(50, 60),
                dropped: 0,
            },
        ),
    );
    assert_eq!(view(&s).view_len(), 12);

    // Esc while typing a new filter puts back the previous one.
    update(&mut s, ch('&'));
    type_text(&mut s, "xyz");
    assert_eq!(view(&s).view_len(), 0);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(view(&s).filter, "heartbeat");
    assert_eq!(view(&s).view_len(), 12);

    // Esc on the tab clears the filter.
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(view(&s).view_len(), 60);
}

#[test]
fn switching_component_restarts_the_backlog_and_the_stream() {
    let (mut s, id) = live_logs(lines(0, 20));
    let fx = update(&mut s, ch('c'));
    assert_eq!(unsubscribed(&fx), vec![id]);
    let request = logs_request(&fx);
    assert!(matches!(&request, Request::Logs { component: Some(c), .. } if c == "webserver"));
    assert_eq!(view(&s).buffer.len(), 0, "another component's lines");
    assert_eq!(view(&s).feed, Feed::Loading);
    // A late line of the stopped stream is dropped.
    assert!(
        update(
            &mut s,
            stream(
                id,
                StreamEvent::Lines {
                    lines: lines(20, 21),
                    dropped: 0
                }
            )
        )
        .is_empty()
    );
    assert_eq!(view(&s).buffer.len(), 0);
    // C goes back (and wraps around).
    update(&mut s, ch('C'));
    update(&mut s, ch('C'));
    assert_eq!(view(&s).component_name(), "triggerer");
}

#[test]
fn the_window_reloads_and_toggles_change_the_display() {
    let (mut s, id) = live_logs(lines(0, 20));
    let fx = update(&mut s, ch('T'));
    assert_eq!(unsubscribed(&fx), vec![id]);
    assert_eq!(
        logs_request(&fx),
        Request::Logs {
            deployment: "d-etl".into(),
            component: Some("scheduler".into()),
            after: Some(now() - chrono::Duration::hours(1)),
        }
    );
    let text = render(&s, 120, 30);
    assert!(text.contains("last hour"), "{text}");

    let (mut s, _) = live_logs(vec![line_at(1, 5, "ERROR", &"x".repeat(200))]);
    assert!(
        render(&s, 80, 24).contains("11:59:55"),
        "timestamps by default"
    );
    update(&mut s, ch('t'));
    let text = render(&s, 80, 24);
    assert!(!text.contains("11:59:55"), "{text}");
    assert!(text.contains("no times"), "{text}");
    // Unwrapped: one row, cut; wrapped: the whole line over three rows.
    let rows = |text: &str| text.lines().filter(|l| l.contains("xxxxxxxxxx")).count();
    assert_eq!(rows(&render(&s, 80, 24)), 1);
    update(&mut s, ch('w'));
    let text = render(&s, 80, 24);
    assert_eq!(rows(&text), 3, "{text}");
    assert!(text.contains("wrap"), "{text}");
}

#[test]
fn the_buffer_keeps_the_configured_number_of_lines() {
    let mut s = AppState::new(&settings_with_log_lines(150), now(), false);
    let loaded = loaded_state();
    s.cache = loaded.cache.clone();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    let fx = update(&mut s, ch('l'));
    let request = logs_request(&fx);
    let seq = seq_of(&fx, &request);
    update(&mut s, reply(request, seq, 0, Payload::Logs(lines(0, 400))));
    assert_eq!(view(&s).buffer.len(), 150);
    assert_eq!(view(&s).buffer.get(0).unwrap().line.id, "l250");
    assert_eq!(view(&s).buffer.evicted, 250);
}

fn settings_with_log_lines(n: usize) -> astrodash::config::Settings {
    let mut settings = settings(Some("token"));
    settings.log_lines = n;
    settings
}

#[test]
fn s_saves_the_shown_lines_to_a_new_file() {
    let (mut s, _) = live_logs(lines(0, 30));
    update(&mut s, ch('&'));
    type_text(&mut s, "heartbeat");
    update(&mut s, key(KeyCode::Enter));
    let fx = update(&mut s, ch('s'));
    let (path, contents) = fx
        .iter()
        .find_map(|e| match e {
            Effect::WriteFile { path, contents } => Some((path.clone(), contents.clone())),
            _ => None,
        })
        .expect("a file write");
    assert_eq!(
        path,
        PathBuf::from("astrodash-quantum-nebula-1234-scheduler-20261127T120000Z.log")
    );
    assert_eq!(
        contents.lines().count(),
        6,
        "only the lines the filter shows"
    );
    assert!(
        contents.starts_with(
            "2026-11-27T11:43:20.000Z INFO  [scheduler_job_runner.py:1578] Scheduler heartbeat 0\n"
        ),
        "{contents}"
    );
    update(
        &mut s,
        Msg::FileWritten {
            path: path.clone(),
            result: Ok(PathBuf::from("/home/ada").join(&path)),
        },
    );
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some(
            "Saved 6 lines to /home/ada/astrodash-quantum-nebula-1234-scheduler-20261127T120000Z.log"
        )
    );
    update(
        &mut s,
        Msg::FileWritten {
            path,
            result: Err("x.log already exists".into()),
        },
    );
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("Could not save the logs: x.log already exists")
    );
    // Nothing shown, nothing to save: the key is not there.
    update(&mut s, ch('&'));
    type_text(&mut s, "zzz");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(keymap::resolve(&s, s.key_scope(), &key_event('s')), None);
}

#[test]
fn the_logs_keys_are_in_help_and_hints() {
    let (mut s, _) = live_logs(lines(0, 10));
    let text = render(&s, 160, 48);
    let hints = text.lines().last().unwrap();
    for hint in ["/ search", "& filter", "c component", "s save", "T window"] {
        assert!(hints.contains(hint), "{hints}");
    }
    // Paused, so `F` exists too.
    update(&mut s, ch('k'));
    update(&mut s, ch('?'));
    let text = render(&s, 160, 48);
    for help in [
        "follow new lines again",
        "wrap long lines",
        "show timestamps",
        "time window: 5 min / hour / day",
        "While searching or filtering",
    ] {
        assert!(text.contains(help), "{help}:\n{text}");
    }
    // `l` is offered on a deployment row and on the dashboard.
    let s = at_workspace();
    assert!(
        render(&s, 160, 48)
            .lines()
            .last()
            .unwrap()
            .contains("l logs")
    );
}
