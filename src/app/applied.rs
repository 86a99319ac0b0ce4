//! Whether a change whose request timed out reached the server: what to re-read, and what the
//! fresh data says ("checked: prod-etl has worker replicas 3, not 7 — the change was not
//! applied"). Houston has no request ids or idempotency keys, so the data is the only witness;
//! for creates, the number of objects of that name before sending tells a new one from an old
//! namesake.

use super::cache::Cache;
use crate::houston::model::*;
use crate::houston::mutation::{DeploymentSpec, Mutation, ResourceSpec, Scope};
use crate::houston::request::Request;

/// A change whose request timed out: it may or may not have reached Houston.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsure {
    /// The mutation's id (a form waiting for it keeps it as `pending`).
    pub(crate) id: u64,
    pub(crate) mutation: Mutation,
    /// [`namesakes`] when it was sent.
    pub(crate) before: Option<usize>,
    /// [`changed_fields`] when its answer was lost.
    pub(crate) changed: Vec<&'static str>,
    /// Reads that have not answered since the timeout.
    pub(crate) waiting: Vec<Request>,
    /// When to ask again for reads that have not answered (failed or were cancelled).
    pub(crate) retry_at: Timestamp,
}

/// What the fresh data says about a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub(crate) applied: bool,
    /// What the server holds now, in words.
    pub(crate) holds: String,
}

/// The data that shows whether `m` took effect.
pub(crate) fn rereads(cache: &Cache, m: &Mutation) -> Vec<Request> {
    let ws_of = |d: &DeploymentId| {
        cache
            .deployment(d)
            .and_then(|d| d.workspace_id.clone())
            .map(Request::Deployments)
    };
    match m {
        Mutation::CreateWorkspace { .. }
        | Mutation::UpdateWorkspace { .. }
        | Mutation::DeleteWorkspace { .. } => cache.workspaces_request().into_iter().collect(),
        Mutation::UpdateSelf { .. } => vec![Request::Me],
        Mutation::CreateDeployment { workspace, .. } => {
            vec![Request::Deployments(workspace.clone())]
        }
        Mutation::UpdateDeployment { id, .. }
        | Mutation::UpgradeAirflow { id, .. }
        | Mutation::UpgradeRuntime { id, .. } => {
            vec![Request::Deployment(id.clone())]
        }
        Mutation::DeleteDeployment { id, .. } => ws_of(id).into_iter().collect(),
        Mutation::SetVariables { id, .. } => vec![Request::DeploymentVariables(id.clone())],
        Mutation::InviteUser { workspace, .. } | Mutation::SetWorkspaceRole { workspace, .. } => {
            vec![
                Request::WorkspaceUsers(workspace.clone()),
                Request::WorkspaceInvites(workspace.clone()),
            ]
        }
        Mutation::RemoveWorkspaceUser { workspace, .. } => {
            vec![Request::WorkspaceUsers(workspace.clone())]
        }
        Mutation::RevokeInvite { workspace, .. } => {
            vec![Request::WorkspaceInvites(workspace.clone())]
        }
        Mutation::AddDeploymentUser { deployment, .. }
        | Mutation::SetDeploymentRole { deployment, .. }
        | Mutation::RemoveDeploymentUser { deployment, .. } => {
            vec![Request::DeploymentUsers(deployment.clone())]
        }
        Mutation::CreateServiceAccount { scope, .. }
        | Mutation::UpdateServiceAccount { scope, .. }
        | Mutation::DeleteServiceAccount { scope, .. } => vec![match scope {
            Scope::Workspace(ws) => Request::WorkspaceServiceAccounts(ws.clone()),
            Scope::Deployment(d) => Request::DeploymentServiceAccounts(d.clone()),
            Scope::System => Request::SystemServiceAccounts,
        }],
        Mutation::SetWorkspaceTeamRole { workspace, .. }
        | Mutation::RemoveWorkspaceTeam { workspace, .. } => {
            vec![Request::WorkspaceTeams(workspace.clone())]
        }
        Mutation::SetDeploymentTeamRole { deployment, .. }
        | Mutation::RemoveDeploymentTeam { deployment, .. } => {
            vec![Request::DeploymentTeams(deployment.clone())]
        }
        Mutation::System(change) => super::admin::affected(change),
        Mutation::RenameCluster { .. } => vec![Request::Clusters],
    }
}

