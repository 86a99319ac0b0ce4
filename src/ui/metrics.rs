//! The Metrics tab: Houston's `metrics` series as the web UI's Metrics tab shows them — the
//! scheduler's heartbeat, tasks, database connections, reserved CPU, memory and pods against
//! the quota, and CPU and memory usage over the window — as sparklines, gauges and a chart.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, LineGauge, Paragraph, Sparkline};

use super::format::age;
use super::theme::Theme;
use super::{block, placeholder};
use crate::app::live::Link;
use crate::app::metrics::{MetricsFeed, MetricsView, Snapshot};
use crate::app::state::AppState;
use crate::houston::metrics::Point;
use crate::houston::model::{DeploymentId, Timestamp};

/// Columns of the section name, the series name and its newest value.
const SECTION: u16 = 11;
const NAME: u16 = 12;
const VALUE: u16 = 10;
/// The chart needs at least this many rows to be worth drawing; below, one line says it.
const MIN_CHART_ROWS: u16 = 9;

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    id: &DeploymentId,
) {
    let Some(view) = state.live.metrics_view(id) else {
        frame.render_widget(block(" Metrics ", theme), area);
        placeholder(
            frame,
            block("", theme).inner(area),
            " Loading…".into(),
            theme,
        );
        return;
    };
    let title = Line::from(vec![
        Span::styled(" Metrics ", theme.title()),
        Span::styled(format!("· last {} ", view.window.label()), theme.dim()),
    ]);
    let status = status(view, state.now, theme);
    let outer = block("", theme)
        .title_top(title)
        .title_top(status.right_aligned());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let Some(snapshot) = &view.snapshot else {
        placeholder(frame, inner, waiting_text(view, state.now), theme);
        return;
    };
    draw_snapshot(frame, inner, snapshot, view, theme);
}

fn status<'a>(view: &MetricsView, now: Timestamp, theme: &Theme) -> Line<'a> {
    let (text, style) = match (&view.feed, view.link, &view.snapshot) {
        (MetricsFeed::Idle, ..) => (String::new(), theme.dim()),
        (MetricsFeed::Live, Link::Open, Some(s)) => (
            format!(
                "● live · updated {} · {} update{}",
                age(now, s.at),
                view.updates,
                if view.updates == 1 { "" } else { "s" }
            ),
            theme.info(),
        ),
        (MetricsFeed::Live, Link::Open, None) => ("● live".to_string(), theme.info()),
        (MetricsFeed::Live, Link::Connecting, _) => ("◌ connecting…".to_string(), theme.dim()),
        (MetricsFeed::Retrying { at, .. }, ..) => (
            format!("⟳ retrying in {}s", (*at - now).num_seconds().max(0)),
            theme.warning(),
        ),
        (MetricsFeed::Unavailable { .. }, ..) => ("✗ unavailable".to_string(), theme.error()),
        (MetricsFeed::NotOffered { .. }, ..) => ("not available".to_string(), theme.dim()),
    };
    Line::from(Span::styled(format!(" {text} "), style))
}

fn waiting_text(view: &MetricsView, now: Timestamp) -> String {
    match &view.feed {
        MetricsFeed::Retrying { reason, at } => format!(
            " The metrics stream was lost ({reason}); retrying in {}s",
            (*at - now).num_seconds().max(0)
        ),
        MetricsFeed::Unavailable { reason } => format!(" No metrics: {reason}"),
        MetricsFeed::NotOffered { reason } => format!(" {reason}"),
        _ if view.link == Link::Open => " Waiting for the first metrics…".to_string(),
        _ => " Connecting to Houston's metrics stream…".to_string(),
    }
}

/// Colours, or none (`NO_COLOR`): then the bars and lines tell themselves apart by symbol.
struct Palette {
    mono: bool,
}

impl Palette {
    fn fg(&self, c: Color) -> Style {
        if self.mono {
            Style::new()
        } else {
            Style::new().fg(c)
        }
    }
}

