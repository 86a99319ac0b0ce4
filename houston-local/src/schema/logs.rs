//! Where the `logs` query and the `log` subscription get their lines: the simulated timeline
//! of the deployment (`sim::logs`), as of the deployment's current row.

use crate::db::store::{self, DeploymentRow};
use crate::sim::Timeline;
use crate::sim::logs::LogSource;
use crate::state::State;

/// The deployment's log lines (`None` when log lines are switched off).
pub(crate) fn source(state: &State, d: &DeploymentRow) -> rusqlite::Result<Option<LogSource>> {
    let changed = state.db.read(|c| store::health_changed_at(c, &d.id))?;
    Ok(LogSource::new(
        d,
        Timeline::of(d, changed),
        state.log_interval_ms,
    ))
}

/// Re-read a deployment and its log lines; `None` once it has been deleted.
pub(crate) fn reload(state: &State, id: &str) -> rusqlite::Result<Option<Option<LogSource>>> {
    match state.db.read(|c| store::deployment_by_id(c, id))? {
        Some(d) => Ok(Some(source(state, &d)?)),
        None => Ok(None),
    }
}
