//! The default keymap of every key scope, in the order the help lists it.

use std::borrow::Cow;

use crossterm::event::KeyCode;

use super::{Action, Binding, Cond, KeyScope, KeySpec, Screen};
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
pub(super) fn open_row(description: &'static str) -> Binding {
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

/// The keys of the changes a screen offers (`app::changes`): one key per kind of change.
fn changes(s: Screen) -> Vec<Binding> {
    crate::app::changes::of(s)
        .into_iter()
        .map(|c| {
            let (keys, label): (&'static [KeySpec], &'static str) = match c.action {
                Action::New => (const { &[ch('n')] }, "n"),
                Action::Edit => (const { &[ch('e')] }, "e"),
                Action::Delete => (const { &[ctrl('d')] }, "C-d"),
                Action::Upgrade => (const { &[ch('u')] }, "u"),
                Action::CancelUpgrade => (const { &[ch('U')] }, "U"),
                Action::Import => (const { &[ch('i')] }, "i"),
                Action::PersonalSettings => (const { &[ch('p')] }, "p"),
                Action::Pause => (const { &[ch('p')] }, "p"),
                Action::Trigger => (const { &[ch('t')] }, "t"),
                Action::ClearTask => (const { &[ch('c')] }, "c"),
                Action::Mark => (const { &[ch('m')] }, "m"),
                // Not a change: no key of its own.
                _ => (&[], ""),
            };
            bind(keys, label, c.action, c.description, c.hint, c.when)
        })
        .collect()
}

fn screen(s: Screen) -> Vec<Binding> {
    let mut out = Vec::new();
    // What the screen's rows open, then its changes, then keys of its own.
    match s {
        Screen::Account => out.push(open_row("open the workspace")),
        Screen::AllDeployments | Screen::Workspace(WorkspaceTab::Deployments) => {
            out.push(open_row("open the deployment"));
            out.push(open_logs(&[HasRow]));
            out.extend(deployment_links());
        }
        Screen::Deployment(DeploymentTab::Overview) => {
            // Only once `t` has put the cursor in the import errors.
            out.push(bind(
                const { &[key(KeyCode::Enter)] },
                "Enter",
                Action::Open,
                "the broken file's whole stack trace",
                Some("trace"),
                &[HasTable, HasRow],
            ));
            out.push(open_logs(&[]));
            out.extend(deployment_links());
        }
        Screen::Deployment(DeploymentTab::Logs) => out.extend(super::logs::log_view()),
        // Down a deployment's Airflow, one level per Enter.
        Screen::Deployment(DeploymentTab::Dags) => out.push(open_row("the DAG's runs")),
        Screen::DagRuns => out.push(open_row("the run's task instances")),
        Screen::TaskInstances => out.push(open_row("the task instance's log")),
        Screen::TaskLog => out.extend(super::logs::task_log_view()),
        Screen::Admin(tab) => out.extend(super::admin::opens(tab)),
        Screen::Clusters => out.push(open_row("the cluster's deployments")),
        Screen::FleetRuns => out.push(open_row("the run's task instances")),
        _ => {}
    }
    out.extend(changes(s));
    match s {
        Screen::Account => {
            out.push(bind(
                const { &[ch('a')] },
                "a",
                Action::AllDeployments,
                "all deployments, worst first",
                Some("all deployments"),
                &[],
            ));
            out.push(super::admin::open_panel());
        }
        Screen::Admin(tab) => out.extend(super::admin::own_keys(tab)),
        Screen::Deployment(DeploymentTab::Metrics) => {
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
        Screen::Deployment(DeploymentTab::Users) => out.push(bind(
            const { &[ch('t')] },
            "t",
            Action::SwitchList,
            "cursor to the teams / back to the users",
            Some("teams"),
            &[],
        )),
        Screen::Deployment(DeploymentTab::Overview) => out.push(bind(
            const { &[ch('t')] },
            "t",
            Action::SwitchList,
            "cursor to broken DAG files / back",
            None,
            &[],
        )),
        _ => {}
    }
    if matches!(
        s,
        Screen::Workspace(_) | Screen::Deployment(_) | Screen::Admin(_)
    ) {
        out.extend(tabs());
    }
    out.extend(movement());
    out.extend(common());
    out.extend(super::navigation::screen_keys());
    out
}

pub(crate) fn defaults(scope: KeyScope) -> Vec<Binding> {
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
