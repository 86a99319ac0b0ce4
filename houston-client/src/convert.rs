//! Generated GraphQL reply types (`ops`) → domain types (`model`), in one place.
//!
//! Houston's schema is nullable almost everywhere; a null list becomes an empty `Vec`, a null
//! row is skipped, an unparseable timestamp becomes `None`. Nothing here panics.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::ApiError;
use super::model::*;
use super::ops;

pub use super::convert_people::{
    deployment_service_accounts, deployment_service_accounts_v023, deployment_teams,
    deployment_users, workspace_invites, workspace_service_accounts,
    workspace_service_accounts_v023, workspace_teams, workspace_users,
};

/// Components in the order the deployment dashboard lists them.
pub(crate) const COMPONENTS: [&str; 8] = [
    "scheduler",
    "webserver",
    "workers",
    "triggerer",
    "statsd",
    "pgbouncer",
    "flower",
    "redis",
];

/// RFC 3339 (what Houston sends) or epoch milliseconds (what some Prisma versions send).
pub fn parse_timestamp(s: Option<&str>) -> Option<Timestamp> {
    let s = s?.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<i64>()
            .ok()
            .and_then(DateTime::from_timestamp_millis);
    }
    None
}

/// A JSON number, or a string holding one.
fn json_number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

/// Per-component resources from `Deployment.config`. Components without usable limits are
/// skipped; unknown components are ignored.
pub fn resources_from_config(config: Option<&Value>) -> Vec<ComponentResources> {
    let Some(config) = config.and_then(Value::as_object) else {
        return Vec::new();
    };
    COMPONENTS
        .iter()
        .filter_map(|&name| {
            let component = config.get(name)?.as_object()?;
            let limits = component.get("resources")?.get("limits")?;
            let cpu = json_number(limits.get("cpu"));
            let memory = json_number(limits.get("memory"));
            if cpu.is_none() && memory.is_none() {
                return None;
            }
            let cpu_millis = cpu.unwrap_or(0.0).round() as i64;
            Some(ComponentResources {
                component: name.to_string(),
                au: cpu_millis as f64 / 100.0,
                cpu_millis,
                memory_mib: memory.unwrap_or(0.0).round() as i64,
                replicas: json_number(component.get("replicas")).map(|r| r.round() as i64),
                grace_period_secs: json_number(component.get("terminationGracePeriodSeconds"))
                    .map(|s| s.round() as i64),
            })
        })
        .collect()
}

/// `properties.extra_au`.
pub fn extra_au(properties: Option<&Value>) -> Option<i64> {
    json_number(properties?.get("extra_au")).map(|n| n.round() as i64)
}

/// Drop null rows of a nullable list of nullable items.
pub(super) fn rows<T>(list: Option<Vec<Option<T>>>) -> impl Iterator<Item = T> {
    list.into_iter().flatten().flatten()
}

pub(crate) fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

/// The primary address, else the first one; from `(primary, address)` pairs.
pub(super) fn primary_email<'a>(
    emails: impl Iterator<Item = (Option<bool>, Option<&'a String>)>,
) -> Option<String> {
    let emails: Vec<_> = emails
        .filter(|(_, a)| a.is_some_and(|a| !a.trim().is_empty()))
        .collect();
    emails
        .iter()
        .find(|(primary, _)| *primary == Some(true))
        .or_else(|| emails.first())
        .and_then(|(_, address)| address.cloned())
}

/// Houston users may lack a username (invited, OAuth): fall back to the e-mail, then the id.
pub(super) fn user_name(username: Option<String>, email: Option<&String>, id: &str) -> String {
    non_empty(username)
        .or_else(|| email.cloned())
        .unwrap_or_else(|| id.to_string())
}

pub fn app_config(data: ops::app_config::ResponseData) -> AppConfig {
    let c = data.app_config;
    AppConfig {
        version: c.as_ref().and_then(|c| c.version.clone()),
        base_domain: c.and_then(|c| c.base_domain),
    }
}

pub fn auth_config(data: ops::auth_config::ResponseData) -> Result<AuthConfig, ApiError> {
    let c = data
        .auth_config
        .ok_or_else(|| ApiError::Decode("authConfig is null".into()))?;
    Ok(AuthConfig {
        local_enabled: c.local_enabled.unwrap_or(false),
        public_signup: c.public_signup.unwrap_or(false),
        initial_signup: c.initial_signup.unwrap_or(false),
        providers: c
            .providers
            .unwrap_or_default()
            .into_iter()
            .map(|p| non_empty(p.display_name).unwrap_or(p.name))
            .collect(),
    })
}

