//! Tables that stay fast at any size: only the rows in the window are built; columns are dropped
//! by priority on narrow terminals, and long text is cut with `…`. Any app table is drawn from
//! its spec (`render_app_table`); small fixed tables pass their cells directly.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, Wrap};

use super::format::truncate;
use super::theme::Theme;
use crate::app::remote::Remote;
use crate::app::state::AppState;
use crate::app::tables::{CellEnv, Layout, Sort, TableId};

const SPACING: u16 = 1;

/// A cell's text and style.
pub(crate) struct CellText {
    pub(crate) text: String,
    pub(crate) style: Style,
    /// Each character styled on its own (run and task marks), over `style`.
    pub(crate) marks: bool,
}

impl CellText {
    pub(crate) fn plain(text: impl Into<String>) -> Self {
        CellText {
            text: text.into(),
            style: Style::new(),
            marks: false,
        }
    }
}

/// Which columns fit in `available` columns and how wide each is, in the original order.
pub(crate) fn fit_columns(columns: &[Layout], available: u16) -> Vec<(usize, u16)> {
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| columns[i].priority);
    let mut chosen: Vec<usize> = Vec::new();
    let mut used: u16 = 0;
    for i in order {
        let need = columns[i].width + if chosen.is_empty() { 0 } else { SPACING };
        if used + need <= available || columns[i].priority == 0 {
            chosen.push(i);
            used = used.saturating_add(need);
        }
    }
    chosen.sort_unstable();
    let spare = available.saturating_sub(used);
    let flex_count = chosen.iter().filter(|&&i| columns[i].flex).count() as u16;
    let mut handed = 0;
    let mut seen_flex = 0;
    chosen
        .into_iter()
        .map(|i| {
            let c = columns[i];
            let mut w = c.width;
            if c.flex && flex_count > 0 {
                seen_flex += 1;
                // The last flexible column takes the rounding remainder.
                let share = if seen_flex == flex_count {
                    spare - handed
                } else {
                    spare / flex_count
                };
                handed += share;
                w += share;
            } else if flex_count == 0 && i == columns.len() - 1 {
                w += spare;
            }
            (i, w)
        })
        .collect()
}

/// The first row to draw so that `selected` is inside a window of `height` rows.
pub(crate) fn window_start(selected: usize, height: usize) -> usize {
    if height == 0 || selected < height {
        0
    } else {
        selected + 1 - height
    }
}

pub(crate) struct TableView<'a> {
    pub(crate) block: Block<'a>,
    pub(crate) columns: &'a [Layout],
    /// Number of (filtered) rows.
    pub(crate) len: usize,
    pub(crate) selected: Option<usize>,
    /// Shown instead of rows when there are none.
    pub(crate) empty: String,
    pub(crate) sort: Option<Sort>,
}

