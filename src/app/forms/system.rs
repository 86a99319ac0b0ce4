//! The System Admin panel's forms: inviting someone to the platform, and a user's system role
//! (granted, changed or revoked). System service accounts use `service_accounts` with
//! `Scope::System`.

use super::members::check_email;
use super::{Choice, Field, FieldId, Form, Plan};
use crate::app::state::AppState;
use crate::houston::model::{Role, UserId};
use crate::houston::mutation::Mutation;
use crate::houston::system_mutations::SystemChange;

/// The choice that means "no system role" (never sent: the held roles are revoked).
const NO_ROLE: &str = "NONE";

pub(crate) fn invite() -> Form {
    Form::new(
        "Invite a user to the platform",
        vec![
            Field::text(FieldId::Email, "E-mail", "")
                .required()
                .help("They get an invite to sign up; no workspace role comes with it"),
        ],
    )
}

pub(crate) fn plan_invite(form: &mut Form) -> Option<Plan> {
    if !form.validate(check_email) {
        return None;
    }
    Some(Plan::Mutate(Mutation::System(SystemChange::Invite {
        email: form.text(FieldId::Email).to_lowercase(),
    })))
}

fn role_choices() -> Vec<Choice> {
    let mut out = vec![Choice::new(NO_ROLE, "None")];
    out.extend(super::system_roles());
    out
}

/// A user's system role: their highest now, or none.
pub(crate) fn set_role(state: &AppState, user: &UserId) -> Option<Form> {
    let u = state.cache.system_users()?.iter().find(|u| &u.id == user)?;
    let held = u.system_role().map_or(NO_ROLE, Role::as_str);
    Some(Form::new(
        format!("System role of {}", u.display_name()),
        vec![
            Field::select(FieldId::Role, "System role", role_choices(), held)
                .help("Viewer reads everything; Admin changes it"),
        ],
    ))
}

pub(crate) fn plan_set_role(state: &AppState, user: &UserId, form: &mut Form) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    let u = state.cache.system_users()?.iter().find(|u| &u.id == user)?;
    let chosen = form.value(FieldId::Role);
    let grant = (chosen != NO_ROLE).then(|| Role::parse(&chosen));
    if u.system_roles.len() <= 1 && u.system_role() == grant.as_ref() {
        form.error = Some("That is the role they have: nothing to change".into());
        return None;
    }
    // Every other system role goes (one role each, as the web UI shows it); the one kept is
    // not sent again.
    let revoke: Vec<Role> = u
        .system_roles
        .iter()
        .filter(|r| Some(*r) != grant.as_ref())
        .cloned()
        .collect();
    let grant = grant.filter(|g| !u.system_roles.contains(g));
    Some(Plan::Mutate(Mutation::System(SystemChange::SetRole {
        user: user.clone(),
        name: u.display_name().to_string(),
        revoke,
        grant,
    })))
}
