//! What each Houston version adds over the introspected 0.23 snapshot: the one table the
//! document gate, the `visible` hooks (checked by a test) and the README follow.
//!
//! Everything not listed here exists at every version from 0.23.0 on (that includes the
//! 0.23-era operations houston-local implements for that snapshot, e.g. `invites`,
//! `serviceAccounts`, `createSystemRoleBinding`: Houston documents no removal).

use super::{
    HoustonVersion, V0_25, V0_28, V0_29, V0_29_2, V0_30, V0_32, V0_35, V1_0, V1_0_1, V2_0, V2_1,
};

/// One switch point: from `since` on, these fields, arguments and types exist.
pub(crate) struct SwitchPoint {
    pub(crate) since: HoustonVersion,
    /// `(type, field)`.
    pub(crate) fields: &'static [(&'static str, &'static str)],
    /// `(type, field, argument)`.
    pub(crate) args: &'static [(&'static str, &'static str, &'static str)],
    /// Types registered by name (not reached through a field) that the version knows.
    pub(crate) types: &'static [&'static str],
}

pub(crate) const SWITCH_POINTS: &[SwitchPoint] = &[
    // Houston 0.25: pre-created namespaces, DAG deployment mechanisms, hard delete (astro-cli has
    // 0.25 variants of its documents for them).
    SwitchPoint {
        since: V0_25,
        fields: &[
            ("Query", "availableNamespaces"),
            ("Deployment", "namespace"),
            ("Deployment", "dagDeployment"),
            ("AppConfig", "configureDagDeployment"),
            ("AppConfig", "nfsMountDagDeployment"),
            ("AppConfig", "manualNamespaceNames"),
            ("AppConfig", "hardDeleteDeployment"),
        ],
        args: &[
            ("Mutation", "createDeployment", "namespace"),
            ("Mutation", "createDeployment", "dagDeployment"),
            ("Mutation", "updateDeployment", "dagDeployment"),
            ("Mutation", "deleteDeployment", "deploymentHardDelete"),
        ],
        types: &[],
    },
    // Absent from the introspected 0.23 schema, with no documented switch point: from the next
    // modelled version.
    SwitchPoint {
        since: V0_25,
        fields: &[
            ("Mutation", "workspaceUpsertUserRole"),
            ("ServiceAccount", "roleBinding"),
            ("WorkspaceCapabilities", "canGetWorkspace"),
            ("DeployInfo", "latest"),
            ("DeploymentStatus", "result"),
        ],
        args: &[("Mutation", "workspaceAddUser", "bypassInvite")],
        types: &["AllowedDeploymentModeValues"],
    },
    // Houston 0.28: teams (IdP groups), triggerer, feature flags.
    SwitchPoint {
        since: V0_28,
        fields: &[
            ("Query", "team"),
            ("Query", "teamUsers"),
            ("Query", "paginatedTeams"),
            ("Query", "workspaceTeams"),
            ("Query", "deploymentTeams"),
            ("Mutation", "workspaceAddTeam"),
            ("Mutation", "workspaceUpdateTeamRole"),
            ("Mutation", "workspaceRemoveTeam"),
            ("Mutation", "deploymentAddTeamRole"),
            ("Mutation", "deploymentUpdateTeamRole"),
            ("Mutation", "deploymentRemoveTeamRole"),
            ("User", "teams"),
            ("RoleBinding", "team"),
            ("AppConfig", "triggererEnabled"),
            ("AppConfig", "featureFlags"),
        ],
        args: &[
            ("Mutation", "createDeployment", "triggerer"),
            ("Mutation", "updateDeployment", "triggerer"),
        ],
        types: &[],
    },
    // Houston 0.29: Astro Runtime.
    SwitchPoint {
        since: V0_29,
        fields: &[
            ("Query", "runtimeReleases"),
            ("Mutation", "updateDeploymentRuntime"),
            ("Mutation", "cancelRuntimeUpdate"),
            ("Deployment", "runtimeVersion"),
            ("Deployment", "desiredRuntimeVersion"),
            ("Deployment", "runtimeAirflowVersion"),
        ],
        args: &[("Mutation", "createDeployment", "runtimeVersion")],
        types: &[],
    },
    // Houston 0.29.2: BYO registry image updates and team system role bindings.
    SwitchPoint {
        since: V0_29_2,
        fields: &[
            ("Mutation", "updateDeploymentImage"),
            ("Mutation", "createTeamSystemRoleBinding"),
            ("Mutation", "deleteTeamSystemRoleBinding"),
            ("AppConfig", "byoUpdateRegistryHost"),
        ],
        args: &[],
        types: &[],
    },
    // Houston 0.30: paginated workspace and workspace-user lists.
    SwitchPoint {
        since: V0_30,
        fields: &[
            ("Query", "paginatedWorkspaces"),
            ("Query", "paginatedWorkspaceUsers"),
        ],
        args: &[],
        types: &[],
    },
    // Houston 0.32: paginated deployment list.
    SwitchPoint {
        since: V0_32,
        fields: &[("Query", "paginatedDeployments")],
        args: &[],
        types: &[],
    },
    // Operator-mode adoption, which Houston added with APC 2.1: houston-local has offered it
    // since 0.35 (the astro CLI sends it to every version).
    SwitchPoint {
        since: V0_35,
        fields: &[
            ("Mutation", "adoptDeployment"),
            ("Mutation", "unadoptDeployment"),
        ],
        args: &[],
        types: &[],
    },
    // APC 1.0: clusters (data planes), `upsertDeployment`, and what orbis reads.
    SwitchPoint {
        since: V1_0,
        fields: &[
            ("Query", "paginatedClusters"),
            ("Query", "cluster"),
            ("Query", "sysWorkspaces"),
            ("Query", "deploymentTaskUsage"),
            ("Mutation", "upsertDeployment"),
            ("Mutation", "registerCluster"),
            ("Mutation", "updateCluster"),
            ("Mutation", "deregisterCluster"),
            ("Mutation", "reconcileClusterMetadataJob"),
            ("Deployment", "clusterId"),
            ("Deployment", "cluster"),
            ("Deployment", "analyticsPluginEnabled"),
            ("Deployment", "airflowDbCleanupPluginEnabled"),
        ],
        args: &[
            ("Query", "appConfig", "clusterId"),
            ("Query", "availableNamespaces", "clusterId"),
            ("Query", "paginatedDeployments", "clusterId"),
        ],
        types: &[],
    },
    // APC 2.0: `appConfig` merges the config tiers of a cluster, workspace and deployment.
    SwitchPoint {
        since: V2_0,
        fields: &[],
        args: &[
            ("Query", "appConfig", "workspaceUuid"),
            ("Query", "appConfig", "deploymentUuid"),
        ],
        types: &[],
    },
    // APC 2.1: deployment modes.
    SwitchPoint {
        since: V2_1,
        fields: &[("Deployment", "mode")],
        args: &[("Mutation", "upsertDeployment", "mode")],
        types: &[],
    },
];

