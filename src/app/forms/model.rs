//! One form model for every dialog that asks for input (and the login screen): text, secret,
//! number and select fields on tui-input, per-field validation errors, and dirty tracking.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use super::field_id::FieldId;

/// One choice of a select field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What the app works with (e.g. `WORKSPACE_ADMIN`).
    pub(crate) value: String,
    /// What the user reads (e.g. `Admin`).
    pub label: String,
}

impl Choice {
    pub(crate) fn new(value: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text,
    /// Typed text shown as bullets.
    Secret,
    /// An integer within bounds (inclusive).
    Number {
        min: i64,
        max: i64,
    },
    Select {
        choices: Vec<Choice>,
        index: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    /// Identifies the field to the code that builds and reads the form.
    pub id: FieldId,
    pub label: &'static str,
    pub kind: FieldKind,
    pub(crate) input: Input,
    /// The value the form opened with, for "discard changes?".
    initial: String,
    pub(crate) required: bool,
    /// One line under the field (limits, what the value means).
    pub(crate) help: Option<String>,
    pub error: Option<String>,
    /// Something worth knowing that does not stop the form (e.g. the name is already taken
    /// where Houston allows that).
    pub warning: Option<String>,
    /// Not shown, skipped, not checked (e.g. worker settings when the executor is not Celery).
    pub hidden: bool,
    /// Holds line breaks: a multi-line paste is kept as it is. Off by default, and then such a
    /// paste is refused (with a message) rather than joined into one line.
    pub multiline: bool,
}

impl Field {
    fn new(id: FieldId, label: &'static str, kind: FieldKind, value: &str) -> Field {
        let mut f = Field {
            id,
            label,
            kind,
            input: Input::new(value.to_string()),
            initial: String::new(),
            required: false,
            help: None,
            error: None,
            warning: None,
            hidden: false,
            multiline: false,
        };
        f.initial = f.value();
        f
    }

    pub fn text(id: FieldId, label: &'static str, value: &str) -> Field {
        Field::new(id, label, FieldKind::Text, value)
    }

    pub(crate) fn secret(id: FieldId, label: &'static str) -> Field {
        Field::new(id, label, FieldKind::Secret, "")
    }

    pub(crate) fn number(
        id: FieldId,
        label: &'static str,
        value: i64,
        min: i64,
        max: i64,
    ) -> Field {
        Field::new(
            id,
            label,
            FieldKind::Number { min, max },
            &value.to_string(),
        )
        .help(format!("{min}–{max}"))
    }

    /// A select starting on the choice whose value is `selected` (else the first).
    pub(crate) fn select(
        id: FieldId,
        label: &'static str,
        choices: Vec<Choice>,
        selected: &str,
    ) -> Field {
        let index = choices
            .iter()
            .position(|c| c.value == selected)
            .unwrap_or(0);
        Field::new(id, label, FieldKind::Select { choices, index }, "")
    }

    pub(crate) fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Field {
        self.help = Some(help.into());
        self
    }

    /// The current value: the text, or the selected choice's value.
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Select { choices, index } => choices
                .get(*index)
                .map(|c| c.value.clone())
                .unwrap_or_default(),
            _ => self.input.value().to_string(),
        }
    }

    /// The selected choice's label, for selects.
    pub(crate) fn choice_label(&self) -> Option<&str> {
        match &self.kind {
            FieldKind::Select { choices, index } => choices.get(*index).map(|c| c.label.as_str()),
            _ => None,
        }
    }

    pub(crate) fn is_dirty(&self) -> bool {
        self.value() != self.initial
    }

