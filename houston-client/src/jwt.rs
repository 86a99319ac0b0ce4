//! Reading a Houston JWT's `exp` claim without verifying it (to warn before the 24 h token lapses).

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};

use super::model::Timestamp;
use super::secret::Secret;

/// When the token expires, if it is a JWT with an `exp` claim. `None` for API keys and garbage.
pub fn expires_at(token: &Secret) -> Option<Timestamp> {
    let token = token.expose();
    let mut segments = token.split('.');
    let (_header, payload, _signature) = (segments.next()?, segments.next()?, segments.next()?);
    if segments.next().is_some() {
        return None;
    }
    // JWTs use unpadded base64url; tolerate padding some encoders add anyway.
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .or_else(|_| URL_SAFE.decode(payload))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?;
    let seconds = exp.as_i64().or_else(|| exp.as_f64().map(|f| f as i64))?;
    chrono::DateTime::from_timestamp(seconds, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let enc = |s: &str| URL_SAFE_NO_PAD.encode(s.as_bytes());
        format!(
            "{}.{}.{}",
            enc(r#"{"alg":"RS256","typ":"JWT"}"#),
            enc(claims),
            enc("sig")
        )
    }

    #[test]
    fn reads_exp() {
        let token = jwt(r#"{"uuid":"u1","iat":1700000000,"exp":1700086400}"#);
        let at = exp(&token).unwrap();
        assert_eq!(at.timestamp(), 1_700_086_400);
        assert_eq!(at.to_rfc3339(), "2023-11-15T22:13:20+00:00");
    }

    #[test]
    fn bearer_prefix_is_ignored() {
        // Dropped where the token enters (`Secret::token`), once.
        let token = Secret::token(&format!("Bearer {}", jwt(r#"{"exp":1700086400}"#)));
        let at = token.as_ref().and_then(expires_at).unwrap();
        assert_eq!(at.timestamp(), 1_700_086_400);
    }

    fn exp(raw: &str) -> Option<Timestamp> {
        expires_at(&Secret::from(raw))
    }

    #[test]
    fn payload_needing_url_safe_alphabet() {
        // '?' and '>' encode to '_' / '-' characters in base64url.
        let token = jwt(r#"{"exp":1700086400,"n":"??>>??>>"}"#);
        assert!(token.split('.').nth(1).unwrap().contains(['_', '-']));
        assert_eq!(exp(&token).unwrap().timestamp(), 1_700_086_400);
    }

    #[test]
    fn none_for_api_keys_and_garbage() {
        assert_eq!(exp("0123456789abcdef0123456789abcdef"), None);
        assert_eq!(exp(""), None);
        assert_eq!(exp("a.b.c"), None);
        assert_eq!(exp("a.b"), None);
        assert_eq!(exp("..."), None);
        assert_eq!(exp(&jwt(r#"{"uuid":"u1"}"#)), None);
        assert_eq!(exp(&jwt(r#"{"exp":"soon"}"#)), None);
        assert_eq!(exp(&jwt("[1,2]")), None);
        assert_eq!(exp(&jwt("not json")), None);
        assert_eq!(exp(&jwt(r#"{"exp":99999999999999999}"#)), None);
    }
}
