//! Teams (Houston 0.28+, IdP groups): queries, the workspace,
//! deployment and system role bindings of a team, and the `Team` type. A team's members hold
//! its roles everywhere (`db::teams::user_grants`). Teams themselves come from the identity
//! provider (the demo seed here); no operation creates or deletes one.

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::inputs::DeploymentRoles;
use super::mutation::{IAM, dup_binding};
use super::query::cursor_page;
use super::types::{RoleBinding, User, Workspace};
use super::{DateTime, Uuid, caller, dep_entity, load_deployment, non_empty, read, require, write};
use crate::db::store::{self, BindingRow};
use crate::db::teams::{self, TeamRow};
use crate::error::{bad_input, forbidden, not_found};
use crate::rbac::{Entity, Permission, Principal, Role};

const SYSTEM_TEAMS_GET: Permission = Permission::SystemTeamsGet;
const WS_TEAMS: &[Permission] = &[Permission::WorkspaceTeamsGet, Permission::SystemTeamsGet];
const DEP_TEAMS: &[Permission] = &[Permission::DeploymentTeamsGet, Permission::SystemTeamsGet];
const DEP_TEAM_ROLES: &[Permission] = &[
    Permission::DeploymentTeamRolesUpdate,
    Permission::SystemIamUpdate,
];
const SYSTEM_TEAMS_UPDATE: &[Permission] = &[Permission::SystemTeamsUpdate];

fn missing_team_binding() -> async_graphql::Error {
    bad_input("The role binding does not exist for this team")
}

pub(crate) struct Team {
    pub(crate) row: TeamRow,
    /// When set, `roleBindings` lists only the team's bindings in this workspace (on it and on
    /// its deployments), as `team(workspaceUuid:)`, `workspaceTeams` and `deploymentTeams` ask.
    scope: Option<String>,
}

impl Team {
    pub(crate) fn new(row: TeamRow) -> Self {
        Team { row, scope: None }
    }
    fn in_workspace(row: TeamRow, workspace: &str) -> Self {
        Team {
            row,
            scope: Some(workspace.to_string()),
        }
    }
}

/// The workspace a binding belongs to (a deployment binding: its deployment's workspace).
fn binding_workspace(c: &rusqlite::Connection, b: &BindingRow) -> rusqlite::Result<Option<String>> {
    if let Some(ws) = &b.workspace_id {
        return Ok(Some(ws.clone()));
    }
    match &b.deployment_id {
        Some(dep) => Ok(store::deployment_by_id(c, dep)?.map(|d| d.workspace_id)),
        None => Ok(None),
    }
}

/// Whether the caller may see a team binding: everything with `system.teams.get`, else
/// bindings on workspaces / deployments whose teams it may list.
fn binding_visible(
    c: &rusqlite::Connection,
    p: &Principal,
    b: &BindingRow,
) -> rusqlite::Result<bool> {
    if p.has(SYSTEM_TEAMS_GET, Entity::System) {
        return Ok(true);
    }
    if let Some(dep) = &b.deployment_id {
        return Ok(
            store::deployment_by_id(c, dep)?.is_some_and(|d| p.any(DEP_TEAMS, dep_entity(&d)))
        );
    }
    Ok(b.workspace_id
        .as_deref()
        .is_some_and(|ws| p.any(WS_TEAMS, Entity::Workspace(ws))))
}

#[Object]
impl Team {
    async fn id(&self) -> ID {
        ID(self.row.id.clone())
    }
    async fn name(&self) -> Option<&str> {
        Some(&self.row.name)
    }
    async fn sort_id(&self) -> Option<i32> {
        i32::try_from(self.row.sort_id).ok()
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.row.created_at.clone())
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.row.updated_at.clone())
    }
    /// The team's bindings the caller may see (see `binding_visible`), within the scope the
    /// query gave.
    async fn role_bindings(&self, ctx: &Context<'_>) -> Result<Option<Vec<RoleBinding>>> {
        let p = caller(ctx)?;
        let out = read(ctx, |c| {
            let mut out = Vec::new();
            for b in teams::team_bindings(c, &self.row.id)? {
                if let Some(scope) = &self.scope
                    && binding_workspace(c, &b)?.as_deref() != Some(scope.as_str())
                {
                    continue;
                }
                if binding_visible(c, &p, &b)? {
                    out.push(RoleBinding(b));
                }
            }
            Ok(out)
        })?;
        Ok(Some(out))
    }
}

