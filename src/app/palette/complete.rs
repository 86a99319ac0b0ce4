//! The palette's suggestions: commands while the first word is typed (and the workspaces and
//! deployments whose names match it), names once a command that takes one is followed by a
//! space. Every candidate is scored on borrowed names; text is built only for the few shown,
//! so a keystroke stays cheap with thousands of deployments in the cache.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;

use super::{Arg, COMMANDS, Command, command};
use crate::app::fuzzy::Pattern;
use crate::app::state::AppState;
use crate::config::ContextEntry;
use crate::houston::model::{Deployment, Workspace, WorkspaceId};

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
}

/// How many completions are kept (the list shows as many as fit).
pub(crate) const MAX_COMPLETIONS: usize = 50;

/// Where a suggested name comes from.
#[derive(Clone, Copy)]
enum Source<'a> {
    Workspace(&'a Workspace),
    Deployment(&'a Deployment, Option<&'a WorkspaceId>),
    Context(&'a ContextEntry),
}

impl Source<'_> {
    /// What is matched and shown after the command.
    fn name(&self) -> &str {
        match self {
            Source::Workspace(w) => &w.label,
            Source::Deployment(d, _) => &d.label,
            Source::Context(c) => &c.name,
        }
    }

    /// Matched too, not shown in the label (a deployment's release name).
    fn alias(&self) -> Option<&str> {
        match self {
            Source::Deployment(d, _) => Some(&d.release_name),
            _ => None,
        }
    }
}

/// A candidate that matched, before it is turned into text.
struct Scored<'a> {
    score: u32,
    /// Commands come before names at equal scores, in the table's order.
    order: usize,
    /// Matched characters of the name (or of the command's name).
    positions: Vec<usize>,
    item: Item<'a>,
}

enum Item<'a> {
    Command(&'static Command),
    Name(&'static str, Source<'a>),
}

impl Item<'_> {
    fn name(&self) -> &str {
        match self {
            Item::Command(c) => c.name,
            Item::Name(_, source) => source.name(),
        }
    }

    fn alias(&self) -> Option<&str> {
        match self {
            Item::Command(_) => None,
            Item::Name(_, source) => source.alias(),
        }
    }
}

/// Case-insensitive order of names, without allocating (bytes for ASCII, the common case).
fn by_name(a: &str, b: &str) -> Ordering {
    let folded = if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    };
    folded.then_with(|| a.cmp(b))
}

fn best_first(a: &Scored, b: &Scored) -> Ordering {
    b.score
        .cmp(&a.score)
        .then_with(|| a.order.cmp(&b.order))
        .then_with(|| by_name(a.item.name(), b.item.name()))
        // Two deployments of one name: their release names are unique.
        .then_with(|| a.item.alias().cmp(&b.item.alias()))
}

/// Score each source against `pattern`: its name, else its alias.
fn rank<'a>(
    command: &'static str,
    pattern: &Pattern,
    sources: impl Iterator<Item = Source<'a>>,
    out: &mut Vec<Scored<'a>>,
) {
    for source in sources {
        let on_name = pattern.score(source.name());
        let on_alias = source.alias().and_then(|a| pattern.score(a));
        let (score, positions) = match (on_name, on_alias) {
            (Some(n), Some(a)) if a.score > n.score => (a.score, Vec::new()),
            (Some(n), _) => (n.score, n.positions),
            (None, Some(a)) => (a.score, Vec::new()),
            (None, None) => continue,
        };
        out.push(Scored {
            score,
            order: COMMANDS.len(),
            positions,
            item: Item::Name(command, source),
        });
    }
}

fn workspaces(state: &AppState) -> impl Iterator<Item = Source<'_>> {
    state
        .cache
        .workspaces()
        .unwrap_or_default()
        .iter()
        .map(Source::Workspace)
}

fn contexts(state: &AppState) -> impl Iterator<Item = Source<'_>> {
    state.contexts.entries.iter().map(Source::Context)
}

