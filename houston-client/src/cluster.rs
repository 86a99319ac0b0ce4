//! Clusters (Astro Private Cloud's data planes, Houston 1.0+) and the platform switches the
//! create-deployment form reads, with the conversions of their replies.

use serde::{Serialize, Serializer};
use serde_json::Value;

use super::ApiError;
use super::apc_ops as ops;
use super::convert::{non_empty, parse_timestamp, rows};
use super::model::{ClusterId, Timestamp};

/// Whether a cluster takes new deployments and config updates.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClusterStatus {
    /// Healthy and reachable.
    Active,
    /// Unreachable or reporting an unhealthy status: no new deployments, no config updates.
    Inactive,
    /// What Houston sent, when it is neither (kept verbatim).
    Other(String),
}

impl ClusterStatus {
    pub fn parse(s: Option<&str>) -> ClusterStatus {
        match s.map(str::trim) {
            Some(s) if s.eq_ignore_ascii_case("ACTIVE") => ClusterStatus::Active,
            Some(s) if s.eq_ignore_ascii_case("INACTIVE") => ClusterStatus::Inactive,
            other => ClusterStatus::Other(other.unwrap_or_default().to_string()),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            ClusterStatus::Active => "ACTIVE",
            ClusterStatus::Inactive => "INACTIVE",
            ClusterStatus::Other(s) if s.is_empty() => "UNKNOWN",
            ClusterStatus::Other(s) => s,
        }
    }

    pub fn is_active(&self) -> bool {
        *self == ClusterStatus::Active
    }
}

impl Serialize for ClusterStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

/// A cluster as the Clusters view and the create form show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    pub id: ClusterId,
    pub name: String,
    pub k8s_version: Option<String>,
    pub cloud_provider: Option<String>,
    pub status: ClusterStatus,
    /// Why it is INACTIVE, in Houston's words (`statusReason`).
    pub status_reason: Option<String>,
    /// `config.dataplane.url`: where the data plane's Commander answers.
    pub data_plane_url: Option<String>,
    /// The deployment config as Houston keeps it for this cluster.
    pub config: Option<Value>,
    pub updated_at: Option<Timestamp>,
}

/// The cluster a deployment runs on, as its row names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterRef {
    pub id: ClusterId,
    pub name: String,
    pub status: ClusterStatus,
}

/// A deployment's `ClusterRef` from its `clusterId` and `cluster { id name status }` (the
/// name is the id when Houston sends no cluster object).
macro_rules! cluster_ref {
    ($id:expr, $cluster:expr) => {{
        use $crate::cluster::{ClusterRef, ClusterStatus};
        use $crate::model::ClusterId;
        match ($cluster, $id) {
            (Some(c), _) => Some(ClusterRef {
                name: $crate::convert::non_empty(Some(c.name.clone()))
                    .unwrap_or_else(|| c.id.clone()),
                status: ClusterStatus::parse(Some(c.status.as_str())),
                id: ClusterId(c.id.clone()),
            }),
            (None, Some(id)) => Some(ClusterRef {
                name: id.clone(),
                status: ClusterStatus::Other(String::new()),
                id: ClusterId(id.clone()),
            }),
            (None, None) => None,
        }
    }};
}
pub(crate) use cluster_ref;

/// The platform's switches the create-deployment form follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlatformFlags {
    /// Deployments pick a pre-created namespace (`manualNamespaceNames`).
    pub manual_namespaces: bool,
}

