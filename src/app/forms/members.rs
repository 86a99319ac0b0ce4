//! Workspace users and invites, and deployment-level roles.

use super::role_rules::{self, Member};
use super::{Field, Form};
use super::{Plan, deployment_roles, email_problem, workspace_roles};
use crate::app::forms::FieldId;
use crate::app::modal::ConfirmLine;
use crate::app::state::AppState;
use crate::houston::model::*;
use crate::houston::mutation::Mutation;

fn email_field() -> Field {
    Field::text(FieldId::Email, "E-mail", "")
        .required()
        .help("An existing user is added at once; anyone else gets an invite")
}

/// The address as typed (not trimmed: a stray space is pointed out, not dropped).
pub(super) fn check_email(form: &mut Form) {
    let email = form.value(FieldId::Email);
    if email.is_empty() {
        return; // "E-mail is required" says it.
    }
    if let Some(problem) = email_problem(&email) {
        form.set_error(FieldId::Email, format!("Not an e-mail address: {problem}"));
    }
}

pub(crate) fn invite() -> Form {
    Form::new(
        "Invite a user to the workspace",
        vec![
            email_field(),
            Field::select(FieldId::Role, "Role", workspace_roles(), "WORKSPACE_VIEWER"),
        ],
    )
}

/// Change the role of a member or of a pending invite (both by e-mail).
pub(crate) fn change_workspace_role(
    state: &AppState,
    ws: &WorkspaceId,
    email: &str,
) -> Option<Form> {
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
            FieldId::Role,
            "Role",
            workspace_roles(),
            role.as_str(),
        )],
    ))
}

pub(crate) fn add_deployment_user() -> Form {
    Form::new(
        "Give a user a role on this deployment",
        vec![
            Field::text(FieldId::Email, "E-mail", "")
                .required()
                .help("The user must already have an account"),
            Field::select(
                FieldId::Role,
                "Role",
                deployment_roles(),
                "DEPLOYMENT_VIEWER",
            ),
        ],
    )
}

pub(crate) fn change_deployment_role(
    state: &AppState,
    d: &DeploymentId,
    user: &UserId,
) -> Option<Form> {
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
            FieldId::Role,
            "Role",
            deployment_roles(),
            role.as_str(),
        )],
    ))
}

pub(crate) fn plan_invite(ws: &WorkspaceId, form: &mut Form) -> Option<Plan> {
    if !form.validate(check_email) {
        return None;
    }
    Some(Plan::Mutate(Mutation::InviteUser {
        workspace: ws.clone(),
        email: form.text(FieldId::Email).to_lowercase(),
        role: Role::parse(&form.value(FieldId::Role)),
    }))
}

pub(crate) fn plan_change_workspace_role(
    state: &AppState,
    ws: &WorkspaceId,
    email: &str,
    form: &mut Form,
) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    let role = Role::parse(&form.value(FieldId::Role));
    let mutation = Mutation::SetWorkspaceRole {
        workspace: ws.clone(),
        email: email.to_string(),
        role: role.clone(),
    };
    let member = state
        .cache
        .workspace_users(ws)
        .and_then(|users| users.iter().find(|u| u.email.as_deref() == Some(email)));
    let Some(member) = member else {
        // A pending invite: nobody's rights change yet.
        return Some(Plan::Mutate(mutation));
    };
    if let Some(refusal) =
        role_rules::last_admin_refusal(state, ws, Member::User(&member.id), Some(&role))
    {
        form.error = Some(refusal);
        return None;
    }
    if role_rules::is_me(state, &member.id) && member.role.as_ref() != Some(&role) {
        let scope = state
            .cache
            .workspace(ws)
            .map_or("in this workspace".to_string(), |w| {
                format!("in {}", w.label)
            });
        return Some(own_role_review(
            "Change your own workspace role?",
            &scope,
            member.role.as_ref(),
            &role,
            mutation,
        ));
    }
    Some(Plan::Mutate(mutation))
}

/// The confirmation a change of your own role goes through.
fn own_role_review(
    title: &str,
    scope: &str,
    old: Option<&Role>,
    new: &Role,
    mutation: Mutation,
) -> Plan {
    Plan::Review {
        title: title.to_string(),
        lines: role_rules::own_role_lines(scope, old, new)
            .into_iter()
            .map(ConfirmLine::Text)
            .collect(),
        mutation,
    }
}

pub(crate) fn plan_add_deployment_user(d: &DeploymentId, form: &mut Form) -> Option<Plan> {
    if !form.validate(check_email) {
        return None;
    }
    Some(Plan::Mutate(Mutation::AddDeploymentUser {
        deployment: d.clone(),
        email: form.text(FieldId::Email).to_lowercase(),
        role: Role::parse(&form.value(FieldId::Role)),
    }))
}

pub(crate) fn plan_change_deployment_role(
    state: &AppState,
    d: &DeploymentId,
    user: &UserId,
    email: &str,
    form: &mut Form,
) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    let role = Role::parse(&form.value(FieldId::Role));
    let mutation = Mutation::SetDeploymentRole {
        deployment: d.clone(),
        user: user.clone(),
        email: email.to_string(),
        role: role.clone(),
    };
    let old = state
        .cache
        .deployment_users(d)
        .and_then(|users| users.iter().find(|u| &u.id == user))
        .and_then(|u| u.role.clone());
    if role_rules::is_me(state, user) && old.as_ref() != Some(&role) {
        let scope = state
            .cache
            .deployment(d)
            .map_or("on this deployment".to_string(), |d| {
                format!("on {}", d.label)
            });
        return Some(own_role_review(
            "Change your own deployment role?",
            &scope,
            old.as_ref(),
            &role,
            mutation,
        ));
    }
    Some(Plan::Mutate(mutation))
}
