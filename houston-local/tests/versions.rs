//! `Config::houston_version`: what each version reports, exposes, refuses and introspects.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use houston_local::HoustonVersion;
use houston_local::versioning::index::TypeIndex;
use houston_local::versioning::table;
use serde_json::{Value, json};

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
            let expected =
                known.contains(ty) && table::field_since(ty, field).is_none_or(|s| s <= v);
            let got = schema.get(ty).is_some_and(|f| f.contains_key(field));
            assert_eq!(got, expected, "{ty}.{field} at {v}");
        }
        for (ty, field, arg) in index.all_args() {
            let Some(args) = schema.get(ty).and_then(|f| f.get(field)) else {
                continue;
            };
            let expected = table::arg_since(ty, field, arg).is_none_or(|s| s <= v);
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

#[tokio::test]
async fn missing_fields_are_refused_exactly_like_unknown_ones() {
    let s = seeded_at("0.23.0").await;
    // A field no version has, for comparison.
    let unknown = refused(&s, ADMIN, "{ deployments { nonsense } }", json!({})).await;
    assert_eq!(
        unknown["errors"][0]["message"],
        "Cannot query field \"nonsense\" on type \"Deployment\"."
    );
    let cases = [
        (
            "{ deployments { id namespace } }",
            "Cannot query field \"namespace\" on type \"Deployment\".",
        ),
        (
            "{ paginatedWorkspaces { id } }",
            "Cannot query field \"paginatedWorkspaces\" on type \"Query\".",
        ),
        (
            "{ self { user { teams { id } } } }",
            "Cannot query field \"teams\" on type \"User\".",
        ),
        (
            "{ workspaceTeams(workspaceUuid: \"x\") { id } }",
            "Cannot query field \"workspaceTeams\" on type \"Query\".",
        ),
        (
            "query { deployment(where: {id: \"x\"}) { runtimeVersion } }",
            "Cannot query field \"runtimeVersion\" on type \"Deployment\".",
        ),
        (
            "mutation { deleteDeployment(deploymentUuid: \"x\", deploymentHardDelete: true) { id } }",
            "Unknown argument \"deploymentHardDelete\" on field \"deleteDeployment\" of type \"Mutation\".",
        ),
        (
            "mutation($d: DagDeployment) { deleteDeployment(deploymentUuid: \"x\") { id } }",
            "Unknown type \"DagDeployment\"",
        ),
    ];
    for (doc, message) in cases {
        let b = refused(&s, ADMIN, doc, json!({})).await;
        let e = &b["errors"][0];
        assert_eq!(e["message"], message, "{doc}");
        // The variable case also reports the unused variable, as graphql-js would.
        if !doc.contains("$d") {
            assert_eq!(b["errors"].as_array().unwrap().len(), 1, "{b}");
        }
        // Same shape as the unknown field: message, locations, extensions.code.
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(e), keys(&unknown["errors"][0]), "{doc}");
        assert!(e["locations"][0]["line"].as_u64().is_some());
    }
    // Nothing ran: the refused mutation left the deployment in place.
    let (id, _) = s.deployment("Playground").await;
    let before = s.h.db_generation();
    refused(
        &s,
        ADMIN,
        "mutation($d: Uuid!) { deleteDeployment(deploymentUuid: $d, deploymentHardDelete: true) { id } }",
        json!({"d": id}),
    )
    .await;
    assert_eq!(s.h.db_generation(), before);
    s.deployment("Playground").await;
    // Anonymous callers are refused the same way (validation comes before permissions).
    let resp = s
        .http
        .post(s.h.url())
        .json(&json!({"query": "{ runtimeReleases { version } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    s.h.shutdown().await;
}

#[tokio::test]
async fn subscriptions_are_gated_too() {
    let s = seeded_at("0.23.0").await;
    let (_, release) = s.deployment("Core ETL").await;
    let token = s.token(ADMIN);
    let f = s
        .first_event(
            &token,
            "subscription($r: String) { deploymentStatus(releaseName: $r) { status result } }",
            &json!({"r": release}),
        )
        .await;
    assert_eq!(f["type"], "error", "{f}");
    assert_eq!(
        f["payload"]["message"],
        "Unknown field \"result\" on type \"DeploymentStatus\"."
    );
    let ok = s
        .first_event(
            &token,
            "subscription($r: String) { deploymentStatus(releaseName: $r) { status } }",
            &json!({"r": release}),
        )
        .await;
    assert_eq!(ok["type"], "data", "{ok}");
    assert!(ok["payload"]["data"]["deploymentStatus"]["status"].is_string());
    s.h.shutdown().await;
}

#[tokio::test]
async fn app_config_reports_the_version_and_its_features() {
    for (version, runtime) in [("0.28.3", false), ("0.29.0", true), ("0.35.0", true)] {
        let s = seeded_at(version).await;
        let d = s
            .ok(ADMIN, "{ appConfig { version featureFlags } }", json!({}))
            .await;
        assert_eq!(d["appConfig"]["version"], version);
        assert_eq!(
            d["appConfig"]["featureFlags"]["astroRuntimeEnabled"],
            runtime
        );
        s.h.shutdown().await;
    }
    let s = seeded_at("0.23.0").await;
    // appConfig is public and answers before login, with 0.23's fields.
    let b = s
        .raw(None, "{ appConfig { version baseDomain } }", json!({}))
        .await;
    assert_eq!(b["data"]["appConfig"]["version"], "0.23.0");
    s.h.shutdown().await;
}

#[tokio::test]
async fn workspace_invites_is_one_object_at_0_23_and_a_list_later() {
    let q = "query($w: Uuid!) { workspace(workspaceUuid: $w) { invites { email role } } }";
    let old = seeded_at("0.23.0").await;
    let dp = old.workspace_id("Data Platform").await;
    let sandbox = old.workspace_id("Sandbox").await;
    let d = old.ok(ADMIN, q, json!({"w": dp})).await;
    assert_eq!(
        d["workspace"]["invites"],
        json!({"email": "new.hire@astrodash.local", "role": "WORKSPACE_VIEWER"})
    );
    let d = old.ok(ADMIN, q, json!({"w": sandbox})).await;
    assert_eq!(d["workspace"]["invites"], Value::Null);
    // Through a list, an alias and a fragment alike.
    let d = old
        .ok(
            ADMIN,
            "{ workspaces { label ...I } } fragment I on Workspace { pending: invites { email } }",
            json!({}),
        )
        .await;
    for w in d["workspaces"].as_array().unwrap() {
        assert!(w["pending"].is_object() || w["pending"].is_null(), "{w}");
    }
    old.h.shutdown().await;
    let new = seeded().await;
    let dp = new.workspace_id("Data Platform").await;
    let d = new.ok(ADMIN, q, json!({"w": dp})).await;
    assert_eq!(d["workspace"]["invites"].as_array().unwrap().len(), 1);
    new.h.shutdown().await;
}

#[tokio::test]
async fn teams_grant_nothing_before_0_28() {
    let q = "{ workspaces { label } }";
    let old = seeded_at("0.25.0").await;
    let d = old.ok("nora@astrodash.local", q, json!({})).await;
    assert_eq!(d["workspaces"], json!([]));
    // Team bindings are not listed either: every binding belongs to a user or a key.
    let bindings = "query($w: Uuid!) { workspace(workspaceUuid: $w) { roleBindings { role user { username } serviceAccount { label } } } }";
    let dp = old.workspace_id("Data Platform").await;
    let d = old.ok(ADMIN, bindings, json!({"w": dp})).await;
    let listed = d["workspace"]["roleBindings"].as_array().unwrap().clone();
    assert!(
        listed
            .iter()
            .all(|b| !b["user"].is_null() || !b["serviceAccount"].is_null()),
        "{d}"
    );
    old.h.shutdown().await;
    let new = seeded_at("0.28.0").await;
    let d = new.ok("nora@astrodash.local", q, json!({})).await;
    assert_eq!(d["workspaces"], json!([{"label": "Data Platform"}]));
    let dp = new.workspace_id("Data Platform").await;
    let d = new.ok(ADMIN, bindings, json!({"w": dp})).await;
    assert_eq!(
        d["workspace"]["roleBindings"].as_array().unwrap().len(),
        listed.len() + 1,
        "the team's binding is listed from 0.28 on: {d}"
    );
    new.h.shutdown().await;
}

/// astrodash's own documents at 0.23: each either runs, or is refused because it selects
/// something 0.23 lacks (the table says when it arrived). The refused ones are printed: the
/// client falls back for them.
#[tokio::test]
async fn astrodash_documents_at_0_23() {
    let s = seeded_at("0.23.0").await;
    let (deployment, release) = s.deployment("Core ETL").await;
    let workspace = s.workspace_id("Data Platform").await;
    let (_, password) = s.h.seeded_admin().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../queries");
    // The reads (mutations, in `queries/mutations/`, would change the data).
    let mut docs: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .collect();
    docs.sort();
    let mut refused_docs = Vec::new();
    let mut ran = 0;
    for path in docs {
        let doc = std::fs::read_to_string(&path).unwrap();
        let vars = json!({
            "workspaceUuid": workspace, "deploymentUuid": deployment, "id": deployment,
            "deploymentId": deployment, "releaseName": release, "identity": ADMIN,
            "password": password,
        });
        let resp = s
            .http
            .post(s.h.url())
            .header("Authorization", s.token(ADMIN))
            .json(&json!({"query": doc, "variables": vars}))
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if status == 200 {
            assert!(body.get("errors").is_none(), "{file}: {body}");
            ran += 1;
            continue;
        }
        assert_eq!(status, 400, "{file}: {body}");
        for e in body["errors"].as_array().unwrap() {
            let m = e["message"].as_str().unwrap();
            let rest = m
                .strip_prefix("Cannot query field \"")
                .unwrap_or_else(|| panic!("{file}: {m}"));
            let (field, rest) = rest.split_once('"').unwrap();
            let ty = rest
                .trim_start_matches(" on type \"")
                .trim_end_matches("\".");
            assert!(
                table::field_since(ty, field).is_some(),
                "{file}: {ty}.{field} exists at 0.23 but was refused"
            );
            refused_docs.push(format!("{file}: {ty}.{field}"));
        }
    }
    println!("refused at 0.23.0: {refused_docs:#?}");
    assert!(ran >= 10, "only {ran} ran");
    s.h.shutdown().await;
}