pub fn create_token(data: ops::create_token::ResponseData) -> Result<String, ApiError> {
    data.create_token
        .and_then(|a| a.token)
        .and_then(|t| t.value)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::Decode("login reply holds no token".into()))
}

pub fn me(data: ops::me::ResponseData) -> Result<Me, ApiError> {
    let auth = data
        .self_
        .ok_or_else(|| ApiError::Decode("self is null".into()))?;
    let is_system_admin = auth
        .auth_user_capabilities
        .and_then(|c| c.can_sys_admin)
        .unwrap_or(false);
    // A service-account API key authenticates without a user: Houston answers `user: null`.
    let Some(user) = auth.user.filter(|u| !u.id.is_empty()) else {
        return Ok(Me::service_account(is_system_admin));
    };
    let email = primary_email(user.emails.iter().map(|e| (e.primary, e.address.as_ref())));
    let deployment_roles = user
        .role_bindings
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let role = Role::parse(b.role.as_deref()?);
            let d = b.deployment.filter(|d| !d.id.is_empty())?;
            let workspace = d.workspace.filter(|w| !w.id.is_empty());
            Some(DeploymentRole {
                role,
                label: non_empty(d.label).unwrap_or_else(|| d.id.clone()),
                release_name: d.release_name.unwrap_or_default(),
                workspace_label: workspace.as_ref().and_then(|w| non_empty(w.label.clone())),
                workspace_id: workspace.map(|w| WorkspaceId(w.id)),
                deployment_id: DeploymentId(d.id),
            })
        })
        .filter(|r| {
            matches!(
                r.role,
                Role::DeploymentAdmin | Role::DeploymentEditor | Role::DeploymentViewer
            )
        })
        .collect();
    Ok(Me {
        username: user_name(user.username, email.as_ref(), &user.id),
        id: Some(UserId(user.id)),
        full_name: non_empty(user.full_name),
        email,
        is_system_admin,
        deployment_roles,
    })
}

/// One conversion for the two generated workspace types (same selection, different names).
macro_rules! workspace_from {
    ($w:expr, $me_id:expr) => {{
        let w = $w;
        let my_role = w
            .role_bindings
            .iter()
            .flatten()
            .find(|b| {
                let me_id: Option<&UserId> = $me_id;
                me_id.is_some_and(|me| b.user.as_ref().is_some_and(|u| *me == u.id.as_str()))
            })
            .and_then(|b| b.role.as_deref())
            .map(Role::parse);
        let caps = w.workspace_capabilities.as_ref();
        let cap = |f: fn(&_) -> Option<bool>| caps.and_then(f).unwrap_or(false);
        Workspace {
            label: non_empty(w.label).unwrap_or_else(|| w.id.clone()),
            description: non_empty(w.description),
            deployment_count: w.deployments.iter().flatten().flatten().count(),
            my_role,
            created_at: parse_timestamp(Some(&w.created_at)),
            updated_at: parse_timestamp(Some(&w.updated_at)),
            capabilities: WorkspaceCapabilities {
                can_update_workspace: cap(|c| c.can_update_workspace),
                can_delete_workspace: cap(|c| c.can_delete_workspace),
                can_create_deployment: cap(|c| c.can_create_deployment),
                can_update_iam: cap(|c| c.can_update_iam),
                can_invite_user: cap(|c| c.can_invite_user),
                can_create_service_account: cap(|c| c.can_create_service_account),
                can_update_service_account: cap(|c| c.can_update_service_account),
                can_delete_service_account: cap(|c| c.can_delete_service_account),
            },
            id: WorkspaceId(w.id),
        }
    }};
}

/// `sysWorkspaces` (the System Admin panel), like `workspaces`.
pub(super) fn sys_workspaces(
    data: super::system::system_workspaces::ResponseData,
    me_id: Option<&UserId>,
) -> Vec<Workspace> {
    data.sys_workspaces
        .into_iter()
        .map(|w| workspace_from!(w, me_id))
        .collect()
}

