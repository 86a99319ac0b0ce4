//! The `:` command palette: the commands and their k9s-style aliases, parsing what was typed,
//! and fuzzy-ranked completions of commands and of workspace, deployment and context names.
//! Running a command is `update::palette`'s job.

use tui_input::Input;

use super::fuzzy;
use super::state::AppState;

/// What a command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    /// The account dashboard, or (with a name) a workspace.
    Workspaces,
    /// The current workspace's deployments, or (with a name) a deployment.
    Deployments,
    /// Every deployment of every workspace.
    AllDeployments,
    Users,
    Invites,
    Teams,
    ServiceAccounts,
    Variables,
    Settings,
    Overview,
    Logs,
    Metrics,
    /// The contexts, or (with a name) switch to one.
    Context,
    Logout,
    Help,
    Quit,
}

/// What a command's argument names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    None,
    Workspace,
    Deployment,
    Context,
}

#[derive(Debug)]
pub struct Command {
    pub kind: CommandKind,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub arg: Arg,
    pub description: &'static str,
}

/// Every command, in the order the palette lists them when nothing is typed.
pub const COMMANDS: &[Command] = &[
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
        kind: CommandKind::Users,
        name: "users",
        aliases: &["user", "u", "usr"],
        arg: Arg::None,
        description: "users of this workspace or deployment",
    },
    Command {
        kind: CommandKind::ServiceAccounts,
        name: "sa",
        aliases: &["serviceaccounts", "serviceaccount", "apikeys"],
        arg: Arg::None,
        description: "service accounts (API keys)",
    },
    Command {
        kind: CommandKind::Invites,
        name: "invites",
        aliases: &["invite", "inv"],
        arg: Arg::None,
        description: "pending invites of this workspace",
    },
    Command {
        kind: CommandKind::Teams,
        name: "teams",
        aliases: &["team"],
        arg: Arg::None,
        description: "teams (IdP groups) of this workspace",
    },
    Command {
        kind: CommandKind::Variables,
        name: "vars",
        aliases: &["env", "variables", "var"],
        arg: Arg::None,
        description: "environment variables of this deployment",
    },
    Command {
        kind: CommandKind::Overview,
        name: "overview",
        aliases: &["ov"],
        arg: Arg::None,
        description: "this deployment's overview",
    },
    Command {
        kind: CommandKind::Settings,
        name: "settings",
        aliases: &["set"],
        arg: Arg::None,
        description: "this workspace's settings",
    },
    Command {
        kind: CommandKind::Logs,
        name: "logs",
        aliases: &["log"],
        arg: Arg::None,
        description: "logs of this deployment",
    },
    Command {
        kind: CommandKind::Metrics,
        name: "metrics",
        aliases: &["metric"],
        arg: Arg::None,
        description: "metrics of this deployment",
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
        kind: CommandKind::Quit,
        name: "q",
        aliases: &["quit", "q!", "exit"],
        arg: Arg::None,
        description: "quit astrodash",
    },
];

/// A command and its argument, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub kind: CommandKind,
    /// The rest of the line, trimmed; `None` when empty.
    pub arg: Option<String>,
}

/// The command whose name or alias is exactly `word` (any case).
pub fn command(word: &str) -> Option<&'static Command> {
    let word = word.to_lowercase();
    COMMANDS
        .iter()
        .find(|c| c.name == word || c.aliases.contains(&word.as_str()))
}

/// `deploy prod-etl`, `:ws Data Platform`, `q` … An unknown command or an argument given to a
/// command that takes none is an error in words.
pub fn parse(text: &str) -> Result<Parsed, String> {
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

/// One suggestion under the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// What Tab puts in the input (and Enter runs).
    pub text: String,
    /// What the list shows, e.g. `deploy prod-etl`.
    pub label: String,
    /// Dim text after it: a description, a release name, a URL.
    pub detail: String,
    /// Characters of `label` that matched what was typed (char indices), shown highlighted.
    pub positions: Vec<usize>,
    score: u32,
}

/// How many completions are kept (the list shows as many as fit).
pub const MAX_COMPLETIONS: usize = 50;

/// The palette modal: the input, its completions, Tab cycling and ↑/↓ history browsing.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    pub input: Input,
    pub completions: Vec<Completion>,
    /// The completion Tab last put in the input; Tab again takes the next one.
    pub chosen: Option<usize>,
    /// Where ↑/↓ are in the history (`None`: at the line being typed).
    pub history_pos: Option<usize>,
    /// The line being typed before ↑ replaced it.
    pub draft: String,
    /// Why the last Enter did nothing.
    pub error: Option<String>,
}

/// A name argument candidate: the text it completes to, its label and details.
struct Candidate {
    text: String,
    /// What is matched and shown after the command, e.g. the deployment's name.
    name: String,
    /// Matched too, but not shown in the label (e.g. the release name).
    alias: Option<String>,
    detail: String,
}

fn label_positions(prefix_len: usize, positions: &[usize]) -> Vec<usize> {
    positions.iter().map(|p| p + prefix_len).collect()
}

