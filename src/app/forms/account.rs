//! Workspace create/edit and personal settings.

use super::Plan;
use super::{Field, Form};
use crate::app::forms::FieldId;
use crate::houston::model::{Me, Workspace, WorkspaceId};
use crate::houston::mutation::Mutation;

pub(crate) fn create_workspace() -> Form {
    Form::new(
        "New workspace",
        vec![
            Field::text(FieldId::Label, "Name", "").required(),
            Field::text(FieldId::Description, "Description", ""),
        ],
    )
}

pub(crate) fn edit_workspace(w: &Workspace) -> Option<Form> {
    Some(Form::new(
        format!("Workspace {}", w.label),
        vec![
            Field::text(FieldId::Label, "Name", &w.label).required(),
            Field::text(
                FieldId::Description,
                "Description",
                w.description.as_deref().unwrap_or(""),
            ),
        ],
    ))
}

pub(crate) fn personal_settings(me: &Me) -> Form {
    let mut name = Field::text(
        FieldId::FullName,
        "Full name",
        me.full_name.as_deref().unwrap_or(""),
    )
    .required();
    name.help = me
        .email
        .as_ref()
        .map(|e| format!("Signed in as {} <{e}>", me.username));
    Form::new("Personal settings", vec![name])
}

pub(crate) fn plan_create_workspace(form: &mut Form) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    Some(Plan::Mutate(Mutation::CreateWorkspace {
        label: form.text(FieldId::Label),
        description: form.text(FieldId::Description),
    }))
}

pub(crate) fn plan_edit_workspace(id: &WorkspaceId, form: &mut Form) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    Some(Plan::Mutate(Mutation::UpdateWorkspace {
        id: id.clone(),
        label: form.text(FieldId::Label),
        description: form.text(FieldId::Description),
    }))
}

pub(crate) fn plan_personal_settings(form: &mut Form) -> Option<Plan> {
    if !form.validate(|_| {}) {
        return None;
    }
    Some(Plan::Mutate(Mutation::UpdateSelf {
        full_name: form.text(FieldId::FullName),
    }))
}
