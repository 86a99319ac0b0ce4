//! The default keymap of every context, in the order the help lists it.

use std::borrow::Cow;

use crossterm::event::KeyCode;

use super::{Action, Binding, Cap, Cond, KeyContext, KeySpec, Screen};
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

/// The log view: scrolling (which pauses follow mode), search, filter, components, display.
fn log_view() -> Vec<Binding> {
    vec![
        bind(
            const { &[ch('F')] },
            "F",
            Action::Follow,
            "follow new lines again",
            Some("follow"),
            &[LogPaused],
        ),
        bind(
            const { &[ch('/')] },
            "/",
            Action::Search,
            "search (highlights matches)",
            Some("search"),
            &[],
        ),
        bind(
            const { &[ch('n')] },
            "n",
            Action::NextMatch,
            "next (newer) match",
            Some("next"),
            &[LogSearch],
        ),
        bind(
            const { &[ch('N')] },
            "N",
            Action::PrevMatch,
            "previous (older) match",
            None,
            &[LogSearch],
        ),
        bind(
            const { &[ch('&')] },
            "&",
            Action::FilterLines,
            "filter: show only matching lines",
            Some("filter"),
            &[],
        ),
        bind(
            const { &[ch('c')] },
            "c",
            Action::NextComponent,
            "next component",
            Some("component"),
            &[],
        ),
        bind(
            const { &[ch('C')] },
            "C",
            Action::PrevComponent,
            "previous component",
            None,
            &[],
        ),
        bind(
            const { &[ch('s')] },
            "s",
            Action::SaveLines,
            "save the shown lines to a file",
            Some("save"),
            &[LogLines],
        ),
        bind(
            const { &[ch('T')] },
            "T",
            Action::CycleWindow,
            "time window: 5 min / hour / day",
            Some("window"),
            &[],
        ),
        bind(
            const { &[ch('w')] },
            "w",
            Action::ToggleWrap,
            "wrap long lines",
            None,
            &[],
        ),
        bind(
            const { &[ch('t')] },
            "t",
            Action::ToggleTimestamps,
            "show timestamps",
            None,
            &[],
        ),
        bind(
            const { &[ch('k'), key(KeyCode::Up)] },
            "k/↑",
            Action::Up,
            "scroll up (pauses following)",
            None,
            &[],
        ),
        bind(
            const { &[ch('j'), key(KeyCode::Down)] },
            "j/↓",
            Action::Down,
            "scroll down",
            None,
            &[],
        ),
        bind(
            const { &[key(KeyCode::PageUp)] },
            "PgUp",
            Action::PageUp,
            "page up",
            None,
            &[],
        ),
        bind(
            const { &[key(KeyCode::PageDown)] },
            "PgDn",
            Action::PageDown,
            "page down",
            None,
            &[],
        ),
        bind(
            const { &[ch('g'), key(KeyCode::Home)] },
            "g/Home",
            Action::Top,
            "oldest line",
            None,
            &[],
        ),
        bind(
            const { &[ch('G'), key(KeyCode::End)] },
            "G/End",
            Action::Bottom,
            "newest line (follows)",
            None,
            &[],
        ),
    ]
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
            ManageDeploymentUsers
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
                // Teams come from the identity provider: listed, managed elsewhere.
                WorkspaceTab::Teams => {}
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
                DeploymentTab::Logs => out.extend(log_view()),
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
                DeploymentTab::Users => out.extend(new_edit_delete(
                    ("add a user to the deployment", Cap::ManageDeploymentUsers),
                    ("change the user's role", Cap::ManageDeploymentUsers),
                    ("remove the user's role", Cap::ManageDeploymentUsers),
                )),
                DeploymentTab::ServiceAccounts => out.extend(new_edit_delete(
                    ("new service account (API key)", Cap::CreateServiceAccount),
                    ("edit name, category, role", Cap::UpdateServiceAccount),
                    ("delete the service account", Cap::DeleteServiceAccount),
                )),
            }
            out.extend(tabs());
        }
    }
    out.extend(movement());
    out.extend(common());
    out.extend(super::navigation::screen_keys());
    out
}

fn form_keys(submit: &'static str) -> Vec<Binding> {
    vec![
        bind(
            const { &[key(KeyCode::Enter)] },
            "Enter",
            Action::SubmitOrNext,
            "next field; on the last, submit",
            None,
            &[],
        ),
        bind(
            const { &[ctrl('s')] },
            "C-s",
            Action::Submit,
            submit,
            Some(submit),
            &[],
        ),
        bind(
            const { &[key(KeyCode::Tab), key(KeyCode::Down)] },
            "Tab/↓",
            Action::NextField,
            "next field",
            Some("next field"),
            &[],
        ),
        bind(
            const { &[key(KeyCode::BackTab), key(KeyCode::Up)] },
            "S-Tab/↑",
            Action::PrevField,
            "previous field",
            None,
            &[],
        ),
        bind(
            &[],
            "←/→ +/-",
            Action::ChangeValue,
            "change a choice / a number",
            None,
            &[],
        ),
    ]
}

