//! `Config::houston_version`: what each version reports, exposes, refuses and introspects.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use houston_local::HoustonVersion;
use houston_local::versioning::index::TypeIndex;
use houston_local::versioning::table;
use serde_json::json;

const INTROSPECT: &str = "{ __schema { types { name kind fields { name args { name } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } inputFields { name } } } }";

/// `Type` → `field` → sorted argument names, as introspection reports them.
async fn introspected(s: &Srv) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let d = s.ok(ADMIN, INTROSPECT, json!({})).await;
    let mut out = BTreeMap::new();
    for t in d["__schema"]["types"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        if name.starts_with("__") {
            continue;
        }
        let mut fields = BTreeMap::new();
        for f in t["fields"].as_array().into_iter().flatten() {
            let mut args: Vec<String> = f["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["name"].as_str().unwrap().to_string())
                .collect();
            args.sort();
            fields.insert(f["name"].as_str().unwrap().to_string(), args);
        }
        for f in t["inputFields"].as_array().into_iter().flatten() {
            fields.insert(f["name"].as_str().unwrap().to_string(), Vec::new());
        }
        out.insert(name.to_string(), fields);
    }
    out
}

fn field_set(fields: &BTreeMap<String, Vec<String>>) -> BTreeSet<String> {
    fields.keys().cloned().collect()
}

fn names(list: &str) -> BTreeSet<String> {
    list.split_whitespace().map(str::to_string).collect()
}

/// Root fields with their arguments, `name(a,b)`.
fn signatures(fields: &BTreeMap<String, Vec<String>>) -> BTreeSet<String> {
    fields
        .iter()
        .map(|(f, args)| format!("{f}({})", args.join(",")))
        .collect()
}

fn sig(list: &[(&str, &str)]) -> BTreeSet<String> {
    list.iter()
        .map(|(f, args)| {
            let mut a: Vec<&str> = args.split_whitespace().collect();
            a.sort();
            format!("{f}({})", a.join(","))
        })
        .collect()
}

/// The root fields of a Houston 0.23 and their arguments, as it introspects them.
const QUERY_023: &[(&str, &str)] = &[
    ("workspace", "workspaceUuid"),
    ("deployment", "where"),
    ("authConfig", "redirect duration extras inviteToken"),
    ("appConfig", ""),
    ("self", ""),
    (
        "deploymentConfig",
        "workspaceUuid deploymentUuid type version",
    ),
    ("workspaces", ""),
    ("users", "user"),
    ("deployments", ""),
    ("deploymentUsers", "deploymentId user"),
    ("deploymentVariables", "deploymentUuid releaseName"),
    ("workspaceInvites", "workspaceUuid invite"),
    ("workspaceDeployments", "workspaceUuid releaseName"),
    ("workspaceDeployment", "workspaceUuid releaseName"),
    ("workspaceServiceAccounts", "workspaceUuid"),
    ("workspaceUsers", "workspaceUuid user"),
    ("workspaceUser", "workspaceUuid user"),
    ("deploymentServiceAccounts", "deploymentUuid"),
    ("logs", "deploymentUuid component timestamp search"),
    ("email", "where"),
    ("airflowRelease", "where"),
    ("updateAvailable", ""),
    ("invites", "invite"),
    ("airflowReleases", ""),
    ("card", "workspaceUuid stripeCustomerId"),
    (
        "serviceAccounts",
        "serviceAccountUuid entityType entityUuid",
    ),
    (
        "workspaceServiceAccount",
        "workspaceUuid serviceAccountUuid",
    ),
    (
        "deploymentServiceAccount",
        "deploymentUuid serviceAccountUuid",
    ),
];

