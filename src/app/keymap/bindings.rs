//! The default keymap of every key scope, in the order the help lists it.

use std::borrow::Cow;

use crossterm::event::KeyCode;

use super::{Action, Binding, Cap, Cond, KeyScope, KeySpec, Screen};
use crate::app::state::{DeploymentTab, WorkspaceTab};

pub(super) const fn key(code: KeyCode) -> KeySpec {
    KeySpec { code, ctrl: false }
}
pub(super) const fn ch(c: char) -> KeySpec {
    key(KeyCode::Char(c))
}
pub(super) const fn ctrl(c: char) -> KeySpec {
    KeySpec {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

pub(super) fn bind(
    keys: &'static [KeySpec],
    label: &'static str,
    action: Action,
    description: &'static str,
    hint: Option<&'static str>,
    when: &'static [Cond],
) -> Binding {
    Binding {
        keys: Cow::Borrowed(keys),
        label: Cow::Borrowed(label),
        action,
        description,
        hint,
        when,
    }
}

use Cond::*;

const W: Cond = Writable;

fn movement() -> Vec<Binding> {
    vec![
        bind(
            const { &[ch('j'), key(KeyCode::Down)] },
            "j/↓",
            Action::Down,
            "move down",
            None,
            &[HasTable],
        ),
        bind(
            const { &[ch('k'), key(KeyCode::Up)] },
            "k/↑",
            Action::Up,
            "move up",
            None,
            &[HasTable],
        ),
        bind(
            const { &[ch('g'), key(KeyCode::Home)] },
            "g/Home",
            Action::Top,
            "first row",
            None,
            &[HasTable],
        ),
        bind(
            const { &[ch('G'), key(KeyCode::End)] },
            "G/End",
            Action::Bottom,
            "last row",
            None,
            &[HasTable],
        ),
        bind(
            const { &[key(KeyCode::PageUp)] },
            "PgUp",
            Action::PageUp,
            "page up",
            None,
            &[HasTable],
        ),
        bind(
            const { &[key(KeyCode::PageDown)] },
            "PgDn",
            Action::PageDown,
            "page down",
            None,
            &[HasTable],
        ),
    ]
}

fn tabs() -> Vec<Binding> {
    vec![
        bind(
            const { &[key(KeyCode::Tab)] },
            "Tab",
            Action::NextTab,
            "next tab",
            Some("tabs"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::BackTab)] },
            "S-Tab",
            Action::PrevTab,
            "previous tab",
            None,
            &[],
        ),
        bind(
            const {
                &[
                    ch('1'),
                    ch('2'),
                    ch('3'),
                    ch('4'),
                    ch('5'),
                    ch('6'),
                    ch('7'),
                    ch('8'),
                    ch('9'),
                ]
            },
            "1-9",
            Action::TabByNumber,
            "go to tab N",
            None,
            &[],
        ),
    ]
}

/// Filter, copy, refresh, help, quit, back: on every screen.
fn common() -> Vec<Binding> {
    vec![
        bind(
            const { &[ch('/')] },
            "/",
            Action::Filter,
            "filter the table",
            Some("filter"),
            &[HasTable],
        ),
        bind(
            const { &[ch('y')] },
            "y",
            Action::Copy,
            "copy: id, release, URL, JSON",
            None,
            &[HasRow],
        ),
        bind(
            const { &[ctrl('r')] },
            "C-r",
            Action::Refresh,
            "refresh now",
            None,
            &[],
        ),
        bind(
            const { &[ch('?')] },
            "?",
            Action::Help,
            "help",
            Some("help"),
            &[],
        ),
        bind(
            const { &[ch('q'), ctrl('c')] },
            "q",
            Action::Quit,
            "quit",
            Some("quit"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Esc)] },
            "Esc",
            Action::Back,
            "back / clear the message or filter",
            Some("back"),
            &[CanGoBack],
        ),
    ]
}

/// Enter opens the row; `l`/→ too (vim-style, like k9s), but never in a text input.
fn open_row(description: &'static str) -> Binding {
    bind(
        const { &[key(KeyCode::Enter)] },
        "Enter",
        Action::Open,
        description,
        Some("open"),
        &[HasRow],
    )
}

fn deployment_links() -> Vec<Binding> {
    vec![
        bind(
            const { &[ch('o')] },
            "o",
            Action::OpenAirflow,
            "open the Airflow UI",
            Some("airflow"),
            &[HasRow],
        ),
        bind(
            const { &[ch('f')] },
            "f",
            Action::OpenFlower,
            "open Flower (Celery)",
            Some("flower"),
            &[HasRow, Celery],
        ),
    ]
}

