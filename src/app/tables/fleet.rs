//! The fleet's tables: the all-deployments table with each deployment's Airflow columns
//! (failed runs in 24 h, import errors, scheduler heartbeat) beside Houston's, and `:dags`, the
//! failing and long-running runs of every deployment (`app::fleet`).

use std::cell::OnceCell;
use std::cmp::Ordering;

use super::specs::{by_opt_text, by_text, by_time, flex, layout};
use super::{
    Cell, CellEnv, Column, CopyTarget, Layout, Look, RowSource, Rows, Sort, Spec, SpecRows,
};
use crate::app::cache::Cache;
use crate::app::fleet::{Facts, FleetRun, STALE_HEARTBEAT_SECS};
use crate::houston::model::{Deployment, Timestamp};
use crate::ui::format::{age_or, short_duration};

/// Where the Airflow columns go: after Houston's status.
const AFTER: usize = 6;

const AIRFLOW_LAYOUTS: [Layout; 3] = [
    // Narrow: the view's own columns keep their room.
    layout("Fail 24h", 8, 1),
    layout("Imp err", 7, 3),
    layout("Heartbeat", 9, 2),
];

/// Deployment rows with their Airflow's facts as three more columns. Worst first (the status
/// column's order) is Houston's status, then the Airflow's trouble (`Facts::trouble`: more
/// failed runs, more import errors, an older heartbeat), then the name.
pub(crate) struct WithAirflow<'a, S> {
    rows: SpecRows<S, Deployment>,
    cache: &'a Cache,
    status_column: usize,
    /// Looked up once per row, when first asked.
    facts: Vec<OnceCell<Facts>>,
}

impl<'a, S: RowSource<Deployment>> WithAirflow<'a, S> {
    pub(crate) fn new(
        source: S,
        spec: &'static Spec<Deployment>,
        status_column: usize,
        cache: &'a Cache,
    ) -> Self {
        let facts = (0..source.len()).map(|_| OnceCell::new()).collect();
        WithAirflow {
            rows: SpecRows { source, spec },
            cache,
            status_column,
            facts,
        }
    }

    fn facts(&self, i: usize) -> Facts {
        let Some(cell) = self.facts.get(i) else {
            return Facts::default();
        };
        *cell.get_or_init(|| {
            self.rows
                .source
                .get(i)
                .map_or_else(Facts::default, |d| Facts::of(self.cache, &d.id))
        })
    }

    /// The spec's column behind shown column `c`, or which Airflow column it is.
    fn column(c: usize) -> Result<usize, usize> {
        match c {
            c if c < AFTER => Ok(c),
            c if c < AFTER + AIRFLOW_LAYOUTS.len() => Err(c - AFTER),
            c => Ok(c - AIRFLOW_LAYOUTS.len()),
        }
    }
}

fn count_cell(count: Option<usize>, capped: bool, unreachable: bool) -> Cell {
    match count {
        Some(0) if !capped => Cell::with("0", Look::Dim),
        // A full page: at least this many.
        Some(n) if capped => Cell::with(format!("{n}+"), Look::Warning),
        Some(n) => Cell::with(n.to_string(), Look::Warning),
        None if unreachable => Cell::with("?", Look::Dim),
        None => Cell::with("…", Look::Dim),
    }
}

/// The heartbeat's age when last read: between reads a live scheduler's heartbeat is not
/// getting older, only our knowledge of it.
fn heartbeat_cell(facts: &Facts) -> Cell {
    match facts.heartbeat_lag {
        Some(i64::MAX) => Cell::with("never", Look::Warning),
        Some(lag) => {
            let look = if lag > STALE_HEARTBEAT_SECS {
                Look::Warning
            } else {
                Look::Dim
            };
            Cell::with(format!("{} ago", short_duration(lag)), look)
        }
        None if facts.unreachable => Cell::with("?", Look::Dim),
        None => Cell::with("…", Look::Dim),
    }
}

impl<S: RowSource<Deployment>> Rows for WithAirflow<'_, S> {
    fn len(&self) -> usize {
        self.rows.len()
    }
    fn key(&self, i: usize) -> &str {
        self.rows.key(i)
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        self.rows.matches(i, needle)
    }
    fn compare(&self, column: usize, a: usize, b: usize) -> Ordering {
        match Self::column(column) {
            Ok(c) if c == self.status_column => {
                let status = |i| self.rows.source.get(i).map(|d| d.status);
                status(a)
                    .cmp(&status(b))
                    .then_with(|| self.facts(b).trouble().cmp(&self.facts(a).trouble()))
                    .then_with(|| self.rows.compare(c, a, b))
            }
            Ok(c) => self.rows.compare(c, a, b),
            // More first, as for trouble; unread last.
            Err(0) => by_count(self.facts(a).failed_runs, self.facts(b).failed_runs),
            Err(1) => by_count(self.facts(a).import_errors, self.facts(b).import_errors),
            // The oldest heartbeat first; unread last.
            Err(_) => by_count(self.facts(a).heartbeat_lag, self.facts(b).heartbeat_lag),
        }
    }
    fn cell(&self, i: usize, column: usize, env: &CellEnv) -> Cell {
        match Self::column(column) {
            Ok(c) => self.rows.cell(i, c, env),
            Err(0) => {
                let f = self.facts(i);
                count_cell(f.failed_runs, f.failed_capped, f.unreachable)
            }
            Err(1) => {
                let f = self.facts(i);
                count_cell(f.import_errors, false, f.unreachable)
            }
            Err(_) => heartbeat_cell(&self.facts(i)),
        }
    }
    fn layouts(&self) -> Vec<Layout> {
        let mut out = self.rows.layouts();
        let at = AFTER.min(out.len());
        out.splice(at..at, AIRFLOW_LAYOUTS);
        out
    }
    fn title(&self) -> &'static str {
        self.rows.title()
    }
    fn noun(&self) -> &'static str {
        self.rows.noun()
    }
    fn default_sort(&self) -> Option<Sort> {
        // The spec's column, where it is shown now.
        self.rows.default_sort().map(|s| Sort {
            column: if s.column < AFTER {
                s.column
            } else {
                s.column + AIRFLOW_LAYOUTS.len()
            },
            ..s
        })
    }
    fn copy_targets(&self, i: usize) -> Vec<(&'static str, String)> {
        self.rows.copy_targets(i)
    }
    fn describe(&self, i: usize) -> Option<(String, serde_json::Value)> {
        self.rows.describe(i)
    }
    fn item(&self, i: usize) -> Option<&dyn std::any::Any> {
        self.rows.item(i)
    }
}

