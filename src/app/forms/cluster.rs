//! Renaming a cluster (Houston 1.0+, a system admin's): the only field of a cluster the web UI
//! edits. Names are unique on the platform (Houston's rule when registering one).

use super::{Field, FieldId, Form, Plan};
use crate::app::state::AppState;
use crate::houston::model::{Cluster, ClusterId};
use crate::houston::mutation::Mutation;

/// The cluster as the Clusters list holds it (what an edit's base and re-read compare).
pub(crate) fn listed<'a>(state: &'a AppState, id: &ClusterId) -> Option<&'a Cluster> {
    state.cache.clusters()?.iter().find(|c| &c.id == id)
}

pub(crate) fn rename(c: &Cluster) -> Form {
    Form::new(
        format!("Cluster {}", c.name),
        vec![Field::text(FieldId::Name, "Name", &c.name).required()],
    )
}

pub(crate) fn plan_rename(state: &AppState, id: &ClusterId, form: &mut Form) -> Option<Plan> {
    let others: Vec<String> = state
        .cache
        .clusters()
        .unwrap_or(&[])
        .iter()
        .filter(|c| &c.id != id)
        .map(|c| c.name.clone())
        .collect();
    let ok = form.validate(|f| {
        let name = f.text(FieldId::Name);
        if others.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            f.set_error(
                FieldId::Name,
                format!("A cluster named {name} already exists"),
            );
        }
    });
    if !ok {
        return None;
    }
    Some(Plan::Mutate(Mutation::RenameCluster {
        id: id.clone(),
        name: form.text(FieldId::Name),
    }))
}
