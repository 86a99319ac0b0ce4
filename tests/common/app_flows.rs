//! Helpers of the app reducer flows (`app_flows`, `app_session_flows`, `app_view_flows`):
//! boot and reach a workspace, answer or fail the fetches an update asked for.

use super::*;
use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::{init, update};
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};
use crossterm::event::KeyCode;

/// The requests fetched among `effects`, in order.
pub fn fetched(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

/// The sequence number of the fetch of `request` among `effects`.
pub fn seq_of(effects: &[Effect], request: &Request) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { seq, request: r } if r == request => Some(*seq),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fetch of {request:?} in {effects:?}"))
}

/// Answer the fetch of `request` in `effects` with `payload`.
pub fn answer(
    s: &mut AppState,
    effects: &[Effect],
    request: Request,
    payload: Payload,
) -> Vec<Effect> {
    let seq = seq_of(effects, &request);
    update(s, reply(request, seq, 0, payload))
}

pub fn fail(
    s: &mut AppState,
    effects: &[Effect],
    request: Request,
    error: ApiError,
) -> Vec<Effect> {
    let seq = seq_of(effects, &request);
    update(
        s,
        Msg::Api {
            request,
            seq,
            at: now(),
            result: Err(error),
        },
    )
}

pub fn deployments_request() -> Request {
    Request::Deployments("ws-data".into())
}

/// Start with a token and load the account dashboard through real messages.
pub fn boot() -> AppState {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    let fx = init(&mut s);
    assert_eq!(fetched(&fx), vec![Request::Me, Request::AppConfig]);
    answer(
        &mut s,
        &fx,
        Request::AppConfig,
        Payload::AppConfig(AppConfig {
            version: Some("0.35.0".into()),
            base_domain: None,
        }),
    );
    let fx2 = answer(&mut s, &fx, Request::Me, Payload::Me(me()));
    assert_eq!(fetched(&fx2), vec![workspaces_request()]);
    let fx3 = answer(
        &mut s,
        &fx2,
        workspaces_request(),
        Payload::Workspaces(workspaces()),
    );
    assert!(fetched(&fx3).is_empty(), "{fx3:?}");
    s
}

/// From the account dashboard into "Data Platform" with its deployments loaded.
pub fn into_workspace(s: &mut AppState) {
    // Workspaces are listed by name: "Analytics Sandbox", then "Data Platform".
    update(s, ch('j'));
    let fx = update(s, key(KeyCode::Enter));
    assert_eq!(
        fetched(&fx),
        vec![deployments_request(), Request::DeploymentConfig]
    );
    answer(
        s,
        &fx,
        deployments_request(),
        Payload::Deployments(admin_deployments()),
    );
    answer(
        s,
        &fx,
        Request::DeploymentConfig,
        Payload::DeploymentConfig(DeploymentConfig {
            airflow_versions: vec!["2.8.1".into(), "2.9.2".into(), "2.10.3".into()],
            ..DeploymentConfig::default()
        }),
    );
}

pub fn view(s: &AppState, table: &TableId) -> Vec<usize> {
    s.view(table).to_vec()
}
