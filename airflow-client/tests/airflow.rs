//! The Airflow client against a small simulated Airflow: the v1 and v2 shapes, paging past the
//! server's page limit, the version correction, refusals, HTML pages and malformed replies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use airflow_client::{
    AirflowClient, AirflowError, ApiVersion, Credential, MarkState, Options, RunOrder, Secret,
};
use common::{Answer, Server, airflow};

const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";

fn client(server: &Server, version: ApiVersion) -> AirflowClient {
    let credential = Credential::houston_token(&Secret::from(JWT));
    AirflowClient::new(&server.url, credential, version, &Options::default()).unwrap()
}

#[tokio::test]
async fn v1_dags_are_read_page_after_page_past_the_servers_limit() {
    let server = Server::start("/rel/airflow", airflow("v1", 237, 50)).await;
    let dags = client(&server, ApiVersion::V1).dags().await.unwrap();
    assert_eq!(dags.len(), 237);
    assert_eq!(dags[0].dag_id, "dag_0000");
    assert_eq!(dags[236].dag_id, "dag_0236");
    assert_eq!(dags[0].schedule.as_deref(), Some("@daily"));
    assert!(dags[0].is_paused && !dags[1].is_paused);
    assert_eq!(dags[0].tags, vec!["t".to_string()]);
    let seen = server.seen();
    // 50 per page although 100 were asked: five pages, offsets following what came back.
    let offsets: Vec<_> = seen.iter().map(|s| s.param("offset").unwrap()).collect();
    assert_eq!(offsets, ["0", "50", "100", "150", "200"]);
    assert!(
        seen.iter()
            .all(|s| s.authorization.as_deref() == Some(&*format!("Bearer {JWT}")))
    );
}

#[tokio::test]
async fn v2_shapes_read_into_the_same_model() {
    let server = Server::start("/rel/airflow", airflow("v2", 3, 100)).await;
    let c = client(&server, ApiVersion::V2);
    let dags = c.dags().await.unwrap();
    assert_eq!(dags.len(), 3);
    assert_eq!(dags[1].schedule.as_deref(), Some("@daily"));
    let health = c.health().await.unwrap();
    assert_eq!(health.scheduler.status.as_deref(), Some("unhealthy"));
    assert!(health.dag_processor.latest_heartbeat.is_some());
    let runs = c.dag_runs("dag_0001", 10).await.unwrap();
    assert_eq!(runs[0].state.as_deref(), Some("failed"));
    assert!(runs[0].logical_date.is_some());
    let log = c
        .task_log("dag_0001", &runs[0].dag_run_id, "extract", -1, 2)
        .await
        .unwrap();
    assert_eq!(
        log,
        "2026-12-07T01:00:02Z info extract try 2\n2026-12-07T01:00:03Z error boom"
    );
    assert_eq!(
        server
            .seen()
            .iter()
            .filter(|s| s.path.contains("/api/v1/"))
            .count(),
        0
    );
}

#[tokio::test]
async fn v1_runs_tasks_logs_and_import_errors() {
    let server = Server::start("/rel/airflow", airflow("v1", 1, 100)).await;
    let c = client(&server, ApiVersion::V1);
    let health = c.health().await.unwrap();
    assert_eq!(health.scheduler.status.as_deref(), Some("healthy"));
    let runs = c.dag_runs("dag_0000", 10).await.unwrap();
    let run = &runs[0];
    assert_eq!(run.dag_run_id, "manual__2026-12-07T01:00:00+00:00");
    assert!(
        run.logical_date.is_some(),
        "execution_date is read as the logical date"
    );
    assert_eq!(run.conf, Some(serde_json::json!({"k": 1})));
    let tis = c.task_instances("dag_0000", &run.dag_run_id).await.unwrap();
    assert_eq!(
        (tis[0].try_number, tis[0].operator.as_deref()),
        (2, Some("BashOperator"))
    );
    // The run id travels as one path segment; characters that would split it are encoded.
    let seen = server.seen();
    let ti_path = &seen.last().unwrap().path;
    assert!(
        ti_path.ends_with("/dagRuns/manual__2026-12-07T01:00:00+00:00/taskInstances"),
        "{ti_path}"
    );
    let _ = c.task_instances("dag_0000", "odd/run?id#1").await;
    let odd = server.seen().last().unwrap().path.clone();
    assert!(
        odd.ends_with("/dagRuns/odd%2Frun%3Fid%231/taskInstances"),
        "{odd}"
    );
    let log = c
        .task_log("dag_0000", &run.dag_run_id, "extract", -1, 2)
        .await
        .unwrap();
    assert_eq!(log, "extract try 2\nboom\n");
    assert_eq!(
        server.seen().last().unwrap().accept.as_deref(),
        Some("text/plain")
    );
    let errors = c.import_errors().await.unwrap();
    assert_eq!(errors[0].filename, "/dags/broken.py");
    let failed = c.failed_task_instances(None, 50).await.unwrap();
    assert_eq!(failed[0].state.as_deref(), Some("failed"));
    let across = c.runs_across(&["failed"], None, 20).await.unwrap();
    assert_eq!(across[0].dag_run_id, "r1");
    let body = server.seen().last().unwrap().json();
    assert_eq!(body["states"], serde_json::json!(["failed"]));
}

