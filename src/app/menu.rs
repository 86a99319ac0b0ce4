//! Small pick-one menus: the `y` copy menu (what to copy from the row) and the `:ctx` list of
//! installations. A number key picks an entry directly; j/k and Enter work too.

use super::msg::Secret;
use crate::houston::model::DeploymentId;

/// Which menu it is (their keys differ slightly: `y` in the copy menu copies the first entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuKind {
    Copy,
    Contexts,
}

/// What picking an entry does.
#[derive(Debug, Clone, PartialEq)]
pub enum MenuAction {
    /// Copy `text` to the clipboard; `label` says what it is ("release name").
    Copy { label: String, text: Secret },
    /// Switch to the context of this name.
    SwitchContext(String),
    /// Nothing can be done with it (shown with the reason as its detail).
    Unavailable,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MenuItem {
    pub label: String,
    /// Dim text after the label (the value to copy, a URL).
    pub detail: String,
    /// Marked in the list (the current context).
    pub current: bool,
    pub action: MenuAction,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    pub kind: MenuKind,
    pub title: String,
    pub items: Vec<MenuItem>,
    pub selected: usize,
    /// A copy menu of a deployment's list row: its whole record is on its way and replaces the
    /// row's JSON when it arrives.
    pub awaiting: Option<DeploymentId>,
}

impl Menu {
    pub(crate) fn new(kind: MenuKind, title: impl Into<String>, items: Vec<MenuItem>) -> Menu {
        Menu {
            kind,
            title: title.into(),
            items,
            selected: 0,
            awaiting: None,
        }
    }

    pub(crate) fn move_by(&mut self, delta: isize) {
        let last = self.items.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }
}

/// A value shown on one line of a menu: the first line, cut with `…` past `max` characters.
pub(crate) fn preview(text: &str, max: usize) -> String {
    let first = text.lines().next().unwrap_or_default();
    let cut: String = first.chars().take(max).collect();
    if cut.len() < first.len() || text.lines().nth(1).is_some() {
        format!("{}…", cut.trim_end())
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_one_short_line() {
        assert_eq!(preview("abc", 10), "abc");
        assert_eq!(preview("abcdef", 3), "abc…");
        assert_eq!(preview("{\n  \"id\": 1\n}", 20), "{…");
    }

    #[test]
    fn moving_stays_in_the_list() {
        let item = MenuItem {
            label: "a".into(),
            detail: String::new(),
            current: false,
            action: MenuAction::Unavailable,
        };
        let mut m = Menu::new(MenuKind::Copy, "t", vec![item.clone(), item]);
        m.move_by(-1);
        assert_eq!(m.selected, 0);
        m.move_by(5);
        assert_eq!(m.selected, 1);
    }
}
