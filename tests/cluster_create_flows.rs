//! Creating a deployment on Houston 1.0+ (reducer flows): the form asks for a cluster (ACTIVE
//! ones first; an INACTIVE one is refused with Houston's reason), a namespace of that cluster
//! where the platform lets deployments pick one, and a mode on 2.1; Houston's own refusal
//! stays on the form.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::forms::FieldId;
use astrodash::app::modal::Modal;
use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::mutation::{Mutation, Placement};
use astrodash::houston::request::{Payload, Request};
use common::clusters::*;
use common::forms::{answered, fetched, mutation, no_mutation};
use common::*;
use crossterm::event::KeyCode;

/// The Deployments tab on Houston `version` with manual namespaces on.
fn at_deployments(version: &str) -> AppState {
    let mut s = apc_state();
    put(
        &mut s,
        Request::AppConfig,
        Payload::AppConfig(AppConfig {
            version: Some(version.into()),
            base_domain: None,
        }),
    );
    put(
        &mut s,
        Request::PlatformFlags("cl-east".into()),
        Payload::PlatformFlags(PlatformFlags {
            manual_namespaces: true,
        }),
    );
    put(
        &mut s,
        Request::AvailableNamespaces("cl-east".into()),
        Payload::Namespaces(vec!["east-ns-1".into(), "east-ns-2".into()]),
    );
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    s
}

fn form(s: &AppState) -> &astrodash::app::forms::Form {
    match s.ui.modals.last() {
        Some(Modal::Form(f)) => &f.form,
        other => panic!("expected a form, got {other:?}"),
    }
}

/// Tab to field `id`.
fn focus(s: &mut AppState, id: FieldId) {
    for _ in 0..10 {
        if form(s).focused().map(|f| f.id) == Some(id) {
            return;
        }
        update(s, key(KeyCode::Tab));
    }
    panic!("no field {id}");
}

#[test]
fn on_2_1_the_form_places_the_deployment_on_an_active_cluster_namespace_and_mode() {
    let mut s = at_deployments("2.1.0");
    update(&mut s, ch('n'));
    let f = form(&s);
    let ids: Vec<&str> = f
        .fields
        .iter()
        .filter(|f| !f.hidden)
        .map(|f| f.id.name())
        .collect();
    assert_eq!(
        ids,
        [
            "label",
            "description",
            "executor",
            "cluster",
            "namespace",
            "mode"
        ],
        "no Airflow version or sizes: upsertDeployment takes neither"
    );
    assert_eq!(
        f.value(FieldId::Cluster),
        "cl-east",
        "an ACTIVE cluster first"
    );
    assert_eq!(f.value(FieldId::Namespace), "east-ns-1");
    type_text(&mut s, "lakehouse");
    focus(&mut s, FieldId::Namespace);
    update(&mut s, key(KeyCode::Right));
    focus(&mut s, FieldId::Mode);
    update(&mut s, key(KeyCode::Right));
    let (_, m) = mutation(&update(&mut s, ctrl('s')));
    let Mutation::CreateDeployment {
        spec, placement, ..
    } = m
    else {
        panic!("{m:?}")
    };
    assert_eq!(spec.label, "lakehouse");
    assert_eq!(
        placement,
        Some(Placement {
            cluster: "cl-east".into(),
            namespace: Some("east-ns-2".into()),
            mode: Some("operator".into()),
        })
    );
}

#[test]
fn an_inactive_cluster_is_shown_with_its_reason_and_refused() {
    let mut s = at_deployments("1.0.1");
    update(&mut s, ch('n'));
    assert!(
        form(&s).field(FieldId::Mode).is_none(),
        "modes are Houston 2.1's"
    );
    type_text(&mut s, "lakehouse");
    focus(&mut s, FieldId::Cluster);
    update(&mut s, key(KeyCode::Right));
    assert_eq!(form(&s).value(FieldId::Cluster), "cl-west");
    let text = render(&s, 160, 48);
    assert!(text.contains("◀ dp-west (INACTIVE)"), "{text}");
    assert!(
        text.contains("INACTIVE: Commander metadata unreachable"),
        "Houston's reason under it:\n{text}"
    );
    no_mutation(&update(&mut s, ctrl('s')));
    assert_eq!(
        form(&s).field(FieldId::Cluster).unwrap().error.as_deref(),
        Some(
            "dp-west is INACTIVE (Commander metadata unreachable): it takes no new deployments; choose an ACTIVE cluster"
        )
    );
}

