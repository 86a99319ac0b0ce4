//! Sending changes and handling their answers: the one place a mutation is emitted (so
//! read-only mode is enforced here, whatever a key or a test does), what each change makes
//! stale, and what the user is told.

use super::messages::{error, flash};
use crate::app::effect::{Effect, Schedule};
use crate::app::forms::FieldId;
use crate::app::forms::FormKind;
use crate::app::modal::{ApiKeyView, CopyStatus, Modal};
use crate::app::state::{AppState, Route};
use crate::app::tables::TableId;
use crate::houston::ApiError;
use crate::houston::model::Timestamp;
use crate::houston::mutation::{Mutation, Outcome, Scope};
use crate::houston::request::Request;

/// The read-only guard, for every way to a change (a form, a confirmation, a mutation): true,
/// with the user told why, when the session may change nothing.
pub(crate) fn refused_read_only(state: &mut AppState) -> bool {
    if state.session.read_only {
        error(
            state,
            "Read-only mode: nothing can be changed in this session",
        );
    }
    state.session.read_only
}

/// Send `mutation`, or refuse it in read-only mode. Returns the mutation's id when sent.
pub(crate) fn mutate(state: &mut AppState, mutation: Mutation) -> (Option<u64>, Vec<Effect>) {
    if refused_read_only(state) {
        return (None, vec![]);
    }
    // A change to the same data whose request timed out is still being checked: sending now
    // could apply it twice.
    let touches = crate::app::applied::rereads(&state.cache, &mutation);
    if let Some(u) = state
        .net
        .unsure
        .iter()
        .find(|u| crate::app::applied::rereads(&state.cache, &u.mutation) == touches)
    {
        let text = format!(
            "Still checking whether the timed-out change ({}) was applied: try again once it \
             is known",
            doing(&u.mutation)
        );
        error(state, text);
        return (None, vec![]);
    }
    state.net.next_seq += 1;
    let id = state.net.next_seq;
    state.net.mutations.insert(id, mutation.clone());
    // A create that times out is told from an older namesake by this count.
    if let Some(n) = crate::app::applied::namesakes(&state.cache, &mutation) {
        state.net.namesakes.insert(id, n);
    }
    flash(state, format!("{}…", doing(&mutation)));
    let effect = Effect::Mutate {
        id,
        mutation,
        config: state.cache.deployment_config(),
    };
    (Some(id), vec![effect])
}

/// "Creating workspace Data", for the message line while it runs.
pub(super) fn doing(m: &Mutation) -> String {
    match m {
        Mutation::CreateWorkspace { label, .. } => format!("Creating workspace {label}"),
        Mutation::UpdateWorkspace { label, .. } => format!("Saving workspace {label}"),
        Mutation::DeleteWorkspace { label, .. } => format!("Deleting workspace {label}"),
        Mutation::UpdateSelf { .. } => "Saving your name".into(),
        Mutation::RenameCluster { name, .. } => format!("Renaming the cluster to {name}"),
        Mutation::CreateDeployment { spec, .. } => format!("Creating deployment {}", spec.label),
        Mutation::UpdateDeployment { spec, .. } => format!("Saving deployment {}", spec.label),
        Mutation::UpgradeAirflow { label, version, .. } => {
            format!("Setting Airflow {version} for {label}")
        }
        Mutation::UpgradeRuntime {
            label,
            version,
            running,
            ..
        } if version == running => format!("Cancelling the Runtime upgrade of {label}"),
        Mutation::UpgradeRuntime { label, version, .. } => {
            format!("Setting Runtime {version} for {label}")
        }
        Mutation::DeleteDeployment { label, .. } => format!("Deleting deployment {label}"),
        Mutation::SetVariables { .. } => "Saving environment variables".into(),
        Mutation::InviteUser { email, .. } => format!("Inviting {email}"),
        Mutation::SetWorkspaceRole { email, .. } | Mutation::SetDeploymentRole { email, .. } => {
            format!("Changing the role of {email}")
        }
        Mutation::RemoveWorkspaceUser { name, .. } => format!("Removing {name}"),
        Mutation::RevokeInvite { email, .. } => format!("Revoking the invite of {email}"),
        Mutation::AddDeploymentUser { email, .. } => format!("Adding {email}"),
        Mutation::RemoveDeploymentUser { email, .. } => format!("Removing {email}"),
        Mutation::CreateServiceAccount { label, .. } => format!("Creating service account {label}"),
        Mutation::UpdateServiceAccount { label, .. } => format!("Saving service account {label}"),
        Mutation::DeleteServiceAccount { label, .. } => {
            format!("Deleting service account {label}")
        }
        Mutation::SetWorkspaceTeamRole { name, .. }
        | Mutation::SetDeploymentTeamRole { name, .. } => {
            format!("Changing the role of team {name}")
        }
        Mutation::RemoveWorkspaceTeam { name, .. }
        | Mutation::RemoveDeploymentTeam { name, .. } => {
            format!("Removing team {name}")
        }
        Mutation::System(change) => crate::app::admin::doing(change),
    }
}

