//! System-level reads real tools send to APC (orbis, the System Admin pages): `sysWorkspaces`
//! and `deploymentTaskUsage`. Task counts are simulated, deterministically from the
//! deployment's release name and the days of the range, like the logs and metrics.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime as ChronoTime, Duration, NaiveDate, Utc};

use super::types::Workspace;
use super::{DateTime, dep_entity, read, require};
use crate::db::store;
use crate::error::{bad_input, not_found};
use crate::rbac::{Entity, Permission};

/// The default range: the last 30 days.
const DEFAULT_DAYS: i64 = 30;
/// Ranges longer than this are refused (ten years).
const MAX_DAYS: i64 = 3660;

#[derive(SimpleObject)]
pub struct DeploymentTaskUsage {
    pub count_successful_tasks: i64,
    pub count_failed_tasks: i64,
    pub count_total_tasks: i64,
    pub start_date_range: DateTime,
    pub end_date_range: DateTime,
}

/// `2026-12-01` or an RFC 3339 time.
fn parse_time(s: &str) -> Option<ChronoTime<Utc>> {
    if let Ok(t) = ChronoTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// FNV-1a: stable across runs and platforms.
fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Successful and failed task runs of one deployment on one day (days since the epoch).
pub fn day_counts(release: &str, day: i64, unhealthy: bool) -> (i64, i64) {
    let h = fnv(&[release.as_bytes(), &day.to_le_bytes()]);
    let success = 40 + (h % 60) as i64;
    let failed = if unhealthy {
        30 + ((h >> 16) % 20) as i64
    } else {
        ((h >> 16) % 3) as i64
    };
    (success, failed)
}

fn fmt(t: ChronoTime<Utc>) -> DateTime {
    DateTime(t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

#[derive(Default)]
pub struct SystemQuery;

#[Object]
impl SystemQuery {
    /// Every workspace (system viewers and up; others get a permission error).
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn sys_workspaces(&self, ctx: &Context<'_>) -> Result<Vec<Workspace>> {
        require(ctx, &[Permission::SystemWorkspaceGet], Entity::System)?;
        let rows = read(ctx, |c| Ok(store::all_workspaces(c)?))?;
        Ok(rows.into_iter().map(Workspace::loaded).collect())
    }

    /// Task runs of a deployment between `startDate` (default 30 days before `endDate`) and
    /// `endDate` (default now), counted per whole UTC day the range touches.
    #[graphql(visible = "crate::versioning::since_1_0")]
    async fn deployment_task_usage(
        &self,
        ctx: &Context<'_>,
        release_name: String,
        start_date: Option<DateTime>,
        end_date: Option<DateTime>,
    ) -> Result<DeploymentTaskUsage> {
        let d = read(ctx, |c| {
            Ok(store::deployment_by_release(c, release_name.trim())?)
        })?
        .ok_or_else(not_found)?;
        require(
            ctx,
            &[
                Permission::DeploymentTaskUsageGet,
                Permission::SystemTaskUsageGet,
            ],
            dep_entity(&d),
        )?;
        let time = |v: &Option<DateTime>, name: &str| -> Result<Option<ChronoTime<Utc>>> {
            match v.as_ref().map(|v| v.0.trim()).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => parse_time(s).map(Some).ok_or_else(|| {
                    bad_input(format!(
                        "Invalid {name}: {s} (expected YYYY-MM-DD or an RFC 3339 time)"
                    ))
                }),
            }
        };
        let end = time(&end_date, "endDate")?.unwrap_or_else(Utc::now);
        let start =
            time(&start_date, "startDate")?.unwrap_or_else(|| end - Duration::days(DEFAULT_DAYS));
        if start > end {
            return Err(bad_input("startDate must not be after endDate"));
        }
        let (first, last) = (
            start.timestamp().div_euclid(86_400),
            end.timestamp().div_euclid(86_400),
        );
        if last - first > MAX_DAYS {
            return Err(bad_input(format!(
                "The range is too long: at most {MAX_DAYS} days"
            )));
        }
        let (mut ok, mut failed) = (0, 0);
        for day in first..=last {
            let (s, f) = day_counts(&d.release_name, day, d.unhealthy);
            ok += s;
            failed += f;
        }
        Ok(DeploymentTaskUsage {
            count_successful_tasks: ok,
            count_failed_tasks: failed,
            count_total_tasks: ok + failed,
            start_date_range: fmt(start),
            end_date_range: fmt(end),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_stable_and_unhealthy_fails_more() {
        assert_eq!(
            day_counts("a-1", 20_000, false),
            day_counts("a-1", 20_000, false)
        );
        let (s, f) = day_counts("a-1", 20_000, false);
        assert!((40..100).contains(&s) && f < 3);
        let (_, f) = day_counts("a-1", 20_000, true);
        assert!(f >= 30);
        assert!(parse_time("2026-12-01").is_some());
        assert!(parse_time("2026-12-01T10:00:00Z").is_some());
        assert!(parse_time("yesterday").is_none());
    }
}
