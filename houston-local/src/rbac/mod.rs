//! Roles, their permissions (Houston 0.35's defaults, in `roles`) and Houston's check: a
//! `system.*` permission is satisfied by any binding that grants it; any other needs a binding
//! on that entity, where a workspace role also acts as the matching deployment role on every
//! deployment of its workspace (the synthetic binding), and every user holds the USER role.

use async_graphql::Enum;

mod permission;
mod roles;

pub(crate) use permission::Permission;
use roles::permissions;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    SystemAdmin,
    SystemEditor,
    SystemViewer,
    WorkspaceAdmin,
    WorkspaceEditor,
    WorkspaceViewer,
    DeploymentAdmin,
    DeploymentEditor,
    DeploymentViewer,
    User,
}

impl Role {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::SystemAdmin => "SYSTEM_ADMIN",
            Role::SystemEditor => "SYSTEM_EDITOR",
            Role::SystemViewer => "SYSTEM_VIEWER",
            Role::WorkspaceAdmin => "WORKSPACE_ADMIN",
            Role::WorkspaceEditor => "WORKSPACE_EDITOR",
            Role::WorkspaceViewer => "WORKSPACE_VIEWER",
            Role::DeploymentAdmin => "DEPLOYMENT_ADMIN",
            Role::DeploymentEditor => "DEPLOYMENT_EDITOR",
            Role::DeploymentViewer => "DEPLOYMENT_VIEWER",
            Role::User => "USER",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Role> {
        ALL_ROLES.iter().copied().find(|r| r.as_str() == s)
    }

    pub(crate) fn is_workspace(self) -> bool {
        matches!(
            self,
            Role::WorkspaceAdmin | Role::WorkspaceEditor | Role::WorkspaceViewer
        )
    }

    pub(crate) fn is_deployment(self) -> bool {
        matches!(
            self,
            Role::DeploymentAdmin | Role::DeploymentEditor | Role::DeploymentViewer
        )
    }

    pub(crate) fn is_system(self) -> bool {
        matches!(
            self,
            Role::SystemAdmin | Role::SystemEditor | Role::SystemViewer
        )
    }

    /// WORKSPACE_X ⇒ DEPLOYMENT_X on every deployment of the workspace (the synthetic binding).
    fn synthetic_deployment_role(self) -> Option<Role> {
        match self {
            Role::WorkspaceAdmin => Some(Role::DeploymentAdmin),
            Role::WorkspaceEditor => Some(Role::DeploymentEditor),
            Role::WorkspaceViewer => Some(Role::DeploymentViewer),
            _ => None,
        }
    }

    pub(crate) fn grants(self, perm: Permission) -> bool {
        permissions(self).contains(&perm)
    }
}

pub(crate) const ALL_ROLES: [Role; 10] = [
    Role::SystemAdmin,
    Role::SystemEditor,
    Role::SystemViewer,
    Role::WorkspaceAdmin,
    Role::WorkspaceEditor,
    Role::WorkspaceViewer,
    Role::DeploymentAdmin,
    Role::DeploymentEditor,
    Role::DeploymentViewer,
    Role::User,
];

/// One stored binding of the caller.
#[derive(Clone, Debug)]
pub(crate) struct Grant {
    pub(crate) role: Role,
    pub(crate) workspace_id: Option<String>,
    pub(crate) deployment_id: Option<String>,
}