/// Rank `candidates` against `typed`; each becomes `<command> <name>`.
fn rank(command: &str, typed: &str, candidates: Vec<Candidate>, out: &mut Vec<Completion>) {
    let prefix = format!("{command} ");
    let prefix_len = prefix.chars().count();
    for c in candidates {
        let on_name = fuzzy::score(typed, &c.name);
        let on_alias = c.alias.as_deref().and_then(|a| fuzzy::score(typed, a));
        let (score, positions) = match (on_name, on_alias) {
            (Some(n), Some(a)) if a.score > n.score => (a.score, Vec::new()),
            (Some(n), _) => (n.score, label_positions(prefix_len, &n.positions)),
            (None, Some(a)) => (a.score, Vec::new()),
            (None, None) => continue,
        };
        out.push(Completion {
            label: format!("{prefix}{}", c.name),
            text: c.text,
            detail: c.detail,
            positions,
            score,
        });
    }
}

fn workspace_candidates(state: &AppState) -> Vec<Candidate> {
    let mut workspaces: Vec<_> = state
        .cache
        .workspaces()
        .unwrap_or_default()
        .iter()
        .collect();
    // By name, as the account dashboard lists them, when nothing is typed yet.
    workspaces.sort_by(|a, b| super::tables::specs::by_text(&a.label, &b.label));
    workspaces
        .into_iter()
        .map(|w| Candidate {
            text: format!("ws {}", w.label),
            name: w.label.clone(),
            alias: None,
            detail: w.description.clone().unwrap_or_default(),
        })
        .collect()
}

fn deployment_candidates(state: &AppState) -> Vec<Candidate> {
    let all = state.cache.all_deployments();
    all.iter()
        .map(|(d, ws)| {
            // Two deployments may share a name (in different workspaces): the release name is
            // unique on the platform, so it identifies them.
            let shared = all
                .iter()
                .filter(|(o, _)| o.label.eq_ignore_ascii_case(&d.label))
                .count()
                > 1;
            let workspace = ws
                .and_then(|id| state.cache.workspace(id))
                .map(|w| w.label.as_str())
                .or(d.workspace_label.as_deref())
                .unwrap_or("?");
            Candidate {
                text: format!("deploy {}", if shared { &d.release_name } else { &d.label }),
                name: d.label.clone(),
                alias: Some(d.release_name.clone()),
                detail: format!("{} · {workspace}", d.release_name),
            }
        })
        .collect()
}

fn context_candidates(state: &AppState) -> Vec<Candidate> {
    state
        .contexts
        .entries
        .iter()
        .map(|c| {
            let current = c.name == state.session.context_name;
            Candidate {
                text: format!("ctx {}", c.name),
                name: c.name.clone(),
                alias: None,
                detail: format!(
                    "{}{} · {}",
                    if current { "current · " } else { "" },
                    c.source.label(),
                    c.url
                ),
            }
        })
        .collect()
}

/// The suggestions for `text`: commands while the first word is typed (and workspace and
/// deployment names matching it, so `:etl` finds `deploy prod-etl`); names once a command
/// that takes one is followed by a space. Best first.
pub fn complete(state: &AppState, text: &str) -> Vec<Completion> {
    let text = text.trim_start().trim_start_matches(':');
    let mut out = Vec::new();
    match text.split_once(char::is_whitespace) {
        None => {
            for (order, c) in COMMANDS.iter().enumerate() {
                let best = std::iter::once(c.name)
                    .chain(c.aliases.iter().copied())
                    .filter_map(|n| fuzzy::score(text, n).map(|m| (n, m)))
                    .max_by_key(|(_, m)| m.score);
                let Some((matched, m)) = best else { continue };
                let aliases = if c.aliases.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.aliases.join(", "))
                };
                out.push(Completion {
                    text: c.name.to_string(),
                    label: format!("{}{aliases}", c.name),
                    detail: c.description.to_string(),
                    positions: if matched == c.name {
                        m.positions
                    } else {
                        Vec::new()
                    },
                    // Commands before names at equal scores; the table's order breaks ties.
                    score: m.score.saturating_mul(2) + (COMMANDS.len() - order) as u32,
                });
            }
            if !text.is_empty() {
                rank("ws", text, workspace_candidates(state), &mut out);
                rank("deploy", text, deployment_candidates(state), &mut out);
            }
        }
        Some((word, rest)) => {
            let typed = rest.trim_start();
            let Some(cmd) = command(word) else {
                return out;
            };
            let candidates = match cmd.arg {
                Arg::None => return out,
                Arg::Workspace => workspace_candidates(state),
                Arg::Deployment => deployment_candidates(state),
                Arg::Context => context_candidates(state),
            };
            rank(cmd.name, typed, candidates, &mut out);
        }
    }
    // Stable: equal scores keep the order above (commands, then names by name).
    out.sort_by_key(|c| std::cmp::Reverse(c.score));
    out.truncate(MAX_COMPLETIONS);
    out
}

/// Names that fuzzy-match `typed` best (all of them when several tie), for resolving an
/// argument that is not an exact name.
pub fn best_matches<'a, T>(
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
