//! The DAGs tab's rows: each DAG of a deployment's Airflow with what the tab shows beside it —
//! the states of its newest runs, when its last run started, its running and recently failed
//! task instances. Three reads make them (`Dags`, `RecentRuns`, `ActiveTasks`, see
//! `app::airflow`); when `RecentRuns` came back full, a DAG with none of its runs among them
//! takes its marks from a read of its own (`DagMarks`, made for the DAGs on screen only:
//! `update::dag_marks`), and one that read shows empty never ran. The rows are put together once
//! per reply (`refresh`), not once per frame, so a 1,000-DAG table costs no more to draw than
//! any other.

use std::collections::HashMap;

use serde::Serialize;

use super::airflow::AirflowRequest;
use super::cache::Cache;
use crate::airflow::model::{Dag, DagRun, TaskInstance, Timestamp};
use crate::houston::model::DeploymentId;

/// How many of a DAG's newest runs are marked.
pub(crate) const MARKS: usize = 5;

/// One DAG and what its runs and task instances say about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct DagRow {
    #[serde(flatten)]
    pub(crate) dag: Dag,
    /// The states of its newest runs (at most `MARKS`), oldest first: the newest is on the
    /// right, as in Airflow's grid.
    pub(crate) recent_runs: Vec<Option<String>>,
    /// When its newest run started (or, not started yet, its logical date).
    pub(crate) last_run: Option<Timestamp>,
    /// With no run among the newest read: none since this time, as far as they go.
    #[serde(skip)]
    pub(crate) no_run_since: Option<Timestamp>,
    /// Known to have no run at all.
    #[serde(skip)]
    pub(crate) never_ran: bool,
    /// The newest runs across DAGs stopped at their limit before any of this DAG's: its marks
    /// come from a read of its own (`DagMarks`).
    #[serde(skip)]
    pub(crate) own_read: bool,
    /// Task instances running now; `None` until read.
    pub(crate) running_tasks: Option<usize>,
    /// Task instances failed in the last `FAILED_TASKS_HOURS`; `None` until read.
    pub(crate) failed_tasks: Option<usize>,
}

/// The rows of one deployment, and the generation of the reads they were made from.
#[derive(Debug, Clone, Default)]
pub(crate) struct DagRows {
    generation: u64,
    rows: Vec<DagRow>,
}

fn sources(d: &DeploymentId) -> [AirflowRequest; 3] {
    [
        AirflowRequest::Dags(d.clone()),
        AirflowRequest::RecentRuns(d.clone()),
        AirflowRequest::ActiveTasks(d.clone()),
    ]
}

/// Changes whenever one of the three reads does (0: the DAG list never arrived).
pub(crate) fn generation(cache: &Cache, d: &DeploymentId) -> u64 {
    cache.dag_rows.get(d).map_or(0, |r| r.generation)
}

fn source_generation(cache: &Cache, d: &DeploymentId) -> u64 {
    sources(d).iter().fold(0u64, |acc, r| {
        acc.wrapping_mul(1_000_003)
            .wrapping_add(cache.airflow.generation(r))
    })
}

/// The read of `dag_id`'s own marks.
pub(crate) fn marks_request(d: &DeploymentId, dag_id: &str) -> AirflowRequest {
    AirflowRequest::DagMarks {
        deployment: d.clone(),
        dag_id: dag_id.to_string(),
    }
}

/// The rows of deployment `d`, `None` until its DAG list is read.
pub(crate) fn rows<'c>(cache: &'c Cache, d: &DeploymentId) -> Option<&'c [DagRow]> {
    cache.dag_rows.get(d).map(|r| r.rows.as_slice())
}

/// Put the rows of `d` together again after one of their reads answered.
pub(crate) fn refresh(cache: &mut Cache, d: &DeploymentId) {
    let generation = source_generation(cache, d);
    let Some(dags) = cache.airflow_dags(d) else {
        cache.dag_rows.remove(d);
        return;
    };
    let rows = compose(
        dags,
        cache.airflow_recent_runs(d),
        cache.airflow_active_tasks(d),
        &|dag_id| cache.airflow_dag_marks(d, dag_id),
    );
    // The DAGs' own reads count too: one answering changes the rows.
    let generation = rows
        .iter()
        .filter(|r| r.own_read)
        .fold(generation, |acc, r| {
            let read = marks_request(d, &r.dag.dag_id);
            acc.wrapping_mul(31)
                .wrapping_add(cache.airflow.generation(&read))
        });
    cache
        .dag_rows
        .insert(d.clone(), DagRows { generation, rows });
}