#[test]
fn the_namespaces_follow_the_chosen_cluster_and_are_fetched_when_new() {
    let mut s = at_deployments("2.0.0");
    // dp-west back up, with namespaces of its own not read yet.
    let mut list = clusters();
    list[1].status = ClusterStatus::Active;
    list[1].status_reason = None;
    put(&mut s, Request::Clusters, Payload::Clusters(list));
    put(
        &mut s,
        Request::PlatformFlags("cl-west".into()),
        Payload::PlatformFlags(PlatformFlags {
            manual_namespaces: true,
        }),
    );
    update(&mut s, ch('n'));
    focus(&mut s, FieldId::Cluster);
    let fx = update(&mut s, key(KeyCode::Right));
    assert_eq!(form(&s).value(FieldId::Cluster), "cl-west");
    assert!(
        fetched(&fx).contains(&Request::AvailableNamespaces("cl-west".into())),
        "{fx:?}"
    );
    assert_eq!(
        form(&s).value(FieldId::Namespace),
        "",
        "none offered until they come"
    );
    let seq = s.net.latest_seq[&Request::AvailableNamespaces("cl-west".into())];
    update(
        &mut s,
        reply(
            Request::AvailableNamespaces("cl-west".into()),
            seq,
            1,
            Payload::Namespaces(vec!["west-ns".into()]),
        ),
    );
    assert_eq!(form(&s).value(FieldId::Namespace), "west-ns");
}

#[test]
fn a_cluster_that_does_not_let_deployments_pick_hides_the_namespace() {
    let mut s = at_deployments("2.0.0");
    put(
        &mut s,
        Request::PlatformFlags("cl-east".into()),
        Payload::PlatformFlags(PlatformFlags {
            manual_namespaces: false,
        }),
    );
    update(&mut s, ch('n'));
    assert!(form(&s).field(FieldId::Namespace).unwrap().hidden);
    type_text(&mut s, "lakehouse");
    let (_, m) = mutation(&update(&mut s, ctrl('s')));
    let Mutation::CreateDeployment { placement, .. } = m else {
        panic!("{m:?}")
    };
    assert_eq!(
        placement,
        Some(Placement {
            cluster: "cl-east".into(),
            namespace: None,
            mode: None,
        }),
        "Houston names the namespace; no mode before 2.1"
    );
}

#[test]
fn houstons_refusal_stays_on_the_form() {
    let mut s = at_deployments("2.1.0");
    update(&mut s, ch('n'));
    type_text(&mut s, "lakehouse");
    let (id, _) = mutation(&update(&mut s, ctrl('s')));
    let refusal =
        "Cluster dp-east is not active; deployments can only be created on an ACTIVE cluster";
    answered(
        &mut s,
        id,
        Err(ApiError::GraphQl {
            message: refusal.into(),
            code: Some("BAD_USER_INPUT".into()),
        }),
    );
    let text = render(&s, 160, 48);
    assert!(
        text.contains("deployments can only be created on an ACTIVE"),
        "{text}"
    );
    assert_eq!(
        form(&s).text(FieldId::Label),
        "lakehouse",
        "what was typed stays"
    );
}

#[test]
fn the_deployments_tab_loads_clusters_and_switches_on_1_0() {
    let mut s = at_deployments("1.0.0");
    s.cache.forget(&Request::Clusters);
    s.cache.forget(&Request::PlatformFlags("cl-east".into()));
    let wanted = s.supporting_requests();
    assert!(wanted.contains(&Request::Clusters), "{wanted:?}");
    // Once the clusters are known, the switches of the first ACTIVE one.
    put(&mut s, Request::Clusters, Payload::Clusters(clusters()));
    let wanted = s.supporting_requests();
    assert!(
        wanted.contains(&Request::PlatformFlags("cl-east".into())),
        "{wanted:?}"
    );
    // Before 1.0 nothing of the kind is asked.
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab: WorkspaceTab::Deployments,
    });
    let wanted = s.supporting_requests();
    assert!(!wanted.contains(&Request::Clusters), "{wanted:?}");
}
