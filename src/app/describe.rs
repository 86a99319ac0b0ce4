//! `d` describe: the selected item (or the dashboard's own workspace or deployment) as YAML of
//! what Houston returned — the model astrodash keeps, serialised on demand in Houston's field
//! names, so no second copy of big lists is held — with secrets masked; and the view state of
//! the scrollable, searchable modal that shows it.

use serde::Serialize;
use serde_json::Value;
use tui_input::Input;

use crate::houston::request::Request;

/// What stands in for a masked value.
pub(crate) const MASK: &str = "•••••• (masked)";

/// The subject of `d`, `y`'s "row as JSON": what it is, its name, and its data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Subject {
    /// `deployment`, `user` …
    pub(crate) noun: &'static str,
    pub(crate) name: String,
    /// Secrets already masked.
    pub(crate) value: Value,
}

pub(crate) fn subject<T: Serialize>(noun: &'static str, name: &str, item: &T) -> Option<Subject> {
    let mut value = serde_json::to_value(item).ok()?;
    mask_secrets(&mut value);
    Some(Subject {
        noun,
        name: name.to_string(),
        value,
    })
}

/// Whether a field of this name holds a credential, whatever object it is in.
fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase().replace(['_', '-'], "");
    [
        "token",
        "password",
        "apikey",
        "secret",
        "privatekey",
        "credential",
    ]
    .iter()
    .any(|s| k.contains(s))
        && k != "issecret"
}

/// Mask credentials anywhere in `value`: fields named like tokens, passwords and API keys, and
/// the `value` of an environment variable marked `isSecret`.
pub(crate) fn mask_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let secret_variable = map.get("isSecret") == Some(&Value::Bool(true));
            for (key, v) in map.iter_mut() {
                let masked = is_secret_key(key) || (secret_variable && key == "value");
                if masked && !v.is_null() {
                    *v = Value::String(MASK.into());
                } else {
                    mask_secrets(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_secrets),
        _ => {}
    }
}

/// `value` as YAML text (falls back to pretty JSON, which YAML readers accept too).
pub(crate) fn to_yaml(value: &Value) -> String {
    serde_yaml_ng::to_string(value)
        .or_else(|_| serde_json::to_string_pretty(value))
        .unwrap_or_default()
}

