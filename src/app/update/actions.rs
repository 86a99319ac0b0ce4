//! What `n`, `e`, `Ctrl-d`, `u`, `U`, `i` and `p` do on each screen: which form opens, or which
//! confirmation (deletes ask for the name of what goes).

use super::dialogs::open_form;
use super::messages::{error, flash};
use crate::app::effect::Effect;
use crate::app::forms::role_rules::{self, Member};
use crate::app::forms::{FormKind, duplicates};
use crate::app::keymap::{Action, Screen};
use crate::app::modal::{Confirm, ConfirmAction, ConfirmLine, Modal};
use crate::app::state::{AppState, DeploymentTab, Route, WorkspaceTab};
use crate::houston::model::*;
use crate::houston::mutation::{Mutation, Scope};

fn workspace_id(state: &AppState) -> Option<WorkspaceId> {
    match state.route() {
        Route::Workspace { id, .. } => Some(id.clone()),
        _ => None,
    }
}

fn deployment_id(state: &AppState) -> Option<DeploymentId> {
    match state.route() {
        Route::Deployment { id, .. } => Some(id.clone()),
        _ => None,
    }
}

pub fn on_change_action(state: &mut AppState, action: Action) -> Vec<Effect> {
    let screen = state.screen();
    match action {
        Action::New => new(state, screen),
        Action::Edit => edit(state, screen),
        Action::Delete => delete(state, screen),
        Action::Upgrade => match state.target_deployment().map(|d| d.id.clone()) {
            Some(id) => open_upgrade(state, id),
            None => vec![],
        },
        Action::CancelUpgrade => cancel_upgrade(state),
        Action::Import => match deployment_id(state) {
            Some(id) => open_form(state, FormKind::ImportEnv(id)),
            None => vec![],
        },
        Action::PersonalSettings => open_form(state, FormKind::PersonalSettings),
        _ => vec![],
    }
}

fn open_upgrade(state: &mut AppState, id: DeploymentId) -> Vec<Effect> {
    let Some(d) = state.cache.deployment(&id) else {
        return vec![];
    };
    if crate::app::forms::deployment::upgrade(d, &state.cache.deployment_config()).is_none() {
        let label = d.label.clone();
        flash(
            state,
            format!("{label} already runs the newest Airflow version"),
        );
        return vec![];
    }
    open_form(state, FormKind::UpgradeAirflow(id))
}

fn new(state: &mut AppState, screen: Screen) -> Vec<Effect> {
    let kind = match screen {
        Screen::Account => FormKind::CreateWorkspace,
        Screen::Workspace(tab) => {
            let Some(ws) = workspace_id(state) else {
                return vec![];
            };
            match tab {
                WorkspaceTab::Deployments => FormKind::CreateDeployment(ws),
                WorkspaceTab::Users | WorkspaceTab::Invites => FormKind::InviteUser(ws),
                WorkspaceTab::ServiceAccounts => {
                    FormKind::CreateServiceAccount(Scope::Workspace(ws))
                }
                WorkspaceTab::Settings | WorkspaceTab::Teams => return vec![],
            }
        }
        Screen::Deployment(tab) => {
            let Some(d) = deployment_id(state) else {
                return vec![];
            };
            match tab {
                DeploymentTab::Variables => FormKind::AddVariable(d),
                DeploymentTab::Users => FormKind::AddDeploymentUser(d),
                DeploymentTab::ServiceAccounts => {
                    FormKind::CreateServiceAccount(Scope::Deployment(d))
                }
                // The other tabs create nothing (a read-only tab needs no arm).
                _ => return vec![],
            }
        }
        Screen::AllDeployments | Screen::Clusters => return vec![],
    };
    open_form(state, kind)
}

