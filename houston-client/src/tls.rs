//! Which server certificates the client trusts — one rustls configuration shared by HTTP
//! (reqwest) and the log websocket (tokio-tungstenite) — and what a certificate failure means,
//! in words an operator can act on.
//!
//! Trust is the system's roots (on Linux read by rustls-native-certs, which honours
//! `SSL_CERT_FILE` and `SSL_CERT_DIR`), plus the PEM certificates of a context's `ca_file`
//! (`--ca-file`); or, per context only, no verification at all (`insecure_skip_verify`).
//! The system roots are read when the first TLS connection is made, not at start-up: a plain
//! `http://` Houston never pays for them, and the first frame never waits for them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};

/// What to trust when Houston is reached over TLS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustOptions {
    /// Extra CA certificates (PEM), trusted besides the system's.
    pub ca_file: Option<PathBuf>,
    /// Accept any certificate (a self-signed test installation). Shown as a red badge.
    pub insecure_skip_verify: bool,
}

/// The certificates of a PEM file, or why it cannot be used (a phrase naming the file).
pub fn load_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let certs = CertificateDer::pem_slice_iter(&text)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{} is not a valid PEM file: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "{} holds no certificate (expected PEM blocks \
             starting with -----BEGIN CERTIFICATE-----)",
            path.display()
        ));
    }
    Ok(certs)
}

