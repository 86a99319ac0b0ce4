//! A data table that stays fast at any size: only the rows in the window are built; columns are
//! dropped by priority on narrow terminals, and long text is cut with `…`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, Wrap};

use super::format::truncate;
use super::theme::Theme;

const SPACING: u16 = 1;

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub title: &'static str,
    /// Minimum (and, unless `flex`, exact) width.
    pub width: u16,
    /// Takes a share of the width left over.
    pub flex: bool,
    /// 0 is always shown; higher numbers are dropped first when space runs out.
    pub priority: u8,
}

pub const fn col(title: &'static str, width: u16, priority: u8) -> Column {
    Column {
        title,
        width,
        flex: false,
        priority,
    }
}

pub const fn flex(title: &'static str, width: u16, priority: u8) -> Column {
    Column {
        title,
        width,
        flex: true,
        priority,
    }
}

/// A cell's text and style.
pub struct CellText {
    pub text: String,
    pub style: Style,
}

impl CellText {
    pub fn plain(text: impl Into<String>) -> Self {
        CellText {
            text: text.into(),
            style: Style::new(),
        }
    }
    pub fn styled(text: impl Into<String>, style: Style) -> Self {
        CellText {
            text: text.into(),
            style,
        }
    }
}

/// Which columns fit in `available` columns and how wide each is, in the original order.
pub fn fit_columns(columns: &[Column], available: u16) -> Vec<(usize, u16)> {
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
pub fn window_start(selected: usize, height: usize) -> usize {
    if height == 0 || selected < height {
        0
    } else {
        selected + 1 - height
    }
}

pub struct TableView<'a> {
    pub block: Block<'a>,
    pub columns: &'a [Column],
    /// Number of (filtered) rows.
    pub len: usize,
    pub selected: Option<usize>,
    /// Shown instead of rows when there are none.
    pub empty: String,
}

/// Draw a table, asking `cell(row, column)` only for the rows that are on screen.
pub fn render_table(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    view: TableView<'_>,
    cell: impl Fn(usize, usize) -> CellText,
) {
    let inner = view.block.inner(area);
    frame.render_widget(view.block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let fitted = fit_columns(view.columns, inner.width);
    let header = Row::new(
        fitted
            .iter()
            .map(|&(i, w)| Line::from(truncate(view.columns[i].title, usize::from(w)))),
    )
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
                Span::styled(truncate(&cell.text, usize::from(w)), cell.style)
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
pub fn table_title(name: &str, shown: usize, total: usize, filter: &str) -> String {
    if filter.is_empty() {
        format!(" {name} ({total}) ")
    } else {
        format!(" {name} ({shown} of {total} · filter \"{filter}\") ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_low_priority_columns_when_narrow() {
        let cols = [
            flex("Name", 10, 0),
            col("Wide", 30, 2),
            col("Status", 10, 0),
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
