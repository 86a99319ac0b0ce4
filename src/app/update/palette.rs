//! The `:` palette's keys (typing, Tab completion, ↑/↓ history, Enter) and what each command
//! does: jump to a workspace, a deployment or a tab, switch context, log out, quit.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::history::go_to;
use super::messages::error;
use crate::app::effect::Effect;
use crate::app::keymap::Action;
use crate::app::modal::Modal;
use crate::app::palette::{self, CommandKind, Palette, Parsed, TabOf, best_matches, complete};
use crate::app::state::{AppState, DeploymentTab, Route, WorkspaceTab};
use crate::app::tables::TableId;
use crate::houston::model::{Deployment, DeploymentId, Workspace, WorkspaceId};

/// How many commands ↑ can bring back.
const HISTORY_LIMIT: usize = 50;

/// `:` opens the palette with every command listed.
pub(crate) fn open(state: &mut AppState) -> Vec<Effect> {
    let palette = Palette {
        completions: complete(state, ""),
        ..Palette::default()
    };
    state.ui.modals.push(Modal::Palette(palette));
    vec![]
}

fn palette_mut(state: &mut AppState) -> Option<&mut Palette> {
    match state.ui.modals.last_mut() {
        Some(Modal::Palette(p)) => Some(p),
        _ => None,
    }
}

/// The input changed: new suggestions, and Tab/↑ start over.
fn edited(state: &mut AppState) {
    let text = match palette_mut(state) {
        Some(p) => p.input.value().to_string(),
        None => return,
    };
    let completions = complete(state, &text);
    if let Some(p) = palette_mut(state) {
        p.completions = completions;
        p.chosen = None;
        p.history_pos = None;
    }
}

pub(crate) fn on_key(state: &mut AppState, key: KeyEvent, action: Option<Action>) -> Vec<Effect> {
    let Some(p) = palette_mut(state) else {
        return vec![];
    };
    match action {
        Some(Action::Close) => {
            state.ui.modals.pop();
        }
        Some(Action::Quit) => return super::quit(state),
        Some(Action::Complete) => cycle(p, true),
        Some(Action::CompletePrev) => cycle(p, false),
        Some(Action::HistoryBack) => browse_history(state, true),
        Some(Action::HistoryForward) => browse_history(state, false),
        Some(Action::Run) => return run(state),
        _ => {
            // Backspace on an empty line closes the palette, as in k9s and vim.
            if key.code == KeyCode::Backspace && p.input.value().is_empty() {
                state.ui.modals.pop();
                return vec![];
            }
            if let Some(req) = to_input_request(&Event::Key(key))
                && p.input.handle(req).is_some_and(|r| r.value)
            {
                edited(state);
            }
        }
    }
    vec![]
}

pub(crate) fn paste(state: &mut AppState, text: &str) {
    if let Some(p) = palette_mut(state) {
        for c in text.chars().filter(|c| !c.is_control()) {
            p.input.handle(InputRequest::InsertChar(c));
        }
        edited(state);
    }
}

/// Tab: put the next suggestion in the input (Shift-Tab: the previous one). The list stays as
/// it was, so Tab again moves on.
fn cycle(p: &mut Palette, forward: bool) {
    let n = p.completions.len();
    if n == 0 {
        return;
    }
    let next = match (p.chosen, forward) {
        (None, true) => 0,
        (None, false) => n - 1,
        (Some(i), true) => (i + 1) % n,
        (Some(i), false) => (i + n - 1) % n,
    };
    p.chosen = Some(next);
    p.input = Input::new(p.completions[next].text.clone());
}

/// ↑ (older) / ↓ (newer) through the commands run before; past the newest, what was typed.
fn browse_history(state: &mut AppState, older: bool) {
    let len = state.ui.palette_history.len();
    let Some(p) = palette_mut(state) else {
        return;
    };
    if len == 0 {
        return;
    }
    let pos = match (p.history_pos, older) {
        (None, true) => {
            p.draft = p.input.value().to_string();
            len - 1
        }
        (None, false) => return,
        (Some(i), true) => i.saturating_sub(1),
        (Some(i), false) if i + 1 < len => i + 1,
        (Some(_), false) => {
            let draft = std::mem::take(&mut p.draft);
            p.input = Input::new(draft);
            edited(state);
            return;
        }
    };
    let text = state.ui.palette_history[pos].clone();
    let completions = complete(state, &text);
    if let Some(p) = palette_mut(state) {
        p.input = Input::new(text);
        p.completions = completions;
        p.chosen = None;
        p.history_pos = Some(pos);
    }
}

