//! Input checks with Houston's texts and codes, and release-name generation.

use rand::Rng;

/// `^(?![0-9]+$)(?!.*-$)(?!-)[a-zA-Z0-9-]{1,63}$`, spelled out because `regex` has no lookaround.
pub(crate) fn check_release_name(name: &str) -> Result<(), &'static str> {
    if name.len() > 63 {
        return Err("Release name exceeds maximum length.");
    }
    let ok = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.chars().all(|c| c.is_ascii_digit())
        && !name.starts_with('-')
        && !name.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err("Release name not formatted correctly.")
    }
}

const ADJECTIVES: &[&str] = &[
    "ancient",
    "boreal",
    "celestial",
    "cosmic",
    "elliptical",
    "galactic",
    "gravitational",
    "infrared",
    "interstellar",
    "lunar",
    "mathematical",
    "nebular",
    "orbital",
    "planetary",
    "quantum",
    "radiant",
    "sidereal",
    "solar",
    "spectral",
    "stellar",
    "supersonic",
    "tidal",
];
const NOUNS: &[&str] = &[
    "aperture",
    "asteroid",
    "comet",
    "corona",
    "eclipse",
    "equinox",
    "galaxy",
    "horizon",
    "meteor",
    "nebula",
    "orbit",
    "parallax",
    "probe",
    "pulsar",
    "quasar",
    "satellite",
    "spectrum",
    "star",
    "telescope",
    "transit",
    "zenith",
];

/// Houston-style `adjective-noun-NNNN`.
pub(crate) fn generate_release_name(rng: &mut impl Rng) -> String {
    let a = ADJECTIVES[rng.random_range(0..ADJECTIVES.len())];
    let n = NOUNS[rng.random_range(0..NOUNS.len())];
    format!("{a}-{n}-{:04}", rng.random_range(0..10_000))
}

const RESERVED_ENV: &[&str] = &[
    "AIRFLOW__CORE__EXECUTOR",
    "AIRFLOW__CORE__SQL_ALCHEMY_CONN",
    "AIRFLOW__CORE__LOAD_EXAMPLES",
    "AIRFLOW__CORE__FERNET_KEY",
    "AIRFLOW__WEBSERVER__BASE_URL",
    "AIRFLOW__CELERY__BROKER_URL",
    "AIRFLOW__CELERY__RESULT_BACKEND",
    "AIRFLOW__CELERY__DEFAULT_QUEUE",
    "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC",
    "AIRFLOW__SCHEDULER__STATSD_ON",
    "AIRFLOW__SCHEDULER__STATSD_HOST",
    "AIRFLOW__SCHEDULER__STATSD_PORT",
    "AIRFLOW__SCHEDULER__STATSD_PREFIX",
    "AIRFLOW__KUBERNETES__NAMESPACE",
];

/// `^[A-Z_][A-Z0-9_]*$`, not only underscores, not reserved.
pub(crate) fn check_env_key(key: &str) -> Result<(), String> {
    let mut chars = key.chars();
    let well_formed = match chars.next() {
        Some(c) if c.is_ascii_uppercase() || c == '_' => {
            chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        }
        _ => false,
    };
    if !well_formed || key.chars().all(|c| c == '_') {
        return Err(format!(
            "Invalid Environment Variable Key: {key} (use alphanumeric and underscores)"
        ));
    }
    if RESERVED_ENV.contains(&key) {
        return Err(format!(
            "{key} is set automatically and cannot be overridden"
        ));
    }
    Ok(())
}

/// Airflow versions look like `2.9.2` (optionally with a suffix such as `-1`).
pub(crate) fn check_airflow_version(v: &str) -> Result<(), String> {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        Ok(())
    } else {
        Err(format!("Invalid Airflow version: {v}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names() {
        for ok in ["a", "abc-def", "a1", "1a", "x".repeat(63).as_str()] {
            assert!(check_release_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "123", "-a", "a-", "a_b", "a.b"] {
            assert_eq!(
                check_release_name(bad),
                Err("Release name not formatted correctly."),
                "{bad}"
            );
        }
        assert_eq!(
            check_release_name(&"x".repeat(64)),
            Err("Release name exceeds maximum length.")
        );
        let mut rng = rand::rng();
        let g = generate_release_name(&mut rng);
        assert!(check_release_name(&g).is_ok());
        assert_eq!(g.split('-').count(), 3);
    }

    #[test]
    fn env_keys() {
        assert!(check_env_key("MY_VAR_1").is_ok());
        assert!(check_env_key("_X").is_ok());
        assert!(check_env_key("___").is_err());
        assert!(check_env_key("lower").is_err());
        assert!(check_env_key("1ABC").is_err());
        assert!(check_env_key("").is_err());
        assert!(
            check_env_key("AIRFLOW__CORE__FERNET_KEY")
                .unwrap_err()
                .contains("set automatically")
        );
    }
}
