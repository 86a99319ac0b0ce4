//! Workspace users and invites, and deployment-level roles.

use super::{Plan, deployment_roles, email_problem, workspace_roles};
use crate::app::form::{Field, Form};
use crate::app::state::AppState;
use crate::houston::model::*;
use crate::houston::mutation::Mutation;

fn email_field() -> Field {
    Field::text("email", "E-mail", "")
        .required()
        .help("An existing user is added at once; anyone else gets an invite")
}

/// The address as typed (not trimmed: a stray space is pointed out, not dropped).
fn check_email(form: &mut Form) {
    let email = form.value("email");
    if email.is_empty() {
        return; // "E-mail is required" says it.
    }
    if let Some(problem) = email_problem(&email) {
        form.set_error("email", format!("Not an e-mail address: {problem}"));
    }
}

pub fn invite() -> Form {
    Form::new(
        "Invite a user to the workspace",
        vec![
            email_field(),
            Field::select("role", "Role", workspace_roles(), "WORKSPACE_VIEWER"),
        ],
    )
}

/// Change the role of a member or of a pending invite (both by e-mail).
pub fn change_workspace_role(state: &AppState, ws: &WorkspaceId, email: &str) -> Option<Form> {
    let member_role = state
        .cache
        .workspace_users(ws)
        .and_then(|users| users.iter().find(|u| u.email.as_deref() == Some(email)))
        .and_then(|u| u.role.clone());
    let invite_role = state
        .cache
        .invites(ws)
        .and_then(|invites| invites.iter().find(|i| i.email == email))
        .map(|i| i.role.clone());
    let role = member_role.or(invite_role)?;
    Some(Form::new(
        format!("Workspace role of {email}"),
        vec![Field::select(
            "role",
            "Role",
            workspace_roles(),
            role.as_str(),
        )],
    ))
}

pub fn add_deployment_user() -> Form {
    Form::new(
        "Give a user a role on this deployment",
        vec![
            Field::text("email", "E-mail", "")
                .required()
                .help("The user must already have an account"),
            Field::select("role", "Role", deployment_roles(), "DEPLOYMENT_VIEWER"),
        ],
    )
}

pub fn change_deployment_role(state: &AppState, d: &DeploymentId, user: &UserId) -> Option<Form> {
    let u = state
        .cache
        .deployment_users(d)?
        .iter()
        .find(|u| &u.id == user)?;
    let role = u.role.clone().unwrap_or(Role::DeploymentViewer);
    Some(Form::new(
        format!(
            "Deployment role of {}",
            u.email.as_deref().unwrap_or(&u.username)
        ),
        vec![Field::select(
            "role",
            "Role",
            deployment_roles(),
            role.as_str(),
        )],
    ))
}

pub fn plan_invite(ws: &WorkspaceId, form: &mut Form) -> Option<Plan> {
    if !form.validate(check_email) {
        return None;
    }
    Some(Plan::Mutate(Mutation::InviteUser {
        workspace: ws.clone(),
        email: form.text("email").to_lowercase(),
        role: Role::parse(&form.value("role")),
    }))
}

pub fn plan_change_workspace_role(ws: &WorkspaceId, email: &str, form: &mut Form) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    Some(Plan::Mutate(Mutation::SetWorkspaceRole {
        workspace: ws.clone(),
        email: email.to_string(),
        role: Role::parse(&form.value("role")),
    }))
}

pub fn plan_add_deployment_user(d: &DeploymentId, form: &mut Form) -> Option<Plan> {
    if !form.validate(check_email) {
        return None;
    }
    Some(Plan::Mutate(Mutation::AddDeploymentUser {
        deployment: d.clone(),
        email: form.text("email").to_lowercase(),
        role: Role::parse(&form.value("role")),
    }))
}

pub fn plan_change_deployment_role(
    d: &DeploymentId,
    user: &UserId,
    email: &str,
    form: &mut Form,
) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    Some(Plan::Mutate(Mutation::SetDeploymentRole {
        deployment: d.clone(),
        user: user.clone(),
        email: email.to_string(),
        role: Role::parse(&form.value("role")),
    }))
}
