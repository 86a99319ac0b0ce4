//! `AirflowClient`: one deployment's Airflow REST API, reads and actions, v1 or v2.
//!
//! Every call is written once as a `Call` built for a version (the shapes differ a little: the
//! health path, a trigger's body, the order of runs). The version is the deployment's; a 404 on
//! it while the other version answers switches the client, for good (`SharedVersion`).

use reqwest::Method;
use serde_json::{Value, json};

use crate::credential::Credential;
use crate::decode::{self, Paged};
use crate::error::{AirflowError, RawReply};
use crate::http::{Call, Http, Options, Reply};
use crate::model::{Dag, DagRun, Health, ImportError, TaskInstance, Timestamp};
use crate::version::{ApiVersion, SharedVersion};

const SERVICE: &str = "Airflow";

/// How many items a page asks for: Airflow's default `maximum_page_limit`. A server with a
/// lower limit returns fewer, and paging goes on from what came back.
pub const PAGE_LIMIT: usize = 100;

/// No list is read past this many items (a runaway `total_entries` cannot loop for ever).
pub const MAX_ITEMS: usize = 20_000;

/// A state a run or task instance can be marked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkState {
    Success,
    Failed,
}

impl MarkState {
    pub fn as_str(self) -> &'static str {
        match self {
            MarkState::Success => "success",
            MarkState::Failed => "failed",
        }
    }
}

/// Which runs a read across DAGs takes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunOrder {
    /// The newest logical date (v1 `execution_date`, v2 `run_after`) first.
    Newest,
    /// The earliest start first: of runs still running, those running longest (both versions
    /// sort by `start_date`).
    EarliestStart,
}

impl RunOrder {
    fn order_by(self, version: ApiVersion) -> &'static str {
        match (self, version) {
            (RunOrder::Newest, ApiVersion::V1) => "-execution_date",
            (RunOrder::Newest, ApiVersion::V2) => "-run_after",
            (RunOrder::EarliestStart, _) => "start_date",
        }
    }
}

/// Cheap to clone: clones share the connection pool and the (corrected) version.
#[derive(Debug, Clone)]
pub struct AirflowClient {
    http: Http,
    version: SharedVersion,
}

impl AirflowClient {
    /// `root` is the deployment's Airflow URL (`urls.airflow`, the UI root); `version` the API
    /// its Airflow version implies (`ApiVersion::for_airflow`).
    pub fn new(
        root: &str,
        credential: Credential,
        version: ApiVersion,
        options: &Options,
    ) -> Result<AirflowClient, AirflowError> {
        Ok(AirflowClient {
            http: Http::new(root, credential, options)?,
            version: SharedVersion::new(version),
        })
    }

    pub fn root(&self) -> &str {
        self.http.root()
    }

    /// The API in use now (after any correction).
    pub fn version(&self) -> ApiVersion {
        self.version.get()
    }

    // ---- reads ----

    pub async fn health(&self) -> Result<Health, AirflowError> {
        let reply = self
            .send(|v| match v {
                ApiVersion::V1 => Call::get(["health"]),
                ApiVersion::V2 => Call::get(["monitor", "health"]),
            })
            .await?;
        decode::health(&reply.raw(SERVICE))
    }

    /// Every DAG, page after page until `total_entries`.
    pub async fn dags(&self) -> Result<Vec<Dag>, AirflowError> {
        self.pages(
            |_| Call::get(["dags"]).query("order_by", "dag_id"),
            decode::dag_page,
            MAX_ITEMS,
        )
        .await
    }

    /// A DAG's latest `limit` runs, newest first.
    pub async fn dag_runs(&self, dag_id: &str, limit: usize) -> Result<Vec<DagRun>, AirflowError> {
        self.pages(
            |v| {
                Call::get(["dags", dag_id, "dagRuns"])
                    .query("order_by", RunOrder::Newest.order_by(v))
            },
            decode::run_page,
            limit,
        )
        .await
    }

    /// Runs across DAGs (`~/dagRuns/list`), newest first: of `states` (all if empty), started
    /// at or after `since`.
    pub async fn runs_across(
        &self,
        states: &[&str],
        since: Option<Timestamp>,
        limit: usize,
    ) -> Result<Vec<DagRun>, AirflowError> {
        let page = self.run_page_across(states, since, RunOrder::Newest, limit);
        Ok(page.await?.0)
    }