const MUTATION_023: &[(&str, &str)] = &[
    (
        "createUser",
        "email password username profile inviteToken duration",
    ),
    ("createToken", "password identity duration"),
    (
        "createDeployment",
        "workspaceUuid releaseName type label description version airflowVersion executor workers webserver scheduler config properties cloudRole",
    ),
    (
        "updateDeployment",
        "deploymentUuid payload executor workers webserver scheduler config sync cloudRole",
    ),
    (
        "updateDeploymentAirflow",
        "deploymentUuid desiredAirflowVersion",
    ),
    ("deploymentAddUserRole", "userId deploymentId email role"),
    ("deploymentRemoveUserRole", "userId deploymentId email"),
    ("deploymentUpdateUserRole", "userId deploymentId email role"),
    ("deleteDeployment", "deploymentUuid"),
    ("deleteWorkspace", "workspaceUuid"),
    ("updateSelf", "payload"),
    ("createWorkspace", "label description"),
    (
        "workspaceAddUser",
        "email workspaceUuid role deploymentRoles",
    ),
    ("workspaceUpdateUserRole", "email workspaceUuid role"),
    ("workspaceRemoveUser", "userUuid workspaceUuid"),
    ("deleteInviteToken", "inviteUuid workspaceUuid"),
    ("updateWorkspace", "workspaceUuid payload"),
    (
        "createDeploymentServiceAccount",
        "label category deploymentUuid role",
    ),
    (
        "createWorkspaceServiceAccount",
        "label category workspaceUuid role",
    ),
    (
        "updateWorkspaceServiceAccount",
        "serviceAccountUuid workspaceUuid payload",
    ),
    (
        "updateDeploymentServiceAccount",
        "serviceAccountUuid deploymentUuid payload",
    ),
    (
        "deleteWorkspaceServiceAccount",
        "serviceAccountUuid workspaceUuid",
    ),
    (
        "deleteDeploymentServiceAccount",
        "serviceAccountUuid deploymentUuid",
    ),
    (
        "updateDeploymentVariables",
        "deploymentUuid releaseName environmentVariables",
    ),
    ("confirmEmail", "token duration"),
    ("forgotPassword", "email"),
    ("resendConfirmation", "email"),
    ("resetPassword", "token password duration"),
    ("updateDeploymentKedaConfig", "deploymentUuid state"),
    ("deploymentAlertsUpdate", "deploymentUuid alertEmails"),
    ("removeUser", "userUuid"),
    ("upgradeDeployment", "deploymentUuid version"),
    (
        "createServiceAccount",
        "label category entityType entityUuid role",
    ),
    ("createSystemServiceAccount", "label category role"),
    ("updateServiceAccount", "serviceAccountUuid payload"),
    ("deleteServiceAccount", "serviceAccountUuid"),
    ("deleteSystemServiceAccount", "serviceAccountUuid"),
    ("createSystemRoleBinding", "userId role"),
    ("deleteSystemRoleBinding", "userId role"),
    ("inviteUser", "email"),
    ("addCard", "workspaceUuid billingEmail company token"),
    ("addCustomerId", "workspaceUuid stripeCustomerId"),
    ("updateCard", "workspaceUuid billingEmail company token"),
    ("suspendWorkspace", "workspaceUuid isSuspended"),
    ("extendWorkspaceTrial", "workspaceUuid extraDays"),
    ("verifyEmail", "email"),
];

#[tokio::test]
async fn introspection_at_0_23_lists_exactly_the_introspected_root_fields() {
    let s = seeded_at("0.23.0").await;
    let schema = introspected(&s).await;
    assert_eq!(signatures(&schema["Query"]), sig(QUERY_023));
    assert_eq!(signatures(&schema["Mutation"]), sig(MUTATION_023));
    // `metrics` (0.23 has it) arrives with the metrics subscription.
    let subs = signatures(&schema["Subscription"]);
    let expected = sig(&[
        ("deploymentStatus", "releaseName"),
        ("log", "deploymentUuid component timestamp search"),
        ("metrics", "deploymentUuid metricType since step"),
    ]);
    assert!(subs.is_subset(&expected), "{subs:?}");
    assert!(subs.contains("log(component,deploymentUuid,search,timestamp)"));
    s.h.shutdown().await;
}

