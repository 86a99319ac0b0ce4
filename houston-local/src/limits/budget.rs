//! Limits on a request while it runs. Every resolved value (field or list item) is counted
//! against a budget; past it the request stops and answers with one error instead of growing
//! a huge response. Resolution also yields to the runtime every hundred-odd values, so a big request
//! shares the CPU with everyone else, and a request whose deadline passes or whose client
//! disconnects (its future is dropped) stops promptly.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{ServerResult, Value};
use serde_json::json;
use tokio::sync::Notify;
use tokio::task::coop;

/// How long a request may keep the thread before it yields.
const SLICE: Duration = Duration::from_millis(2);
/// Values between two looks at the clock.
const CHECK_EVERY: usize = 256;

/// The values one request (or one subscription event) may resolve.
pub(crate) struct Budget {
    spent: AtomicUsize,
    max: usize,
    exceeded: Notify,
    /// When the current time slice began, in microseconds since `epoch`.
    slice_start_us: AtomicU64,
    epoch: Instant,
}

impl Budget {
    pub(crate) fn new(max: usize) -> Arc<Self> {
        Arc::new(Budget {
            spent: AtomicUsize::new(0),
            max,
            exceeded: Notify::new(),
            slice_start_us: AtomicU64::new(0),
            epoch: Instant::now(),
        })
    }

    /// Start over (between the events of a subscription).
    pub(crate) fn reset(&self) {
        self.spent.store(0, Ordering::Relaxed);
    }

    /// Count one value. Past the budget this never returns: the request is being abandoned
    /// (see `run`), and stalling beats producing an error for every remaining value.
    async fn spend(&self) {
        let n = self.spent.fetch_add(1, Ordering::Relaxed);
        if n >= self.max {
            self.exceeded.notify_one();
            std::future::pending::<()>().await;
        }
        if n % CHECK_EVERY == CHECK_EVERY - 1 && self.slice_over() {
            // Use up Tokio's cooperative budget: from then on every value (below) returns
            // Pending until the task has yielded. A plain `yield_now` would not do: a list's
            // join absorbs one child's yield and goes on polling its siblings, so a big nested
            // list would never let go of the thread.
            for _ in 0..=128 {
                if !coop::has_budget_remaining() {
                    break;
                }
                coop::consume_budget().await;
            }
        }
        if !coop::has_budget_remaining() {
            coop::consume_budget().await;
        }
    }

    /// Whether the current slice is over; if so a new one starts.
    fn slice_over(&self) -> bool {
        let now = self.epoch.elapsed().as_micros() as u64;
        let start = self.slice_start_us.load(Ordering::Relaxed);
        if now.saturating_sub(start) < SLICE.as_micros() as u64 {
            return false;
        }
        self.slice_start_us.store(now, Ordering::Relaxed);
        true
    }

    pub(crate) fn max(&self) -> usize {
        self.max
    }

    /// Completes once the budget is exceeded.
    pub(crate) async fn exceeded(&self) {
        self.exceeded.notified().await;
    }
}

/// How a limited run ended.
#[derive(Debug, PartialEq)]
pub(crate) enum Outcome<T> {
    Done(T),
    TooLarge { max: usize },
    TimedOut { after: Duration },
}

impl<T> Outcome<T> {
    /// The GraphQL error of a request stopped by a limit (`None` when it finished).
    pub(crate) fn error(&self) -> Option<serde_json::Value> {
        let (message, code) = match self {
            Outcome::Done(_) => return None,
            Outcome::TooLarge { max } => (
                format!(
                    "Response too large: the query resolves more than {max} values; select fewer fields or narrower lists"
                ),
                "RESPONSE_TOO_LARGE",
            ),
            Outcome::TimedOut { after } => (
                format!(
                    "Request timed out: not answered within {} s, so it was cancelled",
                    after.as_secs_f64()
                ),
                "REQUEST_TIMEOUT",
            ),
        };
        Some(json!({"message": message, "extensions": {"code": code}}))
    }
}

/// Run `work` (a request given `budget` in its data) until it finishes, exceeds the budget or
/// runs out of time; in the last two cases it is dropped, which cancels it.
pub(crate) async fn run<T>(
    budget: &Budget,
    timeout: Duration,
    work: impl Future<Output = T>,
) -> Outcome<T> {
    tokio::select! {
        biased;
        _ = budget.exceeded() => Outcome::TooLarge { max: budget.max },
        done = tokio::time::timeout(timeout, work) => match done {
            Ok(out) => Outcome::Done(out),
            Err(_) => Outcome::TimedOut { after: timeout },
        },
    }
}

/// Sleep until `at`; never completes when there is no such moment.
pub(crate) async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// The schema extension that charges each resolved value to the request's `Budget` (requests
/// without one, such as the SDL export, are not limited).
pub(crate) struct Metering;

impl ExtensionFactory for Metering {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(MeteringExtension)
    }
}

struct MeteringExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for MeteringExtension {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if let Some(budget) = ctx.data_opt::<Arc<Budget>>() {
            budget.spend().await;
        }
        next.run(ctx, info).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn spending_past_the_budget_stops_the_work() {
        let budget = Budget::new(100);
        let b = budget.clone();
        let work = async move {
            for _ in 0..1000 {
                b.spend().await;
            }
            "finished"
        };
        let out = run(&budget, Duration::from_secs(5), work).await;
        assert_eq!(out, Outcome::TooLarge { max: 100 });
        assert_eq!(
            out.error().unwrap()["extensions"]["code"],
            "RESPONSE_TOO_LARGE"
        );
        budget.reset();
        let b = budget.clone();
        let small = async move {
            for _ in 0..50 {
                b.spend().await;
            }
            "finished"
        };
        assert_eq!(
            run(&budget, Duration::from_secs(5), small).await,
            Outcome::Done("finished")
        );
    }

    #[tokio::test]
    async fn a_slow_request_times_out() {
        let budget = Budget::new(10);
        let out = run(
            &budget,
            Duration::from_millis(20),
            std::future::pending::<()>(),
        )
        .await;
        assert_eq!(
            out,
            Outcome::TimedOut {
                after: Duration::from_millis(20)
            }
        );
        assert!(
            out.error().unwrap()["message"]
                .as_str()
                .unwrap()
                .contains("0.02 s")
        );
    }
}
