//! Names that are already taken. Houston lets two workspaces share a name (and two deployments
//! whose names differ only in case): the form warns without blocking, and the delete dialogs
//! and the palette tell such twins apart by a short id and what each holds.

use super::Form;
use super::FormKind;
use crate::app::forms::FieldId;
use crate::app::state::AppState;
use crate::houston::model::{Deployment, DeploymentId, Workspace, WorkspaceId};

/// The shortest start of `id` (at least 8 characters) that no id of `others` shares, so two
/// items of one name can be told apart at a glance.
pub(crate) fn short_id<'a>(
    id: &'a str,
    others: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    let chars: Vec<char> = id.chars().collect();
    // Cutting one or two characters would shorten nothing worth it.
    for n in 8..chars.len().saturating_sub(2) {
        let prefix: String = chars[..n].iter().collect();
        if !others
            .clone()
            .into_iter()
            .any(|o| o != id && o.starts_with(&prefix))
        {
            return format!("{prefix}…");
        }
    }
    id.to_string()
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

/// Other workspaces named `label` (ignoring case), `except` left out.
pub(crate) fn workspace_twins<'a>(
    state: &'a AppState,
    label: &str,
    except: Option<&WorkspaceId>,
) -> Vec<&'a Workspace> {
    state
        .cache
        .workspaces()
        .unwrap_or_default()
        .iter()
        .filter(|w| Some(&w.id) != except && w.label.trim().eq_ignore_ascii_case(label.trim()))
        .collect()
}

/// `id ws-a1b2c3… · 2 deployments, 3 users`: what tells a workspace apart from its twins (the
/// users only when their list has been read).
pub(crate) fn describe_workspace(state: &AppState, w: &Workspace, twins: &[&Workspace]) -> String {
    let id = short_id(w.id.as_str(), twins.iter().map(|t| t.id.as_str()));
    let mut counts = plural(w.deployment_count, "deployment");
    if let Some(users) = state.cache.workspace_users(&w.id) {
        counts.push_str(&format!(", {}", plural(users.len(), "user")));
    }
    format!("id {id} · {counts}")
}

/// Other deployments of workspace `ws` named `label` (ignoring case), `except` left out.
pub(crate) fn deployment_twins<'a>(
    state: &'a AppState,
    ws: &WorkspaceId,
    label: &str,
    except: Option<&DeploymentId>,
) -> Vec<&'a Deployment> {
    state
        .cache
        .deployments(ws)
        .unwrap_or_default()
        .iter()
        .filter(|d| Some(&d.id) != except && d.label.trim().eq_ignore_ascii_case(label.trim()))
        .collect()
}

/// Put on the name field of a workspace or deployment form whether the name is taken already.
pub(crate) fn warn(state: &AppState, kind: &FormKind, form: &mut Form) {
    let label = form.text(FieldId::Label);
    let warning = if label.is_empty() {
        None
    } else {
        match kind {
            FormKind::CreateWorkspace => workspace_warning(state, &label, None),
            FormKind::EditWorkspace(id) => workspace_warning(state, &label, Some(id)),
            FormKind::CreateDeployment(ws) => deployment_warning(state, ws, &label, None),
            FormKind::EditDeployment(id) => state
                .cache
                .deployment(id)
                .and_then(|d| d.workspace_id.as_ref())
                .and_then(|ws| deployment_warning(state, ws, &label, Some(id))),
            _ => return,
        }
    };
    if let Some(field) = form.field_mut(FieldId::Label) {
        field.warning = warning;
    }
}

fn workspace_warning(
    state: &AppState,
    label: &str,
    except: Option<&WorkspaceId>,
) -> Option<String> {
    let twins = workspace_twins(state, label, except);
    let first = twins.first()?;
    let others = if twins.len() == 1 {
        format!("Another workspace is named {}", first.label)
    } else {
        format!("{} other workspaces are named {}", twins.len(), first.label)
    };
    let what = describe_workspace(state, first, &twins);
    Some(format!(
        "{others} ({what}). Houston allows it; the two are told apart by id only."
    ))
}

fn deployment_warning(
    state: &AppState,
    ws: &WorkspaceId,
    label: &str,
    except: Option<&DeploymentId>,
) -> Option<String> {
    let twins = deployment_twins(state, ws, label, except);
    let first = twins.first()?;
    if let Some(same) = twins.iter().find(|d| d.label == label) {
        return Some(format!(
            "This workspace already has a deployment named {label} (release {}): Houston refuses a second one.",
            same.release_name
        ));
    }
    Some(format!(
        "This workspace has a deployment named {} (release {}): the names differ only in case.",
        first.label, first.release_name
    ))
}

/// For a delete dialog: which of the workspaces named like `w` is this one (none when the
/// name is its own).
pub(crate) fn workspace_twin_lines(state: &AppState, w: &Workspace) -> Vec<String> {
    let twins = workspace_twins(state, &w.label, Some(&w.id));
    if twins.is_empty() {
        return vec![];
    }
    let all: Vec<&Workspace> = twins.iter().copied().chain([w]).collect();
    let mut lines = vec![format!(
        "{} workspaces are named {}. This one: {}",
        all.len(),
        w.label,
        describe_workspace(state, w, &all)
    )];
    lines.extend(
        twins
            .iter()
            .map(|t| format!("Not this one: {}", describe_workspace(state, t, &all))),
    );
    lines
}

/// For a delete dialog: which of the deployments named like `d` (ignoring case, in any
/// workspace read so far) is this one.
pub(crate) fn deployment_twin_lines(state: &AppState, d: &Deployment) -> Vec<String> {
    let known = state.cache.known_deployments();
    let twins: Vec<&Deployment> = known
        .iter()
        .map(|&(t, _)| t)
        .filter(|t| t.id != d.id && t.label.eq_ignore_ascii_case(&d.label))
        .collect();
    if twins.is_empty() {
        return vec![];
    }
    let ids: Vec<&str> = twins
        .iter()
        .map(|t| t.id.as_str())
        .chain([d.id.as_str()])
        .collect();
    let describe = |x: &Deployment| {
        let workspace = x
            .workspace_id
            .as_ref()
            .and_then(|ws| state.cache.workspace(ws))
            .map(|w| w.label.clone())
            .or_else(|| x.workspace_label.clone())
            .unwrap_or_else(|| "?".into());
        format!(
            "{} · id {} · release {} · workspace {workspace}",
            x.label,
            short_id(x.id.as_str(), ids.iter().copied()),
            x.release_name
        )
    };
    let mut lines = vec![format!(
        "{} deployments are named {}. This one: {}",
        twins.len() + 1,
        d.label,
        describe(d)
    )];
    lines.extend(
        twins
            .iter()
            .map(|t| format!("Not this one: {}", describe(t))),
    );
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_are_as_long_as_needed_to_differ() {
        let ids = ["ckabcdefgh0001", "ckabcdefgh0002", "ckzzzzzzzz0001"];
        assert_eq!(short_id(ids[0], ids), "ckabcdefgh0001");
        assert_eq!(short_id(ids[2], ids), "ckzzzzzz…");
        assert_eq!(short_id("short", ids), "short");
    }
}