    /// The value as a number, if it is one within bounds.
    pub(crate) fn number_value(&self) -> Option<i64> {
        match self.kind {
            FieldKind::Number { min, max } => self
                .input
                .value()
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (min..=max).contains(n)),
            _ => None,
        }
    }

    /// Built-in checks: required, numeric bounds. Returns the problem, if any.
    fn check(&self) -> Option<String> {
        let value = self.value();
        if self.required && value.trim().is_empty() {
            return Some(format!("{} is required", self.label));
        }
        if let FieldKind::Number { min, max } = self.kind {
            return match value.trim().parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => None,
                Ok(_) => Some(format!("must be between {min} and {max}")),
                Err(_) => Some("must be a whole number".into()),
            };
        }
        None
    }

    /// Handle a key meant for this field; false when the key is not the field's.
    fn handle(&mut self, key: &KeyEvent) -> bool {
        match &mut self.kind {
            FieldKind::Select { choices, index } => {
                // Stops at the ends: from Viewer, ← must not silently land on Admin.
                let last = choices.len().saturating_sub(1);
                match key.code {
                    KeyCode::Left | KeyCode::Char('h') => *index = index.saturating_sub(1),
                    KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => {
                        *index = (*index + 1).min(last)
                    }
                    _ => return false,
                }
                true
            }
            FieldKind::Number { min, max } => {
                let (min, max) = (*min, *max);
                let step = match key.code {
                    KeyCode::Char('+') => Some(1),
                    KeyCode::Char('-') => Some(-1),
                    _ => None,
                };
                if let Some(step) = step {
                    let n = self.input.value().trim().parse::<i64>().unwrap_or(min);
                    self.input = Input::new((n + step).clamp(min, max).to_string());
                    return true;
                }
                match key.code {
                    KeyCode::Char(c) if !c.is_ascii_digit() => false,
                    _ => edit(&mut self.input, key),
                }
            }
            FieldKind::Text | FieldKind::Secret => edit(&mut self.input, key),
        }
    }
}

/// Why `text` cannot go into a one-line field, if it cannot.
fn paste_problem(text: &str) -> Option<String> {
    if text.contains(['\n', '\r']) {
        let lines = text.lines().count().max(2);
        return Some(format!(
            "the text has {lines} lines and this field holds one line"
        ));
    }
    let control = text.chars().find(|c| c.is_control())?;
    let name = match control {
        '\t' => "a tab".to_string(),
        c => format!("the control character U+{:04X}", u32::from(c)),
    };
    Some(format!(
        "the text contains {name}, which this field cannot hold"
    ))
}

fn edit(input: &mut Input, key: &KeyEvent) -> bool {
    match to_input_request(&Event::Key(*key)) {
        Some(req) => {
            input.handle(req);
            true
        }
        None => false,
    }
}

