//! The forms of every change astrodash offers: what each asks (`open`), how it checks the input
//! with the server's rules, and what it sends (`plan`) — a mutation, or first a review of the
//! change (a diff) the user confirms.

pub(crate) mod account;
pub(crate) mod base;
pub(crate) mod cluster;
pub(crate) mod dags;
pub(crate) mod deployment;
pub(crate) mod dotenv;
pub(crate) mod duplicates;
pub(crate) mod field_id;
pub(crate) mod members;
pub(crate) mod model;
pub(crate) mod placement;
pub(crate) mod role_rules;
pub(crate) mod service_accounts;
pub(crate) mod system;
pub(crate) mod teams;
pub(crate) mod upgrade;
pub(crate) mod variables;

use std::path::PathBuf;

use super::modal::ConfirmLine;
use super::state::AppState;
use crate::airflow::model::instance_name;
use crate::houston::ApiError;
use crate::houston::model::*;
use crate::houston::mutation::{Mutation, Scope};

pub use field_id::FieldId;
pub use model::{Choice, Field, FieldKind, Form};

/// What a form is for, with the ids it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    CreateWorkspace,
    EditWorkspace(WorkspaceId),
    PersonalSettings,
    CreateDeployment(WorkspaceId),
    EditDeployment(DeploymentId),
    UpgradeAirflow(DeploymentId),
    AddVariable(DeploymentId),
    EditVariable {
        deployment: DeploymentId,
        key: String,
    },
    ImportEnv(DeploymentId),
    InviteUser(WorkspaceId),
    ChangeWorkspaceRole {
        workspace: WorkspaceId,
        email: String,
    },
    AddDeploymentUser(DeploymentId),
    ChangeDeploymentRole {
        deployment: DeploymentId,
        user: UserId,
        email: String,
    },
    CreateServiceAccount(Scope),
    EditServiceAccount(Scope, ServiceAccountId),
    ChangeWorkspaceTeamRole {
        workspace: WorkspaceId,
        team: TeamId,
    },
    ChangeDeploymentTeamRole {
        deployment: DeploymentId,
        team: TeamId,
    },
    /// An invite to the platform (System Admin panel).
    InvitePlatformUser,
    /// A user's system role (System Admin panel).
    SetSystemRole(UserId),
    /// A cluster's name (Houston 1.0+).
    RenameCluster(ClusterId),
    /// A run of a DAG, with an optional conf (the deployment's Airflow).
    TriggerDag {
        deployment: DeploymentId,
        dag_id: String,
    },
    /// Clear a task instance, with or without its downstream tasks.
    ClearTask {
        deployment: DeploymentId,
        dag_id: String,
        run_id: String,
        task_id: String,
        /// -1 when the task is not mapped.
        map_index: i64,
    },
    /// Mark a run (no `task`) or a task instance (its id and map index) success or failed.
    Mark {
        deployment: DeploymentId,
        dag_id: String,
        run_id: String,
        task: Option<(String, i64)>,
    },
}

impl FormKind {
    /// Forms that size deployments need `deploymentConfig`.
    pub(crate) fn needs_deployment_config(&self) -> bool {
        matches!(
            self,
            FormKind::CreateDeployment(_)
                | FormKind::EditDeployment(_)
                | FormKind::UpgradeAirflow(_)
        )
    }

    /// The word on the submit hint.
    pub(crate) fn verb(&self) -> &'static str {
        match self {
            FormKind::CreateWorkspace
            | FormKind::CreateDeployment(_)
            | FormKind::CreateServiceAccount(_) => "create",
            FormKind::AddVariable(_) | FormKind::AddDeploymentUser(_) => "add",
            FormKind::InviteUser(_) | FormKind::InvitePlatformUser => "invite",
            FormKind::ImportEnv(_) => "import",
            FormKind::UpgradeAirflow(_) => "upgrade",
            FormKind::TriggerDag { .. } => "trigger",
            FormKind::ClearTask { .. } => "clear",
            FormKind::Mark { .. } => "mark",
            _ => "save",
        }
    }
}

/// What submitting a valid form does.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Plan {
    /// Send it now.
    Mutate(Mutation),
    /// Show the change (old → new) and send it once the user confirms.
    Review {
        title: String,
        lines: Vec<ConfirmLine>,
        mutation: Mutation,
    },
    /// Read this file first (an import); the rest happens when its content arrives.
    ReadFile(PathBuf),
    /// A change to the deployment's Airflow, sent once the user confirms (`verb`).
    Airflow {
        title: String,
        lines: Vec<ConfirmLine>,
        verb: &'static str,
        mutation: crate::app::airflow::AirflowMutation,
    },
}

