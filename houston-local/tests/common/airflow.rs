//! Helpers for the Airflow and Flower tests: requests to a deployment's UI paths on the
//! server, without following redirects (a refusal is a 302, which the tests inspect).

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::Srv;

/// A fixed moment for the simulation: the last full hour, plus 30 minutes and a bit (the
/// seed dates deployments relative to the real clock, so the fixed one follows it).
pub fn fixed_clock() -> i64 {
    let now = chrono::Utc::now().timestamp_millis();
    now - now.rem_euclid(3_600_000) - 3_600_000 + 1_812_345
}

/// The seeded demo with the simulation's clock fixed at `clock_ms`.
pub async fn seeded_at_clock(clock_ms: i64) -> Srv {
    super::start_with(houston_local::Config {
        airflow: houston_local::AirflowConfig {
            clock_ms: Some(clock_ms),
            ..Default::default()
        },
        ..super::test_config()
    })
    .await
}

pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub location: Option<String>,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl Srv {
    pub fn own(&self) -> String {
        format!("http://{}", self.h.addr())
    }

    /// A request to `<own>/<path>` with an optional `Authorization` value and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = no_redirects().request(method, format!("{}/{path}", self.own()));
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (content_type, location) = (
            header("content-type").unwrap_or_default(),
            header("location"),
        );
        let status = resp.status();
        Reply {
            status,
            content_type,
            location,
            text: resp.text().await.expect("body"),
        }
    }

    /// GET as `email` (a `Bearer` JWT); asserts 200 and returns the JSON.
    pub async fn af_get(&self, email: &str, path: &str) -> Value {
        let auth = format!("Bearer {}", self.token(email));
        let r = self.call(Method::GET, path, Some(&auth), None).await;
        assert_eq!(r.status, StatusCode::OK, "GET {path}: {}", r.text);
        r.json()
    }

    /// `method` with a JSON body as `email`; returns the reply whatever its status.
    pub async fn af_send(&self, email: &str, method: Method, path: &str, body: Value) -> Reply {
        let auth = format!("Bearer {}", self.token(email));
        self.call(method, path, Some(&auth), Some(body)).await
    }
}
