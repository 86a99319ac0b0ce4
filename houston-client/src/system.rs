//! What a system admin reads about the whole platform (the System Admin panel): every user with
//! their system and workspace roles, every pending invite, and the system service accounts.
//! Documents in `queries/system_*.graphql`; `users`, `invites` and
//! `serviceAccounts(entityType: SYSTEM)` date from 0.23 (`users` with the teams' roles from 0.28).

#![allow(clippy::upper_case_acronyms)]

use graphql_client::GraphQLQuery;
use serde::Serialize;

use super::convert::{non_empty, parse_timestamp, primary_email, rows, user_name};
use super::model::*;
use super::variants::{Document, Operation, Variant};
use super::version::Release;
use super::{ApiError, HoustonClient};

pub type Uuid = String;
pub type DateTime = String;
pub type Role = String;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/system_users.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role")
)]
pub struct SystemUsers;

/// `SystemUsers` with each user's teams (Houston 0.28+).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/system_users_v028.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role")
)]
pub struct SystemUsersV028;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/system_invites.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role")
)]
pub struct SystemInvites;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/system_service_accounts.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "EntityType")
)]
pub struct SystemServiceAccounts;

/// `SystemServiceAccounts` before 0.25 (`roleBindings`, no `roleBinding`).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/system_service_accounts_v023.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role", "EntityType")
)]
pub struct SystemServiceAccountsV023;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/system_workspaces.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role")
)]
pub struct SystemWorkspaces;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "../queries/deployment_task_usage.graphql",
    response_derives = "Debug, Clone",
    variables_derives = "Debug, Clone",
    extern_enums("Role")
)]
pub struct DeploymentTaskUsage;

/// `EntityType` is sent as a literal (`SYSTEM`) in the document, never as a variable.
pub type EntityType = String;

/// A deployment's task runs over a range (`deploymentTaskUsage`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskUsage {
    pub successful: i64,
    pub failed: i64,
    pub total: i64,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
}

impl TaskUsage {
    /// Failed runs out of all, 0 to 1 (0 without runs).
    pub fn failure_rate(&self) -> f64 {
        if self.total <= 0 {
            0.0
        } else {
            self.failed as f64 / self.total as f64
        }
    }
}

/// A workspace a platform user has a role in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserWorkspace {
    pub id: WorkspaceId,
    pub label: String,
    pub role: super::model::Role,
    /// The team the role comes from, when the user holds it only through a team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via_team: Option<String>,
}

/// A user of the platform, as the System Admin panel lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformUser {
    pub id: UserId,
    pub username: String,
    pub full_name: Option<String>,
    pub email: Option<String>,
    /// `active`, `pending`, `inactive`, `banned`.
    pub status: Option<String>,
    /// `SYSTEM_*` roles, highest first.
    pub system_roles: Vec<super::model::Role>,
    pub workspaces: Vec<UserWorkspace>,
    /// Roles on single deployments (shown as a count).
    pub deployment_roles: usize,
    pub created_at: Option<Timestamp>,
}

impl PlatformUser {
    /// The name shown for the user: the full name, else the username.
    pub fn display_name(&self) -> &str {
        self.full_name.as_deref().unwrap_or(&self.username)
    }

    /// The highest system role, if any.
    pub fn system_role(&self) -> Option<&super::model::Role> {
        self.system_roles.first()
    }
}

/// A system role's rank: admin first.
fn system_rank(role: &super::model::Role) -> u8 {
    use super::model::Role as R;
    match role {
        R::SystemAdmin => 0,
        R::SystemEditor => 1,
        R::SystemViewer => 2,
        _ => 3,
    }
}