fn edit(state: &mut AppState, screen: Screen) -> Vec<Effect> {
    let kind = match screen {
        Screen::Account => match state.selected_workspace() {
            Some(w) => FormKind::EditWorkspace(w.id.clone()),
            None => return vec![],
        },
        Screen::Workspace(WorkspaceTab::Settings) => match workspace_id(state) {
            Some(ws) => FormKind::EditWorkspace(ws),
            None => return vec![],
        },
        Screen::Workspace(WorkspaceTab::Teams) => {
            let (Some(ws), Some(t)) = (workspace_id(state), state.selected_team()) else {
                return vec![];
            };
            FormKind::ChangeWorkspaceTeamRole {
                workspace: ws,
                team: t.id.clone(),
            }
        }
        Screen::Workspace(WorkspaceTab::Deployments)
        | Screen::Deployment(DeploymentTab::Overview) => match state.target_deployment() {
            // A list row lacks the description and resources the form edits.
            Some(d) if state.cache.full_deployment(&d.id).is_none() => {
                let id = d.id.clone();
                return super::full_deployment::await_full_deployment(state, id);
            }
            Some(d) => FormKind::EditDeployment(d.id.clone()),
            None => return vec![],
        },
        Screen::AllDeployments => return vec![],
        Screen::Clusters => match crate::app::clusters::selected(state) {
            Some(row) => FormKind::RenameCluster(row.cluster.id),
            None => return vec![],
        },
        Screen::Workspace(WorkspaceTab::Users) => {
            let (Some(ws), Some(u)) = (workspace_id(state), state.selected_workspace_user()) else {
                return vec![];
            };
            let Some(email) = u.email.clone() else {
                let name = u.display_name().to_string();
                error(
                    state,
                    format!("{name} has no e-mail address: Houston changes roles by e-mail"),
                );
                return vec![];
            };
            // Whether an admin team is left decides the last-admin rule on submit.
            let mut effects = teams_for_admin_rule(state, &ws);
            effects.extend(open_form(
                state,
                FormKind::ChangeWorkspaceRole {
                    workspace: ws,
                    email,
                },
            ));
            return effects;
        }
        Screen::Workspace(WorkspaceTab::Invites) => {
            let (Some(ws), Some(i)) = (workspace_id(state), state.selected_invite()) else {
                return vec![];
            };
            FormKind::ChangeWorkspaceRole {
                workspace: ws,
                email: i.email.clone(),
            }
        }
        Screen::Workspace(WorkspaceTab::ServiceAccounts) => {
            let (Some(ws), Some(sa)) = (workspace_id(state), state.selected_service_account())
            else {
                return vec![];
            };
            FormKind::EditServiceAccount(Scope::Workspace(ws), sa.id.clone())
        }
        Screen::Deployment(DeploymentTab::Variables) => {
            let (Some(d), Some(v)) = (deployment_id(state), state.selected_variable()) else {
                return vec![];
            };
            FormKind::EditVariable {
                deployment: d,
                key: v.key.clone(),
            }
        }
        Screen::Deployment(DeploymentTab::Users) => {
            if let (Some(d), Some(t)) = (deployment_id(state), state.selected_team()) {
                let team = t.id.clone();
                return open_form(
                    state,
                    FormKind::ChangeDeploymentTeamRole {
                        deployment: d,
                        team,
                    },
                );
            }
            let (Some(d), Some(u)) = (deployment_id(state), state.selected_deployment_user())
            else {
                return vec![];
            };
            let Some(email) = u.email.clone() else {
                error(
                    state,
                    "This user has no e-mail address: Houston changes roles by e-mail",
                );
                return vec![];
            };
            FormKind::ChangeDeploymentRole {
                deployment: d,
                user: u.id.clone(),
                email,
            }
        }
        Screen::Deployment(DeploymentTab::ServiceAccounts) => {
            let (Some(d), Some(sa)) = (deployment_id(state), state.selected_service_account())
            else {
                return vec![];
            };
            FormKind::EditServiceAccount(Scope::Deployment(d), sa.id.clone())
        }
        // The other tabs edit nothing (a read-only tab needs no arm).
        Screen::Deployment(_) => return vec![],
    };
    open_form(state, kind)
}

fn confirm(state: &mut AppState, confirm: Confirm) -> Vec<Effect> {
    if super::mutations::refused_read_only(state) {
        return vec![];
    }
    state.ui.modals.push(Modal::Confirm(confirm));
    vec![]
}

fn twin_lines(lines: Vec<String>) -> Vec<ConfirmLine> {
    lines.into_iter().map(ConfirmLine::Text).collect()
}

