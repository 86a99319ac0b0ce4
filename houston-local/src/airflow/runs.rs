//! DAG runs and task instances of a deployment's simulated Airflow at a moment: scheduled
//! runs over the last days follow each DAG's schedule, their outcome is drawn from a
//! generator seeded by (DAG, run), an unhealthy deployment's runs mostly fail, a DAG that
//! hangs has backfills that never end (`backfills`), and the stored user actions
//! (`overrides`) are replayed on top.

use rand::{Rng, RngCore};
use serde_json::Value;

use super::model::{Dag, Schedule};
use super::overrides::{Action, Override};
use crate::db::store::DeploymentRow;
use crate::sim::{Phase, SplitMix, Timeline, hash};

pub(super) const SECOND: i64 = 1_000;
pub(super) const DAY: i64 = 86_400_000;
/// How far back scheduled runs go, and how many per DAG at most.
pub(super) const HISTORY_MS: i64 = 3 * DAY;
const MAX_SCHEDULED_RUNS: usize = 25;

#[derive(Clone, Debug)]
pub(super) struct Ti {
    pub task_id: &'static str,
    /// A mapped task's instance (0..n); -1 for a task that is not mapped.
    pub map_index: i64,
    pub operator: &'static str,
    pub state: Option<&'static str>,
    pub try_number: u32,
    pub max_tries: u32,
    pub queued_ms: Option<i64>,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub hostname: String,
    pub priority_weight: i64,
}

#[derive(Clone, Debug)]
pub(super) struct Run {
    pub dag_id: String,
    pub run_id: String,
    pub run_type: &'static str,
    pub logical_ms: i64,
    pub interval: (i64, i64),
    pub queued_ms: i64,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub state: &'static str,
    pub conf: Value,
    pub tis: Vec<Ti>,
}

/// A deployment's Airflow at `now`: its DAGs and the actions users took.
pub(super) struct World<'a> {
    pub dep: &'a DeploymentRow,
    pub timeline: Timeline,
    pub now: i64,
    pub dags: Vec<Dag>,
    pub overrides: Vec<Override>,
}

/// Airflow's run id for a logical date (`scheduled__2026-12-07T03:00:00+00:00`).
pub(super) fn run_id(kind: &str, logical_ms: i64) -> String {
    format!("{kind}__{}", iso(logical_ms))
}

/// `2026-12-07T03:00:00+00:00` (Airflow 2's format; microseconds when there are any).
pub(super) fn iso(ms: i64) -> String {
    let t = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    if ms % 1000 == 0 {
        t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
    }
}

