//! Subscriptions over both websocket protocols, including astro-cli's quirks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::ws::*;
use common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

fn fast_logs() -> houston_local::Config {
    let mut cfg = test_config();
    cfg.log_interval_ms = 30;
    cfg
}

const LOG_SUB: &str = "subscription log($deploymentId: Uuid!, $component: String, $timestamp: DateTime, $search: String) { log(deploymentUuid: $deploymentId, component: $component, timestamp: $timestamp, search: $search) { id createdAt: timestamp log: message } }";

#[tokio::test]
async fn legacy_astro_cli_quirks_no_id_before_ack() {
    let s = start_with(fast_logs()).await;
    let (dep, _) = s.deployment("Core ETL").await;
    let token = s.token(ADMIN);
    let mut ws = connect(&s, "graphql-ws").await;
    // astro-cli: init and start back to back, start without an id.
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"authorization": token}}),
    )
    .await;
    send(&mut ws, json!({"type": "start", "payload": {"query": LOG_SUB, "variables": {"deploymentId": dep, "component": "scheduler", "search": "", "timestamp": chrono::Utc::now().to_rfc3339()}}})).await;
    assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
    for _ in 0..3 {
        let f = next(&mut ws).await.unwrap();
        assert_eq!(f["type"], "data", "{f}");
        assert!(f.get("id").is_none(), "{f}");
        let log = &f["payload"]["data"]["log"];
        assert!(log["id"].is_string() && log["log"].is_string(), "{f}");
        assert!(log["createdAt"].as_str().unwrap().ends_with('Z'));
    }
    // astro-cli's Ctrl-C: a close frame.
    ws.close(None).await.unwrap();
    s.h.shutdown().await;
}

#[tokio::test]
async fn legacy_with_ids_stop_and_status() {
    // DEPLOYING must still hold when the subscription reads the first status, then end
    // within `next`'s 5 s timeout.
    let mut cfg = fast_logs();
    cfg.deploying_secs = 3;
    let s = start_with(cfg).await;
    let token = s.token(ADMIN);
    let sb = s.workspace_id("Sandbox").await;
    let d = s
        .ok(ADMIN, "mutation($w: Uuid!) { createDeployment(workspaceUuid: $w, label: \"WS\") { id releaseName } }", json!({"w": sb}))
        .await;
    let rn = d["createDeployment"]["releaseName"]
        .as_str()
        .unwrap()
        .to_string();
    let dep = d["createDeployment"]["id"].as_str().unwrap().to_string();
    let mut ws = connect(&s, "graphql-ws").await;
    // A start sent before connection_init is queued until the init arrives.
    send(&mut ws, json!({"type": "start", "id": "st", "payload": {"query": "subscription($r: String) { deploymentStatus(releaseName: $r) { status } }", "variables": {"r": rn}}})).await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}}),
    )
    .await;
    assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
    let f = next(&mut ws).await.unwrap();
    assert_eq!(
        f,
        json!({"type": "data", "id": "st", "payload": {"data": {"deploymentStatus": {"status": "DEPLOYING"}}}})
    );
    let f = next(&mut ws).await.unwrap();
    assert_eq!(
        f["payload"]["data"]["deploymentStatus"]["status"],
        "HEALTHY"
    );
    s.h.set_unhealthy(&rn, true).unwrap();
    let f = next(&mut ws).await.unwrap();
    assert_eq!(
        f["payload"]["data"]["deploymentStatus"]["status"],
        "UNHEALTHY"
    );

    send(&mut ws, json!({"type": "start", "id": 7, "payload": {"query": LOG_SUB, "variables": {"deploymentId": dep}}})).await;
    let mut got_log = false;
    while !got_log {
        let f = next(&mut ws).await.unwrap();
        if f["id"] == 7 {
            assert_eq!(f["type"], "data");
            got_log = true;
        }
    }
    send(&mut ws, json!({"type": "stop", "id": "st"})).await;
    send(&mut ws, json!({"type": "stop", "id": 7})).await;
    let mut completes = 0;
    while completes < 2 {
        let f = next(&mut ws).await.unwrap();
        if f["type"] == "complete" {
            completes += 1;
        }
    }
    // Forbidden subscription → error frame for that id.
    let vera = s.token(VERA);
    let mut ws2 = connect(&s, "graphql-ws").await;
    send(
        &mut ws2,
        json!({"type": "connection_init", "payload": {"authorization": vera}}),
    )
    .await;
    assert_eq!(next(&mut ws2).await.unwrap()["type"], "connection_ack");
    send(&mut ws2, json!({"type": "start", "id": "x", "payload": {"query": LOG_SUB, "variables": {"deploymentId": dep}}})).await;
    let f = next(&mut ws2).await.unwrap();
    assert_eq!(f["type"], "error", "{f}");
    assert_eq!(
        f["payload"]["message"],
        "You do not have the appropriate permissions for that"
    );
    send(&mut ws2, json!({"type": "connection_terminate"})).await;
    assert!(next(&mut ws2).await.is_none());
    s.h.shutdown().await;
}