/// A user's own bindings sorted into system roles, workspaces and deployment roles (one body
/// for both generated user types).
macro_rules! platform_user {
    ($u:expr) => {{
        let u = $u;
        let email = primary_email(u.emails.iter().map(|e| (e.primary, e.address.as_ref())));
        let mut system_roles = Vec::new();
        let mut workspaces = Vec::new();
        let mut deployment_roles = 0;
        for b in u.role_bindings.iter().flatten() {
            let Some(role) = b.role.as_deref().map(super::model::Role::parse) else {
                continue;
            };
            match (&b.workspace, &b.deployment) {
                (_, Some(_)) => deployment_roles += 1,
                (Some(w), None) => workspaces.push(UserWorkspace {
                    id: WorkspaceId(w.id.clone()),
                    label: w.label.clone().unwrap_or_else(|| w.id.clone()),
                    role,
                    via_team: None,
                }),
                (None, None) if role.as_str().starts_with("SYSTEM_") => system_roles.push(role),
                (None, None) => {}
            }
        }
        system_roles.sort_by_key(system_rank);
        system_roles.dedup();
        PlatformUser {
            username: user_name(u.username, email.as_ref(), &u.id),
            id: UserId(u.id),
            full_name: non_empty(u.full_name),
            email,
            status: non_empty(u.status),
            system_roles,
            workspaces,
            deployment_roles,
            created_at: parse_timestamp(Some(&u.created_at)),
        }
    }};
}

/// Workspaces sorted by label, users by name.
fn sorted(mut users: Vec<PlatformUser>) -> Vec<PlatformUser> {
    for u in &mut users {
        u.workspaces.sort_by_key(|w| w.label.to_lowercase());
    }
    users.sort_by_cached_key(|u| (u.display_name().to_lowercase(), u.id.clone()));
    users
}

fn platform_users(data: system_users::ResponseData) -> Vec<PlatformUser> {
    sorted(rows(data.users).map(|u| platform_user!(u)).collect())
}

/// The same with the workspace roles the user holds only through a team (the first team
/// named; a role of their own on the workspace is what shows).
fn platform_users_v028(data: system_users_v028::ResponseData) -> Vec<PlatformUser> {
    let users = rows(data.users).map(|mut u| {
        let teams = u.teams.take();
        let mut user = platform_user!(u);
        for team in teams.into_iter().flatten().flatten() {
            let name = non_empty(team.name).unwrap_or_else(|| "a team".into());
            for b in team.role_bindings.iter().flatten() {
                let (Some(w), None, Some(role)) = (&b.workspace, &b.deployment, &b.role) else {
                    continue;
                };
                if user.workspaces.iter().any(|known| known.id.0 == w.id) {
                    continue;
                }
                user.workspaces.push(UserWorkspace {
                    id: WorkspaceId(w.id.clone()),
                    label: w.label.clone().unwrap_or_else(|| w.id.clone()),
                    role: super::model::Role::parse(role),
                    via_team: Some(name.clone()),
                });
            }
        }
        user
    });
    sorted(users.collect())
}

fn invites(data: system_invites::ResponseData) -> Vec<Invite> {
    rows(data.invites)
        .map(|i| Invite {
            id: InviteId(i.id),
            email: i.email.unwrap_or_default(),
            role: super::model::Role::parse(&i.role),
            created_at: parse_timestamp(Some(&i.created_at)),
        })
        .collect()
}

/// One conversion for both forms; `$role` picks the role out of the binding(s).
macro_rules! service_account {
    ($s:expr, $role:expr) => {{
        let s = $s;
        ServiceAccount {
            label: non_empty(s.label.clone()).unwrap_or_else(|| s.id.clone()),
            role: $role(&s).as_deref().map(super::model::Role::parse),
            id: ServiceAccountId(s.id),
            category: non_empty(s.category),
            active: s.active.unwrap_or(false),
            last_used_at: parse_timestamp(s.last_used_at.as_deref()),
            created_at: parse_timestamp(Some(&s.created_at)),
        }
    }};
}

fn service_accounts(data: system_service_accounts::ResponseData) -> Vec<ServiceAccount> {
    use system_service_accounts::SystemServiceAccountsServiceAccounts as Account;
    rows(data.service_accounts)
        .map(|s| {
            service_account!(s, |s: &Account| s
                .role_binding
                .as_ref()
                .and_then(|b| b.role.clone()))
        })
        .collect()
}