/// An Airflow whose `~/dagRuns/list` answers one page of two runs out of 345.
fn runs_list(api: &'static str) -> impl Fn(&common::Seen) -> Answer {
    move |seen: &common::Seen| {
        if seen.path != format!("/rel/airflow/api/{api}/dags/~/dagRuns/list") {
            return Answer::not_found();
        }
        Answer::json(serde_json::json!({
            "dag_runs": [
                {"dag_id": "a", "dag_run_id": "r1", "state": "failed"},
                {"dag_id": "b", "dag_run_id": "r2", "state": "failed"}],
            "total_entries": 345}))
    }
}

#[tokio::test]
async fn a_page_of_runs_across_dags_comes_with_the_servers_total_in_either_order() {
    let since: airflow_client::model::Timestamp = "2026-12-06T03:00:00Z".parse().unwrap();
    for (api, version, newest) in [
        ("v1", ApiVersion::V1, "-execution_date"),
        ("v2", ApiVersion::V2, "-run_after"),
    ] {
        let server = Server::start("/rel/airflow", runs_list(api)).await;
        let c = client(&server, version);
        let (runs, total) = c
            .run_page_across(&["failed"], Some(since), RunOrder::Newest, 1)
            .await
            .unwrap();
        assert_eq!((runs.len(), total), (2, Some(345)), "{api}");
        let body = server.seen().pop().unwrap().json();
        assert_eq!(
            body,
            serde_json::json!({"states": ["failed"], "start_date_gte": "2026-12-06T03:00:00+00:00",
                "order_by": newest, "page_limit": 1, "page_offset": 0}),
            "{api}"
        );
        // Runs still running, of any age, the longest-running first.
        c.run_page_across(&["running"], None, RunOrder::EarliestStart, 500)
            .await
            .unwrap();
        let body = server.seen().pop().unwrap().json();
        assert_eq!(
            body,
            serde_json::json!({"states": ["running"], "order_by": "start_date",
                "page_limit": 100, "page_offset": 0}),
            "{api}: no date bound, one page at most"
        );
    }
}

#[tokio::test]
async fn actions_send_what_each_version_expects() {
    let server = Server::start("/rel/airflow", airflow("v1", 1, 100)).await;
    let c = client(&server, ApiVersion::V1);
    let dag = c.set_paused("dag_0000", true).await.unwrap();
    assert!(dag.is_paused);
    let pause = server.seen().pop().unwrap();
    assert_eq!(
        (pause.method.as_str(), pause.param("update_mask").as_deref()),
        ("PATCH", Some("is_paused"))
    );
    let run = c
        .trigger("dag_0000", Some(serde_json::json!({"x": 1})))
        .await
        .unwrap();
    assert_eq!(run.state.as_deref(), Some("queued"));
    let body = server.seen().pop().unwrap().json();
    assert_eq!(body, serde_json::json!({"conf": {"x": 1}}));
    c.clear_task_instance("dag_0000", "r1", "extract", -1, true)
        .await
        .unwrap();
    let body = server.seen().pop().unwrap().json();
    assert_eq!(
        (
            body["task_ids"].clone(),
            body["include_downstream"].clone(),
            body["dry_run"].clone()
        ),
        (
            serde_json::json!(["extract"]),
            serde_json::json!(true),
            serde_json::json!(false)
        )
    );
    let marked = c
        .mark_run("dag_0000", "r1", MarkState::Success)
        .await
        .unwrap();
    assert_eq!(marked.state.as_deref(), Some("success"));
    c.mark_task_instance("dag_0000", "r1", "extract", -1, MarkState::Failed)
        .await
        .unwrap();
    assert_eq!(server.seen().pop().unwrap().json()["new_state"], "failed");

    let server = Server::start("/rel/airflow", airflow("v2", 1, 100)).await;
    client(&server, ApiVersion::V2)
        .trigger("dag_0000", None)
        .await
        .unwrap();
    let body = server.seen().pop().unwrap().json();
    assert_eq!(body, serde_json::json!({"conf": {}, "logical_date": null}));
}

