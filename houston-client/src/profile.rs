//! What astrodash has learnt about the Houston it talks to during this session: its version, once
//! probed, and the documents it refused. One profile per server, shared by every clone of the
//! client (the app clones the client for each request).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::version::HoustonVersion;

/// Cheap to clone; clones share the same knowledge.
#[derive(Debug, Clone, Default)]
pub(crate) struct ServerProfile {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    version: Option<HoustonVersion>,
    /// Operation names of the documents the server failed to validate, with what it said.
    refused: BTreeMap<&'static str, String>,
}

impl ServerProfile {
    /// The lock is held only for a copy or an insert: a panic elsewhere cannot leave it
    /// half-updated, so a poisoned lock is still good to use.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The version Houston reported, once probed.
    pub fn version(&self) -> Option<HoustonVersion> {
        self.state().version.clone()
    }

    pub(crate) fn set_version(&self, version: HoustonVersion) {
        self.state().version = Some(version);
    }

    /// Remember that the server cannot run this document, and Houston's words for why. True
    /// when it was news.
    pub fn refuse(&self, document: &'static str, message: &str) -> bool {
        self.state()
            .refused
            .insert(document, message.to_string())
            .is_none()
    }

    /// The documents refused so far, by name.
    pub fn refused(&self) -> Vec<&'static str> {
        self.state().refused.keys().copied().collect()
    }

    /// The version and the refusals at one instant.
    pub(crate) fn snapshot(&self) -> (Option<HoustonVersion>, BTreeMap<&'static str, String>) {
        let state = self.state();
        (state.version.clone(), state.refused.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_what_they_learn() {
        let profile = ServerProfile::default();
        let clone = profile.clone();
        assert_eq!(profile.version(), None);
        clone.set_version(HoustonVersion::parse("0.23.0"));
        assert_eq!(
            profile.version().map(|v| v.to_string()).as_deref(),
            Some("0.23.0")
        );
        assert!(clone.refuse("WorkspaceDeployments", "Cannot query field"));
        assert!(
            !profile.refuse("WorkspaceDeployments", "Cannot query field"),
            "already known"
        );
        assert!(profile.refused().contains(&"WorkspaceDeployments"));
        assert_eq!(profile.refused(), vec!["WorkspaceDeployments"]);
        // A fresh profile (another server) knows nothing.
        assert!(ServerProfile::default().refused().is_empty());
    }
}