/// How many objects a create's name already matches, when it is sent (`None`: not a create,
/// or the list is not loaded).
pub(crate) fn namesakes(cache: &Cache, m: &Mutation) -> Option<usize> {
    match m {
        Mutation::CreateWorkspace { label, .. } => Some(
            cache
                .workspaces()?
                .iter()
                .filter(|w| &w.label == label)
                .count(),
        ),
        Mutation::CreateDeployment {
            workspace, spec, ..
        } => Some(
            cache
                .deployments(workspace)?
                .iter()
                .filter(|d| d.label == spec.label)
                .count(),
        ),
        Mutation::CreateServiceAccount { scope, label, .. } => Some(
            service_accounts(cache, scope)?
                .iter()
                .filter(|sa| &sa.label == label)
                .count(),
        ),
        _ => None,
    }
}

fn service_accounts<'a>(cache: &'a Cache, scope: &Scope) -> Option<&'a [ServiceAccount]> {
    match scope {
        Scope::Workspace(ws) => cache.workspace_service_accounts(ws),
        Scope::Deployment(d) => cache.deployment_service_accounts(d),
        Scope::System => cache.system_service_accounts(),
    }
}

fn verdict(applied: bool, holds: impl Into<String>) -> Option<Verdict> {
    Some(Verdict {
        applied,
        holds: holds.into(),
    })
}

