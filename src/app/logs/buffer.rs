//! The log view's ring buffer: the newest lines of one component, each record once (by id),
//! in arrival order, with the text as it is drawn and a lowercased copy for search and filter.

use std::collections::{HashSet, VecDeque};

use crate::houston::model::{LogLine, Timestamp};

/// A line's severity, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LogLevel {
    Error,
    Warning,
    Info,
    Debug,
    Unknown,
}

impl LogLevel {
    /// From Houston's `level` field, else from the first words of the message.
    pub(crate) fn of(line: &LogLine) -> LogLevel {
        if let Some(level) = line.level.as_deref().map(LogLevel::parse)
            && level != LogLevel::Unknown
        {
            return level;
        }
        let head: String = line.message.chars().take(80).collect();
        let head = head.to_ascii_uppercase();
        for (word, level) in [
            ("ERROR", LogLevel::Error),
            ("CRITICAL", LogLevel::Error),
            ("WARN", LogLevel::Warning),
            ("DEBUG", LogLevel::Debug),
            ("INFO", LogLevel::Info),
        ] {
            if head.contains(word) {
                return level;
            }
        }
        LogLevel::Unknown
    }

    fn parse(level: &str) -> LogLevel {
        match level.trim().to_ascii_uppercase().as_str() {
            "ERROR" | "ERR" | "CRITICAL" | "FATAL" => LogLevel::Error,
            "WARN" | "WARNING" => LogLevel::Warning,
            "INFO" | "NOTICE" => LogLevel::Info,
            "DEBUG" | "TRACE" => LogLevel::Debug,
            _ => LogLevel::Unknown,
        }
    }

    /// The five-column tag shown before the message.
    pub(crate) fn tag(self) -> &'static str {
        match self {
            LogLevel::Error => "ERROR",
            LogLevel::Warning => "WARN ",
            LogLevel::Info => "INFO ",
            LogLevel::Debug => "DEBUG",
            LogLevel::Unknown => "     ",
        }
    }
}

/// One buffered line: its place in arrival order, the record, and the text as displayed.
#[derive(Debug, Clone)]
pub struct Entry {
    pub(crate) seq: u64,
    pub line: LogLine,
    pub(crate) level: LogLevel,
    /// The message with tabs expanded and control characters made visible.
    pub(crate) text: String,
    /// `text` with ASCII letters lowercased (same byte offsets), for search and filter.
    pub(crate) lower: String,
}

impl Entry {
    pub(crate) fn matches(&self, lower_query: &str) -> bool {
        !lower_query.is_empty() && self.lower.contains(lower_query)
    }
}

/// The message as it can be drawn: no tabs, no control characters, no trailing newline.
fn display_text(message: &str) -> String {
    let trimmed = message.trim_end_matches(['\n', '\r']);
    if !trimmed.chars().any(char::is_control) {
        return trimmed.to_string();
    }
    let mut out = String::with_capacity(trimmed.len() + 8);
    for c in trimmed.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�')),
            '\u{7f}' => out.push('␡'),
            c if c.is_control() => out.push('�'),
            c => out.push(c),
        }
    }
    out
}

/// The newest `capacity` lines, deduplicated by record id.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    entries: VecDeque<Entry>,
    ids: HashSet<String>,
    capacity: usize,
    next_seq: u64,
    /// Lines that fell out of the buffer (or never reached it) because it was full.
    pub evicted: u64,
}

impl LogBuffer {
    pub(crate) fn new(capacity: usize) -> Self {
        LogBuffer {
            entries: VecDeque::new(),
            ids: HashSet::new(),
            capacity: capacity.max(1),
            next_seq: 0,
            evicted: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&Entry> {
        self.entries.get(index)
    }

    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &Entry> + ExactSizeIterator {
        self.entries.iter()
    }

    /// The sequence number of the oldest line kept (the next one when empty).
    pub(crate) fn front_seq(&self) -> u64 {
        self.entries.front().map_or(self.next_seq, |e| e.seq)
    }

    /// The entry with sequence number `seq`, if it is still kept.
    pub fn by_seq(&self, seq: u64) -> Option<&Entry> {
        let index = seq.checked_sub(self.front_seq())?;
        self.entries.get(usize::try_from(index).ok()?)
    }

    /// Where `seq` is (or would be) in the buffer: evicted lines map to the front.
    pub(crate) fn index_of(&self, seq: u64) -> usize {
        usize::try_from(seq.saturating_sub(self.front_seq()))
            .unwrap_or(usize::MAX)
            .min(self.entries.len())
    }

    /// Add a line unless a line with its id is already kept. Returns the new entry's
    /// sequence number and, when the buffer was full, the one that fell out.
    pub(crate) fn push(&mut self, line: LogLine) -> Option<(u64, Option<u64>)> {
        // A line without an id cannot be deduplicated: keep it.
        if !line.id.is_empty() && !self.ids.insert(line.id.clone()) {
            return None;
        }
        let mut evicted = None;
        if self.entries.len() >= self.capacity
            && let Some(old) = self.entries.pop_front()
        {
            self.ids.remove(&old.line.id);
            self.evicted += 1;
            evicted = Some(old.seq);
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let text = display_text(&line.message);
        let lower = text.to_ascii_lowercase();
        let level = LogLevel::of(&line);
        self.entries.push_back(Entry {
            seq,
            line,
            level,
            text,
            lower,
        });
        Some((seq, evicted))
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.ids.clear();
        self.evicted = 0;
    }

    /// The newest timestamp among the kept lines.
    pub(crate) fn newest_timestamp(&self) -> Option<Timestamp> {
        self.entries.iter().rev().find_map(|e| e.line.timestamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str, message: &str) -> LogLine {
        LogLine {
            id: id.into(),
            timestamp: None,
            component: Some("scheduler".into()),
            level: None,
            message: message.into(),
        }
    }

    #[test]
    fn ring_buffer_dedupes_and_evicts() {
        let mut b = LogBuffer::new(3);
        assert!(b.push(line("a", "1")).is_some());
        assert!(b.push(line("a", "again")).is_none(), "same id");
        b.push(line("b", "2"));
        b.push(line("c", "3"));
        assert_eq!(b.push(line("d", "4")), Some((3, Some(0))));
        assert_eq!(b.len(), 3);
        assert_eq!(b.evicted, 1);
        assert_eq!(b.get(0).map(|e| e.line.id.as_str()), Some("b"));
        // The evicted id may come back (it is no longer kept).
        assert!(b.push(line("a", "1")).is_some());
        assert_eq!(b.index_of(0), 0);
        assert_eq!(b.by_seq(4).map(|e| e.text.as_str()), Some("1"));
    }

    #[test]
    fn levels_and_display_text() {
        let mut l = line("x", "tab\there\u{1b}[0m\n");
        assert_eq!(display_text(&l.message), "tab    here␛[0m");
        assert_eq!(LogLevel::of(&l), LogLevel::Unknown);
        l.level = Some("warning".into());
        assert_eq!(LogLevel::of(&l), LogLevel::Warning);
        l.level = None;
        l.message = "{taskinstance.py:1} ERROR - boom".into();
        assert_eq!(LogLevel::of(&l), LogLevel::Error);
    }
}
