//! A Houston platform version and the versions houston-local models (its switch points).

use std::fmt;
use std::str::FromStr;

/// A Houston platform version `X.Y.Z`, as `appConfig { version }` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HoustonVersion {
    pub(crate) major: u32,
    pub(crate) minor: u32,
    pub(crate) patch: u32,
}

impl HoustonVersion {
    pub(crate) const fn new(major: u32, minor: u32, patch: u32) -> Self {
        HoustonVersion {
            major,
            minor,
            patch,
        }
    }
}

/// The oldest version houston-local models: the schema introspected from a Houston 0.23.
pub(crate) const V0_23: HoustonVersion = HoustonVersion::new(0, 23, 0);
pub(crate) const V0_25: HoustonVersion = HoustonVersion::new(0, 25, 0);
pub(crate) const V0_28: HoustonVersion = HoustonVersion::new(0, 28, 0);
pub(crate) const V0_29: HoustonVersion = HoustonVersion::new(0, 29, 0);
pub(crate) const V0_29_2: HoustonVersion = HoustonVersion::new(0, 29, 2);
pub(crate) const V0_30: HoustonVersion = HoustonVersion::new(0, 30, 0);
pub(crate) const V0_32: HoustonVersion = HoustonVersion::new(0, 32, 0);
/// The default version houston-local models.
pub(crate) const V0_35: HoustonVersion = HoustonVersion::new(0, 35, 0);
/// Astro Private Cloud: control plane and data planes (clusters).
pub(crate) const V1_0: HoustonVersion = HoustonVersion::new(1, 0, 0);
/// Astronomer Certified fields removed.
pub(crate) const V1_0_1: HoustonVersion = HoustonVersion::new(1, 0, 1);
/// Config governance: `appConfig` merges four tiers.
pub(crate) const V2_0: HoustonVersion = HoustonVersion::new(2, 0, 0);
/// Deployment modes (helm / operator).
pub(crate) const V2_1: HoustonVersion = HoustonVersion::new(2, 1, 0);

/// The `(major, minor)` lines houston-local models: Software 0.23–0.37, APC 1.0, 2.0, 2.1.
fn modelled(v: HoustonVersion) -> bool {
    match v.major {
        0 => (V0_23.minor..=37).contains(&v.minor),
        1 => v.minor == 0,
        2 => v.minor <= 1,
        _ => false,
    }
}

impl Default for HoustonVersion {
    fn default() -> Self {
        V0_35
    }
}

impl fmt::Display for HoustonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Why a `--houston-version` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("invalid Houston version {0:?}: expected X.Y.Z, e.g. 0.23.0 or 0.35.0")]
    Malformed(String),
    #[error(
        "unsupported Houston version {0}: houston-local models 0.23.0 to 0.37.x, 1.0.x, 2.0.x and 2.1.x"
    )]
    Unsupported(HoustonVersion),
}

impl FromStr for HoustonVersion {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let malformed = || VersionError::Malformed(s.to_string());
        let parts: Vec<&str> = s.trim().split('.').collect();
        let [major, minor, patch] = parts.as_slice() else {
            return Err(malformed());
        };
        let number = |p: &str| {
            if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) {
                return Err(malformed());
            }
            p.parse::<u32>().map_err(|_| malformed())
        };
        let v = HoustonVersion::new(number(major)?, number(minor)?, number(patch)?);
        if !modelled(v) {
            return Err(VersionError::Unsupported(v));
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders_versions() {
        let v: HoustonVersion = "0.29.2".parse().unwrap();
        assert_eq!(v, V0_29_2);
        assert_eq!(v.to_string(), "0.29.2");
        assert!(V0_29 < V0_29_2 && V0_29_2 < V0_30);
        assert_eq!(" 0.35.7 ".parse::<HoustonVersion>().unwrap().patch, 7);
        assert_eq!(HoustonVersion::default(), V0_35);
    }

    #[test]
    fn refuses_bad_and_unsupported_versions() {
        for bad in [
            "", "0.23", "0.23.0.1", "v0.23.0", "0.x.0", "0.23.-1", "0..0",
        ] {
            assert!(
                matches!(
                    bad.parse::<HoustonVersion>(),
                    Err(VersionError::Malformed(_))
                ),
                "{bad}"
            );
        }
        for old_or_new in ["0.22.9", "0.38.0", "1.1.0", "2.2.0", "3.0.0"] {
            let e = old_or_new.parse::<HoustonVersion>().unwrap_err();
            assert!(matches!(e, VersionError::Unsupported(_)), "{old_or_new}");
            assert!(e.to_string().contains("0.23.0 to 0.37.x, 1.0.x"), "{e}");
        }
        for current in ["0.36.0", "0.37.2", "1.0.0", "1.0.1", "2.0.0", "2.1.3"] {
            assert!(current.parse::<HoustonVersion>().is_ok(), "{current}");
        }
    }
}
