//! The Clusters view of Houston 1.0+ (reducer flows): `:clusters` lists the data planes with
//! their deployment counts, Enter shows a cluster's deployments, a system admin renames one
//! (checked, and merged with what the server holds like every edit), nobody else can, and the
//! deployment lists show and filter by cluster.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::forms::FieldId;
use astrodash::app::modal::Modal;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::mutation::Mutation;
use astrodash::houston::request::{Payload, Request};
use common::app_flows::{answer, fail, fetched};
use common::clusters::*;
use common::merge::{conflict, no_mutation, one_mutation};
use common::*;
use crossterm::event::KeyCode;

fn run_command(s: &mut AppState, command: &str) -> Vec<astrodash::app::effect::Effect> {
    update(s, ch(':'));
    type_text(s, command);
    update(s, key(KeyCode::Enter))
}

fn selected_cluster(s: &AppState) -> String {
    s.selected::<astrodash::app::clusters::ClusterRow>()
        .unwrap()
        .cluster
        .name
}

#[test]
fn the_palette_opens_the_clusters_and_fetches_them() {
    let mut s = apc_state();
    s.cache.forget(&Request::Clusters);
    let fx = run_command(&mut s, "clusters");
    assert_eq!(s.route(), &Route::Clusters);
    assert!(
        reads(&fx).iter().any(|(r, _)| *r == Request::Clusters),
        "{fx:?}"
    );
}

#[test]
fn rows_count_the_deployments_on_each_and_put_problems_first() {
    let s = at_clusters();
    let rows = s.rows(&astrodash::app::tables::TableId::Clusters);
    let view = s.view(&astrodash::app::tables::TableId::Clusters);
    let env = astrodash::app::tables::CellEnv {
        now: now(),
        system_admin: true,
    };
    let shown: Vec<(String, String, String)> = view
        .iter()
        .map(|&i| {
            (
                rows.cell(i, 0, &env).text,
                rows.cell(i, 1, &env).text,
                rows.cell(i, 4, &env).text,
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "dp-west".into(),
                "INACTIVE: Commander metadata unreachable".into(),
                "2".into()
            ),
            ("dp-east".into(), "ACTIVE".into(), "2".into()),
        ]
    );
}

#[test]
fn counts_are_a_dash_until_a_deployment_list_is_loaded() {
    let mut s = at_clusters();
    s.cache.forget(&Request::AllDeployments);
    let rows = astrodash::app::clusters::rows(&s.cache);
    assert!(
        rows.iter().all(|r| r.deployment_count.is_none()),
        "{rows:?}"
    );
}

#[test]
fn enter_shows_the_clusters_deployments() {
    let mut s = at_clusters();
    assert_eq!(selected_cluster(&s), "dp-west");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.route(), &Route::AllDeployments);
    let table = astrodash::app::tables::TableId::AllDeployments;
    let labels: Vec<String> = s
        .view(&table)
        .iter()
        .map(|&i| {
            astrodash::app::tables::all_deployments::deployment(&s.cache, i)
                .unwrap()
                .label
                .clone()
        })
        .collect();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(
        labels
            .iter()
            .all(|l| l == "staging" || l.starts_with("an-extremely")),
        "{labels:?}"
    );
}

fn describe_view(s: &AppState) -> &astrodash::app::describe::DescribeView {
    match s.ui.modals.last() {
        Some(Modal::Describe(view)) => view,
        other => panic!("no describe view: {other:?}"),
    }
}

#[test]
fn describe_reads_the_cluster_and_shows_its_merged_config() {
    let mut s = at_clusters();
    assert_eq!(selected_cluster(&s), "dp-west");
    let fx = update(&mut s, ch('d'));
    let one = Request::Cluster("cl-west".into());
    assert!(fetched(&fx).contains(&one), "{fx:?}");
    assert_eq!(describe_view(&s).awaiting, Some(one.clone()));
    let text = render(&s, 160, 48);
    assert!(
        text.contains("as listed; loading its merged config"),
        "{text}"
    );
    // The list row has no config; Houston's `cluster(id)` has the merged one.
    assert!(
        !describe_view(&s)
            .lines
            .iter()
            .any(|l| l.contains("maxExtraAu"))
    );
    let mut merged = clusters().remove(1);
    merged.config = Some(serde_json::json!({
        "dataplane": {"url": "https://west.apc.example.com"},
        "deployments": {"maxExtraAu": 400, "triggererEnabled": false}
    }));
    answer(&mut s, &fx, one, Payload::Cluster(Box::new(merged)));
    let view = describe_view(&s);
    assert_eq!((view.awaiting.clone(), view.row_only), (None, false));
    assert_eq!(view.title, "cluster dp-west");
    assert!(
        view.lines
            .iter()
            .any(|l| l.trim() == "triggererEnabled: false"),
        "{:?}",
        view.lines
    );
    let text = render(&s, 160, 48);
    assert!(!text.contains("loading"), "{text}");
}

#[test]
fn describe_says_why_a_clusters_merged_config_is_missing() {
    for (error, said) in [
        (
            ApiError::Forbidden("You do not have the appropriate permissions".into()),
            "list row only: its merged config needs a system role",
        ),
        (
            ApiError::Unsupported {
                message: "Cannot query field \"cluster\" on type \"Query\".".into(),
                houston_version: Some("1.0.0".into()),
            },
            "not available on Houston 1.0.0",
        ),
        (
            ApiError::NotFound("The requested resource was not found".into()),
            "list row only: the cluster is no longer registered",
        ),
    ] {
        let mut s = at_clusters();
        let fx = update(&mut s, ch('d'));
        fail(&mut s, &fx, Request::Cluster("cl-west".into()), error);
        let view = describe_view(&s);
        assert_eq!((view.awaiting.clone(), view.row_only), (None, true));
        // Still the row as listed, never a blank view.
        assert!(
            view.lines.iter().any(|l| l.contains("dp-west")),
            "{:?}",
            view.lines
        );
        let text = render(&s, 200, 48);
        assert!(text.contains(said), "{said}: {text}");
    }
}

