//! Each deployment's simulated Airflow REST API on houston-local: the ingress-like guard
//! (302 to the login page), v1 for Airflow 2 and v2 for Airflow 3, paging past the page
//! limit, filters, errors, health of an unhealthy deployment, and determinism.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::airflow::{fixed_clock, no_redirects, seeded_at_clock};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn ids(list: &Value, key: &str, field: &str) -> Vec<String> {
    list[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_guard_redirects_to_login_unless_the_token_allows_airflow() {
    let s = seeded().await;
    let (_, core) = s.deployment("Core ETL").await;
    let path = format!("{core}/airflow/api/v1/dags?limit=2");

    // No token, a bad token, and a user without a role on this deployment: 302 to login.
    let jwt = s.token(DAN);
    for auth in [None, Some("Bearer not-a-token"), Some(jwt.as_str())] {
        let r = s.call(Method::GET, &path, auth, None).await;
        assert_eq!(r.status, StatusCode::FOUND, "{auth:?}: {}", r.text);
        let location = r.location.unwrap();
        let original = format!("{}/{path}", s.own());
        assert_eq!(
            location,
            format!(
                "{}/login?rd={}",
                s.own(),
                original
                    .replace(':', "%3A")
                    .replace('/', "%2F")
                    .replace('?', "%3F")
                    .replace('=', "%3D")
            )
        );
        // The login page answers (and names what was asked for).
        let login = reqwest::get(&location).await.unwrap();
        assert_eq!(login.status(), 200);
        assert!(login.text().await.unwrap().contains(&original));
    }

    // A JWT, with or without `Bearer`, of a user whose workspace role implies a deployment role.
    let vera = s.token(VERA);
    for auth in [format!("Bearer {vera}"), vera.clone()] {
        let r = s.call(Method::GET, &path, Some(&auth), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["dags"].as_array().unwrap().len(), 2);
    }
    // A system role: SYSTEM_VIEWER carries system.airflow.get.
    s.af_get(SAM, &path).await;
    // A browser's session cookie carries the same token.
    let r = no_redirects()
        .get(format!("{}/{path}", s.own()))
        .header("Cookie", format!("theme=dark; astronomer_auth={vera}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // A deployment service-account key, bare: its own deployment only.
    let (core_id, _) = s.deployment("Core ETL").await;
    let created = s
        .ok(
            ADMIN,
            "mutation($d: Uuid!) { createDeploymentServiceAccount(label: \"ci\", category: \"CI\", \
             deploymentUuid: $d, role: DEPLOYMENT_VIEWER) { apiKey } }",
            json!({"d": core_id}),
        )
        .await;
    let key = created["createDeploymentServiceAccount"]["apiKey"]
        .as_str()
        .unwrap();
    let r = s.call(Method::GET, &path, Some(key), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let (_, other) = s.deployment("Data Quality").await;
    let r = s
        .call(
            Method::GET,
            &format!("{other}/airflow/api/v1/dags"),
            Some(key),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND);

    // The deployment's URLs point at these paths.
    let d = s
        .ok(
            ADMIN,
            "{ deployments { releaseName urls { type url } } }",
            json!({}),
        )
        .await;
    let core_urls = d["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["releaseName"] == core.as_str())
        .unwrap()["urls"]
        .clone();
    assert_eq!(core_urls[0]["url"], format!("{}/{core}/airflow", s.own()));
    assert_eq!(core_urls[1]["url"], format!("{}/{core}/flower", s.own()));
}

#[tokio::test]
async fn v1_lists_dags_runs_task_instances_and_logs() {
    let s = seeded().await;
    let (_, core) = s.deployment("Core ETL").await;
    let api = format!("{core}/airflow/api/v1");

    let health = s.af_get(VERA, &format!("{api}/health")).await;
    assert_eq!(health["metadatabase"]["status"], "healthy");
    assert_eq!(health["scheduler"]["status"], "healthy");
    assert!(
        health["scheduler"]["latest_scheduler_heartbeat"]
            .as_str()
            .unwrap()
            .ends_with("+00:00")
    );
    // Also at the webserver's root, as Airflow 2 serves it.
    assert_eq!(
        s.af_get(VERA, &format!("{core}/airflow/health")).await,
        health
    );

    let all = s.af_get(VERA, &format!("{api}/dags")).await;
    let total = all["total_entries"].as_u64().unwrap() as usize;
    assert!((10..=30).contains(&total), "{total} DAGs");
    let names = ids(&all, "dags", "dag_id");
    assert_eq!(names.len(), total);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "ordered by dag_id");
    let dag = &all["dags"][0];
    for field in [
        "is_paused",
        "is_active",
        "schedule_interval",
        "next_dagrun",
        "has_import_errors",
        "owners",
        "tags",
        "fileloc",
        "description",
    ] {
        assert!(dag.get(field).is_some(), "DAG field {field}: {dag}");
    }

    // Paging, order_by, dag_id_pattern and paused filters.
    let page = s
        .af_get(
            VERA,
            &format!("{api}/dags?limit=3&offset=2&order_by=-dag_id"),
        )
        .await;
    let mut desc = names.clone();
    desc.reverse();
    assert_eq!(ids(&page, "dags", "dag_id"), desc[2..5].to_vec());
    assert_eq!(page["total_entries"].as_u64().unwrap() as usize, total);
    let prefix = names[0].split('_').next().unwrap().to_string();
    let matching = s
        .af_get(VERA, &format!("{api}/dags?dag_id_pattern={prefix}"))
        .await;
    let want: Vec<_> = names
        .iter()
        .filter(|n| n.contains(&prefix))
        .cloned()
        .collect();
    assert_eq!(ids(&matching, "dags", "dag_id"), want);
    let paused = s.af_get(VERA, &format!("{api}/dags?paused=false")).await;
    assert!(
        paused["dags"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["is_paused"] == false)
    );
    let bad = s
        .call(
            Method::GET,
            &format!("{api}/dags?order_by=colour"),
            Some(&s.token(VERA)),
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["status"], 400);

    // Every run over the last days, across DAGs: more than one page (the limit is capped at 100).
    let list = format!("{api}/dags/~/dagRuns/list");
    let first = s
        .af_send(VERA, Method::POST, &list, json!({"page_limit": 1000}))
        .await
        .json();
    let total_runs = first["total_entries"].as_u64().unwrap() as usize;
    assert_eq!(first["dag_runs"].as_array().unwrap().len(), 100);
    assert!(total_runs > 100, "{total_runs} runs");
    let rest = s
        .af_send(
            VERA,
            Method::POST,
            &list,
            json!({"page_offset": 100, "page_limit": 100}),
        )
        .await
        .json();
    assert_eq!(
        rest["dag_runs"].as_array().unwrap().len(),
        (total_runs - 100).min(100)
    );
    assert_ne!(rest["dag_runs"][0], first["dag_runs"][0]);

    // The runs of one scheduled DAG, newest first; its task instances; a task's log.
    let scheduled = all["dags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| !d["schedule_interval"].is_null() && d["is_paused"] == false)
        .unwrap();
    let id = scheduled["dag_id"].as_str().unwrap();
    assert_eq!(
        s.af_get(VERA, &format!("{api}/dags/{id}")).await,
        *scheduled
    );
    let runs = s
        .af_get(
            VERA,
            &format!("{api}/dags/{id}/dagRuns?order_by=-execution_date&limit=5"),
        )
        .await;
    let run = &runs["dag_runs"][0];
    for field in [
        "dag_run_id",
        "state",
        "logical_date",
        "execution_date",
        "start_date",
        "end_date",
        "run_type",
        "conf",
    ] {
        assert!(run.get(field).is_some(), "run field {field}: {run}");
    }
    assert_eq!(run["run_type"], "scheduled");
    let run_id = run["dag_run_id"].as_str().unwrap();
    let enc = run_id.replace('+', "%2B").replace(':', "%3A");
    assert_eq!(
        s.af_get(VERA, &format!("{api}/dags/{id}/dagRuns/{enc}"))
            .await,
        *run
    );
    let tis = s
        .af_get(
            VERA,
            &format!("{api}/dags/{id}/dagRuns/{enc}/taskInstances"),
        )
        .await;
    let ti = tis["task_instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["try_number"].as_u64().unwrap() > 0)
        .expect("a task that ran");
    for field in [
        "task_id",
        "state",
        "try_number",
        "operator",
        "hostname",
        "start_date",
        "duration",
        "max_tries",
    ] {
        assert!(ti.get(field).is_some(), "task instance field {field}: {ti}");
    }
    let task = ti["task_id"].as_str().unwrap();
    let log_path = format!(
        "{api}/dags/{id}/dagRuns/{enc}/taskInstances/{task}/logs/{}",
        ti["try_number"]
    );
    let plain = no_redirects()
        .get(format!("{}/{log_path}", s.own()))
        .header("Authorization", format!("Bearer {}", s.token(VERA)))
        .header("Accept", "text/plain")
        .send()
        .await
        .unwrap();
    assert!(
        plain.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = plain.text().await.unwrap();
    assert!(
        text.contains(&format!(
            "Executing <Task({}): {task}>",
            ti["operator"].as_str().unwrap()
        )),
        "{text}"
    );
    let as_json = s.af_get(VERA, &log_path).await;
    assert_eq!(as_json["content"], text);
    assert!(as_json["continuation_token"].is_string());

    // Unknown things: problem JSON.
    let missing = s
        .call(
            Method::GET,
            &format!("{api}/dags/no_such_dag"),
            Some(&s.token(VERA)),
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.content_type, "application/problem+json");
    let p = missing.json();
    assert_eq!(
        (p["status"].clone(), p["title"].clone()),
        (json!(404), json!("DAG not found"))
    );
    assert!(p["type"].as_str().unwrap().contains("NotFound"));
    // Airflow 2 has no /api/v2.
    let v2 = s
        .call(
            Method::GET,
            &format!("{core}/airflow/api/v2/dags"),
            Some(&s.token(VERA)),
            None,
        )
        .await;
    assert_eq!(v2.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unhealthy_deployment_has_a_stale_scheduler_failing_runs_and_import_errors() {
    let s = seeded().await;
    let (_, email) = s.deployment("Email Metrics").await;
    let api = format!("{email}/airflow/api/v1");
    let health = s.af_get(VERA, &format!("{api}/health")).await;
    assert_eq!(health["scheduler"]["status"], "unhealthy");
    let beat = chrono::DateTime::parse_from_rfc3339(
        health["scheduler"]["latest_scheduler_heartbeat"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    // Stale, but stopped recently enough to match its failed runs of the last day.
    let lag = chrono::Utc::now().signed_duration_since(beat).num_minutes();
    assert!((5..=80).contains(&lag), "stale by {lag} min: {beat}");

    let failed = s
        .af_send(
            VERA,
            Method::POST,
            &format!("{api}/dags/~/dagRuns/list"),
            json!({"states": ["failed"]}),
        )
        .await
        .json();
    let all = s
        .af_send(
            VERA,
            Method::POST,
            &format!("{api}/dags/~/dagRuns/list"),
            json!({}),
        )
        .await
        .json();
    let (bad, total) = (
        failed["total_entries"].as_u64().unwrap(),
        all["total_entries"].as_u64().unwrap(),
    );
    assert!(bad * 2 > total, "{bad} of {total} runs failed");
    assert!(
        failed["dag_runs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["state"] == "failed")
    );

    let tis = s
        .af_send(
            VERA,
            Method::POST,
            &format!("{api}/dags/~/dagRuns/~/taskInstances/list"),
            json!({"state": ["failed"], "page_limit": 5}),
        )
        .await
        .json();
    let ti = &tis["task_instances"][0];
    assert_eq!(ti["state"], "failed");
    let log = s
        .af_get(
            VERA,
            &format!(
                "{api}/dags/{}/dagRuns/{}/taskInstances/{}/logs/{}",
                ti["dag_id"].as_str().unwrap(),
                ti["dag_run_id"].as_str().unwrap().replace('+', "%2B"),
                ti["task_id"].as_str().unwrap(),
                ti["try_number"]
            ),
        )
        .await;
    let content = log["content"].as_str().unwrap();
    assert!(content.contains("Marking task as FAILED"), "{content}");
    assert!(content.contains("Traceback"), "{content}");

    let errors = s.af_get(VERA, &format!("{api}/importErrors")).await;
    let first = &errors["import_errors"][0];
    assert!(first["stack_trace"].as_str().unwrap().contains("Traceback"));
    let file = first["filename"].as_str().unwrap();
    let dags = s.af_get(VERA, &format!("{api}/dags")).await;
    let broken = dags["dags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["fileloc"] == file)
        .unwrap();
    assert_eq!(broken["has_import_errors"], true);
}

#[tokio::test]
async fn an_airflow_3_deployment_serves_api_v2_only() {
    let s = seeded().await;
    let (_, play) = s.deployment("Playground").await;
    let d = s
        .ok(
            ADMIN,
            "{ deployments { releaseName airflowVersion runtimeAirflowVersion } }",
            json!({}),
        )
        .await;
    let row = d["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["releaseName"] == play.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["runtimeAirflowVersion"], "3.0.2");

    let api = format!("{play}/airflow/api/v2");
    let health = s.af_get(ADMIN, &format!("{api}/monitor/health")).await;
    assert_eq!(health["scheduler"]["status"], "healthy");
    assert!(
        health["scheduler"]["latest_scheduler_heartbeat"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    let dags = s.af_get(ADMIN, &format!("{api}/dags?limit=2")).await;
    let dag = &dags["dags"][0];
    for field in [
        "dag_id",
        "is_paused",
        "timetable_summary",
        "next_dagrun_logical_date",
        "next_dagrun_run_after",
        "has_import_errors",
        "owners",
        "tags",
    ] {
        assert!(
            dag.get(field).is_some(),
            "Airflow 3 DAG field {field}: {dag}"
        );
    }
    let runs = s
        .af_send(
            ADMIN,
            Method::POST,
            &format!("{api}/dags/~/dagRuns/list"),
            json!({"page_limit": 3}),
        )
        .await
        .json();
    assert!(runs["dag_runs"][0].get("run_after").is_some(), "{runs}");

    // Web Analytics (Marketing Analytics) runs Airflow 3 too: its viewer reads it.
    let (_, web) = s.deployment("Web Analytics").await;
    let dags = s.af_get(VERA, &format!("{web}/airflow/api/v2/dags")).await;
    assert!(dags["total_entries"].as_u64().unwrap() >= 10);

    // The Airflow 2 prefix is not served, and errors are FastAPI's `{"detail": …}`.
    let v1 = s
        .call(
            Method::GET,
            &format!("{play}/airflow/api/v1/dags"),
            Some(&s.token(ADMIN)),
            None,
        )
        .await;
    assert_eq!(v1.status, StatusCode::NOT_FOUND);
    assert_eq!(v1.json(), json!({"detail": "Not Found"}));
    let missing = s
        .call(
            Method::GET,
            &format!("{api}/dags/nope"),
            Some(&s.token(ADMIN)),
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.json()["detail"].as_str().unwrap().contains("nope"));
}

#[tokio::test]
async fn the_same_seed_and_clock_give_the_same_answers() {
    let clock = fixed_clock();
    let a = seeded_at_clock(clock).await;
    let b = seeded_at_clock(clock).await;
    let (_, core) = a.deployment("Core ETL").await;
    assert_eq!(
        core,
        b.deployment("Core ETL").await.1,
        "the seed names releases the same"
    );
    for path in ["dags", "importErrors", "health"] {
        let p = format!("{core}/airflow/api/v1/{path}");
        assert_eq!(
            a.af_get(ADMIN, &p).await,
            b.af_get(ADMIN, &p).await,
            "{path}"
        );
    }
    let list = format!("{core}/airflow/api/v1/dags/~/dagRuns/~/taskInstances/list");
    let body = json!({"page_limit": 100});
    let ta = a
        .af_send(ADMIN, Method::POST, &list, body.clone())
        .await
        .json();
    let tb = b.af_send(ADMIN, Method::POST, &list, body).await.json();
    assert_eq!(ta, tb);
    assert!(ta["total_entries"].as_u64().unwrap() > 100);
}