/// Larger first, unknown last.
fn by_count<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

// ---- :dags ----

/// Failed before running; failures newest first, then the runs running longest.
fn by_trouble(a: &FleetRun, b: &FleetRun) -> Ordering {
    let failed = |r: &FleetRun| r.run.state.as_deref() != Some("failed");
    failed(a).cmp(&failed(b)).then_with(|| {
        if failed(a) {
            // Both running: the longest (earliest start) first.
            by_time(b.run.start_date, a.run.start_date)
        } else {
            by_time(
                a.run.end_date.or(a.run.start_date),
                b.run.end_date.or(b.run.start_date),
            )
        }
    })
}

fn duration(r: &FleetRun, now: Timestamp) -> String {
    r.run
        .duration(now)
        .map_or_else(|| "-".into(), |d| short_duration(d.num_seconds()))
}

/// The column `:dags` is sorted by until the user picks another.
const STATE_COLUMN: usize = 4;

pub(crate) static FLEET_RUNS: Spec<FleetRun> = Spec {
    title: "Failing and long-running DAG runs",
    noun: "run",
    name: |r| r.run.dag_run_id.as_str(),
    columns: &[
        Column {
            layout: flex("Deployment", 14, 0),
            cell: |r, _| Cell::with(r.deployment_label.clone(), Look::Title),
            sort: |a, b| by_text(&a.deployment_label, &b.deployment_label),
        },
        Column {
            layout: flex("Workspace", 12, 2),
            cell: |r, _| Cell::plain(r.workspace.clone().unwrap_or_else(|| "-".into())),
            sort: |a, b| by_opt_text(a.workspace.as_deref(), b.workspace.as_deref()),
        },
        Column {
            layout: flex("DAG", 16, 0),
            cell: |r, _| Cell::plain(r.run.dag_id.clone()),
            sort: |a, b| by_text(&a.run.dag_id, &b.run.dag_id),
        },
        Column {
            layout: flex("Run", 18, 3),
            cell: |r, _| Cell::with(r.run.dag_run_id.clone(), Look::Dim),
            sort: |a, b| by_text(&a.run.dag_run_id, &b.run.dag_run_id),
        },
        Column {
            layout: layout("State", 10, 0),
            // The marks of the DAGs tab and the drill-down: one look for a state everywhere.
            cell: |r, _| super::dags::state_cell(r.run.state.as_deref()),
            sort: by_trouble,
        },
        Column {
            layout: layout("Started", 9, 1),
            cell: |r, env| Cell::with(age_or(env.now, r.run.start_date, "-"), Look::Dim),
            sort: |a, b| by_time(a.run.start_date, b.run.start_date),
        },
        Column {
            layout: layout("Duration", 8, 1),
            cell: |r, env| Cell::plain(duration(r, env.now)),
            // Longest first.
            sort: |a, b| {
                let long = |r: &FleetRun| r.run.end_date.unwrap_or(Timestamp::MAX_UTC);
                let d = |r: &FleetRun| r.run.start_date.map(|s| long(r) - s);
                d(b).cmp(&d(a))
            },
        },
    ],
    key: |r| r.key.as_str(),
    search: |r, f| {
        f(&r.deployment_label)
            || f(&r.release_name)
            || r.workspace.as_deref().is_some_and(&mut *f)
            || f(&r.run.dag_id)
            || f(&r.run.dag_run_id)
            || r.run.state.as_deref().is_some_and(f)
    },
    default_sort: Some(Sort {
        column: STATE_COLUMN,
        descending: false,
    }),
    copy: &[
        CopyTarget {
            label: "DAG id",
            value: |r| Some(r.run.dag_id.clone()),
        },
        CopyTarget {
            label: "run id",
            value: |r| Some(r.run.dag_run_id.clone()),
        },
        CopyTarget {
            label: "release name",
            value: |r| Some(r.release_name.clone()),
        },
    ],
};

/// The rows of `:dags` (computed from every deployment's cached runs).
pub(crate) fn fleet_runs(cache: &Cache) -> Box<dyn Rows + '_> {
    super::spec_rows(crate::app::fleet::runs(cache), &FLEET_RUNS)
}
