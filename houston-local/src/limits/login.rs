//! Password checks that cannot starve the server or be guessed at speed: argon2 runs in a few
//! slots off the async workers, with a short queue (more callers are refused at once), and
//! each user (keyed by the caller: the user id) gets a growing back-off after repeated failed
//! logins. During a back-off no password is checked for that user, not even a correct one:
//! that is what makes guessing slow.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use super::Limits;

/// Why a password could not be checked now.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Too many password checks are waiting already.
    Busy,
    /// This identity failed too often; try again after this long.
    BackingOff(Duration),
    /// The hashing task failed (a panic in argon2): a server fault.
    Failed(String),
}

impl Refused {
    /// The message a client sees (code `TOO_MANY_REQUESTS`, except for `Failed`).
    pub(crate) fn message(&self) -> String {
        match self {
            Refused::Busy => {
                "Too many logins are being checked right now; try again in a moment".to_string()
            }
            Refused::BackingOff(wait) => format!(
                "Too many failed login attempts for this user; try again in {} s",
                wait.as_secs().max(1)
            ),
            Refused::Failed(e) => format!("password check failed: {e}"),
        }
    }
}

/// Consecutive failures of one identity.
struct Failures {
    count: u32,
    retry_at: Instant,
    last: Instant,
}

/// One caller counted in `Logins::waiting` until dropped.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(count: &'a AtomicUsize, capacity: usize) -> Option<Self> {
        if count.fetch_add(1, Ordering::AcqRel) >= capacity {
            count.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(Waiting(count))
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Identities remembered at most; idle ones are forgotten first.
const MAX_TRACKED: usize = 10_000;

pub(crate) struct Logins {
    slots: Arc<Semaphore>,
    slot_count: usize,
    /// Callers hashing or waiting for a slot.
    waiting: AtomicUsize,
    queue: usize,
    allowed: u32,
    backoff_max: Duration,
    failures: Mutex<HashMap<String, Failures>>,
}

fn key(identity: &str) -> String {
    identity.trim().to_lowercase()
}

impl Logins {
    pub(crate) fn new(limits: &Limits) -> Self {
        let slot_count = limits.password_hash_slots.max(1);
        Logins {
            slots: Arc::new(Semaphore::new(slot_count)),
            slot_count,
            waiting: AtomicUsize::new(0),
            queue: limits.password_hash_queue,
            allowed: limits.login_failures_allowed,
            backoff_max: limits.login_backoff_max,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Run a password hash or check in a slot, on a blocking thread. The slot is held until
    /// the hash is done, even when the caller gives up (a disconnected client).
    async fn in_slot<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refused> {
        let _waiting =
            Waiting::enter(&self.waiting, self.slot_count + self.queue).ok_or(Refused::Busy)?;
        let permit = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Refused::Failed(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| Refused::Failed(e.to_string()))
    }

    /// Hash a new password (sign-up, password reset).
    pub(crate) async fn hash(&self, password: String) -> Result<Result<String, String>, Refused> {
        self.in_slot(move || crate::auth::hash_password(&password))
            .await
    }

    /// Check a login: refused while `identity` is backing off; a wrong password counts as a
    /// failure, a right one clears them.
    pub(crate) async fn verify(
        &self,
        identity: &str,
        password: String,
        stored_hash: String,
    ) -> Result<bool, Refused> {
        self.check_backoff(identity)?;
        let ok = self
            .in_slot(move || crate::auth::verify_password(&password, &stored_hash))
            .await?;
        if ok {
            self.forget(identity);
        } else {
            self.failed(identity);
        }
        Ok(ok)
    }

    fn check_backoff(&self, identity: &str) -> Result<(), Refused> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(&key(identity)) {
            Some(f) if f.retry_at > Instant::now() => {
                Err(Refused::BackingOff(f.retry_at - Instant::now()))
            }
            _ => Ok(()),
        }
    }

    /// Record a failed login of `identity`.
    pub(crate) fn failed(&self, identity: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_TRACKED {
            self.evict(&mut map, now);
        }
        let f = map.entry(key(identity)).or_insert(Failures {
            count: 0,
            retry_at: now,
            last: now,
        });
        f.count = f.count.saturating_add(1);
        f.last = now;
        if f.count >= self.allowed {
            let doublings = (f.count - self.allowed).min(20);
            let wait = Duration::from_secs(1u64 << doublings).min(self.backoff_max);
            f.retry_at = now + wait;
        }
    }

    /// Forget an identity's failures (successful login, new password).
    pub(crate) fn forget(&self, identity: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&key(identity));
    }

    /// Make room: drop identities idle for longer than the longest back-off, else the
    /// longest idle one.
    fn evict(&self, map: &mut HashMap<String, Failures>, now: Instant) {
        map.retain(|_, f| now.duration_since(f.last) < self.backoff_max);
        if map.len() >= MAX_TRACKED
            && let Some(oldest) = map
                .iter()
                .min_by_key(|(_, f)| f.last)
                .map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logins(allowed: u32, backoff_max_ms: u64) -> Logins {
        Logins::new(&Limits {
            login_failures_allowed: allowed,
            login_backoff_max: Duration::from_millis(backoff_max_ms),
            password_hash_queue: 1,
            ..Limits::default()
        })
    }

    #[tokio::test]
    async fn repeated_failures_back_off_then_a_success_clears_them() {
        let l = logins(2, 60_000);
        let hash = crate::auth::hash_password("right").unwrap();
        assert_eq!(
            l.verify("Ada", "wrong".into(), hash.clone()).await,
            Ok(false)
        );
        // The second failure starts the back-off (1 s), for the identity in any case.
        assert_eq!(
            l.verify("ada", "wrong".into(), hash.clone()).await,
            Ok(false)
        );
        let Err(Refused::BackingOff(wait)) = l.verify(" ADA ", "right".into(), hash.clone()).await
        else {
            panic!("expected a back-off");
        };
        assert!(wait <= Duration::from_secs(1));
        assert!(
            Refused::BackingOff(wait)
                .message()
                .contains("try again in 1 s")
        );
        // Another identity is not affected.
        assert_eq!(
            l.verify("grace", "right".into(), hash.clone()).await,
            Ok(true)
        );
        // Each further failure doubles the wait.
        l.failed("ada");
        let Err(Refused::BackingOff(wait)) = l.verify("ada", "right".into(), hash.clone()).await
        else {
            panic!("expected a back-off");
        };
        assert!(wait > Duration::from_secs(1) && wait <= Duration::from_secs(2));
        l.forget("ada");
        assert_eq!(l.verify("ada", "right".into(), hash).await, Ok(true));
    }

    #[tokio::test]
    async fn the_back_off_is_capped() {
        let l = logins(1, 50);
        for _ in 0..30 {
            l.failed("x");
        }
        let Err(Refused::BackingOff(wait)) = l.check_backoff("x") else {
            panic!("expected a back-off");
        };
        assert!(wait <= Duration::from_millis(50));
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(l.check_backoff("x"), Ok(()));
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once() {
        // One slot, one queued: the third concurrent check is refused without waiting.
        let l = std::sync::Arc::new(logins(5, 1000));
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let busy = l.clone();
        let holder = tokio::spawn(async move {
            busy.in_slot(move || {
                let _ = release_rx.recv();
            })
            .await
        });
        let queued = l.clone();
        // Wait until the holder is hashing, then queue one behind it.
        while l.waiting.load(Ordering::Acquire) < 1 {
            tokio::task::yield_now().await;
        }
        let second = tokio::spawn(async move { queued.in_slot(|| 2).await });
        while l.waiting.load(Ordering::Acquire) < 2 {
            tokio::task::yield_now().await;
        }
        assert_eq!(l.in_slot(|| 3).await, Err(Refused::Busy));
        release_tx.send(()).unwrap();
        assert_eq!(holder.await.unwrap(), Ok(()));
        assert_eq!(second.await.unwrap(), Ok(2));
        assert_eq!(l.in_slot(|| 4).await, Ok(4));
    }

    #[test]
    fn tracking_is_bounded() {
        let l = logins(5, 1000);
        for i in 0..MAX_TRACKED + 10 {
            l.failed(&format!("user{i}"));
        }
        assert!(l.failures.lock().unwrap().len() <= MAX_TRACKED);
    }
}