#[derive(SimpleObject)]
pub(crate) struct PaginatedTeams {
    /// Teams matching the query (before paging).
    pub(crate) count: Option<i32>,
    pub(crate) teams: Option<Vec<Option<Team>>>,
}

fn load_team(ctx: &Context<'_>, id: &str) -> Result<TeamRow> {
    read(ctx, |c| Ok(teams::team_by_id(c, id)?))?.ok_or_else(not_found)
}

#[derive(Default)]
pub(crate) struct TeamQuery;

#[Object]
impl TeamQuery {
    /// A team. With `workspaceUuid`, a caller holding `workspace.teams.get` there may read
    /// a team of that workspace and sees only its bindings in it; otherwise `system.teams.get`.
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn team(
        &self,
        ctx: &Context<'_>,
        team_uuid: Uuid,
        workspace_uuid: Option<Uuid>,
    ) -> Result<Option<Team>> {
        let p = caller(ctx)?;
        let ws = non_empty(workspace_uuid.as_ref().map(|w| w.0.as_str()));
        if p.has(SYSTEM_TEAMS_GET, Entity::System) {
            let row = load_team(ctx, &team_uuid.0)?;
            return Ok(Some(match ws {
                Some(ws) => Team::in_workspace(row, ws),
                None => Team::new(row),
            }));
        }
        let Some(ws) = ws.filter(|ws| p.any(WS_TEAMS, Entity::Workspace(ws))) else {
            return Err(forbidden());
        };
        let row = read(ctx, |c| {
            let t = teams::team_by_id(c, &team_uuid.0)?;
            Ok(match t {
                Some(t) if teams::team_in_workspace(c, &t.id, ws)? => Some(t),
                _ => None,
            })
        })?
        .ok_or_else(not_found)?;
        Ok(Some(Team::in_workspace(row, ws)))
    }

    /// The members of a team: `system.teams.get`, or `workspace.teams.get` in a workspace
    /// where the team has a role.
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn team_users(
        &self,
        ctx: &Context<'_>,
        team_uuid: Uuid,
    ) -> Result<Option<Vec<Option<User>>>> {
        let p = caller(ctx)?;
        let system = p.has(SYSTEM_TEAMS_GET, Entity::System);
        let users = read(ctx, |c| {
            let Some(team) = teams::team_by_id(c, &team_uuid.0)? else {
                return Err(if system { not_found() } else { forbidden() }.into());
            };
            if !system {
                let mut allowed = false;
                for b in teams::team_bindings(c, &team.id)? {
                    if let Some(ws) = binding_workspace(c, &b)?
                        && p.any(WS_TEAMS, Entity::Workspace(&ws))
                    {
                        allowed = true;
                        break;
                    }
                }
                if !allowed {
                    return Err(forbidden().into());
                }
            }
            Ok(teams::team_users(c, &team.id)?)
        })?;
        Ok(Some(users.into_iter().map(|u| Some(User::of(u))).collect()))
    }

    /// Teams by id with cursor paging (`take` < 0 pages backwards; no `take` = all) and their
    /// total `count`: every team (`system.teams.get`) or a workspace's.
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn paginated_teams(
        &self,
        ctx: &Context<'_>,
        take: Option<i32>,
        cursor: Option<Uuid>,
        workspace_uuid: Option<Uuid>,
    ) -> Result<Option<PaginatedTeams>> {
        let ws = non_empty(workspace_uuid.as_ref().map(|w| w.0.as_str()));
        let rows = match ws {
            Some(ws) => {
                require(ctx, WS_TEAMS, Entity::Workspace(ws))?;
                read(ctx, |c| Ok(teams::teams_of_workspace(c, ws)?))?
            }
            None => {
                require(ctx, &[SYSTEM_TEAMS_GET], Entity::System)?;
                read(ctx, |c| Ok(teams::all_teams(c)?))?
            }
        };
        let count = i32::try_from(rows.len()).unwrap_or(i32::MAX);
        let cursor = non_empty(cursor.as_ref().map(|c| c.0.as_str()));
        let page = cursor_page(rows, |t| &t.id, cursor, take);
        Ok(Some(PaginatedTeams {
            count: Some(count),
            teams: Some(
                page.into_iter()
                    .map(|t| {
                        Some(match ws {
                            Some(ws) => Team::in_workspace(t, ws),
                            None => Team::new(t),
                        })
                    })
                    .collect(),
            ),
        }))
    }