/// `me_id`: the caller's user id, to find their own role; `None` for a service account.
pub fn workspaces(data: ops::workspaces::ResponseData, me_id: Option<&UserId>) -> Vec<Workspace> {
    rows(data.workspaces)
        .map(|w| workspace_from!(w, me_id))
        .collect()
}

pub fn workspace(
    data: ops::workspace::ResponseData,
    me_id: Option<&UserId>,
) -> Result<Workspace, ApiError> {
    let w = data
        .workspace
        .ok_or_else(|| ApiError::NotFound("The workspace no longer exists".into()))?;
    Ok(workspace_from!(w, me_id))
}

/// `DeploymentCapabilities` from any generated `deploymentCapabilities` selection (absent
/// ones are `false`).
macro_rules! capabilities_from {
    ($caps:expr) => {{
        let caps = $caps;
        let cap = |f: fn(&_) -> Option<bool>| caps.and_then(f).unwrap_or(false);
        DeploymentCapabilities {
            can_update: cap(|c| c.can_update_deployment),
            can_delete: cap(|c| c.can_delete_deployment),
            can_update_variables: cap(|c| c.can_update_variables),
            can_create_service_account: cap(|c| c.can_create_service_account),
            can_update_service_account: cap(|c| c.can_update_service_account),
            can_delete_service_account: cap(|c| c.can_delete_service_account),
            can_update_user_role: cap(|c| c.can_update_user_role),
        }
    }};
}
pub(super) use capabilities_from;

/// `DeploymentUrl`s from any generated `urls { type url }` selection (rows without a URL
/// are dropped).
macro_rules! urls_from {
    ($urls:expr) => {
        rows($urls)
            .filter_map(|u| {
                Some(DeploymentUrl {
                    kind: u.type_.unwrap_or_default(),
                    url: non_empty(u.url)?,
                })
            })
            .collect()
    };
}
pub(super) use urls_from;

/// One conversion for the generated deployment types (every form of the deployment documents).
/// `namespace` is left `None`: only the documents for Houston 0.25+ select it, and their
/// conversions fill it in.
/// `ac` gives the Astronomer Certified versions `(airflow, desired)`; without it they are read
/// from the reply (every form before Houston 1.0 selects them).
macro_rules! deployment_from {
    ($d:expr) => {
        deployment_from!(
            $d,
            ac(a)(
                non_empty(a.airflow_version.take()),
                non_empty(a.desired_airflow_version.take()),
            )
        )
    };
    ($d:expr, ac($a:ident) $ac:expr) => {{
        #[allow(unused_mut)]
        let mut $a = $d;
        let (airflow_version, desired_airflow_version) = $ac;
        let d = $a;
        let capabilities = capabilities_from!(d.deployment_capabilities.as_ref());
        Deployment {
            label: non_empty(d.label.clone())
                .or_else(|| d.release_name.clone())
                .unwrap_or_else(|| d.id.clone()),
            description: non_empty(d.description),
            release_name: d.release_name.unwrap_or_default(),
            namespace: None,
            runtime_version: None,
            desired_runtime_version: None,
            runtime_airflow_version: None,
            workspace_id: d.workspace.as_ref().map(|w| WorkspaceId(w.id.clone())),
            workspace_label: d.workspace.and_then(|w| non_empty(w.label)),
            executor: d
                .executor
                .as_deref()
                .map(Executor::parse)
                .or_else(|| executor_from_config(d.config.as_ref()))
                .unwrap_or_else(|| Executor::Other(String::new())),
            cluster: None,
            airflow_version,
            desired_airflow_version,
            chart_version: non_empty(d.version),
            status: DeploymentStatus::parse(d.status.as_deref()),
            image_tag: d.deploy_info.and_then(|i| non_empty(i.current)),
            urls: urls_from!(d.urls),
            resources: resources_from_config(d.config.as_ref()),
            extra_au: extra_au(d.properties.as_ref()),
            capabilities,
            created_at: parse_timestamp(Some(&d.created_at)),
            updated_at: parse_timestamp(Some(&d.updated_at)),
            id: DeploymentId(d.id),
        }
    }};
}

/// Older replies carry the executor only inside `config`.
fn executor_from_config(config: Option<&Value>) -> Option<Executor> {
    config?
        .get("executor")?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(Executor::parse)
}