fn delete_workspace(state: &mut AppState, w: Workspace) -> Vec<Effect> {
    let c = Confirm::new(
        format!("Delete workspace {}?", w.label),
        ConfirmAction::Mutate(Mutation::DeleteWorkspace {
            id: w.id.clone(),
            label: w.label.clone(),
        }),
        "Delete",
    )
    .line("This cannot be undone. Houston refuses while the workspace has deployments.")
    // Two workspaces of one name: say which of them this is.
    .lines(twin_lines(duplicates::workspace_twin_lines(state, &w)))
    .line(format!(
        "Type the workspace's name, {}, to confirm.",
        w.label
    ))
    .type_to_confirm(w.label.clone())
    .danger();
    confirm(state, c)
}

fn delete_deployment(state: &mut AppState, d: Deployment) -> Vec<Effect> {
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
    .lines(twin_lines(duplicates::deployment_twin_lines(state, &d)))
    .line(format!(
        "Type the deployment's name, {}, or its release name, {}, to confirm.",
        d.label, d.release_name
    ))
    .type_to_confirm(d.label.clone())
    .or_type(d.release_name.clone())
    .danger();
    confirm(state, c)
}

fn delete(state: &mut AppState, screen: Screen) -> Vec<Effect> {
    match screen {
        Screen::Account => match state.selected_workspace().cloned() {
            Some(w) => delete_workspace(state, w),
            None => vec![],
        },
        Screen::Workspace(WorkspaceTab::Settings) => match state.current_workspace().cloned() {
            Some(w) => delete_workspace(state, w),
            None => vec![],
        },
        Screen::Workspace(WorkspaceTab::Teams) => {
            let (Some(ws), Some(t)) = (workspace_id(state), state.selected_team().cloned()) else {
                return vec![];
            };
            remove_workspace_team(state, ws, t)
        }
        Screen::AllDeployments | Screen::Clusters => vec![],
        Screen::Workspace(WorkspaceTab::Deployments)
        | Screen::Deployment(DeploymentTab::Overview) => match state.target_deployment().cloned() {
            Some(d) => delete_deployment(state, d),
            None => vec![],
        },
        Screen::Workspace(WorkspaceTab::Users) => {
            let (Some(ws), Some(u)) = (
                workspace_id(state),
                state.selected_workspace_user().cloned(),
            ) else {
                return vec![];
            };
            if let Some(refusal) =
                role_rules::last_admin_refusal(state, &ws, Member::User(&u.id), None)
            {
                error(state, refusal);
                return teams_for_admin_rule(state, &ws);
            }
            let name = u.display_name().to_string();
            let mutation = ConfirmAction::Mutate(Mutation::RemoveWorkspaceUser {
                workspace: ws.clone(),
                user: u.id.clone(),
                name: name.clone(),
            });
            let c = if role_rules::is_me(state, &u.id) {
                let ws_name = state
                    .cache
                    .workspace(&ws)
                    .map_or("this workspace".to_string(), |w| w.label.clone());
                Confirm::new("Remove yourself from the workspace?", mutation, "Remove")
                    .line(format!(
                        "This is you: you will lose every role in {ws_name} and its deployments."
                    ))
                    .line("Only a workspace admin can add you back.")
            } else {
                Confirm::new(
                    format!("Remove {name} from the workspace?"),
                    mutation,
                    "Remove",
                )
                .line(format!(
                    "{name} loses every role in this workspace and its deployments."
                ))
            };
            confirm(state, c.danger())
        }
        Screen::Workspace(WorkspaceTab::Invites) => {
            let (Some(ws), Some(i)) = (workspace_id(state), state.selected_invite().cloned())
            else {
                return vec![];
            };
            let c = Confirm::new(
                format!("Revoke the invite of {}?", i.email),
                ConfirmAction::Mutate(Mutation::RevokeInvite {
                    workspace: ws,
                    invite: i.id.clone(),
                    email: i.email.clone(),
                }),
                "Revoke",
            )
            .line("The invitation link stops working.")
            .danger();
            confirm(state, c)
        }
        Screen::Workspace(WorkspaceTab::ServiceAccounts)
        | Screen::Deployment(DeploymentTab::ServiceAccounts) => {
            let scope = match (workspace_id(state), deployment_id(state)) {
                (Some(ws), _) => Scope::Workspace(ws),
                (_, Some(d)) => Scope::Deployment(d),
                _ => return vec![],
            };
            let Some(sa) = state.selected_service_account().cloned() else {
                return vec![];
            };
            let c = Confirm::new(
                format!("Delete service account {}?", sa.label),
                ConfirmAction::Mutate(Mutation::DeleteServiceAccount {
                    scope,
                    id: sa.id.clone(),
                    label: sa.label.clone(),
                }),
                "Delete",
            )
            .line("Its API key stops working at once: CI/CD jobs using it will fail.")
            .danger();
            confirm(state, c)
        }
        Screen::Deployment(DeploymentTab::Variables) => {
            let (Some(d), Some(v)) = (deployment_id(state), state.selected_variable().cloned())
            else {
                return vec![];
            };
            // Deleted from a base: if the variable changes on the server meanwhile, a conflict.
            match super::recheck::delete_confirm(state, &d, &v.key) {
                Some(c) => confirm(state, c),
                None => vec![],
            }
        }
        Screen::Deployment(DeploymentTab::Users) => {
            if let (Some(d), Some(t)) = (deployment_id(state), state.selected_team().cloned()) {
                return remove_deployment_team(state, d, t);
            }
            let (Some(d), Some(u)) = (
                deployment_id(state),
                state.selected_deployment_user().cloned(),
            ) else {
                return vec![];
            };
            let Some(email) = u.email.clone() else {
                error(
                    state,
                    "This user has no e-mail address: Houston removes roles by e-mail",
                );
                return vec![];
            };
            let mutation = ConfirmAction::Mutate(Mutation::RemoveDeploymentUser {
                deployment: d,
                user: u.id.clone(),
                email: email.clone(),
            });
            let c = if role_rules::is_me(state, &u.id) {
                let role = u.role.as_ref().map_or("deployment", |r| r.short());
                Confirm::new(
                    "Remove your own role on this deployment?",
                    mutation,
                    "Remove",
                )
                .line(format!(
                    "This is you: you will lose your {role} role on this deployment."
                ))
                .line("A role you hold through the workspace stays.")
            } else {
                Confirm::new(
                    format!("Remove {email}'s role on this deployment?"),
                    mutation,
                    "Remove",
                )
                .line("A role they hold through the workspace stays.")
            };
            confirm(state, c.danger())
        }
        // The other tabs delete nothing (a read-only tab needs no arm).
        Screen::Deployment(_) => vec![],
    }
}