/// A new form of `kind`, filled from what the app knows; `None` when its subject is gone.
pub(crate) fn open(state: &AppState, kind: &FormKind) -> Option<Form> {
    match kind {
        FormKind::CreateWorkspace => Some(account::create_workspace()),
        FormKind::EditWorkspace(id) => account::edit_workspace(state.cache.workspace(id)?),
        FormKind::PersonalSettings => Some(account::personal_settings(state.me()?)),
        FormKind::CreateDeployment(_) => Some(deployment::create(
            &state.cache.deployment_config(),
            placement::fields(state),
        )),
        FormKind::EditDeployment(id) => Some(deployment::edit(
            state.cache.deployment(id)?,
            &state.cache.deployment_config(),
        )),
        FormKind::UpgradeAirflow(id) => upgrade::open(state, state.cache.deployment(id)?),
        FormKind::AddVariable(_) => Some(variables::add()),
        FormKind::EditVariable { deployment, key } => {
            let var = state
                .cache
                .variables(deployment)?
                .iter()
                .find(|v| &v.key == key)?;
            Some(variables::edit(var))
        }
        FormKind::ImportEnv(_) => Some(variables::import()),
        FormKind::InviteUser(_) => Some(members::invite()),
        FormKind::ChangeWorkspaceRole { workspace, email } => {
            members::change_workspace_role(state, workspace, email)
        }
        FormKind::AddDeploymentUser(_) => Some(members::add_deployment_user()),
        FormKind::ChangeDeploymentRole {
            deployment, user, ..
        } => members::change_deployment_role(state, deployment, user),
        FormKind::CreateServiceAccount(scope) => Some(service_accounts::create(scope)),
        FormKind::EditServiceAccount(scope, id) => service_accounts::edit(state, scope, id),
        FormKind::ChangeWorkspaceTeamRole { workspace, team } => {
            teams::change_workspace_role(state, workspace, team)
        }
        FormKind::ChangeDeploymentTeamRole { deployment, team } => {
            teams::change_deployment_role(state, deployment, team)
        }
        FormKind::InvitePlatformUser => Some(system::invite()),
        FormKind::SetSystemRole(user) => system::set_role(state, user),
        FormKind::RenameCluster(id) => Some(cluster::rename(cluster::listed(state, id)?)),
        FormKind::TriggerDag { dag_id, .. } => Some(dags::trigger(dag_id)),
        FormKind::ClearTask {
            run_id,
            task_id,
            map_index,
            ..
        } => Some(dags::clear(run_id, &instance_name(task_id, *map_index))),
        FormKind::Mark { run_id, task, .. } => Some(dags::mark(
            run_id,
            task.as_ref().map(|(t, i)| instance_name(t, *i)).as_deref(),
        )),
    }
}

/// What is worth saying while the user types (the whole check runs on submit): a name that is
/// already taken, an e-mail address that cannot become one.
pub(crate) fn check_as_typed(state: &AppState, kind: &FormKind, form: &mut Form) {
    duplicates::warn(state, kind, form);
    // A message already there (a refused paste) stays until the next key.
    if matches!(
        kind,
        FormKind::InviteUser(_) | FormKind::AddDeploymentUser(_) | FormKind::InvitePlatformUser
    ) && let Some(field) = form.field_mut(FieldId::Email)
        && field.error.is_none()
    {
        field.error =
            email_problem_so_far(&field.value()).map(|p| format!("Not an e-mail address: {p}"));
    }
}