    /// One page of runs across DAGs (`~/dagRuns/list`) in `order`: of `states` (all if empty),
    /// started at or after `since`; and how many match in all (`total_entries`, when the
    /// server says), so one page is enough to count them.
    pub async fn run_page_across(
        &self,
        states: &[&str],
        since: Option<Timestamp>,
        order: RunOrder,
        limit: usize,
    ) -> Result<Paged<DagRun>, AirflowError> {
        let mut body = json!({ "page_limit": limit.min(PAGE_LIMIT), "page_offset": 0 });
        if !states.is_empty() {
            body["states"] = json!(states);
        }
        if let Some(since) = since {
            body["start_date_gte"] = json!(since.to_rfc3339());
        }
        let reply = self
            .send(|v| {
                let mut body = body.clone();
                body["order_by"] = json!(order.order_by(v));
                Call::get(["dags", "~", "dagRuns", "list"])
                    .with_method(Method::POST)
                    .json(body)
            })
            .await?;
        decode::run_page(&reply.raw(SERVICE))
    }

    /// The task instances of one run, every page.
    pub async fn task_instances(
        &self,
        dag_id: &str,
        run_id: &str,
    ) -> Result<Vec<TaskInstance>, AirflowError> {
        self.pages(
            |_| Call::get(["dags", dag_id, "dagRuns", run_id, "taskInstances"]),
            decode::task_instance_page,
            MAX_ITEMS,
        )
        .await
    }

    /// Failed task instances across DAGs, started at or after `since`.
    pub async fn failed_task_instances(
        &self,
        since: Option<Timestamp>,
        limit: usize,
    ) -> Result<Vec<TaskInstance>, AirflowError> {
        let mut body = json!({ "state": ["failed"], "page_limit": limit.min(PAGE_LIMIT) });
        if let Some(since) = since {
            body["start_date_gte"] = json!(since.to_rfc3339());
        }
        let reply = self
            .send(|_| {
                Call::get(["dags", "~", "dagRuns", "~", "taskInstances", "list"])
                    .with_method(Method::POST)
                    .json(body.clone())
            })
            .await?;
        Ok(decode::task_instance_page(&reply.raw(SERVICE))?.0)
    }

    /// Task instances across DAGs and runs (`~/dagRuns/~/taskInstances`) in one of `states`,
    /// started at or after `since`, every page up to `limit`.
    pub async fn task_instances_across(
        &self,
        states: &[&str],
        since: Option<Timestamp>,
        limit: usize,
    ) -> Result<Vec<TaskInstance>, AirflowError> {
        self.pages(
            |_| {
                let mut call = Call::get(["dags", "~", "dagRuns", "~", "taskInstances"]);
                for state in states {
                    call = call.query("state", state);
                }
                if let Some(since) = since {
                    call = call.query("start_date_gte", since.to_rfc3339());
                }
                call
            },
            decode::task_instance_page,
            limit,
        )
        .await
    }

    /// One try's log, as text; `map_index` picks a mapped task's instance (-1: not mapped).
    pub async fn task_log(
        &self,
        dag_id: &str,
        run_id: &str,
        task_id: &str,
        map_index: i64,
        try_number: u32,
    ) -> Result<String, AirflowError> {
        let try_number = try_number.max(1).to_string();
        let path = [
            "dags",
            dag_id,
            "dagRuns",
            run_id,
            "taskInstances",
            task_id,
            "logs",
            try_number.as_str(),
        ];
        let reply = self
            .send(|v| {
                let mut call = Call::get(path).query("full_content", "true");
                // Without it Airflow reads the unmapped instance (-1): a mapped one's is a 404.
                if map_index >= 0 {
                    call = call.query("map_index", map_index);
                }
                match v {
                    ApiVersion::V1 => call.accept("text/plain"),
                    ApiVersion::V2 => call,
                }
            })
            .await?;
        decode::task_log(&reply.raw(SERVICE))
    }

    pub async fn import_errors(&self) -> Result<Vec<ImportError>, AirflowError> {
        self.pages(
            |_| Call::get(["importErrors"]),
            decode::import_error_page,
            MAX_ITEMS,
        )
        .await
    }

    // ---- actions ----

    pub async fn set_paused(&self, dag_id: &str, paused: bool) -> Result<Dag, AirflowError> {
        let reply = self
            .send(|_| {
                Call::get(["dags", dag_id])
                    .with_method(Method::PATCH)
                    .query("update_mask", "is_paused")
                    .json(json!({ "is_paused": paused }))
            })
            .await?;
        decode::dag(&reply.raw(SERVICE))
    }

    /// A new manual run with `conf` (a JSON object, or none).
    pub async fn trigger(&self, dag_id: &str, conf: Option<Value>) -> Result<DagRun, AirflowError> {
        let reply = self.send(|v| {
            let mut body = json!({ "conf": conf.clone().unwrap_or_else(|| json!({})) });
            if v == ApiVersion::V2 {
                // Airflow 3 asks for it explicitly; null lets the server choose.
                body["logical_date"] = Value::Null;
            }
            Call::get(["dags", dag_id, "dagRuns"])
                .with_method(Method::POST)
                .json(body)
        });
        decode::run(&reply.await?.raw(SERVICE))
    }