/// A mapped task's instance (`map_index` >= 0): its log, its mark and its clear name it, in the
/// shape each version's API takes; Airflow 2's API cannot clear one instance alone.
#[tokio::test]
async fn a_mapped_instance_is_addressed_by_its_map_index() {
    for (api, version) in [("v1", ApiVersion::V1), ("v2", ApiVersion::V2)] {
        let server = Server::start("/rel/airflow", airflow(api, 1, 100)).await;
        let c = client(&server, version);
        let log = c.task_log("dag_0000", "r1", "add_one", 1, 1).await.unwrap();
        assert!(
            log.lines().next().unwrap().ends_with("add_one[1] try 1"),
            "{api}: {log}"
        );
        let read = server.seen().pop().unwrap();
        assert_eq!(read.param("map_index").as_deref(), Some("1"), "{api}");
        // Not mapped: no map_index at all (Airflow's default, -1).
        c.task_log("dag_0000", "r1", "extract", -1, 1)
            .await
            .unwrap();
        assert_eq!(server.seen().pop().unwrap().param("map_index"), None);

        c.mark_task_instance("dag_0000", "r1", "add_one", 2, MarkState::Success)
            .await
            .unwrap();
        let mark = server.seen().pop().unwrap();
        assert!(
            mark.path.ends_with("/dagRuns/r1/taskInstances/add_one/2"),
            "{api}: {}",
            mark.path
        );
        let body = mark.json();
        assert_eq!(body["new_state"], "success");
        // Airflow 2 defaults to a dry run; Airflow 3 refuses the field.
        assert_eq!(
            body.get("dry_run").cloned(),
            (api == "v1").then_some(serde_json::json!(false))
        );
        c.mark_task_instance("dag_0000", "r1", "extract", -1, MarkState::Failed)
            .await
            .unwrap();
        let plain = server.seen().pop().unwrap();
        assert!(
            plain.path.ends_with("/taskInstances/extract"),
            "{}",
            plain.path
        );

        let cleared = c
            .clear_task_instance("dag_0000", "r1", "add_one", 2, false)
            .await;
        if api == "v2" {
            cleared.unwrap();
            let body = server.seen().pop().unwrap().json();
            assert_eq!(body["task_ids"], serde_json::json!([["add_one", 2]]));
            assert_eq!(body["dag_run_id"], "r1");
        } else {
            let before = server.seen().len();
            let error = cleared.unwrap_err();
            assert!(matches!(error, AirflowError::Unsupported(_)), "{error:?}");
            assert!(error.to_string().contains("add_one[2]"), "{error}");
            assert_eq!(server.seen().len(), before, "nothing is sent");
        }
    }
}

#[tokio::test]
async fn a_wrong_version_is_corrected_once_and_remembered() {
    let server = Server::start("/rel/airflow", airflow("v2", 2, 100)).await;
    let c = client(&server, ApiVersion::V1);
    let clone = c.clone();
    assert_eq!(c.dags().await.unwrap().len(), 2);
    assert_eq!(c.version(), ApiVersion::V2);
    assert_eq!(
        clone.version(),
        ApiVersion::V2,
        "the correction holds for every clone"
    );
    let before = server.seen().len();
    clone.dags().await.unwrap();
    let after: Vec<_> = server.seen()[before..]
        .iter()
        .map(|s| s.path.clone())
        .collect();
    assert_eq!(after, ["/rel/airflow/api/v2/dags"], "no second try on v1");
    // A genuine 404 (no such DAG) on the right version switches nothing.
    let err = clone.dag_runs("missing", 5).await;
    assert!(err.is_ok() || err.as_ref().is_err_and(AirflowError::is_not_found));
    assert_eq!(clone.version(), ApiVersion::V2);
}

