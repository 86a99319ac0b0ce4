//! Which REST API a deployment's Airflow speaks: `/api/v1` (Airflow 2) or `/api/v2` (Airflow 3),
//! picked from the version Houston reports and corrected, once, by what the server answers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiVersion {
    /// Airflow 2.x: `<airflow-url>/api/v1`.
    V1,
    /// Airflow 3.x: `<airflow-url>/api/v2`.
    V2,
}

impl ApiVersion {
    /// The API of an Airflow version as Houston gives it (`2.10.5`, `3.0.1`, `3.0.1+astro.1`);
    /// an unknown or blank version is taken as Airflow 2, still the most common.
    pub fn for_airflow(version: &str) -> ApiVersion {
        let major = version
            .trim()
            .trim_start_matches(['v', 'V'])
            .split(['.', '-', '+'])
            .next()
            .and_then(|m| m.parse::<u32>().ok());
        match major {
            Some(m) if m >= 3 => ApiVersion::V2,
            _ => ApiVersion::V1,
        }
    }

    pub fn prefix(self) -> [&'static str; 2] {
        match self {
            ApiVersion::V1 => ["api", "v1"],
            ApiVersion::V2 => ["api", "v2"],
        }
    }

    pub fn other(self) -> ApiVersion {
        match self {
            ApiVersion::V1 => ApiVersion::V2,
            ApiVersion::V2 => ApiVersion::V1,
        }
    }

    fn code(self) -> u8 {
        match self {
            ApiVersion::V1 => 1,
            ApiVersion::V2 => 2,
        }
    }

    fn from_code(code: u8) -> ApiVersion {
        if code == 2 {
            ApiVersion::V2
        } else {
            ApiVersion::V1
        }
    }
}

/// The version a client uses, shared by its clones: a correction made by one request holds
/// for every later request of every clone.
#[derive(Debug, Clone)]
pub(crate) struct SharedVersion(Arc<AtomicU8>);

impl SharedVersion {
    pub(crate) fn new(version: ApiVersion) -> SharedVersion {
        SharedVersion(Arc::new(AtomicU8::new(version.code())))
    }

    pub(crate) fn get(&self) -> ApiVersion {
        ApiVersion::from_code(self.0.load(Ordering::Relaxed))
    }

    pub(crate) fn set(&self, version: ApiVersion) {
        self.0.store(version.code(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_major_version_picks_the_api() {
        assert_eq!(ApiVersion::for_airflow("2.10.5"), ApiVersion::V1);
        assert_eq!(ApiVersion::for_airflow("3.0.1+astro.1"), ApiVersion::V2);
        assert_eq!(ApiVersion::for_airflow("v3"), ApiVersion::V2);
        assert_eq!(ApiVersion::for_airflow(""), ApiVersion::V1);
        assert_eq!(ApiVersion::for_airflow("garbage"), ApiVersion::V1);
    }

    #[test]
    fn a_correction_is_seen_by_every_clone() {
        let a = SharedVersion::new(ApiVersion::V1);
        let b = a.clone();
        a.set(ApiVersion::V2);
        assert_eq!(b.get(), ApiVersion::V2);
    }
}
