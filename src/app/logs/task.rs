//! A task instance's log in the log view: its tries are the view's tabs (`c`/`C` pick one),
//! the text Airflow gives is split into lines (each line's `[time]` read when it has one),
//! and it is read once per try — a finished try's log does not change; Ctrl-r reads it again.

use super::{Feed, LogView, LogWindow};
use crate::airflow::model::instance_name;
use crate::app::airflow::AirflowRequest;
use crate::app::live::Link;
use crate::houston::model::{DeploymentId, LogLine, Timestamp};

/// Which task instance a log view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TaskSource {
    pub(crate) dag_id: String,
    pub(crate) run_id: String,
    pub(crate) task_id: String,
    /// -1 when the task is not mapped.
    pub(crate) map_index: i64,
}

impl TaskSource {
    /// `extract`, or `extract[3]` for a mapped task's instance.
    pub(crate) fn name(&self) -> String {
        instance_name(&self.task_id, self.map_index)
    }
}

impl LogView {
    /// The log of `task`'s tries 1..=`tries`, the latest shown first.
    pub(crate) fn for_task(
        deployment: DeploymentId,
        task: TaskSource,
        tries: u32,
        capacity: usize,
    ) -> LogView {
        let tries = tries.max(1);
        let mut view = LogView::blank(deployment, capacity, LogWindow::Day);
        view.components = (1..=tries).map(|n| format!("try {n}")).collect();
        view.component = view.components.len() - 1;
        view.after = None;
        view.link = Link::Open;
        view.task = Some(task);
        view
    }

    /// The try shown (1-based).
    pub fn try_number(&self) -> u32 {
        u32::try_from(self.component + 1).unwrap_or(1)
    }

    /// The Airflow read the view waits for, if it shows a task and waits.
    pub(crate) fn task_request(&self) -> Option<AirflowRequest> {
        let task = self.task.as_ref()?;
        (self.feed == Feed::Loading).then(|| AirflowRequest::TaskLog {
            deployment: self.deployment.clone(),
            dag_id: task.dag_id.clone(),
            run_id: task.run_id.clone(),
            task_id: task.task_id.clone(),
            map_index: task.map_index,
            try_number: self.try_number(),
        })
    }

    /// Airflow's answer for the try shown (the view was emptied when the read was sent).
    pub(crate) fn add_task_log(&mut self, text: &str) {
        let try_number = self.try_number();
        self.add_lines(task_lines(text, try_number));
        self.feed = Feed::Read;
    }
}

/// The lines of a task log; a line that starts with Airflow's `[time]` has that time.
pub(crate) fn task_lines(text: &str, try_number: u32) -> Vec<LogLine> {
    text.lines()
        .enumerate()
        .map(|(n, line)| {
            // The time goes to the view's time column, not twice on the line.
            let timestamp = line_time(line);
            let rest = match timestamp.and_then(|_| line.split_once(']')) {
                Some((_, rest)) => rest.trim_start(),
                None => line,
            };
            // So is the level, to the view's level column.
            let (level, message) = match split_level(rest) {
                Some((source, level, message)) => (Some(level), format!("{source} {message}")),
                None => (None, rest.to_string()),
            };
            LogLine {
                id: format!("{try_number}:{n}"),
                timestamp,
                component: None,
                level: level.map(str::to_string),
                message,
            }
        })
        .collect()
}

/// `{taskinstance.py:1157} INFO - Starting`: Airflow's source, level and message.
fn split_level(rest: &str) -> Option<(&str, &str, &str)> {
    let end = rest.strip_prefix('{')?.find("} ")? + 1;
    let (source, after) = rest.split_at(end + 1);
    let (level, message) = after.trim_start().split_once(" - ")?;
    matches!(level, "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL").then_some((
        source.trim_end(),
        level,
        message,
    ))
}

/// `[2026-12-07, 03:00:05 UTC]` (Airflow 2.6+), `[2026-12-07T03:00:05.123+0000]` (older) or
/// `[2026-12-07T03:00:05.123456Z]` (Airflow 3) at the start of a line.
fn line_time(line: &str) -> Option<Timestamp> {
    let inner = line.strip_prefix('[')?;
    let inner = &inner[..inner.find(']')?];
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(inner) {
        return Some(t.to_utc());
    }
    if let Ok(t) = chrono::DateTime::parse_from_str(inner, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Some(t.to_utc());
    }
    let naive = inner.strip_suffix(" UTC")?;
    chrono::NaiveDateTime::parse_from_str(naive, "%Y-%m-%d, %H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airflows_times_are_read_and_other_lines_keep_none() {
        let text = "[2026-12-07, 03:00:05 UTC] {taskinstance.py:1} INFO - Starting\n\
                    Traceback (most recent call last):\n\
                    [2026-12-07T03:00:06.250+0000] {x.py:2} ERROR - boom\n\
                    [2026-12-07T03:00:07.5Z] done";
        let lines = task_lines(text, 2);
        let times: Vec<Option<String>> = lines
            .iter()
            .map(|l| l.timestamp.map(|t| t.format("%H:%M:%S%.3f").to_string()))
            .collect();
        assert_eq!(
            times,
            [
                Some("03:00:05.000".into()),
                None,
                Some("03:00:06.250".into()),
                Some("03:00:07.500".into())
            ]
        );
        assert_eq!(lines[1].id, "2:1");
        assert_eq!(lines[2].message, "{x.py:2} boom");
        assert_eq!(lines[2].level.as_deref(), Some("ERROR"));
        assert_eq!(lines[1].message, "Traceback (most recent call last):");
    }
}
