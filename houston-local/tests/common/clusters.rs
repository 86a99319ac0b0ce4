//! Astro Private Cloud helpers: the demo's clusters by name.

use serde_json::json;

use super::{ADMIN, Srv};

pub const AWS: &str = "aws-us-east-1"; // ACTIVE, the default cluster
pub const GCP: &str = "gcp-europe-west4"; // INACTIVE: Email Metrics, Web Analytics, Feature Store

impl Srv {
    /// A cluster's id, by name (Houston 1.0+).
    pub async fn cluster_id(&self, name: &str) -> String {
        let d = self
            .ok(
                ADMIN,
                "query($s: String) { paginatedClusters(searchPhrase: $s) { clusters { id name } } }",
                json!({"s": name}),
            )
            .await;
        d["paginatedClusters"]["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("cluster {name}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}
