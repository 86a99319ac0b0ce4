//! Live streams off the UI task: one tokio task per subscription, owning its socket, and the
//! inbox that carries what they receive to the event loop. The inbox is bounded and coalescing:
//! log lines pile up per stream (the oldest are dropped beyond [`MAX_PENDING_LINES`]), a newer
//! metrics snapshot replaces an older one, and the loop takes everything in one batch at most
//! every [`BATCH_INTERVAL`] — so a flood of lines costs a few frames a second and never delays
//! a key press.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::houston::metrics::Metric;
use crate::houston::model::{DeploymentStatus, LogLine};
use crate::houston::subscription::{StreamItem, Subscription};
use crate::houston::{ApiError, HoustonClient};

/// Which subscription an event belongs to (issued by the reducer, never reused).
pub type StreamId = u64;

/// Log lines one stream may have waiting; beyond that the oldest go (the log view keeps
/// fewer than that anyway).
pub(crate) const MAX_PENDING_LINES: usize = 20_000;

/// The shortest time between two batches: at most 25 stream-driven frames a second.
pub(crate) const BATCH_INTERVAL: Duration = Duration::from_millis(40);

/// What a stream reports, as the reducer sees it (`Msg::Stream`).
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// The socket is open and the subscription started.
    Started,
    /// New log lines, oldest first; `dropped` older ones did not fit the inbox.
    Lines { lines: Vec<LogLine>, dropped: usize },
    /// The newest metrics snapshot (older undelivered ones were replaced by it).
    Metrics(Vec<Metric>),
    /// The deployment's health changed.
    Status(DeploymentStatus),
    /// The stream could not start or broke; it is over.
    Failed(ApiError),
    /// Houston ended the stream (`complete`, e.g. after its 20-minute limit).
    Ended,
}

/// What one stream has waiting.
#[derive(Debug, Default)]
struct Pending {
    started: bool,
    lines: VecDeque<LogLine>,
    dropped: usize,
    metrics: Option<Vec<Metric>>,
    status: Option<DeploymentStatus>,
    end: Option<StreamEvent>,
}

impl Pending {
    fn into_events(self) -> impl Iterator<Item = StreamEvent> {
        let lines = (!self.lines.is_empty() || self.dropped > 0).then(|| StreamEvent::Lines {
            lines: self.lines.into(),
            dropped: self.dropped,
        });
        [
            self.started.then_some(StreamEvent::Started),
            lines,
            self.metrics.map(StreamEvent::Metrics),
            self.status.map(StreamEvent::Status),
            self.end,
        ]
        .into_iter()
        .flatten()
    }
}

#[derive(Default)]
struct Shared {
    pending: Mutex<BTreeMap<StreamId, Pending>>,
    notify: Notify,
}

/// The stream tasks' mailbox to the event loop. Cheap to clone.
#[derive(Clone, Default)]
pub struct Inbox {
    shared: Arc<Shared>,
}

impl Inbox {
    fn pending(&self) -> MutexGuard<'_, BTreeMap<StreamId, Pending>> {
        // A task that panicked mid-push leaves consistent data behind: keep going.
        self.shared
            .pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn with(&self, id: StreamId, f: impl FnOnce(&mut Pending)) {
        f(self.pending().entry(id).or_default());
        self.shared.notify.notify_one();
    }

    pub(crate) fn started(&self, id: StreamId) {
        self.with(id, |p| p.started = true);
    }

    pub fn line(&self, id: StreamId, line: LogLine) {
        self.with(id, |p| {
            if p.lines.len() >= MAX_PENDING_LINES {
                p.lines.pop_front();
                p.dropped += 1;
            }
            p.lines.push_back(line);
        });
    }

    pub(crate) fn metrics(&self, id: StreamId, metrics: Vec<Metric>) {
        self.with(id, |p| p.metrics = Some(metrics));
    }

    pub(crate) fn status(&self, id: StreamId, status: DeploymentStatus) {
        self.with(id, |p| p.status = Some(status));
    }

    /// The stream is over (`Failed` or `Ended`).
    pub(crate) fn end(&self, id: StreamId, event: StreamEvent) {
        self.with(id, |p| p.end = Some(event));
    }

    /// Drop what a stream that was stopped still had waiting.
    pub(crate) fn forget(&self, id: StreamId) {
        self.pending().remove(&id);
    }

    pub fn has_pending(&self) -> bool {
        !self.pending().is_empty()
    }

    /// Everything waiting, per stream in id order, each stream's events in the order they
    /// happened (started, lines, snapshot, status, end).
    pub(crate) fn drain(&self) -> Vec<(StreamId, StreamEvent)> {
        let pending = std::mem::take(&mut *self.pending());
        pending
            .into_iter()
            .flat_map(|(id, p)| p.into_events().map(move |e| (id, e)))
            .collect()
    }

    /// Wait for something to arrive, no sooner than `pacer` allows, and take it all.
    /// Cancel-safe: nothing is taken until it returns.
    pub async fn next_batch(&self, pacer: &mut Pacer) -> Vec<(StreamId, StreamEvent)> {
        loop {
            if !self.has_pending() {
                self.shared.notify.notified().await;
            }
            pacer.wait().await;
            let batch = self.drain();
            if !batch.is_empty() {
                pacer.mark();
                return batch;
            }
        }
    }
}

/// Spaces batches at least `interval` apart.
#[derive(Debug, Clone)]
pub struct Pacer {
    interval: Duration,
    last: Option<Instant>,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new(BATCH_INTERVAL)
    }
}

impl Pacer {
    pub(crate) fn new(interval: Duration) -> Self {
        Pacer {
            interval,
            last: None,
        }
    }