#[tokio::test]
async fn introspection_at_0_23_shows_the_0_23_types() {
    let s = seeded_at("0.23.0").await;
    let schema = introspected(&s).await;
    // The types whose 0.23 introspection differs from houston-local's (and those that do not).
    let expected = [
        (
            "Deployment",
            "id executor workers webserver scheduler config environmentVariables properties urls alertEmails description label releaseName status type version airflowVersion desiredAirflowVersion deployInfo deploymentStatus workspace createdAt updatedAt roleBindings deploymentCapabilities serviceAccounts",
        ),
        (
            "Workspace",
            "id label description active properties users deployments serviceAccounts invites roleBindings workspaceCapabilities createdAt updatedAt stripeCustomerId trialEndsAt billingEnabled paywallEnabled",
        ),
        (
            "User",
            "id username emails fullName status profile roleBindings createdAt updatedAt",
        ),
        (
            "ServiceAccount",
            "id apiKey label category active lastUsedAt entityType entityUuid workspaceUuid deploymentUuid roleBindings createdAt updatedAt",
        ),
        (
            "RoleBinding",
            "id role user serviceAccount workspace deployment createdAt",
        ),
        (
            "WorkspaceCapabilities",
            "canUpdateBilling canUpdateIAM canUpdateWorkspace canDeleteWorkspace canCreateDeployment canInviteUser canUpdateUser canDeleteUser canCreateServiceAccount canUpdateServiceAccount canDeleteServiceAccount",
        ),
        (
            "DeploymentCapabilities",
            "canDeploy canUpdateDeployment canDeleteDeployment canCreateServiceAccount canUpdateServiceAccount canDeleteServiceAccount canUpdateVariables canUpdateUserRole",
        ),
        (
            "AppConfig",
            "version baseDomain smtpConfigured manualReleaseNames prometheusEnabled elasticSearchEnabled",
        ),
        ("DeployInfo", "current desired nextCli next"),
        ("DeploymentStatus", "status"),
        (
            "AuthUser",
            "user token permissions isAdmin authUserCapabilities",
        ),
        (
            "DeploymentLog",
            "id timestamp release component level message",
        ),
        (
            "Card",
            "name expMonth expYear last4 brand billingEmail company",
        ),
        (
            "PlatformRelease",
            "version url level description releaseDate",
        ),
        (
            "AirflowRelease",
            "tag version url level description releaseDate channel",
        ),
    ];
    for (ty, fields) in expected {
        assert_eq!(field_set(&schema[ty]), names(fields), "{ty}");
    }
    assert_eq!(
        schema["ServiceAccount"]["roleBindings"],
        vec!["after", "before", "first", "last"]
    );
    for absent in [
        "Team",
        "PaginatedTeams",
        "RuntimeRelease",
        "Namespace",
        "Triggerer",
        "DagDeployment",
        "DagDeploymentInfo",
        "AllowedDeploymentModeValues",
    ] {
        assert!(!schema.contains_key(absent), "{absent} at 0.23");
    }
    // 0.23's types where houston-local's differ.
    let d = s
        .ok(
            ADMIN,
            "{ w: __type(name: \"Workspace\") { name fields { name type { kind name ofType { kind name } } } } i: __type(name: \"Invite\") { name fields { name type { kind name ofType { kind name } } } } c: __type(name: \"DeploymentConfig\") { name fields { name type { kind name ofType { kind name } } } } }",
            json!({}),
        )
        .await;
    let ty = |t: &str, f: &str| {
        d[t]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == f)
            .unwrap()["type"]
            .clone()
    };
    assert_eq!(
        ty("w", "invites"),
        json!({"kind": "OBJECT", "name": "Invite", "ofType": null})
    );
    assert_eq!(
        ty("i", "role"),
        json!({"kind": "SCALAR", "name": "String", "ofType": null})
    );
    assert_eq!(
        ty("c", "airflowVersions"),
        json!({"kind": "SCALAR", "name": "JSON", "ofType": null})
    );
    assert_eq!(
        ty("w", "id"),
        json!({"kind": "NON_NULL", "name": null, "ofType": {"kind": "SCALAR", "name": "String"}})
    );
    s.h.shutdown().await;
}

/// Every switch point's introspection is the full schema minus what `table` says the version
/// lacks: the `visible` hooks on the fields agree with the table the document gate uses.
#[tokio::test]
async fn introspection_follows_the_switch_table_at_every_version() {
    let index = TypeIndex::from_sdl(&houston_local::schema_sdl()).unwrap();
    let mut versions: Vec<HoustonVersion> = table::switch_versions();
    versions.insert(0, "0.23.0".parse().unwrap());
    for v in versions {
        let s = seeded_at(&v.to_string()).await;
        let schema = introspected(&s).await;
        let known = index.known_types(v);
        for (ty, field) in index.all_fields() {
            let expected = known.contains(ty) && table::has_field(ty, field, v);
            let got = schema.get(ty).is_some_and(|f| f.contains_key(field));
            assert_eq!(got, expected, "{ty}.{field} at {v}");
        }
        for (ty, field, arg) in index.all_args() {
            let Some(args) = schema.get(ty).and_then(|f| f.get(field)) else {
                continue;
            };
            let expected = table::has_arg(ty, field, arg, v);
            assert_eq!(
                args.iter().any(|a| a == arg),
                expected,
                "{ty}.{field}({arg}) at {v}"
            );
        }
        for ty in schema.keys() {
            assert!(known.contains(ty), "{ty} listed at {v}");
        }
        s.h.shutdown().await;
    }
}
