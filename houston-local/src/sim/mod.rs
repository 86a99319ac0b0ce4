//! Simulation of what Kubernetes, Airflow and Prometheus would report for a deployment: log
//! lines (`logs`, `log`) and metrics (`metrics`). Everything is computed on demand and
//! deterministically from (deployment, component, time), so nothing runs and nothing is
//! written while nobody reads, and the same question always gets the same answer.
//! (Deployment status needs no simulation: it is derived from `deploying_until`/`unhealthy`.)

pub mod lines;
pub mod logs;
pub mod metrics;

use rand::RngCore;

use crate::db::store::DeploymentRow;

/// The Airflow components that write logs, per executor (Elasticsearch's `component` label).
pub(crate) fn components(executor: &str) -> &'static [&'static str] {
    if executor == "CeleryExecutor" {
        &["scheduler", "webserver", "worker", "triggerer"]
    } else {
        &["scheduler", "webserver", "triggerer"]
    }
}

/// A stable 64-bit hash of some parts (FNV-1a, then a SplitMix64 finaliser to spread the
/// bits). Unlike `std`'s hasher it is specified, so simulated data stays the same across builds.
pub(crate) fn hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.iter().chain(std::iter::once(&0xff)) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    mix(h)
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A deterministic random-number generator (SplitMix64): one seed, one sequence, in every build.
pub(crate) struct SplitMix(u64);

impl SplitMix {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    /// A number in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl RngCore for SplitMix {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// What the simulated Kubernetes would be doing at some moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Pods of a new or changed deployment are starting.
    Deploying,
    Healthy,
    /// The scheduler is crash-looping: heartbeats stop, tasks fail.
    Unhealthy,
}

/// The longest DEPLOYING period shown as such in logs and metrics history.
const MAX_DEPLOY_WINDOW_MS: i64 = 10 * 60_000;

/// A deployment's history as far as the simulation needs it, from stored columns only.
#[derive(Clone, Debug)]
pub(crate) struct Timeline {
    pub(crate) created_ms: i64,
    deploy_start_ms: i64,
    deploying_until: i64,
    unhealthy: bool,
    /// When `unhealthy` last changed; before that the deployment was in the other state.
    health_changed_ms: Option<i64>,
}

fn parse_ms(ts: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(ts)
        .ok()
        .map(|t| t.timestamp_millis())
}

impl Timeline {
    pub(crate) fn of(d: &DeploymentRow, health_changed_ms: Option<i64>) -> Self {
        let created_ms = parse_ms(&d.created_at).unwrap_or(0);
        // A deploy starts when the deployment is changed (`updatedAt`), bounded so a seeded or
        // long-ago change does not stretch the period.
        let updated = parse_ms(&d.updated_at).unwrap_or(created_ms);
        let deploy_start_ms = updated
            .max(d.deploying_until - MAX_DEPLOY_WINDOW_MS)
            .min(d.deploying_until);
        Timeline {
            created_ms,
            deploy_start_ms,
            deploying_until: d.deploying_until,
            unhealthy: d.unhealthy,
            health_changed_ms,
        }
    }

    pub(crate) fn phase_at(&self, t_ms: i64) -> Phase {
        if (self.deploy_start_ms..self.deploying_until).contains(&t_ms) {
            return Phase::Deploying;
        }
        let unhealthy = match self.health_changed_ms {
            Some(changed) if t_ms < changed => !self.unhealthy,
            _ => self.unhealthy,
        };
        if unhealthy {
            Phase::Unhealthy
        } else {
            Phase::Healthy
        }
    }

    /// When the phase in force at `t_ms` began (pods restarted then; counters reset).
    pub(crate) fn phase_start(&self, t_ms: i64) -> i64 {
        [
            Some(self.created_ms),
            Some(self.deploy_start_ms),
            Some(self.deploying_until),
            self.health_changed_ms,
        ]
        .into_iter()
        .flatten()
        .filter(|b| *b <= t_ms)
        .max()
        .unwrap_or(self.created_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn row(created: &str, updated: &str, deploying_until: i64, unhealthy: bool) -> DeploymentRow {
        DeploymentRow {
            id: "d1".into(),
            workspace_id: "w".into(),
            label: "d".into(),
            description: None,
            release_name: "r".into(),
            executor: "CeleryExecutor".into(),
            airflow_version: "2.9.2".into(),
            desired_airflow_version: "2.9.2".into(),
            version: "1.10.0".into(),
            config: "{}".into(),
            properties: "{}".into(),
            deploy_count: 0,
            deploying_until,
            unhealthy,
            runtime_version: None,
            desired_runtime_version: None,
            namespace: None,
            adopted: false,
            created_at: created.into(),
            updated_at: updated.into(),
        }
    }

    #[test]
    fn hashing_and_random_numbers_are_fixed() {
        assert_eq!(hash(&[b"a", b"b"]), hash(&[b"a", b"b"]));
        assert_ne!(hash(&[b"ab"]), hash(&[b"a", b"b"]));
        let mut a = SplitMix::new(7);
        let mut b = SplitMix::new(7);
        let xs: Vec<u32> = (0..5).map(|_| a.random_range(0..1000)).collect();
        let ys: Vec<u32> = (0..5).map(|_| b.random_range(0..1000)).collect();
        assert_eq!(xs, ys);
        assert!((0..100).all(|_| (0.0..1.0).contains(&a.unit())));
    }

    #[test]
    fn phases_follow_deploys_and_health_changes() {
        // Created at 0 ms; changed (deploy) at 10 s, DEPLOYING until 15 s.
        let d = row(
            "1970-01-01T00:00:00.000Z",
            "1970-01-01T00:00:10.000Z",
            15_000,
            false,
        );
        let t = Timeline::of(&d, None);
        assert_eq!(t.phase_at(9_999), Phase::Healthy);
        assert_eq!(t.phase_at(10_000), Phase::Deploying);
        assert_eq!(t.phase_at(15_000), Phase::Healthy);
        assert_eq!(t.phase_start(12_000), 10_000);
        assert_eq!(t.phase_start(20_000), 15_000);
        // Marked UNHEALTHY at 30 s: healthy before, unhealthy after.
        let d = row(
            "1970-01-01T00:00:00.000Z",
            "1970-01-01T00:00:00.000Z",
            0,
            true,
        );
        let t = Timeline::of(&d, Some(30_000));
        assert_eq!(t.phase_at(29_999), Phase::Healthy);
        assert_eq!(t.phase_at(30_000), Phase::Unhealthy);
        assert_eq!(t.phase_start(40_000), 30_000);
        // No recorded change: unhealthy all along.
        assert_eq!(Timeline::of(&d, None).phase_at(1), Phase::Unhealthy);
    }
}
