//! What users did to a simulated Airflow (pause, trigger, clear, mark), stored as small rows
//! and replayed over the computed state on every read. This table is the simulation's only
//! storage: nothing is written unless a user acts.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::db::Db;

/// One user action on one DAG.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum Action {
    Pause {
        paused: bool,
    },
    Trigger {
        run_id: String,
        logical_ms: i64,
        conf: serde_json::Value,
    },
    /// Every instance of `tasks`, and single instances of mapped tasks (task id, map index).
    Clear {
        run_id: String,
        tasks: Vec<String>,
        #[serde(default)]
        instances: Vec<(String, i64)>,
    },
    MarkTask {
        run_id: String,
        task_id: String,
        /// -1: the task is not mapped (rows stored before mapped tasks have none).
        #[serde(default = "unmapped")]
        map_index: i64,
        state: String,
    },
    MarkRun {
        run_id: String,
        state: String,
    },
}

fn unmapped() -> i64 {
    -1
}

#[derive(Clone, Debug)]
pub(super) struct Override {
    pub dag_id: String,
    pub at_ms: i64,
    pub action: Action,
}

/// Creates the table on first use (it belongs to this module, not to the Houston schema).
pub(super) fn ensure_table(db: &Db) {
    let r = db.write_quiet(|c| {
        c.execute_batch(
            "CREATE TABLE IF NOT EXISTS airflow_overrides (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                release_name TEXT NOT NULL,
                dag_id TEXT NOT NULL,
                at_ms INTEGER NOT NULL,
                action TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS airflow_overrides_release
                ON airflow_overrides (release_name, id);",
        )
    });
    if let Err(e) = r {
        tracing::error!("cannot create the Airflow overrides table: {e}");
    }
}

/// Every action on a deployment, oldest first.
pub(super) fn load(db: &Db, release: &str) -> Vec<Override> {
    let rows = db.read(|c| {
        let mut st = c.prepare_cached(
            "SELECT dag_id, at_ms, action FROM airflow_overrides WHERE release_name = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([release], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    });
    match rows {
        Ok(rows) => rows
            .into_iter()
            .filter_map(|(dag_id, at_ms, action)| {
                let action = serde_json::from_str(&action).ok()?;
                Some(Override {
                    dag_id,
                    at_ms,
                    action,
                })
            })
            .collect(),
        Err(e) => {
            tracing::error!("cannot read Airflow overrides: {e}");
            Vec::new()
        }
    }
}

pub(super) fn store(db: &Db, release: &str, o: &Override) -> rusqlite::Result<()> {
    let action = serde_json::to_string(&o.action).unwrap_or_default();
    db.write_quiet(|c| {
        c.execute(
            "INSERT INTO airflow_overrides (release_name, dag_id, at_ms, action) VALUES (?1, ?2, ?3, ?4)",
            params![release, o.dag_id, o.at_ms, action],
        )
        .map(|_| ())
    })
}