/// Edit, upgrade, cancel upgrade, delete a deployment.
fn deployment_changes() -> Vec<Binding> {
    vec![
        bind(
            const { &[ch('e')] },
            "e",
            Action::Edit,
            "edit name, executor, resources",
            Some("edit"),
            &[W, HasRow, Can(Cap::UpdateDeployment)],
        ),
        bind(
            const { &[ch('u')] },
            "u",
            Action::Upgrade,
            "upgrade Airflow",
            None,
            &[W, HasRow, Can(Cap::UpdateDeployment)],
        ),
        bind(
            const { &[ch('U')] },
            "U",
            Action::CancelUpgrade,
            "cancel the pending upgrade",
            None,
            &[W, HasRow, UpgradePending, Can(Cap::UpdateDeployment)],
        ),
        bind(
            const { &[ctrl('d')] },
            "C-d",
            Action::Delete,
            "delete the deployment",
            None,
            &[W, HasRow, Can(Cap::DeleteDeployment)],
        ),
    ]
}

/// `l` wherever a deployment is in focus.
fn open_logs(when: &'static [Cond]) -> Binding {
    bind(
        const { &[ch('l')] },
        "l",
        Action::OpenLogs,
        "live logs of the deployment",
        Some("logs"),
        when,
    )
}

fn new_edit_delete(
    new: (&'static str, Cap),
    edit: (&'static str, Cap),
    delete: (&'static str, Cap),
) -> Vec<Binding> {
    // The capability lists must be 'static: one per capability.
    fn when(cap: Cap, row: bool) -> &'static [Cond] {
        macro_rules! pick {
            ($($cap:ident),*) => {
                match (cap, row) {
                    $(
                        (Cap::$cap, false) => &[W, Can(Cap::$cap)],
                        (Cap::$cap, true) => &[W, HasRow, Can(Cap::$cap)],
                    )*
                }
            };
        }
        pick!(
            CreateWorkspace,
            UpdateSelf,
            UpdateWorkspace,
            DeleteWorkspace,
            CreateDeployment,
            UpdateDeployment,
            DeleteDeployment,
            UpdateVariables,
            ManageUsers,
            CreateServiceAccount,
            UpdateServiceAccount,
            DeleteServiceAccount,
            ManageDeploymentUsers,
            UpdateCluster
        )
    }
    vec![
        bind(
            const { &[ch('n')] },
            "n",
            Action::New,
            new.0,
            Some("new"),
            when(new.1, false),
        ),
        bind(
            const { &[ch('e')] },
            "e",
            Action::Edit,
            edit.0,
            Some("edit"),
            when(edit.1, true),
        ),
        bind(
            const { &[ctrl('d')] },
            "C-d",
            Action::Delete,
            delete.0,
            Some("delete"),
            when(delete.1, true),
        ),
    ]
}

/// `e` and `C-d` on a list of teams (a team is added from the identity provider, not here).
fn team_roles() -> Vec<Binding> {
    new_edit_delete(
        ("", Cap::ManageUsers),
        ("change the team's role", Cap::ManageUsers),
        ("remove the team's role", Cap::ManageUsers),
    )
    .into_iter()
    .filter(|b| b.action != Action::New)
    .collect()
}

fn screen(s: Screen) -> Vec<Binding> {
    let mut out = Vec::new();
    match s {
        Screen::Account => {
            out.push(open_row("open the workspace"));
            out.extend(new_edit_delete(
                ("new workspace", Cap::CreateWorkspace),
                ("rename the workspace", Cap::UpdateWorkspace),
                ("delete the workspace", Cap::DeleteWorkspace),
            ));
            out.push(bind(
                const { &[ch('p')] },
                "p",
                Action::PersonalSettings,
                "personal settings (your name)",
                Some("profile"),
                &[W, Can(Cap::UpdateSelf)],
            ));
            out.push(bind(
                const { &[ch('a')] },
                "a",
                Action::AllDeployments,
                "all deployments, worst first",
                Some("all deployments"),
                &[],
            ));
        }
        Screen::Clusters => {
            out.push(open_row("the cluster's deployments"));
            out.push(bind(
                const { &[ch('e')] },
                "e",
                Action::Edit,
                "rename the cluster",
                Some("rename"),
                &[W, HasRow, Can(Cap::UpdateCluster)],
            ));
        }
        Screen::AllDeployments => {
            out.push(open_row("open the deployment"));
            out.push(open_logs(&[HasRow]));
            out.extend(deployment_links());
        }
        Screen::Workspace(tab) => {
            match tab {
                WorkspaceTab::Deployments => {
                    out.push(open_row("open the deployment"));
                    out.push(open_logs(&[HasRow]));
                    out.extend(deployment_links());
                    out.push(bind(
                        const { &[ch('n')] },
                        "n",
                        Action::New,
                        "new deployment",
                        Some("new"),
                        &[W, Can(Cap::CreateDeployment)],
                    ));
                    out.extend(deployment_changes());
                }
                WorkspaceTab::Users => out.extend(new_edit_delete(
                    ("invite a user", Cap::ManageUsers),
                    ("change the user's role", Cap::ManageUsers),
                    ("remove the user", Cap::ManageUsers),
                )),
                WorkspaceTab::Invites => out.extend(new_edit_delete(
                    ("invite a user", Cap::ManageUsers),
                    ("change the invite's role", Cap::ManageUsers),
                    ("revoke the invite", Cap::ManageUsers),
                )),
                WorkspaceTab::ServiceAccounts => out.extend(new_edit_delete(
                    ("new service account (API key)", Cap::CreateServiceAccount),
                    ("edit name, category, role", Cap::UpdateServiceAccount),
                    ("delete the service account", Cap::DeleteServiceAccount),
                )),
                // Teams come from the identity provider: their roles here can change or go.
                WorkspaceTab::Teams => out.extend(team_roles()),
                WorkspaceTab::Settings => {
                    out.push(bind(
                        const { &[ch('e')] },
                        "e",
                        Action::Edit,
                        "rename, edit the description",
                        Some("edit"),
                        &[W, Can(Cap::UpdateWorkspace)],
                    ));
                    out.push(bind(
                        const { &[ctrl('d')] },
                        "C-d",
                        Action::Delete,
                        "delete the workspace",
                        None,
                        &[W, Can(Cap::DeleteWorkspace)],
                    ));
                }
            }
            out.extend(tabs());
        }
        Screen::Deployment(tab) => {
            match tab {
                DeploymentTab::Overview => {
                    out.push(open_logs(&[]));
                    out.extend(deployment_links());
                    out.extend(deployment_changes());
                }
                DeploymentTab::Logs => out.extend(super::logs::log_view()),
                DeploymentTab::Metrics => {
                    out.push(bind(
                        const { &[ch('w')] },
                        "w",
                        Action::CycleWindow,
                        "window: 15 min / 1 h / 6 h",
                        Some("window"),
                        &[],
                    ));
                    out.push(open_logs(&[]));
                }
                DeploymentTab::Variables => {
                    out.extend(new_edit_delete(
                        ("add a variable", Cap::UpdateVariables),
                        ("edit the variable", Cap::UpdateVariables),
                        ("delete the variable", Cap::UpdateVariables),
                    ));
                    out.push(bind(
                        const { &[ch('i')] },
                        "i",
                        Action::Import,
                        "import a .env file",
                        Some("import"),
                        &[W, Can(Cap::UpdateVariables)],
                    ));
                }
                DeploymentTab::Users => {
                    out.extend(new_edit_delete(
                        ("add a user to the deployment", Cap::ManageDeploymentUsers),
                        (
                            "change the role of the user or team",
                            Cap::ManageDeploymentUsers,
                        ),
                        (
                            "remove the role of the user or team",
                            Cap::ManageDeploymentUsers,
                        ),
                    ));
                    out.push(bind(
                        const { &[ch('t')] },
                        "t",
                        Action::SwitchList,
                        "cursor to the teams / back to the users",
                        Some("teams"),
                        &[],
                    ));
                }
                DeploymentTab::ServiceAccounts => out.extend(new_edit_delete(
                    ("new service account (API key)", Cap::CreateServiceAccount),
                    ("edit name, category, role", Cap::UpdateServiceAccount),
                    ("delete the service account", Cap::DeleteServiceAccount),
                )),
                // A read-only table tab: the tabs, movement and common keys below.
                #[allow(unreachable_patterns)]
                _ => {}
            }
            out.extend(tabs());
        }
    }
    out.extend(movement());
    out.extend(common());
    out.extend(super::navigation::screen_keys());
    out
}

pub fn defaults(scope: KeyScope) -> Vec<Binding> {
    match scope {
        KeyScope::Palette => super::overlays::palette(),
        KeyScope::Describe => super::overlays::describe(),
        KeyScope::Search => super::overlays::search(),
        KeyScope::CopyMenu => super::overlays::copy_menu(),
        KeyScope::Contexts => super::overlays::contexts(),
        KeyScope::Screen(s) => screen(s),
        KeyScope::Login => super::dialogs::login(),
        KeyScope::Form => super::dialogs::form(),
        KeyScope::Confirm => super::dialogs::confirm(),
        KeyScope::Conflict => super::dialogs::conflict(),
        KeyScope::ApiKey => super::dialogs::api_key(),
        KeyScope::LogPrompt => super::dialogs::log_prompt(),
        KeyScope::Filter => super::dialogs::filter(),
        KeyScope::Help => super::dialogs::help(),
        KeyScope::Url => super::dialogs::url_popup(),
    }
}
