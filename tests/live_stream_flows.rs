//! Reducer flows of the live streams themselves: polling fallback, restarts, token expiry and
//! refusal, leaving and coming back, the Metrics tab (its stream, window and retries), and
//! read-only sessions. Messages in, state and the exact effects out; no terminal, no network.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::logs::Feed;
use astrodash::app::metrics::{MetricsFeed, MetricsView};
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::streams::{StreamEvent, StreamId};
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::metrics::{Metric, MetricType, Point, Series};
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use astrodash::houston::subscription::Subscription;
use common::live::*;
use common::*;
use crossterm::event::KeyCode;

fn stream_at(id: StreamId, secs: i64, event: StreamEvent) -> Msg {
    Msg::Stream {
        id,
        at: later(secs),
        event,
    }
}

#[test]
fn a_failed_socket_falls_back_to_polling_and_says_so() {
    let (mut s, id) = live_logs(lines(0, 10));
    let fx = update(
        &mut s,
        stream(
            id,
            StreamEvent::Failed(ApiError::Network("log stream: connection refused".into())),
        ),
    );
    // Polls from the newest line on, at once.
    let request = logs_request(&fx);
    assert_eq!(
        request,
        Request::Logs {
            deployment: "d-etl".into(),
            component: Some("scheduler".into()),
            after: Some(ago(1000 - 9) - chrono::Duration::milliseconds(1)),
        }
    );
    assert!(matches!(view(&s).feed, Feed::Polling { .. }));
    assert!(subscribed(&fx).is_empty(), "no new socket while polling");
    let text = render(&s, 140, 30);
    assert!(text.contains("polling every 2 s"), "{text}");
    assert!(text.contains("connection refused"), "{text}");
    // The poll's answer adds lines; the next poll is due in 2 s, not the 5 s refresh.
    let seq = seq_of(&fx, &request);
    update(&mut s, reply(request, seq, 0, Payload::Logs(lines(9, 15))));
    assert_eq!(view(&s).buffer.len(), 15);
    assert_eq!(
        s.net.next_refresh_at,
        Some(now() + chrono::Duration::seconds(2))
    );
    // Answered polls leave nothing behind (each poll is a new request).
    assert!(
        !s.net
            .latest_seq
            .keys()
            .any(|r| matches!(r, Request::Logs { .. })),
        "{:?}",
        s.net.latest_seq
    );
    assert!(s.cache.remote(&request_after(ago(1000 - 9))).is_none());
    let fx = update(&mut s, Msg::Tick(later(2)));
    assert_eq!(
        logs_request(&fx),
        Request::Logs {
            deployment: "d-etl".into(),
            component: Some("scheduler".into()),
            after: Some(ago(1000 - 14) - chrono::Duration::milliseconds(1)),
        }
    );
}

/// prod-etl's scheduler lines newer than just before `newest`.
fn request_after(newest: Timestamp) -> Request {
    Request::Logs {
        deployment: "d-etl".into(),
        component: Some("scheduler".into()),
        after: Some(newest - chrono::Duration::milliseconds(1)),
    }
}

#[test]
fn a_stream_that_ends_after_a_while_restarts_and_a_quick_end_polls() {
    let (mut s, id) = live_logs(lines(0, 10));
    // Houston's 20-minute limit: a new stream from the newest line.
    let fx = update(&mut s, stream_at(id, 20 * 60, StreamEvent::Ended));
    let subs = subscribed(&fx);
    assert_eq!(subs.len(), 1, "{fx:?}");
    let id = subs[0].0;
    update(&mut s, stream_at(id, 20 * 60, StreamEvent::Started));
    let fx = update(&mut s, stream_at(id, 20 * 60 + 3, StreamEvent::Ended));
    assert!(subscribed(&fx).is_empty());
    assert!(matches!(view(&s).feed, Feed::Polling { .. }));
}

