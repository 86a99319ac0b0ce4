//! Rules for role changes that Houston itself does not enforce: a change to your own role or
//! your own removal is confirmed first ("This is you"), and no change may leave a workspace
//! without an admin (Houston only keeps the last *system* admin; a workspace with no admin
//! left can only be repaired by a system admin).

use crate::app::remote::Remote;
use crate::app::state::AppState;
use crate::houston::model::*;
use crate::houston::request::Request;

/// Who loses (or changes) a workspace role.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Member<'a> {
    User(&'a UserId),
    Team(&'a TeamId),
}

/// Whether `id` is the signed-in user.
pub(crate) fn is_me(state: &AppState, id: &UserId) -> bool {
    state.me().and_then(|m| m.id.as_ref()) == Some(id)
}

/// The refusal when `member` leaving the Admin role (to `new_role`, or removed when `None`)
/// would leave workspace `ws` with no admin, as far as the loaded users and teams tell.
pub(crate) fn last_admin_refusal(
    state: &AppState,
    ws: &WorkspaceId,
    member: Member,
    new_role: Option<&Role>,
) -> Option<String> {
    if new_role == Some(&Role::WorkspaceAdmin) {
        return None;
    }
    let users = state.cache.workspace_users(ws).unwrap_or(&[]);
    let teams = state.cache.workspace_teams(ws).unwrap_or(&[]);
    let admin = |r: &Option<Role>| r.as_ref() == Some(&Role::WorkspaceAdmin);
    let is_admin_now = match member {
        Member::User(id) => users.iter().any(|u| &u.id == id && admin(&u.role)),
        Member::Team(id) => teams.iter().any(|t| &t.id == id && admin(&t.role)),
    };
    if !is_admin_now {
        return None;
    }
    let other_admins = users
        .iter()
        .filter(|u| !matches!(member, Member::User(id) if id == &u.id) && admin(&u.role))
        .count()
        + teams
            .iter()
            .filter(|t| !matches!(member, Member::Team(id) if id == &t.id) && admin(&t.role))
            .count();
    if other_admins > 0 {
        return None;
    }
    if teams_unknown(state, ws) {
        return Some(
            "Not yet: the workspace's teams (an admin team counts) are being read; try again in \
             a moment"
                .to_string(),
        );
    }
    let name = state
        .cache
        .workspace(ws)
        .map_or("The workspace", |w| w.label.as_str());
    // What matters first: the message line may cut the rest.
    Some(format!(
        "Refused: {name} would have no admin left (make someone else Admin first)"
    ))
}

/// The teams of `ws` have not been read yet (a failed read counts as read: an older Houston
/// has no teams).
pub(crate) fn teams_unknown(state: &AppState, ws: &WorkspaceId) -> bool {
    matches!(
        state.cache.remote(&Request::WorkspaceTeams(ws.clone())),
        None | Some(Remote::NotLoaded | Remote::Loading { prev: None })
    )
}

/// The warning shown before you change your own role from `old` to `new` ("This is you").
pub(crate) fn own_role_lines(scope: &str, old: Option<&Role>, new: &Role) -> Vec<String> {
    let old_name = old.map_or("your role", Role::short);
    let new_name = new.short();
    if old.is_some_and(|o| rank(new) < rank(o)) {
        vec![
            format!(
                "This is you: you will lose the {old_name} rights {scope} ({old_name} → \
                 {new_name})."
            ),
            "You cannot give them back to yourself.".to_string(),
        ]
    } else {
        vec![format!(
            "This is you: your role {scope} goes from {old_name} to {new_name}."
        )]
    }
}

/// Viewer < Editor < Admin, whatever the scope.
fn rank(role: &Role) -> u8 {
    match role.short() {
        "Admin" => 3,
        "Editor" => 2,
        "Viewer" => 1,
        _ => 0,
    }
}