    /// Teams with a role on the workspace.
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn workspace_teams(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
    ) -> Result<Option<Vec<Option<Team>>>> {
        let ws = workspace_uuid.0;
        require(ctx, WS_TEAMS, Entity::Workspace(&ws))?;
        let rows = read(ctx, |c| Ok(teams::teams_of_workspace(c, &ws)?))?;
        Ok(Some(
            rows.into_iter()
                .map(|t| Some(Team::in_workspace(t, &ws)))
                .collect(),
        ))
    }

    /// Teams with a role on the deployment.
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn deployment_teams(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
    ) -> Result<Option<Vec<Option<Team>>>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(ctx, DEP_TEAMS, dep_entity(&d))?;
        let rows = read(ctx, |c| Ok(teams::teams_of_deployment(c, &d.id)?))?;
        Ok(Some(
            rows.into_iter()
                .map(|t| Some(Team::in_workspace(t, &d.workspace_id)))
                .collect(),
        ))
    }
}

#[derive(Default)]
pub(crate) struct TeamMutation;

/// Validated `deploymentRoles` of `workspaceAddTeam`.
fn parse_deployment_roles(input: Option<Vec<DeploymentRoles>>) -> Result<Vec<(String, Role)>> {
    let mut out = Vec::new();
    for r in input.unwrap_or_default() {
        let dep = non_empty(r.deployment_id.as_ref().map(|d| d.0.as_str())).ok_or_else(|| {
            bad_input("A required argument was not sent: deploymentRoles.deploymentId")
        })?;
        let role = r
            .role
            .ok_or_else(|| bad_input("A required argument was not sent: deploymentRoles.role"))?;
        if !role.is_deployment() {
            return Err(bad_input("Invalid role"));
        }
        out.push((dep.to_string(), role));
    }
    Ok(out)
}

#[Object]
impl TeamMutation {
    /// Gives a team a workspace role (and optionally deployment roles in that workspace).
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn workspace_add_team(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        team_uuid: Uuid,
        role: Role,
        deployment_roles: Option<Vec<DeploymentRoles>>,
    ) -> Result<Option<Workspace>> {
        let ws = workspace_uuid.0;
        require(ctx, IAM, Entity::Workspace(&ws))?;
        if !role.is_workspace() {
            return Err(bad_input("invalid workspace role"));
        }
        let dep_roles = parse_deployment_roles(deployment_roles)?;
        let row = write(ctx, |c| {
            let w = store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?;
            let team = teams::team_by_id(c, &team_uuid.0)?.ok_or_else(not_found)?;
            for (dep, _) in &dep_roles {
                match store::deployment_by_id(c, dep)? {
                    Some(d) if d.workspace_id == ws => {}
                    _ => return Err(not_found().into()),
                }
            }
            if teams::team_workspace_binding(c, &team.id, &ws)?.is_some() {
                return Err(dup_binding().into());
            }
            teams::insert_team_binding(c, &team.id, role, Some(&ws), None)?;
            for (dep, r) in &dep_roles {
                if teams::team_deployment_binding(c, &team.id, dep)?.is_none() {
                    teams::insert_team_binding(c, &team.id, *r, None, Some(dep))?;
                }
            }
            Ok(w)
        })?;
        Ok(Some(Workspace::loaded(row)))
    }

    /// Changes a team's workspace role; returns the new role.
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn workspace_update_team_role(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        team_uuid: Uuid,
        role: Role,
    ) -> Result<Option<Role>> {
        let ws = workspace_uuid.0;
        require(ctx, IAM, Entity::Workspace(&ws))?;
        if !role.is_workspace() {
            return Err(bad_input("invalid workspace role"));
        }
        write(ctx, |c| {
            store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?;
            teams::team_by_id(c, &team_uuid.0)?.ok_or_else(not_found)?;
            let b = teams::team_workspace_binding(c, &team_uuid.0, &ws)?.ok_or_else(not_found)?;
            store::set_binding_role(c, &b.id, role)?;
            Ok(())
        })?;
        Ok(Some(role))
    }