/// Enter: run what was typed — or, when it is not a command, the suggestion Tab chose or the
/// best one (`:etl` runs `deploy prod-etl`). A problem closes the palette and says why in the
/// message line; what was typed stays in the history (↑ brings it back to fix it).
fn run(state: &mut AppState) -> Vec<Effect> {
    let Some(Modal::Palette(p)) = state.ui.modals.pop() else {
        return vec![];
    };
    let typed = p.input.value().trim().to_string();
    let suggestion = p
        .completions
        .get(p.chosen.unwrap_or(0))
        .map(|c| c.text.clone());
    let (text, parsed) = match palette::parse(&typed) {
        Ok(parsed) => (typed.clone(), parsed),
        Err(problem) => {
            match suggestion.and_then(|s| Some((s.clone(), palette::parse(&s).ok()?))) {
                Some(found) if !typed.is_empty() => found,
                _ => return failed(state, typed, problem),
            }
        }
    };
    match execute(state, parsed) {
        Ok(effects) => {
            remember(state, text);
            effects
        }
        Err(problem) => failed(state, typed, problem),
    }
}

/// A command that could not run: the palette is already closed; say why, and keep what was
/// typed for ↑. An empty line is no command at all: nothing to say.
fn failed(state: &mut AppState, typed: String, problem: String) -> Vec<Effect> {
    if typed.is_empty() {
        return vec![];
    }
    remember(state, typed.clone());
    error(state, format!(":{typed} — {problem}"));
    vec![]
}

/// Add `text` to the palette history (newest last, once).
fn remember(state: &mut AppState, text: String) {
    let history = &mut state.ui.palette_history;
    history.retain(|h| *h != text);
    history.push(text);
    if history.len() > HISTORY_LIMIT {
        history.remove(0);
    }
}

/// Carry out a command; `Err` says in words why it cannot be done here.
pub(crate) fn execute(state: &mut AppState, command: Parsed) -> Result<Vec<Effect>, String> {
    let arg = command.arg.as_deref();
    match command.kind {
        CommandKind::Quit => return Ok(super::quit(state)),
        CommandKind::Help => {
            state.ui.modals.push(Modal::Help { scroll: 0 });
            return Ok(vec![]);
        }
        CommandKind::Messages => {
            state.ui.modals.push(Modal::Messages { scroll: 0 });
            return Ok(vec![]);
        }
        CommandKind::Logout => return Ok(super::contexts::logout(state)),
        CommandKind::Context => {
            return match arg {
                None => Ok(super::contexts::open_list(state)),
                Some(name) => super::contexts::switch(state, name),
            };
        }
        _ if state.session.login.is_some() => {
            return Err("Log in first (on this screen :ctx, :logout and :q work)".into());
        }
        _ => {}
    }
    match command.kind {
        CommandKind::Workspaces => match arg {
            None => Ok(go_to(state, vec![Route::Account])),
            Some(name) => open_workspace(state, name),
        },
        CommandKind::Deployments => match arg {
            None => workspace_tab(state, WorkspaceTab::Deployments),
            Some(name) => open_deployment(state, name),
        },
        CommandKind::Clusters => Ok(go_to(state, vec![Route::Account, Route::Clusters])),
        CommandKind::FleetRuns => Ok(go_to(state, vec![Route::Account, Route::FleetRuns])),
        CommandKind::AllDeployments => {
            Ok(go_to(state, vec![Route::Account, Route::AllDeployments]))
        }
        CommandKind::Admin if !state.me().is_some_and(|me| me.is_system_admin) => Err(
            "The System Admin panel is for system admins: your account has no SYSTEM_ADMIN role"
                .into(),
        ),
        CommandKind::Admin => Ok(super::nav::open_admin(state)),
        CommandKind::Tab(TabOf::Workspace(tab)) => workspace_tab(state, tab),
        CommandKind::Tab(TabOf::Deployment(tab)) => deployment_tab(state, tab),
        CommandKind::Tab(TabOf::Either(workspace, deployment)) => match state.route() {
            Route::Deployment { .. } => deployment_tab(state, deployment),
            _ => workspace_tab(state, workspace),
        },
        CommandKind::Quit
        | CommandKind::Help
        | CommandKind::Messages
        | CommandKind::Logout
        | CommandKind::Context => Ok(vec![]),
    }
}

/// Put the cursor of `table` on the item with `key`, so Esc lands on what was opened.
fn select(state: &mut AppState, table: TableId, key: &str) {
    state.ui.tables.entry(table).or_default().selected_key = Some(key.to_string());
}

/// The workspace a workspace command is about: the one on screen, else the selected row.
fn workspace_here(state: &AppState) -> Option<WorkspaceId> {
    state
        .current_workspace_id()
        .or_else(|| match state.route() {
            Route::Account => state.selected::<Workspace>().map(|w| w.id.clone()),
            _ => None,
        })
}

/// A tab of the current (or selected) workspace; from a deployment, its workspace.
fn workspace_tab(state: &mut AppState, tab: WorkspaceTab) -> Result<Vec<Effect>, String> {
    let Some(ws) = workspace_here(state) else {
        return Err("Open a workspace first (:ws NAME)".into());
    };
    // From a deployment, up to its workspace (what was opened below it is left).
    let routes = vec![
        Route::Account,
        Route::Workspace {
            id: ws.clone(),
            tab,
        },
    ];
    select(state, TableId::Workspaces, ws.as_str());
    Ok(go_to(state, routes))
}

