//! Credentials: hand-rolled HS256 JWTs (avoids the RSA/EC crates of `jsonwebtoken`),
//! service-account API keys, argon2 password hashes and random identifiers.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// 24 h, Houston's `jwt.authDuration`.
pub(crate) const TOKEN_LIFETIME_SECS: i64 = 24 * 3600;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    pub uuid: String,
    pub iat: i64,
    pub exp: i64,
}

type HmacSha256 = Hmac<Sha256>;

fn sign(secret: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match HmacSha256::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return Vec::new(),
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Mint an HS256 JWT for `claims`.
pub(crate) fn encode_jwt(secret: &[u8], claims: &Claims) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signing_input = format!("{header}.{payload}");
    let sig = URL_SAFE_NO_PAD.encode(sign(secret, signing_input.as_bytes()));
    format!("{signing_input}.{sig}")
}

/// Mint a fresh 24 h token for a user.
pub(crate) fn issue(secret: &[u8], user_id: &str, now_secs: i64) -> (String, Claims) {
    let claims = Claims {
        uuid: user_id.to_string(),
        iat: now_secs,
        exp: now_secs + TOKEN_LIFETIME_SECS,
    };
    (encode_jwt(secret, &claims), claims)
}

/// Verify signature, algorithm and expiry; `None` for anything invalid.
pub(crate) fn decode_jwt(secret: &[u8], token: &str, now_secs: i64) -> Option<Claims> {
    let mut parts = token.split('.');
    let (h, p, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).ok()?).ok()?;
    if header.get("alg")?.as_str()? != "HS256" {
        return None;
    }
    let sig = URL_SAFE_NO_PAD.decode(s).ok()?;
    let mut mac = HmacSha256::new_from_slice(secret).ok()?;
    mac.update(format!("{h}.{p}").as_bytes());
    mac.verify_slice(&sig).ok()?; // constant-time comparison
    let claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()?;
    if claims.exp <= now_secs {
        return None;
    }
    Some(claims)
}

/// What an `Authorization` value is, by shape, as Houston tells them apart: 32 characters
/// without a dot are a service-account key, anything else a JWT (`Bearer ` optional).
pub(crate) enum Credential<'a> {
    ApiKey(&'a str),
    Jwt(&'a str),
}

pub(crate) fn classify(header: &str) -> Option<Credential<'_>> {
    let raw = header.strip_prefix("Bearer ").unwrap_or(header).trim();
    if raw.is_empty() {
        return None;
    }
    if raw.len() == 32 && !raw.contains('.') {
        Some(Credential::ApiKey(raw))
    } else {
        Some(Credential::Jwt(raw))
    }
}

/// 16 random bytes, hex: the service-account key format.
pub(crate) fn new_api_key() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    hex::encode(bytes)
}

/// Keys are stored hashed; lookups hash the presented key the same way.
pub(crate) fn hash_api_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// First 6 characters then `*` up to 32 (Houston's masking).
pub(crate) fn mask_api_key(prefix: &str) -> String {
    let shown: String = prefix.chars().take(6).collect();
    format!("{shown}{}", "*".repeat(32 - shown.len()))
}

pub(crate) fn hash_password(password: &str) -> Result<String, String> {
    let salt_bytes: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub(crate) fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Prisma-cuid-like opaque ids: `c` + 24 lowercase alphanumerics.
pub(crate) fn new_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let mut s = String::with_capacity(25);
    s.push('c');
    for _ in 0..24 {
        s.push(ALPHABET[rng.random_range(0..ALPHABET.len())] as char);
    }
    s
}

/// Random hex string of `bytes` bytes (secrets, invite tokens, passwords).
pub(crate) fn random_hex(bytes: usize) -> String {
    let mut rng = rand::rng();
    let v: Vec<u8> = (0..bytes).map(|_| rng.random()).collect();
    hex::encode(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_roundtrip_and_expiry() {
        let (t, c) = issue(b"secret", "user1", 1_000);
        assert_eq!(decode_jwt(b"secret", &t, 1_001), Some(c));
        assert_eq!(decode_jwt(b"other", &t, 1_001), None);
        assert_eq!(decode_jwt(b"secret", &t, 1_000 + TOKEN_LIFETIME_SECS), None);
        assert_eq!(decode_jwt(b"secret", "a.b", 1), None);
    }

    #[test]
    fn key_shapes() {
        let k = new_api_key();
        assert_eq!(k.len(), 32);
        assert!(matches!(classify(&k), Some(Credential::ApiKey(_))));
        assert!(matches!(classify("Bearer a.b.c"), Some(Credential::Jwt(_))));
        assert_eq!(mask_api_key(&k).len(), 32);
        assert!(mask_api_key(&k).ends_with("**"));
    }

    #[test]
    fn passwords() {
        let h = hash_password("pw").unwrap();
        assert!(verify_password("pw", &h));
        assert!(!verify_password("px", &h));
    }
}