#[test]
fn a_token_that_expires_mid_stream_ends_the_session_with_a_reason() {
    let (mut s, id) = live_logs(lines(0, 10));
    s.session.token_expires_at = Some(later(30));
    let fx = update(
        &mut s,
        stream_at(
            id,
            60,
            StreamEvent::Failed(ApiError::Forbidden(
                "You do not have the appropriate permissions for that".into(),
            )),
        ),
    );
    let login = s.session.login.as_ref().expect("the login screen");
    let reason = login.reason.clone().unwrap_or_default();
    assert!(reason.contains("token expired"), "{reason}");
    assert!(reason.contains("live log stream stopped"), "{reason}");
    assert!(s.live.logs.is_none(), "nothing of the old session stays");
    assert!(s.live.running.is_empty());
    assert!(subscribed(&fx).is_empty());
}

#[test]
fn houston_refusing_the_stream_says_so_and_checks_the_session() {
    let (mut s, id) = live_logs(lines(0, 10));
    let fx = update(
        &mut s,
        stream(id, StreamEvent::Failed(ApiError::Forbidden("no".into()))),
    );
    assert_eq!(fetched(&fx), vec![Request::Me]);
    assert_eq!(
        s.visible_message().map(|m| m.text.as_str()),
        Some("The live log stream stopped: Houston refused it (no)")
    );
    assert!(matches!(view(&s).feed, Feed::Stopped { .. }));
    assert!(render(&s, 120, 30).contains("stopped"));
    // Houston refuses who-am-I too: the session is over.
    let seq = seq_of(&fx, &Request::Me);
    update(
        &mut s,
        Msg::Api {
            request: Request::Me,
            seq,
            at: now(),
            result: Err(ApiError::Forbidden("expired".into())),
        },
    );
    assert!(s.session.login.is_some());
}

#[test]
fn leaving_the_tab_stops_the_stream_and_coming_back_fills_the_gap() {
    let (mut s, id) = live_logs(lines(0, 10));
    let fx = update(&mut s, key(KeyCode::Tab));
    assert_eq!(unsubscribed(&fx), vec![id]);
    assert_eq!(view(&s).feed, Feed::Idle);
    let fx = update(&mut s, key(KeyCode::BackTab));
    assert_eq!(
        logs_request(&fx),
        Request::Logs {
            deployment: "d-etl".into(),
            component: Some("scheduler".into()),
            after: Some(ago(1000 - 9) - chrono::Duration::milliseconds(1)),
        }
    );
    assert_eq!(view(&s).buffer.len(), 10, "the lines stay");
    // Back to the workspace: the view and its streams go.
    update(&mut s, key(KeyCode::Esc));
    assert!(s.live.logs.is_none());
}

fn metric(label: &str, values: &[f64]) -> Metric {
    Metric {
        label: label.into(),
        series: vec![Series {
            labels: Default::default(),
            points: values
                .iter()
                .enumerate()
                .map(|(i, &value)| Point {
                    at: 1_700_000_000.0 + 60.0 * i as f64,
                    value,
                })
                .collect(),
        }],
    }
}

fn metrics_view(s: &AppState) -> &MetricsView {
    s.live
        .metrics_view(&"d-etl".into())
        .expect("the metrics tab")
}

#[test]
fn the_metrics_tab_streams_and_w_changes_the_window() {
    let mut s = at_workspace();
    s.nav.routes.push(Route::Deployment {
        id: "d-etl".into(),
        tab: DeploymentTab::Overview,
    });
    let fx = update(&mut s, ch('6'));
    let subs = subscribed(&fx);
    assert_eq!(
        subs.iter().map(|(_, sub)| sub.clone()).collect::<Vec<_>>(),
        vec![Subscription::Metrics {
            deployment: "d-etl".into(),
            types: MetricType::ALL.to_vec(),
            since_minutes: 15,
            step_secs: 15,
        }]
    );
    let id = subs[0].0;
    assert!(render(&s, 120, 30).contains("Connecting to Houston's metrics stream"));
    update(&mut s, stream(id, StreamEvent::Started));
    update(
        &mut s,
        stream(
            id,
            StreamEvent::Metrics(vec![metric("heartbeat", &[12.0, 12.5, 11.8])]),
        ),
    );
    assert_eq!(metrics_view(&s).updates, 1);
    let text = render(&s, 120, 30);
    assert!(text.contains("11.8/min"), "{text}");
    assert!(text.contains("1 update"), "{text}");

    let fx = update(&mut s, ch('w'));
    assert_eq!(unsubscribed(&fx), vec![id]);
    let subs = subscribed(&fx);
    assert!(matches!(
        &subs[0].1,
        Subscription::Metrics {
            since_minutes: 60,
            step_secs: 60,
            ..
        }
    ));
    assert!(metrics_view(&s).snapshot.is_none(), "no mixing of windows");
    // Leaving the tab stops the stream.
    let fx = update(&mut s, key(KeyCode::Tab));
    assert_eq!(unsubscribed(&fx), vec![subs[0].0]);
}