fn draw_snapshot(frame: &mut Frame, area: Rect, s: &Snapshot, view: &MetricsView, theme: &Theme) {
    let p = Palette { mono: theme.mono };
    let rows = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(4),
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Fill(1),
    ])
    .split(area);

    // Scheduler: the heartbeat series and what is wrong, if anything.
    spark_row(
        frame,
        row(rows[0], 0),
        "Scheduler",
        "heartbeat",
        s.latest_total("heartbeat")
            .map(|v| format!("{}/min", number(v))),
        &s.total("heartbeat"),
        p.fg(Color::Cyan),
        theme,
    );
    line_row(frame, row(rows[0], 1), "", health(s, theme), theme);

    // Tasks.
    let tasks = [
        ("running", "runningTasks", Color::Cyan),
        ("queued", "queuedTasks", Color::Blue),
        ("failed", "failedTasks", Color::Red),
        ("succeeded", "successfulTasks", Color::Green),
    ];
    for (i, (name, label, color)) in tasks.into_iter().enumerate() {
        spark_row(
            frame,
            row(rows[1], i as u16),
            if i == 0 { "Tasks" } else { "" },
            name,
            s.latest_total(label).map(number),
            &s.total(label),
            p.fg(color),
            theme,
        );
    }

    // Database.
    let database = [
        ("connections", "totalDatabaseConnections"),
        ("waiting", "totalWaitingClients"),
    ];
    for (i, (name, label)) in database.into_iter().enumerate() {
        spark_row(
            frame,
            row(rows[2], i as u16),
            if i == 0 { "Database" } else { "" },
            name,
            s.latest_total(label).map(number),
            &s.total(label),
            p.fg(Color::Magenta),
            theme,
        );
    }

    // What the deployment reserves against its namespace's quota.
    let gib = |bytes: f64| bytes / 1_073_741_824.0;
    let quotas = [
        (
            "CPU",
            "reservedCPU",
            s.latest_total("cpuMax")
                .map(|cores| format!("of {} cores", number(cores))),
        ),
        (
            "memory",
            "reservedMemory",
            s.latest_total("memoryMax")
                .map(|bytes| format!("of {} GiB", number(gib(bytes)))),
        ),
        (
            "pods",
            "runningPods",
            s.latest_total("maxPods")
                .map(|pods| format!("of {} pods", number(pods))),
        ),
    ];
    for (i, (name, label, of)) in quotas.into_iter().enumerate() {
        gauge_row(
            frame,
            row(rows[3], i as u16),
            if i == 0 { "Quota" } else { "" },
            name,
            s.latest_total(label),
            of,
            &p,
            theme,
        );
    }

    if rows[4].height >= MIN_CHART_ROWS {
        usage_chart(frame, rows[4], s, view, &p, theme);
    } else {
        line_row(frame, row(rows[4], 0), "Usage", usage_text(s, theme), theme);
    }
}

/// Row `i` of `area`, if it has one.
fn row(area: Rect, i: u16) -> Rect {
    if i >= area.height {
        return Rect { height: 0, ..area };
    }
    Rect {
        y: area.y + i,
        height: 1,
        ..area
    }
}

/// `Section  name  value` and the rest of the row for a widget.
fn label_cells(
    frame: &mut Frame,
    area: Rect,
    section: &str,
    name: &str,
    value: &str,
    theme: &Theme,
) -> Rect {
    let [section_area, name_area, value_area, rest] = Layout::horizontal([
        Constraint::Length(SECTION),
        Constraint::Length(NAME),
        Constraint::Length(VALUE),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(format!(" {section}"), theme.title())),
        section_area,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(name.to_string(), theme.dim())),
        name_area,
    );
    frame.render_widget(
        Paragraph::new(Line::from(Span::raw(format!(
            "{value:>w$} ",
            w = usize::from(VALUE) - 1
        )))),
        value_area,
    );
    rest
}