/// Check the form (marking fields with problems) and work out what to send. `None` when the
/// input needs fixing or the subject vanished (the form then says so).
pub(crate) fn plan(state: &AppState, kind: &FormKind, form: &mut Form) -> Option<Plan> {
    let plan = match kind {
        FormKind::CreateWorkspace => account::plan_create_workspace(form),
        FormKind::EditWorkspace(id) => account::plan_edit_workspace(id, form),
        FormKind::PersonalSettings => account::plan_personal_settings(form),
        FormKind::CreateDeployment(ws) => deployment::plan_create(state, ws, form),
        FormKind::EditDeployment(id) => deployment::plan_edit(state, id, form),
        FormKind::UpgradeAirflow(id) => upgrade::plan(state, id, form),
        FormKind::AddVariable(id) => variables::plan_add(state, id, form),
        FormKind::EditVariable { deployment, key } => {
            variables::plan_edit(state, deployment, key, form)
        }
        FormKind::ImportEnv(_) => variables::plan_import(form),
        FormKind::InviteUser(ws) => members::plan_invite(ws, form),
        FormKind::ChangeWorkspaceRole { workspace, email } => {
            members::plan_change_workspace_role(state, workspace, email, form)
        }
        FormKind::AddDeploymentUser(d) => members::plan_add_deployment_user(d, form),
        FormKind::ChangeDeploymentRole {
            deployment,
            user,
            email,
        } => members::plan_change_deployment_role(state, deployment, user, email, form),
        FormKind::CreateServiceAccount(scope) => service_accounts::plan_create(scope, form),
        FormKind::EditServiceAccount(scope, id) => service_accounts::plan_edit(scope, id, form),
        FormKind::ChangeWorkspaceTeamRole { workspace, team } => {
            teams::plan_change_workspace_role(state, workspace, team, form)
        }
        FormKind::ChangeDeploymentTeamRole { deployment, team } => {
            teams::plan_change_deployment_role(state, deployment, team, form)
        }
        FormKind::InvitePlatformUser => system::plan_invite(form),
        FormKind::SetSystemRole(user) => system::plan_set_role(state, user, form),
        FormKind::RenameCluster(id) => cluster::plan_rename(state, id, form),
        FormKind::TriggerDag { deployment, dag_id } => {
            dags::plan_trigger(state, deployment, dag_id, form)
        }
        FormKind::ClearTask {
            deployment,
            dag_id,
            run_id,
            task_id,
            map_index,
        } => Some(dags::plan_clear(
            state,
            deployment,
            dag_id,
            run_id,
            (task_id, *map_index),
            form,
        )),
        FormKind::Mark {
            deployment,
            dag_id,
            run_id,
            task,
        } => Some(dags::plan_mark(
            state,
            deployment,
            dag_id,
            run_id,
            task.as_ref().map(|(t, i)| (t.as_str(), *i)),
            form,
        )),
    };
    if plan.is_none() && form.error.is_none() && form.fields.iter().all(|f| f.error.is_none()) {
        form.error = Some("This item no longer exists on the server.".into());
    }
    plan
}

/// Put the server's refusal on the form: next to the field it is about when that can be told
/// from Houston's message, else on the form as a whole. What was typed stays.
pub(crate) fn show_server_error(kind: &FormKind, form: &mut Form, error: &ApiError) {
    let text = match error {
        ApiError::GraphQl { message, .. } | ApiError::Forbidden(message) => message.clone(),
        other => other.to_string(),
    };
    let field = field_named_by(kind, &text);
    match field.filter(|f| form.field(*f).is_some()) {
        Some(id) => {
            form.set_error(id, text);
            form.focus_on(id);
        }
        None => form.error = Some(text),
    }
}

/// Which field a Houston error message is about (docs/houston.md, "Errors and codes").
fn field_named_by(kind: &FormKind, message: &str) -> Option<FieldId> {
    let m = message.to_lowercase();
    let has = |s: &str| m.contains(s);
    if has("already has a deployment named") || has("service account already exists") {
        return Some(FieldId::Label);
    }
    if has("environment variable key") || has("set automatically") {
        return Some(FieldId::Key);
    }
    if has("already invited") || has("email") || has("e-mail") {
        return Some(FieldId::Email);
    }
    if has("role") {
        return Some(FieldId::Role);
    }
    if matches!(
        kind,
        FormKind::EditDeployment(_) | FormKind::CreateDeployment(_)
    ) {
        for (needle, field) in [
            ("extra_au", FieldId::ExtraAu),
            ("scheduler replicas", FieldId::SchedulerReplicas),
            ("workers replicas", FieldId::WorkerReplicas),
            ("triggerer replicas", FieldId::TriggererReplicas),
            ("terminationgraceperiod", FieldId::WorkerGrace),
            ("scheduler", FieldId::SchedulerAu),
            ("webserver", FieldId::WebserverAu),
            ("workers", FieldId::WorkersAu),
            ("triggerer", FieldId::TriggererAu),
            ("executor", FieldId::Executor),
            ("label", FieldId::Label),
        ] {
            if has(needle) {
                return Some(field);
            }
        }
    }
    None
}

/// Workspace roles, from least to most.
pub(crate) fn workspace_roles() -> Vec<Choice> {
    vec![
        Choice::new("WORKSPACE_VIEWER", "Viewer"),
        Choice::new("WORKSPACE_EDITOR", "Editor"),
        Choice::new("WORKSPACE_ADMIN", "Admin"),
    ]
}

