//! The DAGs of one deployment's simulated Airflow: generated from the release name alone, so
//! the same deployment always has the same DAGs (10–30 of them, with schedules, owners, tags,
//! tasks and a few broken files).

use rand::Rng;

use crate::db::store::DeploymentRow;
use crate::sim::{SplitMix, hash};

/// A DAG's schedule: every `period_ms`, shifted by `offset_ms` from the epoch.
#[derive(Clone, Copy, Debug)]
pub(super) struct Schedule {
    /// The cron expression or preset Airflow reports.
    pub expr: &'static str,
    pub description: &'static str,
    pub period_ms: i64,
    pub offset_ms: i64,
}

#[derive(Clone, Debug)]
pub(super) struct Task {
    pub task_id: &'static str,
    pub operator: &'static str,
    /// How long the task runs, in ms.
    pub duration_ms: i64,
    /// A mapped task (`.expand()`) runs this many instances per run (map index 0..n);
    /// 0 for a task that is not mapped.
    pub mapped: usize,
}

#[derive(Clone, Debug)]
pub(super) struct Dag {
    pub dag_id: String,
    pub owner: &'static str,
    pub tags: Vec<&'static str>,
    pub schedule: Option<Schedule>,
    pub description: String,
    pub fileloc: String,
    /// A chain: each task runs after the one before it.
    pub tasks: Vec<Task>,
    pub paused_by_default: bool,
    /// Its file no longer imports (the DAG keeps its last parsed version).
    pub import_error: Option<&'static str>,
    pub retries: u32,
    /// Its backfills hang (see `runs`): the deployment's long-running runs.
    pub hangs: bool,
    /// Seeds everything random about this DAG's runs.
    pub seed: u64,
}

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

const SCHEDULES: &[Schedule] = &[
    Schedule {
        expr: "@hourly",
        description: "At the start of every hour",
        period_ms: HOUR,
        offset_ms: 0,
    },
    Schedule {
        expr: "@daily",
        description: "At 00:00",
        period_ms: DAY,
        offset_ms: 0,
    },
    Schedule {
        expr: "0 */6 * * *",
        description: "At 0 minutes past the hour, every 6 hours",
        period_ms: 6 * HOUR,
        offset_ms: 0,
    },
    Schedule {
        expr: "*/30 * * * *",
        description: "Every 30 minutes",
        period_ms: 30 * MINUTE,
        offset_ms: 0,
    },
    Schedule {
        expr: "0 2 * * *",
        description: "At 02:00",
        period_ms: DAY,
        offset_ms: 2 * HOUR,
    },
    Schedule {
        expr: "15 * * * *",
        description: "At 15 minutes past the hour",
        period_ms: HOUR,
        offset_ms: 15 * MINUTE,
    },
];

const VERBS: &[&str] = &[
    "ingest",
    "load",
    "sync",
    "transform",
    "export",
    "refresh",
    "score",
    "report",
    "check",
    "backfill",
    "aggregate",
    "archive",
];
const SUBJECTS: &[&str] = &[
    "orders",
    "customers",
    "events",
    "invoices",
    "sessions",
    "campaigns",
    "features",
    "payments",
    "inventory",
    "clickstream",
    "subscriptions",
    "tickets",
    "leads",
    "shipments",
];
const OWNERS: &[&str] = &[
    "data-eng",
    "analytics",
    "ml-platform",
    "airflow",
    "growth",
    "finance-data",
];
const TAGS: &[&str] = &[
    "etl",
    "snowflake",
    "dbt",
    "s3",
    "ml",
    "reporting",
    "critical",
    "marketing",
    "pii",
];

/// Task chains by kind of DAG: (task id, operator). `extract` is mapped (`MAPPED`).
const CHAINS: &[&[(&str, &str)]] = &[
    &[
        ("extract", "PythonOperator"),
        ("transform", "PythonOperator"),
        ("load", "SnowflakeOperator"),
        ("validate", "SQLCheckOperator"),
        ("publish", "EmptyOperator"),
    ],
    &[
        ("dbt_deps", "BashOperator"),
        ("dbt_seed", "BashOperator"),
        ("dbt_run", "BashOperator"),
        ("dbt_test", "BashOperator"),
        ("notify_slack", "SlackWebhookOperator"),
    ],
    &[
        ("fetch_features", "PythonOperator"),
        ("train_model", "KubernetesPodOperator"),
        ("evaluate", "PythonOperator"),
        ("register_model", "HttpOperator"),
    ],
    &[
        ("wait_for_file", "S3KeySensor"),
        ("copy_to_stage", "S3ToSnowflakeOperator"),
        ("merge_into_target", "SQLExecuteQueryOperator"),
    ],
    &[
        ("run_queries", "SQLExecuteQueryOperator"),
        ("render_report", "PythonOperator"),
        ("send_email", "EmailOperator"),
    ],
    &[
        ("start", "EmptyOperator"),
        ("get_changes", "HttpOperator"),
        ("upsert_records", "PythonOperator"),
        ("update_watermark", "PythonOperator"),
        ("end", "EmptyOperator"),
    ],
];

/// The mapped task of the chains, and its instances per run: one per source partition.
const MAPPED: (&str, usize) = ("extract", 4);

const IMPORT_ERRORS: &[&str] = &[
    "ModuleNotFoundError: No module named 'snowflake.connector'",
    "airflow.exceptions.AirflowException: Invalid arguments were passed to PythonOperator (task_id: transform). Invalid arguments were:\n**kwargs: {'provide_context': True}",
    "SyntaxError: invalid syntax",
    "airflow.exceptions.DuplicateTaskIdFound: Task id 'load' has already been added to the DAG",
];