/// A form: fields, which one has the cursor, and how its submission stands.
#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub(crate) focus: usize,
    /// A problem with the whole form (e.g. the server's answer).
    pub error: Option<String>,
    /// The mutation sent for this form, until its answer arrives (a second submit sends nothing).
    pub pending: Option<u64>,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            pending: None,
        }
    }

    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub(crate) fn field_mut(&mut self, id: FieldId) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.id == id)
    }

    /// The value of field `id` ("" if there is no such field).
    pub fn value(&self, id: FieldId) -> String {
        self.field(id).map(Field::value).unwrap_or_default()
    }

    /// The trimmed value of field `id`.
    pub fn text(&self, id: FieldId) -> String {
        self.value(id).trim().to_string()
    }

    pub(crate) fn number(&self, id: FieldId) -> Option<i64> {
        self.field(id).and_then(Field::number_value)
    }

    pub(crate) fn is_dirty(&self) -> bool {
        self.fields.iter().any(Field::is_dirty)
    }

    pub(crate) fn is_last_field(&self) -> bool {
        !self.fields.iter().skip(self.focus + 1).any(|f| !f.hidden)
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    pub(crate) fn next_field(&mut self) {
        self.step_focus(1);
    }

    pub(crate) fn prev_field(&mut self) {
        self.step_focus(self.fields.len().saturating_sub(1));
    }

    /// Move the cursor `by` fields forward (wrapping), skipping hidden ones.
    fn step_focus(&mut self, by: usize) {
        let n = self.fields.len();
        for _ in 0..n {
            self.focus = (self.focus + by) % n.max(1);
            if !self.fields.get(self.focus).is_some_and(|f| f.hidden) {
                return;
            }
        }
    }

    pub(crate) fn focus_on(&mut self, id: FieldId) {
        if let Some(i) = self.fields.iter().position(|f| f.id == id) {
            self.focus = i;
        }
    }

    /// Give the key to the focused field. Returns whether it was used.
    pub(crate) fn handle_key(&mut self, key: &KeyEvent) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        let used = field.handle(key);
        if used {
            field.error = None;
            self.error = None;
        }
        used
    }

    /// Paste text into the focused text field, as it is: never joined into one line or
    /// stripped of characters. A one-line field refuses text with line breaks or other control
    /// characters, and says so under the field. One line break at the very end (what copying a
    /// whole line from a terminal adds) is not part of the value.
    pub fn paste(&mut self, text: &str) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        if matches!(field.kind, FieldKind::Select { .. }) {
            return;
        }
        let text = if field.multiline {
            text
        } else {
            let one = text
                .strip_suffix("\r\n")
                .or_else(|| text.strip_suffix('\n'))
                .unwrap_or(text);
            if let Some(problem) = paste_problem(one) {
                field.error = Some(format!("Nothing pasted: {problem}"));
                return;
            }
            one
        };
        for c in text.chars() {
            field.input.handle(InputRequest::InsertChar(c));
        }
        field.error = None;
    }

    pub(crate) fn set_error(&mut self, id: FieldId, error: impl Into<String>) {
        if let Some(f) = self.field_mut(id) {
            f.error = Some(error.into());
        }
    }

    pub(crate) fn clear_errors(&mut self) {
        self.error = None;
        for f in &mut self.fields {
            f.error = None;
        }
    }

    /// Run the built-in checks plus `extra` (which may set field errors); move the cursor to
    /// the first field with a problem. True when the form is fine.
    pub(crate) fn validate(&mut self, extra: impl FnOnce(&mut Form)) -> bool {
        self.clear_errors();
        for f in self.fields.iter_mut().filter(|f| !f.hidden) {
            f.error = f.check();
        }
        extra(self);
        match self.fields.iter().position(|f| f.error.is_some()) {
            Some(i) => {
                self.focus = i;
                false
            }
            None => self.error.is_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_validation_and_dirty_tracking() {
        let mut form = Form::new(
            "t",
            vec![
                Field::text(FieldId::Name, "Name", "old").required(),
                Field::number(FieldId::Au, "AU", 5, 1, 35),
                Field::select(
                    FieldId::Role,
                    "Role",
                    vec![Choice::new("A", "Admin"), Choice::new("V", "Viewer")],
                    "V",
                ),
            ],
        );
        assert!(!form.is_dirty());
        for _ in 0..3 {
            form.handle_key(&key(KeyCode::Backspace));
        }
        assert!(form.is_dirty());
        assert!(!form.validate(|_| {}));
        assert_eq!(
            form.field(FieldId::Name)
                .and_then(|f| f.error.clone())
                .as_deref(),
            Some("Name is required")
        );
        form.handle_key(&key(KeyCode::Char('x')));
        form.next_field();
        // Letters do not go into a number field; + and - step within bounds.
        assert!(!form.handle_key(&key(KeyCode::Char('a'))));
        form.handle_key(&key(KeyCode::Char('-')));
        assert_eq!(form.number(FieldId::Au), Some(4));
        form.handle_key(&key(KeyCode::Char('9')));
        assert_eq!(form.text(FieldId::Au), "49");
        assert!(!form.validate(|_| {}));
        assert_eq!(
            form.focus, 1,
            "the cursor goes to the field with the problem"
        );
        form.handle_key(&key(KeyCode::Backspace));
        form.next_field();
        // The select stops at its ends: → on the last choice stays there.
        form.handle_key(&key(KeyCode::Right));
        assert_eq!(form.value(FieldId::Role), "V");
        form.handle_key(&key(KeyCode::Left));
        form.handle_key(&key(KeyCode::Left));
        assert_eq!(form.value(FieldId::Role), "A");
        assert_eq!(
            form.field(FieldId::Role).and_then(Field::choice_label),
            Some("Admin")
        );
        assert!(form.validate(|_| {}));
        assert!(form.is_dirty());
    }
}