pub fn defaults(ctx: KeyContext) -> Vec<Binding> {
    match ctx {
        KeyContext::Palette => super::overlays::palette(),
        KeyContext::Describe => super::overlays::describe(),
        KeyContext::Search => super::overlays::search(),
        KeyContext::CopyMenu => super::overlays::copy_menu(),
        KeyContext::Contexts => super::overlays::contexts(),
        KeyContext::Screen(s) => screen(s),
        KeyContext::Login => {
            let mut out = form_keys("log in");
            out.push(bind(
                const { &[ctrl('t')] },
                "C-t",
                Action::ToggleLoginMode,
                "password / paste a token",
                Some("token/password"),
                &[],
            ));
            out.push(bind(
                const { &[ctrl('p')] },
                "C-p",
                Action::Palette,
                "command palette (:ctx, :q)",
                None,
                &[],
            ));
            out.push(bind(
                const { &[ctrl('c')] },
                "C-c",
                Action::Quit,
                "quit",
                Some("quit"),
                &[],
            ));
            out
        }
        KeyContext::Form => {
            let mut out = form_keys("submit");
            out.push(bind(
                const { &[key(KeyCode::Esc)] },
                "Esc",
                Action::Cancel,
                "cancel (asks before dropping input)",
                Some("cancel"),
                &[],
            ));
            out
        }
        KeyContext::Confirm => vec![
            bind(
                const { &[key(KeyCode::Enter)] },
                "Enter",
                Action::Confirm,
                "confirm",
                Some("confirm"),
                &[],
            ),
            bind(
                const { &[key(KeyCode::Esc)] },
                "Esc",
                Action::Cancel,
                "cancel",
                Some("cancel"),
                &[],
            ),
        ],
        KeyContext::ApiKey => vec![
            bind(
                const { &[ch('y'), ch('c')] },
                "y",
                Action::CopyKey,
                "copy the key (OSC 52)",
                Some("copy"),
                &[],
            ),
            bind(
                const { &[key(KeyCode::Esc), key(KeyCode::Enter)] },
                "Esc",
                Action::Close,
                "close (the key is not shown again)",
                Some("close"),
                &[],
            ),
        ],
        KeyContext::LogPrompt => vec![
            bind(
                const { &[key(KeyCode::Enter)] },
                "Enter",
                Action::KeepFilter,
                "apply (search: to the newest match)",
                Some("apply"),
                &[],
            ),
            bind(
                const { &[key(KeyCode::Esc)] },
                "Esc",
                Action::Cancel,
                "cancel (keeps what was there before)",
                Some("cancel"),
                &[],
            ),
            bind(
                const { &[ctrl('c')] },
                "C-c",
                Action::Quit,
                "quit",
                None,
                &[],
            ),
        ],
        KeyContext::Filter => vec![
            bind(
                const { &[key(KeyCode::Enter)] },
                "Enter",
                Action::KeepFilter,
                "keep the filter",
                Some("keep"),
                &[],
            ),
            bind(
                const { &[key(KeyCode::Esc)] },
                "Esc",
                Action::ClearFilter,
                "clear the filter",
                Some("clear"),
                &[],
            ),
            bind(
                const { &[ctrl('c')] },
                "C-c",
                Action::Quit,
                "quit",
                None,
                &[],
            ),
        ],
        KeyContext::Help => vec![
            bind(
                const { &[key(KeyCode::Esc), key(KeyCode::Enter), ch('?')] },
                "Esc",
                Action::Close,
                "close",
                Some("close"),
                &[],
            ),
            bind(
                const { &[ch('j'), key(KeyCode::Down)] },
                "j/↓",
                Action::Down,
                "scroll down",
                None,
                &[],
            ),
            bind(
                const { &[ch('k'), key(KeyCode::Up)] },
                "k/↑",
                Action::Up,
                "scroll up",
                None,
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
        ],
        KeyContext::Url => vec![
            bind(
                const { &[key(KeyCode::Esc), key(KeyCode::Enter)] },
                "Esc",
                Action::Close,
                "close",
                Some("close"),
                &[],
            ),
            bind(
                const { &[ch('y')] },
                "y",
                Action::CopyKey,
                "copy the URL again",
                Some("copy"),
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
        ],
    }
}
