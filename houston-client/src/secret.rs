//! `Secret`: a token, a password, an API key or a secret variable's value, from where it is read
//! (the config, the login screen) to where it is sent (the transport, the websocket). Its
//! `Debug` and `Display` are redacted, so a struct holding one can derive `Debug`; `expose` is
//! the one way to read it.

use std::fmt;

/// Compared in tests, never printed. Read from a config file as a plain string.
#[derive(Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_string())
    }
}

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A token as the user gave it, the way Houston wants it (see `normalize_token`); blank
    /// text is no token. Where a token enters (the config, the login screen, a client built
    /// by hand) it goes through here, once.
    pub fn token(raw: &str) -> Option<Secret> {
        Some(normalize_token(raw))
            .filter(|t| !t.is_empty())
            .map(Secret::from)
    }

    /// This secret read as a token (`Secret::token`).
    pub fn into_token(self) -> Option<Secret> {
        Secret::token(&self.0)
    }
}

/// Houston wants the raw token: surrounding blanks and a pasted `Bearer ` prefix are dropped.
pub(crate) fn normalize_token(token: &str) -> &str {
    let token = token.trim();
    token.strip_prefix("Bearer ").unwrap_or(token).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_prefix_is_stripped() {
        assert_eq!(normalize_token("Bearer abc.def"), "abc.def");
        assert_eq!(normalize_token("  abc  "), "abc");
        assert_eq!(normalize_token("bearer abc"), "bearer abc");
    }

    #[test]
    fn a_blank_token_is_no_token() {
        assert_eq!(Secret::token(" Bearer t "), Some(Secret("t".into())));
        assert_eq!(Secret::token("  "), None);
    }

    #[test]
    fn neither_debug_nor_display_shows_it() {
        let s = Secret("hunter2".into());
        assert_eq!(format!("{s:?} {s}"), "<redacted> <redacted>");
    }
}
