//! Service accounts (API keys for CI/CD) of a workspace or a deployment.

use super::{Field, Form};
use super::{Plan, roles_for};
use crate::app::forms::FieldId;
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

pub(crate) fn create(scope: &Scope) -> Form {
    Form::new(
        "New service account",
        vec![
            Field::text(FieldId::Label, "Name", "").required(),
            Field::text(FieldId::Category, "Category", "").help("e.g. CI/CD"),
            Field::select(FieldId::Role, "Role", roles_for(scope), default_role(scope)),
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

pub(crate) fn edit(state: &AppState, scope: &Scope, id: &ServiceAccountId) -> Option<Form> {
    let sa = accounts(state, scope)?.iter().find(|s| &s.id == id)?;
    let role = sa.role.as_ref().map_or(default_role(scope), |r| r.as_str());
    Some(Form::new(
        format!("Service account {}", sa.label),
        vec![
            Field::text(FieldId::Label, "Name", &sa.label).required(),
            Field::text(
                FieldId::Category,
                "Category",
                sa.category.as_deref().unwrap_or(""),
            ),
            Field::select(FieldId::Role, "Role", roles_for(scope), role),
        ],
    ))
}

pub(crate) fn plan_create(scope: &Scope, form: &mut Form) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    Some(Plan::Mutate(Mutation::CreateServiceAccount {
        scope: scope.clone(),
        label: form.text(FieldId::Label),
        category: form.text(FieldId::Category),
        role: Role::parse(&form.value(FieldId::Role)),
    }))
}

pub(crate) fn plan_edit(scope: &Scope, id: &ServiceAccountId, form: &mut Form) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    Some(Plan::Mutate(Mutation::UpdateServiceAccount {
        scope: scope.clone(),
        id: id.clone(),
        label: form.text(FieldId::Label),
        category: form.text(FieldId::Category),
        role: Role::parse(&form.value(FieldId::Role)),
    }))
}
