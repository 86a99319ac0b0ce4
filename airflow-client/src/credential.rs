//! What goes in `Authorization`. Towards the platform's ingress: the Houston token as
//! `Bearer <jwt>`, a service-account API key bare (as Astronomer documents it). Towards a plain
//! Airflow (the tests' real webserver, `serve --airflow-upstream`): basic auth. The secret parts
//! are `Secret`s: never in a log or a `Debug`.

use base64::Engine;
use houston_client::Secret;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    None,
    /// A JWT (a user's Houston token): sent as `Bearer <token>`.
    Bearer(Secret),
    /// A service-account API key: sent bare.
    ApiKey(Secret),
    /// A plain Airflow's own user.
    Basic {
        user: String,
        password: Secret,
    },
}

impl Credential {
    /// The credential for a Houston token: `Bearer` when it is a JWT, bare otherwise (an API
    /// key); `None` for a blank token.
    pub fn houston_token(token: &Secret) -> Credential {
        match Secret::token(token.expose()) {
            None => Credential::None,
            Some(t) if looks_like_jwt(t.expose()) => Credential::Bearer(t),
            Some(t) => Credential::ApiKey(t),
        }
    }

    /// The header's value, or `None` when nothing is sent.
    pub(crate) fn header(&self) -> Option<String> {
        match self {
            Credential::None => None,
            Credential::Bearer(token) => Some(format!("Bearer {}", token.expose())),
            Credential::ApiKey(key) => Some(key.expose().to_string()),
            Credential::Basic { user, password } => {
                let pair = format!("{user}:{}", password.expose());
                Some(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ))
            }
        }
    }
}

/// Three dot-separated base64url parts: a JWT's shape (API keys are one opaque word).
fn looks_like_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'='))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jwt_goes_as_bearer_and_an_api_key_bare() {
        let jwt = Secret::from("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln");
        let header = Credential::houston_token(&jwt).header();
        assert_eq!(
            header.as_deref(),
            Some("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")
        );
        let key = Secret::from("0123456789abcdef");
        assert_eq!(
            Credential::houston_token(&key).header().as_deref(),
            Some("0123456789abcdef")
        );
        assert_eq!(
            Credential::houston_token(&Secret::from("  ")),
            Credential::None
        );
    }

    #[test]
    fn basic_auth_is_encoded_and_debug_hides_the_password() {
        let c = Credential::Basic {
            user: "admin".into(),
            password: Secret::from("hunter2"),
        };
        assert_eq!(c.header().as_deref(), Some("Basic YWRtaW46aHVudGVyMg=="));
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
