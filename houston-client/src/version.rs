//! Houston's platform version (`appConfig { version }`) as a comparable value.
//!
//! Houston reports strings like `0.25.2`, `0.30.0` or `1.0.5`; installations have also been seen
//! with a `v` prefix, a pre-release or build suffix, or something unreadable. An unreadable
//! version is kept verbatim for display and treated as "the newest", as astro-cli does when it
//! picks a document variant (docs/houston.md, "Version detection and document fallback"): the
//! fallback on validation errors then corrects the choice if the guess was wrong.

use std::cmp::Ordering;
use std::fmt;

/// A release number `major.minor.patch`: the first Houston version a document variant needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    pub(crate) major: u64,
    pub(crate) minor: u64,
    pub patch: u64,
}

impl Release {
    /// Every version: for a variant every Houston accepts.
    pub const ANY: Release = Release::new(0, 0, 0);

    pub const fn new(major: u64, minor: u64, patch: u64) -> Release {
        Release {
            major,
            minor,
            patch,
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// What a Houston said its version is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HoustonVersion {
    /// The text as Houston sent it, trimmed.
    raw: String,
    /// `None` when the text is not a version number.
    release: Option<Release>,
    /// `rc.1` of `1.0.0-rc.1`.
    pre_release: Option<String>,
}

impl HoustonVersion {
    /// Read `appConfig.version`. Never fails: unreadable text gives a version without a number.
    pub fn parse(text: &str) -> HoustonVersion {
        let raw = text.trim().to_string();
        let (release, pre_release) = match parse_number(&raw) {
            Some((release, pre)) => (Some(release), pre),
            None => (None, None),
        };
        HoustonVersion {
            raw,
            release,
            pre_release,
        }
    }

    /// The version as Houston sent it (trimmed); empty if it sent nothing.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// `major.minor.patch`, when the text is a version number.
    pub fn release(&self) -> Option<Release> {
        self.release
    }

    /// The text is a version number (`0.23`, `v1.0.5`, `0.30.0-rc.2` …).
    pub fn is_known(&self) -> bool {
        self.release.is_some()
    }

    /// This Houston is `release` or newer. A pre-release of X.Y.Z counts as older than X.Y.Z
    /// (semver); an unreadable version counts as newer than everything (see the module docs).
    pub fn at_least(&self, release: Release) -> bool {
        match self.release {
            None => true,
            Some(own) => match own.cmp(&release) {
                Ordering::Greater => true,
                Ordering::Equal => self.pre_release.is_none(),
                Ordering::Less => false,
            },
        }
    }
}

/// Readable versions compare by number, a pre-release before its release (pre-release labels
/// compare as text); an unreadable version is comparable only with itself.
impl PartialOrd for HoustonVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (self.release, other.release) {
            (Some(a), Some(b)) => {
                Some(
                    a.cmp(&b)
                        .then_with(|| match (&self.pre_release, &other.pre_release) {
                            (None, None) => Ordering::Equal,
                            (None, Some(_)) => Ordering::Greater,
                            (Some(_), None) => Ordering::Less,
                            (Some(a), Some(b)) => a.cmp(b),
                        }),
                )
            }
            (None, None) if self.raw == other.raw => Some(Ordering::Equal),
            _ => None,
        }
    }
}

impl fmt::Display for HoustonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.raw.is_empty() {
            f.write_str("unknown")
        } else {
            f.write_str(&self.raw)
        }
    }
}

/// `[v]MAJOR[.MINOR[.PATCH]][-PRE][+BUILD]` → the release and the pre-release label.
fn parse_number(text: &str) -> Option<(Release, Option<String>)> {
    let text = text
        .strip_prefix('v')
        .or_else(|| text.strip_prefix('V'))
        .unwrap_or(text);
    // Build metadata never affects precedence.
    let text = text.split_once('+').map_or(text, |(core, _)| core);
    let (core, pre) = match text.split_once('-') {
        Some((core, pre)) if !pre.is_empty() && pre.bytes().all(is_label_byte) => {
            (core, Some(pre.to_string()))
        }
        Some(_) => return None,
        None => (text, None),
    };
    let mut numbers = [0u64; 3];
    for (index, part) in core.split('.').enumerate() {
        if index == numbers.len() || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        numbers[index] = part.parse().ok()?;
    }
    Some((Release::new(numbers[0], numbers[1], numbers[2]), pre))
}