impl<'a> World<'a> {
    /// This world with one more action taken now (what the next read will see).
    pub fn with(&self, o: Override) -> World<'a> {
        let mut overrides = self.overrides.clone();
        overrides.push(o);
        World {
            dep: self.dep,
            timeline: self.timeline.clone(),
            now: self.now,
            dags: self.dags.clone(),
            overrides,
        }
    }

    pub fn dag(&self, dag_id: &str) -> Option<&Dag> {
        self.dags.iter().find(|d| d.dag_id == dag_id)
    }

    fn actions_of<'b>(&'b self, dag_id: &'b str) -> impl Iterator<Item = &'b Override> + 'b {
        self.overrides
            .iter()
            .filter(move |o| o.dag_id == dag_id && o.at_ms <= self.now)
    }

    /// When a DAG paused by default was paused: two days before today.
    fn default_pause_ms(&self) -> i64 {
        self.now - self.now.rem_euclid(DAY) - 2 * DAY
    }

    pub fn paused_at(&self, dag: &Dag, t: i64) -> bool {
        let mut paused = dag.paused_by_default && t >= self.default_pause_ms();
        for o in self.actions_of(&dag.dag_id) {
            if let Action::Pause { paused: p } = o.action
                && o.at_ms <= t
            {
                paused = p;
            }
        }
        paused
    }

    /// The first moment at or after `t` when the DAG is not paused.
    fn unpaused_from(&self, dag: &Dag, t: i64) -> Option<i64> {
        if !self.paused_at(dag, t) {
            return Some(t);
        }
        self.actions_of(&dag.dag_id)
            .filter(|o| o.at_ms > t && matches!(o.action, Action::Pause { paused: false }))
            .map(|o| o.at_ms)
            .find(|at| !self.paused_at(dag, *at))
    }

    /// The next scheduled logical date and when that run will be created.
    pub fn next_dagrun(&self, dag: &Dag) -> Option<(i64, i64)> {
        let s = dag.schedule?;
        let end = boundary_after(s, self.now);
        Some((end - s.period_ms, end))
    }

    /// Every run of a DAG that exists at `now`, oldest logical date first.
    pub fn runs(&self, dag: &Dag) -> Vec<Run> {
        let mut runs = Vec::new();
        if let Some(s) = dag.schedule {
            let earliest = (self.now - HISTORY_MS).max(self.timeline.created_ms);
            let mut end = boundary_after(s, self.now) - s.period_ms;
            while runs.len() < MAX_SCHEDULED_RUNS && end - s.period_ms >= earliest {
                let logical = end - s.period_ms;
                let start = end
                    + SECOND * 2
                    + (hash(&[&dag.seed.to_le_bytes(), &logical.to_le_bytes()]) % 20_000) as i64;
                if start <= self.now && !self.paused_at(dag, start) {
                    let id = run_id("scheduled", logical);
                    runs.push(self.run(
                        dag,
                        id,
                        "scheduled",
                        logical,
                        (logical, end),
                        Some(start),
                        Value::Object(Default::default()),
                    ));
                }
                end -= s.period_ms;
            }
        }
        if dag.hangs {
            runs.extend(self.backfills(dag));
        }
        for o in self.actions_of(&dag.dag_id) {
            if let Action::Trigger {
                run_id,
                logical_ms,
                conf,
            } = &o.action
            {
                let start = self.unpaused_from(dag, o.at_ms).map(|t| t + 2 * SECOND);
                let start = start.filter(|s| *s <= self.now);
                let mut run = self.run(
                    dag,
                    run_id.clone(),
                    "manual",
                    *logical_ms,
                    (*logical_ms, *logical_ms),
                    start,
                    conf.clone(),
                );
                run.queued_ms = o.at_ms;
                runs.push(run);
            }
        }
        runs.sort_by(|a, b| {
            a.logical_ms
                .cmp(&b.logical_ms)
                .then(a.run_id.cmp(&b.run_id))
        });
        for run in &mut runs {
            self.replay(dag, run);
        }
        runs
    }

    pub fn run_by_id(&self, dag: &Dag, run_id: &str) -> Option<Run> {
        self.runs(dag).into_iter().find(|r| r.run_id == run_id)
    }

    fn fails(&self, t: i64, rng: &mut SplitMix) -> bool {
        let p = if self.timeline.phase_at(t) == Phase::Unhealthy {
            0.7
        } else {
            0.07
        };
        rng.unit() < p
    }

    /// A run as the scheduler would have left it at `now`; `start` None = still queued.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run(
        &self,
        dag: &Dag,
        run_id: String,
        run_type: &'static str,
        logical_ms: i64,
        interval: (i64, i64),
        start: Option<i64>,
        conf: Value,
    ) -> Run {
        let mut rng = SplitMix::new(hash(&[&dag.seed.to_le_bytes(), run_id.as_bytes()]));
        let queued_ms = start.map_or(logical_ms, |s| s - SECOND);
        let failing = match start {
            Some(s) if self.fails(s, &mut rng) => Some(rng.random_range(0..dag.tasks.len())),
            _ => None,
        };
        let mut tis = Vec::with_capacity(dag.tasks.len());
        let mut cursor = start;
        let mut failed_at = None;
        for (i, task) in dag.tasks.iter().enumerate() {
            let mut ti = Ti {
                task_id: task.task_id,
                map_index: if task.mapped > 0 { 0 } else { -1 },
                operator: task.operator,
                state: None,
                try_number: 0,
                max_tries: dag.retries,
                queued_ms: None,
                start_ms: None,
                end_ms: None,
                hostname: String::new(),
                priority_weight: (dag.tasks.len() - i) as i64,
            };
            let retried = dag.retries > 0 && rng.unit() < 0.05;
            let duration = task.duration_ms * (100 + rng.random_range(0..50)) / 100;
            let Some(at) = cursor else {
                if failed_at.is_some() {
                    ti.state = Some("upstream_failed");
                }
                tis.extend(instances(ti, task.mapped));
                continue;
            };
            let begin = at + SECOND + rng.random_range(0..2_000);
            ti.queued_ms = Some(at);
            if self.now < begin {
                ti.state = Some("queued");
                cursor = None;
                tis.extend(instances(ti, task.mapped));
                continue;
            }
            ti.start_ms = Some(begin);
            ti.hostname = self.hostname(dag, task.task_id, &mut rng);
            ti.try_number = if retried { 2 } else { 1 };
            // A failing mapped task fails in one of its instances; the others succeed.
            let failing_index = (failing == Some(i)).then(|| {
                let pick = hash(&[
                    &dag.seed.to_le_bytes(),
                    run_id.as_bytes(),
                    task.task_id.as_bytes(),
                ]);
                if task.mapped > 0 {
                    (pick % task.mapped as u64) as i64
                } else {
                    -1
                }
            });
            let mut any_running = false;
            let mut any_failed = false;
            let mut last_end = begin;
            for mut ti in instances(ti, task.mapped) {
                // Instance 0 (or the task) takes the run's draws, so that mapping changes
                // nothing else; the others are a little shorter and run on their own hosts.
                let mut duration = duration;
                if ti.map_index > 0 {
                    let mut own = SplitMix::new(hash(&[
                        &dag.seed.to_le_bytes(),
                        run_id.as_bytes(),
                        task.task_id.as_bytes(),
                        &ti.map_index.to_le_bytes(),
                    ]));
                    duration = duration * own.random_range(60..=100) / 100;
                    ti.hostname = self.hostname(dag, task.task_id, &mut own);
                }
                let fails = failing_index == Some(ti.map_index);
                let end = if fails {
                    ti.try_number = dag.retries + 1;
                    begin + duration / 3
                } else {
                    begin + duration
                };
                if self.now < end {
                    ti.state = Some("running");
                    any_running = true;
                } else {
                    ti.end_ms = Some(end);
                    ti.state = Some(if fails { "failed" } else { "success" });
                    any_failed |= fails;
                    last_end = last_end.max(end);
                }
                tis.push(ti);
            }
            if any_running {
                cursor = None;
            } else if any_failed {
                failed_at = Some(last_end);
                cursor = None;
            } else {
                cursor = Some(last_end);
            }
        }
        let mut run = Run {
            dag_id: dag.dag_id.clone(),
            run_id,
            run_type,
            logical_ms,
            interval,
            queued_ms,
            start_ms: start,
            end_ms: None,
            state: "queued",
            conf,
            tis,
        };
        derive_state(&mut run);
        run
    }

    pub(super) fn hostname(&self, dag: &Dag, task: &str, rng: &mut SplitMix) -> String {
        let release = &self.dep.release_name;
        match self.dep.executor.as_str() {
            "CeleryExecutor" => format!("{release}-worker-{}", rng.random_range(0..3)),
            "KubernetesExecutor" => format!(
                "{}-{}-{:08x}",
                dag.dag_id.replace('_', "-"),
                task.replace('_', "-"),
                rng.next_u32()
            ),
            _ => format!("{release}-scheduler-{:05x}", rng.next_u32() & 0xfffff),
        }
    }

    /// Replays the clear and mark actions on one run, in the order users took them.
    fn replay(&self, dag: &Dag, run: &mut Run) {
        let mut fixed: Option<&'static str> = None;
        let mut touched = false;
        for o in self.actions_of(&dag.dag_id) {
            match &o.action {
                Action::MarkTask {
                    run_id,
                    task_id,
                    map_index,
                    state,
                } if *run_id == run.run_id => {
                    let ti = run
                        .tis
                        .iter_mut()
                        .find(|t| t.task_id == task_id && t.map_index == *map_index);
                    if let Some(ti) = ti {
                        ti.state = Some(ti_state(state));
                        ti.end_ms = Some(ti.end_ms.unwrap_or(o.at_ms));
                        ti.start_ms = Some(ti.start_ms.unwrap_or(o.at_ms));
                    }
                    fixed = None;
                    touched = true;
                }
                Action::MarkRun { run_id, state } if *run_id == run.run_id => {
                    let success = state == "success";
                    for ti in &mut run.tis {
                        let finished = matches!(
                            ti.state,
                            Some("success" | "failed" | "skipped" | "upstream_failed")
                        );
                        if success && ti.state != Some("success") {
                            ti.state = Some("success");
                        } else if !success && ti.state == Some("running") {
                            ti.state = Some("failed");
                        } else if !success && !finished {
                            ti.state = Some("skipped");
                        }
                        ti.end_ms = Some(ti.end_ms.unwrap_or(o.at_ms));
                    }
                    fixed = Some(if success { "success" } else { "failed" });
                    run.end_ms = Some(run.end_ms.unwrap_or(o.at_ms));
                }
                Action::Clear {
                    run_id,
                    tasks,
                    instances,
                } if *run_id == run.run_id => {
                    let cleared = |t: &Ti| {
                        tasks.iter().any(|x| x == t.task_id)
                            || instances
                                .iter()
                                .any(|(x, m)| x == t.task_id && *m == t.map_index)
                    };
                    self.rerun(dag, run, &cleared, o.at_ms);
                    fixed = None;
                    touched = true;
                }
                _ => {}
            }
        }
        if let Some(state) = fixed {
            run.state = state;
        } else if touched {
            derive_state(run);
        }
    }

    /// Cleared task instances run again from `at`, task after task (a mapped task's
    /// instances side by side), each with one more try.
    fn rerun(&self, dag: &Dag, run: &mut Run, cleared: &dyn Fn(&Ti) -> bool, at: i64) {
        let mut cursor = at + 3 * SECOND;
        let mut rng = SplitMix::new(hash(&[
            &dag.seed.to_le_bytes(),
            run.run_id.as_bytes(),
            &at.to_le_bytes(),
        ]));
        for task in &dag.tasks {
            let mut next = None;
            for ti in run.tis.iter_mut() {
                if ti.task_id != task.task_id || !cleared(ti) {
                    continue;
                }
                ti.try_number += 1;
                ti.max_tries = ti.max_tries.max(ti.try_number - 1 + dag.retries);
                ti.queued_ms = Some(cursor);
                ti.end_ms = None;
                let begin = cursor + SECOND;
                let end = begin + task.duration_ms;
                if self.now < begin {
                    ti.state = Some("queued");
                    ti.start_ms = None;
                } else if self.now < end {
                    ti.state = Some("running");
                    ti.start_ms = Some(begin);
                    ti.hostname = self.hostname(dag, task.task_id, &mut rng);
                } else {
                    ti.start_ms = Some(begin);
                    ti.end_ms = Some(end);
                    ti.hostname = self.hostname(dag, task.task_id, &mut rng);
                    ti.state = Some(if self.fails(begin, &mut rng) {
                        "failed"
                    } else {
                        "success"
                    });
                }
                next = Some(end);
            }
            if let Some(end) = next {
                cursor = end;
            }
        }
        run.end_ms = None;
    }
}

