//! Service accounts (API keys for CI/CD) of a workspace or a deployment.

use super::{Field, Form};
use super::{Plan, roles_for};
use crate::app::state::AppState;
use crate::houston::model::*;
use crate::houston::mutation::{Mutation, Scope};

fn default_role(scope: &Scope) -> &'static str {
    match scope {
        Scope::Workspace(_) => "WORKSPACE_VIEWER",
        Scope::Deployment(_) => "DEPLOYMENT_VIEWER",
        Scope::System => "SYSTEM_VIEWER",
    }
}

pub fn create(scope: &Scope) -> Form {
    Form::new(
        "New service account",
        vec![
            Field::text("label", "Name", "").required(),
            Field::text("category", "Category", "").help("e.g. CI/CD"),
            Field::select("role", "Role", roles_for(scope), default_role(scope)),
        ],
    )
}

fn accounts<'a>(state: &'a AppState, scope: &Scope) -> Option<&'a [ServiceAccount]> {
    match scope {
        Scope::Workspace(ws) => state.cache.workspace_service_accounts(ws),
        Scope::Deployment(d) => state.cache.deployment_service_accounts(d),
        Scope::System => state.cache.system_service_accounts(),
    }
}

pub fn edit(state: &AppState, scope: &Scope, id: &ServiceAccountId) -> Option<Form> {
    let sa = accounts(state, scope)?.iter().find(|s| &s.id == id)?;
    let role = sa.role.as_ref().map_or(default_role(scope), |r| r.as_str());
    Some(Form::new(
        format!("Service account {}", sa.label),
        vec![
            Field::text("label", "Name", &sa.label).required(),
            Field::text("category", "Category", sa.category.as_deref().unwrap_or("")),
            Field::select("role", "Role", roles_for(scope), role),
        ],
    ))
}

pub fn plan_create(scope: &Scope, form: &mut Form) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    Some(Plan::Mutate(Mutation::CreateServiceAccount {
        scope: scope.clone(),
        label: form.text("label"),
        category: form.text("category"),
        role: Role::parse(&form.value("role")),
    }))
}

pub fn plan_edit(scope: &Scope, id: &ServiceAccountId, form: &mut Form) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    Some(Plan::Mutate(Mutation::UpdateServiceAccount {
        scope: scope.clone(),
        id: id.clone(),
        label: form.text("label"),
        category: form.text("category"),
        role: Role::parse(&form.value("role")),
    }))
}