fn is_label_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(text: &str) -> Option<Release> {
        HoustonVersion::parse(text).release()
    }

    #[test]
    fn houston_versions_parse() {
        assert_eq!(release("0.25.2"), Some(Release::new(0, 25, 2)));
        assert_eq!(release("0.30.0"), Some(Release::new(0, 30, 0)));
        assert_eq!(release("1.0.5"), Some(Release::new(1, 0, 5)));
        assert_eq!(release(" 0.35.0\n"), Some(Release::new(0, 35, 0)));
        assert_eq!(release("v0.23.1"), Some(Release::new(0, 23, 1)));
        assert_eq!(release("V1.2.3"), Some(Release::new(1, 2, 3)));
        assert_eq!(release("0.23"), Some(Release::new(0, 23, 0)));
        assert_eq!(release("1"), Some(Release::new(1, 0, 0)));
        assert_eq!(release("0.25.0+build.7"), Some(Release::new(0, 25, 0)));
        let rc = HoustonVersion::parse("1.0.0-rc.1");
        assert_eq!(rc.release(), Some(Release::new(1, 0, 0)));
        assert_eq!(rc.pre_release.as_deref(), Some("rc.1"));
        assert_eq!(rc.to_string(), "1.0.0-rc.1");
    }

    #[test]
    fn odd_strings_are_kept_but_not_numbers() {
        for odd in [
            "",
            "  ",
            "unknown",
            "latest",
            "0.x",
            "0..1",
            "0.25.2.1",
            "-1.0.0",
            "1.0.0-",
            "1.0.0-rc 1",
            "0.25 (build 5)",
            "１.０.０",
            "99999999999999999999999.0.0",
            "master-abc123",
        ] {
            let version = HoustonVersion::parse(odd);
            assert!(!version.is_known(), "{odd:?}");
            assert_eq!(version.as_str(), odd.trim());
        }
        assert_eq!(HoustonVersion::parse("").to_string(), "unknown");
        assert_eq!(HoustonVersion::parse("latest").to_string(), "latest");
    }

    #[test]
    fn at_least_follows_semver_precedence() {
        let v = |s: &str| HoustonVersion::parse(s);
        let r025 = Release::new(0, 25, 0);
        assert!(!v("0.23.0").at_least(r025));
        assert!(!v("0.24.9").at_least(r025));
        assert!(v("0.25.0").at_least(r025));
        assert!(v("0.25.1").at_least(r025));
        assert!(v("1.0.0").at_least(r025));
        assert!(!v("0.25.0-rc.1").at_least(r025));
        assert!(v("0.25.1-rc.1").at_least(r025));
        assert!(v("0.1").at_least(Release::ANY));
        // Unreadable: the newest variant first, as astro-cli does.
        assert!(v("").at_least(Release::new(99, 0, 0)));
        assert!(v("dev").at_least(r025));
    }

    #[test]
    fn versions_compare() {
        let v = |s: &str| HoustonVersion::parse(s);
        assert!(v("0.23.0") < v("0.25.2"));
        assert!(v("0.30.0") > v("0.25.2"));
        assert!(v("1.0.5") > v("0.35.0"));
        assert!(v("0.9.0") < v("0.10.0"), "numeric, not text, order");
        assert!(v("1.0.0-rc.1") < v("1.0.0"));
        assert!(v("1.0.0-alpha") < v("1.0.0-beta"));
        assert_eq!(v("v0.25.0").partial_cmp(&v("0.25")), Some(Ordering::Equal));
        assert_eq!(v("dev").partial_cmp(&v("0.25.0")), None);
        assert_eq!(v("dev").partial_cmp(&v("dev")), Some(Ordering::Equal));
    }
}
