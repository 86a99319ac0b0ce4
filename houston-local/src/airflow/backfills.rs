//! The backfills of a DAG that hangs (`Dag::hangs`): one starts every `BACKFILL_EVERY_MS` and
//! waits for ever on one task, so at any moment one of them has been running for one to three
//! days — the long-running run an operator must find. Deterministic from the DAG's seed and
//! the clock, like every run (`runs`).

use serde_json::Value;

use super::model::Dag;
use super::runs::{DAY, HISTORY_MS, Run, SECOND, World, derive_state, run_id};
use crate::sim::{SplitMix, hash};

/// How often a DAG that hangs starts a backfill. Within `HISTORY_MS`, one always started
/// between one and three days ago.
const BACKFILL_EVERY_MS: i64 = 2 * DAY;

impl World<'_> {
    /// The backfills of a DAG that hangs, started on a grid of its own (`BACKFILL_EVERY_MS`,
    /// shifted by the DAG's seed) over the history: each waits for ever on one task.
    pub(super) fn backfills(&self, dag: &Dag) -> Vec<Run> {
        let earliest = (self.now - HISTORY_MS).max(self.timeline.created_ms);
        // Whole minutes, as a person starts a backfill.
        let minute = 60 * SECOND;
        let shift = (dag.seed % (BACKFILL_EVERY_MS / minute) as u64) as i64 * minute;
        let mut at = (earliest - shift).div_euclid(BACKFILL_EVERY_MS) * BACKFILL_EVERY_MS + shift;
        let mut out = Vec::new();
        while at <= self.now - 2 * SECOND {
            if at >= earliest {
                let id = run_id("backfill", at);
                let conf = Value::Object(Default::default());
                let mut run = self.run(dag, id, "backfill", at, (at, at), None, conf);
                self.hang(dag, &mut run, at + 2 * SECOND);
                out.push(run);
            }
            at += BACKFILL_EVERY_MS;
        }
        out
    }

    /// A run started at `start` whose tasks succeed up to one that never ends (the first
    /// sensor, else the middle task): running for as long as it is looked at.
    fn hang(&self, dag: &Dag, run: &mut Run, start: i64) {
        let stuck = dag
            .tasks
            .iter()
            .position(|t| t.operator.ends_with("Sensor"))
            .unwrap_or(dag.tasks.len() / 2);
        let mut rng = SplitMix::new(hash(&[&dag.seed.to_le_bytes(), run.run_id.as_bytes()]));
        let mut cursor = start;
        for (i, (task, ti)) in dag.tasks.iter().zip(run.tis.iter_mut()).enumerate() {
            let begin = cursor + SECOND;
            let end = begin + task.duration_ms;
            if i > stuck || self.now < begin {
                break;
            }
            ti.queued_ms = Some(cursor);
            ti.start_ms = Some(begin);
            ti.try_number = 1;
            ti.hostname = self.hostname(dag, task.task_id, &mut rng);
            if i == stuck || self.now < end {
                ti.state = Some("running");
                break;
            }
            ti.state = Some("success");
            ti.end_ms = Some(end);
            cursor = end;
        }
        run.queued_ms = start - SECOND;
        run.start_ms = Some(start);
        derive_state(run);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::airflow::model;
    use crate::sim::Timeline;

    const NOW: i64 = 1_796_000_000_000;

    #[test]
    fn a_dag_that_hangs_always_has_a_run_running_for_more_than_a_day() {
        let dep = model::tests::row("quasar-1234", true);
        let mut seen_before: Option<(String, i64)> = None;
        // Every 5 hours over six days: the grid of backfills moves on, one is always stuck.
        for step in 0..30 {
            let now = NOW + step * 5 * 3_600_000;
            let w = World {
                dep: &dep,
                timeline: Timeline::of(&dep, None),
                now,
                dags: model::dags(&dep),
                overrides: vec![],
            };
            let dag = w.dags.iter().find(|d| d.hangs).expect("a DAG that hangs");
            let runs = w.runs(dag);
            let long: Vec<&Run> = runs
                .iter()
                .filter(|r| r.state == "running" && r.start_ms.is_some_and(|s| now - s > DAY))
                .collect();
            assert!(!long.is_empty(), "at {now}: {runs:?}");
            let r = long[0];
            assert_eq!(r.run_type, "backfill");
            assert_eq!(r.end_ms, None);
            let running = r.tis.iter().filter(|t| t.state == Some("running")).count();
            assert_eq!(running, 1, "one task never ends: {:?}", r.tis);
            // The same run, looked at later, is still running since the same moment.
            if let Some((id, start)) = &seen_before
                && now - start < HISTORY_MS
            {
                let again = runs.iter().find(|r| &r.run_id == id).expect("still there");
                assert_eq!((again.state, again.start_ms), ("running", Some(*start)));
            }
            seen_before = Some((r.run_id.clone(), r.start_ms.unwrap_or_default()));
        }
    }
}
