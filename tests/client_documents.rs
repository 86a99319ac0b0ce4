//! The GraphQL documents themselves, checked offline against the 0.23 and 0.35 schemas: every table
//! has a form for every version, newest first; the chosen ones fit; the subscriptions fit; and the
//! fake's validator agrees with graphql-js.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fake_houston;

use astrodash::houston::documents::{HOUSTON_1_0, READ_OPERATIONS};
use astrodash::houston::subscription::{DEPLOYMENT_STATUS_SUBSCRIPTION, METRICS_SUBSCRIPTION};
use astrodash::houston::ws::LOG_SUBSCRIPTION;
use astrodash::houston::{HoustonVersion, Release};
use fake_houston::validate::{Schema, validate};
use fake_houston::*;

/// Operations that exist only from some version on (teams 0.28, Runtime 0.29, clusters and
/// task usage 1.0).
const GATED: [&str; 7] = [
    "workspaceTeams",
    "deploymentTeams",
    "runtimeReleases",
    "paginatedClusters",
    "cluster",
    "availableNamespaces",
    "deploymentTaskUsage",
];

// The tables themselves.

#[test]
fn every_table_runs_newest_first_and_has_a_form_for_every_version() {
    let mut names = Vec::new();
    for op in READ_OPERATIONS {
        let variants = op.variants();
        assert!(!variants.is_empty(), "{}", op.field());
        assert!(
            variants.windows(2).all(|w| w[0].since >= w[1].since),
            "{}: newest first",
            op.field()
        );
        // Teams exist from 0.28, clusters from 1.0: older servers are told so without a request.
        if !GATED.contains(&op.field()) {
            assert_eq!(
                variants.last().unwrap().since,
                Release::ANY,
                "{}: reads have a form for every version",
                op.field()
            );
        }
        for v in &variants {
            assert!(
                v.query.contains(&format!("query {}(", v.document))
                    || v.query.contains(&format!("query {} {{", v.document)),
                "{}: the document's operation name",
                v.document
            );
            names.push((v.document, v.query));
        }
    }
    // A document may serve two operations (`Workspaces`: the list and the System Admin
    // panel's before 1.0), but one name is one document.
    names.sort_unstable();
    names.dedup();
    let count = names.len();
    names.dedup_by_key(|(name, _)| *name);
    assert_eq!(names.len(), count, "document names are unique");
}

#[test]
fn every_document_fits_its_houston_and_the_chosen_ones_fit_0_23() {
    let schema_0_35 = Schema::parse(&sdl_0_35());
    let schema_0_23 = Schema::parse(&sdl_0_23());
    // Houston 1.0's forms against houston-local's schema (every version's fields).
    let schema_1_0 = Schema::parse(&sdl("schema.graphql"));
    let v023 = HoustonVersion::parse("0.23.0");
    let v035 = HoustonVersion::parse("0.35.0");
    for op in READ_OPERATIONS {
        for v in op.variants() {
            let schema = if v.since >= HOUSTON_1_0 {
                &schema_1_0
            } else {
                &schema_0_35
            };
            assert_eq!(
                validate(schema, v.query),
                Vec::<String>::new(),
                "{}",
                v.document
            );
        }
        let Some(for_0_23) = op.document_for(Some(&v023)) else {
            assert!(GATED.contains(&op.field()), "{}", op.field());
            continue;
        };
        let query = op
            .variants()
            .into_iter()
            .find(|v| v.document == for_0_23)
            .unwrap()
            .query;
        assert_eq!(
            validate(&schema_0_23, query),
            Vec::<String>::new(),
            "{for_0_23}"
        );
        // 0.35 gets the newest form of 0.x, an unknown version the newest of all.
        let newest_0x = op
            .variants()
            .into_iter()
            .find(|v| v035.at_least(v.since))
            .map(|v| v.document);
        assert_eq!(op.document_for(Some(&v035)), newest_0x);
        assert_eq!(op.document_for(None), Some(op.variants()[0].document));
    }
}

