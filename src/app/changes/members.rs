//! Who has a role where: a workspace's users, invites and teams, a deployment's users and teams.
//! Roles change by e-mail; the last admin of a workspace cannot step down.

use super::{Change, Then, change, deployment_id, form, workspace_id};
use crate::app::forms::FormKind;
use crate::app::forms::role_rules::{self, Member};
use crate::app::keymap::cond::{Cap, Cond, Cond::*};
use crate::app::modal::{Confirm, ConfirmAction};
use crate::app::state::AppState;
use crate::houston::model::{DeploymentUser, Invite, Team, WorkspaceId, WorkspaceUser};
use crate::houston::mutation::Mutation;
use crate::houston::request::Request;
use crate::keys::Action;

const MANAGE: &[Cond] = &[Writable, Can(Cap::ManageUsers)];
const MANAGE_ROW: &[Cond] = &[Writable, HasRow, Can(Cap::ManageUsers)];
const DEPLOYMENT: &[Cond] = &[Writable, Can(Cap::ManageDeploymentUsers)];
const DEPLOYMENT_ROW: &[Cond] = &[Writable, HasRow, Can(Cap::ManageDeploymentUsers)];

fn invite(state: &AppState) -> Vec<Then> {
    form(workspace_id(state).map(FormKind::InviteUser))
}

pub(super) fn workspace_users() -> Vec<Change> {
    vec![
        change(Action::New, "invite a user", Some("new"), MANAGE, invite),
        change(
            Action::Edit,
            "change the user's role",
            Some("edit"),
            MANAGE_ROW,
            edit_workspace_user,
        ),
        change(
            Action::Delete,
            "remove the user",
            Some("delete"),
            MANAGE_ROW,
            remove_workspace_user,
        ),
    ]
}

pub(super) fn invites() -> Vec<Change> {
    vec![
        change(Action::New, "invite a user", Some("new"), MANAGE, invite),
        change(
            Action::Edit,
            "change the invite's role",
            Some("edit"),
            MANAGE_ROW,
            |state| {
                let (Some(ws), Some(i)) = (workspace_id(state), state.selected::<Invite>()) else {
                    return vec![];
                };
                vec![Then::Form(FormKind::ChangeWorkspaceRole {
                    workspace: ws,
                    email: i.email.clone(),
                })]
            },
        ),
        change(
            Action::Delete,
            "revoke the invite",
            Some("delete"),
            MANAGE_ROW,
            revoke_invite,
        ),
    ]
}

/// Teams come from the identity provider: their roles here can change or go, none is added.
pub(super) fn workspace_teams() -> Vec<Change> {
    vec![
        change(
            Action::Edit,
            "change the team's role",
            Some("edit"),
            MANAGE_ROW,
            |state| {
                let (Some(ws), Some(t)) = (workspace_id(state), state.selected::<Team>()) else {
                    return vec![];
                };
                vec![Then::Form(FormKind::ChangeWorkspaceTeamRole {
                    workspace: ws,
                    team: t.id.clone(),
                })]
            },
        ),
        change(
            Action::Delete,
            "remove the team's role",
            Some("delete"),
            MANAGE_ROW,
            remove_workspace_team,
        ),
    ]
}

pub(super) fn deployment_users() -> Vec<Change> {
    vec![
        change(
            Action::New,
            "add a user to the deployment",
            Some("new"),
            DEPLOYMENT,
            |state| form(deployment_id(state).map(FormKind::AddDeploymentUser)),
        ),
        change(
            Action::Edit,
            "change the role of the user or team",
            Some("edit"),
            DEPLOYMENT_ROW,
            edit_deployment_member,
        ),
        change(
            Action::Delete,
            "remove the role of the user or team",
            Some("delete"),
            DEPLOYMENT_ROW,
            remove_deployment_member,
        ),
    ]
}

/// Read the workspace's teams if they are not known yet: an admin team keeps the workspace
/// administered when a user admin steps down.
fn teams_for_admin_rule(state: &AppState, ws: &WorkspaceId) -> Vec<Then> {
    if role_rules::teams_unknown(state, ws) {
        vec![Then::Ensure(Request::WorkspaceTeams(ws.clone()))]
    } else {
        vec![]
    }
}

fn edit_workspace_user(state: &AppState) -> Vec<Then> {
    let (Some(ws), Some(u)) = (workspace_id(state), state.selected::<WorkspaceUser>()) else {
        return vec![];
    };
    let Some(email) = u.email.clone() else {
        return vec![Then::Error(format!(
            "{} has no e-mail address: Houston changes roles by e-mail",
            u.display_name()
        ))];
    };
    // Whether an admin team is left decides the last-admin rule on submit.
    let mut then = teams_for_admin_rule(state, &ws);
    then.push(Then::Form(FormKind::ChangeWorkspaceRole {
        workspace: ws,
        email,
    }));
    then
}

fn remove_workspace_user(state: &AppState) -> Vec<Then> {
    let (Some(ws), Some(u)) = (workspace_id(state), state.selected::<WorkspaceUser>()) else {
        return vec![];
    };
    if let Some(refusal) = role_rules::last_admin_refusal(state, &ws, Member::User(&u.id), None) {
        let mut then = vec![Then::Error(refusal)];
        then.extend(teams_for_admin_rule(state, &ws));
        return then;
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
    vec![Then::Confirm(Box::new(c.danger()))]
}

fn revoke_invite(state: &AppState) -> Vec<Then> {
    let (Some(ws), Some(i)) = (workspace_id(state), state.selected::<Invite>()) else {
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
    vec![Then::Confirm(Box::new(c))]
}

fn remove_workspace_team(state: &AppState) -> Vec<Then> {
    let (Some(ws), Some(t)) = (workspace_id(state), state.selected::<Team>()) else {
        return vec![];
    };
    if let Some(refusal) = role_rules::last_admin_refusal(state, &ws, Member::Team(&t.id), None) {
        return vec![Then::Error(refusal)];
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
    vec![Then::Confirm(Box::new(c))]
}

/// `e` on the Users tab: the selected team when the cursor is on the teams, else the user.
fn edit_deployment_member(state: &AppState) -> Vec<Then> {
    let Some(d) = deployment_id(state) else {
        return vec![];
    };
    if let Some(t) = state.selected::<Team>() {
        return vec![Then::Form(FormKind::ChangeDeploymentTeamRole {
            deployment: d,
            team: t.id.clone(),
        })];
    }
    let Some(u) = state.selected::<DeploymentUser>() else {
        return vec![];
    };
    let Some(email) = u.email.clone() else {
        return vec![Then::Error(
            "This user has no e-mail address: Houston changes roles by e-mail".into(),
        )];
    };
    vec![Then::Form(FormKind::ChangeDeploymentRole {
        deployment: d,
        user: u.id.clone(),
        email,
    })]
}

fn remove_deployment_member(state: &AppState) -> Vec<Then> {
    let Some(d) = deployment_id(state) else {
        return vec![];
    };
    if let Some(t) = state.selected::<Team>() {
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
        return vec![Then::Confirm(Box::new(c))];
    }
    let Some(u) = state.selected::<DeploymentUser>() else {
        return vec![];
    };
    let Some(email) = u.email.clone() else {
        return vec![Then::Error(
            "This user has no e-mail address: Houston removes roles by e-mail".into(),
        )];
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
    vec![Then::Confirm(Box::new(c.danger()))]
}
