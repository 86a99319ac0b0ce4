//! The registry of what a tab changes. Per screen, one row for each key that changes something
//! (`n`, `e`, `Ctrl-d`, and the tab's own: upgrade, import, personal settings): which action it
//! is, how the help describes it, when it exists (read-only, a row, a capability) and what it
//! does — a function of the state naming what to open (`Then`): a form, a confirmation, a
//! message, a read it needs first. `keymap::bindings` makes the rows bindings and
//! `update::actions` runs them; neither matches on tabs. A read-only tab has no rows.

mod admin;
mod clusters;
mod dags;
mod deployments;
mod members;
mod service_accounts;
mod variables;
mod workspaces;

use crate::app::forms::FormKind;
use crate::app::keymap::cond::Cond;
use crate::app::modal::Confirm;
use crate::app::state::{AppState, DeploymentTab, Route, Screen, WorkspaceTab};
use crate::houston::model::{DeploymentId, WorkspaceId};
use crate::houston::request::Request;
use crate::keys::Action;

/// One key of a tab that changes something.
pub(crate) struct Change {
    pub(crate) action: Action,
    /// What the help says the key does.
    pub(crate) description: &'static str,
    /// The word in the one-line hint bar, if the key is worth a hint.
    pub(crate) hint: Option<&'static str>,
    /// All must hold for the key to exist (`Writable` first: read-only sessions have none).
    pub(crate) when: &'static [Cond],
    /// What pressing it opens, in order; nothing when its subject is gone.
    pub(crate) run: fn(&AppState) -> Vec<Then>,
}

/// What a change key asks the reducer to do (`update::actions` carries it out).
#[derive(Debug)]
pub(crate) enum Then {
    Form(FormKind),
    /// Behind the read-only guard, like every way to a change.
    Confirm(Box<Confirm>),
    /// Deleting a variable confirms against a base re-read first (`update::recheck`).
    DeleteVariable {
        deployment: DeploymentId,
        key: String,
    },
    /// A deployment's edit form needs the whole record, which list rows lack.
    AwaitFullDeployment(DeploymentId),
    /// A Runtime upgrade's form needs the releases of the deployment's cluster.
    AwaitRuntimeReleases(DeploymentId),
    Error(String),
    Flash(String),
    /// Read `Request` once if it is not cached (a rule the form applies on submit needs it).
    Ensure(Request),
}

/// The change keys of `screen`, in the order the help lists them.
pub(crate) fn of(screen: Screen) -> Vec<Change> {
    match screen {
        Screen::Account => workspaces::account(),
        Screen::AllDeployments | Screen::FleetRuns => vec![],
        Screen::DagRuns => dags::runs(),
        Screen::TaskInstances => dags::task_instances(),
        Screen::TaskLog => vec![],
        Screen::Clusters => clusters::rows(),
        Screen::Admin(tab) => admin::rows(tab),
        Screen::Workspace(tab) => match tab {
            WorkspaceTab::Deployments => deployments::list(),
            WorkspaceTab::Users => members::workspace_users(),
            WorkspaceTab::Invites => members::invites(),
            WorkspaceTab::Teams => members::workspace_teams(),
            WorkspaceTab::ServiceAccounts => service_accounts::rows(),
            WorkspaceTab::Settings => workspaces::settings(),
        },
        Screen::Deployment(tab) => match tab {
            DeploymentTab::Overview => deployments::overview(),
            DeploymentTab::Variables => variables::rows(),
            DeploymentTab::Users => members::deployment_users(),
            DeploymentTab::ServiceAccounts => service_accounts::rows(),
            DeploymentTab::Dags => dags::rows(),
            // The other tabs change nothing (a read-only tab needs no arm).
            #[allow(unreachable_patterns)]
            _ => vec![],
        },
    }
}

/// The row of `action` on `screen`, if that screen has one.
pub(crate) fn find(screen: Screen, action: Action) -> Option<Change> {
    of(screen).into_iter().find(|c| c.action == action)
}

const fn change(
    action: Action,
    description: &'static str,
    hint: Option<&'static str>,
    when: &'static [Cond],
    run: fn(&AppState) -> Vec<Then>,
) -> Change {
    Change {
        action,
        description,
        hint,
        when,
        run,
    }
}

fn workspace_id(state: &AppState) -> Option<WorkspaceId> {
    match state.route() {
        Route::Workspace { id, .. } => Some(id.clone()),
        _ => None,
    }
}

fn deployment_id(state: &AppState) -> Option<DeploymentId> {
    match state.route() {
        Route::Deployment { id, .. } => Some(id.clone()),
        _ => None,
    }
}

/// A form of `kind`, or nothing when its subject is missing.
fn form(kind: Option<FormKind>) -> Vec<Then> {
    kind.map(Then::Form).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::cond::Cap;

    fn screens() -> Vec<Screen> {
        let mut all = vec![
            Screen::Account,
            Screen::AllDeployments,
            Screen::Clusters,
            Screen::FleetRuns,
            Screen::DagRuns,
            Screen::TaskInstances,
            Screen::TaskLog,
        ];
        all.extend(WorkspaceTab::ALL.map(Screen::Workspace));
        all.extend(DeploymentTab::ALL.map(Screen::Deployment));
        all.extend(crate::app::state::AdminTab::ALL.map(Screen::Admin));
        all
    }

    fn exclusive(a: &[Cond], b: &[Cond]) -> bool {
        a.iter().any(|c| match c {
            Cond::DagPaused(p) => b.contains(&Cond::DagPaused(!p)),
            _ => false,
        })
    }

    #[test]
    fn every_change_key_needs_a_writable_session_and_a_capability_and_is_listed_once() {
        for screen in screens() {
            let rows = of(screen);
            for (i, row) in rows.iter().enumerate() {
                assert_eq!(row.when.first(), Some(&Cond::Writable), "{screen:?}");
                assert!(
                    row.when.iter().any(|c| matches!(c, Cond::Can(_))),
                    "{screen:?} {:?}",
                    row.action
                );
                // Twice only under conditions that never hold together (`p` pauses an active
                // DAG and unpauses a paused one: its hint says which).
                assert!(
                    rows[..i]
                        .iter()
                        .all(|r| r.action != row.action || exclusive(r.when, row.when)),
                    "{screen:?} {:?} twice",
                    row.action
                );
            }
        }
        let cap_of = |screen, action| {
            find(screen, action).and_then(|c| {
                c.when.iter().find_map(|w| match w {
                    Cond::Can(cap) => Some(*cap),
                    _ => None,
                })
            })
        };
        assert_eq!(
            cap_of(Screen::Deployment(DeploymentTab::Variables), Action::Import),
            Some(Cap::UpdateVariables)
        );
        assert!(find(Screen::Deployment(DeploymentTab::Logs), Action::New).is_none());
        assert!(find(Screen::Workspace(WorkspaceTab::Teams), Action::New).is_none());
    }
}
