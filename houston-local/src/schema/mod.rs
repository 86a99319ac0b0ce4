//! The GraphQL schema: scalars, shared context helpers and error constructors.

pub mod accounts;
pub mod adoption;
pub mod app_config;
pub mod billing;
pub mod clusters;
pub mod deployment_extras;
pub mod inputs;
pub mod logs;
pub mod metrics;
pub mod mutation;
pub mod query;
pub mod releases;
pub mod runtime;
pub mod service_accounts;
pub mod subscription;
pub mod system;
pub mod teams;
pub mod types;
pub mod upsert;

use std::sync::Arc;

use async_graphql::{Context, Enum, MergedObject, Schema, SchemaBuilder, scalar};
use serde::{Deserialize, Serialize};

use crate::db::store::{self, DeploymentRow};
use crate::error::{DbErr, forbidden, not_found};
use crate::principal::Caller;
use crate::rbac::{Entity, Permission, Principal};
use crate::state::State;

pub(crate) type HoustonSchema = Schema<QueryRoot, MutationRoot, subscription::SubscriptionRoot>;

// The query root, one part per domain.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub(crate) struct QueryRoot(
    query::Query,
    teams::TeamQuery,
    runtime::RuntimeQuery,
    adoption::NamespaceQuery,
    accounts::AccountQuery,
    service_accounts::ServiceAccountQuery,
    releases::ReleaseQuery,
    billing::BillingQuery,
    app_config::AppConfigQuery,
    clusters::ClusterQuery,
    system::SystemQuery,
);

// The mutation root, one part per domain.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub(crate) struct MutationRoot(
    mutation::SessionMutation,
    mutation::WorkspaceMutation,
    mutation::DeploymentMutation,
    mutation::WorkspaceUserMutation,
    mutation::DeploymentUserMutation,
    mutation::ScopedServiceAccountMutation,
    teams::TeamMutation,
    runtime::RuntimeMutation,
    adoption::AdoptionMutation,
    deployment_extras::DeploymentExtrasMutation,
    accounts::AccountMutation,
    service_accounts::ServiceAccountMutation,
    billing::BillingMutation,
    clusters::ClusterMutation,
    upsert::UpsertMutation,
);

/// Houston ids: opaque strings (cuid-like); no validation, as in Houston.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub(crate) struct Uuid(pub String);
scalar!(Uuid);

/// The separate `Id` scalar of the deployment-user operations.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub(crate) struct Id(pub String);
scalar!(Id);

/// RFC 3339 string.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub(crate) struct DateTime(pub String);
scalar!(DateTime);

pub(crate) type Json = async_graphql::Json<serde_json::Value>;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum EntityType {
    Workspace,
    Deployment,
    System,
}

// The variants are Houston's values (`CeleryExecutor`, …), suffix included.
#[allow(clippy::enum_variant_names)]
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum ExecutorType {
    #[graphql(name = "LocalExecutor")]
    LocalExecutor,
    #[graphql(name = "CeleryExecutor")]
    CeleryExecutor,
    #[graphql(name = "KubernetesExecutor")]
    KubernetesExecutor,
}

impl ExecutorType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ExecutorType::LocalExecutor => "LocalExecutor",
            ExecutorType::CeleryExecutor => "CeleryExecutor",
            ExecutorType::KubernetesExecutor => "KubernetesExecutor",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "LocalExecutor" => Some(ExecutorType::LocalExecutor),
            "CeleryExecutor" => Some(ExecutorType::CeleryExecutor),
            "KubernetesExecutor" => Some(ExecutorType::KubernetesExecutor),
            _ => None,
        }
    }
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum DeploymentStatusType {
    Unknown,
    Deploying,
    Unhealthy,
    Healthy,
}

impl DeploymentStatusType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DeploymentStatusType::Unknown => "UNKNOWN",
            DeploymentStatusType::Deploying => "DEPLOYING",
            DeploymentStatusType::Unhealthy => "UNHEALTHY",
            DeploymentStatusType::Healthy => "HEALTHY",
        }
    }
}