/// The DAGs of a deployment, ordered by `dag_id`.
pub(super) fn dags(d: &DeploymentRow) -> Vec<Dag> {
    let seed = hash(&[b"airflow-dags", d.release_name.as_bytes()]);
    let mut rng = SplitMix::new(seed);
    let count = rng.random_range(10..=30);
    // Roughly one deployment in three has broken files; an unhealthy one always has one.
    let broken = if d.unhealthy || seed.is_multiple_of(3) {
        rng.random_range(1..=2)
    } else {
        0
    };
    let mut out: Vec<Dag> = Vec::with_capacity(count);
    while out.len() < count {
        let dag_id = format!(
            "{}_{}",
            VERBS[rng.random_range(0..VERBS.len())],
            SUBJECTS[rng.random_range(0..SUBJECTS.len())]
        );
        if out.iter().any(|x| x.dag_id == dag_id) {
            continue;
        }
        let chain = CHAINS[rng.random_range(0..CHAINS.len())];
        let tasks = chain
            .iter()
            .map(|(task_id, operator)| Task {
                task_id,
                operator,
                duration_ms: rng.random_range(15_000..240_000),
                mapped: if *task_id == MAPPED.0 { MAPPED.1 } else { 0 },
            })
            .collect();
        let mut tags: Vec<&'static str> = (0..rng.random_range(1..=3))
            .map(|_| TAGS[rng.random_range(0..TAGS.len())])
            .collect();
        tags.sort_unstable();
        tags.dedup();
        let schedule = if rng.random_range(0..8) == 0 {
            None
        } else {
            Some(SCHEDULES[rng.random_range(0..SCHEDULES.len())])
        };
        let subject = dag_id.split('_').nth(1).unwrap_or("data");
        out.push(Dag {
            description: format!("{} {subject}", describe(&dag_id)),
            fileloc: format!("/usr/local/airflow/dags/{dag_id}.py"),
            owner: OWNERS[rng.random_range(0..OWNERS.len())],
            tags,
            schedule,
            tasks,
            paused_by_default: rng.random_range(0..7) == 0,
            import_error: None,
            retries: rng.random_range(0..=2),
            hangs: false,
            seed: hash(&[&seed.to_le_bytes(), dag_id.as_bytes()]),
            dag_id,
        });
    }
    for _ in 0..broken {
        let i = rng.random_range(0..out.len());
        out[i].import_error = Some(IMPORT_ERRORS[rng.random_range(0..IMPORT_ERRORS.len())]);
    }
    // One deployment in three has a DAG whose backfills hang, an unhealthy one always; drawn
    // apart so the DAGs above stay what they were.
    let hang = hash(&[b"airflow-hang", d.release_name.as_bytes()]);
    if d.unhealthy || hang.is_multiple_of(3) {
        let i = (hang / 3) as usize % out.len();
        out[i].hangs = true;
    }
    out.sort_by(|a, b| a.dag_id.cmp(&b.dag_id));
    out
}

fn describe(dag_id: &str) -> &'static str {
    match dag_id.split('_').next() {
        Some("ingest") => "Ingests",
        Some("load") => "Loads",
        Some("sync") => "Syncs",
        Some("transform") => "Transforms",
        Some("export") => "Exports",
        Some("refresh") => "Refreshes",
        Some("score") => "Scores",
        Some("report") => "Reports on",
        Some("check") => "Checks",
        Some("backfill") => "Backfills",
        Some("aggregate") => "Aggregates",
        _ => "Archives",
    }
}

/// The Airflow major version a deployment runs (3 = the `/api/v2` API).
pub(super) fn airflow_major(d: &DeploymentRow) -> u32 {
    d.airflow_version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(2)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(crate) fn row(release: &str, unhealthy: bool) -> DeploymentRow {
        DeploymentRow {
            id: format!("id-{release}"),
            workspace_id: "w".into(),
            label: release.into(),
            description: None,
            release_name: release.into(),
            executor: "CeleryExecutor".into(),
            airflow_version: "2.9.2".into(),
            desired_airflow_version: "2.9.2".into(),
            version: "1.10.0".into(),
            config: "{}".into(),
            properties: "{}".into(),
            deploy_count: 1,
            deploying_until: 0,
            unhealthy,
            runtime_version: None,
            desired_runtime_version: None,
            namespace: None,
            adopted: false,
            created_at: "2026-01-01T00:00:00.000Z".into(),
            updated_at: "2026-01-01T00:00:00.000Z".into(),
        }
    }

    #[test]
    fn the_same_release_has_the_same_dags() {
        let a = dags(&row("quasar-1234", false));
        let b = dags(&row("quasar-1234", false));
        let ids = |v: &[Dag]| v.iter().map(|d| d.dag_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert!((10..=30).contains(&a.len()), "{} DAGs", a.len());
        assert_ne!(ids(&a), ids(&dags(&row("nebula-5678", false))));
    }

    #[test]
    fn an_unhealthy_deployment_has_a_dag_that_hangs() {
        let v = dags(&row("quasar-1234", true));
        assert_eq!(v.iter().filter(|d| d.hangs).count(), 1);
    }

    #[test]
    fn an_unhealthy_deployment_has_a_broken_dag_file() {
        let v = dags(&row("quasar-1234", true));
        assert!(v.iter().any(|d| d.import_error.is_some()));
    }
}
