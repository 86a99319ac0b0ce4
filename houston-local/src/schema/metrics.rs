//! The `metrics` subscription's types, as Houston declares them: `MetricType` and `Metric`.

use async_graphql::{Enum, SimpleObject};

use super::Json;
use crate::db::store::{self, DeploymentRow};
use crate::sim::Timeline;
use crate::sim::metrics::{Kind, Model};
use crate::state::State;

// The variants are Houston's values (`DEPLOYMENT_STATUS`, …), prefix included.
#[allow(clippy::enum_variant_names)]
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum MetricType {
    DeploymentStatus,
    DeploymentTasks,
    DeploymentDatabase,
    DeploymentScheduler,
    DeploymentQuotas,
    DeploymentUsage,
}

impl MetricType {
    pub(crate) fn kind(self) -> Kind {
        match self {
            MetricType::DeploymentStatus => Kind::Status,
            MetricType::DeploymentTasks => Kind::Tasks,
            MetricType::DeploymentDatabase => Kind::Database,
            MetricType::DeploymentScheduler => Kind::Scheduler,
            MetricType::DeploymentQuotas => Kind::Quotas,
            MetricType::DeploymentUsage => Kind::Usage,
        }
    }
}

/// One Prometheus query's answer: `result` is its `data.result` array.
#[derive(SimpleObject, Clone, Debug)]
pub(crate) struct Metric {
    pub(crate) label: Option<String>,
    pub(crate) result: Option<Json>,
}

/// The metrics model of a deployment as it is now; `None` once it has been deleted.
pub(crate) fn model(state: &State, id: &str) -> rusqlite::Result<Option<(DeploymentRow, Model)>> {
    let Some(d) = state.db.read(|c| store::deployment_by_id(c, id))? else {
        return Ok(None);
    };
    let changed = state.db.read(|c| store::health_changed_at(c, id))?;
    let model = Model::new(&d, Timeline::of(&d, changed));
    Ok(Some((d, model)))
}
