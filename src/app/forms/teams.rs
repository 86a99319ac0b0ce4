//! A team's role on a workspace or a deployment (Houston 0.28+): change it, by the same form
//! as a user's role. Removing a team is a confirmation (`update/actions`).

use super::role_rules::{self, Member};
use super::{Field, Form};
use super::{Plan, deployment_roles, workspace_roles};
use crate::app::forms::FieldId;
use crate::app::state::AppState;
use crate::houston::model::*;
use crate::houston::mutation::Mutation;

pub(crate) fn workspace_team<'a>(
    state: &'a AppState,
    ws: &WorkspaceId,
    team: &TeamId,
) -> Option<&'a Team> {
    state
        .cache
        .workspace_teams(ws)?
        .iter()
        .find(|t| &t.id == team)
}

pub(crate) fn deployment_team<'a>(
    state: &'a AppState,
    d: &DeploymentId,
    team: &TeamId,
) -> Option<&'a Team> {
    state
        .cache
        .deployment_teams(d)?
        .iter()
        .find(|t| &t.id == team)
}

pub(crate) fn change_workspace_role(
    state: &AppState,
    ws: &WorkspaceId,
    team: &TeamId,
) -> Option<Form> {
    let t = workspace_team(state, ws, team)?;
    let role = t.role.clone().unwrap_or(Role::WorkspaceViewer);
    Some(Form::new(
        format!("Workspace role of team {}", t.name),
        vec![
            Field::select(FieldId::Role, "Role", workspace_roles(), role.as_str())
                .help("Every member of the team holds this role"),
        ],
    ))
}

pub(crate) fn change_deployment_role(
    state: &AppState,
    d: &DeploymentId,
    team: &TeamId,
) -> Option<Form> {
    let t = deployment_team(state, d, team)?;
    let role = t.role.clone().unwrap_or(Role::DeploymentViewer);
    Some(Form::new(
        format!("Deployment role of team {}", t.name),
        vec![
            Field::select(FieldId::Role, "Role", deployment_roles(), role.as_str())
                .help("Every member of the team holds this role"),
        ],
    ))
}

pub(crate) fn plan_change_workspace_role(
    state: &AppState,
    ws: &WorkspaceId,
    team: &TeamId,
    form: &mut Form,
) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    let t = workspace_team(state, ws, team)?;
    let role = Role::parse(&form.value(FieldId::Role));
    if let Some(refusal) =
        role_rules::last_admin_refusal(state, ws, Member::Team(team), Some(&role))
    {
        form.error = Some(refusal);
        return None;
    }
    Some(Plan::Mutate(Mutation::SetWorkspaceTeamRole {
        workspace: ws.clone(),
        team: team.clone(),
        name: t.name.clone(),
        role,
    }))
}

pub(crate) fn plan_change_deployment_role(
    state: &AppState,
    d: &DeploymentId,
    team: &TeamId,
    form: &mut Form,
) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    let t = deployment_team(state, d, team)?;
    Some(Plan::Mutate(Mutation::SetDeploymentTeamRole {
        deployment: d.clone(),
        team: team.clone(),
        name: t.name.clone(),
        role: Role::parse(&form.value(FieldId::Role)),
    }))
}