#[test]
fn the_newest_0x_forms_fail_on_0_23_exactly_where_the_reduced_ones_differ() {
    let schema = Schema::parse(&sdl_0_23());
    let mut failures: Vec<(&str, Vec<String>)> = READ_OPERATIONS
        .iter()
        // The newest form of 0.x (the 1.0+ forms are checked per version below).
        .filter_map(|op| {
            let document = op.document_for(Some(&HoustonVersion::parse("0.35.0")))?;
            op.variants().into_iter().find(|v| v.document == document)
        })
        .map(|v| (v.document, validate(&schema, v.query)))
        .filter(|(_, errors)| !errors.is_empty())
        .collect();
    failures.sort();
    let runtime: Vec<String> = [
        "namespace",
        "runtimeVersion",
        "desiredRuntimeVersion",
        "runtimeAirflowVersion",
    ]
    .iter()
    .map(|f| format!(r#"Cannot query field "{f}" on type "Deployment"."#))
    .collect();
    let role_binding =
        vec![r#"Cannot query field "roleBinding" on type "ServiceAccount"."#.to_string()];
    let query = |f: &str| vec![format!(r#"Cannot query field "{f}" on type "Query"."#)];
    let paginated = query("paginatedDeployments");
    assert_eq!(
        failures,
        [
            ("AllDeploymentRows", paginated.clone()),
            ("AllDeploymentStatuses", paginated),
            ("Deployment", runtime.clone()),
            ("DeploymentRows", runtime[1..].to_vec()),
            ("DeploymentServiceAccounts", role_binding.clone()),
            ("DeploymentTeams", query("deploymentTeams")),
            (
                "PlatformFlags",
                vec![
                    r#"Cannot query field "manualNamespaceNames" on type "AppConfig"."#.to_string()
                ],
            ),
            ("RuntimeReleases", query("runtimeReleases")),
            ("SystemServiceAccounts", role_binding.clone()),
            (
                "SystemUsersV028",
                vec![r#"Cannot query field "teams" on type "User"."#.to_string()],
            ),
            ("WorkspaceDeployments", runtime),
            ("WorkspaceServiceAccounts", role_binding),
            ("WorkspaceTeams", query("workspaceTeams")),
        ]
    );
}

/// The document each operation sends to a Houston of version `v` that refused nothing.
fn chosen(v: &str) -> Vec<(&'static str, Option<&'static str>)> {
    let version = HoustonVersion::parse(v);
    READ_OPERATIONS
        .iter()
        .map(|op| (op.field(), op.document_for(Some(&version))))
        .collect()
}

#[test]
fn software_0_36_and_0_37_get_the_0_35_forms() {
    // AC images are gone from 0.37's platform, but its schema still serves the 0.35 documents
    // (the astro CLI sends them unchanged).
    for v in ["0.36.0", "0.37.0", "0.37.3"] {
        assert_eq!(chosen(v), chosen("0.35.0"), "{v}");
    }
}

#[test]
fn apc_1_x_and_2_x_get_the_cluster_forms_and_2_x_reads_feature_flags() {
    let apc_forms = [
        ("workspaceDeployments", "WorkspaceDeploymentsV100"),
        ("deployment", "DeploymentV100"),
        ("workspaceDeployments:rows", "DeploymentRowsV100"),
        ("deployments:rows", "AllDeploymentRowsV100"),
        ("deploymentConfig", "DeploymentConfigV100"),
        ("paginatedClusters", "Clusters"),
        ("cluster", "Cluster"),
        ("availableNamespaces", "AvailableNamespaces"),
        ("sysWorkspaces", "SystemWorkspaces"),
        ("runtimeReleases", "RuntimeReleasesV100"),
        ("deploymentTaskUsage", "DeploymentTaskUsage"),
    ];
    let before = chosen("0.37.0");
    for v in ["1.0.0", "1.0.1", "1.0.7", "2.0.0", "2.1.0", "2.1.3"] {
        let flags = if v.starts_with('2') {
            "PlatformFlagsV200"
        } else {
            "PlatformFlagsV100"
        };
        for ((field, doc), (_, was)) in chosen(v).into_iter().zip(&before) {
            let expected = apc_forms
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, d)| Some(*d))
                .unwrap_or(if field == "appConfig:flags" {
                    Some(flags)
                } else {
                    *was
                });
            assert_eq!(doc, expected, "{v}: {field}");
        }
    }
    // Before 1.0 the cluster operations are refused without a request.
    for (field, doc) in chosen("0.37.0") {
        if [
            "paginatedClusters",
            "cluster",
            "availableNamespaces",
            "deploymentTaskUsage",
        ]
        .contains(&field)
        {
            assert_eq!(doc, None, "{field}");
        }
    }
}

#[test]
fn the_1_0_forms_select_no_astronomer_certified_field() {
    for op in READ_OPERATIONS {
        // A Runtime release's `airflowVersion` is the Airflow it runs, not an AC field.
        if op.field() == "runtimeReleases" {
            continue;
        }
        for v in op.variants() {
            if v.since < Release::new(1, 0, 0) {
                continue;
            }
            for gone in [
                "airflowVersion",
                "desiredAirflowVersion",
                "airflowVersions",
                "airflowImages",
                "defaultAirflowImageTag",
            ] {
                let selected = v.query.lines().any(|l| l.trim() == gone);
                assert!(!selected, "{}: {gone}", v.document);
            }
        }
    }
}

#[test]
fn the_log_subscription_fits_houston_0_23_and_0_35() {
    for sdl in [sdl_0_23(), sdl_0_35()] {
        assert_eq!(
            validate(&Schema::parse(&sdl), LOG_SUBSCRIPTION),
            Vec::<String>::new()
        );
    }
}

#[test]
fn the_status_and_metrics_subscriptions_fit_the_documented_schema() {
    for sdl in [sdl_0_23(), sdl_0_35()] {
        assert_eq!(
            validate(&Schema::parse(&sdl), DEPLOYMENT_STATUS_SUBSCRIPTION),
            Vec::<String>::new()
        );
    }
    // The 0.23 fixture leaves `metrics` out; docs/houston.md ("Legacy websocket") gives its shape.
    let sdl = sdl_0_23().replace(
        "type Subscription {",
        "type Metric {\n\tlabel: String\n\tresult: JSON\n}\n\ntype Subscription {\n\tmetrics(deploymentUuid: Uuid!, metricType: [MetricType], since: Int, step: Int): [Metric]",
    );
    let schema = Schema::parse(&sdl);
    assert_eq!(
        validate(&schema, METRICS_SUBSCRIPTION),
        Vec::<String>::new()
    );
    // The validator would notice a wrong argument.
    assert!(
        !validate(
            &schema,
            &METRICS_SUBSCRIPTION.replace("step: $step", "steps: $step")
        )
        .is_empty()
    );
}

#[test]
fn the_fake_validator_speaks_graphql_js() {
    let schema = Schema::parse(&sdl_0_23());
    let errors = |doc: &str| validate(&schema, doc);
    assert_eq!(
        errors(
            "query A($w: Uuid!) { workspaceDeployments(workspaceUuid: $w, cluster: $w) { id } }"
        ),
        [r#"Unknown argument "cluster" on field "Query.workspaceDeployments"."#]
    );
    assert_eq!(
        errors("query A { workspace { id } }"),
        [
            r#"Field "Query.workspace" argument "workspaceUuid" of type "Uuid!" is required, but it was not provided."#
        ]
    );
    assert_eq!(
        errors("query A($t: Triggerer) { appConfig { version } }"),
        [r#"Unknown type "Triggerer"."#]
    );
    assert_eq!(
        errors(
            "mutation A($d: Uuid!, $r: String) { updateDeploymentVariables(deploymentUuid: $d, releaseName: $r, environmentVariables: []) { key } }"
        ),
        [r#"Variable "$r" of type "String" used in position expecting type "String!"."#]
    );
    assert_eq!(
        errors("query A($id: String) { deployment(where: { uuid: $id }) { id } }"),
        [r#"Field "uuid" is not defined by type "DeploymentWhereUniqueInput"."#]
    );
    assert_eq!(
        errors("query A($w: Uuid!) { workspace(workspaceUuid: $w) { invites } }"),
        [
            r#"Field "invites" of type "Invite" must have a selection of subfields. Did you mean "invites { ... }"?"#
        ]
    );
    assert_eq!(
        errors(
            "mutation A($w: Uuid!, $e: String!, $r: Role!) { workspaceUpsertUserRole(workspaceUuid: $w, email: $e, role: $r) }"
        ),
        [r#"Cannot query field "workspaceUpsertUserRole" on type "Mutation"."#]
    );
    // Each of these the client classifies as a schema mismatch.
    for doc in [
        "query A { paginatedWorkspaces { id } }",
        "query A($t: Triggerer) { appConfig { version } }",
        "query A { appConfig { version featureFlags { x } } }",
    ] {
        for message in errors(doc) {
            assert!(
                astrodash::houston::unsupported::is_schema_mismatch(&message),
                "{message}"
            );
        }
    }
}