fn service_accounts_v023(data: system_service_accounts_v023::ResponseData) -> Vec<ServiceAccount> {
    use system_service_accounts_v023::SystemServiceAccountsV023ServiceAccounts as Account;
    rows(data.service_accounts)
        .map(|s| {
            service_account!(s, |s: &Account| s
                .role_bindings
                .iter()
                .find_map(|b| b.role.clone()))
        })
        .collect()
}

impl Document for SystemUsers {
    const NAME: &'static str = system_users::OPERATION_NAME;
    const QUERY: &'static str = system_users::QUERY;
    type Input = ();
    type Output = Vec<PlatformUser>;
    fn variables(_: &()) -> system_users::Variables {
        system_users::Variables
    }
    fn convert(data: system_users::ResponseData, _: &()) -> Result<Self::Output, ApiError> {
        Ok(platform_users(data))
    }
}

impl Document for SystemUsersV028 {
    const NAME: &'static str = system_users_v028::OPERATION_NAME;
    const QUERY: &'static str = system_users_v028::QUERY;
    type Input = ();
    type Output = Vec<PlatformUser>;
    fn variables(_: &()) -> system_users_v028::Variables {
        system_users_v028::Variables
    }
    fn convert(data: system_users_v028::ResponseData, _: &()) -> Result<Self::Output, ApiError> {
        Ok(platform_users_v028(data))
    }
}

impl Document for SystemInvites {
    const NAME: &'static str = system_invites::OPERATION_NAME;
    const QUERY: &'static str = system_invites::QUERY;
    type Input = ();
    type Output = Vec<Invite>;
    fn variables(_: &()) -> system_invites::Variables {
        system_invites::Variables
    }
    fn convert(data: system_invites::ResponseData, _: &()) -> Result<Self::Output, ApiError> {
        Ok(invites(data))
    }
}

impl Document for SystemServiceAccountsV023 {
    const NAME: &'static str = system_service_accounts_v023::OPERATION_NAME;
    const QUERY: &'static str = system_service_accounts_v023::QUERY;
    type Input = ();
    type Output = Vec<ServiceAccount>;
    fn variables(_: &()) -> system_service_accounts_v023::Variables {
        system_service_accounts_v023::Variables
    }
    fn convert(
        data: system_service_accounts_v023::ResponseData,
        _: &(),
    ) -> Result<Self::Output, ApiError> {
        Ok(service_accounts_v023(data))
    }
}

impl Document for SystemServiceAccounts {
    const NAME: &'static str = system_service_accounts::OPERATION_NAME;
    const QUERY: &'static str = system_service_accounts::QUERY;
    type Input = ();
    type Output = Vec<ServiceAccount>;
    fn variables(_: &()) -> system_service_accounts::Variables {
        system_service_accounts::Variables
    }
    fn convert(
        data: system_service_accounts::ResponseData,
        _: &(),
    ) -> Result<Self::Output, ApiError> {
        Ok(service_accounts(data))
    }
}

impl Document for SystemWorkspaces {
    const NAME: &'static str = system_workspaces::OPERATION_NAME;
    const QUERY: &'static str = system_workspaces::QUERY;
    type Input = Option<UserId>;
    type Output = Vec<Workspace>;
    fn variables(_: &Option<UserId>) -> system_workspaces::Variables {
        system_workspaces::Variables
    }
    fn convert(
        data: system_workspaces::ResponseData,
        me_id: &Option<UserId>,
    ) -> Result<Self::Output, ApiError> {
        Ok(super::convert::sys_workspaces(data, me_id.as_ref()))
    }
}

impl Document for DeploymentTaskUsage {
    const NAME: &'static str = deployment_task_usage::OPERATION_NAME;
    const QUERY: &'static str = deployment_task_usage::QUERY;
    /// (release name, the range's first day as `YYYY-MM-DD`; the range ends now).
    type Input = (String, String);
    type Output = TaskUsage;
    fn variables((release, start): &(String, String)) -> deployment_task_usage::Variables {
        deployment_task_usage::Variables {
            release_name: release.clone(),
            start_date: Some(start.clone()),
        }
    }
    fn convert(
        data: deployment_task_usage::ResponseData,
        _: &(String, String),
    ) -> Result<Self::Output, ApiError> {
        let u = data.deployment_task_usage;
        Ok(TaskUsage {
            successful: u.count_successful_tasks,
            failed: u.count_failed_tasks,
            total: u.count_total_tasks,
            start: parse_timestamp(Some(&u.start_date_range)),
            end: parse_timestamp(Some(&u.end_date_range)),
        })
    }
}