/// The suggestions for `text`, best first.
pub(crate) fn complete(state: &AppState, text: &str) -> Vec<Completion> {
    let text = text.trim_start().trim_start_matches(':');
    let mut scored = Vec::new();
    if text.is_empty() {
        // Only the commands: no need to look at any name.
        scored.extend(COMMANDS.iter().enumerate().map(|(order, c)| Scored {
            score: 0,
            order,
            positions: Vec::new(),
            item: Item::Command(c),
        }));
        return scored
            .into_iter()
            .map(|s| into_completion(state, &HashMap::new(), s))
            .collect();
    }
    let deployments = state.cache.known_deployments();
    let as_sources = || deployments.iter().map(|&(d, ws)| Source::Deployment(d, ws));
    match text.split_once(char::is_whitespace) {
        None => {
            let pattern = Pattern::new(text);
            for (order, c) in COMMANDS.iter().enumerate() {
                let best = std::iter::once(c.name)
                    .chain(c.aliases.iter().copied())
                    .filter_map(|n| pattern.score(n).map(|m| (n, m)))
                    .max_by_key(|(_, m)| m.score);
                let Some((matched, m)) = best else { continue };
                scored.push(Scored {
                    // A command beats a name that matches as well.
                    score: m.score.saturating_mul(2),
                    order,
                    positions: if matched == c.name {
                        m.positions
                    } else {
                        Vec::new()
                    },
                    item: Item::Command(c),
                });
            }
            if !text.is_empty() {
                rank("ws", &pattern, workspaces(state), &mut scored);
                rank("deploy", &pattern, as_sources(), &mut scored);
            }
        }
        Some((word, rest)) => {
            let Some(cmd) = command(word) else {
                return Vec::new();
            };
            let pattern = Pattern::new(rest.trim_start());
            match cmd.arg {
                Arg::None => return Vec::new(),
                Arg::Workspace => rank(cmd.name, &pattern, workspaces(state), &mut scored),
                Arg::Deployment => rank(cmd.name, &pattern, as_sources(), &mut scored),
                Arg::Context => rank(cmd.name, &pattern, contexts(state), &mut scored),
            }
        }
    }
    // Only the best are put into words: a partial selection, then those few sorted.
    if scored.len() > MAX_COMPLETIONS {
        scored.select_nth_unstable_by(MAX_COMPLETIONS, best_first);
        scored.truncate(MAX_COMPLETIONS);
    }
    scored.sort_by(best_first);
    // How many deployments bear each name, only when a deployment is to be shown.
    let mut names: HashMap<Cow<str>, usize> = HashMap::new();
    if scored
        .iter()
        .any(|s| matches!(s.item, Item::Name(_, Source::Deployment(..))))
    {
        for (d, _) in &deployments {
            *names.entry(name_key(&d.label)).or_default() += 1;
        }
    }
    scored
        .into_iter()
        .map(|s| into_completion(state, &names, s))
        .collect()
}

/// A name as compared for "the same name": ASCII case ignored (borrowed when already lower).
fn name_key(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

fn into_completion(
    state: &AppState,
    names: &HashMap<Cow<str>, usize>,
    scored: Scored,
) -> Completion {
    match scored.item {
        Item::Command(c) => {
            let aliases = if c.aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", c.aliases.join(", "))
            };
            Completion {
                text: c.name.to_string(),
                label: format!("{}{aliases}", c.name),
                detail: c.description.to_string(),
                positions: scored.positions,
            }
        }
        Item::Name(command, source) => {
            let prefix = command.chars().count() + 1;
            let (text, detail) = match source {
                Source::Workspace(w) => {
                    // Workspaces may share a name: then the id opens the right one, and the
                    // detail says which is which.
                    let twins = crate::app::forms::duplicates::workspace_twins(
                        state,
                        &w.label,
                        Some(&w.id),
                    );
                    if twins.is_empty() {
                        (
                            format!("{command} {}", w.label),
                            w.description.clone().unwrap_or_default(),
                        )
                    } else {
                        let all: Vec<&Workspace> = twins.iter().copied().chain([w]).collect();
                        (
                            format!("{command} {}", w.id),
                            crate::app::forms::duplicates::describe_workspace(state, w, &all),
                        )
                    }
                }
                Source::Deployment(d, ws) => {
                    // Two deployments may share a name (in different workspaces): the release
                    // name is unique on the platform, so it tells them apart.
                    let shared = names.get(&name_key(&d.label)).is_some_and(|&n| n > 1);
                    let workspace = ws
                        .and_then(|id| state.cache.workspace(id))
                        .map(|w| w.label.as_str())
                        .or(d.workspace_label.as_deref())
                        .unwrap_or("?");
                    let name = if shared { &d.release_name } else { &d.label };
                    (
                        format!("{command} {name}"),
                        format!("{} · {workspace}", d.release_name),
                    )
                }
                Source::Context(c) => {
                    let current = c.name == state.session.context_name;
                    (
                        format!("{command} {}", c.name),
                        format!(
                            "{}{} · {}",
                            if current { "current · " } else { "" },
                            c.source.label(),
                            c.url
                        ),
                    )
                }
            };
            Completion {
                label: format!("{command} {}", source.name()),
                text,
                detail,
                positions: scored.positions.iter().map(|p| p + prefix).collect(),
            }
        }
    }
}