/// Whether `m` shows in the freshly read data. `before` is [`namesakes`] at send time.
/// `None` when the data to tell is missing.
/// `changed` is [`changed_fields`] when the answer was lost.
pub(crate) fn check(
    cache: &Cache,
    m: &Mutation,
    before: Option<usize>,
    changed: &[&str],
) -> Option<Verdict> {
    match m {
        Mutation::CreateWorkspace { label, .. } => {
            let now = cache
                .workspaces()?
                .iter()
                .filter(|w| &w.label == label)
                .count();
            created(now, before, &format!("workspace {label}"))
        }
        Mutation::CreateDeployment {
            workspace, spec, ..
        } => {
            let label = &spec.label;
            let now = cache
                .deployments(workspace)?
                .iter()
                .filter(|d| &d.label == label)
                .count();
            created(now, before, &format!("deployment {label}"))
        }
        Mutation::CreateServiceAccount { scope, label, .. } => {
            let now = service_accounts(cache, scope)?
                .iter()
                .filter(|sa| &sa.label == label)
                .count();
            created(now, before, &format!("service account {label}"))
        }
        Mutation::UpdateWorkspace {
            id,
            label,
            description,
        } => {
            let w = cache.workspace(id)?;
            let same = &w.label == label
                && w.description.as_deref().unwrap_or("").trim() == description.trim();
            verdict(
                same,
                if same {
                    format!("workspace {label} has the name and description you sent")
                } else {
                    format!(
                        "the workspace is named {} with description \"{}\"",
                        w.label,
                        w.description.as_deref().unwrap_or("")
                    )
                },
            )
        }
        Mutation::RenameCluster { id, name } => {
            let held = &cache.clusters()?.iter().find(|c| &c.id == id)?.name;
            verdict(held == name.trim(), format!("the cluster is named {held}"))
        }
        Mutation::DeleteWorkspace { id, label } => gone(
            !cache.workspaces()?.iter().any(|w| &w.id == id),
            &format!("workspace {label}"),
        ),
        Mutation::UpdateSelf { full_name } => {
            let name = cache.me()?.full_name.clone().unwrap_or_default();
            verdict(&name == full_name, format!("your name is {name}"))
        }
        Mutation::UpdateDeployment { id, spec } => {
            let d = cache.full_deployment(id)?;
            let diffs = deployment_diffs(d, spec);
            if !diffs.is_empty() {
                return verdict(false, format!("{} has {}", d.label, diffs.join(", ")));
            }
            // What the user changed, as Houston now holds it: "Core ETL has workers 7".
            let named: Vec<String> = deployment_fields(d, spec)
                .into_iter()
                .filter(|(what, _, _)| changed.contains(what))
                .map(|(what, held, _)| format!("{what} {held}"))
                .collect();
            match named.is_empty() {
                true => verdict(true, format!("{} holds what you sent", spec.label)),
                false => verdict(true, format!("{} has {}", d.label, named.join(", "))),
            }
        }
        Mutation::UpgradeAirflow { id, label, version } => {
            let d = cache.deployment(id)?;
            let desired = d.desired_airflow_version.clone().unwrap_or_default();
            verdict(
                &desired == version,
                format!("{label} is set to run Airflow {desired}"),
            )
        }
        Mutation::UpgradeRuntime {
            id, label, version, ..
        } => {
            let d = cache.deployment(id)?;
            let desired = d.desired_runtime_version.clone().unwrap_or_default();
            verdict(
                &desired == version,
                format!("{label} is set to run Runtime {desired}"),
            )
        }
        Mutation::DeleteDeployment { id, label } => {
            let ws = cache.deployment(id).and_then(|d| d.workspace_id.clone());
            let still = match ws {
                Some(ws) => cache.deployments(&ws)?.iter().any(|d| &d.id == id),
                None => cache.deployment(id).is_some(),
            };
            gone(!still, &format!("deployment {label}"))
        }
        Mutation::SetVariables { id, variables, .. } => {
            let held = cache.variables(id)?;
            variables_verdict(held, variables)
        }
        Mutation::InviteUser {
            workspace, email, ..
        } => {
            let member = cache
                .workspace_users(workspace)
                .is_some_and(|us| us.iter().any(|u| same_email(u.email.as_deref(), email)));
            let invited = cache
                .invites(workspace)
                .is_some_and(|is| is.iter().any(|i| same_email(Some(&i.email), email)));
            let exists = member || invited;
            verdict(
                exists,
                if exists {
                    format!("{email} is in the workspace or invited")
                } else {
                    format!("{email} is neither in the workspace nor invited")
                },
            )
        }
        Mutation::SetWorkspaceRole {
            workspace,
            email,
            role,
        } => {
            let member = cache
                .workspace_users(workspace)?
                .iter()
                .find(|u| same_email(u.email.as_deref(), email))
                .and_then(|u| u.role.clone());
            let invite = cache
                .invites(workspace)
                .and_then(|is| is.iter().find(|i| same_email(Some(&i.email), email)))
                .map(|i| i.role.clone());
            role_verdict(email, member.or(invite).as_ref(), role)
        }
        Mutation::RemoveWorkspaceUser {
            workspace,
            user,
            name,
        } => gone(
            !cache
                .workspace_users(workspace)?
                .iter()
                .any(|u| &u.id == user),
            &format!("{name}'s membership"),
        ),
        Mutation::RevokeInvite {
            workspace,
            invite,
            email,
        } => gone(
            !cache.invites(workspace)?.iter().any(|i| &i.id == invite),
            &format!("the invite of {email}"),
        ),
        Mutation::AddDeploymentUser {
            deployment,
            email,
            role,
        } => {
            let held = cache
                .deployment_users(deployment)?
                .iter()
                .find(|u| same_email(u.email.as_deref(), email))
                .and_then(|u| u.role.clone());
            role_verdict(email, held.as_ref(), role)
        }
        Mutation::SetDeploymentRole {
            deployment,
            user,
            email,
            role,
        } => {
            let held = cache
                .deployment_users(deployment)?
                .iter()
                .find(|u| &u.id == user)
                .and_then(|u| u.role.clone());
            role_verdict(email, held.as_ref(), role)
        }
        Mutation::RemoveDeploymentUser {
            deployment,
            user,
            email,
        } => gone(
            !cache
                .deployment_users(deployment)?
                .iter()
                .any(|u| &u.id == user),
            &format!("{email}'s role on the deployment"),
        ),
        Mutation::UpdateServiceAccount {
            scope,
            id,
            label,
            category,
            role,
        } => {
            let sa = service_accounts(cache, scope)?
                .iter()
                .find(|sa| &sa.id == id)?;
            let same = &sa.label == label
                && sa.category.as_deref().unwrap_or("") == category.trim()
                && sa.role.as_ref() == Some(role);
            verdict(
                same,
                format!(
                    "service account {} is {} ({})",
                    sa.label,
                    sa.role.as_ref().map_or("without a role", Role::short),
                    sa.category.as_deref().unwrap_or("no category")
                ),
            )
        }
        Mutation::DeleteServiceAccount { scope, id, label } => gone(
            !service_accounts(cache, scope)?
                .iter()
                .any(|sa| &sa.id == id),
            &format!("service account {label}"),
        ),
        Mutation::SetWorkspaceTeamRole {
            workspace,
            team,
            name,
            role,
        } => {
            let held = cache
                .workspace_teams(workspace)?
                .iter()
                .find(|t| &t.id == team)
                .and_then(|t| t.role.clone());
            role_verdict(&format!("team {name}"), held.as_ref(), role)
        }
        Mutation::SetDeploymentTeamRole {
            deployment,
            team,
            name,
            role,
        } => {
            let held = cache
                .deployment_teams(deployment)?
                .iter()
                .find(|t| &t.id == team)
                .and_then(|t| t.role.clone());
            role_verdict(&format!("team {name}"), held.as_ref(), role)
        }
        Mutation::RemoveWorkspaceTeam {
            workspace,
            team,
            name,
        } => gone(
            !cache
                .workspace_teams(workspace)?
                .iter()
                .any(|t| &t.id == team),
            &format!("team {name}'s role"),
        ),
        Mutation::RemoveDeploymentTeam {
            deployment,
            team,
            name,
        } => gone(
            !cache
                .deployment_teams(deployment)?
                .iter()
                .any(|t| &t.id == team),
            &format!("team {name}'s role"),
        ),
        Mutation::System(change) => super::admin::check(cache, change),
    }
}

