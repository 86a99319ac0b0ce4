//! What can sit on top of a screen, as a stack: Esc closes the top one. A confirmation carries
//! the action it will run, so nothing happens until the user says yes.

use tui_input::Input;

use super::describe::DescribeView;
use super::form::Form;
use super::forms::FormKind;
use super::menu::Menu;
use super::palette::Palette;
use crate::houston::model::Secret;
use crate::houston::mutation::Mutation;

/// Which deployment link is being opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    Airflow,
    Flower,
}

impl UrlKind {
    /// The `DeploymentUrl.kind` Houston uses.
    pub fn kind(self) -> &'static str {
        match self {
            UrlKind::Airflow => "airflow",
            UrlKind::Flower => "flower",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            UrlKind::Airflow => "Airflow UI",
            UrlKind::Flower => "Flower",
        }
    }
}

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
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<ConfirmLine>,
    pub action: ConfirmAction,
    /// For deletes: the name the user must type before Enter does anything.
    pub type_to_confirm: Option<String>,
    /// Other text accepted instead of that name (a deployment's release name).
    pub also_accepts: Vec<String>,
    pub input: Input,
    /// Shown in the error colour (deletes, discarding input).
    pub danger: bool,
    /// What Enter does, e.g. `Delete` or `Apply`.
    pub verb: &'static str,
}

impl Confirm {
    pub fn new(title: impl Into<String>, action: ConfirmAction, verb: &'static str) -> Confirm {
        Confirm {
            title: title.into(),
            lines: Vec::new(),
            action,
            type_to_confirm: None,
            also_accepts: Vec::new(),
            input: Input::default(),
            danger: false,
            verb,
        }
    }

    pub fn line(mut self, text: impl Into<String>) -> Confirm {
        self.lines.push(ConfirmLine::Text(text.into()));
        self
    }

    pub fn lines(mut self, lines: Vec<ConfirmLine>) -> Confirm {
        self.lines.extend(lines);
        self
    }

    pub fn danger(mut self) -> Confirm {
        self.danger = true;
        self
    }

    /// Enter only works once `name` has been typed.
    pub fn type_to_confirm(mut self, name: impl Into<String>) -> Confirm {
        self.type_to_confirm = Some(name.into());
        self
    }

    /// Accept `text` as well as the name (e.g. the release name of a deployment).
    pub fn or_type(mut self, text: impl Into<String>) -> Confirm {
        self.also_accepts.push(text.into());
        self
    }

    /// Whether what was typed is the name (or another accepted text).
    pub fn typed_matches(&self) -> bool {
        let typed = self.input.value();
        self.type_to_confirm.as_deref() == Some(typed)
            || self.also_accepts.iter().any(|a| a == typed)
    }

    /// Whether Enter may run the action now.
    pub fn armed(&self) -> bool {
        self.type_to_confirm.is_none() || self.typed_matches()
    }
}

/// A form and what it is for.
#[derive(Debug, Clone)]
pub struct FormModal {
    pub kind: FormKind,
    pub form: Form,
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
}
