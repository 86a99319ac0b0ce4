//! The log view's state: a bounded ring buffer of one component's lines (deduplicated by
//! record id, in arrival order), follow mode and the paused position, search and filter, the
//! display toggles, the time window and where the lines come from (backlog query, live
//! stream, polling). Pure: the reducer drives it, the UI reads it.
//!
//! Search and filter are case-insensitive for ASCII letters (byte offsets stay valid for the
//! highlight); the filter hides non-matching lines without dropping them.

mod buffer;
mod task;

use std::collections::VecDeque;

use tui_input::Input;

pub(crate) use buffer::{Entry, LogBuffer, LogLevel};
pub(crate) use task::TaskSource;

use crate::houston::model::{Deployment, DeploymentId, Executor, LogLine, Timestamp};
use crate::houston::request::Request;
use crate::houston::subscription::Subscription;

use super::live::Link;

// The buffer's bounds are the config file's (`log_lines`): `config` owns them.
pub use crate::config::{DEFAULT_LOG_LINES, MAX_LOG_LINES, MIN_LOG_LINES};
/// How often `logs` is polled while the live stream is unavailable.
pub(crate) const LOG_POLL_SECS: i64 = 2;

/// How far back the view loads lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum LogWindow {
    FiveMinutes,
    Hour,
    Day,
}

impl LogWindow {
    pub(crate) fn duration(self) -> chrono::Duration {
        match self {
            LogWindow::FiveMinutes => chrono::Duration::minutes(5),
            LogWindow::Hour => chrono::Duration::hours(1),
            LogWindow::Day => chrono::Duration::days(1),
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            LogWindow::FiveMinutes => "last 5 min",
            LogWindow::Hour => "last hour",
            LogWindow::Day => "last day",
        }
    }

    pub(crate) fn next(self) -> LogWindow {
        match self {
            LogWindow::FiveMinutes => LogWindow::Hour,
            LogWindow::Hour => LogWindow::Day,
            LogWindow::Day => LogWindow::FiveMinutes,
        }
    }
}

/// Where the view's lines come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Feed {
    /// The view is not shown: no request, no stream.
    Idle,
    /// Loading the recent lines (`logs`) before going live.
    Loading,
    /// The recent lines are in; the live stream is wanted (starting or running).
    Live,
    /// The live stream failed: `logs` is polled instead; why.
    Polling { reason: String },
    /// Given up (Houston refused); why.
    Stopped { reason: String },
    /// A task's log, read whole from Airflow (nothing is streamed).
    Read,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PromptKind {
    Search,
    Filter,
}

impl PromptKind {
    pub(crate) fn label(self) -> &'static str {
        match self {
            PromptKind::Search => "Search: /",
            PromptKind::Filter => "Filter: &",
        }
    }
}

/// The search or filter line being typed; Esc puts back what was there before.
#[derive(Debug, Clone)]
pub(crate) struct Prompt {
    pub(crate) kind: PromptKind,
    pub(crate) input: Input,
    pub(crate) before: String,
}

/// Positions in the filtered view: the sequence numbers of the lines that pass the filter.
#[derive(Debug, Clone, Default)]
struct Filtered {
    seqs: VecDeque<u64>,
}

#[derive(Debug, Clone)]
pub struct LogView {
    pub(crate) deployment: DeploymentId,
    /// The component tabs: only those the deployment runs.
    pub components: Vec<String>,
    pub(crate) component: usize,
    pub(crate) window: LogWindow,
    pub buffer: LogBuffer,
    filtered: Option<Filtered>,
    /// Lowercased; empty = every line shows.
    pub filter: String,
    /// Lowercased; empty = no search.
    pub search: String,
    /// The line of the current search match.
    pub current_match: Option<u64>,
    /// The top line while paused; `None` while following the newest lines.
    pub(crate) top: Option<u64>,
    /// Lines (passing the filter) that arrived while paused.
    pub unseen: usize,
    pub(crate) wrap: bool,
    pub(crate) timestamps: bool,
    pub feed: Feed,
    pub link: Link,
    /// The next `logs` request asks for lines newer than this.
    pub(crate) after: Option<Timestamp>,
    pub(crate) prompt: Option<Prompt>,
    /// Lines the stream's inbox dropped before they reached the view.
    pub(crate) dropped: u64,
    /// Something worth knowing about the lines shown (e.g. the recent ones could not load).
    pub(crate) note: Option<String>,
    /// When the live stream last started.
    pub(crate) live_since: Option<Timestamp>,
    /// A save in progress: the file and how many lines go into it.
    pub(crate) saving: Option<(std::path::PathBuf, usize)>,
    /// The task instance whose log this is (its tries are the components); `None` for a
    /// deployment component's log.
    pub(crate) task: Option<TaskSource>,
}

/// The component tabs of a deployment: scheduler and webserver always, workers only with the
/// Celery executor, the triggerer when the deployment has one (or its resources are unknown).
pub(crate) fn components_for(d: &Deployment) -> Vec<String> {
    let mut out = vec!["scheduler".to_string(), "webserver".to_string()];
    if d.executor == Executor::Celery {
        out.push("worker".to_string());
    }
    if d.resources.is_empty() || d.resources.iter().any(|r| r.component == "triggerer") {
        out.push("triggerer".to_string());
    }
    out
}

