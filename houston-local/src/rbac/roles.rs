//! Each role's permissions: Houston 0.35's default role table, cumulative as in Houston (an
//! editor holds the viewer's permissions, a system role the workspace and deployment ones).

use super::Role;
use super::permission::Permission;

const WORKSPACE_VIEWER: &[Permission] = &[
    Permission::WorkspaceConfigGet,
    Permission::WorkspaceDeploymentsGet,
    Permission::WorkspaceServiceAccountsGet,
    Permission::WorkspaceUsersGet,
    Permission::WorkspaceTeamsGet,
    Permission::WorkspaceTaskUsageGet,
];
const WORKSPACE_EDITOR: &[Permission] = &[
    Permission::WorkspaceConfigUpdate,
    Permission::WorkspaceDeploymentsCreate,
    Permission::WorkspaceDeploymentsUpsert,
    Permission::WorkspaceServiceAccountsCreate,
    Permission::WorkspaceServiceAccountsUpdate,
    Permission::WorkspaceServiceAccountsDelete,
    Permission::WorkspaceAdminCountGet,
];
const WORKSPACE_ADMIN: &[Permission] = &[
    Permission::WorkspaceInvitesGet,
    Permission::WorkspaceConfigDelete,
    Permission::WorkspaceIamUpdate,
    Permission::WorkspaceTeamsGetAll,
    Permission::WorkspaceUsersGetAll,
];
const DEPLOYMENT_VIEWER: &[Permission] = &[
    Permission::DeploymentAirflowGet,
    Permission::DeploymentConfigGet,
    Permission::DeploymentLogsGet,
    Permission::DeploymentImagesPull,
    Permission::DeploymentMetricsGet,
    Permission::DeploymentServiceAccountsGet,
    Permission::DeploymentVariablesGet,
    Permission::DeploymentUsersGet,
    Permission::DeploymentTeamsGet,
    Permission::DeploymentTaskUsageGet,
    Permission::DeploymentStatusGet,
    Permission::DeploymentDeployRevisionsGet,
];
const DEPLOYMENT_EDITOR: &[Permission] = &[
    Permission::DeploymentAirflowUser,
    Permission::DeploymentConfigUpdate,
    Permission::DeploymentImagesPush,
    Permission::DeploymentServiceAccountsCreate,
    Permission::DeploymentServiceAccountsUpdate,
    Permission::DeploymentServiceAccountsDelete,
    Permission::DeploymentVariablesUpdate,
    Permission::DeploymentConfigUpsert,
    Permission::DeploymentAdminCountGet,
];
const DEPLOYMENT_ADMIN: &[Permission] = &[
    Permission::DeploymentAirflowAdmin,
    Permission::DeploymentConfigDelete,
    Permission::DeploymentUserRolesUpdate,
    Permission::DeploymentTeamRolesUpdate,
];
const SYSTEM_VIEWER: &[Permission] = &[
    Permission::SystemAirflowGet,
    Permission::SystemDeploymentVariablesGet,
    Permission::SystemDeploymentsGet,
    Permission::SystemInviteGet,
    Permission::SystemMonitoringGet,
    Permission::SystemServiceAccountsGet,
    Permission::SystemUpdatesGet,
    Permission::SystemUsersGet,
    Permission::SystemTeamsGet,
    Permission::SystemWorkspaceGet,
    Permission::SystemAirflowViewer,
    Permission::SystemTaskUsageGet,
    Permission::SystemDeploymentsLogs,
    Permission::SystemDeploymentsMetrics,
    Permission::SystemDeploymentsStatus,
    Permission::SystemDeployRevisionsGet,
    Permission::SystemClustersGet,
];
const SYSTEM_EDITOR: &[Permission] = &[
    Permission::SystemDeploymentVariablesUpdate,
    Permission::SystemServiceAccountsUpdate,
    Permission::SystemAirflowUser,
    Permission::SystemRegistryBaseImagesPush,
    Permission::SystemAdminCountGet,
];
const SYSTEM_ADMIN: &[Permission] = &[
    Permission::SystemIamUpdate,
    Permission::SystemDeploymentsCreate,
    Permission::SystemDeploymentsUpsert,
    Permission::SystemDeploymentsUpdate,
    Permission::SystemDeploymentsDelete,
    Permission::SystemInvitesGet,
    Permission::SystemServiceAccountsCreate,
    Permission::SystemServiceAccountsUpdate,
    Permission::SystemServiceAccountsDelete,
    Permission::SystemUserInvite,
    Permission::SystemUserDelete,
    Permission::SystemUserVerifyEmail,
    Permission::SystemWorkspaceDelete,
    Permission::SystemAirflowAdmin,
    Permission::SystemDeploymentsImagesPush,
    Permission::SystemWorkspaceUpdate,
    Permission::SystemTeamsRemove,
    Permission::SystemTeamsCreate,
    Permission::SystemTeamsUpdate,
    Permission::SystemCleanupAirflowDbDelete,
    Permission::SystemCleanupDeployRevisionsDelete,
    Permission::SystemClustersCreate,
    Permission::SystemClustersDelete,
    Permission::SystemClustersUpdate,
];
const USER: &[Permission] = &[
    Permission::SystemWorkspaceCreate,
    Permission::SystemGetAirflowReleaseById,
    Permission::SystemGetEmailById,
    Permission::SystemGetDeploymentById,
];

