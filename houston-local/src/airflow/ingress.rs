//! The guard in front of every deployment's Airflow and Flower, as the platform's ingress
//! does it: a valid Houston credential (a JWT, `Bearer` or bare, or a service-account key, in
//! `Authorization` or else in the `astronomer_auth` cookie)
//! whose roles allow Airflow access on that deployment, else a 302 to the login page (never
//! a 401). The Airflow role the caller then acts with follows from the same permissions.

use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::Airflow;
use crate::db::store::DeploymentRow;
use crate::principal::authenticate;
use crate::rbac::{Entity, Permission};

/// The Airflow role a caller gets (Astronomer maps `*.airflow.get|user|admin` to Airflow's
/// Viewer, User and Admin roles).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Access {
    Viewer,
    User,
    Admin,
}

impl Access {
    /// Whether this role may change things (pause, trigger, clear, mark): User and Admin.
    pub(super) fn may_act(self) -> bool {
        self >= Access::User
    }
}

/// The caller's Airflow role on `d`, or `Err` when the ingress would send it to the login page.
pub(super) fn check(air: &Airflow, d: &DeploymentRow, headers: &HeaderMap) -> Result<Access, ()> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .or_else(|| auth_cookie(headers));
    let principal = authenticate(&air.state, value).ok_or(())?;
    let entity = Entity::Deployment {
        id: &d.id,
        workspace_id: &d.workspace_id,
    };
    let levels = [
        (
            Access::Admin,
            [
                Permission::DeploymentAirflowAdmin,
                Permission::SystemAirflowAdmin,
            ],
        ),
        (
            Access::User,
            [
                Permission::DeploymentAirflowUser,
                Permission::SystemAirflowUser,
            ],
        ),
        (
            Access::Viewer,
            [
                Permission::DeploymentAirflowGet,
                Permission::SystemAirflowGet,
            ],
        ),
    ];
    levels
        .into_iter()
        .find(|(_, perms)| principal.any(perms, entity))
        .map(|(access, _)| access)
        .ok_or(())
}

/// The platform's session cookie (`astronomer_auth`, the Houston token a browser carries),
/// used when there is no `Authorization` header.
fn auth_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .find_map(|c| c.trim().strip_prefix("astronomer_auth="))
}

/// 302 to `<self>/login?rd=<the URL asked for>`.
pub(super) fn to_login(air: &Airflow, uri: &Uri) -> Response {
    let original = match uri.query() {
        Some(q) => format!("{}{}?{q}", air.state.self_url, uri.path()),
        None => format!("{}{}", air.state.self_url, uri.path()),
    };
    let location = format!("{}/login?rd={}", air.state.self_url, encode(&original));
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location),
            (header::CONTENT_TYPE, "text/html".to_string()),
        ],
        "<html>\r\n<head><title>302 Found</title></head>\r\n<body>\r\n<center><h1>302 Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    )
        .into_response()
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub(super) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_a_url_for_a_query_parameter() {
        assert_eq!(
            encode("http://h:1/r/airflow/api/v1/dags?limit=5"),
            "http%3A%2F%2Fh%3A1%2Fr%2Fairflow%2Fapi%2Fv1%2Fdags%3Flimit%3D5"
        );
        assert!(Access::Admin.may_act() && Access::User.may_act());
        assert!(!Access::Viewer.may_act());
    }
}