impl LogView {
    pub(crate) fn new(d: &Deployment, capacity: usize, now: Timestamp) -> Self {
        let window = LogWindow::FiveMinutes;
        let mut view = LogView::blank(d.id.clone(), capacity, window);
        view.components = components_for(d);
        view.after = Some(now - window.duration());
        view
    }

    /// No lines, loading, no components yet.
    fn blank(deployment: DeploymentId, capacity: usize, window: LogWindow) -> Self {
        LogView {
            deployment,
            components: Vec::new(),
            component: 0,
            window,
            buffer: LogBuffer::new(capacity),
            filtered: None,
            filter: String::new(),
            search: String::new(),
            current_match: None,
            top: None,
            unseen: 0,
            wrap: false,
            timestamps: true,
            feed: Feed::Loading,
            link: Link::Connecting,
            after: None,
            prompt: None,
            dropped: 0,
            note: None,
            live_since: None,
            saving: None,
            task: None,
        }
    }

    pub fn component_name(&self) -> &str {
        self.components
            .get(self.component)
            .map_or("scheduler", String::as_str)
    }

    pub fn following(&self) -> bool {
        self.top.is_none()
    }

    // -----------------------------------------------------------------------------------------
    // Where the lines come from

    /// The `logs` request the view needs now: the backlog, or the next poll.
    pub(crate) fn request(&self) -> Option<Request> {
        if self.task.is_some() {
            return None;
        }
        matches!(self.feed, Feed::Loading | Feed::Polling { .. }).then(|| Request::Logs {
            deployment: self.deployment.clone(),
            component: Some(self.component_name().to_string()),
            after: self.after,
        })
    }

    /// The live stream the view wants now, if any.
    pub(crate) fn subscription(&self) -> Option<Subscription> {
        (self.feed == Feed::Live && self.task.is_none()).then(|| Subscription::Log {
            deployment: self.deployment.clone(),
            component: Some(self.component_name().to_string()),
            after: self.after,
            search: None,
        })
    }

    /// Everything goes; lines of the window are loaded again (another component or window).
    pub(crate) fn reload(&mut self, now: Timestamp) {
        self.buffer.clear();
        self.filtered = (!self.filter.is_empty()).then(Filtered::default);
        self.top = None;
        self.unseen = 0;
        self.current_match = None;
        self.dropped = 0;
        self.note = None;
        self.after = Some(now - self.window.duration());
        self.feed = Feed::Loading;
        self.link = Link::Connecting;
    }

    /// The view shows again after a while away: load what was missed, then go live.
    pub(crate) fn resume(&mut self, now: Timestamp) {
        self.after = self.resume_point().or(Some(now - self.window.duration()));
        self.feed = Feed::Loading;
        self.link = Link::Connecting;
    }

    /// The view is not shown: no request, no stream.
    pub(crate) fn pause_feed(&mut self) {
        self.feed = Feed::Idle;
        self.prompt = None;
    }

    /// Just before the newest line: the next request repeats it (deduplicated) rather than
    /// miss a line written in the same millisecond.
    fn resume_point(&self) -> Option<Timestamp> {
        self.buffer
            .newest_timestamp()
            .map(|t| t - chrono::Duration::milliseconds(1))
    }

    /// Lines from `logs` or the stream: added in arrival order, duplicates skipped. Returns
    /// how many new lines pass the filter.
    pub(crate) fn add_lines(&mut self, lines: impl IntoIterator<Item = LogLine>) -> usize {
        let mut shown = 0;
        for line in lines {
            let Some((seq, evicted)) = self.buffer.push(line) else {
                continue;
            };
            if let Some(filtered) = &mut self.filtered {
                if let Some(gone) = evicted
                    && filtered.seqs.front() == Some(&gone)
                {
                    filtered.seqs.pop_front();
                }
                let passes = self
                    .buffer
                    .by_seq(seq)
                    .is_some_and(|e| e.matches(&self.filter));
                if passes {
                    filtered.seqs.push_back(seq);
                    shown += 1;
                }
            } else {
                shown += 1;
            }
        }
        if !self.following() {
            self.unseen += shown;
        }
        if let Some(point) = self.resume_point() {
            self.after = Some(point);
        }
        shown
    }

    // -----------------------------------------------------------------------------------------
    // The view: the lines that pass the filter

    pub fn view_len(&self) -> usize {
        match &self.filtered {
            Some(f) => f.seqs.len(),
            None => self.buffer.len(),
        }
    }

    pub(crate) fn view_entry(&self, pos: usize) -> Option<&Entry> {
        match &self.filtered {
            Some(f) => self.buffer.by_seq(*f.seqs.get(pos)?),
            None => self.buffer.get(pos),
        }
    }

    /// The position of line `seq` in the view, or of the first line after it.
    pub(crate) fn view_pos(&self, seq: u64) -> usize {
        match &self.filtered {
            Some(f) => f.seqs.partition_point(|s| *s < seq),
            None => self.buffer.index_of(seq),
        }
    }