/// The rustls client configuration for `trust` (no ALPN: HTTP/1.1 for both clients).
pub fn client_config(trust: &TrustOptions) -> Result<Arc<rustls::ClientConfig>, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let extra_roots = match (&trust.ca_file, trust.insecure_skip_verify) {
        (Some(path), false) => load_ca_file(path)?,
        _ => Vec::new(),
    };
    let verifier = Verifier {
        provider: provider.clone(),
        skip_verification: trust.insecure_skip_verify,
        extra_roots,
        roots: OnceLock::new(),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up failed: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Verifies with the system roots (loaded on first use) plus the extra roots, or not at all.
#[derive(Debug)]
struct Verifier {
    provider: Arc<CryptoProvider>,
    skip_verification: bool,
    extra_roots: Vec<CertificateDer<'static>>,
    /// Built on the first handshake; `None` when no root at all could be loaded.
    roots: OnceLock<Option<Arc<dyn ServerCertVerifier>>>,
}

impl Verifier {
    fn roots(&self) -> Option<&Arc<dyn ServerCertVerifier>> {
        self.roots
            .get_or_init(|| {
                let platform = rustls_platform_verifier::Verifier::new_with_extra_roots(
                    self.extra_roots.iter().cloned(),
                    self.provider.clone(),
                );
                match platform {
                    Ok(verifier) => Some(Arc::new(verifier) as Arc<dyn ServerCertVerifier>),
                    // No system roots (a minimal container): the extra roots alone, if any.
                    Err(_) => {
                        let mut store = rustls::RootCertStore::empty();
                        store.add_parsable_certificates(self.extra_roots.iter().cloned());
                        WebPkiServerVerifier::builder_with_provider(
                            Arc::new(store),
                            self.provider.clone(),
                        )
                        .build()
                        .ok()
                        .map(|v| v as Arc<dyn ServerCertVerifier>)
                    }
                }
            })
            .as_ref()
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.skip_verification {
            return Ok(ServerCertVerified::assertion());
        }
        match self.roots() {
            Some(verifier) => verifier.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ),
            // Nothing to trust: the same failure as an unknown issuer, with the same advice.
            None => Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        }
    }

    // Signatures are always checked (also when the certificate is not): they prove the peer
    // holds the key of the certificate it sent.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// How to make astrodash trust a private CA, for messages (short: the message line is one line).
pub(crate) const TRUST_ADVICE: &str =
    "to trust a private CA, set ca_file in the context, --ca-file or SSL_CERT_FILE to its PEM file";

/// A certificate the client refused, as one sentence with the fix, found anywhere in an error's
/// source chain (reqwest and tungstenite wrap rustls' error in I/O errors). `None` for any
/// other failure.
pub fn certificate_problem(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current = Some(error);
    let mut texts = Vec::new();
    while let Some(e) = current {
        if let Some(problem) = rustls_certificate_error(e) {
            return Some(problem);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && let Some(problem) = rustls_certificate_error(inner)
        {
            return Some(problem);
        }
        texts.push(e.to_string());
        current = e.source();
    }
    // Wrappers that keep only the text (hyper's boxed connector errors, tungstenite's
    // `rustls error: …`): rustls' own wording identifies the case.
    texts
        .iter()
        .find(|t| t.contains("invalid peer certificate"))
        .map(|t| describe_certificate_text(t))
}

fn rustls_certificate_error(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let error = e.downcast_ref::<rustls::Error>().or_else(|| {
        match e.downcast_ref::<tokio_tungstenite::tungstenite::error::TlsError>() {
            Some(tokio_tungstenite::tungstenite::error::TlsError::Rustls(inner)) => Some(inner),
            _ => None,
        }
    })?;
    match error {
        rustls::Error::InvalidCertificate(cert) => Some(describe_certificate_error(cert)),
        _ => None,
    }
}

fn describe_certificate_error(error: &CertificateError) -> String {
    match error {
        CertificateError::UnknownIssuer | CertificateError::BadSignature => format!(
            "the server's certificate is not trusted (unknown certificate authority); \
             {TRUST_ADVICE}"
        ),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "the server's certificate is not valid for this host name: check the host in the URL \
             (the certificate names another one)"
                .to_string()
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "the server's certificate has expired: the installation must renew it".to_string()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "the server's certificate is not valid yet: check this machine's clock".to_string()
        }
        CertificateError::Revoked => "the server's certificate has been revoked".to_string(),
        other => format!(
            "the server's certificate was refused ({}); {TRUST_ADVICE}",
            plain_certificate_error(other)
        ),
    }
}

/// The same sentences when only the text of the rustls error survived.
fn describe_certificate_text(text: &str) -> String {
    let error = if text.contains("UnknownIssuer") || text.contains("BadSignature") {
        CertificateError::UnknownIssuer
    } else if text.contains("NotValidForName") {
        CertificateError::NotValidForName
    } else if text.contains("Expired") {
        CertificateError::Expired
    } else if text.contains("NotValidYet") {
        CertificateError::NotValidYet
    } else {
        CertificateError::BadEncoding
    };
    describe_certificate_error(&error)
}

/// rustls' Debug names (`UnsupportedSignatureAlgorithm`) as words.
fn plain_certificate_error(error: &CertificateError) -> String {
    let name = format!("{error:?}");
    let name = name.split(['(', ' ', '{']).next().unwrap_or_default();
    let mut words = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_errors_in_words() {
        let unknown = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let io = std::io::Error::other(unknown);
        let text = certificate_problem(&io).unwrap();
        assert!(text.contains("not trusted"), "{text}");
        assert!(
            text.contains("ca_file") && text.contains("SSL_CERT_FILE"),
            "{text}"
        );
        assert!(!text.contains("UnknownIssuer"), "{text}");

        let name = rustls::Error::InvalidCertificate(CertificateError::NotValidForName);
        assert!(certificate_problem(&name).unwrap().contains("host name"));

        let other = std::io::Error::other("connection reset");
        assert_eq!(certificate_problem(&other), None);

        let odd = CertificateError::UnhandledCriticalExtension;
        assert_eq!(
            plain_certificate_error(&odd),
            "unhandled critical extension"
        );
    }

    #[test]
    fn ca_file_problems_are_sentences() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        assert!(load_ca_file(&missing).unwrap_err().contains("cannot read"));
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "just text\n").unwrap();
        assert!(
            load_ca_file(&empty)
                .unwrap_err()
                .contains("holds no certificate")
        );
        let broken = dir.path().join("broken.pem");
        std::fs::write(
            &broken,
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        assert!(
            load_ca_file(&broken)
                .unwrap_err()
                .contains("not a valid PEM file")
        );
    }

    #[test]
    fn configs_build_without_touching_the_system_roots() {
        assert!(client_config(&TrustOptions::default()).is_ok());
        let insecure = TrustOptions {
            ca_file: None,
            insecure_skip_verify: true,
        };
        assert!(client_config(&insecure).is_ok());
        let missing = TrustOptions {
            ca_file: Some("/nonexistent/ca.pem".into()),
            insecure_skip_verify: false,
        };
        assert!(client_config(&missing).unwrap_err().contains("cannot read"));
    }
}