/// "Created workspace Data", once Houston said yes.
fn done(m: &Mutation, outcome: &Outcome) -> String {
    match m {
        Mutation::CreateWorkspace { label, .. } => format!("Created workspace {label}"),
        Mutation::UpdateWorkspace { label, .. } => format!("Saved workspace {label}"),
        Mutation::DeleteWorkspace { label, .. } => format!("Deleted workspace {label}"),
        Mutation::UpdateSelf { full_name } => format!("Your name is now {full_name}"),
        Mutation::RenameCluster { name, .. } => format!("The cluster is now named {name}"),
        Mutation::CreateDeployment { spec, .. } => {
            format!("Created deployment {}: it is DEPLOYING", spec.label)
        }
        Mutation::UpdateDeployment { spec, .. } => {
            format!("Saved {}: it is DEPLOYING the change", spec.label)
        }
        Mutation::UpgradeAirflow { label, version, .. } => {
            format!("{label} will run Airflow {version} from its next image deploy (astro deploy)")
        }
        Mutation::UpgradeRuntime {
            label,
            version,
            running,
            ..
        } if version == running => format!("{label} stays on Runtime {running}"),
        Mutation::UpgradeRuntime { label, version, .. } => {
            format!("{label} will run Runtime {version} from its next image deploy (astro deploy)")
        }
        Mutation::DeleteDeployment { label, .. } => format!("Deleted deployment {label}"),
        Mutation::SetVariables { variables, .. } => format!(
            "Saved {} environment variable{}",
            variables.len(),
            if variables.len() == 1 { "" } else { "s" }
        ),
        Mutation::InviteUser { email, role, .. } => {
            format!("Invited {email} as {}", role.short())
        }
        Mutation::SetWorkspaceRole { email, role, .. }
        | Mutation::SetDeploymentRole { email, role, .. } => {
            format!("{email} is now {}", role.short())
        }
        Mutation::RemoveWorkspaceUser { name, .. } => format!("Removed {name} from the workspace"),
        Mutation::RevokeInvite { email, .. } => format!("Revoked the invite of {email}"),
        Mutation::AddDeploymentUser { email, role, .. } => {
            format!("{email} is now {} of the deployment", role.short())
        }
        Mutation::RemoveDeploymentUser { email, .. } => {
            format!("Removed {email}'s role on the deployment")
        }
        Mutation::CreateServiceAccount { label, .. } if outcome.api_key.is_some() => {
            format!("Created service account {label}: copy its API key now")
        }
        Mutation::CreateServiceAccount { label, .. } => format!("Created service account {label}"),
        Mutation::UpdateServiceAccount { label, .. } => format!("Saved service account {label}"),
        Mutation::DeleteServiceAccount { label, .. } => format!("Deleted service account {label}"),
        Mutation::SetWorkspaceTeamRole { name, role, .. }
        | Mutation::SetDeploymentTeamRole { name, role, .. } => {
            format!("Team {name} is now {}", role.short())
        }
        Mutation::RemoveWorkspaceTeam { name, .. } => {
            format!("Removed team {name} from the workspace")
        }
        Mutation::RemoveDeploymentTeam { name, .. } => {
            format!("Removed team {name}'s role on the deployment")
        }
        Mutation::System(change) => crate::app::admin::done(change),
    }
}