/// Cumulative permission lists, built once.
pub(super) fn permissions(role: Role) -> &'static [Permission] {
    use std::sync::OnceLock;
    static TABLE: OnceLock<Vec<(Role, Vec<Permission>)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let cat = |parts: &[&[Permission]]| -> Vec<Permission> {
            parts.iter().flat_map(|p| p.iter().copied()).collect()
        };
        let sv = cat(&[WORKSPACE_VIEWER, DEPLOYMENT_VIEWER, SYSTEM_VIEWER]);
        let se = cat(&[&sv, WORKSPACE_EDITOR, DEPLOYMENT_EDITOR, SYSTEM_EDITOR]);
        let sa = cat(&[&se, WORKSPACE_ADMIN, DEPLOYMENT_ADMIN, SYSTEM_ADMIN]);
        vec![
            (Role::WorkspaceViewer, cat(&[WORKSPACE_VIEWER])),
            (
                Role::WorkspaceEditor,
                cat(&[WORKSPACE_VIEWER, WORKSPACE_EDITOR]),
            ),
            (
                Role::WorkspaceAdmin,
                cat(&[WORKSPACE_VIEWER, WORKSPACE_EDITOR, WORKSPACE_ADMIN]),
            ),
            (Role::DeploymentViewer, cat(&[DEPLOYMENT_VIEWER])),
            (
                Role::DeploymentEditor,
                cat(&[DEPLOYMENT_VIEWER, DEPLOYMENT_EDITOR]),
            ),
            (
                Role::DeploymentAdmin,
                cat(&[DEPLOYMENT_VIEWER, DEPLOYMENT_EDITOR, DEPLOYMENT_ADMIN]),
            ),
            (Role::SystemViewer, sv),
            (Role::SystemEditor, se),
            (Role::SystemAdmin, sa),
            (Role::User, cat(&[USER])),
        ]
    });
    table
        .iter()
        .find(|(r, _)| *r == role)
        .map(|(_, p)| p.as_slice())
        .unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rbac::ALL_ROLES;

    /// The role tables as they were written with strings, each role's list sorted (duplicates
    /// kept: SYSTEM_ADMIN lists `system.serviceAccounts.update` as SYSTEM_EDITOR does).
    const STRING_TABLES: &[(Role, &str)] = &[
        (
            Role::WorkspaceViewer,
            "
            workspace.config.get
            workspace.deployments.get
            workspace.serviceAccounts.get
            workspace.taskUsage.get
            workspace.teams.get
            workspace.users.get
            ",
        ),
        (
            Role::WorkspaceEditor,
            "
            workspace.adminCount.get
            workspace.config.get
            workspace.config.update
            workspace.deployments.create
            workspace.deployments.get
            workspace.deployments.upsert
            workspace.serviceAccounts.create
            workspace.serviceAccounts.delete
            workspace.serviceAccounts.get
            workspace.serviceAccounts.update
            workspace.taskUsage.get
            workspace.teams.get
            workspace.users.get
            ",
        ),
        (
            Role::WorkspaceAdmin,
            "
            workspace.adminCount.get
            workspace.config.delete
            workspace.config.get
            workspace.config.update
            workspace.deployments.create
            workspace.deployments.get
            workspace.deployments.upsert
            workspace.iam.update
            workspace.invites.get
            workspace.serviceAccounts.create
            workspace.serviceAccounts.delete
            workspace.serviceAccounts.get
            workspace.serviceAccounts.update
            workspace.taskUsage.get
            workspace.teams.get
            workspace.teams.getAll
            workspace.users.get
            workspace.users.getAll
            ",
        ),
        (
            Role::DeploymentViewer,
            "
            deployment.airflow.get
            deployment.config.get
            deployment.deployRevisions.get
            deployment.images.pull
            deployment.logs.get
            deployment.metrics.get
            deployment.serviceAccounts.get
            deployment.status.get
            deployment.taskUsage.get
            deployment.teams.get
            deployment.users.get
            deployment.variables.get
            ",
        ),
        (
            Role::DeploymentEditor,
            "
            deployment.adminCount.get
            deployment.airflow.get
            deployment.airflow.user
            deployment.config.get
            deployment.config.update
            deployment.config.upsert
            deployment.deployRevisions.get
            deployment.images.pull
            deployment.images.push
            deployment.logs.get
            deployment.metrics.get
            deployment.serviceAccounts.create
            deployment.serviceAccounts.delete
            deployment.serviceAccounts.get
            deployment.serviceAccounts.update
            deployment.status.get
            deployment.taskUsage.get
            deployment.teams.get
            deployment.users.get
            deployment.variables.get
            deployment.variables.update
            ",
        ),
        (
            Role::DeploymentAdmin,
            "
            deployment.adminCount.get
            deployment.airflow.admin
            deployment.airflow.get
            deployment.airflow.user
            deployment.config.delete
            deployment.config.get
            deployment.config.update
            deployment.config.upsert
            deployment.deployRevisions.get
            deployment.images.pull
            deployment.images.push
            deployment.logs.get
            deployment.metrics.get
            deployment.serviceAccounts.create
            deployment.serviceAccounts.delete
            deployment.serviceAccounts.get
            deployment.serviceAccounts.update
            deployment.status.get
            deployment.taskUsage.get
            deployment.teamRoles.update
            deployment.teams.get
            deployment.userRoles.update
            deployment.users.get
            deployment.variables.get
            deployment.variables.update
            ",
        ),
        (
            Role::SystemViewer,
            "
            deployment.airflow.get
            deployment.config.get
            deployment.deployRevisions.get
            deployment.images.pull
            deployment.logs.get
            deployment.metrics.get
            deployment.serviceAccounts.get
            deployment.status.get
            deployment.taskUsage.get
            deployment.teams.get
            deployment.users.get
            deployment.variables.get
            system.airflow.get
            system.airflow.viewer
            system.clusters.get
            system.deployRevisions.get
            system.deployment.variables.get
            system.deployments.get
            system.deployments.logs
            system.deployments.metrics
            system.deployments.status
            system.invite.get
            system.monitoring.get
            system.serviceAccounts.get
            system.taskUsage.get
            system.teams.get
            system.updates.get
            system.users.get
            system.workspace.get
            workspace.config.get
            workspace.deployments.get
            workspace.serviceAccounts.get
            workspace.taskUsage.get
            workspace.teams.get
            workspace.users.get
            ",
        ),
        (
            Role::SystemEditor,
            "
            deployment.adminCount.get
            deployment.airflow.get
            deployment.airflow.user
            deployment.config.get
            deployment.config.update
            deployment.config.upsert
            deployment.deployRevisions.get
            deployment.images.pull
            deployment.images.push
            deployment.logs.get
            deployment.metrics.get
            deployment.serviceAccounts.create
            deployment.serviceAccounts.delete
            deployment.serviceAccounts.get
            deployment.serviceAccounts.update
            deployment.status.get
            deployment.taskUsage.get
            deployment.teams.get
            deployment.users.get
            deployment.variables.get
            deployment.variables.update
            system.adminCount.get
            system.airflow.get
            system.airflow.user
            system.airflow.viewer
            system.clusters.get
            system.deployRevisions.get
            system.deployment.variables.get
            system.deployment.variables.update
            system.deployments.get
            system.deployments.logs
            system.deployments.metrics
            system.deployments.status
            system.invite.get
            system.monitoring.get
            system.registryBaseImages.push
            system.serviceAccounts.get
            system.serviceAccounts.update
            system.taskUsage.get
            system.teams.get
            system.updates.get
            system.users.get
            system.workspace.get
            workspace.adminCount.get
            workspace.config.get
            workspace.config.update
            workspace.deployments.create
            workspace.deployments.get
            workspace.deployments.upsert
            workspace.serviceAccounts.create
            workspace.serviceAccounts.delete
            workspace.serviceAccounts.get
            workspace.serviceAccounts.update
            workspace.taskUsage.get
            workspace.teams.get
            workspace.users.get
            ",
        ),
        (
            Role::SystemAdmin,
            "
            deployment.adminCount.get
            deployment.airflow.admin
            deployment.airflow.get
            deployment.airflow.user
            deployment.config.delete
            deployment.config.get
            deployment.config.update
            deployment.config.upsert
            deployment.deployRevisions.get
            deployment.images.pull
            deployment.images.push
            deployment.logs.get
            deployment.metrics.get
            deployment.serviceAccounts.create
            deployment.serviceAccounts.delete
            deployment.serviceAccounts.get
            deployment.serviceAccounts.update
            deployment.status.get
            deployment.taskUsage.get
            deployment.teamRoles.update
            deployment.teams.get
            deployment.userRoles.update
            deployment.users.get
            deployment.variables.get
            deployment.variables.update
            system.adminCount.get
            system.airflow.admin
            system.airflow.get
            system.airflow.user
            system.airflow.viewer
            system.cleanupAirflowDb.delete
            system.cleanupDeployRevisions.delete
            system.clusters.create
            system.clusters.delete
            system.clusters.get
            system.clusters.update
            system.deployRevisions.get
            system.deployment.variables.get
            system.deployment.variables.update
            system.deployments.create
            system.deployments.delete
            system.deployments.get
            system.deployments.images.push
            system.deployments.logs
            system.deployments.metrics
            system.deployments.status
            system.deployments.update
            system.deployments.upsert
            system.iam.update
            system.invite.get
            system.invites.get
            system.monitoring.get
            system.registryBaseImages.push
            system.serviceAccounts.create
            system.serviceAccounts.delete
            system.serviceAccounts.get
            system.serviceAccounts.update
            system.serviceAccounts.update
            system.taskUsage.get
            system.teams.create
            system.teams.get
            system.teams.remove
            system.teams.update
            system.updates.get
            system.user.delete
            system.user.invite
            system.user.verifyEmail
            system.users.get
            system.workspace.delete
            system.workspace.get
            system.workspace.update
            workspace.adminCount.get
            workspace.config.delete
            workspace.config.get
            workspace.config.update
            workspace.deployments.create
            workspace.deployments.get
            workspace.deployments.upsert
            workspace.iam.update
            workspace.invites.get
            workspace.serviceAccounts.create
            workspace.serviceAccounts.delete
            workspace.serviceAccounts.get
            workspace.serviceAccounts.update
            workspace.taskUsage.get
            workspace.teams.get
            workspace.teams.getAll
            workspace.users.get
            workspace.users.getAll
            ",
        ),
        (
            Role::User,
            "
            system.getAirflowReleaseById
            system.getDeploymentById
            system.getEmailById
            system.workspace.create
            ",
        ),
    ];

    #[test]
    fn role_tables_are_the_string_tables() {
        for role in ALL_ROLES {
            let mut typed: Vec<&str> = permissions(role).iter().map(|p| p.as_str()).collect();
            typed.sort_unstable();
            let written = STRING_TABLES
                .iter()
                .find(|(r, _)| *r == role)
                .map(|(_, list)| list.split_whitespace().collect::<Vec<_>>());
            assert_eq!(Some(typed), written, "{}", role.as_str());
        }
        assert_eq!(STRING_TABLES.len(), ALL_ROLES.len());
    }
}
