//! GraphQL input types (names and fields as in Houston 0.35).

use async_graphql::InputObject;

use super::{DateTime, Id, Uuid};
use crate::rbac::Role;

#[derive(InputObject, Clone, Default, Debug)]
pub struct UserSearch {
    pub user_id: Option<Id>,
    pub user_uuid: Option<Uuid>,
    pub username: Option<String>,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub created_at: Option<DateTime>,
    pub updated_at: Option<DateTime>,
}

#[derive(InputObject, Clone, Default, Debug)]
pub struct InviteSearch {
    pub invite_uuid: Option<Uuid>,
    pub email: Option<String>,
}

#[derive(InputObject, Clone, Debug)]
pub struct InputEnvironmentVariable {
    pub key: Option<String>,
    pub value: Option<String>,
    pub is_secret: Option<bool>,
}

#[derive(InputObject, Clone, Debug)]
pub struct DeploymentRoles {
    pub deployment_id: Option<Id>,
    pub role: Option<Role>,
}

#[derive(InputObject, Clone, Debug)]
pub struct DeploymentWhereUniqueInput {
    pub id: Option<String>,
    pub release_name: Option<String>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct Requests {
    pub cpu: Option<i32>,
    pub memory: Option<i32>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct Limits {
    pub cpu: Option<i32>,
    pub memory: Option<i32>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct Resources {
    pub requests: Option<Requests>,
    pub limits: Option<Limits>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct Workers {
    pub replicas: Option<i32>,
    pub termination_grace_period_seconds: Option<i32>,
    pub resources: Option<Resources>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct Webserver {
    pub resources: Option<Resources>,
    pub use_default_airflow_image: Option<bool>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct Scheduler {
    pub replicas: Option<i32>,
    pub resources: Option<Resources>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct Triggerer {
    pub replicas: Option<i32>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct DagDeployment {
    #[graphql(name = "type")]
    pub kind: Option<String>,
    pub nfs_location: Option<String>,
    pub repository_url: Option<String>,
    pub branch_name: Option<String>,
    pub sync_interval: Option<i32>,
    pub sync_timeout: Option<i32>,
    pub ephemeral_storage: Option<i32>,
    pub dag_directory_location: Option<String>,
    pub rev: Option<String>,
    pub ssh_key: Option<String>,
    pub known_hosts: Option<String>,
}

fn resources_json(r: &Resources) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    if let Some(l) = &r.limits {
        let mut x = serde_json::Map::new();
        if let Some(c) = l.cpu {
            x.insert("cpu".into(), c.into());
        }
        if let Some(c) = l.memory {
            x.insert("memory".into(), c.into());
        }
        m.insert("limits".into(), x.into());
    }
    if let Some(l) = &r.requests {
        let mut x = serde_json::Map::new();
        if let Some(c) = l.cpu {
            x.insert("cpu".into(), c.into());
        }
        if let Some(c) = l.memory {
            x.insert("memory".into(), c.into());
        }
        m.insert("requests".into(), x.into());
    }
    m.into()
}

/// Turn the typed component inputs into the same override shape as the `config` JSON.
pub fn typed_overrides(
    workers: Option<&Workers>,
    webserver: Option<&Webserver>,
    scheduler: Option<&Scheduler>,
    triggerer: Option<&Triggerer>,
) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    if let Some(w) = workers {
        let mut x = serde_json::Map::new();
        if let Some(r) = w.replicas {
            x.insert("replicas".into(), r.into());
        }
        if let Some(t) = w.termination_grace_period_seconds {
            x.insert("terminationGracePeriodSeconds".into(), t.into());
        }
        if let Some(r) = &w.resources {
            x.insert("resources".into(), resources_json(r));
        }
        m.insert("workers".into(), x.into());
    }
    if let Some(w) = webserver {
        let mut x = serde_json::Map::new();
        if let Some(r) = &w.resources {
            x.insert("resources".into(), resources_json(r));
        }
        m.insert("webserver".into(), x.into());
    }
    if let Some(s) = scheduler {
        let mut x = serde_json::Map::new();
        if let Some(r) = s.replicas {
            x.insert("replicas".into(), r.into());
        }
        if let Some(r) = &s.resources {
            x.insert("resources".into(), resources_json(r));
        }
        m.insert("scheduler".into(), x.into());
    }
    if let Some(t) = triggerer {
        let mut x = serde_json::Map::new();
        if let Some(r) = t.replicas {
            x.insert("replicas".into(), r.into());
        }
        m.insert("triggerer".into(), x.into());
    }
    m.into()
}

/// Prisma-style unique lookups of the 0.23 schema.
#[derive(InputObject, Clone, Debug, Default)]
pub struct RoleBindingWhereUniqueInput {
    pub id: Option<String>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct EmailWhereUniqueInput {
    pub id: Option<String>,
    pub address: Option<String>,
    pub token: Option<String>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct AirflowReleaseWhereUniqueInput {
    pub id: Option<String>,
    pub tag: Option<String>,
}