/// The cached data a change makes stale.
fn affected(state: &AppState, m: &Mutation) -> Vec<Request> {
    let workspaces = state.cache.workspaces_request();
    let ws_of = |d: &crate::houston::model::DeploymentId| {
        state
            .cache
            .deployment(d)
            .and_then(|d| d.workspace_id.clone())
            .map(Request::Deployments)
    };
    let mut out: Vec<Request> = match m {
        Mutation::CreateWorkspace { .. }
        | Mutation::UpdateWorkspace { .. }
        | Mutation::DeleteWorkspace { .. } => workspaces.into_iter().collect(),
        Mutation::UpdateSelf { .. } => vec![Request::Me],
        Mutation::RenameCluster { id, .. } => vec![Request::Clusters, Request::Cluster(id.clone())],
        Mutation::CreateDeployment { workspace, .. } => {
            let mut v = vec![Request::Deployments(workspace.clone())];
            v.extend(workspaces);
            v
        }
        Mutation::UpdateDeployment { id, .. }
        | Mutation::UpgradeAirflow { id, .. }
        | Mutation::UpgradeRuntime { id, .. } => {
            let mut v = vec![Request::Deployment(id.clone())];
            v.extend(ws_of(id));
            v
        }
        Mutation::DeleteDeployment { id, .. } => {
            let mut v: Vec<Request> = ws_of(id).into_iter().collect();
            v.extend(workspaces);
            v
        }
        Mutation::SetVariables { id, .. } => vec![Request::DeploymentVariables(id.clone())],
        Mutation::InviteUser { workspace, .. }
        | Mutation::SetWorkspaceRole { workspace, .. }
        | Mutation::RemoveWorkspaceUser { workspace, .. }
        | Mutation::RevokeInvite { workspace, .. } => vec![
            Request::WorkspaceUsers(workspace.clone()),
            Request::WorkspaceInvites(workspace.clone()),
        ],
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
        Mutation::System(change) => crate::app::admin::affected(change),
    };
    out.dedup();
    out
}

pub(crate) fn on_mutated(
    state: &mut AppState,
    id: u64,
    at: Timestamp,
    result: Result<Outcome, ApiError>,
) -> Vec<Effect> {
    let _ = at;
    let Some(mutation) = state.net.mutations.remove(&id) else {
        return vec![];
    };
    let before = state.net.namesakes.remove(&id);
    if matches!(result, Err(ApiError::Timeout)) {
        // It may have reached Houston: find out before anything can send it again.
        return super::timeouts::on_timeout(state, id, mutation, before);
    }
    // The form that sent it, if it is still open.
    let form_index = state
        .ui
        .modals
        .iter()
        .position(|m| matches!(m, Modal::Form(f) if f.form.pending == Some(id)));
    match result {
        Ok(outcome) => {
            let added_variable = form_index.and_then(|i| match state.ui.modals.get(i) {
                Some(Modal::Form(f)) => match &f.kind {
                    FormKind::AddVariable(d) => Some((d.clone(), f.form.text(FieldId::Key))),
                    _ => None,
                },
                _ => None,
            });
            if let Some(i) = form_index {
                // The form and anything above it (its review) are done.
                state.ui.modals.truncate(i);
            }
            let mut effects = after_success(state, &mutation);
            select_created(state, &mutation, &outcome);
            if let Some((d, key)) = added_variable {
                state
                    .ui
                    .tables
                    .entry(TableId::Variables(d))
                    .or_default()
                    .want = Some(key);
            }
            flash(state, done(&mutation, &outcome));
            if let Some(key) = outcome.api_key
                && let Mutation::CreateServiceAccount { label, .. } = &mutation
            {
                state.ui.modals.push(Modal::ApiKey(ApiKeyView {
                    label: label.clone(),
                    key,
                    copy: CopyStatus::Idle,
                }));
            }
            effects.extend(refetch(state, &mutation));
            effects
        }
        Err(e) => {
            if let Some(Modal::Form(f)) = form_index.and_then(|i| state.ui.modals.get_mut(i)) {
                f.form.pending = None;
                crate::app::forms::show_server_error(&f.kind, &mut f.form, &e);
                // A review left above the form has served its purpose.
                let keep = form_index.map_or(0, |i| i + 1);
                state.ui.modals.truncate(keep);
            }
            // On the message line too, in place of the "Saving…" it had: never left behind.
            error(
                state,
                format!("{} failed: {}", doing(&mutation), reason(&e)),
            );
            if matches!(e, ApiError::Forbidden(_)) {
                // Maybe the session ended rather than the permission being missing.
                return vec![Schedule::ensure(Request::Me)];
            }
            vec![]
        }
    }
}

