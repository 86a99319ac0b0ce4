//! A table's view state: filter, sort, and a selection that follows the item (by key), not
//! the row number; the visible rows are computed from them once per change of the data.

use std::borrow::Cow;

use super::{Rows, Sort};

/// What a computed view was computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ViewSig {
    generation: u64,
    len: usize,
    filter: String,
    sort: Option<Sort>,
}

/// Whether row `i` is the one `want` names: by key, or by e-mail address (a new invite's id is
/// not known when it is sent, its address is).
fn is_wanted(rows: &dyn Rows, i: usize, want: &str) -> bool {
    rows.key(i) == want
        || (want.contains('@')
            && rows
                .copy_targets(i)
                .iter()
                .any(|(label, value)| *label == "e-mail" && value.eq_ignore_ascii_case(want)))
}

/// A table's filter, sort, selection, and the rows (data indices) they leave, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableState {
    /// Position of the cursor in `view`.
    pub selected: usize,
    /// The key of the selected item: the cursor follows it when rows move.
    pub(crate) selected_key: Option<String>,
    pub filter: String,
    /// `None`: the spec's default order.
    pub sort: Option<Sort>,
    /// An item to put the cursor on as soon as the rows hold it (e.g. one just created): its
    /// key, or its e-mail address.
    pub(crate) want: Option<String>,
    // Seen by the table tests (`tables::tests`), which build a state by hand.
    pub(super) view: Vec<usize>,
    pub(super) sig: Option<ViewSig>,
}

impl TableState {
    fn effective_sort(&self, rows: &dyn Rows) -> Option<Sort> {
        self.sort.or_else(|| rows.default_sort())
    }

    fn sig(&self, rows: &dyn Rows, generation: u64) -> ViewSig {
        ViewSig {
            generation,
            len: rows.len(),
            filter: self.filter.clone(),
            sort: self.effective_sort(rows),
        }
    }

    fn is_current(&self, rows: &dyn Rows, generation: u64) -> bool {
        self.sig.as_ref().is_some_and(|s| {
            s.generation == generation
                && s.len == rows.len()
                && s.filter == self.filter
                && s.sort == self.effective_sort(rows)
        })
    }

    /// Filter and sort from scratch.
    pub fn compute_view(&self, rows: &dyn Rows) -> Vec<usize> {
        let needle = self.filter.to_lowercase();
        let mut view: Vec<usize> = (0..rows.len())
            .filter(|&i| needle.is_empty() || rows.matches(i, &needle))
            .collect();
        if let Some(sort) = self.effective_sort(rows) {
            // Stable: equal rows keep the server's order.
            view.sort_by(|&a, &b| {
                let o = rows.compare(sort.column, a, b);
                if sort.descending { o.reverse() } else { o }
            });
        }
        view
    }

    /// The visible rows: the stored view when it is current, else computed now.
    pub(crate) fn view<'s>(&'s self, rows: &dyn Rows, generation: u64) -> Cow<'s, [usize]> {
        if self.is_current(rows, generation) {
            Cow::Borrowed(&self.view)
        } else {
            Cow::Owned(self.compute_view(rows))
        }
    }

    /// Bring the stored view up to date, then put the cursor back on the selected item
    /// (by key); if it is gone, the cursor stays at the same position, clamped.
    pub fn reapply(&mut self, rows: &dyn Rows, generation: u64) {
        if !self.is_current(rows, generation) {
            self.view = self.compute_view(rows);
            self.sig = Some(self.sig(rows, generation));
        }
        if let Some(want) = &self.want
            && let Some(pos) = self.view.iter().position(|&i| is_wanted(rows, i, want))
        {
            self.selected = pos;
            self.selected_key = self.view.get(pos).map(|&i| rows.key(i).to_string());
            self.want = None;
            return;
        }
        if let Some(key) = &self.selected_key
            && let Some(pos) = self.view.iter().position(|&i| rows.key(i) == key)
        {
            self.selected = pos;
            return;
        }
        self.selected = self.selected.min(self.view.len().saturating_sub(1));
        self.selected_key = self
            .view
            .get(self.selected)
            .map(|&i| rows.key(i).to_string());
    }

    /// Move the cursor to position `pos` of the (current) view.
    pub(crate) fn select(&mut self, pos: usize, rows: &dyn Rows) {
        self.want = None;
        self.selected = pos.min(self.view.len().saturating_sub(1));
        self.selected_key = self
            .view
            .get(self.selected)
            .map(|&i| rows.key(i).to_string());
    }

    /// The data index under the cursor (the view must be current).
    #[cfg(test)]
    pub(crate) fn selected_index(&self) -> Option<usize> {
        self.view.get(self.selected).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.view.len()
    }
}