/// Houston 0.25–0.28: namespace, no Runtime fields.
pub(crate) fn workspace_deployments_v025(
    data: ops::workspace_deployments_v025::ResponseData,
) -> Vec<Deployment> {
    rows(data.workspace_deployments)
        .map(|mut d| Deployment {
            namespace: non_empty(d.namespace.take()),
            ..deployment_from!(d)
        })
        .collect()
}

/// Houston 0.29+: with the Astro Runtime fields.
pub fn workspace_deployments(data: ops::workspace_deployments::ResponseData) -> Vec<Deployment> {
    rows(data.workspace_deployments)
        .map(|mut d| Deployment {
            namespace: non_empty(d.namespace.take()),
            runtime_version: non_empty(d.runtime_version.take()),
            desired_runtime_version: non_empty(d.desired_runtime_version.take()),
            runtime_airflow_version: non_empty(d.runtime_airflow_version.take()),
            ..deployment_from!(d)
        })
        .collect()
}

/// Houston before 0.25: no namespace.
pub(crate) fn workspace_deployments_v023(
    data: ops::workspace_deployments_v023::ResponseData,
) -> Vec<Deployment> {
    rows(data.workspace_deployments)
        .map(|d| deployment_from!(d))
        .collect()
}

/// Houston 1.0+: namespace, Runtime and cluster; no AC fields (the Runtime names the Airflow).
macro_rules! deployment_v100_from {
    ($d:expr) => {{
        let mut d = $d;
        Deployment {
            namespace: non_empty(d.namespace.take()),
            runtime_version: non_empty(d.runtime_version.take()),
            desired_runtime_version: non_empty(d.desired_runtime_version.take()),
            runtime_airflow_version: non_empty(d.runtime_airflow_version.take()),
            cluster: crate::cluster::cluster_ref!(d.cluster_id.as_ref(), d.cluster.as_ref()),
            ..deployment_from!(d, ac(_a)(None, None))
        }
    }};
}

pub fn workspace_deployments_v100(
    data: ops::workspace_deployments_v100::ResponseData,
) -> Vec<Deployment> {
    rows(data.workspace_deployments)
        .map(|d| deployment_v100_from!(d))
        .collect()
}

pub fn deployment_v100(data: ops::deployment_v100::ResponseData) -> Result<Deployment, ApiError> {
    let d = data
        .deployment
        .ok_or_else(|| ApiError::NotFound(DEPLOYMENT_GONE.into()))?;
    Ok(deployment_v100_from!(d))
}

pub fn deployment_by_release_v100(
    data: ops::deployment_by_release_v100::ResponseData,
) -> Result<Deployment, ApiError> {
    let d = data
        .deployment
        .ok_or_else(|| ApiError::NotFound(DEPLOYMENT_GONE.into()))?;
    Ok(deployment_v100_from!(d))
}

const DEPLOYMENT_GONE: &str = "The deployment no longer exists";

/// Houston 0.25–0.28: namespace, no Runtime fields.
pub(crate) fn deployment_v025(
    data: ops::deployment_v025::ResponseData,
) -> Result<Deployment, ApiError> {
    let mut d = data
        .deployment
        .ok_or_else(|| ApiError::NotFound(DEPLOYMENT_GONE.into()))?;
    Ok(Deployment {
        namespace: non_empty(d.namespace.take()),
        ..deployment_from!(d)
    })
}

/// Houston 0.29+: with the Astro Runtime fields.
pub fn deployment(data: ops::deployment::ResponseData) -> Result<Deployment, ApiError> {
    let mut d = data
        .deployment
        .ok_or_else(|| ApiError::NotFound(DEPLOYMENT_GONE.into()))?;
    Ok(Deployment {
        namespace: non_empty(d.namespace.take()),
        runtime_version: non_empty(d.runtime_version.take()),
        desired_runtime_version: non_empty(d.desired_runtime_version.take()),
        runtime_airflow_version: non_empty(d.runtime_airflow_version.take()),
        ..deployment_from!(d)
    })
}

/// Houston before 0.25: no namespace.
pub(crate) fn deployment_v023(
    data: ops::deployment_v023::ResponseData,
) -> Result<Deployment, ApiError> {
    let d = data
        .deployment
        .ok_or_else(|| ApiError::NotFound(DEPLOYMENT_GONE.into()))?;
    Ok(deployment_from!(d))
}