/// `value` as pretty JSON (the copy menu's "row as JSON").
pub(crate) fn to_json(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The describe modal: the text, where it is scrolled to, and the `/` search.
#[derive(Debug, Clone, Default)]
pub struct DescribeView {
    /// `deployment prod-etl`.
    pub title: String,
    pub lines: Vec<String>,
    /// The first line shown.
    pub scroll: usize,
    /// The search being typed, if any.
    pub(crate) search: Option<Input>,
    /// The search in effect, as typed (matched ignoring case), and the lines that contain it.
    pub query: String,
    pub matches: Vec<usize>,
    /// Which of `matches` `n`/`N` are on.
    pub current: Option<usize>,
    /// An item described from its list row, whose own read is on its way and replaces the
    /// text when it arrives: a deployment (`Request::Deployment`: description, resources,
    /// capabilities …) or a cluster (`Request::Cluster`: its merged config).
    pub awaiting: Option<Request>,
    /// That read failed: what is shown is the list row only.
    pub row_only: bool,
    /// Why, when it is worth saying (a refusal, "not available on Houston X").
    pub(crate) why: Option<String>,
}

/// `value` without the fields that have no value. Describe leaves out what the server did not
/// report (as `kubectl get -o yaml` does): `namespace: null` read as a value where the
/// Overview shows "—", and a "—" in YAML would be a string a copied document then holds.
pub(crate) fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

impl DescribeView {
    /// The title's note on where the text comes from: loading, or the list row only.
    pub(crate) fn source_note(&self) -> Option<String> {
        match (&self.awaiting, &self.why) {
            (Some(Request::Cluster(_)), _) => Some("as listed; loading its merged config…".into()),
            (Some(_), _) => Some("list row; loading the whole record…".into()),
            (None, Some(why)) if self.row_only => Some(format!("list row only: {why}")),
            (None, None) if self.row_only => {
                Some("list row only (the whole record could not be read)".into())
            }
            _ => None,
        }
    }

    pub(crate) fn new(subject: &Subject) -> DescribeView {
        let yaml = to_yaml(&without_nulls(&subject.value));
        DescribeView {
            title: format!("{} {}", subject.noun, subject.name),
            lines: yaml.lines().map(str::to_string).collect(),
            ..DescribeView::default()
        }
    }

    /// Show `subject` instead, keeping the scroll position and the search.
    pub(crate) fn replace(&mut self, subject: &Subject) {
        let query = std::mem::take(&mut self.query);
        let scroll = self.scroll;
        *self = DescribeView {
            search: self.search.take(),
            ..DescribeView::new(subject)
        };
        self.scroll = scroll.min(self.lines.len().saturating_sub(1));
        if !query.is_empty() {
            self.search_for(&query);
        }
    }

    /// The whole text, as copied by `y`.
    pub fn text(&self) -> String {
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }

    pub(crate) fn scroll_by(&mut self, delta: isize) {
        let last = self.lines.len().saturating_sub(1);
        self.scroll = self.scroll.saturating_add_signed(delta).min(last);
    }

    /// Search for `query` (case-insensitive) and go to the first match at or after the top
    /// line.
    pub(crate) fn search_for(&mut self, query: &str) {
        self.query = query.to_string();
        let needle = query.to_lowercase();
        self.matches = if needle.is_empty() {
            Vec::new()
        } else {
            self.lines
                .iter()
                .enumerate()
                .filter(|(_, l)| super::tables::contains_ignore_case(l, &needle))
                .map(|(i, _)| i)
                .collect()
        };
        self.current = self
            .matches
            .iter()
            .position(|&l| l >= self.scroll)
            .or((!self.matches.is_empty()).then_some(0));
        self.show_current();
    }

    /// `n` (forward) / `N`: the next match, wrapping around.
    pub(crate) fn next_match(&mut self, forward: bool) {
        let n = self.matches.len();
        if n == 0 {
            return;
        }
        self.current = Some(match self.current {
            None => 0,
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
        });
        self.show_current();
    }

    /// Scroll so the current match is on screen, a couple of lines below the top.
    fn show_current(&mut self) {
        if let Some(line) = self.current.and_then(|i| self.matches.get(i)) {
            self.scroll = line.saturating_sub(2);
        }
    }

    /// `3/7` while a search has matches.
    pub fn match_position(&self) -> Option<String> {
        let i = self.current?;
        Some(format!("{}/{}", i + 1, self.matches.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credentials_and_secret_variables_are_masked() {
        let mut v = json!({
            "label": "ci",
            "apiKey": "0123456789abcdef",
            "nested": [{"authToken": "t"}, {"password": null}],
            "variables": [
                {"key": "A", "value": "visible", "isSecret": false},
                {"key": "B", "value": "hidden", "isSecret": true}
            ]
        });
        mask_secrets(&mut v);
        assert_eq!(v["label"], "ci");
        assert_eq!(v["apiKey"], MASK);
        assert_eq!(v["nested"][0]["authToken"], MASK);
        assert_eq!(v["nested"][1]["password"], Value::Null);
        assert_eq!(v["variables"][0]["value"], "visible");
        assert_eq!(v["variables"][1]["value"], MASK);
        assert_eq!(v["variables"][1]["isSecret"], true);
    }

    #[test]
    fn fields_without_a_value_are_left_out() {
        let v = json!({
            "label": "etl",
            "namespace": null,
            "urls": [{"type": "airflow", "url": null}, null],
            "resources": {"au": 5, "replicas": null}
        });
        assert_eq!(
            without_nulls(&v),
            json!({
                "label": "etl",
                "urls": [{"type": "airflow"}, null],
                "resources": {"au": 5}
            })
        );
    }

    #[test]
    fn search_finds_lines_and_wraps() {
        let mut view = DescribeView {
            lines: (0..20).map(|i| format!("line {i}")).collect(),
            ..DescribeView::default()
        };
        view.search_for("LINE 1");
        // line 1, line 10 … line 19
        assert_eq!(view.matches.len(), 11);
        assert_eq!(view.match_position().as_deref(), Some("1/11"));
        view.next_match(false);
        assert_eq!(view.match_position().as_deref(), Some("11/11"));
        assert_eq!(view.scroll, 17);
        view.next_match(true);
        assert_eq!(view.scroll, 0);
        view.search_for("nothing");
        assert_eq!(view.match_position(), None);
    }
}