#[test]
fn a_lost_metrics_stream_is_retried_with_back_off_and_an_unsupported_one_is_not() {
    let mut s = at_workspace();
    s.nav.routes.push(Route::Deployment {
        id: "d-etl".into(),
        tab: DeploymentTab::Metrics,
    });
    put(
        &mut s,
        Request::AppConfig,
        Payload::AppConfig(AppConfig {
            version: Some("0.23.0".into()),
            base_domain: None,
        }),
    );
    let fx = update(&mut s, Msg::Tick(now()));
    let id = subscribed(&fx)[0].0;
    let fx = update(
        &mut s,
        stream(id, StreamEvent::Failed(ApiError::Network("reset".into()))),
    );
    assert!(subscribed(&fx).is_empty());
    assert!(matches!(
        metrics_view(&s).feed,
        MetricsFeed::Retrying { .. }
    ));
    assert!(render(&s, 120, 30).contains("retrying in 2s"));
    // Not before the back-off; then again.
    assert!(subscribed(&update(&mut s, Msg::Tick(later(1)))).is_empty());
    let fx = update(&mut s, Msg::Tick(later(2)));
    let id = subscribed(&fx)[0].0;
    let fx = update(
        &mut s,
        stream(
            id,
            StreamEvent::Failed(ApiError::unsupported(
                "Cannot query field \"metrics\" on type \"Subscription\".",
            )),
        ),
    );
    assert!(subscribed(&fx).is_empty());
    assert!(matches!(
        metrics_view(&s).feed,
        MetricsFeed::NotOffered { .. }
    ));
    assert!(subscribed(&update(&mut s, Msg::Tick(later(60)))).is_empty());
    // Said like any feature this Houston lacks, with its version; not an error.
    let text = render(&s, 120, 30);
    assert!(
        text.contains("Not available on Houston 0.23.0 (Cannot query field \"metrics\""),
        "{text}"
    );
    assert!(!text.contains('✗'), "{text}");

    // Any other refusal is an error that stays (no retry).
    let mut s = at_workspace();
    s.nav.routes.push(Route::Deployment {
        id: "d-etl".into(),
        tab: DeploymentTab::Metrics,
    });
    let id = subscribed(&update(&mut s, Msg::Tick(now())))[0].0;
    update(
        &mut s,
        stream(
            id,
            StreamEvent::Failed(ApiError::graphql("Prometheus is down")),
        ),
    );
    assert!(matches!(
        metrics_view(&s).feed,
        MetricsFeed::Unavailable { .. }
    ));
    assert!(subscribed(&update(&mut s, Msg::Tick(later(60)))).is_empty());
    let text = render(&s, 120, 30);
    assert!(
        text.contains("No metrics: Houston cannot send metrics: Prometheus is down"),
        "{text}"
    );
}

#[test]
fn read_only_sessions_still_see_logs_and_metrics() {
    let mut s = at_workspace();
    s.session.read_only = true;
    let fx = update(&mut s, ch('l'));
    logs_request(&fx);
    let fx = update(&mut s, ch('6'));
    assert_eq!(subscribed(&fx).len(), 1);
}