/// One removal: from `since` on, these fields and arguments are gone.
pub(crate) struct Removal {
    pub(crate) since: HoustonVersion,
    pub(crate) fields: &'static [(&'static str, &'static str)],
    pub(crate) args: &'static [(&'static str, &'static str, &'static str)],
}

pub(crate) const REMOVALS: &[Removal] = &[
    // APC 1.0.1: Astronomer Certified is gone (the astro CLI's 1.0.1 documents drop these).
    Removal {
        since: V1_0_1,
        fields: &[
            ("Deployment", "airflowVersion"),
            ("Deployment", "desiredAirflowVersion"),
            ("DeploymentConfig", "airflowImages"),
            ("DeploymentConfig", "airflowVersions"),
            ("DeploymentConfig", "defaultAirflowImageTag"),
        ],
        args: &[
            ("Mutation", "updateDeploymentImage", "airflowVersion"),
            ("Mutation", "upsertDeployment", "airflowVersion"),
        ],
    },
    // APC 2.0: config governance; these flags are read from `featureFlags`.
    Removal {
        since: V2_0,
        fields: &[
            ("AppConfig", "manualReleaseNames"),
            ("AppConfig", "configureDagDeployment"),
            ("AppConfig", "nfsMountDagDeployment"),
            ("AppConfig", "manualNamespaceNames"),
            ("AppConfig", "hardDeleteDeployment"),
            ("AppConfig", "triggererEnabled"),
        ],
        args: &[],
    },
];

