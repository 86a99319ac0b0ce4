//! Data that comes from the server: loading, ready, or failed — and on failure the last good data
//! stays available so the screen never blanks.

use crate::houston::ApiError;
use crate::houston::model::Timestamp;

/// The last good value and when it arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched<T> {
    pub(crate) data: T,
    pub(crate) at: Timestamp,
}

/// `E` is the API's error: Houston's by default, a deployment's Airflow's for its data.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Remote<T, E = ApiError> {
    #[default]
    NotLoaded,
    Loading {
        prev: Option<Fetched<T>>,
    },
    Ready {
        data: T,
        at: Timestamp,
    },
    Failed {
        error: E,
        prev: Option<Fetched<T>>,
        at: Timestamp,
    },
}

impl<T, E> Remote<T, E> {
    /// The freshest data we have, whatever the current state.
    pub fn data(&self) -> Option<&T> {
        match self {
            Remote::NotLoaded => None,
            Remote::Ready { data, .. } => Some(data),
            Remote::Loading { prev } | Remote::Failed { prev, .. } => {
                prev.as_ref().map(|p| &p.data)
            }
        }
    }

    /// When the data we show was fetched.
    pub(crate) fn data_at(&self) -> Option<Timestamp> {
        match self {
            Remote::NotLoaded => None,
            Remote::Ready { at, .. } => Some(*at),
            Remote::Loading { prev } | Remote::Failed { prev, .. } => prev.as_ref().map(|p| p.at),
        }
    }

    /// The freshest data and its time, to change in place (a partial update from the server).
    pub(crate) fn data_mut(&mut self) -> Option<(&mut T, &mut Timestamp)> {
        match self {
            Remote::NotLoaded => None,
            Remote::Ready { data, at } => Some((data, at)),
            Remote::Loading { prev } | Remote::Failed { prev, .. } => {
                prev.as_mut().map(|p| (&mut p.data, &mut p.at))
            }
        }
    }

    pub(crate) fn error(&self) -> Option<&E> {
        match self {
            Remote::Failed { error, .. } => Some(error),
            _ => None,
        }
    }

    pub fn is_failed(&self) -> bool {
        matches!(self, Remote::Failed { .. })
    }

    fn take_prev(&mut self) -> Option<Fetched<T>> {
        match std::mem::take(self) {
            Remote::NotLoaded => None,
            Remote::Ready { data, at } => Some(Fetched { data, at }),
            Remote::Loading { prev } | Remote::Failed { prev, .. } => prev,
        }
    }

    /// A request went out; keep what we had.
    pub(crate) fn start_loading(&mut self) {
        let prev = self.take_prev();
        *self = Remote::Loading { prev };
    }

    pub(crate) fn succeed(&mut self, data: T, at: Timestamp) {
        *self = Remote::Ready { data, at };
    }

    /// A request failed; the last good data stays.
    pub(crate) fn fail(&mut self, error: E, at: Timestamp) {
        let prev = self.take_prev();
        *self = Remote::Failed { error, prev, at };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn failure_keeps_previous_data() {
        let t0 = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut r = Remote::NotLoaded;
        r.start_loading();
        assert_eq!(r.data(), None);
        r.succeed(7, t0);
        r.start_loading();
        assert_eq!(r.data(), Some(&7));
        r.fail(ApiError::Timeout, t0);
        assert_eq!(r.data(), Some(&7));
        assert_eq!(r.data_at(), Some(t0));
        assert!(r.is_failed());
    }
}
