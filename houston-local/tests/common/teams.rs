//! The team tests' seeded members and documents.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;

pub const NORA: &str = "nora@astrodash.local";
pub const OMAR: &str = "omar@astrodash.local";

pub fn labels(d: &Value, field: &str) -> Vec<String> {
    d[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["label"].as_str().unwrap().to_string())
        .collect()
}

pub fn team_names(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

pub const CREATE: &str = "mutation($w: Uuid!) { createDeployment(workspaceUuid: $w, label: \"By a team member\") { id } }";
pub const CAPS: &str = "query($w: Uuid!, $d: String!) { workspace(workspaceUuid: $w) { workspaceCapabilities { canCreateDeployment canUpdateIAM } } deployment(where: {id: $d}) { deploymentCapabilities { canDeleteDeployment canUpdateDeployment } } }";