#[tokio::test]
async fn the_ingress_refusal_is_a_permission_not_a_session_end() {
    let server = Server::start("/rel/airflow", |_s: &common::Seen| {
        let mut a = Answer::with(302, "text/html", "<html>redirect</html>");
        a.headers.push(("location", "https://app.example.com/login?rd=https://deployments.example.com/rel/airflow/api/v1/dags".into()));
        a
    })
    .await;
    let err = client(&server, ApiVersion::V1).dags().await.unwrap_err();
    assert_eq!(err, AirflowError::LoginRedirect { status: 302 });
    assert!(err.is_permission_denied() && !err.is_transient());
    assert!(
        err.to_string()
            .contains("needs a deployment role with Airflow access"),
        "{err}"
    );
    assert_eq!(server.seen().len(), 1, "the redirect is not followed");
}

#[tokio::test]
async fn an_html_error_page_is_not_shown_as_airflows_message() {
    let server = Server::start("/rel/airflow", |_s: &common::Seen| {
        Answer::with(
            503,
            "text/html",
            "<html><body><h1>503 Service Temporarily Unavailable</h1><hr>nginx</body></html>",
        )
    })
    .await;
    let err = client(&server, ApiVersion::V1).health().await.unwrap_err();
    assert_eq!(err, AirflowError::HtmlPage { status: 503 });
    assert!(!err.to_string().contains("nginx"));
    assert!(err.is_transient());
}

#[tokio::test]
async fn malformed_replies_are_decode_errors() {
    for body in [
        r#"{"dags": [{"dag_id": 3}], "total_entries": 1}"#,
        "{\"dags\": [",
        "null",
        "[]",
        "{}",
    ] {
        let body = body.to_string();
        let server = Server::start("/rel/airflow", move |_s: &common::Seen| {
            Answer::with(200, "application/json", body.clone())
        })
        .await;
        let err = client(&server, ApiVersion::V1).dags().await.unwrap_err();
        assert!(matches!(err, AirflowError::Decode { .. }), "{err:?}");
        assert!(
            err.to_string().starts_with("unexpected reply from Airflow"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn problems_carry_airflows_title_and_detail() {
    let server = Server::start("/rel/airflow", |_s: &common::Seen| {
        Answer::with(403, "application/problem+json",
            r#"{"title":"Forbidden","detail":"You do not have permission","status":403,"type":"x"}"#)
    })
    .await;
    let err = client(&server, ApiVersion::V1)
        .set_paused("d", true)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Forbidden: You do not have permission (HTTP 403)"
    );
    assert!(err.is_permission_denied());
}

#[tokio::test]
async fn basic_auth_for_a_plain_airflow_and_no_token_in_debug() {
    let server = Server::start("/rel/airflow", airflow("v1", 1, 100)).await;
    let credential = Credential::Basic {
        user: "admin".into(),
        password: Secret::from("s3cret"),
    };
    let c =
        AirflowClient::new(&server.url, credential, ApiVersion::V1, &Options::default()).unwrap();
    c.dags().await.unwrap();
    assert_eq!(
        server.seen()[0].authorization.as_deref(),
        Some("Basic YWRtaW46czNjcmV0")
    );
    assert!(!format!("{c:?}").contains("s3cret"));
    let jwt = client(&server, ApiVersion::V1);
    assert!(!format!("{jwt:?}").contains(JWT));
}

#[tokio::test]
async fn an_unreachable_airflow_is_a_transient_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/rel/airflow", listener.local_addr().unwrap());
    drop(listener);
    let c =
        AirflowClient::new(&url, Credential::None, ApiVersion::V1, &Options::default()).unwrap();
    let err = c.dags().await.unwrap_err();
    assert!(
        matches!(err, AirflowError::Network(_)) && err.is_transient(),
        "{err:?}"
    );
    assert!(
        AirflowClient::new(
            "localhost:8080",
            Credential::None,
            ApiVersion::V1,
            &Options::default()
        )
        .is_err()
    );
}
