//! Helpers of the all-deployments tests (`all_deployments`, `all_deployments_live`,
//! `all_deployments_per_workspace`): a logged-in state, a fleet of deployments across workspaces,
//! answering the fetches, reading the table.

use super::*;
use astrodash::app::effect::Effect;
use astrodash::app::msg::Msg;
use astrodash::app::state::*;
use astrodash::app::tables::TableId;
use astrodash::app::update::update;
use astrodash::houston::ApiError;
use astrodash::houston::model::*;
use astrodash::houston::request::{Payload, Request};

pub fn fetched(effects: &[Effect]) -> Vec<Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

pub fn seq_of(effects: &[Effect], request: &Request) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { seq, request: r } if r == request => Some(*seq),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fetch of {request:?} in {effects:?}"))
}

/// The reply to the fetch of `request` among `effects`, `secs` after the fixed "now".
pub fn answer(
    s: &mut AppState,
    effects: &[Effect],
    request: &Request,
    secs: i64,
    result: Result<Payload, ApiError>,
) -> Vec<Effect> {
    let seq = seq_of(effects, request);
    update(
        s,
        Msg::Api {
            request: request.clone(),
            seq,
            at: later(secs),
            result,
        },
    )
}

pub fn forbidden() -> ApiError {
    ApiError::Forbidden("You do not have the appropriate permissions for that".into())
}

/// Houston 0.35, as `appConfig` says.
pub fn put_app_config(s: &mut AppState) {
    put(
        s,
        Request::AppConfig,
        Payload::AppConfig(AppConfig {
            version: Some("0.35.0".into()),
            base_domain: None,
        }),
    );
}

/// Logged in on the account dashboard with `workspaces` listed; `system_admin` as Houston says.
pub fn logged_in(workspaces: Vec<Workspace>, system_admin: bool) -> AppState {
    let mut s = AppState::new(&settings(Some("token")), now(), false);
    update(&mut s, Msg::Resize(160, 48));
    put_app_config(&mut s);
    put(
        &mut s,
        Request::Me,
        Payload::Me(Me {
            is_system_admin: system_admin,
            ..me()
        }),
    );
    put(
        &mut s,
        workspaces_request(),
        Payload::Workspaces(workspaces),
    );
    s
}

pub fn row(id: &str, label: &str, ws: &Workspace, status: DeploymentStatus) -> Deployment {
    Deployment {
        workspace_id: Some(ws.id.clone()),
        workspace_label: Some(ws.label.clone()),
        ..deployment(
            id,
            label,
            &format!("{id}-release"),
            Executor::Celery,
            status,
        )
    }
}

/// Two workspaces' deployments, statuses mixed, names out of order.
pub fn fleet() -> (Vec<Workspace>, Vec<Deployment>) {
    let ws = workspaces();
    let (data, sandbox) = (&ws[0], &ws[1]);
    let rows = vec![
        row("d-1", "zeta", data, DeploymentStatus::Healthy),
        row("d-2", "beta", sandbox, DeploymentStatus::Unhealthy),
        Deployment {
            // An Airflow upgrade pending: marked in the Airflow column.
            airflow_version: Some("2.8.1".into()),
            ..row("d-3", "alpha", data, DeploymentStatus::Deploying)
        },
        row("d-4", "gamma", data, DeploymentStatus::Unhealthy),
        row("d-5", "delta", sandbox, DeploymentStatus::Unknown),
        Deployment {
            // A Runtime upgrade pending: named in the Airflow column.
            runtime_version: Some("10.2.0".into()),
            desired_runtime_version: Some("11.6.0".into()),
            ..row("d-6", "epsilon", sandbox, DeploymentStatus::Healthy)
        },
    ];
    (ws, rows)
}

/// The all-deployments table, top to bottom: (name, status).
pub fn table(s: &AppState) -> Vec<(String, DeploymentStatus)> {
    let view = s.view(&TableId::AllDeployments);
    view.iter()
        .map(|&i| {
            let d = astrodash::app::tables::all_deployments::deployment(&s.cache, i).unwrap();
            (d.label.clone(), d.status)
        })
        .collect()
}

pub fn names(s: &AppState) -> Vec<String> {
    table(s).into_iter().map(|(n, _)| n).collect()
}

pub fn statuses(list: &[Deployment]) -> Payload {
    Payload::Statuses(
        list.iter()
            .map(|d| DeploymentStatusRow {
                id: d.id.clone(),
                status: d.status,
            })
            .collect(),
    )
}

/// `a` pressed by a system admin and the platform-wide list answered.
pub fn global_view() -> (AppState, Vec<Deployment>) {
    let (ws, rows) = fleet();
    let mut s = logged_in(ws, true);
    let fx = update(&mut s, ch('a'));
    answer(
        &mut s,
        &fx,
        &Request::AllDeployments,
        0,
        Ok(Payload::Deployments(rows.clone())),
    );
    (s, rows)
}

/// `a` pressed by someone Houston refuses the platform-wide list: per workspace from then on.
pub fn refused(workspaces: Vec<Workspace>) -> (AppState, Vec<Effect>) {
    let mut s = logged_in(workspaces, false);
    let fx = update(&mut s, ch('a'));
    assert_eq!(fetched(&fx), vec![Request::AllDeployments]);
    let fx = answer(&mut s, &fx, &Request::AllDeployments, 0, Err(forbidden()));
    (s, fx)
}
