//! Reading a Houston JWT's `exp` claim without verifying it (to warn before the 24 h token lapses).
//!
//! CONTRACT SKELETON: filled in by the client work.

use super::model::Timestamp;

/// When the token expires, if it is a JWT with an `exp` claim. `None` for API keys and garbage.
pub fn expires_at(_token: &str) -> Option<Timestamp> {
    None
}
