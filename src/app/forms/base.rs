//! What an edit form is about, as a map the three-way merge works on: a form's fields (id →
//! value) or a deployment's variable set (key → value and secrecy). The base is taken when the
//! form opens; *theirs* is the same thing read again from the server; *mine* is what the form
//! asks for. Also: the reads that bring theirs, and how a conflict is shown.

use std::collections::{BTreeMap, BTreeSet};

use tui_input::Input;

use super::{Field, FieldKind, Form};
use super::{FieldId, FormKind, open};
use crate::app::merge::Conflict;
use crate::app::state::AppState;
use crate::app::tables::specs::SECRET_MASK;
use crate::houston::model::{EnvVar, Secret};
use crate::houston::mutation::Scope;
use crate::houston::request::Request;

/// One environment variable in a set. Houston never returns a secret's value: a secret read
/// from the server has an empty value, and an empty value sent back keeps the stored one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    pub(crate) value: Secret,
    pub(crate) secret: bool,
}

pub(crate) type VarSet = BTreeMap<String, Var>;

/// What a merge is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Snapshot {
    /// A form's fields: id → value.
    Fields(BTreeMap<String, String>),
    /// A deployment's environment variables. A secret that is secret in base and theirs, both
    /// with the empty value Houston returns, counts as unchanged: whether a colleague changed
    /// its value cannot be known.
    Variables(VarSet),
}

/// The variables as the server holds them.
pub(crate) fn var_set(vars: &[EnvVar]) -> VarSet {
    vars.iter()
        .map(|v| {
            let value = if v.is_secret { "" } else { &v.value };
            (
                v.key.clone(),
                Var {
                    value: Secret(value.to_string()),
                    secret: v.is_secret,
                },
            )
        })
        .collect()
}

/// A field's value as compared: numbers as numbers, text trimmed, choices by value.
fn normalized(f: &Field) -> String {
    match f.kind {
        FieldKind::Number { .. } => {
            let v = f.input.value().trim();
            v.parse::<i64>()
                .map_or_else(|_| v.to_string(), |n| n.to_string())
        }
        FieldKind::Select { .. } => f.value(),
        _ => f.value().trim().to_string(),
    }
}

/// The form's fields as a map.
pub(crate) fn fields_of(form: &Form) -> BTreeMap<String, String> {
    form.fields
        .iter()
        .map(|f| (f.id.to_string(), normalized(f)))
        .collect()
}

/// Put `values` in the form's fields (choices by value; unknown ids are ignored).
pub(crate) fn set_fields(form: &mut Form, values: &BTreeMap<String, String>) {
    for f in &mut form.fields {
        let Some(v) = values.get(f.id.name()) else {
            continue;
        };
        if normalized(f) == *v {
            continue;
        }
        match &mut f.kind {
            FieldKind::Select { choices, index } => {
                if let Some(i) = choices.iter().position(|c| &c.value == v) {
                    *index = i;
                }
            }
            _ => f.input = Input::new(v.clone()),
        }
    }
}

/// Whether edits of this kind are merged (changes to something that exists on the server).
pub(crate) fn merges(kind: &FormKind) -> bool {
    matches!(
        kind,
        FormKind::EditWorkspace(_)
            | FormKind::EditDeployment(_)
            | FormKind::AddVariable(_)
            | FormKind::EditVariable { .. }
            | FormKind::ImportEnv(_)
            | FormKind::ChangeWorkspaceRole { .. }
            | FormKind::ChangeDeploymentRole { .. }
            | FormKind::ChangeWorkspaceTeamRole { .. }
            | FormKind::ChangeDeploymentTeamRole { .. }
            | FormKind::EditServiceAccount(..)
            | FormKind::SetSystemRole(_)
            | FormKind::RenameCluster(_)
            | FormKind::UpgradeAirflow(_)
    )
}

/// The deployment whose variables a form changes.
pub(crate) fn variables_of(kind: &FormKind) -> Option<&crate::houston::model::DeploymentId> {
    match kind {
        FormKind::AddVariable(d) | FormKind::ImportEnv(d) => Some(d),
        FormKind::EditVariable { deployment, .. } => Some(deployment),
        _ => None,
    }
}

/// What the server holds now for a form of `kind`, from the cache; `None` when it is gone.
pub(crate) fn theirs(state: &AppState, kind: &FormKind) -> Option<Snapshot> {
    if !merges(kind) {
        return None;
    }
    if let Some(d) = variables_of(kind) {
        return Some(Snapshot::Variables(var_set(state.cache.variables(d)?)));
    }
    // An upgrade's one field is merged against the version the server wants, not the newest
    // the form starts at.
    if let FormKind::UpgradeAirflow(id) = kind {
        let held = super::upgrade::held(state, state.cache.deployment(id)?);
        return Some(Snapshot::Fields(BTreeMap::from([(
            FieldId::Version.to_string(),
            held,
        )])));
    }
    open(state, kind).map(|f| Snapshot::Fields(fields_of(&f)))
}