/// Each DAG with its newest runs (the lists are newest first) and its task counts: from the
/// newest runs across DAGs, else — when those stopped at their limit — from `own(dag_id)`, the
/// DAG's own read, if it was made.
pub(crate) fn compose<'r>(
    dags: &[Dag],
    runs: Option<&'r [DagRun]>,
    tasks: Option<&[TaskInstance]>,
    own: &dyn Fn(&str) -> Option<&'r [DagRun]>,
) -> Vec<DagRow> {
    // The read stopped at its limit: older runs exist that it did not bring.
    let full = runs.is_some_and(|r| r.len() >= super::airflow::RECENT_RUNS);
    let horizon = runs
        .filter(|_| full)
        .and_then(|r| r.last())
        .and_then(|r| r.start_date.or(r.logical_date));
    let mut newest: HashMap<&str, Vec<&DagRun>> = HashMap::new();
    for run in runs.unwrap_or(&[]) {
        let list = newest.entry(run.dag_id.as_str()).or_default();
        if list.len() < MARKS {
            list.push(run);
        }
    }
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for ti in tasks.unwrap_or(&[]) {
        let c = counts.entry(ti.dag_id.as_str()).or_default();
        match ti.state.as_deref() {
            Some("running") => c.0 += 1,
            Some("failed") => c.1 += 1,
            _ => {}
        }
    }
    dags.iter()
        .map(|dag| {
            let among = newest.get(dag.dag_id.as_str());
            let own_read = full && among.is_none();
            let own_runs: Option<Vec<&DagRun>> = own_read
                .then(|| own(&dag.dag_id))
                .flatten()
                .map(|r| r.iter().take(MARKS).collect());
            let chosen = among.or(own_runs.as_ref());
            let last_run = chosen
                .and_then(|r| r.first())
                .and_then(|r| r.start_date.or(r.logical_date));
            let recent_runs: Vec<Option<String>> = chosen
                .map(|r| r.iter().rev().map(|r| r.state.clone()).collect())
                .unwrap_or_default();
            // A page short of its limit held every run; else its own read came back empty.
            let never_ran = match (among, full) {
                (Some(_), _) => false,
                (None, true) => own_runs.as_ref().is_some_and(Vec::is_empty),
                (None, false) => runs.is_some(),
            };
            let (running, failed) = counts.get(dag.dag_id.as_str()).copied().unwrap_or((0, 0));
            DagRow {
                dag: dag.clone(),
                never_ran,
                recent_runs,
                last_run,
                no_run_since: horizon.filter(|_| last_run.is_none() && !never_ran),
                own_read,
                running_tasks: tasks.map(|_| running),
                failed_tasks: tasks.map(|_| failed),
            }
        })
        .collect()
}

/// Keeps the rows with the cache.
pub(crate) type DagRowsByDeployment = HashMap<DeploymentId, DagRows>;

#[cfg(test)]
mod tests {
    use super::*;

    fn dag(id: &str) -> Dag {
        Dag {
            dag_id: id.into(),
            is_paused: false,
            is_active: true,
            schedule: None,
            next_run: None,
            has_import_errors: false,
            owners: vec![],
            tags: vec![],
            description: None,
            fileloc: None,
        }
    }

    fn run(dag: &str, n: i64, state: &str) -> DagRun {
        let at = chrono::DateTime::from_timestamp(1_700_000_000 + n * 60, 0);
        DagRun {
            dag_id: dag.into(),
            dag_run_id: format!("r{n}"),
            state: Some(state.into()),
            run_type: None,
            logical_date: at,
            start_date: at,
            end_date: None,
            conf: None,
        }
    }

    fn ti(dag: &str, state: &str) -> TaskInstance {
        TaskInstance {
            task_id: "t".into(),
            name: "t".into(),
            dag_id: dag.into(),
            dag_run_id: "r".into(),
            map_index: -1,
            state: Some(state.into()),
            try_number: 1,
            start_date: None,
            end_date: None,
            duration: None,
            operator: None,
            hostname: None,
        }
    }