/// A task's instances in a run: the task itself, or a mapped task's `mapped` instances (map
/// index 0..n) alike but for their index.
fn instances(ti: Ti, mapped: usize) -> Vec<Ti> {
    if mapped == 0 {
        return vec![ti];
    }
    (0..mapped as i64)
        .map(|m| Ti {
            map_index: m,
            ..ti.clone()
        })
        .collect()
}

/// The first schedule boundary strictly after `t`.
fn boundary_after(s: Schedule, t: i64) -> i64 {
    (t - s.offset_ms).div_euclid(s.period_ms) * s.period_ms + s.offset_ms + s.period_ms
}

fn ti_state(s: &str) -> &'static str {
    match s {
        "success" => "success",
        "failed" => "failed",
        "skipped" => "skipped",
        _ => "success",
    }
}

/// A run's state from its task instances: work in progress keeps it running (queued while
/// nothing started), then any failure fails it.
pub(super) fn derive_state(run: &mut Run) {
    let any = |f: &dyn Fn(Option<&str>) -> bool| run.tis.iter().any(|t| f(t.state));
    let active = any(&|s| matches!(s, Some("running" | "queued" | "scheduled")));
    let failed = any(&|s| matches!(s, Some("failed" | "upstream_failed")));
    let pending = any(&|s| s.is_none());
    let started = run.tis.iter().any(|t| t.start_ms.is_some());
    let last_end = run.tis.iter().filter_map(|t| t.end_ms).max();
    if run.start_ms.is_none() {
        run.state = "queued";
        run.end_ms = None;
    } else if active || (pending && !failed) {
        run.state = if started { "running" } else { "queued" };
        run.end_ms = None;
    } else {
        run.state = if failed { "failed" } else { "success" };
        run.end_ms = last_end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::airflow::model;

    fn world(dep: &DeploymentRow, now: i64, overrides: Vec<Override>) -> World<'_> {
        World {
            dep,
            timeline: Timeline::of(dep, None),
            now,
            dags: model::dags(dep),
            overrides,
        }
    }

    const NOW: i64 = 1_796_000_000_000;

    #[test]
    fn runs_are_the_same_at_the_same_moment() {
        let dep = model::tests::row("quasar-1234", false);
        let a = world(&dep, NOW, vec![]);
        let b = world(&dep, NOW, vec![]);
        for dag in &a.dags {
            let ra: Vec<_> = a
                .runs(dag)
                .iter()
                .map(|r| (r.run_id.clone(), r.state))
                .collect();
            let rb: Vec<_> = b
                .runs(dag)
                .iter()
                .map(|r| (r.run_id.clone(), r.state))
                .collect();
            assert_eq!(ra, rb);
        }
    }

    #[test]
    fn an_unhealthy_deployment_fails_most_runs() {
        let count = |unhealthy: bool| {
            let dep = model::tests::row("quasar-1234", unhealthy);
            let w = world(&dep, NOW, vec![]);
            let runs: Vec<Run> = w.dags.iter().flat_map(|d| w.runs(d)).collect();
            let failed = runs.iter().filter(|r| r.state == "failed").count();
            (failed, runs.len())
        };
        let (bad, all) = count(true);
        assert!(all > 20 && bad * 2 > all, "{bad} of {all} failed");
        let (bad, all) = count(false);
        assert!(bad * 5 < all, "{bad} of {all} failed");
    }

    #[test]
    fn a_failed_task_leaves_its_downstream_upstream_failed() {
        let dep = model::tests::row("quasar-1234", true);
        let w = world(&dep, NOW, vec![]);
        let run = w
            .dags
            .iter()
            .flat_map(|d| w.runs(d))
            .find(|r| r.state == "failed");
        let run = run.expect("a failed run");
        let i = run
            .tis
            .iter()
            .position(|t| t.state == Some("failed"))
            .expect("a failed task");
        assert!(run.tis[..i].iter().all(|t| t.state == Some("success")));
        assert!(
            run.tis[i + 1..]
                .iter()
                .all(|t| t.state == Some("upstream_failed"))
        );
    }
}