    /// Clear one task instance of a run so it runs again, and its downstream tasks if asked.
    /// A mapped task's instance (`map_index` >= 0) is named as `[task_id, map_index]`, which
    /// only Airflow 3's API takes: Airflow 2's takes task ids alone and would clear every
    /// instance of the task, so on it the client refuses rather than clear more than asked.
    pub async fn clear_task_instance(
        &self,
        dag_id: &str,
        run_id: &str,
        task_id: &str,
        map_index: i64,
        include_downstream: bool,
    ) -> Result<(), AirflowError> {
        let task = if map_index < 0 {
            json!(task_id)
        } else if self.version() == ApiVersion::V2 {
            json!([task_id, map_index])
        } else {
            return Err(AirflowError::Unsupported(format!(
                "Airflow 2's API cannot clear one instance of a mapped task \
                 ({task_id}[{map_index}]), only all of them: clear it in Airflow's UI"
            )));
        };
        let reply = self
            .send(|_| {
                Call::get(["dags", dag_id, "clearTaskInstances"])
                    .with_method(Method::POST)
                    .json(json!({
                        "dry_run": false,
                        "dag_run_id": run_id,
                        "task_ids": [task],
                        "include_downstream": include_downstream,
                        "only_failed": false,
                        "reset_dag_runs": true,
                    }))
            })
            .await?;
        decode::any(&reply.raw(SERVICE))
    }

    pub async fn mark_run(
        &self,
        dag_id: &str,
        run_id: &str,
        state: MarkState,
    ) -> Result<DagRun, AirflowError> {
        let reply = self
            .send(|_| {
                Call::get(["dags", dag_id, "dagRuns", run_id])
                    .with_method(Method::PATCH)
                    .json(json!({ "state": state.as_str() }))
            })
            .await?;
        decode::run(&reply.raw(SERVICE))
    }

    /// Set one task instance's state; a mapped task's instance through the path that takes
    /// its map index (both versions).
    pub async fn mark_task_instance(
        &self,
        dag_id: &str,
        run_id: &str,
        task_id: &str,
        map_index: i64,
        state: MarkState,
    ) -> Result<(), AirflowError> {
        let index = map_index.to_string();
        let mut path = vec!["dags", dag_id, "dagRuns", run_id, "taskInstances", task_id];
        if map_index >= 0 {
            path.push(index.as_str());
        }
        let reply = self
            .send(|v| {
                let mut body = json!({ "new_state": state.as_str() });
                // Airflow 2 defaults to a dry run; Airflow 3 has a separate dry-run endpoint
                // and refuses fields it does not know.
                if v == ApiVersion::V1 {
                    body["dry_run"] = json!(false);
                }
                Call::get(path.iter().copied())
                    .with_method(Method::PATCH)
                    .json(body)
            })
            .await?;
        decode::any(&reply.raw(SERVICE))
    }

    // ---- plumbing ----

    /// Every page of a list (`limit`/`offset`), until `total_entries`, an empty page or `max`.
    async fn pages<T>(
        &self,
        call: impl Fn(ApiVersion) -> Call,
        decode_page: fn(&RawReply<'_>) -> Result<Paged<T>, AirflowError>,
        max: usize,
    ) -> Result<Vec<T>, AirflowError> {
        let mut items: Vec<T> = Vec::new();
        loop {
            let offset = items.len();
            let limit = PAGE_LIMIT.min(max - offset);
            let reply = self
                .send(|v| call(v).query("limit", limit).query("offset", offset))
                .await?;
            let (page, total) = decode_page(&reply.raw(SERVICE))?;
            let got = page.len();
            items.extend(page);
            let total = total.map_or(usize::MAX, |t| t as usize);
            if got == 0 || items.len() >= total || items.len() >= max {
                items.truncate(max);
                return Ok(items);
            }
        }
    }

    /// Send on the current version; on a 404, try the other one, and keep it if it answers.
    async fn send(&self, call: impl Fn(ApiVersion) -> Call) -> Result<Reply, AirflowError> {
        let version = self.version.get();
        let reply = self.http.send(&version.prefix(), &call(version)).await?;
        if reply.status != 404 {
            return Ok(reply);
        }
        let other = version.other();
        match self.http.send(&other.prefix(), &call(other)).await {
            Ok(second) if second.status != 404 => {
                tracing::info!(
                    target: "astrodash::airflow",
                    root = self.http.root(),
                    from = ?version,
                    to = ?other,
                    "airflow answers the other API version: switching"
                );
                self.version.set(other);
                Ok(second)
            }
            _ => Ok(reply),
        }
    }
}