/// A tab of the current deployment, or of the one selected in a deployment list.
fn deployment_tab(state: &mut AppState, tab: DeploymentTab) -> Result<Vec<Effect>, String> {
    let mut routes = state.nav.routes.clone();
    match routes.last_mut() {
        Some(Route::Deployment { tab: current, .. }) => *current = tab,
        _ => match state.target_deployment() {
            Some(d) => routes.push(Route::Deployment {
                id: d.id.clone(),
                tab,
            }),
            None => return Err("Open a deployment first (:deploy NAME)".into()),
        },
    }
    Ok(go_to(state, routes))
}

/// Names that tie are ambiguous: say which and how to tell them apart.
fn ambiguous(what: &str, typed: &str, mut names: Vec<String>) -> String {
    names.sort();
    format!(
        "{typed} matches {} {what}s ({}): Tab picks one",
        names.len(),
        names.join(", ")
    )
}

/// `:ws NAME`: by exact name or id, else the best fuzzy match.
fn open_workspace(state: &mut AppState, wanted: &str) -> Result<Vec<Effect>, String> {
    let workspaces = state.cache.workspaces().unwrap_or_default();
    // A name two workspaces share does not pick one silently: the ids tell them apart.
    let named: Vec<&Workspace> = workspaces.iter().filter(|w| w.label == wanted).collect();
    if named.len() > 1 {
        let which = named
            .iter()
            .map(|w| crate::app::forms::duplicates::describe_workspace(state, w, &named))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(format!(
            "{} workspaces are named {wanted} ({which}): open one with :ws ID",
            named.len()
        ));
    }
    let exact = workspaces
        .iter()
        .find(|w| w.id == wanted)
        .or_else(|| workspaces.iter().find(|w| w.label == wanted))
        .or_else(|| {
            workspaces
                .iter()
                .find(|w| w.label.eq_ignore_ascii_case(wanted))
        });
    let id = match exact {
        Some(w) => w.id.clone(),
        None => match best_matches(wanted, workspaces, |w| vec![w.label.as_str()]).as_slice() {
            [one] => one.id.clone(),
            [] => return Err(format!("No workspace matches {wanted}")),
            several => {
                let names = several.iter().map(|w| w.label.clone()).collect();
                return Err(ambiguous("workspace", wanted, names));
            }
        },
    };
    select(state, TableId::Workspaces, id.as_str());
    Ok(go_to(
        state,
        vec![
            Route::Account,
            Route::Workspace {
                id,
                tab: WorkspaceTab::Deployments,
            },
        ],
    ))
}

/// `:deploy NAME`: by id, release name or name (in any list loaded so far), else the best
/// fuzzy match of a name or release name; else in the platform-wide list, fetched for it.
pub(super) fn open_deployment(state: &mut AppState, wanted: &str) -> Result<Vec<Effect>, String> {
    let here = state.current_workspace_id();
    let all = state.cache.known_deployments();
    let with_label: Vec<&(&Deployment, Option<&WorkspaceId>)> = all
        .iter()
        .filter(|(d, _)| d.label.eq_ignore_ascii_case(wanted))
        .collect();
    let exact = all
        .iter()
        .find(|(d, _)| d.id == wanted || d.release_name.eq_ignore_ascii_case(wanted))
        .or_else(|| match with_label.as_slice() {
            [one] => Some(*one),
            // The same name in several workspaces: this workspace's, if it is one of them.
            several => several
                .iter()
                .find(|(_, ws)| ws.is_some() && *ws == here.as_ref())
                .copied(),
        });
    if exact.is_none() && with_label.len() > 1 {
        let names = with_label
            .iter()
            .map(|(d, _)| d.release_name.clone())
            .collect();
        return Err(ambiguous("deployment", wanted, names));
    }
    let found = match exact {
        Some(found) => *found,
        None => match best_matches(wanted, &all, |(d, _)| {
            vec![d.label.as_str(), d.release_name.as_str()]
        })
        .as_slice()
        {
            [one] => **one,
            // Perhaps in a workspace not opened yet: look in the platform-wide list.
            [] => return super::deploy_search::start(state, wanted),
            several => {
                let names = several.iter().map(|(d, _)| d.label.clone()).collect();
                return Err(ambiguous("deployment", wanted, names));
            }
        },
    };
    let (d, ws) = found;
    let id: DeploymentId = d.id.clone();
    // Through its workspace only when that is listed for the caller (a role on the deployment
    // alone does not open its workspace).
    let ws = ws
        .cloned()
        .or_else(|| d.workspace_id.clone())
        .filter(|ws| state.cache.workspace(ws).is_some());
    let mut routes = vec![Route::Account];
    if let Some(ws) = &ws {
        routes.push(Route::Workspace {
            id: ws.clone(),
            tab: WorkspaceTab::Deployments,
        });
    }
    routes.push(Route::Deployment {
        id: id.clone(),
        tab: DeploymentTab::Overview,
    });
    if let Some(ws) = ws {
        select(state, TableId::Workspaces, ws.as_str());
        select(state, TableId::Deployments(ws), id.as_str());
    }
    Ok(go_to(state, routes))
}