/// Draw a table, asking `cell(row, column)` only for the rows that are on screen.
pub(crate) fn render_table(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    view: TableView<'_>,
    cell: impl Fn(usize, usize) -> CellText,
) {
    let inner = view.block.inner(area);
    let fitted = fit_columns(view.columns, inner.width);
    let mut block = view.block;
    // Sorted by a column the width hides (the terminal was narrowed): say so in the title.
    if let Some(s) = view.sort
        && !fitted.iter().any(|&(i, _)| i == s.column)
        && let Some(column) = view.columns.get(s.column)
    {
        let arrow = if s.descending { "↓" } else { "↑" };
        block = block.title(
            Line::from(Span::styled(
                format!(" sorted by {}{arrow} ", column.title),
                theme.dim(),
            ))
            .right_aligned(),
        );
    }
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let header = Row::new(fitted.iter().map(|&(i, w)| {
        let title = view.columns[i].title;
        let title = match view.sort {
            Some(s) if s.column == i => {
                format!("{title}{}", if s.descending { "↓" } else { "↑" })
            }
            _ => title.to_string(),
        };
        Line::from(truncate(&title, usize::from(w)))
    }))
    .style(theme.table_header());
    let widths: Vec<Constraint> = fitted.iter().map(|&(_, w)| Constraint::Length(w)).collect();

    let body_rows = usize::from(inner.height.saturating_sub(1));
    if view.len == 0 {
        frame.render_widget(
            Table::new(Vec::<Row>::new(), widths.clone())
                .header(header)
                .column_spacing(SPACING),
            inner,
        );
        if inner.height > 2 {
            let msg_area = Rect {
                y: inner.y + 2,
                height: inner.height - 2,
                ..inner
            };
            frame.render_widget(
                Paragraph::new(Span::styled(view.empty, theme.dim())).wrap(Wrap { trim: true }),
                msg_area,
            );
        }
        return;
    }

    let selected = view.selected.map(|s| s.min(view.len - 1));
    let start = window_start(selected.unwrap_or(0), body_rows);
    let end = (start + body_rows).min(view.len);
    let rows: Vec<Row> = (start..end)
        .map(|r| {
            let cells = fitted.iter().map(|&(c, w)| {
                let cell = cell(r, c);
                let text = truncate(&cell.text, usize::from(w));
                if cell.marks {
                    let spans: Vec<Span> = text
                        .chars()
                        .map(|ch| Span::styled(ch.to_string(), cell.style.patch(theme.mark(ch))))
                        .collect();
                    return Line::from(spans);
                }
                Line::from(Span::styled(text, cell.style))
            });
            let row = Row::new(cells);
            if Some(r) == selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .column_spacing(SPACING),
        inner,
    );
}

/// ` Title (3) ` or ` Title (2 of 3 · filter "prod") `.
pub(crate) fn table_title(name: &str, shown: usize, total: usize, filter: &str) -> String {
    if filter.is_empty() {
        format!(" {name} ({total}) ")
    } else {
        format!(" {name} ({shown} of {total} · filter \"{filter}\") ")
    }
}

/// The text shown instead of rows: loading, failure, or the screen's own "nothing here".
pub(crate) fn empty_text<T>(remote: Option<&Remote<T>>, none: &str) -> String {
    match remote {
        Some(r) if r.data().is_some() => none.to_string(),
        // What this Houston does not have is not a failure: say so.
        Some(Remote::Failed { error, .. }) if error.is_unsupported() => {
            let text = error.to_string();
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or(text)
        }
        Some(Remote::Failed { error, .. }) => format!("Could not load: {error}"),
        _ => "Loading…".to_string(),
    }
}

/// Why a table read from a deployment's Airflow could not be loaded, if it could not.
fn airflow_failure<'s>(
    state: &'s AppState,
    table: &TableId,
) -> Option<&'s crate::airflow::AirflowError> {
    state
        .cache
        .airflow_error(&table.airflow_request(&state.cache)?)
}

/// When the next attempt is due: `retrying in 4s`, or `retrying now`.
pub(crate) fn retry_text(state: &AppState) -> String {
    match state
        .net
        .next_refresh_at
        .map(|due| (due - state.now).num_seconds())
    {
        Some(secs)
            if secs > 0
                && !state
                    .net
                    .in_flight
                    .contains(&crate::houston::request::Request::Me) =>
        {
            format!("retrying in {secs}s")
        }
        _ => "retrying now".to_string(),
    }
}