#[allow(clippy::too_many_arguments)]
fn spark_row(
    frame: &mut Frame,
    area: Rect,
    section: &str,
    name: &str,
    value: Option<String>,
    points: &[Point],
    style: Style,
    theme: &Theme,
) {
    if area.height == 0 {
        return;
    }
    let rest = label_cells(
        frame,
        area,
        section,
        name,
        value.as_deref().unwrap_or("—"),
        theme,
    );
    if points.is_empty() || rest.width == 0 {
        return;
    }
    // The newest points that fit, scaled to integers (the widget draws u64 bars).
    let shown = &points[points.len().saturating_sub(usize::from(rest.width))..];
    let max = shown.iter().map(|p| p.value).fold(0.0_f64, f64::max);
    let data: Vec<u64> = shown
        .iter()
        .map(|p| (p.value.max(0.0) * 1000.0).round() as u64)
        .collect();
    let sparkline = Sparkline::default()
        .data(&data)
        .max(((max * 1000.0).round() as u64).max(1))
        .style(style);
    frame.render_widget(sparkline, rest);
}

#[allow(clippy::too_many_arguments)]
fn gauge_row(
    frame: &mut Frame,
    area: Rect,
    section: &str,
    name: &str,
    percent: Option<f64>,
    of: Option<String>,
    p: &Palette,
    theme: &Theme,
) {
    if area.height == 0 {
        return;
    }
    let value = percent.map_or_else(|| "—".to_string(), |v| format!("{v:.0}%"));
    let rest = label_cells(frame, area, section, name, &value, theme);
    let Some(percent) = percent else {
        return;
    };
    let ratio = (percent / 100.0).clamp(0.0, 1.0);
    // Past 90 % of the quota the next deploy may not fit: warn.
    let color = if ratio >= 0.9 {
        Color::Red
    } else if ratio >= 0.75 {
        Color::Yellow
    } else {
        Color::Green
    };
    let gauge = LineGauge::default()
        .ratio(ratio)
        .label(Span::styled(
            format!("{} ", of.unwrap_or_default()),
            theme.dim(),
        ))
        .filled_symbol("█")
        .unfilled_symbol("░")
        .filled_style(p.fg(color))
        .unfilled_style(theme.dim());
    frame.render_widget(gauge, rest);
}

/// The newest CPU and memory use in words, for when there is no room (or no history) for the
/// chart.
fn usage_text<'a>(s: &Snapshot, theme: &Theme) -> Line<'a> {
    let text = match (s.latest_mean("cpuUsage"), s.latest_mean("memoryUsage")) {
        (Some(c), Some(m)) => format!("CPU {c:.0}%, memory {m:.0}% (mean per pod, of its limits)"),
        _ => "—".to_string(),
    };
    Line::from(Span::styled(text, theme.dim()))
}

/// A row with a text instead of a widget.
fn line_row(frame: &mut Frame, area: Rect, section: &str, text: Line<'_>, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let [section_area, rest] =
        Layout::horizontal([Constraint::Length(SECTION + NAME), Constraint::Fill(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(format!(" {section}"), theme.title())),
        section_area,
    );
    frame.render_widget(Paragraph::new(text), rest);
}

/// Heartbeat and containers in words: `● heartbeat OK · core containers running` or what is
/// wrong (`✗ no heartbeat · scheduler: CrashLoopBackOff`).
fn health<'a>(s: &Snapshot, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    match s.latest_total("schedulerHeartbeat") {
        Some(rate) if rate > 0.0 => spans.push(Span::styled("● heartbeat OK", theme.info())),
        Some(_) => spans.push(Span::styled("✗ no heartbeat", theme.error())),
        None => spans.push(Span::styled("heartbeat —", theme.dim())),
    }
    let failing: Vec<String> = s
        .series("coreContainerStatus")
        .iter()
        .filter(|series| series.latest().is_some_and(|v| v > 0.0))
        .filter_map(|series| {
            let container = series.label("container")?;
            Some(match series.label("reason") {
                Some(reason) => format!("{container}: {reason}"),
                None => return None,
            })
        })
        .collect();
    spans.push(Span::styled(" · ", theme.dim()));
    if failing.is_empty() {
        let known = s.has("coreContainerStatus");
        spans.push(Span::styled(
            if known {
                "core containers running"
            } else {
                "containers —"
            },
            theme.dim(),
        ));
    } else {
        spans.push(Span::styled(failing.join(", "), theme.error()));
    }
    Line::from(spans)
}