/// What a permission is checked against.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Entity<'a> {
    System,
    Workspace(&'a str),
    /// A deployment and the workspace it belongs to (for the synthetic bindings).
    Deployment {
        id: &'a str,
        workspace_id: &'a str,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PrincipalKind {
    User(String),
    ServiceAccount(String),
}

/// The authenticated caller and its real bindings (a service account has exactly one).
#[derive(Clone, Debug)]
pub(crate) struct Principal {
    pub(crate) kind: PrincipalKind,
    pub(crate) grants: Vec<Grant>,
}

impl Principal {
    pub(crate) fn user_id(&self) -> Option<&str> {
        match &self.kind {
            PrincipalKind::User(id) => Some(id),
            PrincipalKind::ServiceAccount(_) => None,
        }
    }

    /// A `system.*` permission is satisfied by any binding granting it (scope ignored);
    /// any other permission needs a binding on exactly that entity.
    pub(crate) fn has(&self, perm: Permission, entity: Entity<'_>) -> bool {
        if perm.is_system() {
            // Only users get the synthetic USER binding; service accounts act with their own one.
            if matches!(self.kind, PrincipalKind::User(_)) && Role::User.grants(perm) {
                return true;
            }
            return self.grants.iter().any(|g| g.role.grants(perm));
        }
        match entity {
            Entity::System => false,
            Entity::Workspace(ws) => self.grants.iter().any(|g| {
                g.workspace_id.as_deref() == Some(ws)
                    && g.deployment_id.is_none()
                    && g.role.grants(perm)
            }),
            Entity::Deployment { id, workspace_id } => self.grants.iter().any(|g| {
                if g.deployment_id.as_deref() == Some(id) {
                    return g.role.grants(perm);
                }
                if g.deployment_id.is_none() && g.workspace_id.as_deref() == Some(workspace_id) {
                    return g
                        .role
                        .synthetic_deployment_role()
                        .is_some_and(|r| r.grants(perm));
                }
                false
            }),
        }
    }

    /// Whether the caller may hand out `role` on `entity` (to a service account): system
    /// admins may grant anything, everyone else must already hold every permission the role
    /// grants on that entity, so nobody can mint a key stronger than themselves.
    pub(crate) fn may_grant(&self, role: Role, entity: Entity<'_>) -> bool {
        if self.grants.iter().any(|g| g.role == Role::SystemAdmin) {
            return true;
        }
        permissions(role).iter().all(|perm| self.has(*perm, entity))
    }

    /// Any one of the listed permissions (Houston's `op: OR`).
    pub(crate) fn any(&self, perms: &[Permission], entity: Entity<'_>) -> bool {
        perms.iter().any(|p| self.has(*p, entity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(grants: Vec<Grant>) -> Principal {
        Principal {
            kind: PrincipalKind::User("u".into()),
            grants,
        }
    }

    #[test]
    fn synthetic_bindings() {
        let p = user(vec![Grant {
            role: Role::WorkspaceEditor,
            workspace_id: Some("w".into()),
            deployment_id: None,
        }]);
        let d = Entity::Deployment {
            id: "d",
            workspace_id: "w",
        };
        assert!(p.has(Permission::DeploymentConfigUpdate, d));
        assert!(!p.has(Permission::DeploymentConfigDelete, d));
        assert!(p.has(
            Permission::WorkspaceDeploymentsCreate,
            Entity::Workspace("w")
        ));
        assert!(!p.has(
            Permission::WorkspaceDeploymentsCreate,
            Entity::Workspace("x")
        ));
        assert!(p.has(Permission::SystemWorkspaceCreate, Entity::System));
        assert!(!p.has(Permission::SystemDeploymentsGet, Entity::System));
    }

    #[test]
    fn may_grant_only_own_rights() {
        let editor = user(vec![Grant {
            role: Role::WorkspaceEditor,
            workspace_id: Some("w".into()),
            deployment_id: None,
        }]);
        let w = Entity::Workspace("w");
        let d = Entity::Deployment {
            id: "d",
            workspace_id: "w",
        };
        assert!(editor.may_grant(Role::WorkspaceEditor, w));
        assert!(editor.may_grant(Role::WorkspaceViewer, w));
        assert!(!editor.may_grant(Role::WorkspaceAdmin, w));
        assert!(!editor.may_grant(Role::WorkspaceViewer, Entity::Workspace("x")));
        assert!(editor.may_grant(Role::DeploymentEditor, d));
        assert!(!editor.may_grant(Role::DeploymentAdmin, d));
        let admin = user(vec![Grant {
            role: Role::SystemAdmin,
            workspace_id: None,
            deployment_id: None,
        }]);
        assert!(admin.may_grant(Role::WorkspaceAdmin, w));
        assert!(admin.may_grant(Role::DeploymentAdmin, d));
    }

    #[test]
    fn system_roles_are_cumulative() {
        assert!(Role::SystemAdmin.grants(Permission::SystemDeploymentsGet));
        assert!(Role::SystemAdmin.grants(Permission::SystemAirflowAdmin));
        assert!(!Role::SystemEditor.grants(Permission::SystemAirflowAdmin));
        assert!(Role::SystemViewer.grants(Permission::SystemUsersGet));
        assert!(Role::WorkspaceAdmin.grants(Permission::WorkspaceConfigGet));
    }
}