/// Draw one of the app's tables from its spec: filtered, sorted, the selection highlighted,
/// `37/2001` under it (`no match of 2001` when the filter leaves none), and `none` when there
/// is nothing to show.
pub(crate) fn render_app_table(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    table: &TableId,
    none: &str,
) {
    let rows = state.rows(table);
    let view = state.view(table);
    let t = state.table(table);
    let request = table.request(&state.cache);
    let remote = request.as_ref().and_then(|r| state.remote(r));
    let filter = t.filter.as_str();
    // The workspace list can only be asked for once Houston has said who we are: until then
    // its state is that of `self` (which fails when the server is unreachable).
    let waiting_for_me = request.is_none() && *table == TableId::Workspaces;
    let me_failed = match state.remote(&crate::houston::request::Request::Me) {
        Some(Remote::Failed { error, .. }) if waiting_for_me => Some(error),
        _ => None,
    };
    let airflow_loaded = table.airflow_request(&state.cache).map(|read| {
        state
            .cache
            .airflow
            .remote(&read)
            .is_some_and(|r| r.data().is_some())
    });
    let title = match remote {
        _ if airflow_loaded == Some(true) => {
            table_title(rows.title(), view.len(), rows.len(), filter)
        }
        // "Workspaces (0)" would claim there are none.
        Some(Remote::Failed { prev: None, .. }) | None => format!(" {} ", rows.title()),
        Some(r) if r.data().is_none() => format!(" {} ", rows.title()),
        _ => table_title(rows.title(), view.len(), rows.len(), filter),
    };
    // A table without the cursor (a second list on the screen) shows no selection.
    let has_cursor = state.current_table().as_ref() == Some(table);
    let selected = state
        .selected_index(table)
        .filter(|_| has_cursor)
        .and_then(|i| view.iter().position(|&v| v == i));
    let mut block = super::block(title, theme);
    // Where the cursor is; with a filter that leaves nothing, that nothing matched.
    let position = match selected {
        Some(pos) if view.len() > 1 => Some(format!(" {}/{} ", pos + 1, view.len())),
        None if has_cursor && view.is_empty() && !filter.is_empty() && !rows.is_empty() => {
            Some(format!(" no match of {} ", rows.len()))
        }
        _ => None,
    };
    if let Some(position) = position {
        block = block.title_bottom(Line::from(Span::styled(position, theme.dim())).right_aligned());
    }
    let layouts = rows.layouts();
    let empty = if let Some(error) = me_failed {
        let retry = if error.is_transient() {
            format!(" — {}", retry_text(state))
        } else {
            String::new()
        };
        format!("Could not load your workspaces: {error}{retry}")
    } else if let Some(error) = airflow_failure(state, table).filter(|_| rows.is_empty()) {
        // Read from a deployment's Airflow, not Houston: its failure is said the same way.
        format!("Could not load: {error}")
    } else if let Some(loaded) = airflow_loaded.filter(|_| filter.is_empty()) {
        // Airflow's reads are not Houston's: loaded with no rows is "none", not "Loading…".
        if loaded {
            none.to_string()
        } else {
            "Loading…".to_string()
        }
    } else if filter.is_empty() {
        empty_text(remote, none)
    } else {
        format!("No {} matches \"{filter}\"", rows.noun())
    };
    let sort = t.sort.or_else(|| rows.default_sort());
    let env = CellEnv {
        now: state.now,
        system_admin: state.me().is_some_and(|me| me.is_system_admin),
    };
    let tv = TableView {
        block,
        columns: &layouts,
        len: view.len(),
        selected,
        empty,
        sort,
    };
    let live = &state.freshness;
    render_table(frame, area, theme, tv, |r, c| {
        let cell = rows.cell(view[r], c, &env);
        let mut style = theme.look(cell.look);
        // A row whose status just changed (see `app::freshness`).
        if !live.changed.is_empty() && live.recently_changed(rows.key(view[r]), state.now) {
            style = style.patch(theme.changed());
        }
        CellText {
            marks: cell.look == crate::app::tables::Look::Marks,
            text: cell.text,
            style,
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn col(title: &'static str, width: u16, priority: u8, flex: bool) -> Layout {
        Layout {
            title,
            width,
            flex,
            priority,
        }
    }

    #[test]
    fn drops_low_priority_columns_when_narrow() {
        let cols = [
            col("Name", 10, 0, true),
            col("Wide", 30, 2, false),
            col("Status", 10, 0, false),
        ];
        let fitted = fit_columns(&cols, 40);
        assert_eq!(fitted.iter().map(|f| f.0).collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(fitted.iter().map(|f| f.1).sum::<u16>() + 1, 40);
        let wide = fit_columns(&cols, 80);
        assert_eq!(wide.len(), 3);
    }

    #[test]
    fn window_keeps_selection_visible() {
        assert_eq!(window_start(0, 10), 0);
        assert_eq!(window_start(9, 10), 0);
        assert_eq!(window_start(10, 10), 1);
    }
}