fn cancel_upgrade(state: &mut AppState) -> Vec<Effect> {
    let Some(d) = state.target_deployment().cloned() else {
        return vec![];
    };
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
    confirm(state, c)
}

fn remove_workspace_team(state: &mut AppState, ws: WorkspaceId, t: Team) -> Vec<Effect> {
    if let Some(refusal) = role_rules::last_admin_refusal(state, &ws, Member::Team(&t.id), None) {
        error(state, refusal);
        return vec![];
    }
    let c = Confirm::new(
        format!("Remove team {} from the workspace?", t.name),
        ConfirmAction::Mutate(Mutation::RemoveWorkspaceTeam {
            workspace: ws,
            team: t.id.clone(),
            name: t.name.clone(),
        }),
        "Remove",
    )
    .line("Its members lose every role the team gives them in this workspace and its deployments.")
    .line("The team itself stays in the identity provider.")
    .danger();
    confirm(state, c)
}

fn remove_deployment_team(state: &mut AppState, d: DeploymentId, t: Team) -> Vec<Effect> {
    let c = Confirm::new(
        format!("Remove team {}'s role on this deployment?", t.name),
        ConfirmAction::Mutate(Mutation::RemoveDeploymentTeam {
            deployment: d,
            team: t.id.clone(),
            name: t.name.clone(),
        }),
        "Remove",
    )
    .line("A role the team holds through the workspace stays.")
    .danger();
    confirm(state, c)
}

/// Read the workspace's teams if they are not known yet: an admin team keeps the workspace
/// administered when a user admin steps down.
fn teams_for_admin_rule(state: &mut AppState, ws: &WorkspaceId) -> Vec<Effect> {
    if role_rules::teams_unknown(state, ws) {
        super::refresh::ensure(
            state,
            crate::houston::request::Request::WorkspaceTeams(ws.clone()),
        )
    } else {
        vec![]
    }
}
