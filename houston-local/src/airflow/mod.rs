//! Each deployment's Airflow and Flower, served under houston-local's own address
//! (`/<release>/airflow`, `/<release>/flower`) behind an ingress-like guard: a simulated
//! Airflow REST API (v1 for Airflow 2, v2 for Airflow 3), a simulated Flower API, a small
//! HTML page at each UI root, and optionally a proxy to a real Airflow webserver.
//!
//! Everything simulated is computed on demand from the deployment and the clock (`model`);
//! only user actions (pause, trigger, clear, mark) are stored, as small overrides
//! (`overrides`). Nothing runs in the background.

mod actions;
mod api;
mod backfills;
mod flower;
mod html;
mod ingress;
mod logs;
mod model;
mod overrides;
mod problem;
mod proxy;
mod query;
mod render;
mod runs;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State as AxState};
use axum::http::Method;
use axum::response::Response;

use crate::db::store::{self, DeploymentRow};
use crate::state::State;

/// Where `/<release>/airflow` goes instead of the simulation (`serve --airflow-upstream`).
#[derive(Clone, Debug, Default)]
pub struct AirflowConfig {
    /// Every deployment's Airflow proxied to this webserver.
    pub upstream: Option<String>,
    /// Per release name, overriding `upstream`.
    pub upstreams: HashMap<String, String>,
    /// Basic-auth credentials towards the upstream (a `USER:PASS@` in the URL wins).
    pub upstream_user: Option<String>,
    pub upstream_password: Option<String>,
    /// A fixed clock (ms since the epoch) for the simulation; `None` = the real clock.
    #[doc(hidden)]
    pub clock_ms: Option<i64>,
}

impl AirflowConfig {
    /// Adds one `serve --airflow-upstream` value: `URL` (every deployment) or `RELEASE=URL`
    /// (one deployment; wins over `URL`).
    pub fn add_upstream(&mut self, spec: &str) -> Result<(), String> {
        let is_url = |u: &str| u.starts_with("http://") || u.starts_with("https://");
        if is_url(spec) {
            self.upstream = Some(spec.to_string());
            return Ok(());
        }
        match spec.split_once('=') {
            Some((release, url)) if !release.is_empty() && is_url(url) => {
                self.upstreams.insert(release.to_string(), url.to_string());
                Ok(())
            }
            _ => Err(format!(
                "--airflow-upstream {spec}: expected an http(s) URL or RELEASE=URL"
            )),
        }
    }

    fn upstream_of(&self, release: &str) -> Option<&str> {
        self.upstreams
            .get(release)
            .or(self.upstream.as_ref())
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstreams_for_all_or_one_release() {
        let mut c = AirflowConfig::default();
        c.add_upstream("http://127.0.0.1:8080").unwrap();
        c.add_upstream("quasar-1234=https://u:p@airflow.example:8443/x?a=b")
            .unwrap();
        assert_eq!(c.upstream_of("other"), Some("http://127.0.0.1:8080"));
        assert_eq!(
            c.upstream_of("quasar-1234"),
            Some("https://u:p@airflow.example:8443/x?a=b")
        );
        assert!(c.add_upstream("quasar=ftp://x").is_err());
        assert!(c.add_upstream("localhost:8080").is_err());
        assert_eq!(
            split_path("/r/airflow/api/v1"),
            Some(("r", Ui::Airflow, "api/v1"))
        );
        assert_eq!(split_path("/r/flower"), Some(("r", Ui::Flower, "")));
        assert_eq!(split_path("/r/other/x"), None);
    }
}

/// The state the Airflow and Flower handlers share.
struct Airflow {
    state: Arc<State>,
    config: AirflowConfig,
    http: reqwest::Client,
    /// Airflow 3 upstreams' JWTs, by upstream base URL (`proxy`).
    upstream_tokens: proxy::Tokens,
}

impl Airflow {
    fn now_ms(&self) -> i64 {
        self.config.clock_ms.unwrap_or_else(store::now_ms)
    }
}

/// The routes `/<release>/airflow…`, `/<release>/flower…` and `/login`, as a fallback
/// (every path the GraphQL routes do not take).
pub(crate) fn router(state: Arc<State>, config: AirflowConfig) -> Router {
    overrides::ensure_table(&state.db);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default();
    let airflow = Arc::new(Airflow {
        state,
        config,
        http,
        upstream_tokens: proxy::Tokens::default(),
    });
    Router::new().fallback(dispatch).with_state(airflow)
}

/// Which UI of a deployment a path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ui {
    Airflow,
    Flower,
}

/// `/<release>/<ui>[/<rest>]` split into its parts; `rest` keeps no leading slash.
fn split_path(path: &str) -> Option<(&str, Ui, &str)> {
    let path = path.strip_prefix('/')?;
    let (release, tail) = path.split_once('/')?;
    let (ui, rest) = tail.split_once('/').unwrap_or((tail, ""));
    let ui = match ui {
        "airflow" => Ui::Airflow,
        "flower" => Ui::Flower,
        _ => return None,
    };
    Some((release, ui, rest))
}

async fn dispatch(AxState(air): AxState<Arc<Airflow>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if path == "/login" {
        return html::login_page(req.uri().query());
    }
    let Some((release, ui, rest)) = split_path(&path) else {
        return problem::plain_not_found();
    };
    let deployment = air
        .state
        .db
        .read(|c| store::deployment_by_release(c, release))
        .ok()
        .flatten();
    let Some(deployment) = deployment else {
        return problem::plain_not_found();
    };
    if ui == Ui::Flower && deployment.executor != "CeleryExecutor" {
        return problem::plain_not_found();
    }
    let access = match ingress::check(&air, &deployment, req.headers()) {
        Ok(access) => access,
        Err(()) => return ingress::to_login(&air, req.uri()),
    };
    let rest = rest.to_string();
    if ui == Ui::Airflow
        && let Some(upstream) = air.config.upstream_of(&deployment.release_name)
    {
        let upstream = upstream.to_string();
        return proxy::forward(&air, &upstream, &rest, req).await;
    }
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, air.state.limits.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => return problem::payload_too_large(),
    };
    let call = Call {
        method: parts.method,
        rest,
        query: parts.uri.query().unwrap_or("").to_string(),
        headers: parts.headers,
        body,
        access,
        deployment,
    };
    match ui {
        Ui::Airflow => api::handle(&air, call),
        Ui::Flower => flower::handle(&air, call),
    }
}

/// One request for a deployment's simulated Airflow or Flower, past the guard.
struct Call {
    method: Method,
    /// The path below the UI root, without a leading slash (`api/v1/dags`).
    rest: String,
    query: String,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
    access: ingress::Access,
    deployment: DeploymentRow,
}

/// The URL of a deployment's UI on this server (what `Deployment.urls` reports).
pub(crate) fn ui_url(state: &State, release: &str, ui: &str) -> String {
    format!("{}/{release}/{ui}", state.self_url)
}