#[tokio::test]
async fn legacy_rejects_bad_token() {
    let s = seeded().await;
    for payload in [json!({"authorization": "garbage"}), json!({})] {
        let mut ws = connect(&s, "graphql-ws").await;
        send(
            &mut ws,
            json!({"type": "connection_init", "payload": payload}),
        )
        .await;
        let f = next(&mut ws).await.unwrap();
        assert_eq!(
            f,
            json!({"type": "connection_error", "payload": {"message": "Prohibited connection!"}})
        );
        assert!(next(&mut ws).await.is_none(), "socket closes");
    }
}

#[tokio::test]
async fn graphql_transport_ws_protocol() {
    let s = start_with(fast_logs()).await;
    let (dep, _) = s.deployment("Model Training").await;
    let mut ws = connect(&s, "graphql-transport-ws").await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"authorization": s.token(GRACE)}}),
    )
    .await;
    assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
    send(&mut ws, json!({"type": "ping"})).await;
    assert_eq!(next(&mut ws).await.unwrap()["type"], "pong");
    send(&mut ws, json!({"type": "subscribe", "id": "a", "payload": {"query": LOG_SUB, "variables": {"deploymentId": dep, "component": "worker"}}})).await;
    for _ in 0..2 {
        let f = next(&mut ws).await.unwrap();
        assert_eq!(f["type"], "next", "{f}");
        assert_eq!(f["id"], "a");
        assert!(f["payload"]["data"]["log"]["log"].is_string());
    }
    send(&mut ws, json!({"type": "complete", "id": "a"})).await;
    // A forbidden subscription gets an error message with the errors list.
    let (other, _) = s.deployment("Email Metrics").await;
    send(&mut ws, json!({"type": "subscribe", "id": "b", "payload": {"query": LOG_SUB, "variables": {"deploymentId": other}}})).await;
    loop {
        let f = next(&mut ws).await.unwrap();
        if f["id"] == "b" {
            assert_eq!(f["type"], "error");
            assert_eq!(f["payload"][0]["extensions"]["code"], "FORBIDDEN");
            break;
        }
    }
    ws.close(None).await.unwrap();

    let mut bad = connect(&s, "graphql-transport-ws").await;
    send(
        &mut bad,
        json!({"type": "connection_init", "payload": {"authorization": "nope"}}),
    )
    .await;
    match tokio::time::timeout(Duration::from_secs(5), bad.next())
        .await
        .unwrap()
    {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 4403),
        other => panic!("expected close 4403, got {other:?}"),
    }
    s.h.shutdown().await;
}

const STATUS_SUB: &str = "subscription s($releaseName: String) { deploymentStatus(releaseName: $releaseName) { status } }";

#[tokio::test]
async fn subscriptions_end_with_complete_after_the_configured_maximum() {
    let mut cfg = fast_logs();
    cfg.subscription_max_secs = Some(1);
    let s = start_with(cfg).await;
    let (dep, rn) = s.deployment("Core ETL").await;
    let token = s.token(ADMIN);
    for (q, vars) in [
        (STATUS_SUB, json!({"releaseName": rn})),
        (LOG_SUB, json!({"deploymentId": dep})),
    ] {
        let mut ws = connect(&s, "graphql-ws").await;
        send(
            &mut ws,
            json!({"type": "connection_init", "payload": {"authorization": token}}),
        )
        .await;
        send(
            &mut ws,
            json!({"type": "start", "id": "1", "payload": {"query": q, "variables": vars}}),
        )
        .await;
        let started = std::time::Instant::now();
        let frames = frames_until_complete(&mut ws, Duration::from_secs(10)).await;
        let last = frames.last().unwrap();
        assert_eq!(last["type"], "complete", "{frames:?}");
        assert_eq!(last["id"], "1");
        assert!(frames.iter().any(|f| f["type"] == "data"), "{frames:?}");
        assert!(started.elapsed() >= Duration::from_millis(900));
    }
    s.h.shutdown().await;
}

