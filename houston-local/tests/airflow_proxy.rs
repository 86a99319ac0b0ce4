//! `serve --airflow-upstream`: a deployment's Airflow proxied to a real one, after the guard:
//! basic auth towards Airflow 2's `/api/v1`; towards Airflow 3's `/api/v2` a JWT from the
//! upstream's `/auth/token`, kept until it answers 401 and then asked for once more.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// What the fake upstream saw: (method, path and query, Authorization, body).
type Seen = Arc<Mutex<Vec<(String, String, String, String)>>>;

/// A tiny HTTP server standing in for a real Airflow webserver.
async fn fake_airflow() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
        let log = log.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
            let auth = parts
                .headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            log.lock().unwrap().push((
                parts.method.to_string(),
                parts.uri.to_string(),
                auth,
                String::from_utf8_lossy(&body).into_owned(),
            ));
            (
                axum::http::StatusCode::CREATED,
                [("content-type", "application/json")],
                r#"{"dags": [], "total_entries": 0, "from": "upstream"}"#,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn a_deployment_can_be_proxied_to_a_real_airflow() {
    let (upstream, seen) = fake_airflow().await;
    let (other, seen_other) = fake_airflow().await;
    // The seed names releases the same every time: learn Core ETL's first.
    let core = seeded().await.deployment("Core ETL").await.1;
    let creds_in_url = upstream.replace("http://", "http://admin:s%40cret@");
    let s = start_with(houston_local::Config {
        airflow: houston_local::AirflowConfig {
            upstream: Some(other.clone()),
            upstreams: [(core.clone(), format!("{creds_in_url}/base"))].into(),
            upstream_user: Some("everyone".into()),
            upstream_password: Some("pw".into()),
            ..Default::default()
        },
        ..test_config()
    })
    .await;

    let r = s
        .af_send(
            VERA,
            Method::POST,
            &format!("{core}/airflow/api/v1/dags/x/dagRuns?a=1"),
            json!({"conf": {}}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "the upstream's status: {}",
        r.text
    );
    assert_eq!(r.json()["from"], "upstream");
    let seen_now = seen.lock().unwrap().clone();
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode("admin:s@cret");
    assert_eq!(
        seen_now,
        vec![(
            "POST".to_string(),
            "/base/api/v1/dags/x/dagRuns?a=1".to_string(),
            format!("Basic {basic}"),
            r#"{"conf":{}}"#.to_string()
        )]
    );

    // A mapped instance's log and mark reach the upstream with their map index.
    let log = "dags/x/dagRuns/r/taskInstances/add_one/logs/1?full_content=true&map_index=1";
    let mark = "dags/x/dagRuns/r/taskInstances/add_one/1";
    s.af_send(
        VERA,
        Method::GET,
        &format!("{core}/airflow/api/v1/{log}"),
        json!(null),
    )
    .await;
    s.af_send(
        VERA,
        Method::PATCH,
        &format!("{core}/airflow/api/v1/{mark}"),
        json!({}),
    )
    .await;
    let paths: Vec<String> = seen.lock().unwrap().drain(1..).map(|r| r.1).collect();
    assert_eq!(
        paths,
        [
            format!("/base/api/v1/{log}"),
            format!("/base/api/v1/{mark}")
        ]
    );

    // The guard still runs first: refused requests never reach the upstream.
    let r = s
        .call(
            Method::GET,
            &format!("{core}/airflow/api/v1/dags"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert_eq!(seen.lock().unwrap().len(), 1);

    // Every other deployment goes to the default upstream with the configured credentials.
    let (_, quality) = s.deployment("Data Quality").await;
    let r = s
        .af_send(
            ADMIN,
            Method::GET,
            &format!("{quality}/airflow/api/v1/dags"),
            json!(null),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let basic = base64::engine::general_purpose::STANDARD.encode("everyone:pw");
    assert_eq!(seen_other.lock().unwrap()[0].2, format!("Basic {basic}"));
}

/// A stand-in for Airflow 3's API server: `/auth/token` issues `jwt-N` for admin/pw (N counts
/// the tokens issued), and the API answers only to the newest one.
async fn fake_airflow_3() -> (String, Arc<AtomicUsize>, Seen) {
    let issued = Arc::new(AtomicUsize::new(0));
    let seen: Seen = Arc::default();
    let (count, log) = (issued.clone(), seen.clone());
    let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
        let (count, log) = (count.clone(), log.clone());
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
            let auth = parts
                .headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            log.lock().unwrap().push((
                parts.method.to_string(),
                parts.uri.to_string(),
                auth.clone(),
                String::from_utf8_lossy(&body).into_owned(),
            ));
            let json = |status: u16, body: String| {
                (
                    axum::http::StatusCode::from_u16(status).unwrap(),
                    [("content-type", "application/json")],
                    body,
                )
            };
            if parts.uri.path() == "/auth/token" {
                let asked: serde_json::Value = serde_json::from_slice(&body).unwrap();
                if asked != json!({"username": "admin", "password": "pw"}) {
                    return json(401, r#"{"detail": "Invalid credentials"}"#.into());
                }
                let n = count.fetch_add(1, Ordering::SeqCst) + 1;
                return json(201, format!(r#"{{"access_token": "jwt-{n}"}}"#));
            }
            let newest = format!("Bearer jwt-{}", count.load(Ordering::SeqCst));
            if auth != newest || auth == "Bearer jwt-0" {
                return json(401, r#"{"detail": "Not authenticated"}"#.into());
            }
            json(200, r#"{"dags": [], "total_entries": 0}"#.into())
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), issued, seen)
}

#[tokio::test]
async fn an_airflow_3_upstream_gets_a_jwt_for_the_upstream_user_not_basic_auth() {
    let (upstream, issued, seen) = fake_airflow_3().await;
    let (wrong, _, seen_wrong) = fake_airflow_3().await;
    let s = seeded().await;
    let (_, analytics) = s.deployment("Web Analytics").await;
    let (_, playground) = s.deployment("Playground").await;
    let s = start_with(houston_local::Config {
        airflow: houston_local::AirflowConfig {
            upstream: Some(upstream.clone()),
            upstreams: [(
                playground.clone(),
                wrong.replace("http://", "http://admin:nope@"),
            )]
            .into(),
            upstream_user: Some("admin".into()),
            upstream_password: Some("pw".into()),
            ..Default::default()
        },
        ..test_config()
    })
    .await;
    let dags = format!("{analytics}/airflow/api/v2/dags");

    // The first request asks for a token, the next ones reuse it.
    for _ in 0..2 {
        let r = s.af_send(ADMIN, Method::GET, &dags, json!(null)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    let calls: Vec<(String, String)> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|(_, path, auth, _)| (path.clone(), auth.clone()))
        .collect();
    assert_eq!(
        calls,
        [
            ("/auth/token", ""),
            ("/api/v2/dags", "Bearer jwt-1"),
            ("/api/v2/dags", "Bearer jwt-1"),
        ]
        .map(|(p, a)| (p.to_string(), a.to_string()))
    );
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .all(|c| !c.2.starts_with("Basic")),
        "Airflow 3 takes no basic auth"
    );

    // The upstream restarted (or the token expired): its 401 gets one new token, then the answer.
    issued.fetch_add(1, Ordering::SeqCst);
    let r = s.af_send(ADMIN, Method::GET, &dags, json!(null)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(issued.load(Ordering::SeqCst), 3);
    assert_eq!(seen.lock().unwrap().last().unwrap().2, "Bearer jwt-3");

    // A password the upstream refuses: no token, and its 401 is what the caller sees (never a
    // basic-auth retry, never the password in the request).
    let r = s
        .af_send(
            ADMIN,
            Method::GET,
            &format!("{playground}/airflow/api/v2/dags"),
            json!(null),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    let tried = seen_wrong.lock().unwrap().clone();
    assert_eq!(tried.len(), 2, "{tried:?}");
    assert_eq!(tried[1].2, "", "sent without a credential");
    assert!(
        tried
            .iter()
            .all(|c| !c.3.contains("nope") || c.1 == "/auth/token")
    );
}