/// The reads that bring what the server holds now for a form of `kind`.
pub(crate) fn rereads(state: &AppState, kind: &FormKind) -> Vec<Request> {
    if let Some(d) = variables_of(kind) {
        return vec![Request::DeploymentVariables(d.clone())];
    }
    match kind {
        FormKind::EditDeployment(id) | FormKind::UpgradeAirflow(id) => {
            vec![Request::Deployment(id.clone())]
        }
        FormKind::EditWorkspace(_) => state.cache.workspaces_request().into_iter().collect(),
        FormKind::RenameCluster(_) => vec![Request::Clusters],
        FormKind::ChangeWorkspaceRole { workspace, email } => {
            let member = state
                .cache
                .workspace_users(workspace)
                .is_some_and(|users| users.iter().any(|u| u.email.as_deref() == Some(email)));
            if member {
                vec![Request::WorkspaceUsers(workspace.clone())]
            } else {
                vec![Request::WorkspaceInvites(workspace.clone())]
            }
        }
        FormKind::ChangeDeploymentRole { deployment, .. } => {
            vec![Request::DeploymentUsers(deployment.clone())]
        }
        FormKind::ChangeWorkspaceTeamRole { workspace, .. } => {
            vec![Request::WorkspaceTeams(workspace.clone())]
        }
        FormKind::ChangeDeploymentTeamRole { deployment, .. } => {
            vec![Request::DeploymentTeams(deployment.clone())]
        }
        FormKind::EditServiceAccount(Scope::Workspace(ws), _) => {
            vec![Request::WorkspaceServiceAccounts(ws.clone())]
        }
        FormKind::EditServiceAccount(Scope::Deployment(d), _) => {
            vec![Request::DeploymentServiceAccounts(d.clone())]
        }
        FormKind::EditServiceAccount(Scope::System, _) => vec![Request::SystemServiceAccounts],
        FormKind::SetSystemRole(_) => vec![Request::SystemUsers],
        _ => vec![],
    }
}

/// A variable's value as a conflict or a note shows it (secrets masked).
pub(crate) fn shown_var(v: Option<&Var>) -> String {
    match v {
        None => "(not set)".into(),
        Some(v) if v.secret && v.value.expose().is_empty() => format!("{SECRET_MASK} (secret)"),
        Some(v) if v.secret => format!("{SECRET_MASK} (new secret value)"),
        Some(v) if v.value.expose().is_empty() => "(empty)".into(),
        Some(v) => v.value.expose().to_string(),
    }
}

/// A field's value as a conflict shows it: a choice by its label.
fn shown_field(form: &Form, id: &str, v: Option<&String>) -> String {
    let Some(v) = v else {
        return "(not set)".into();
    };
    if let Some(FieldKind::Select { choices, .. }) = form
        .fields
        .iter()
        .find(|f| f.id.name() == id)
        .map(|f| &f.kind)
        && let Some(c) = choices.iter().find(|c| &c.value == v)
    {
        return c.label.clone();
    }
    if v.is_empty() {
        "(empty)".into()
    } else {
        v.clone()
    }
}

/// One conflict, as the user reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictRow {
    /// The field's label, or the variable's key.
    pub field: String,
    pub base: String,
    pub theirs: String,
    pub mine: String,
}

pub(crate) fn field_rows(form: &Form, conflicts: &[Conflict<String, String>]) -> Vec<ConflictRow> {
    // In the form's order.
    let mut rows: Vec<(usize, ConflictRow)> = conflicts
        .iter()
        .map(|c| {
            let pos = form.fields.iter().position(|f| f.id.name() == c.key);
            let label = pos
                .and_then(|i| form.fields.get(i))
                .map_or(c.key.clone(), |f| f.label.to_string());
            let row = ConflictRow {
                field: label,
                base: shown_field(form, &c.key, c.base.as_ref()),
                theirs: shown_field(form, &c.key, c.theirs.as_ref()),
                mine: shown_field(form, &c.key, c.mine.as_ref()),
            };
            (pos.unwrap_or(usize::MAX), row)
        })
        .collect();
    rows.sort_by_key(|(pos, _)| *pos);
    rows.into_iter().map(|(_, r)| r).collect()
}

pub(crate) fn var_rows(conflicts: &[Conflict<String, Var>]) -> Vec<ConflictRow> {
    conflicts
        .iter()
        .map(|c| ConflictRow {
            field: c.key.clone(),
            base: shown_var(c.base.as_ref()),
            theirs: shown_var(c.theirs.as_ref()),
            mine: shown_var(c.mine.as_ref()),
        })
        .collect()
}

/// The fields (labels) or variables the server changed since `base` that the result keeps as
/// the server has them: said in the review, so the user knows a colleague's change survives.
pub(crate) fn kept_from_server(form: &Form, base: &Snapshot, theirs: &Snapshot) -> Vec<String> {
    match (base, theirs) {
        (Snapshot::Fields(b), Snapshot::Fields(t)) => form
            .fields
            .iter()
            .filter(|f| !f.hidden && b.get(f.id.name()) != t.get(f.id.name()))
            .map(|f| f.label.to_string())
            .collect(),
        (Snapshot::Variables(b), Snapshot::Variables(t)) => {
            let keys: BTreeSet<&String> = b.keys().chain(t.keys()).collect();
            keys.into_iter()
                .filter(|k| b.get(*k) != t.get(*k))
                .map(|k| k.to_string())
                .collect()
        }
        _ => Vec::new(),
    }
}