#[tokio::test]
async fn a_token_expiring_mid_stream_stops_the_subscription() {
    let s = start_with(fast_logs()).await;
    let (dep, rn) = s.deployment("Core ETL").await;
    let me = s.ok(VERA, "{ self { user { id } } }", json!({})).await;
    let uid = me["self"]["user"]["id"].as_str().unwrap().to_string();
    for (proto, q, vars) in [
        ("graphql-ws", STATUS_SUB, json!({"releaseName": rn})),
        ("graphql-ws", LOG_SUB, json!({"deploymentId": dep})),
        (
            "graphql-transport-ws",
            LOG_SUB,
            json!({"deploymentId": dep}),
        ),
    ] {
        let now = chrono::Utc::now().timestamp();
        let short = s.h.sign_claims(&houston_local::auth::Claims {
            uuid: uid.clone(),
            iat: now,
            exp: now + 2,
        });
        let mut ws = connect(&s, proto).await;
        let start = if proto == "graphql-ws" {
            "start"
        } else {
            "subscribe"
        };
        send(
            &mut ws,
            json!({"type": "connection_init", "payload": {"authorization": short}}),
        )
        .await;
        send(
            &mut ws,
            json!({"type": start, "id": "1", "payload": {"query": q, "variables": vars}}),
        )
        .await;
        let frames = frames_until_complete(&mut ws, Duration::from_secs(10)).await;
        let n = frames.len();
        assert!(n >= 3, "{proto}: {frames:?}");
        assert_eq!(frames[n - 1]["type"], "complete", "{proto}: {frames:?}");
        let err = &frames[n - 2];
        let e = if proto == "graphql-ws" {
            assert_eq!(err["type"], "error", "{frames:?}");
            err["payload"].clone()
        } else {
            assert_eq!(err["type"], "next", "{frames:?}");
            err["payload"]["errors"][0].clone()
        };
        assert_eq!(e["extensions"]["code"], "FORBIDDEN", "{frames:?}");
        assert!(
            frames.iter().any(|f| f["type"] == "data"
                || (f["type"] == "next" && f["payload"]["errors"].is_null()))
        );
    }
    s.h.shutdown().await;
}

#[tokio::test]
async fn too_many_operations_before_init_close_the_socket() {
    let s = seeded().await;
    let mut ws = connect(&s, "graphql-ws").await;
    for i in 0..40 {
        let m = json!({"type": "start", "id": i.to_string(), "payload": {"query": STATUS_SUB, "variables": {"releaseName": "x"}}});
        if ws.send(Message::text(m.to_string())).await.is_err() {
            break;
        }
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let code = loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, ws.next())
            .await
            .expect("close within 5 s")
        {
            Some(Ok(Message::Close(Some(f)))) => break u16::from(f.code),
            Some(Ok(_)) => continue,
            other => panic!("expected close 4429, got {other:?}"),
        }
    };
    assert_eq!(code, 4429);
    s.h.shutdown().await;
}

#[tokio::test]
async fn streamed_log_lines_are_the_lines_the_query_returns() {
    let mut cfg = test_config();
    cfg.log_interval_ms = 100;
    let s = start_with(cfg).await;
    let (dep, _) = s.deployment("Core ETL").await;
    let token = s.token(ADMIN);
    let since = (chrono::Utc::now() - chrono::Duration::seconds(2))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let sub = "subscription($d: Uuid!, $t: DateTime) { log(deploymentUuid: $d, timestamp: $t) { id timestamp component level message } }";
    let mut ws = legacy_subscription(&s, &token, sub, json!({"d": dep, "t": since}), "1").await;
    // About 80 lines replayed (4 components, 2 s at 100 ms), then live ones as they happen.
    let mut streamed = Vec::new();
    while streamed.len() < 140 {
        let f = next(&mut ws).await.expect("log frame");
        assert_eq!(f["type"], "data", "{f}");
        let line = f["payload"]["data"]["log"].clone();
        let ts = line["timestamp"].as_str().unwrap().to_string();
        // Never ahead of the clock: a line is pushed once its time has come.
        let received = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        assert!(ts <= received, "{ts} pushed at {received}");
        assert!(ts > since);
        streamed.push(line);
    }
    assert!(
        streamed
            .windows(2)
            .all(|w| w[0]["timestamp"].as_str() <= w[1]["timestamp"].as_str()),
        "timestamps are monotonic"
    );
    let ids: std::collections::HashSet<_> = streamed.iter().map(|l| l["id"].clone()).collect();
    assert_eq!(ids.len(), streamed.len(), "no line twice");
    // The query returns exactly these lines (same ids, same text), so clients can dedupe.
    let q = "query($d: Uuid!, $t: DateTime) { logs(deploymentUuid: $d, timestamp: $t) { id timestamp component level message } }";
    let queried = s.ok(ADMIN, q, json!({"d": dep, "t": since})).await["logs"]
        .as_array()
        .unwrap()
        .clone();
    assert!(queried.len() >= streamed.len());
    assert_eq!(queried[..streamed.len()], streamed[..]);
    ws.close(None).await.unwrap();
    s.h.shutdown().await;
}
