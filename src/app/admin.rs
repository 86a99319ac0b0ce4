//! The System Admin panel's changes as the app sees them: what each is called while it runs
//! and once done, which lists it makes stale (and re-reads after a timeout), and whether the
//! fresh data shows it applied. The rest of the panel is the usual registry rows, specs and
//! forms (`state::AdminTab`, `tables::admin_specs`, `forms::system`).

use super::applied::Verdict;
use super::cache::Cache;
use crate::app::tables::admin_specs::system_role_text;
use crate::houston::request::Request;
use crate::houston::system_mutations::SystemChange;

/// "Deleting user Ada", for the message line while it runs.
pub(crate) fn doing(c: &SystemChange) -> String {
    match c {
        SystemChange::SetRole { name, .. } => format!("Changing the system role of {name}"),
        SystemChange::DeleteUser { name, .. } => format!("Deleting user {name}"),
        SystemChange::Invite { email } => format!("Inviting {email} to the platform"),
        SystemChange::WithdrawInvite { email, .. } => {
            format!("Withdrawing the invite of {email}")
        }
    }
}

/// "Ada is now System admin", once Houston said yes.
pub(crate) fn done(c: &SystemChange) -> String {
    match c {
        SystemChange::SetRole {
            name, grant: None, ..
        } => format!("{name} has no system role now"),
        SystemChange::SetRole {
            name,
            grant: Some(role),
            ..
        } => format!("{name} is now {}", system_role_text(Some(role))),
        SystemChange::DeleteUser { name, .. } => format!("Deleted user {name}"),
        SystemChange::Invite { email } => format!("Invited {email} to the platform"),
        SystemChange::WithdrawInvite { email, .. } => format!("Withdrew the invite of {email}"),
    }
}

/// The lists a change makes stale; also what is re-read when its answer was lost.
pub(crate) fn affected(c: &SystemChange) -> Vec<Request> {
    match c {
        SystemChange::SetRole { .. } | SystemChange::DeleteUser { .. } => {
            vec![Request::SystemUsers]
        }
        SystemChange::Invite { .. } | SystemChange::WithdrawInvite { .. } => {
            vec![Request::SystemInvites]
        }
    }
}

/// Whether the freshly read lists show `c`; `None` while they are not loaded.
pub(crate) fn check(cache: &Cache, c: &SystemChange) -> Option<Verdict> {
    let verdict = |applied: bool, holds: String| Some(Verdict { applied, holds });
    match c {
        SystemChange::SetRole {
            user, name, grant, ..
        } => {
            let u = cache.system_users()?.iter().find(|u| &u.id == user)?;
            let held = u.system_role();
            verdict(
                held == grant.as_ref() && (grant.is_some() || u.system_roles.is_empty()),
                format!("{name}'s system role is {}", system_role_text(held)),
            )
        }
        SystemChange::DeleteUser { user, name } => {
            let gone = !cache.system_users()?.iter().any(|u| &u.id == user);
            verdict(
                gone,
                format!(
                    "user {name} is {}",
                    if gone { "gone" } else { "still there" }
                ),
            )
        }
        SystemChange::Invite { email } => {
            let there = cache
                .system_invites()?
                .iter()
                .any(|i| i.email.eq_ignore_ascii_case(email.trim()));
            verdict(
                there,
                format!(
                    "{email} {} a pending invite",
                    if there { "has" } else { "has no" }
                ),
            )
        }
        SystemChange::WithdrawInvite { invite, email } => {
            let gone = !cache.system_invites()?.iter().any(|i| &i.id == invite);
            verdict(
                gone,
                format!(
                    "the invite of {email} is {}",
                    if gone { "gone" } else { "still there" }
                ),
            )
        }
    }
}
