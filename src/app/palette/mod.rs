//! The `:` command palette: the commands and their k9s-style aliases, parsing what was typed,
//! and (in `complete`) fuzzy-ranked completions of commands and of workspace, deployment and
//! context names. Running a command is `update::palette`'s job.

mod complete;

use tui_input::Input;

use super::fuzzy;
use super::state::tabs::{DeploymentTab, WorkspaceTab};

/// What a command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CommandKind {
    /// The account dashboard, or (with a name) a workspace.
    Workspaces,
    /// The current workspace's deployments, or (with a name) a deployment.
    Deployments,
    /// Every deployment of every workspace.
    AllDeployments,
    /// The System Admin panel.
    Admin,
    /// The platform's clusters (Houston 1.0+).
    Clusters,
    /// The failing and long-running DAG runs of every deployment.
    FleetRuns,
    /// A dashboard's tab. A tab's command is one row of `COMMANDS`, nothing else.
    Tab(TabOf),
    /// The contexts, or (with a name) switch to one.
    Context,
    Logout,
    Help,
    /// The last messages of the message line, whole.
    Messages,
    Quit,
}

/// Which tab a tab command opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TabOf {
    /// Of the current (or selected) workspace; from a deployment, of its workspace.
    Workspace(WorkspaceTab),
    /// Of the current deployment, or of the one selected in a deployment list.
    Deployment(DeploymentTab),
    /// On a deployment its tab, elsewhere the workspace's (users, service accounts).
    Either(WorkspaceTab, DeploymentTab),
}

/// What a command's argument names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arg {
    None,
    Workspace,
    Deployment,
    Context,
}

#[derive(Debug)]
pub(crate) struct Command {
    pub(crate) kind: CommandKind,
    pub(crate) name: &'static str,
    pub(crate) aliases: &'static [&'static str],
    pub(crate) arg: Arg,
    pub(crate) description: &'static str,
}

/// Every command, in the order the palette lists them when nothing is typed.
pub(crate) const COMMANDS: &[Command] = &[
    Command {
        kind: CommandKind::Workspaces,
        name: "ws",
        aliases: &["workspaces", "workspace", "w"],
        arg: Arg::Workspace,
        description: "workspaces; :ws NAME opens one",
    },
    Command {
        kind: CommandKind::Deployments,
        name: "deploy",
        aliases: &["deployments", "deployment", "dp", "dep", "d"],
        arg: Arg::Deployment,
        description: "deployments; :deploy NAME opens one",
    },
    Command {
        kind: CommandKind::AllDeployments,
        name: "all",
        aliases: &["alldeployments", "ad"],
        arg: Arg::None,
        description: "every deployment of every workspace",
    },
    Command {
        kind: CommandKind::Admin,
        name: "admin",
        aliases: &["sysadmin", "system"],
        arg: Arg::None,
        description: "System Admin: users, invites, system service accounts",
    },
    Command {
        kind: CommandKind::Clusters,
        name: "clusters",
        aliases: &["cluster", "cl", "dataplanes"],
        arg: Arg::None,
        description: "clusters (data planes, Houston 1.0+)",
    },
    Command {
        kind: CommandKind::FleetRuns,
        name: "dags",
        aliases: &["failing", "dagruns", "fleet"],
        arg: Arg::None,
        description: "failing and long-running DAG runs of every deployment",
    },
    Command {
        kind: CommandKind::Tab(TabOf::Either(WorkspaceTab::Users, DeploymentTab::Users)),
        name: "users",
        aliases: &["user", "u", "usr"],
        arg: Arg::None,
        description: "users of this workspace or deployment",
    },
    Command {
        kind: CommandKind::Tab(TabOf::Either(
            WorkspaceTab::ServiceAccounts,
            DeploymentTab::ServiceAccounts,
        )),
        name: "sa",
        aliases: &["serviceaccounts", "serviceaccount", "apikeys"],
        arg: Arg::None,
        description: "service accounts (API keys)",
    },
    Command {
        kind: CommandKind::Tab(TabOf::Workspace(WorkspaceTab::Invites)),
        name: "invites",
        aliases: &["invite", "inv"],
        arg: Arg::None,
        description: "pending invites of this workspace",
    },
    Command {
        kind: CommandKind::Tab(TabOf::Workspace(WorkspaceTab::Teams)),
        name: "teams",
        aliases: &["team"],
        arg: Arg::None,
        description: "teams (IdP groups) of this workspace",
    },
    Command {
        kind: CommandKind::Tab(TabOf::Deployment(DeploymentTab::Variables)),
        name: "vars",
        aliases: &["env", "variables", "var"],
        arg: Arg::None,
        description: "environment variables of this deployment",
    },
    Command {
        kind: CommandKind::Tab(TabOf::Deployment(DeploymentTab::Overview)),
        name: "overview",
        aliases: &["ov"],
        arg: Arg::None,
        description: "this deployment's overview",
    },
    Command {
        kind: CommandKind::Tab(TabOf::Workspace(WorkspaceTab::Settings)),
        name: "settings",
        aliases: &["set"],
        arg: Arg::None,
        description: "this workspace's settings",
    },
    Command {
        kind: CommandKind::Tab(TabOf::Deployment(DeploymentTab::Logs)),
        name: "logs",
        aliases: &["log"],
        arg: Arg::None,
        description: "logs of this deployment",
    },
    Command {
        kind: CommandKind::Tab(TabOf::Deployment(DeploymentTab::Metrics)),
        name: "metrics",
        aliases: &["metric"],
        arg: Arg::None,
        description: "metrics of this deployment",
    },
    Command {
        kind: CommandKind::Tab(TabOf::Deployment(DeploymentTab::Workers)),
        name: "workers",
        aliases: &["worker", "flower"],
        arg: Arg::None,
        description: "Celery workers of this deployment (Flower)",
    },
    Command {
        kind: CommandKind::Context,
        name: "ctx",
        aliases: &["context", "contexts"],
        arg: Arg::Context,
        description: "installations; :ctx NAME switches",
    },
    Command {
        kind: CommandKind::Logout,
        name: "logout",
        aliases: &[],
        arg: Arg::None,
        description: "forget the token, show the login screen",
    },
    Command {
        kind: CommandKind::Help,
        name: "help",
        aliases: &["h", "?"],
        arg: Arg::None,
        description: "keys of this screen",
    },
    Command {
        kind: CommandKind::Messages,
        name: "messages",
        aliases: &["msg", "msgs"],
        arg: Arg::None,
        description: "the last messages, whole (the line cuts them)",
    },
    Command {
        kind: CommandKind::Quit,
        name: "q",
        aliases: &["quit", "q!", "exit"],
        arg: Arg::None,
        description: "quit astrodash",
    },
];