    async fn wait(&self) {
        if let Some(last) = self.last {
            tokio::time::sleep_until(last + self.interval).await;
        }
    }

    fn mark(&mut self) {
        self.last = Some(Instant::now());
    }
}

struct Running {
    /// Dropping or firing it makes the task stop its subscription politely.
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

/// Starts and stops the stream tasks (`Effect::Subscribe` / `Effect::Unsubscribe`).
#[derive(Default)]
pub struct StreamManager {
    inbox: Inbox,
    running: HashMap<StreamId, Running>,
}

impl StreamManager {
    pub fn inbox(&self) -> Inbox {
        self.inbox.clone()
    }

    /// Start `subscription` with `client`'s endpoint and token; what it receives goes to the
    /// inbox under `id`.
    pub fn subscribe(&mut self, client: &HoustonClient, id: StreamId, subscription: Subscription) {
        let (stop, stop_rx) = oneshot::channel();
        let task = tokio::spawn(run_stream(
            client.clone(),
            self.inbox.clone(),
            id,
            subscription,
            stop_rx,
        ));
        if let Some(old) = self.running.insert(
            id,
            Running {
                stop: Some(stop),
                task,
            },
        ) {
            old.task.abort();
        }
    }

    /// Stop stream `id`; anything it still had waiting is dropped.
    pub fn unsubscribe(&mut self, id: StreamId) {
        if let Some(mut running) = self.running.remove(&id)
            && let Some(stop) = running.stop.take()
        {
            let _ = stop.send(());
        }
        self.inbox.forget(id);
    }

    /// Forget finished tasks.
    pub(crate) fn reap(&mut self) {
        self.running.retain(|_, r| !r.task.is_finished());
    }

    /// Streams whose task still runs.
    pub fn running(&self) -> usize {
        self.running
            .values()
            .filter(|r| !r.task.is_finished())
            .count()
    }
}

impl Drop for StreamManager {
    fn drop(&mut self) {
        for (_, running) in self.running.drain() {
            running.task.abort();
        }
    }
}

/// One subscription's life: connect, forward every item, report how it ended.
async fn run_stream(
    client: HoustonClient,
    inbox: Inbox,
    id: StreamId,
    subscription: Subscription,
    mut stop: oneshot::Receiver<()>,
) {
    let mut stream = tokio::select! {
        started = client.subscribe(subscription) => match started {
            Ok(stream) => stream,
            Err(e) => return inbox.end(id, StreamEvent::Failed(e)),
        },
        _ = &mut stop => return,
    };
    inbox.started(id);
    loop {
        tokio::select! {
            item = stream.next() => match item {
                Some(Ok(StreamItem::Log(line))) => inbox.line(id, line),
                Some(Ok(StreamItem::Metrics(metrics))) => inbox.metrics(id, metrics),
                Some(Ok(StreamItem::Status(status))) => inbox.status(id, status),
                Some(Err(e)) => return inbox.end(id, StreamEvent::Failed(e)),
                None => return inbox.end(id, StreamEvent::Ended),
            },
            _ = &mut stop => {
                stream.stop().await;
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str) -> LogLine {
        LogLine {
            id: id.into(),
            timestamp: None,
            component: None,
            level: None,
            message: format!("line {id}"),
        }
    }

    #[test]
    fn coalesces_and_bounds() {
        let inbox = Inbox::default();
        inbox.started(2);
        for i in 0..MAX_PENDING_LINES + 5 {
            inbox.line(2, line(&i.to_string()));
        }
        inbox.metrics(1, vec![]);
        inbox.metrics(
            1,
            vec![Metric {
                label: "newer".into(),
                series: vec![],
            }],
        );
        inbox.end(1, StreamEvent::Ended);
        let batch = inbox.drain();
        assert_eq!(batch.len(), 4, "{:?}", &batch[..1]);
        assert_eq!(
            batch[0],
            (
                1,
                StreamEvent::Metrics(vec![Metric {
                    label: "newer".into(),
                    series: vec![]
                }])
            )
        );
        assert_eq!(batch[1], (1, StreamEvent::Ended));
        assert_eq!(batch[2], (2, StreamEvent::Started));
        match &batch[3] {
            (2, StreamEvent::Lines { lines, dropped }) => {
                assert_eq!(*dropped, 5);
                assert_eq!(lines.len(), MAX_PENDING_LINES);
                assert_eq!(lines[0].id, "5", "the oldest went");
            }
            other => panic!("{other:?}"),
        }
        assert!(!inbox.has_pending());
        inbox.line(3, line("x"));
        inbox.forget(3);
        assert!(inbox.drain().is_empty());
    }

    #[tokio::test]
    async fn batches_are_paced() {
        let inbox = Inbox::default();
        let mut pacer = Pacer::new(Duration::from_millis(30));
        inbox.line(1, line("a"));
        let first = inbox.next_batch(&mut pacer).await;
        assert_eq!(first.len(), 1);
        let started = Instant::now();
        let producer = {
            let inbox = inbox.clone();
            tokio::spawn(async move {
                for i in 0..10 {
                    inbox.line(1, line(&i.to_string()));
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            })
        };
        let second = inbox.next_batch(&mut pacer).await;
        assert!(started.elapsed() >= Duration::from_millis(25));
        let _ = producer.await;
        let mut count = match &second[0].1 {
            StreamEvent::Lines { lines, .. } => lines.len(),
            other => panic!("{other:?}"),
        };
        while inbox.has_pending() {
            for (_, e) in inbox.next_batch(&mut pacer).await {
                if let StreamEvent::Lines { lines, .. } = e {
                    count += lines.len();
                }
            }
        }
        assert_eq!(count, 10, "every line arrives, in few batches");
    }
}
