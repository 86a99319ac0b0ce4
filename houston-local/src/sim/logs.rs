//! A deployment's log timeline, computed instead of stored. Component `c` writes its line `k`
//! at `k × interval + jitter(deployment, c, k)`, the jitter below one interval, so each
//! component's lines are strictly ordered in time, and a line's id, timestamp and text are the
//! same whoever asks and whenever. Only the newest `KEEP_PER_COMPONENT` lines of a component
//! exist (the retention a log store would have), and none before the deployment was created.

use super::{SplitMix, Timeline, components, hash, lines};
use crate::db::store::DeploymentRow;

/// Lines kept per component: the window `logs` searches.
pub(crate) const KEEP_PER_COMPONENT: i64 = 2000;
/// Houston returns at most the newest 800 matching records.
pub(crate) const MAX_RECORDS: usize = 800;

/// One log line (`DeploymentLog`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LogRecord {
    /// Stable: `<release>.<component>.<line number>`.
    pub(crate) id: String,
    pub(crate) release: String,
    pub(crate) component: String,
    pub(crate) ts_ms: i64,
    pub(crate) level: String,
    pub(crate) message: String,
}

/// Which lines a reader wants: one component or all; a case-insensitive phrase or anything.
#[derive(Clone, Debug, Default)]
pub(crate) struct Filter {
    pub(crate) component: Option<String>,
    search_lower: Option<String>,
}

impl Filter {
    pub(crate) fn new(component: Option<&str>, search: Option<&str>) -> Self {
        Filter {
            component: component.map(str::to_string),
            search_lower: search.map(str::to_lowercase),
        }
    }

    fn matches(&self, message: &str) -> bool {
        self.search_lower
            .as_deref()
            .is_none_or(|s| message.to_lowercase().contains(s))
    }
}

/// The log lines of one deployment.
#[derive(Clone, Debug)]
pub(crate) struct LogSource {
    release: String,
    components: &'static [&'static str],
    timeline: Timeline,
    interval_ms: i64,
    seed: u64,
}

impl LogSource {
    /// `None` when log lines are switched off (`interval_ms == 0`).
    pub(crate) fn new(d: &DeploymentRow, timeline: Timeline, interval_ms: u64) -> Option<Self> {
        let interval_ms = i64::try_from(interval_ms).ok().filter(|i| *i > 0)?;
        Some(LogSource {
            release: d.release_name.clone(),
            components: components(&d.executor),
            timeline,
            interval_ms,
            seed: hash(&[d.id.as_bytes()]),
        })
    }

    /// Indices of the components `filter` selects (an unknown component selects none).
    fn selected<'a>(&'a self, filter: &'a Filter) -> impl Iterator<Item = usize> + 'a {
        (0..self.components.len()).filter(move |ci| {
            filter
                .component
                .as_deref()
                .is_none_or(|c| c == self.components[*ci])
        })
    }

    fn time_of(&self, ci: usize, k: i64) -> i64 {
        let jitter = hash(&[
            &self.seed.to_le_bytes(),
            &(ci as u64).to_le_bytes(),
            &k.to_le_bytes(),
        ]) % self.interval_ms as u64;
        k * self.interval_ms + jitter as i64
    }

    /// The newest line of component `ci` at or before `t`.
    fn last_at_or_before(&self, ci: usize, t: i64) -> i64 {
        let k = t.div_euclid(self.interval_ms);
        if self.time_of(ci, k) <= t { k } else { k - 1 }
    }

    /// Lines at or after this moment exist when the newest line is at `now_ms`.
    fn oldest_kept(&self, now_ms: i64) -> i64 {
        let kept = KEEP_PER_COMPONENT.saturating_mul(self.interval_ms);
        self.timeline.created_ms.max(now_ms.saturating_sub(kept))
    }

    fn record(&self, ci: usize, k: i64, ts_ms: i64) -> LogRecord {
        let component = self.components[ci];
        let mut rng = SplitMix::new(hash(&[
            &self.seed.to_le_bytes(),
            component.as_bytes(),
            &k.to_le_bytes(),
        ]));
        let phase = self.timeline.phase_at(ts_ms);
        let (level, message) = lines::line(component, phase, &self.release, ts_ms, &mut rng);
        LogRecord {
            id: format!("{}.{component}.{k}", self.release),
            release: self.release.clone(),
            component: component.to_string(),
            ts_ms,
            level: level.to_string(),
            message,
        }
    }