/// CPU and memory use over the window: the mean over the deployment's pods, in percent of
/// their limits.
fn usage_chart(
    frame: &mut Frame,
    area: Rect,
    s: &Snapshot,
    view: &MetricsView,
    p: &Palette,
    theme: &Theme,
) {
    let pairs = |points: Vec<Point>| -> Vec<(f64, f64)> {
        points.into_iter().map(|p| (p.at, p.value)).collect()
    };
    let cpu = pairs(s.mean("cpuUsage"));
    let memory = pairs(s.mean("memoryUsage"));
    let (first, last) = cpu
        .iter()
        .chain(&memory)
        .map(|(t, _)| *t)
        .fold((f64::MAX, f64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
    if first >= last {
        let text = match (s.latest_mean("cpuUsage"), s.latest_mean("memoryUsage")) {
            (Some(c), Some(m)) => {
                format!(" Usage: CPU {c:.0}%, memory {m:.0}% of the pods' limits")
            }
            _ => " Usage: —".to_string(),
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), area);
        return;
    }
    let cpu_name = match s.latest_mean("cpuUsage") {
        Some(v) => format!("CPU {v:.0}%"),
        None => "CPU".into(),
    };
    let memory_name = match s.latest_mean("memoryUsage") {
        Some(v) => format!("memory {v:.0}%"),
        None => "memory".into(),
    };
    let datasets = vec![
        Dataset::default()
            .name(cpu_name)
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(p.fg(Color::Cyan))
            .data(&cpu),
        Dataset::default()
            .name(memory_name)
            .marker(if p.mono { Marker::Dot } else { Marker::Braille })
            .graph_type(GraphType::Line)
            .style(p.fg(Color::Magenta))
            .data(&memory),
    ];
    let axis_style = theme.dim();
    let chart = Chart::new(datasets)
        .block(block("", theme).title_top(Line::from(Span::styled(
            " Usage, mean per pod (% of its limits) ",
            theme.title().add_modifier(Modifier::BOLD),
        ))))
        .x_axis(
            Axis::default()
                .style(axis_style)
                .bounds([first, last])
                .labels([
                    Span::raw(format!("-{}", view.window.label())),
                    Span::raw("now"),
                ]),
        )
        .y_axis(
            Axis::default()
                .style(axis_style)
                .bounds([0.0, 100.0])
                .labels([Span::raw("0%"), Span::raw("50%"), Span::raw("100%")]),
        );
    frame.render_widget(chart, area);
}

/// A value with two significant digits below 10 and no trailing zeros: `0.002`, `0.4`, `2.4`,
/// `11.3`, `140`.
fn number(v: f64) -> String {
    let a = v.abs();
    let text = if a == 0.0 || a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        // Digits after the point for two significant ones, at most four.
        let decimals = ((-a.log10()).ceil() as usize + 1).clamp(1, 4);
        format!("{v:.decimals$}")
    };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_are_short() {
        let shown: Vec<String> = [0.0, 0.002, 0.06, 0.4, 2.4, 2.18, 11.34, 140.2, 12.0, -0.5]
            .into_iter()
            .map(number)
            .collect();
        assert_eq!(
            shown,
            [
                "0", "0.002", "0.06", "0.4", "2.4", "2.2", "11.3", "140", "12", "-0.5"
            ]
        );
    }
}
