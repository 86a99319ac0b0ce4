//! Why a key does nothing here: a key bound to an action whose condition fails says which
//! condition (read-only session, the caller's role, the executor) instead of staying silent.
//! Conditions about what is on screen (no row, no table) stay silent: there is nothing to say.

use crossterm::event::{KeyEvent, KeyEventKind};

use super::conditions::subject_workspace;
use super::{Binding, Cap, Cond, KeyScope, holds};
use crate::app::state::{AppState, Route};
use crate::houston::model::Role;

/// The reason the key `ev` is unusable in `scope`, if it is bound here to something the session,
/// the caller's role or the deployment rules out.
pub(crate) fn why_not(state: &AppState, scope: KeyScope, ev: &KeyEvent) -> Option<String> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    state
        .ui
        .keymap
        .built(scope)
        .iter()
        .filter(|b| b.keys.iter().any(|k| k.matches(ev)))
        .find_map(|b| explain(state, b))
}

/// The keys of `scope` hidden by the session, the caller's role or the deployment (not by what
/// is on screen), each with a short reason: the help lists them under it.
pub(crate) fn hidden(state: &AppState, scope: KeyScope) -> Vec<(String, &'static str, String)> {
    state
        .ui
        .keymap
        .built(scope)
        .iter()
        .filter_map(|b| {
            let failing = explainable(state, b)?;
            let reason = if failing.contains(&Cond::Writable) {
                "read-only session".to_string()
            } else if let Some(Cond::Can(cap)) = failing.iter().find(|c| matches!(c, Cond::Can(_)))
            {
                role_reason_short(state, *cap)?
            } else if failing.contains(&Cond::Celery) {
                "only for the Celery executor".to_string()
            } else {
                "no Airflow upgrade is pending".to_string()
            };
            Some((b.label.to_string(), b.description, reason))
        })
        .collect()
}

/// The failing conditions of `binding`, when there are some and each is worth explaining.
fn explainable(state: &AppState, binding: &Binding) -> Option<Vec<Cond>> {
    let failing: Vec<Cond> = binding
        .when
        .iter()
        .copied()
        .filter(|c| !holds(state, *c))
        .collect();
    let silent = |c: &Cond| {
        !matches!(
            c,
            Cond::Writable | Cond::Can(_) | Cond::Celery | Cond::UpgradePending
        )
    };
    (!failing.is_empty() && !failing.iter().any(silent)).then_some(failing)
}

/// What stops `binding`, when every failing condition is one worth explaining.
fn explain(state: &AppState, binding: &Binding) -> Option<String> {
    let failing = explainable(state, binding)?;
    let what = format!("{} ({})", binding.label, binding.description);
    // The most basic reason first: in a read-only session the role does not matter.
    let reason = if failing.contains(&Cond::Writable) {
        format!("read-only session: {what} changes nothing in this session")
    } else if let Some(Cond::Can(cap)) = failing.iter().find(|c| matches!(c, Cond::Can(_))) {
        role_reason(state, *cap, &what)?
    } else if failing.contains(&Cond::Celery) {
        let executor = state
            .target_deployment()
            .map_or("another executor", |d| d.executor.label());
        format!("{what} is only for the Celery executor; this deployment runs {executor}")
    } else {
        format!("{what}: no Airflow upgrade is pending")
    };
    Some(reason)
}

/// "your role on this deployment is Viewer: e (edit …) needs Editor or Admin".
fn role_reason(state: &AppState, cap: Cap, what: &str) -> Option<String> {
    Some(match role_gap(state, cap)? {
        RoleGap::NotAUser => {
            format!("{what} needs a user: this session uses a service-account key")
        }
        RoleGap::SysAdmin => format!("{what} is for system admins only"),
        RoleGap::Role { role, scope, needs } => {
            role_sentence(role, scope, &format!("{what} needs {needs}"))
        }
    })
}

/// The same without the key, for the help: "your role on this deployment is Viewer: needs
/// Editor or Admin".
fn role_reason_short(state: &AppState, cap: Cap) -> Option<String> {
    Some(match role_gap(state, cap)? {
        RoleGap::NotAUser => "needs a user, not a service-account key".to_string(),
        RoleGap::SysAdmin => "for system admins only".to_string(),
        RoleGap::Role { role, scope, needs } => {
            role_sentence(role, scope, &format!("needs {needs}"))
        }
    })
}

fn role_sentence(role: Option<Role>, scope: &str, tail: &str) -> String {
    match role {
        Some(role) => format!("your role {scope} is {}: {tail}", role.short()),
        None => format!("you have no role {scope} that allows it: {tail}"),
    }
}

/// Why the caller's role rules a capability out.
enum RoleGap {
    NotAUser,
    SysAdmin,
    Role {
        role: Option<Role>,
        scope: &'static str,
        needs: &'static str,
    },
}

fn role_gap(state: &AppState, cap: Cap) -> Option<RoleGap> {
    if matches!(cap, Cap::CreateWorkspace | Cap::UpdateSelf) {
        // Until we know who we are there is nothing to say.
        return state
            .me()
            .filter(|me| me.is_service_account())
            .map(|_| RoleGap::NotAUser);
    }
    if cap == Cap::SysAdmin {
        return Some(RoleGap::SysAdmin);
    }
    let on_deployment = matches!(state.route(), Route::Deployment { .. });
    let deployment_cap = matches!(
        cap,
        Cap::UpdateDeployment
            | Cap::DeleteDeployment
            | Cap::UpdateVariables
            | Cap::ManageDeploymentUsers
            | Cap::ActInAirflow
    ) || (on_deployment
        && matches!(
            cap,
            Cap::CreateServiceAccount | Cap::UpdateServiceAccount | Cap::DeleteServiceAccount
        ));
    let (scope, role) = if deployment_cap {
        ("on this deployment", deployment_role(state))
    } else {
        (
            "in this workspace",
            subject_workspace(state).and_then(|w| w.my_role.clone()),
        )
    };
    Some(RoleGap::Role {
        role,
        scope,
        needs: needs(cap),
    })
}

/// The caller's role on the deployment in question: its own binding when the deployment's users
/// are known, else the workspace role it inherits.
fn deployment_role(state: &AppState) -> Option<Role> {
    let d = state.target_deployment()?;
    let me = state.me().and_then(|m| m.id.clone());
    let own = me.and_then(|me| {
        state
            .cache
            .deployment_users(&d.id)?
            .iter()
            .find(|u| u.id == me)?
            .role
            .clone()
    });
    own.or_else(|| {
        let ws = d.workspace_id.as_ref()?;
        state.cache.workspace(ws)?.my_role.clone()
    })
}

/// The least role Houston's default permissions require (houston's default role sets).
fn needs(cap: Cap) -> &'static str {
    match cap {
        Cap::DeleteWorkspace
        | Cap::ManageUsers
        | Cap::DeleteDeployment
        | Cap::ManageDeploymentUsers => "Admin",
        _ => "Editor or Admin",
    }
}