/// A command and its argument, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) kind: CommandKind,
    /// The rest of the line, trimmed; `None` when empty.
    pub(crate) arg: Option<String>,
}

/// The command whose name or alias is exactly `word` (any case).
pub(crate) fn command(word: &str) -> Option<&'static Command> {
    let word = word.to_lowercase();
    COMMANDS
        .iter()
        .find(|c| c.name == word || c.aliases.contains(&word.as_str()))
}

/// `deploy prod-etl`, `:ws Data Platform`, `q` … An unknown command or an argument given to a
/// command that takes none is an error in words.
pub(crate) fn parse(text: &str) -> Result<Parsed, String> {
    let text = text.trim().trim_start_matches(':').trim_start();
    if text.is_empty() {
        return Err("Type a command (Tab lists them)".into());
    }
    let (word, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let Some(cmd) = command(word) else {
        return Err(format!("Unknown command :{word} (Tab lists the commands)"));
    };
    let arg = Some(rest.trim().to_string()).filter(|a| !a.is_empty());
    if arg.is_some() && cmd.arg == Arg::None {
        return Err(format!(":{} takes no name", cmd.name));
    }
    Ok(Parsed {
        kind: cmd.kind,
        arg,
    })
}

pub(crate) use complete::{Completion, complete};

/// The palette modal: the input, its completions, Tab cycling and ↑/↓ history browsing.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    pub input: Input,
    pub completions: Vec<Completion>,
    /// The completion Tab last put in the input; Tab again takes the next one.
    pub chosen: Option<usize>,
    /// Where ↑/↓ are in the history (`None`: at the line being typed).
    pub(crate) history_pos: Option<usize>,
    /// The line being typed before ↑ replaced it.
    pub(crate) draft: String,
}

/// Names that fuzzy-match `typed` best (all of them when several tie), for resolving an
/// argument that is not an exact name.
pub(crate) fn best_matches<'a, T>(
    typed: &str,
    items: &'a [T],
    names: impl Fn(&T) -> Vec<&str>,
) -> Vec<&'a T> {
    let mut scored: Vec<(u32, &T)> = items
        .iter()
        .filter_map(|item| {
            names(item)
                .into_iter()
                .filter_map(|n| fuzzy::score(typed, n))
                .map(|m| m.score)
                .max()
                .map(|s| (s, item))
        })
        .collect();
    let Some(top) = scored.iter().map(|(s, _)| *s).max() else {
        return Vec::new();
    };
    scored.retain(|(s, _)| *s == top);
    scored.into_iter().map(|(_, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_aliases_and_names() {
        assert_eq!(
            parse(":dp"),
            Ok(Parsed {
                kind: CommandKind::Deployments,
                arg: None
            })
        );
        assert_eq!(
            parse("  ws   Data Platform  "),
            Ok(Parsed {
                kind: CommandKind::Workspaces,
                arg: Some("Data Platform".into())
            })
        );
        assert_eq!(parse("Q").map(|p| p.kind), Ok(CommandKind::Quit));
        assert_eq!(
            parse("frobnicate"),
            Err("Unknown command :frobnicate (Tab lists the commands)".into())
        );
        assert_eq!(parse("q now"), Err(":q takes no name".into()));
        assert!(parse("").is_err());
    }

    #[test]
    fn every_name_and_alias_is_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in COMMANDS {
            for n in std::iter::once(c.name).chain(c.aliases.iter().copied()) {
                assert!(seen.insert(n), "{n} used twice");
            }
        }
    }
}