/// Deployment roles, from least to most.
pub(crate) fn deployment_roles() -> Vec<Choice> {
    vec![
        Choice::new("DEPLOYMENT_VIEWER", "Viewer"),
        Choice::new("DEPLOYMENT_EDITOR", "Editor"),
        Choice::new("DEPLOYMENT_ADMIN", "Admin"),
    ]
}

/// System roles, from least to most.
pub(crate) fn system_roles() -> Vec<Choice> {
    vec![
        Choice::new("SYSTEM_VIEWER", "Viewer"),
        Choice::new("SYSTEM_EDITOR", "Editor"),
        Choice::new("SYSTEM_ADMIN", "Admin"),
    ]
}

/// Roles that fit a service account of `scope`.
pub(crate) fn roles_for(scope: &Scope) -> Vec<Choice> {
    match scope {
        Scope::Workspace(_) => workspace_roles(),
        Scope::Deployment(_) => deployment_roles(),
        Scope::System => system_roles(),
    }
}

/// A problem of `s` that typing more cannot fix (`two@@`, a space), for checking as it is
/// typed; an address not finished yet (`ada@exa`) is no problem yet.
pub(crate) fn email_problem_so_far(s: &str) -> Option<String> {
    let problem = email_problem(s)?;
    let endings = ["a@a.io", "@a.io", "a.io", ".io", "io"];
    let can_finish = endings
        .iter()
        .any(|end| email_problem(&format!("{s}{end}")).is_none());
    (!can_finish).then_some(problem)
}

/// What is wrong with `s` as an e-mail address, in words; `None` when it is `user@domain.tld`
/// shaped. The text is checked as typed: nothing is trimmed first.
pub(crate) fn email_problem(s: &str) -> Option<String> {
    if s.chars().any(char::is_whitespace) {
        return Some("an e-mail address has no spaces".into());
    }
    let ats = s.matches('@').count();
    if ats == 0 {
        return Some("an e-mail address has an @ (name@example.com)".into());
    }
    if ats > 1 {
        return Some(format!("an e-mail address has one @, this has {ats}"));
    }
    let (user, domain) = s.split_once('@')?;
    if user.is_empty() {
        return Some("the part before the @ is empty".into());
    }
    if user.starts_with('.') || user.ends_with('.') || user.contains("..") {
        return Some("the part before the @ has a misplaced dot".into());
    }
    if domain.is_empty() {
        return Some("the domain after the @ is missing".into());
    }
    if !domain.contains('.') {
        return Some(format!(
            "the domain {domain} has no dot (e.g. {domain}.com)"
        ));
    }
    let labels_ok = domain.split('.').all(|l| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    if !labels_ok {
        return Some(format!("the domain {domain} is not a valid domain name"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_land_on_their_field() {
        let kind = FormKind::CreateDeployment("ws".into());
        assert_eq!(
            field_named_by(&kind, "Workspace already has a deployment named etl"),
            Some(FieldId::Label)
        );
        assert_eq!(
            field_named_by(
                &kind,
                "extra_au must be an integer between 0 and 400 (maxExtraAu)"
            ),
            Some(FieldId::ExtraAu)
        );
        assert_eq!(
            field_named_by(&FormKind::InviteUser("ws".into()), "User already invited"),
            Some(FieldId::Email)
        );
        assert_eq!(field_named_by(&kind, "something else"), None);
        assert!(email_problem("a@b.io").is_none());
        assert!(email_problem("a@b").is_some());
        assert!(email_problem("a b@c.io").is_some());
        for bad in [
            "two@@x.test",
            "a@b@x.test",
            "a@.x",
            "a@x.",
            "a@x..io",
            "@x.io",
            "a@",
            "plain",
            " a@b.io",
            "a@b.io ",
            "a@-x.io",
            "a@x_y.io",
            ".a@x.io",
        ] {
            assert!(email_problem(bad).is_some(), "{bad} passed");
        }
        assert!(email_problem("first.last+tag@mail.example.co.uk").is_none());
        // As typed: unfinished is fine, what cannot be finished is said at once.
        for unfinished in ["", "ada", "ada@", "ada@exa", "ada@example.", "ada@x-"] {
            assert_eq!(email_problem_so_far(unfinished), None, "{unfinished}");
        }
        for wrong in ["two@@", "a b", "a@.x", "a@x..", ".a", "a@x_"] {
            assert!(email_problem_so_far(wrong).is_some(), "{wrong}");
        }
        assert_eq!(
            email_problem("two@@x.test").as_deref(),
            Some("an e-mail address has one @, this has 2")
        );
    }
}
