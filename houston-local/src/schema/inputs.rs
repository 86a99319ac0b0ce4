//! GraphQL input types (names and fields as in Houston 0.35).

use async_graphql::InputObject;

use super::{DateTime, Id, Uuid};
use crate::rbac::Role;

#[derive(InputObject, Clone, Default, Debug)]
pub(crate) struct UserSearch {
    pub(crate) user_id: Option<Id>,
    pub(crate) user_uuid: Option<Uuid>,
    pub(crate) username: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) full_name: Option<String>,
    pub(crate) created_at: Option<DateTime>,
    pub(crate) updated_at: Option<DateTime>,
}

#[derive(InputObject, Clone, Default, Debug)]
pub(crate) struct InviteSearch {
    pub(crate) invite_uuid: Option<Uuid>,
    pub(crate) email: Option<String>,
}

#[derive(InputObject, Clone, Debug)]
pub(crate) struct InputEnvironmentVariable {
    pub(crate) key: Option<String>,
    pub(crate) value: Option<String>,
    pub(crate) is_secret: Option<bool>,
}

#[derive(InputObject, Clone, Debug)]
pub(crate) struct DeploymentRoles {
    pub(crate) deployment_id: Option<Id>,
    pub(crate) role: Option<Role>,
}

#[derive(InputObject, Clone, Debug)]
pub(crate) struct DeploymentWhereUniqueInput {
    pub(crate) id: Option<String>,
    pub(crate) release_name: Option<String>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub(crate) struct Requests {
    pub(crate) cpu: Option<i32>,
    pub(crate) memory: Option<i32>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub(crate) struct Limits {
    pub(crate) cpu: Option<i32>,
    pub(crate) memory: Option<i32>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub(crate) struct Resources {
    pub(crate) requests: Option<Requests>,
    pub(crate) limits: Option<Limits>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub(crate) struct Workers {
    pub(crate) replicas: Option<i32>,
    pub(crate) termination_grace_period_seconds: Option<i32>,
    pub(crate) resources: Option<Resources>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub(crate) struct Webserver {
    pub(crate) resources: Option<Resources>,
    pub(crate) use_default_airflow_image: Option<bool>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub(crate) struct Scheduler {
    pub(crate) replicas: Option<i32>,
    pub(crate) resources: Option<Resources>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub(crate) struct Triggerer {
    pub(crate) replicas: Option<i32>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub(crate) struct DagDeployment {
    #[graphql(name = "type")]
    pub(crate) kind: Option<String>,
    pub(crate) nfs_location: Option<String>,
    pub(crate) repository_url: Option<String>,
    pub(crate) branch_name: Option<String>,
    pub(crate) sync_interval: Option<i32>,
    pub(crate) sync_timeout: Option<i32>,
    pub(crate) ephemeral_storage: Option<i32>,
    pub(crate) dag_directory_location: Option<String>,
    pub(crate) rev: Option<String>,
    pub(crate) ssh_key: Option<String>,
    pub(crate) known_hosts: Option<String>,
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
pub(crate) fn typed_overrides(
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
pub(crate) struct RoleBindingWhereUniqueInput {
    pub(crate) id: Option<String>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub(crate) struct EmailWhereUniqueInput {
    pub(crate) id: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) token: Option<String>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub(crate) struct AirflowReleaseWhereUniqueInput {
    pub(crate) id: Option<String>,
    pub(crate) tag: Option<String>,
}