/// `deploymentTaskUsage`: APC 1.0 on (older Houstons are not asked: "not available").
pub static DEPLOYMENT_TASK_USAGE: Operation<(String, String), TaskUsage> = Operation {
    field: "deploymentTaskUsage",
    variants: &[Variant::of::<DeploymentTaskUsage>(HOUSTON_1_0)],
    probe_input: Some(|ids| (ids.release_name.clone(), "2026-01-01".into())),
};

/// APC 1.0: `sysWorkspaces`, every workspace.
const HOUSTON_1_0: Release = Release::new(1, 0, 0);

/// Every workspace of the platform: `sysWorkspaces` where Houston has it (APC 1.0 on), else
/// `workspaces` — what Houston lists to the caller (a real Houston: only the workspaces the
/// admin has a role in; houston-local: all of them for a system admin).
pub static SYSTEM_WORKSPACES: Operation<Option<UserId>, Vec<Workspace>> = Operation {
    field: "sysWorkspaces",
    variants: &[
        Variant::of::<SystemWorkspaces>(HOUSTON_1_0),
        Variant::of::<super::ops::Workspaces>(Release::ANY),
    ],
    probe_input: Some(|ids| ids.me_id.clone()),
};

/// Teams date from 0.28: from then on a user's team roles come with them.
pub static SYSTEM_USERS: Operation<(), Vec<PlatformUser>> = Operation {
    field: "users",
    variants: &[
        Variant::of::<SystemUsersV028>(Release::new(0, 28, 0)),
        Variant::of::<SystemUsers>(Release::ANY),
    ],
    probe_input: Some(|_| ()),
};

pub static SYSTEM_INVITES: Operation<(), Vec<Invite>> = Operation {
    field: "invites",
    variants: &[Variant::of::<SystemInvites>(Release::ANY)],
    probe_input: Some(|_| ()),
};

pub static SYSTEM_SERVICE_ACCOUNTS: Operation<(), Vec<ServiceAccount>> = Operation {
    field: "serviceAccounts",
    variants: &[
        Variant::of::<SystemServiceAccounts>(Release::new(0, 25, 0)),
        Variant::of::<SystemServiceAccountsV023>(Release::ANY),
    ],
    probe_input: Some(|_| ()),
};

impl HoustonClient {
    /// Every workspace of the platform (see [`SYSTEM_WORKSPACES`]).
    pub async fn system_workspaces(
        &self,
        me_id: Option<&UserId>,
    ) -> Result<Vec<Workspace>, ApiError> {
        self.fetch(&SYSTEM_WORKSPACES, &me_id.cloned()).await
    }

    /// The task runs of deployment `release` from day `start` (`YYYY-MM-DD`) until now.
    pub async fn deployment_task_usage(
        &self,
        release: &str,
        start: &str,
    ) -> Result<TaskUsage, ApiError> {
        self.fetch(
            &DEPLOYMENT_TASK_USAGE,
            &(release.to_string(), start.to_string()),
        )
        .await
    }

    /// Every user of the platform (`system.users.get`).
    pub async fn system_users(&self) -> Result<Vec<PlatformUser>, ApiError> {
        self.fetch(&SYSTEM_USERS, &()).await
    }

    /// Every pending invite, to the platform (role `USER`) or to a workspace
    /// (`system.invites.get`).
    pub async fn system_invites(&self) -> Result<Vec<Invite>, ApiError> {
        self.fetch(&SYSTEM_INVITES, &()).await
    }

    /// The service accounts with a system role (`system.serviceAccounts.get`).
    pub async fn system_service_accounts(&self) -> Result<Vec<ServiceAccount>, ApiError> {
        self.fetch(&SYSTEM_SERVICE_ACCOUNTS, &()).await
    }
}