fn same_email(a: Option<&str>, b: &str) -> bool {
    a.is_some_and(|a| a.eq_ignore_ascii_case(b))
}

fn created(now: usize, before: Option<usize>, what: &str) -> Option<Verdict> {
    // Without a count from before, any namesake may be the new one: assume it is, so that a
    // retry cannot create a second.
    let applied = now > before.unwrap_or(0);
    verdict(
        applied,
        if applied {
            format!("{what} exists")
        } else if now > 0 {
            format!("{what} exists only as before")
        } else {
            format!("there is no {what}")
        },
    )
}

fn gone(gone: bool, what: &str) -> Option<Verdict> {
    verdict(
        gone,
        if gone {
            format!("{what} is gone")
        } else {
            format!("{what} is still there")
        },
    )
}

fn role_verdict(who: &str, held: Option<&Role>, sent: &Role) -> Option<Verdict> {
    verdict(
        held == Some(sent),
        match held {
            Some(r) => format!("{who} is {}", r.short()),
            None => format!("{who} has no role"),
        },
    )
}

/// The settings a deployment edit sends, as (name, held by `d`, sent): the worker settings only
/// for Celery.
fn deployment_fields(d: &Deployment, spec: &DeploymentSpec) -> Vec<(&'static str, String, String)> {
    let quoted = |s: &str| format!("\"{}\"", s.trim());
    let mut out = vec![
        ("name", d.label.clone(), spec.label.clone()),
        (
            "description",
            quoted(d.description.as_deref().unwrap_or("")),
            quoted(&spec.description),
        ),
        (
            "executor",
            d.executor.label().to_string(),
            spec.executor.label().to_string(),
        ),
    ];
    let (h, s) = (ResourceSpec::of(d), spec.resources);
    let celery = spec.executor == Executor::Celery;
    for (what, held, sent, counts) in [
        ("scheduler AU", h.scheduler_au, s.scheduler_au, true),
        (
            "schedulers",
            h.scheduler_replicas,
            s.scheduler_replicas,
            true,
        ),
        ("webserver AU", h.webserver_au, s.webserver_au, true),
        ("workers AU", h.workers_au, s.workers_au, celery),
        ("workers", h.worker_replicas, s.worker_replicas, celery),
        ("triggerer AU", h.triggerer_au, s.triggerer_au, true),
        (
            "triggerers",
            h.triggerer_replicas,
            s.triggerer_replicas,
            true,
        ),
        ("extra AU", h.extra_au, s.extra_au, true),
    ] {
        if counts {
            out.push((what, held.to_string(), sent.to_string()));
        }
    }
    out
}

/// Where a deployment differs from what was sent: "workers 3, not 7".
fn deployment_diffs(d: &Deployment, spec: &DeploymentSpec) -> Vec<String> {
    deployment_fields(d, spec)
        .into_iter()
        .filter(|(_, held, sent)| held != sent)
        .map(|(what, held, sent)| format!("{what} {held}, not {sent}"))
        .collect()
}

/// What a change alters in the data as last read before its answer was lost (for a deployment
/// edit: the settings that differ from what was sent), so the check can name them.
pub(crate) fn changed_fields(cache: &Cache, m: &Mutation) -> Vec<&'static str> {
    match m {
        Mutation::UpdateDeployment { id, spec } => cache
            .full_deployment(id)
            .map(|d| {
                deployment_fields(d, spec)
                    .into_iter()
                    .filter(|(_, held, sent)| held != sent)
                    .map(|(what, _, _)| what)
                    .collect()
            })
            .unwrap_or_default(),
        _ => vec![],
    }
}

fn variables_verdict(
    held: &[EnvVar],
    sent: &[crate::houston::mutation::EnvVarInput],
) -> Option<Verdict> {
    let mut problems = Vec::new();
    for v in sent {
        match held.iter().find(|h| h.key == v.key) {
            None => problems.push(format!("{} is missing", v.key)),
            Some(h) if h.is_secret != v.is_secret => problems.push(format!(
                "{} is {}",
                v.key,
                if h.is_secret { "secret" } else { "not secret" }
            )),
            // A secret's value is never returned: its presence is all that can be told.
            Some(h) if !h.is_secret && h.value != v.value.expose() => {
                problems.push(format!("{} is {}", v.key, h.value));
            }
            Some(_) => {}
        }
    }
    for h in held {
        if !sent.iter().any(|v| v.key == h.key) {
            problems.push(format!("{} is still there", h.key));
        }
    }
    match problems.first() {
        None => verdict(
            true,
            format!("the {} variables are as you sent them", sent.len()),
        ),
        Some(_) => verdict(false, problems.join(", ")),
    }
}
