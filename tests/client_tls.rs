//! The client against houston-local behind TLS with a certificate from a private CA made in the
//! test: refused (with the fix in words) until the CA is trusted, over HTTP and the websocket
//! alike; `ca_file` and `insecure_skip_verify` work for both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::houston::{ApiError, HoustonClient, TransportOptions, TrustOptions};
use common::pty::Server;
use common::tls::TestCa;

/// houston-local with demo data, reachable at `https://localhost:<port>/v1` only through a TLS
/// front whose certificate the private CA issued.
struct Setup {
    server: Server,
    ca: TestCa,
    url: String,
    token: String,
}

fn setup() -> Setup {
    let server = Server::demo();
    let ca = TestCa::new();
    let port = ca.front(server.runtime(), server.handle().addr());
    let token = server.admin_token();
    Setup {
        url: format!("https://localhost:{port}/v1"),
        server,
        ca,
        token,
    }
}

impl Setup {
    fn client(&self, trust: TrustOptions) -> HoustonClient {
        let options = TransportOptions {
            trust,
            ..TransportOptions::default()
        };
        HoustonClient::with_options(&self.url, Some(self.token.clone().into()), &options).unwrap()
    }

    fn trusting_the_ca(&self) -> HoustonClient {
        self.client(TrustOptions {
            ca_file: Some(self.ca.ca_file.clone()),
            insecure_skip_verify: false,
        })
    }
}

#[test]
fn an_unknown_ca_is_explained_and_not_retried() {
    let setup = setup();
    let client = setup.client(TrustOptions::default());
    let err = setup.server.runtime().block_on(client.me()).unwrap_err();
    assert!(matches!(err, ApiError::Certificate(_)), "{err:?}");
    assert!(
        !err.is_transient(),
        "a certificate does not fix itself: {err:?}"
    );
    let text = err.to_string();
    assert!(text.contains(&setup.url), "names the URL: {text}");
    assert!(text.contains("certificate is not trusted"), "{text}");
    assert!(
        text.contains("ca_file") && text.contains("--ca-file") && text.contains("SSL_CERT_FILE"),
        "says how to fix it: {text}"
    );
    assert!(!text.contains("UnknownIssuer"), "no internals: {text}");
}

#[test]
fn ca_file_makes_http_and_the_log_websocket_work() {
    let setup = setup();
    let client = setup.trusting_the_ca();
    let rt = setup.server.runtime();
    let me = rt.block_on(client.me()).unwrap();
    assert_eq!(me.email.as_deref(), Some("admin@astrodash.local"));

    let workspaces = rt.block_on(client.workspaces(None)).unwrap();
    let workspace = workspaces
        .iter()
        .find(|w| w.label == "Data Platform")
        .expect("seeded workspace");
    let deployments = rt
        .block_on(client.workspace_deployments(&workspace.id))
        .unwrap();
    let deployment = deployments.first().expect("a seeded deployment");

    // The websocket trusts exactly what HTTP trusts.
    let subscription = rt.block_on(client.subscribe_logs(&deployment.id, None, None));
    assert!(subscription.is_ok(), "{:?}", subscription.err());
    drop(subscription);

    let untrusting = setup.client(TrustOptions::default());
    let err = rt
        .block_on(untrusting.subscribe_logs(&deployment.id, None, None))
        .err()
        .expect("refused without the CA");
    assert!(matches!(err, ApiError::Certificate(_)), "{err:?}");
    assert!(err.to_string().contains("not trusted"), "{err}");
}

#[test]
fn insecure_skip_verify_connects_and_says_so() {
    let setup = setup();
    let client = setup.client(TrustOptions {
        ca_file: None,
        insecure_skip_verify: true,
    });
    assert!(client.is_insecure());
    let me = setup.server.runtime().block_on(client.me()).unwrap();
    assert_eq!(me.email.as_deref(), Some("admin@astrodash.local"));
    assert!(!setup.trusting_the_ca().is_insecure());
}

#[test]
fn plain_http_against_a_tls_port_is_explained() {
    let setup = setup();
    let url = setup.url.replace("https://", "http://");
    let client = HoustonClient::new(&url, None).unwrap();
    let err = setup
        .server
        .runtime()
        .block_on(client.app_config())
        .unwrap_err();
    // The TLS front drops a plaintext request without an answer.
    let text = err.to_string();
    assert!(text.contains(&url), "{text}");
    assert!(!text.contains("os error"), "{text}");
}