    /// Removes every role of the team in the workspace (on it and on its deployments).
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn workspace_remove_team(
        &self,
        ctx: &Context<'_>,
        workspace_uuid: Uuid,
        team_uuid: Uuid,
    ) -> Result<Option<Workspace>> {
        let ws = workspace_uuid.0;
        require(ctx, IAM, Entity::Workspace(&ws))?;
        let row = write(ctx, |c| {
            let w = store::workspace_by_id(c, &ws)?.ok_or_else(not_found)?;
            if !teams::team_in_workspace(c, &team_uuid.0, &ws)? {
                return Err(not_found().into());
            }
            teams::remove_team_from_workspace(c, &team_uuid.0, &ws)?;
            Ok(w)
        })?;
        Ok(Some(Workspace::loaded(row)))
    }

    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn deployment_add_team_role(
        &self,
        ctx: &Context<'_>,
        team_uuid: Uuid,
        deployment_uuid: Uuid,
        role: Role,
    ) -> Result<Option<RoleBinding>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(ctx, DEP_TEAM_ROLES, dep_entity(&d))?;
        if !role.is_deployment() {
            return Err(bad_input("Invalid role"));
        }
        let b = write(ctx, |c| {
            let team = teams::team_by_id(c, &team_uuid.0)?.ok_or_else(not_found)?;
            if teams::team_deployment_binding(c, &team.id, &d.id)?.is_some() {
                return Err(dup_binding().into());
            }
            Ok(teams::insert_team_binding(
                c,
                &team.id,
                role,
                None,
                Some(&d.id),
            )?)
        })?;
        Ok(Some(RoleBinding(b)))
    }

    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn deployment_update_team_role(
        &self,
        ctx: &Context<'_>,
        team_uuid: Uuid,
        deployment_uuid: Uuid,
        role: Role,
    ) -> Result<Option<RoleBinding>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(ctx, DEP_TEAM_ROLES, dep_entity(&d))?;
        if !role.is_deployment() {
            return Err(bad_input("Invalid role"));
        }
        let b = write(ctx, |c| {
            teams::team_by_id(c, &team_uuid.0)?.ok_or_else(not_found)?;
            let b = teams::team_deployment_binding(c, &team_uuid.0, &d.id)?
                .ok_or_else(missing_team_binding)?;
            store::set_binding_role(c, &b.id, role)?;
            Ok(store::binding_by_id(c, &b.id)?.ok_or_else(not_found)?)
        })?;
        Ok(Some(RoleBinding(b)))
    }

    /// Returns the removed binding.
    #[graphql(visible = "crate::versioning::since_0_28")]
    async fn deployment_remove_team_role(
        &self,
        ctx: &Context<'_>,
        deployment_uuid: Uuid,
        team_uuid: Uuid,
    ) -> Result<Option<RoleBinding>> {
        let d = load_deployment(ctx, &deployment_uuid.0)?;
        require(ctx, DEP_TEAM_ROLES, dep_entity(&d))?;
        let b = write(ctx, |c| {
            teams::team_by_id(c, &team_uuid.0)?.ok_or_else(not_found)?;
            let b = teams::team_deployment_binding(c, &team_uuid.0, &d.id)?
                .ok_or_else(missing_team_binding)?;
            store::delete_binding(c, &b.id)?;
            Ok(b)
        })?;
        Ok(Some(RoleBinding(b)))
    }

    /// Gives every member of the team a system role.
    #[graphql(visible = "crate::versioning::since_0_29_2")]
    async fn create_team_system_role_binding(
        &self,
        ctx: &Context<'_>,
        team_uuid: Uuid,
        role: Role,
    ) -> Result<Option<RoleBinding>> {
        require(ctx, SYSTEM_TEAMS_UPDATE, Entity::System)?;
        if !role.is_system() {
            return Err(bad_input("Invalid role"));
        }
        let b = write(ctx, |c| {
            let team = teams::team_by_id(c, &team_uuid.0)?.ok_or_else(not_found)?;
            if teams::team_system_binding(c, &team.id, role)?.is_some() {
                return Err(dup_binding().into());
            }
            Ok(teams::insert_team_binding(c, &team.id, role, None, None)?)
        })?;
        Ok(Some(RoleBinding(b)))
    }

    /// Returns the removed binding.
    #[graphql(visible = "crate::versioning::since_0_29_2")]
    async fn delete_team_system_role_binding(
        &self,
        ctx: &Context<'_>,
        team_uuid: Uuid,
        role: Role,
    ) -> Result<Option<RoleBinding>> {
        require(ctx, SYSTEM_TEAMS_UPDATE, Entity::System)?;
        let b = write(ctx, |c| {
            teams::team_by_id(c, &team_uuid.0)?.ok_or_else(not_found)?;
            let b = teams::team_system_binding(c, &team_uuid.0, role)?
                .ok_or_else(missing_team_binding)?;
            store::delete_binding(c, &b.id)?;
            Ok(b)
        })?;
        Ok(Some(RoleBinding(b)))
    }
}