/// Houston's words for a refusal.
fn reason(e: &ApiError) -> String {
    match e {
        ApiError::GraphQl { message, .. } | ApiError::Forbidden(message) => message.clone(),
        other => other.to_string(),
    }
}

/// Put the cursor on what was just created: the list shows it once it is refetched.
fn select_created(state: &mut AppState, m: &Mutation, outcome: &Outcome) {
    if let Mutation::InviteUser {
        workspace, email, ..
    } = m
    {
        // An invite, or a member at once when the address has an account: found by e-mail.
        for table in [
            TableId::Invites(workspace.clone()),
            TableId::WorkspaceUsers(workspace.clone()),
        ] {
            state.ui.tables.entry(table).or_default().want = Some(email.clone());
        }
        return;
    }
    if let Mutation::AddDeploymentUser {
        deployment, email, ..
    } = m
    {
        let table = TableId::DeploymentUsers(deployment.clone());
        state.ui.tables.entry(table).or_default().want = Some(email.clone());
        return;
    }
    let (table, key) = match (m, outcome) {
        (
            Mutation::CreateServiceAccount { scope, .. },
            Outcome {
                service_account: Some(sa),
                ..
            },
        ) => (
            match scope {
                Scope::Workspace(ws) => TableId::WorkspaceServiceAccounts(ws.clone()),
                Scope::Deployment(d) => TableId::DeploymentServiceAccounts(d.clone()),
                Scope::System => TableId::SystemServiceAccounts,
            },
            sa.to_string(),
        ),
        (
            Mutation::CreateWorkspace { .. },
            Outcome {
                workspace: Some(ws),
                ..
            },
        ) => (TableId::Workspaces, ws.to_string()),
        (
            Mutation::CreateDeployment { workspace, .. },
            Outcome {
                deployment: Some(d),
                ..
            },
        ) => (TableId::Deployments(workspace.clone()), d.to_string()),
        _ => return,
    };
    state.ui.tables.entry(table).or_default().want = Some(key);
}

/// Leave views of what no longer exists.
pub(super) fn after_success(state: &mut AppState, m: &Mutation) -> Vec<Effect> {
    match m {
        Mutation::DeleteWorkspace { id, .. } => {
            if let Some(pos) = state
                .nav
                .routes
                .iter()
                .position(|r| matches!(r, Route::Workspace { id: w, .. } if w == id))
            {
                state.nav.routes.truncate(pos.max(1));
            }
            state.cache.forget_where(|r| r.workspace() == Some(id));
            vec![Schedule::visible(true)]
        }
        Mutation::DeleteDeployment { id, .. } => {
            if let Some(pos) = state
                .nav
                .routes
                .iter()
                .position(|r| matches!(r, Route::Deployment { id: d, .. } if d == id))
            {
                state.nav.routes.truncate(pos.max(1));
            }
            // Drop the row at once: the list refresh confirms it.
            state.cache.forget_where(|r| r.deployment() == Some(id));
            if let Some(ws) = state.current_workspace_id() {
                state.cache.edit(&Request::Deployments(ws), |p| {
                    if let crate::houston::request::Payload::Deployments(list) = p {
                        list.retain(|d| &d.id != id);
                    }
                });
            }
            vec![Schedule::visible(true)]
        }
        _ => vec![],
    }
}

/// Fetch again what the change made stale (the rest refetches when it is shown).
fn refetch(state: &mut AppState, m: &Mutation) -> Vec<Effect> {
    let visible = state.visible_requests();
    let mut effects = Vec::new();
    for request in affected(state, m) {
        if visible.contains(&request) || state.cache.remote(&request).is_some() {
            effects.push(Schedule::fetch(request));
        }
    }
    effects
}
