//! Houston's permissions, by their Houston names (`workspace.deployments.create`, …): a typo
//! in a check or a role table is a compile error, not a permission nobody holds.

/// Declares `Permission` with one variant per Houston name and its `as_str`.
macro_rules! permissions {
    ($($variant:ident => $name:literal,)*) => {
        /// One Houston permission.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Permission {
            $($variant,)*
        }

        impl Permission {
            /// Every permission, in declaration order.
            #[cfg(test)]
            pub const ALL: &'static [Permission] = &[$(Permission::$variant,)*];

            /// The Houston name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Permission::$variant => $name,)*
                }
            }
        }
    };
}

permissions! {
    SystemAdminCountGet => "system.adminCount.get",
    SystemAirflowAdmin => "system.airflow.admin",
    SystemAirflowGet => "system.airflow.get",
    SystemAirflowUser => "system.airflow.user",
    SystemAirflowViewer => "system.airflow.viewer",
    SystemCleanupAirflowDbDelete => "system.cleanupAirflowDb.delete",
    SystemCleanupDeployRevisionsDelete => "system.cleanupDeployRevisions.delete",
    SystemClustersCreate => "system.clusters.create",
    SystemClustersDelete => "system.clusters.delete",
    SystemClustersGet => "system.clusters.get",
    SystemClustersUpdate => "system.clusters.update",
    SystemDeployRevisionsGet => "system.deployRevisions.get",
    SystemDeploymentVariablesGet => "system.deployment.variables.get",
    SystemDeploymentVariablesUpdate => "system.deployment.variables.update",
    SystemDeploymentsCreate => "system.deployments.create",
    SystemDeploymentsDelete => "system.deployments.delete",
    SystemDeploymentsGet => "system.deployments.get",
    SystemDeploymentsImagesPush => "system.deployments.images.push",
    SystemDeploymentsLogs => "system.deployments.logs",
    SystemDeploymentsMetrics => "system.deployments.metrics",
    SystemDeploymentsStatus => "system.deployments.status",
    SystemDeploymentsUpdate => "system.deployments.update",
    SystemDeploymentsUpsert => "system.deployments.upsert",
    SystemGetAirflowReleaseById => "system.getAirflowReleaseById",
    SystemGetDeploymentById => "system.getDeploymentById",
    SystemGetEmailById => "system.getEmailById",
    SystemIamUpdate => "system.iam.update",
    SystemInviteGet => "system.invite.get",
    SystemInvitesGet => "system.invites.get",
    SystemMonitoringGet => "system.monitoring.get",
    SystemRegistryBaseImagesPush => "system.registryBaseImages.push",
    SystemServiceAccountsCreate => "system.serviceAccounts.create",
    SystemServiceAccountsDelete => "system.serviceAccounts.delete",
    SystemServiceAccountsGet => "system.serviceAccounts.get",
    SystemServiceAccountsUpdate => "system.serviceAccounts.update",
    SystemTaskUsageGet => "system.taskUsage.get",
    SystemTeamsCreate => "system.teams.create",
    SystemTeamsGet => "system.teams.get",
    SystemTeamsRemove => "system.teams.remove",
    SystemTeamsUpdate => "system.teams.update",
    SystemUpdatesGet => "system.updates.get",
    SystemUserDelete => "system.user.delete",
    SystemUserInvite => "system.user.invite",
    SystemUserVerifyEmail => "system.user.verifyEmail",
    SystemUsersGet => "system.users.get",
    SystemWorkspaceCreate => "system.workspace.create",
    SystemWorkspaceDelete => "system.workspace.delete",
    SystemWorkspaceGet => "system.workspace.get",
    SystemWorkspaceUpdate => "system.workspace.update",
    WorkspaceAdminCountGet => "workspace.adminCount.get",
    WorkspaceBillingUpdate => "workspace.billing.update",
    WorkspaceConfigDelete => "workspace.config.delete",
    WorkspaceConfigGet => "workspace.config.get",
    WorkspaceConfigUpdate => "workspace.config.update",
    WorkspaceDeploymentsCreate => "workspace.deployments.create",
    WorkspaceDeploymentsGet => "workspace.deployments.get",
    WorkspaceDeploymentsUpsert => "workspace.deployments.upsert",
    WorkspaceIamUpdate => "workspace.iam.update",
    WorkspaceInvitesGet => "workspace.invites.get",
    WorkspaceServiceAccountsCreate => "workspace.serviceAccounts.create",
    WorkspaceServiceAccountsDelete => "workspace.serviceAccounts.delete",
    WorkspaceServiceAccountsGet => "workspace.serviceAccounts.get",
    WorkspaceServiceAccountsUpdate => "workspace.serviceAccounts.update",
    WorkspaceTaskUsageGet => "workspace.taskUsage.get",
    WorkspaceTeamsGet => "workspace.teams.get",
    WorkspaceTeamsGetAll => "workspace.teams.getAll",
    WorkspaceUsersGet => "workspace.users.get",
    WorkspaceUsersGetAll => "workspace.users.getAll",
    DeploymentAdminCountGet => "deployment.adminCount.get",
    DeploymentAirflowAdmin => "deployment.airflow.admin",
    DeploymentAirflowGet => "deployment.airflow.get",
    DeploymentAirflowUser => "deployment.airflow.user",
    DeploymentConfigDelete => "deployment.config.delete",
    DeploymentConfigGet => "deployment.config.get",
    DeploymentConfigUpdate => "deployment.config.update",
    DeploymentConfigUpsert => "deployment.config.upsert",
    DeploymentDeployRevisionsGet => "deployment.deployRevisions.get",
    DeploymentImagesPull => "deployment.images.pull",
    DeploymentImagesPush => "deployment.images.push",
    DeploymentLogsGet => "deployment.logs.get",
    DeploymentMetricsGet => "deployment.metrics.get",
    DeploymentServiceAccountsCreate => "deployment.serviceAccounts.create",
    DeploymentServiceAccountsDelete => "deployment.serviceAccounts.delete",
    DeploymentServiceAccountsGet => "deployment.serviceAccounts.get",
    DeploymentServiceAccountsUpdate => "deployment.serviceAccounts.update",
    DeploymentStatusGet => "deployment.status.get",
    DeploymentTaskUsageGet => "deployment.taskUsage.get",
    DeploymentTeamRolesUpdate => "deployment.teamRoles.update",
    DeploymentTeamsGet => "deployment.teams.get",
    DeploymentUserRolesUpdate => "deployment.userRoles.update",
    DeploymentUsersGet => "deployment.users.get",
    DeploymentVariablesGet => "deployment.variables.get",
    DeploymentVariablesUpdate => "deployment.variables.update",
}

impl Permission {
    /// A `system.*` permission: any binding granting it satisfies it, whatever its scope.
    pub fn is_system(self) -> bool {
        self.as_str().starts_with("system")
    }
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// `workspace.deployments.create` → `WorkspaceDeploymentsCreate`.
    fn variant_name(houston: &str) -> String {
        houston
            .split('.')
            .map(|part| {
                let mut chars = part.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().chain(chars).collect()
                })
            })
            .collect()
    }

    #[test]
    fn every_name_round_trips_and_matches_its_variant() {
        let mut seen = HashSet::new();
        for p in Permission::ALL {
            let name = p.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert_eq!(p.to_string(), name);
            let back = Permission::ALL.iter().find(|q| q.as_str() == name);
            assert_eq!(back, Some(p), "{name}");
            assert_eq!(format!("{p:?}"), variant_name(name), "{name}");
            assert_eq!(
                p.is_system(),
                name.split('.').next() == Some("system"),
                "{name}"
            );
        }
        assert_eq!(Permission::ALL.len(), 93);
    }
}
