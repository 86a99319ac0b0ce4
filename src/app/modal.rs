//! What can sit on top of a screen, as a stack: Esc closes the top one. A confirmation carries
//! the action it will run, so nothing happens until the user says yes.

use tui_input::Input;

use std::collections::BTreeMap;

use super::describe::DescribeView;
use super::forms::Form;
use super::forms::FormKind;
use super::forms::base::{ConflictRow, Snapshot, Var};
use super::menu::Menu;
use super::palette::Palette;
use crate::houston::model::{DeploymentId, Secret};
use crate::houston::mutation::Mutation;
use crate::houston::request::Request;

// Said by a message too (`Msg::OpenResult`): defined with the messages.
pub use super::msg::UrlKind;

/// Where a copy to the clipboard stands, for the modal that asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyStatus {
    /// Not asked for (yet).
    Idle,
    /// Asked for; the outcome has not arrived yet.
    Pending,
    Copied,
    /// Sent, but tmux may drop it (no `set-clipboard on`): said so rather than claimed.
    SentTmuxMayDrop,
    TooLong,
    Failed(String),
}

/// The popup shown when a URL could not be opened in a browser.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlPopup {
    pub url: String,
    pub what: UrlKind,
    pub reason: String,
    pub copy: CopyStatus,
}

/// One line of a confirmation: plain text, or a line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmLine {
    Text(String),
    Added(String),
    Removed(String),
    Changed {
        what: String,
        old: String,
        new: String,
    },
}

/// What saying yes does.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmAction {
    /// Send this mutation; its result goes to the message line.
    Mutate(Mutation),
    /// Send the mutation built from the form under this confirmation (a diff was shown).
    SubmitForm(Mutation),
    /// Close the form under this confirmation, dropping what was typed.
    DiscardForm,
    /// Send this change to the deployment's Airflow (on behalf of the form under it, if any).
    Airflow(crate::app::airflow::AirflowMutation),
    /// Delete one variable, if it is still as it was when the confirmation opened (`base`).
    DeleteVariable {
        deployment: DeploymentId,
        key: String,
        base: Option<Var>,
    },
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<ConfirmLine>,
    pub action: ConfirmAction,
    /// For deletes: the name the user must type before Enter does anything.
    pub(crate) type_to_confirm: Option<String>,
    /// Other text accepted instead of that name (a deployment's release name).
    pub(crate) also_accepts: Vec<String>,
    pub(crate) input: Input,
    /// Shown in the error colour (deletes, discarding input).
    pub(crate) danger: bool,
    /// What Enter does, e.g. `Delete` or `Apply`.
    pub(crate) verb: &'static str,
    /// The server is being read again before the action runs.
    pub(crate) check: Option<Recheck>,
}

impl Confirm {
    pub(crate) fn new(
        title: impl Into<String>,
        action: ConfirmAction,
        verb: &'static str,
    ) -> Confirm {
        Confirm {
            title: title.into(),
            lines: Vec::new(),
            action,
            type_to_confirm: None,
            also_accepts: Vec::new(),
            input: Input::default(),
            danger: false,
            verb,
            check: None,
        }
    }

    pub(crate) fn line(mut self, text: impl Into<String>) -> Confirm {
        self.lines.push(ConfirmLine::Text(text.into()));
        self
    }

    pub(crate) fn lines(mut self, lines: Vec<ConfirmLine>) -> Confirm {
        self.lines.extend(lines);
        self
    }

    pub(crate) fn danger(mut self) -> Confirm {
        self.danger = true;
        self
    }

    /// Enter only works once `name` has been typed.
    pub(crate) fn type_to_confirm(mut self, name: impl Into<String>) -> Confirm {
        self.type_to_confirm = Some(name.into());
        self
    }

    /// Accept `text` as well as the name (e.g. the release name of a deployment).
    pub(crate) fn or_type(mut self, text: impl Into<String>) -> Confirm {
        self.also_accepts.push(text.into());
        self
    }

    /// Whether what was typed is the name (or another accepted text).
    pub(crate) fn typed_matches(&self) -> bool {
        let typed = self.input.value();
        self.type_to_confirm.as_deref() == Some(typed)
            || self.also_accepts.iter().any(|a| a == typed)
    }

    /// Whether Enter may run the action now.
    pub(crate) fn armed(&self) -> bool {
        self.type_to_confirm.is_none() || self.typed_matches()
    }
}

/// A form and what it is for.
#[derive(Debug, Clone)]
pub struct FormModal {
    pub kind: FormKind,
    pub form: Form,
    /// What the form was opened from, for the three-way merge (`None` for new things); after a
    /// merge or a conflict, what the server held then.
    pub(crate) base: Option<Snapshot>,
    /// The server is being read again before anything is sent.
    pub(crate) check: Option<Recheck>,
    /// Variables whose conflict the user settled by taking the server's value.
    pub(crate) settled: BTreeMap<String, Option<Var>>,
    /// An import's variables, once its file was read.
    pub(crate) imported: Option<Vec<(String, String)>>,
}

impl FormModal {
    pub(crate) fn new(kind: FormKind, form: Form, base: Option<Snapshot>) -> FormModal {
        FormModal {
            kind,
            form,
            base,
            check: None,
            settled: BTreeMap::new(),
            imported: None,
        }
    }
}

/// Why the server is being read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// The form was submitted: merge, then review or send.
    Submit,
    /// A review was confirmed: send it if the server still holds what it was computed against.
    Apply,
}

/// A read of the server under way before anything is sent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Recheck {
    /// The requests, each with the sequence number of the read (a reply at or after it counts).
    pub(crate) waiting: Vec<(Request, u64)>,
    pub(crate) stage: Stage,
    /// A read that failed: nothing is sent.
    pub(crate) failed: Option<String>,
}

/// What the choices of a conflict act on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConflictTarget {
    /// The form under the conflict.
    Form,
    /// Deleting a variable (no form: "edit" is not offered).
    DeleteVariable {
        deployment: DeploymentId,
        key: String,
    },
}

/// Both the user and the server changed the same fields since the form opened: nothing is sent
/// until the user chooses.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictView {
    pub title: String,
    pub rows: Vec<ConflictRow>,
    /// The fields (ids) or variables (keys) in conflict.
    pub(crate) keys: Vec<String>,
    /// What the server held when the conflict was found (the base once the user chooses).
    pub(crate) theirs: Snapshot,
    pub(crate) target: ConflictTarget,
}

/// A new service account's API key, shown this once.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKeyView {
    pub label: String,
    pub key: Secret,
    pub copy: CopyStatus,
}

// A handful of modals are stacked at most: their size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Modal {
    Help {
        scroll: u16,
    },
    /// `:messages`: the message line's history, newest first.
    Messages {
        scroll: u16,
    },
    Url(UrlPopup),
    Form(FormModal),
    Confirm(Confirm),
    ApiKey(ApiKeyView),
    /// `:` command palette.
    Palette(Palette),
    /// `d`: the item as YAML.
    Describe(DescribeView),
    /// `y` copy menu, `:ctx` contexts.
    Menu(Menu),
    /// An edit that conflicts with a change on the server.
    Conflict(ConflictView),
}