/// The same deployment asked for by release name (three forms, as above).
pub fn deployment_by_release(
    data: ops::deployment_by_release::ResponseData,
) -> Result<Deployment, ApiError> {
    let mut d = data
        .deployment
        .ok_or_else(|| ApiError::NotFound(DEPLOYMENT_GONE.into()))?;
    Ok(Deployment {
        namespace: non_empty(d.namespace.take()),
        runtime_version: non_empty(d.runtime_version.take()),
        desired_runtime_version: non_empty(d.desired_runtime_version.take()),
        runtime_airflow_version: non_empty(d.runtime_airflow_version.take()),
        ..deployment_from!(d)
    })
}

pub(crate) fn deployment_by_release_v025(
    data: ops::deployment_by_release_v025::ResponseData,
) -> Result<Deployment, ApiError> {
    let mut d = data
        .deployment
        .ok_or_else(|| ApiError::NotFound(DEPLOYMENT_GONE.into()))?;
    Ok(Deployment {
        namespace: non_empty(d.namespace.take()),
        ..deployment_from!(d)
    })
}

pub(crate) fn deployment_by_release_v023(
    data: ops::deployment_by_release_v023::ResponseData,
) -> Result<Deployment, ApiError> {
    let d = data
        .deployment
        .ok_or_else(|| ApiError::NotFound(DEPLOYMENT_GONE.into()))?;
    Ok(deployment_from!(d))
}

/// `logs` rows, oldest first as Houston sends them; a row without an id cannot be told apart
/// from the live lines, so it is dropped.
pub fn logs(data: ops::logs::ResponseData) -> Vec<LogLine> {
    rows(data.logs)
        .filter_map(|l| {
            Some(LogLine {
                id: non_empty(Some(l.id))?,
                timestamp: parse_timestamp(l.timestamp.as_deref()),
                component: non_empty(l.component),
                level: non_empty(l.level),
                message: l.message.unwrap_or_default(),
            })
        })
        .collect()
}

pub fn deployment_variables(data: ops::deployment_variables::ResponseData) -> Vec<EnvVar> {
    rows(data.deployment_variables)
        .filter_map(|v| {
            let is_secret = v.is_secret.unwrap_or(false);
            Some(EnvVar {
                key: non_empty(v.key)?,
                // Houston blanks secret values; never show whatever might come back.
                value: if is_secret {
                    String::new()
                } else {
                    v.value.unwrap_or_default()
                },
                is_secret,
            })
        })
        .collect()
}

/// Sizes and limits, the same in every form of `deploymentConfig`.
macro_rules! sizes_from {
    ($c:expr, $out:expr) => {{
        let (c, out) = ($c, $out);
        let positive = |v: Option<f64>| v.filter(|n| *n > 0.0).map(|n| n.round() as i64);
        if let Some(au) = &c.astro_unit {
            out.au_cpu = positive(au.cpu.map(|n| n as f64)).unwrap_or(out.au_cpu);
            out.au_memory = positive(au.memory.map(|n| n as f64)).unwrap_or(out.au_memory);
        }
        let limits = c.limits.as_ref();
        out.max_pod_au =
            positive(json_number(limits.and_then(|l| l.get("maxPodAu")))).unwrap_or(out.max_pod_au);
        out.max_extra_au = positive(c.max_extra_au.map(|n| n as f64))
            .or_else(|| positive(json_number(limits.and_then(|l| l.get("maxExtraAu")))))
            .unwrap_or(out.max_extra_au);
    }};
}

/// Houston 1.0+: no Astronomer Certified versions to offer.
pub fn deployment_config_v100(data: ops::deployment_config_v100::ResponseData) -> DeploymentConfig {
    let mut out = DeploymentConfig::default();
    if let Some(c) = data.deployment_config {
        sizes_from!(&c, &mut out);
    }
    out
}

pub fn deployment_config(data: ops::deployment_config::ResponseData) -> DeploymentConfig {
    let mut out = DeploymentConfig::default();
    let Some(c) = data.deployment_config else {
        return out;
    };
    sizes_from!(&c, &mut out);
    out.airflow_versions = c
        .airflow_versions
        .into_iter()
        .filter(|v| !v.trim().is_empty())
        .collect();
    // `2.9.2-onbuild` → `2.9.2`.
    out.default_airflow_version = non_empty(Some(c.default_airflow_image_tag))
        .and_then(|t| t.split('-').next().map(str::to_string))
        .filter(|v| out.airflow_versions.contains(v));
    out
}