/// `statusReason` is a JSON object on Houston (a string on some installations): its message.
fn reason_text(reason: Option<&Value>) -> Option<String> {
    match reason? {
        Value::Null => None,
        Value::String(s) => non_empty(Some(s.clone())),
        Value::Object(map) => ["message", "reason", "error"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
            .map(str::to_string)
            .or_else(|| (!map.is_empty()).then(|| Value::Object(map.clone()).to_string())),
        other => Some(other.to_string()),
    }
}

fn data_plane_url(config: Option<&Value>) -> Option<String> {
    config?
        .get("dataplane")?
        .get("url")?
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

/// One conversion for the generated cluster types (the list's and `cluster(id)`'s).
macro_rules! cluster_from {
    ($c:expr) => {{
        let c = $c;
        Cluster {
            name: non_empty(Some(c.name)).unwrap_or_else(|| c.id.clone()),
            k8s_version: non_empty(c.k8s_version),
            cloud_provider: non_empty(c.cloud_provider),
            status: ClusterStatus::parse(Some(c.status.as_str())),
            status_reason: reason_text(c.status_reason.as_ref()),
            data_plane_url: data_plane_url(c.config.as_ref()),
            config: c.config,
            updated_at: parse_timestamp(Some(&c.updated_at)),
            id: ClusterId(c.id),
        }
    }};
}

pub fn clusters(data: ops::clusters::ResponseData) -> Vec<Cluster> {
    data.paginated_clusters
        .clusters
        .into_iter()
        .map(|c| cluster_from!(c))
        .collect()
}

pub fn cluster(data: ops::cluster::ResponseData) -> Result<Cluster, ApiError> {
    let c = data
        .cluster
        .ok_or_else(|| ApiError::NotFound("The cluster no longer exists".into()))?;
    Ok(cluster_from!(c))
}

/// The names of the namespaces a new deployment may use.
pub fn available_namespaces(data: ops::available_namespaces::ResponseData) -> Vec<String> {
    rows(data.available_namespaces)
        .filter_map(|n| non_empty(n.name))
        .collect()
}

pub fn platform_flags(data: ops::platform_flags::ResponseData) -> PlatformFlags {
    PlatformFlags {
        manual_namespaces: data
            .app_config
            .and_then(|c| c.manual_namespace_names)
            .unwrap_or(false),
    }
}

pub fn platform_flags_v100(data: ops::platform_flags_v100::ResponseData) -> PlatformFlags {
    PlatformFlags {
        manual_namespaces: data
            .app_config
            .and_then(|c| c.manual_namespace_names)
            .unwrap_or(false),
    }
}

/// Houston 2.0+: the switch lives in `featureFlags`.
pub fn platform_flags_v200(data: ops::platform_flags_v200::ResponseData) -> PlatformFlags {
    let flags = data.app_config.and_then(|c| c.feature_flags);
    PlatformFlags {
        manual_namespaces: flags
            .as_ref()
            .and_then(|f| f.get("manualNamespaceNames"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_status_reason_reads_as_its_message() {
        assert_eq!(reason_text(None), None);
        assert_eq!(reason_text(Some(&Value::Null)), None);
        assert_eq!(
            reason_text(Some(&json!({"message": "Commander unreachable"}))).as_deref(),
            Some("Commander unreachable")
        );
        assert_eq!(
            reason_text(Some(&json!("metadata fetch failed"))).as_deref(),
            Some("metadata fetch failed")
        );
        assert_eq!(
            reason_text(Some(&json!({"code": 503}))).as_deref(),
            Some(r#"{"code":503}"#)
        );
    }

    #[test]
    fn statuses_parse_and_keep_the_unknown() {
        assert_eq!(ClusterStatus::parse(Some("ACTIVE")), ClusterStatus::Active);
        assert_eq!(
            ClusterStatus::parse(Some("inactive")),
            ClusterStatus::Inactive
        );
        assert_eq!(ClusterStatus::parse(Some("PENDING")).label(), "PENDING");
        assert_eq!(ClusterStatus::parse(None).label(), "UNKNOWN");
    }

    #[test]
    fn the_data_plane_url_comes_from_the_config() {
        let config = json!({"dataplane": {"url": "https://dp1.example.com"}});
        assert_eq!(
            data_plane_url(Some(&config)).as_deref(),
            Some("https://dp1.example.com")
        );
        assert_eq!(data_plane_url(Some(&json!({}))), None);
    }
}
