//! `u`: a deployment's upgrade. A Runtime deployment (every deployment from Houston 1.0.1 on,
//! where the Astronomer Certified fields are gone) chooses a Runtime release from
//! `runtimeReleases` and sends `updateDeploymentRuntime`, as the astro CLI does; an Astronomer
//! Certified one chooses an Airflow version from `deploymentConfig`. The field starts at the
//! newest; the base the merge works on is what the server holds (`held`: the desired
//! version), so an upgrade a colleague set meanwhile is a conflict, never overwritten unseen.

use super::Plan;
use super::{Choice, Field, Form};
use crate::app::forms::FieldId;
use crate::app::state::AppState;
use crate::app::tables::specs::compare_versions;
use crate::houston::model::*;
use crate::houston::mutation::Mutation;
use crate::houston::request::Request;
use crate::houston::runtime::RuntimeRelease;
use crate::houston::version::Release;
use std::cmp::Ordering;

/// Houston 1.0.1 refuses the Astronomer Certified fields: every upgrade is to Runtime there.
const HOUSTON_1_0_1: Release = Release::new(1, 0, 1);

/// Whether `d`'s upgrade is a Runtime release: it runs Runtime, or this Houston has no
/// Astronomer Certified upgrade any more (an AC deployment then moves to Runtime).
pub(crate) fn is_runtime(state: &AppState, d: &Deployment) -> bool {
    d.runtime_version.is_some()
        || state
            .cache
            .app_config()
            .is_some_and(|c| c.version.is_some() && c.houston_version().at_least(HOUSTON_1_0_1))
}

/// The read that lists the Runtime releases `d` may move to (its cluster's, from 1.0).
pub(crate) fn releases_request(d: &Deployment) -> Request {
    Request::RuntimeReleases(d.cluster.as_ref().map(|c| c.id.clone()))
}

/// What the server holds for the form's one field: the desired version (the running one when
/// no upgrade is pending).
pub(crate) fn held(state: &AppState, d: &Deployment) -> String {
    let (running, desired) = if is_runtime(state, d) {
        (&d.runtime_version, &d.desired_runtime_version)
    } else {
        (&d.airflow_version, &d.desired_airflow_version)
    };
    desired
        .clone()
        .or_else(|| running.clone())
        .unwrap_or_default()
}

/// The form's field: `choices` newest first, starting at the newest (what an upgrade usually
/// means).
fn version_field(choices: Vec<Choice>) -> Field {
    let newest = choices.first().map(|c| c.value.clone()).unwrap_or_default();
    Field::select(FieldId::Version, "Upgrade to", choices, &newest)
}

/// Choose the desired Airflow version (Astronomer Certified): newer versions, and the current
/// one to cancel a pending upgrade. `None` when nothing can be chosen.
pub(crate) fn airflow(d: &Deployment, config: &DeploymentConfig) -> Option<Form> {
    let current = d.airflow_version.clone().unwrap_or_default();
    let desired = d
        .desired_airflow_version
        .clone()
        .unwrap_or_else(|| current.clone());
    let mut choices: Vec<Choice> = config
        .airflow_versions
        .iter()
        .filter(|v| current.is_empty() || compare_versions(v, &current) == Ordering::Greater)
        .rev()
        .map(|v| Choice::new(v.clone(), v.clone()))
        .collect();
    if d.upgrade_pending() && !current.is_empty() {
        choices.push(Choice::new(
            current.clone(),
            format!("{current} (current: cancels the pending upgrade)"),
        ));
    }
    let mut field = if choices.is_empty() {
        if config.airflow_versions.is_empty() {
            // The server lists no versions: let the user type one.
            Field::text(FieldId::Version, "Version", &desired).required()
        } else {
            return None;
        }
    } else {
        version_field(choices)
    };
    field.help = Some(format!(
        "Running {}. The upgrade takes effect with the next image deploy (astro deploy).",
        if current.is_empty() { "?" } else { &current }
    ));
    Some(Form::new(
        format!("Upgrade Airflow of {}", d.label),
        vec![field],
    ))
}

/// Choose the desired Runtime release: newer releases on the same Airflow or a newer one, and
/// the running one to cancel a pending upgrade. `None` when nothing can be chosen.
pub(crate) fn runtime(d: &Deployment, releases: &[RuntimeRelease]) -> Option<Form> {
    let current = d.runtime_version.clone().unwrap_or_default();
    let airflow = d.runtime_airflow_version.clone().unwrap_or_default();
    let newer = |r: &&RuntimeRelease| {
        compare_versions(&r.version, &current) == Ordering::Greater
            && (airflow.is_empty()
                || r.airflow_version
                    .as_deref()
                    .is_none_or(|a| compare_versions(a, &airflow) != Ordering::Less))
    };
    let mut newer: Vec<&RuntimeRelease> = releases.iter().filter(newer).collect();
    newer.sort_by(|a, b| compare_versions(&b.version, &a.version));
    let mut choices: Vec<Choice> = newer
        .into_iter()
        .map(|r| {
            // Short: the form is narrow.
            let mut label = r.version.clone();
            if let Some(a) = &r.airflow_version {
                label.push_str(&format!(" · Airflow {a}"));
            }
            if r.migrates_database {
                label.push_str(" · migrates DB");
            }
            Choice::new(r.version.clone(), label)
        })
        .collect();
    let pending = d.runtime_upgrade_pending();
    if pending {
        choices.push(Choice::new(
            current.clone(),
            format!("{current} (current: cancels the pending upgrade)"),
        ));
    }
    if choices.is_empty() {
        return None;
    }
    let mut field = version_field(choices);
    // The upgrade takes effect with the next image deploy (`astro deploy`).
    field.help = Some(match (current.as_str(), airflow.as_str()) {
        ("", _) => "Now Astronomer Certified: moves to Runtime".to_string(),
        (c, "") => format!("Now {c}, until the next deploy"),
        (c, a) => format!("Now {c} (Airflow {a}), until next deploy"),
    });
    Some(Form::new(
        format!("Upgrade Runtime of {}", d.label),
        vec![field],
    ))
}

/// The upgrade form for `d`: Runtime or Astronomer Certified.
pub(crate) fn open(state: &AppState, d: &Deployment) -> Option<Form> {
    if is_runtime(state, d) {
        runtime(d, state.cache.runtime_releases(&releases_request(d))?)
    } else {
        airflow(d, &state.cache.deployment_config())
    }
}

pub(crate) fn plan(state: &AppState, id: &DeploymentId, form: &mut Form) -> Option<Plan> {
    let d = state.cache.deployment(id)?;
    if !form.validate(|_| {}) {
        return None;
    }
    let version = form.text(FieldId::Version);
    let (desired, mutation) = if is_runtime(state, d) {
        let running = d.runtime_version.clone().unwrap_or_default();
        let desired = d.desired_runtime_version.clone().unwrap_or(running.clone());
        let m = Mutation::UpgradeRuntime {
            id: id.clone(),
            label: d.label.clone(),
            version: version.clone(),
            running,
        };
        (Some(desired), m)
    } else {
        let m = Mutation::UpgradeAirflow {
            id: id.clone(),
            label: d.label.clone(),
            version: version.clone(),
        };
        (d.desired_airflow_version.clone(), m)
    };
    if desired.as_deref() == Some(version.as_str()) {
        form.set_error(
            FieldId::Version,
            format!("{version} is already the desired version"),
        );
        return None;
    }
    Some(Plan::Mutate(mutation))
}
