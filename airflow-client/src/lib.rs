//! astrodash's client for a deployment's own Airflow REST API and its Flower API.
//!
//! A deployment's Airflow is reached at the URL Houston gives (`urls.airflow`, the UI root),
//! behind the platform's ingress, which checks the Houston token and refuses with a redirect to
//! its login page. Airflow 2 serves `/api/v1`, Airflow 3 `/api/v2`: the client picks one by the
//! deployment's Airflow version and corrects itself if the server disagrees. Errors are typed
//! (`AirflowError`): a refusal, an HTML page from a proxy, Airflow's own problem, a reply that
//! does not decode, the network. No terminal, no app: see docs/architecture.md.

pub mod client;
pub mod credential;
pub mod decode;
pub mod error;
pub mod flower;
mod http;
pub mod model;
pub mod version;

pub use client::{AirflowClient, MarkState, RunOrder};
pub use credential::Credential;
pub use error::{AirflowError, RawReply, classify, classify_text};
pub use flower::FlowerClient;
pub use houston_client::Secret;
pub use http::Options;
pub use version::ApiVersion;