/// Derived from stored columns, so it survives restarts without timers.
pub(crate) fn status_of(d: &DeploymentRow, now_ms: i64) -> DeploymentStatusType {
    if now_ms < d.deploying_until {
        DeploymentStatusType::Deploying
    } else if d.unhealthy {
        DeploymentStatusType::Unhealthy
    } else {
        DeploymentStatusType::Healthy
    }
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum AllowedDeploymentModeValues {
    #[graphql(name = "helm")]
    Helm,
    #[graphql(name = "operator")]
    Operator,
}

/// Team-aware grants of a user at the served version.
pub(crate) fn user_grants(
    ctx: &Context<'_>,
    c: &rusqlite::Connection,
    user: &str,
) -> rusqlite::Result<Vec<crate::rbac::Grant>> {
    crate::db::teams::user_grants(c, user, state(ctx).teams_enabled())
}

pub(crate) fn builder(
    state: Option<Arc<State>>,
) -> SchemaBuilder<QueryRoot, MutationRoot, subscription::SubscriptionRoot> {
    let mut b = Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        subscription::SubscriptionRoot,
    )
    .register_output_type::<EntityType>()
    .register_output_type::<AllowedDeploymentModeValues>()
    .register_output_type::<DeploymentStatusType>();
    if let Some(s) = state {
        // async-graphql's own limits back up `limits::document`. They are looser because
        // async-graphql counts every operation of a document together and cannot tell
        // introspection apart; the precise checks run first.
        let depth = s.limits.max_depth.max(s.limits.max_introspection_depth);
        b = b
            .limit_depth(depth)
            .limit_complexity(s.limits.max_fields.saturating_mul(4))
            .data(s);
    }
    b
}

/// The whole (0.35) schema, without a version gate, every resolved value metered: the SDL
/// export and its tests.
pub(crate) fn build_schema(state: Option<Arc<State>>) -> HoustonSchema {
    builder(state)
        .extension(crate::limits::budget::Metering)
        .finish()
}

/// The schema a server runs: older versions get the gate that refuses what they lack.
/// `metered`: every resolved value counts against the request's budget (`limits::budget`),
/// for documents that could multiply and for websockets; unmetered costs a third less time,
/// for documents whose shape cannot multiply (`limits::document::Shape::metered`).
pub(crate) fn build_served_schema(
    state: Arc<State>,
    metered: bool,
) -> Result<HoustonSchema, String> {
    let version = state.houston_version;
    let mut b = builder(Some(state));
    if !crate::versioning::table::complete_at(version) {
        b = b.extension(crate::versioning::extension::VersionGate::new(version)?);
    }
    if metered {
        b = b.extension(crate::limits::budget::Metering);
    }
    Ok(b.finish())
}

// ------------------------------------------------------------------ context helpers

pub(crate) fn state<'a>(ctx: &Context<'a>) -> &'a Arc<State> {
    ctx.data_unchecked::<Arc<State>>()
}

pub(crate) fn caller(ctx: &Context<'_>) -> async_graphql::Result<Arc<Principal>> {
    ctx.data_opt::<Caller>()
        .and_then(|c| c.0.clone())
        .ok_or_else(forbidden)
}

/// The caller, if it holds any of `perms` on `entity`.
pub(crate) fn require(
    ctx: &Context<'_>,
    perms: &[Permission],
    entity: Entity<'_>,
) -> async_graphql::Result<Arc<Principal>> {
    let p = caller(ctx)?;
    if p.any(perms, entity) {
        Ok(p)
    } else {
        Err(forbidden())
    }
}

pub(crate) fn read<T>(
    ctx: &Context<'_>,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T, DbErr>,
) -> async_graphql::Result<T> {
    state(ctx).db.read(f).map_err(|e| e.0)
}

pub(crate) fn write<T>(
    ctx: &Context<'_>,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T, DbErr>,
) -> async_graphql::Result<T> {
    state(ctx).db.write(f).map_err(|e| e.0)
}

/// Load a deployment for an authenticated caller (permissions are checked by the caller of this
/// function, against the loaded row); unknown ids give RESOURCE_NOT_FOUND.
pub(crate) fn load_deployment(ctx: &Context<'_>, id: &str) -> async_graphql::Result<DeploymentRow> {
    caller(ctx)?;
    read(ctx, |c| Ok(store::deployment_by_id(c, id)?))?.ok_or_else(not_found)
}

pub(crate) fn dep_entity(d: &DeploymentRow) -> Entity<'_> {
    Entity::Deployment {
        id: &d.id,
        workspace_id: &d.workspace_id,
    }
}

/// `""` means "absent" for optional string arguments (astro-cli sends empty strings).
pub(crate) fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}