#[test]
fn a_system_admin_renames_a_cluster() {
    let mut s = at_clusters();
    update(&mut s, ch('j'));
    assert_eq!(selected_cluster(&s), "dp-east");
    update(&mut s, ch('e'));
    assert!(matches!(s.ui.modals.last(), Some(Modal::Form(_))));
    type_text(&mut s, "-1");
    let m = one_mutation(&submit(&mut s));
    assert_eq!(
        m,
        Mutation::RenameCluster {
            id: "cl-east".into(),
            name: "dp-east-1".into()
        }
    );
}

#[test]
fn a_name_another_cluster_has_is_refused_in_the_form() {
    let mut s = at_clusters();
    update(&mut s, ch('j'));
    update(&mut s, ch('e'));
    for _ in 0.."dp-east".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "DP-WEST");
    no_mutation(&submit(&mut s));
    let Some(Modal::Form(f)) = s.ui.modals.last() else {
        panic!("the form stays");
    };
    assert_eq!(
        f.form.field(FieldId::Name).unwrap().error.as_deref(),
        Some("A cluster named DP-WEST already exists")
    );
}

#[test]
fn a_cluster_renamed_meanwhile_is_a_conflict_not_an_overwrite() {
    let mut s = at_clusters();
    update(&mut s, ch('j'));
    update(&mut s, ch('e'));
    type_text(&mut s, "-a");
    let fx = update(&mut s, ctrl('s'));
    let renamed = {
        let mut list = clusters();
        list[0].name = "dp-east-b".into();
        Payload::Clusters(list)
    };
    let server = |r: &Request| (*r == Request::Clusters).then(|| renamed.clone());
    no_mutation(&answer_reads_with(&mut s, &fx, server));
    let c = conflict(&s);
    assert_eq!(
        (c.rows[0].theirs.as_str(), c.rows[0].mine.as_str()),
        ("dp-east-b", "dp-east-a")
    );
}

#[test]
fn only_a_writable_system_admin_has_the_rename_key() {
    let hint = |s: &AppState| render(s, 160, 48).contains("rename");
    let mut s = at_clusters();
    assert!(hint(&s), "{}", render(&s, 160, 48));
    let mut me = me();
    me.is_system_admin = false;
    put(&mut s, Request::Me, Payload::Me(me));
    assert!(!hint(&s));
    update(&mut s, ch('e'));
    assert!(s.ui.modals.is_empty(), "no form for a non-admin");

    let mut s = at_clusters();
    s.session.read_only = true;
    assert!(!hint(&s));
    update(&mut s, ch('e'));
    assert!(s.ui.modals.is_empty(), "no form in read-only mode");
}

#[test]
fn before_houston_1_0_the_view_says_clusters_are_not_available() {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Clusters);
    s.cache.start(&Request::Clusters);
    s.cache.fail(
        &Request::Clusters,
        ApiError::Unsupported {
            message: "paginatedClusters needs Houston 1.0.0 or later".into(),
            houston_version: Some("0.35.0".into()),
        },
        ago(1),
    );
    let text = render(&s, 80, 24);
    assert!(text.contains("Not available on Houston 0.35.0"), "{text}");
}

#[test]
fn deployment_lists_show_the_cluster_mark_inactive_ones_and_filter_by_it() {
    let mut s = apc_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    let text = render(&s, 160, 48);
    assert!(text.contains("Cluster"), "{text}");
    assert!(text.contains("✗ dp-west (INACTIVE)"), "{text}");
    update(&mut s, ch('/'));
    type_text(&mut s, "dp-east");
    update(&mut s, key(KeyCode::Enter));
    let table = astrodash::app::tables::TableId::Deployments("ws-data".into());
    assert_eq!(s.view(&table).len(), 2);
    // A list without clusters (Houston before 1.0) has no such column.
    let plain = {
        let mut s = loaded_state();
        s.nav.routes.push(Route::Workspace {
            id: "ws-data".into(),
            tab: WorkspaceTab::Deployments,
        });
        render(&s, 160, 48)
    };
    assert!(!plain.contains("Cluster"), "{plain}");
}

/// `d` on a cluster: loading its merged config over the list row, then the merged config.
#[test]
fn describe_a_cluster_snapshots() {
    let mut s = at_clusters();
    update(&mut s, ch('j'));
    let fx = update(&mut s, ch('d'));
    insta::assert_snapshot!("describe_cluster_loading_80x24", render(&s, 80, 24));
    let mut merged = clusters().remove(0);
    merged.config = Some(serde_json::json!({
        "dataplane": {"url": "https://east.apc.example.com", "mode": "split"},
        "deployments": {"maxExtraAu": 400, "manualNamespaceNames": true, "triggererEnabled": true}
    }));
    answer(
        &mut s,
        &fx,
        Request::Cluster("cl-east".into()),
        Payload::Cluster(Box::new(merged)),
    );
    for (w, h) in [(80, 24), (160, 48)] {
        insta::assert_snapshot!(format!("describe_cluster_{w}x{h}"), render(&s, w, h));
    }
}