/// The version a field first appears in (`None`: every version).
pub fn field_since(ty: &str, field: &str) -> Option<HoustonVersion> {
    SWITCH_POINTS
        .iter()
        .find(|s| s.fields.iter().any(|&(t, f)| t == ty && f == field))
        .map(|s| s.since)
}

/// The version an argument first appears in (`None`: as old as its field).
pub fn arg_since(ty: &str, field: &str, arg: &str) -> Option<HoustonVersion> {
    SWITCH_POINTS
        .iter()
        .find(|s| {
            s.args
                .iter()
                .any(|&(t, f, a)| t == ty && f == field && a == arg)
        })
        .map(|s| s.since)
}

/// The version a field is removed in (`None`: never).
pub fn field_removed(ty: &str, field: &str) -> Option<HoustonVersion> {
    REMOVALS
        .iter()
        .find(|r| r.fields.iter().any(|&(t, f)| t == ty && f == field))
        .map(|r| r.since)
}

/// The version an argument is removed in (`None`: never).
pub fn arg_removed(ty: &str, field: &str, arg: &str) -> Option<HoustonVersion> {
    REMOVALS
        .iter()
        .find(|r| {
            r.args
                .iter()
                .any(|&(t, f, a)| t == ty && f == field && a == arg)
        })
        .map(|r| r.since)
}

/// Whether `version` has the field (added by then and not yet removed).
pub fn has_field(ty: &str, field: &str, version: HoustonVersion) -> bool {
    field_since(ty, field).is_none_or(|s| s <= version)
        && field_removed(ty, field).is_none_or(|r| version < r)
}

/// Whether `version` has the argument (its field's presence aside).
pub fn has_arg(ty: &str, field: &str, arg: &str, version: HoustonVersion) -> bool {
    arg_since(ty, field, arg).is_none_or(|s| s <= version)
        && arg_removed(ty, field, arg).is_none_or(|r| version < r)
}

/// Whether `version` has every gated item and none of the removals: nothing to refuse.
pub fn complete_at(version: HoustonVersion) -> bool {
    SWITCH_POINTS.iter().all(|s| s.since <= version) && REMOVALS.iter().all(|r| version < r.since)
}

/// Named types registered without a field reaching them, with the version they appear in.
pub(crate) fn registered_types() -> impl Iterator<Item = (&'static str, HoustonVersion)> {
    SWITCH_POINTS
        .iter()
        .flat_map(|s| s.types.iter().map(move |t| (*t, s.since)))
}

/// Every distinct switch-point version (additions and removals), oldest first.
pub fn switch_versions() -> Vec<HoustonVersion> {
    let mut v: Vec<HoustonVersion> = SWITCH_POINTS
        .iter()
        .map(|s| s.since)
        .chain(REMOVALS.iter().map(|r| r.since))
        .collect();
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_item_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for s in SWITCH_POINTS {
            for (t, f) in s.fields {
                assert!(seen.insert(format!("{t}.{f}")), "{t}.{f} listed twice");
            }
            for (t, f, a) in s.args {
                assert!(seen.insert(format!("{t}.{f}({a})")), "{t}.{f}({a}) twice");
            }
        }
        assert_eq!(field_since("Query", "paginatedDeployments"), Some(V0_32));
        assert_eq!(field_since("Query", "workspaces"), None);
        assert_eq!(
            arg_since("Mutation", "createDeployment", "runtimeVersion"),
            Some(V0_29)
        );
        assert_eq!(switch_versions().first(), Some(&V0_25));
        assert_eq!(switch_versions().last(), Some(&V2_1));
        assert!(has_field("Deployment", "airflowVersion", V1_0));
        assert!(!has_field("Deployment", "airflowVersion", V1_0_1));
        assert!(!has_field("Deployment", "clusterId", V0_35));
        assert!(has_field("Deployment", "clusterId", V2_1));
        assert!(has_arg("Query", "appConfig", "clusterId", V1_0));
        assert!(!has_arg("Query", "appConfig", "workspaceUuid", V1_0_1));
    }
}
