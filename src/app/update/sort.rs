//! `s` sorts the current table by its next column on screen, `S` reverses the order. Each
//! table keeps its own sort; the cursor stays on its item. Re-sorting and re-filtering a
//! table whose data, sort or filter changed (`reapply_table`) is here too.

use super::messages::flash;
use crate::app::state::AppState;
use crate::app::tables::{self, Sort, TableId};

/// `s`: the next column on screen after the one sorted by (the first when none is),
/// ascending. Columns a narrow terminal hides are skipped: sorting by one would show no arrow.
pub(crate) fn next_column(state: &mut AppState) {
    change(state, |current, shown| Sort {
        column: current
            .and_then(|s| shown.iter().copied().find(|&c| c > s.column))
            .or_else(|| shown.first().copied())
            .unwrap_or(0),
        descending: false,
    });
}

/// `S`: the same column, the other way round (the first column, descending, when unsorted).
pub(crate) fn reverse(state: &mut AppState) {
    change(state, |current, _| match current {
        Some(s) => Sort {
            column: s.column,
            descending: !s.descending,
        },
        None => Sort {
            column: 0,
            descending: true,
        },
    });
}

fn change(state: &mut AppState, f: impl Fn(Option<Sort>, &[usize]) -> Sort) {
    let Some(table) = state.current_table() else {
        return;
    };
    let rows = tables::rows(&state.cache, &table);
    let layouts = rows.layouts();
    if layouts.is_empty() {
        return;
    }
    let current = state.table(&table).sort.or_else(|| rows.default_sort());
    let sort = f(current, &crate::ui::hit::shown_columns(state, &layouts));
    let title = match layouts.get(sort.column).map(|l| l.title) {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => format!("column {}", sort.column + 1),
    };
    drop(rows);
    state.ui.tables.entry(table.clone()).or_default().sort = Some(sort);
    reapply_table(state, &table);
    let order = if sort.descending {
        "descending"
    } else {
        "ascending"
    };
    flash(
        state,
        format!("Sorted by {title}, {order} (s: next column, S: reverse)"),
    );
}

/// Bring the current screen's table view up to date (after its data changed).
pub(crate) fn reapply_current_table(state: &mut AppState) {
    if let Some(table) = state.current_table() {
        reapply_table(state, &table);
    }
}

pub(crate) fn reapply_table(state: &mut AppState, table: &TableId) {
    let generation = state.table_generation(table);
    let rows = crate::app::tables::rows(&state.cache, table);
    state
        .ui
        .tables
        .entry(table.clone())
        .or_default()
        .reapply(rows.as_ref(), generation);
}