    /// The newest `limit` lines matching `filter` with `after_ms < timestamp <= until_ms`
    /// (`until_ms` is "now" for the reader), oldest first.
    pub(crate) fn records(
        &self,
        filter: &Filter,
        after_ms: i64,
        until_ms: i64,
        limit: usize,
    ) -> Vec<LogRecord> {
        let floor = after_ms.max(self.oldest_kept(until_ms) - 1);
        // Times first (cheap), text only for the lines that may be returned.
        let mut candidates: Vec<(i64, usize, i64)> = Vec::new();
        for ci in self.selected(filter) {
            let mut k = self.last_at_or_before(ci, until_ms);
            loop {
                let ts = self.time_of(ci, k);
                if ts <= floor {
                    break;
                }
                candidates.push((ts, ci, k));
                k -= 1;
            }
        }
        candidates.sort_unstable_by_key(|c| std::cmp::Reverse((c.0, c.1)));
        let mut out: Vec<LogRecord> = candidates
            .into_iter()
            .map(|(ts, ci, k)| self.record(ci, k, ts))
            .filter(|r| filter.matches(&r.message))
            .take(limit)
            .collect();
        out.reverse();
        out
    }

    /// When the next line `filter` selects is written after `t_ms` (None: no component selected).
    pub(crate) fn next_after(&self, filter: &Filter, t_ms: i64) -> Option<i64> {
        self.selected(filter)
            .map(|ci| self.time_of(ci, self.last_at_or_before(ci, t_ms) + 1))
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000_000;

    fn source(executor: &str, interval: u64) -> LogSource {
        let d = DeploymentRow {
            id: "dep-1".into(),
            workspace_id: "w".into(),
            label: "d".into(),
            description: None,
            release_name: "rel-1".into(),
            executor: executor.into(),
            airflow_version: "2.9.2".into(),
            desired_airflow_version: "2.9.2".into(),
            version: "1.10.0".into(),
            config: "{}".into(),
            properties: "{}".into(),
            deploy_count: 0,
            deploying_until: 0,
            unhealthy: false,
            runtime_version: None,
            desired_runtime_version: None,
            namespace: None,
            adopted: false,
            created_at: crate::db::store::fmt_ms(T0 - 3_600_000),
            updated_at: crate::db::store::fmt_ms(T0 - 3_600_000),
        };
        LogSource::new(&d, Timeline::of(&d, None), interval).unwrap()
    }

    #[test]
    fn the_same_question_gets_the_same_lines() {
        let s = source("CeleryExecutor", 1000);
        let all = Filter::default();
        let a = s.records(&all, i64::MIN, T0, MAX_RECORDS);
        assert_eq!(a, s.records(&all, i64::MIN, T0, MAX_RECORDS));
        assert_eq!(a.len(), MAX_RECORDS);
        assert!(a.windows(2).all(|w| w[0].ts_ms <= w[1].ts_ms));
        assert!(a.iter().all(|r| r.ts_ms <= T0));
        // About one line per component per interval: 800 lines cover ~200 s of 4 components.
        assert!(a[0].ts_ms > T0 - 202_000 && a[0].ts_ms < T0 - 198_000);
        // Later readers see the same lines with the same ids, plus newer ones.
        let later = s.records(&all, a[700].ts_ms, T0 + 5_000, MAX_RECORDS);
        assert_eq!(later[..99], a[701..]);
        assert!(later.len() > 99 && later.iter().all(|r| r.ts_ms > a[700].ts_ms));
    }

    #[test]
    fn each_component_writes_one_line_per_interval_in_order() {
        let s = source("LocalExecutor", 50);
        let f = Filter::new(Some("webserver"), None);
        let lines = s.records(&f, T0 - 10_000, T0, MAX_RECORDS);
        assert_eq!(lines.len(), 200);
        assert!(lines.windows(2).all(|w| w[0].ts_ms < w[1].ts_ms));
        assert!(lines.iter().all(|r| r.component == "webserver"));
        let ids: std::collections::HashSet<_> = lines.iter().map(|r| &r.id).collect();
        assert_eq!(ids.len(), lines.len());
        // LocalExecutor has no worker; unknown components have no lines.
        assert!(
            s.records(&Filter::new(Some("worker"), None), i64::MIN, T0, 10)
                .is_empty()
        );
        assert_eq!(s.next_after(&Filter::new(Some("worker"), None), T0), None);
    }

    #[test]
    fn next_after_is_the_next_line() {
        let s = source("CeleryExecutor", 1000);
        let f = Filter::default();
        let next = s.next_after(&f, T0).unwrap();
        assert!(next > T0 && next <= T0 + 1000);
        assert!(s.records(&f, T0, next - 1, 10).is_empty());
        let got = s.records(&f, T0, next, 10);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].ts_ms, next);
    }

    #[test]
    fn retention_and_creation_bound_the_history() {
        let s = source("CeleryExecutor", 1000);
        let f = Filter::new(Some("scheduler"), Some("HEARTBEAT"));
        // Created an hour before T0, so 2000 s of retention is the bound.
        let hits = s.records(&f, i64::MIN, T0, MAX_RECORDS);
        assert!(!hits.is_empty() && hits.len() < 2000);
        assert!(hits.iter().all(|r| r.ts_ms > T0 - 2_001_000));
        assert!(
            hits.iter()
                .all(|r| r.message.to_lowercase().contains("heartbeat"))
        );
        // Nothing before the deployment existed.
        assert!(
            s.records(&Filter::default(), i64::MIN, T0 - 3_600_001, 10)
                .is_empty()
        );
    }
}