    fn seq_at(&self, pos: usize) -> Option<u64> {
        self.view_entry(pos).map(|e| e.seq)
    }

    /// The view position of the top line for a page of `page` lines.
    pub fn top_pos(&self, page: usize) -> usize {
        let last_page = self.view_len().saturating_sub(page.max(1));
        match self.top {
            None => last_page,
            Some(seq) => self.view_pos(seq).min(last_page),
        }
    }

    /// Every line of the view, oldest first.
    pub(crate) fn view(&self) -> impl Iterator<Item = &Entry> {
        (0..self.view_len()).filter_map(|pos| self.view_entry(pos))
    }

    // -----------------------------------------------------------------------------------------
    // Moving

    /// Stop following; the top line stays where it is on screen.
    fn pause_at(&mut self, pos: usize) {
        if self.top.is_none() {
            self.unseen = 0;
        }
        self.top = self
            .seq_at(pos)
            .or(self.top)
            .or(Some(self.buffer.front_seq()));
    }

    /// Scroll by `delta` lines (negative: up, which pauses follow mode).
    pub(crate) fn scroll(&mut self, delta: isize, page: usize) {
        if self.following() && delta >= 0 {
            return;
        }
        let top = self.top_pos(page);
        let last_page = self.view_len().saturating_sub(page.max(1));
        let target = top.saturating_add_signed(delta).min(last_page);
        self.pause_at(target);
    }

    pub(crate) fn jump_to_top(&mut self) {
        self.pause_at(0);
    }

    /// Follow the newest lines again.
    pub(crate) fn follow(&mut self) {
        self.top = None;
        self.unseen = 0;
    }

    /// Put view position `pos` on screen (a third down the page) and pause there.
    fn show(&mut self, pos: usize, page: usize) {
        self.pause_at(pos.saturating_sub(page / 3));
    }

    // -----------------------------------------------------------------------------------------
    // Search and filter

    pub(crate) fn set_search(&mut self, query: &str) {
        self.search = query.to_ascii_lowercase();
        self.current_match = None;
    }

    /// The view positions of every match, oldest first.
    pub(crate) fn match_positions(&self) -> Vec<usize> {
        if self.search.is_empty() {
            return Vec::new();
        }
        self.view()
            .enumerate()
            .filter(|(_, e)| e.matches(&self.search))
            .map(|(pos, _)| pos)
            .collect()
    }

    /// Jump to the newest match. Returns (its number, how many) or `None` when nothing matches.
    pub(crate) fn jump_to_newest_match(&mut self, page: usize) -> Option<(usize, usize)> {
        let matches = self.match_positions();
        let &pos = matches.last()?;
        self.current_match = self.seq_at(pos);
        self.show(pos, page);
        Some((matches.len(), matches.len()))
    }

    /// `n` (newer) / `N` (older) from the current match, or from the top of the page.
    /// Returns (its number, how many) or `None` when there is none that way.
    pub(crate) fn jump_to_match(&mut self, newer: bool, page: usize) -> Option<(usize, usize)> {
        let matches = self.match_positions();
        let current = self
            .current_match
            .map(|seq| (seq, self.view_pos(seq)))
            .filter(|&(seq, pos)| self.view_entry(pos).is_some_and(|e| e.seq == seq))
            .map(|(_, pos)| pos);
        let top = self.top_pos(page);
        let index = match (newer, current) {
            (true, Some(cur)) => matches.partition_point(|&p| p <= cur),
            (true, None) => matches.partition_point(|&p| p < top),
            (false, Some(cur)) => matches.partition_point(|&p| p < cur).checked_sub(1)?,
            (false, None) => matches.partition_point(|&p| p < top).checked_sub(1)?,
        };
        let &pos = matches.get(index)?;
        self.current_match = self.seq_at(pos);
        self.show(pos, page);
        Some((index + 1, matches.len()))
    }

    /// Show only lines containing `query` (empty: all). The top line stays put where it can.
    pub(crate) fn set_filter(&mut self, query: &str) {
        let lower = query.to_ascii_lowercase();
        if lower == self.filter {
            return;
        }
        self.filter = lower;
        self.filtered = (!self.filter.is_empty()).then(|| Filtered {
            seqs: self
                .buffer
                .iter()
                .filter(|e| e.matches(&self.filter))
                .map(|e| e.seq)
                .collect(),
        });
    }

    // -----------------------------------------------------------------------------------------
    // Saving

    /// The lines the view shows (all of them, not only the page), as text: the full UTC
    /// timestamp, the level and the message.
    pub(crate) fn visible_text(&self) -> String {
        let mut out = String::new();
        for e in self.view() {
            if let Some(t) = e.line.timestamp {
                out.push_str(&t.format("%Y-%m-%dT%H:%M:%S%.3fZ ").to_string());
            }
            out.push_str(e.level.tag());
            out.push(' ');
            out.push_str(&e.text);
            out.push('\n');
        }
        out
    }
}
