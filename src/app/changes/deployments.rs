//! A workspace's deployments and a deployment's Overview: create, edit, upgrade Airflow (and
//! cancel a pending upgrade), delete.

use super::{Change, Then, change, workspace_id};
use crate::app::forms::{self, FormKind, duplicates};
use crate::app::keymap::cond::{Cap, Cond::*};
use crate::app::modal::{Confirm, ConfirmAction, ConfirmLine};
use crate::app::state::AppState;
use crate::houston::mutation::Mutation;
use crate::keys::Action;

pub(super) fn list() -> Vec<Change> {
    let mut rows = vec![change(
        Action::New,
        "new deployment",
        Some("new"),
        &[Writable, Can(Cap::CreateDeployment)],
        |state| super::form(workspace_id(state).map(FormKind::CreateDeployment)),
    )];
    rows.extend(overview());
    rows
}

pub(super) fn overview() -> Vec<Change> {
    vec![
        change(
            Action::Edit,
            "edit name, executor, resources",
            Some("edit"),
            &[Writable, HasRow, Can(Cap::UpdateDeployment)],
            edit,
        ),
        change(
            Action::Upgrade,
            "upgrade Airflow",
            None,
            &[Writable, HasRow, Can(Cap::UpdateDeployment)],
            upgrade,
        ),
        change(
            Action::CancelUpgrade,
            "cancel the pending upgrade",
            None,
            &[Writable, HasRow, UpgradePending, Can(Cap::UpdateDeployment)],
            cancel_upgrade,
        ),
        change(
            Action::Delete,
            "delete the deployment",
            None,
            &[Writable, HasRow, Can(Cap::DeleteDeployment)],
            delete,
        ),
    ]
}

fn edit(state: &AppState) -> Vec<Then> {
    match state.target_deployment() {
        // A list row lacks the description and resources the form edits.
        Some(d) if state.cache.full_deployment(&d.id).is_none() => {
            vec![Then::AwaitFullDeployment(d.id.clone())]
        }
        Some(d) => vec![Then::Form(FormKind::EditDeployment(d.id.clone()))],
        None => vec![],
    }
}

fn upgrade(state: &AppState) -> Vec<Then> {
    let Some(d) = state.target_deployment() else {
        return vec![];
    };
    let Some(d) = state.cache.deployment(&d.id) else {
        return vec![];
    };
    let runtime = forms::upgrade::is_runtime(state, d);
    // A Runtime upgrade offers the releases of the deployment's cluster: read them first.
    if runtime
        && state
            .cache
            .runtime_releases(&forms::upgrade::releases_request(d))
            .is_none()
    {
        return vec![Then::AwaitRuntimeReleases(d.id.clone())];
    }
    if forms::upgrade::open(state, d).is_none() {
        let what = if runtime { "Runtime" } else { "Airflow" };
        return vec![Then::Flash(format!(
            "{} already runs the newest {what} version",
            d.label
        ))];
    }
    vec![Then::Form(FormKind::UpgradeAirflow(d.id.clone()))]
}

fn cancel_upgrade(state: &AppState) -> Vec<Then> {
    let Some(d) = state.target_deployment() else {
        return vec![];
    };
    if forms::upgrade::is_runtime(state, d) {
        let current = d.runtime_version.clone().unwrap_or_default();
        let want = d.desired_runtime_version.clone().unwrap_or_default();
        let c = Confirm::new(
            format!("Cancel the Runtime upgrade of {}?", d.label),
            ConfirmAction::Mutate(Mutation::UpgradeRuntime {
                id: d.id.clone(),
                label: d.label.clone(),
                version: current.clone(),
                running: current.clone(),
            }),
            "Cancel upgrade",
        )
        .line(format!(
            "The desired Runtime goes back from {want} to {current}."
        ));
        return vec![Then::Confirm(Box::new(c))];
    }
    let Some(current) = d.airflow_version.clone() else {
        return vec![];
    };
    let want = d.desired_airflow_version.clone().unwrap_or_default();
    let c = Confirm::new(
        format!("Cancel the Airflow upgrade of {}?", d.label),
        ConfirmAction::Mutate(Mutation::UpgradeAirflow {
            id: d.id.clone(),
            label: d.label.clone(),
            version: current.clone(),
        }),
        "Cancel upgrade",
    )
    .line(format!(
        "The desired version goes back from {want} to {current}."
    ));
    vec![Then::Confirm(Box::new(c))]
}

fn delete(state: &AppState) -> Vec<Then> {
    let Some(d) = state.target_deployment() else {
        return vec![];
    };
    let c = Confirm::new(
        format!("Delete deployment {}?", d.label),
        ConfirmAction::Mutate(Mutation::DeleteDeployment {
            id: d.id.clone(),
            label: d.label.clone(),
        }),
        "Delete",
    )
    .line(format!(
        "Release {} and its Airflow (scheduler, webserver, workers, metadata) go away.",
        d.release_name
    ))
    .lines(
        duplicates::deployment_twin_lines(state, d)
            .into_iter()
            .map(ConfirmLine::Text)
            .collect(),
    )
    .line(format!(
        "Type the deployment's name, {}, or its release name, {}, to confirm.",
        d.label, d.release_name
    ))
    .type_to_confirm(d.label.clone())
    .or_type(d.release_name.clone())
    .danger();
    vec![Then::Confirm(Box::new(c))]
}
