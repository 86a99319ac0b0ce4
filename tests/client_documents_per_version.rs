//! Every document the client chooses for a Houston version, validated against that version's
//! own schema: the SDL houston-local prints from its introspection when posing as that version
//! (`serve --houston-version X --print-schema`), one test per version from 0.23 to 2.1. Also
//! the change documents only some versions are sent (clusters, `upsertDeployment`, the Runtime
//! and Astronomer Certified upgrades), and the subscriptions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fake_houston;

use astrodash::houston::documents::READ_OPERATIONS;
use astrodash::houston::subscription::DEPLOYMENT_STATUS_SUBSCRIPTION;
use astrodash::houston::ws::LOG_SUBSCRIPTION;
use astrodash::houston::{HoustonVersion, Release, mutation_ops, ops, runtime};
use fake_houston::validate::{Schema, validate};

/// Change documents sent only from (and, for the Astronomer Certified upgrade, until) a version.
fn gated_changes() -> Vec<(&'static str, &'static str, Release, Option<Release>)> {
    let v = Release::new;
    vec![
        (
            "UpdateDeploymentAirflow",
            mutation_ops::update_deployment_airflow::QUERY,
            Release::ANY,
            Some(v(1, 0, 1)),
        ),
        (
            "UpdateDeploymentRuntime",
            runtime::update_deployment_runtime::QUERY,
            v(0, 29, 0),
            None,
        ),
        (
            "CancelRuntimeUpdate",
            runtime::cancel_runtime_update::QUERY,
            v(0, 29, 0),
            None,
        ),
        (
            "UpsertDeployment",
            ops::upsert_deployment::QUERY,
            v(1, 0, 0),
            None,
        ),
        (
            "UpsertDeploymentV210",
            ops::upsert_deployment_v210::QUERY,
            v(2, 1, 0),
            None,
        ),
        (
            "UpdateCluster",
            ops::update_cluster::QUERY,
            v(1, 0, 0),
            None,
        ),
    ]
}

async fn documents_fit(version: &str) {
    let sdl = houston_local::schema_sdl_at(version.parse().unwrap())
        .await
        .unwrap();
    let schema = Schema::parse(&sdl);
    let v = HoustonVersion::parse(version);
    let mut checked = 0;
    for op in READ_OPERATIONS {
        let Some(chosen) = op.document_for(Some(&v)) else {
            continue;
        };
        let query = op
            .variants()
            .into_iter()
            .find(|variant| variant.document == chosen)
            .unwrap()
            .query;
        assert_eq!(
            validate(&schema, query),
            Vec::<String>::new(),
            "{version}: {chosen}"
        );
        checked += 1;
    }
    for (name, query, since, until) in gated_changes() {
        if !v.at_least(since) || until.is_some_and(|u| v.at_least(u)) {
            // Not sent to this version: its schema refuses it, as the client expects.
            assert!(!validate(&schema, query).is_empty(), "{version}: {name}");
            continue;
        }
        assert_eq!(
            validate(&schema, query),
            Vec::<String>::new(),
            "{version}: {name}"
        );
    }
    for subscription in [LOG_SUBSCRIPTION, DEPLOYMENT_STATUS_SUBSCRIPTION] {
        assert_eq!(validate(&schema, subscription), Vec::<String>::new());
    }
    // The reads every version has, at least.
    assert!(checked >= 20, "{version}: {checked} documents");
}

macro_rules! per_version {
    ($($name:ident: $version:literal,)*) => {
        $(
            #[tokio::test]
            async fn $name() {
                documents_fit($version).await;
            }
        )*
    };
}

per_version! {
    the_chosen_documents_fit_houston_0_23: "0.23.0",
    the_chosen_documents_fit_houston_0_25: "0.25.0",
    the_chosen_documents_fit_houston_0_28: "0.28.0",
    the_chosen_documents_fit_houston_0_29: "0.29.0",
    the_chosen_documents_fit_houston_0_30: "0.30.0",
    the_chosen_documents_fit_houston_0_32: "0.32.0",
    the_chosen_documents_fit_houston_0_35: "0.35.0",
    the_chosen_documents_fit_houston_0_36: "0.36.0",
    the_chosen_documents_fit_houston_0_37: "0.37.0",
    the_chosen_documents_fit_houston_1_0_0: "1.0.0",
    the_chosen_documents_fit_houston_1_0_1: "1.0.1",
    the_chosen_documents_fit_houston_2_0_0: "2.0.0",
    the_chosen_documents_fit_houston_2_1_0: "2.1.0",
}

/// The printed SDL is the version's: what a version adds or removes shows.
#[tokio::test]
async fn each_version_prints_its_own_schema() {
    let at = |v: &'static str| async move {
        houston_local::schema_sdl_at(v.parse().unwrap())
            .await
            .unwrap()
    };
    let (v023, v035, v101, v210) = (
        at("0.23.0").await,
        at("0.35.0").await,
        at("1.0.1").await,
        at("2.1.0").await,
    );
    let has = |sdl: &str, line: &str| sdl.lines().any(|l| l.trim_start().starts_with(line));
    assert!(!has(&v023, "workspaceTeams(") && has(&v035, "workspaceTeams("));
    assert!(!has(&v035, "paginatedClusters(") && has(&v101, "paginatedClusters("));
    assert!(has(&v035, "desiredAirflowVersion:") && !has(&v101, "desiredAirflowVersion:"));
    assert!(
        !v101.contains("AllowedDeploymentModeValues")
            && v210.contains("mode: AllowedDeploymentModeValues")
    );
}
