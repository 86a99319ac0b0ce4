//! Fixtures of Houston 1.0+ (Astro Private Cloud): two clusters, one INACTIVE with Houston's
//! reason, and the demo deployments spread over both.

use super::*;
use astrodash::app::state::{AppState, Route};
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};

pub fn clusters() -> Vec<Cluster> {
    vec![
        Cluster {
            id: "cl-east".into(),
            name: "dp-east".into(),
            k8s_version: Some("1.29.4".into()),
            cloud_provider: Some("aws".into()),
            status: ClusterStatus::Active,
            status_reason: None,
            data_plane_url: Some("https://east.apc.example.com".into()),
            config: Some(serde_json::json!({
                "dataplane": {"url": "https://east.apc.example.com", "mode": "split"},
                "deployments": {"maxExtraAu": 400}
            })),
            updated_at: Some(ago(600)),
        },
        Cluster {
            id: "cl-west".into(),
            name: "dp-west".into(),
            k8s_version: Some("1.28.9".into()),
            cloud_provider: Some("gcp".into()),
            status: ClusterStatus::Inactive,
            status_reason: Some("Commander metadata unreachable".into()),
            data_plane_url: Some("https://west.apc.example.com".into()),
            config: None,
            updated_at: Some(ago(7200)),
        },
    ]
}

fn on(c: &Cluster) -> ClusterRef {
    ClusterRef {
        id: c.id.clone(),
        name: c.name.clone(),
        status: c.status.clone(),
    }
}

/// The fixture deployments, the first two on dp-east and the others on dp-west (INACTIVE).
pub fn apc_deployments() -> Vec<Deployment> {
    let clusters = clusters();
    let mut list = admin_deployments();
    for (i, d) in list.iter_mut().enumerate() {
        d.cluster = Some(on(&clusters[usize::from(i >= 2)]));
    }
    list
}

/// `loaded_state` as on Houston 2.1 for a system admin: clusters listed, deployments on them,
/// the platform-wide list readable.
pub fn apc_state() -> AppState {
    let mut s = loaded_state();
    let mut me = me();
    me.is_system_admin = true;
    put(&mut s, Request::Me, Payload::Me(me));
    put(&mut s, Request::Clusters, Payload::Clusters(clusters()));
    let list = apc_deployments();
    put(
        &mut s,
        Request::Deployments("ws-data".into()),
        Payload::Deployments(list.clone()),
    );
    put(
        &mut s,
        Request::AllDeployments,
        Payload::Deployments(list.clone()),
    );
    for d in list {
        put(
            &mut s,
            Request::Deployment(d.id.clone()),
            Payload::Deployment(Box::new(d)),
        );
    }
    s
}

pub fn at_clusters() -> AppState {
    let mut s = apc_state();
    s.nav.routes.push(Route::Clusters);
    s
}