    #[test]
    fn newest_runs_go_right_and_tasks_are_counted_per_dag() {
        // Newest first, as Airflow lists them.
        let runs: Vec<DagRun> = (0..8)
            .rev()
            .map(|n| run("a", n, if n == 7 { "failed" } else { "success" }))
            .chain([run("b", 3, "running")])
            .collect();
        let tasks = [ti("a", "failed"), ti("a", "running"), ti("a", "failed")];
        let rows = compose(
            &[dag("a"), dag("b"), dag("c")],
            Some(&runs),
            Some(&tasks),
            &|_| None,
        );
        let states: Vec<&str> = rows[0]
            .recent_runs
            .iter()
            .map(|s| s.as_deref().unwrap_or("-"))
            .collect();
        assert_eq!(
            states,
            ["success", "success", "success", "success", "failed"]
        );
        assert_eq!(rows[0].last_run, runs[0].start_date);
        assert_eq!(
            (rows[0].running_tasks, rows[0].failed_tasks),
            (Some(1), Some(2))
        );
        assert_eq!(rows[1].recent_runs.len(), 1);
        assert_eq!(
            (rows[1].running_tasks, rows[1].failed_tasks),
            (Some(0), Some(0))
        );
        assert!(rows[2].recent_runs.is_empty() && rows[2].last_run.is_none());
        // The read stopped at its limit: a DAG without a run in it ran before its oldest.
        let many: Vec<DagRun> = (0..crate::app::airflow::RECENT_RUNS as i64)
            .rev()
            .map(|n| run("a", n, "success"))
            .collect();
        let rows = compose(&[dag("a"), dag("c")], Some(&many), None, &|_| None);
        assert_eq!(rows[1].no_run_since, many.last().unwrap().start_date);
        assert_eq!(rows[0].no_run_since, None);
        let rows = compose(&[dag("c")], Some(&runs), None, &|_| None);
        assert_eq!(
            rows[0].no_run_since, None,
            "a read short of its limit brought every run"
        );
        assert!(rows[0].never_ran && !rows[0].own_read);
        // Counts not read yet are unknown, not zero.
        let rows = compose(&[dag("a")], Some(&runs), None, &|_| None);
        assert_eq!(rows[0].failed_tasks, None);
    }

    #[test]
    fn a_dag_missing_from_a_full_page_takes_its_marks_from_its_own_read() {
        // A busy DAG fills the page: "b", "c" and "d" have no run in it.
        let many: Vec<DagRun> = (100..100 + crate::app::airflow::RECENT_RUNS as i64)
            .rev()
            .map(|n| run("busy", n, "success"))
            .collect();
        let own_b: Vec<DagRun> = (0..7)
            .rev()
            .map(|n| run("b", n, if n == 6 { "failed" } else { "success" }))
            .collect();
        let own = |dag_id: &str| -> Option<&[DagRun]> {
            match dag_id {
                "b" => Some(&own_b),
                "c" => Some(&[]),
                _ => None,
            }
        };
        let dags = [dag("busy"), dag("b"), dag("c"), dag("d")];
        let rows = compose(&dags, Some(&many), None, &own);
        assert!(!rows[0].own_read && rows[0].recent_runs.len() == MARKS);
        // Its own read: the newest MARKS, newest on the right, and its age.
        let b = &rows[1];
        assert!(b.own_read);
        let marks: Vec<&str> = b.recent_runs.iter().flatten().map(String::as_str).collect();
        assert_eq!(
            marks,
            ["success", "success", "success", "success", "failed"]
        );
        assert_eq!(b.last_run, own_b[0].start_date);
        assert_eq!((b.no_run_since, b.never_ran), (None, false));
        // Its own read came back empty: it never ran.
        assert!(rows[2].own_read && rows[2].never_ran && rows[2].no_run_since.is_none());
        // Not read yet: none since the page's oldest run, as before.
        assert!(rows[3].own_read && !rows[3].never_ran);
        assert_eq!(rows[3].no_run_since, many.last().unwrap().start_date);
        // The page not read yet: nothing is known.
        let rows = compose(&dags, None, None, &own);
        assert!(
            rows.iter()
                .all(|r| !r.own_read && !r.never_ran && r.recent_runs.is_empty())
        );
    }
}
