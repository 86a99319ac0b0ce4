//! Version-keyed document variants, as astro-cli keeps them (docs/houston.md, "Version detection
//! and document fallback"): each
//! operation has a small table of documents, newest first, each with the first Houston version
//! known to accept it. One generic runner picks and sends them:
//!
//! 1. the first variant whose version the server has reached (all of them while the version is
//!    unknown or unreadable) and that the server has not refused this session;
//! 2. when the server answers a schema-mismatch validation error (`ApiError::Unsupported`),
//!    the document is remembered as refused in the server's profile and the next variant is
//!    tried at once; later requests (on any clone of the client) skip it without asking;
//! 3. when no variant is left, the caller gets `ApiError::Unsupported` with the version in it.
//!
//! Every variant converts into the same model type; what an older document cannot select is
//! `None`/empty there, which the UI shows as "—".
//!
//! The same works for mutations (e.g. `workspaceUpsertUserRole`, then `workspaceUpdateUserRole`
//! for older servers): a document refused by validation never ran, so sending the older form
//! cannot apply a change twice. An operation that only exists from some version on gets
//! variants with that `since` and no older row: older servers get `Unsupported` without a
//! request.

use std::collections::BTreeMap;

use futures_util::future::BoxFuture;
use graphql_client::GraphQLQuery;

use super::model::{DeploymentId, UserId, WorkspaceId};
use super::version::{HoustonVersion, Release};
use super::{ApiError, HoustonClient};

/// One GraphQL document (a `graphql_client` derive over a file in `queries/`) and how its reply
/// becomes model values.
pub trait Document: GraphQLQuery<Variables: Send + Sync, ResponseData: Send> + 'static {
    /// The operation name in the document (what Houston sees, what the profile remembers).
    const NAME: &'static str;
    /// The document's text.
    const QUERY: &'static str;
    /// Sent with the session's token (login is not).
    const AUTHENTICATED: bool = true;
    /// What the caller supplies (ids …); shared by every variant of an operation.
    type Input: Send + Sync;
    /// The model value every variant of the operation produces.
    type Output: Send;

    fn variables(input: &Self::Input) -> Self::Variables;
    fn convert(data: Self::ResponseData, input: &Self::Input) -> Result<Self::Output, ApiError>;
}

/// Sends one document and converts its reply.
pub(crate) type SendFn<In, Out> =
    for<'a> fn(&'a HoustonClient, &'a In) -> BoxFuture<'a, Result<Out, ApiError>>;

/// One row of an operation's table.
pub struct Variant<In: 'static, Out: 'static> {
    /// The document's operation name.
    pub document: &'static str,
    /// The first Houston version known to accept it.
    pub since: Release,
    /// The document's text.
    pub query: &'static str,
    send: SendFn<In, Out>,
}

/// A variant without its types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariantInfo {
    pub document: &'static str,
    pub since: Release,
    pub query: &'static str,
}

impl<In, Out> Variant<In, Out> {
    /// The variant that sends document `Q`, for Houston `since` and newer.
    pub const fn of<Q: Document<Input = In, Output = Out>>(since: Release) -> Variant<In, Out> {
        Variant {
            document: Q::NAME,
            since,
            query: Q::QUERY,
            send: send_document::<Q>,
        }
    }
}

fn send_document<'a, Q: Document>(
    client: &'a HoustonClient,
    input: &'a Q::Input,
) -> BoxFuture<'a, Result<Q::Output, ApiError>> {
    Box::pin(async move {
        let token = if Q::AUTHENTICATED {
            client.token()
        } else {
            None
        };
        let data = client
            .transport
            .run::<Q>(token, Q::variables(input))
            .await?;
        Q::convert(data, input)
    })
}

/// Ids to exercise a read operation with when only its validation matters (`astrodash doctor`).
#[derive(Debug, Clone, Default)]
pub struct ProbeIds {
    pub workspace_id: WorkspaceId,
    pub deployment_id: DeploymentId,
    pub release_name: String,
    pub me_id: Option<UserId>,
}

/// An operation: its variants, newest first.
pub struct Operation<In: 'static, Out: 'static> {
    /// The root field, e.g. `workspaceDeployments` (what diagnostics call the operation).
    pub field: &'static str,
    pub variants: &'static [Variant<In, Out>],
    /// How to build an input from probe ids; `None` for operations that change something and
    /// must never be sent just to see whether the server knows them.
    pub(crate) probe_input: Option<fn(&ProbeIds) -> In>,
}

impl<In, Out> Operation<In, Out> {
    /// The variant to send: the first the server's version allows and it has not refused.
    /// `Err` when none is left, with the reason.
    fn choose(
        &self,
        version: Option<&HoustonVersion>,
        refused: &BTreeMap<&'static str, String>,
    ) -> Result<&'static Variant<In, Out>, String> {
        let variants: &'static [Variant<In, Out>] = self.variants;
        let allowed =
            |v: &&Variant<In, Out>| version.is_none_or(|version| version.at_least(v.since));
        if let Some(variant) = variants
            .iter()
            .filter(allowed)
            .find(|v| !refused.contains_key(v.document))
        {
            return Ok(variant);
        }
        Err(match variants.iter().rfind(allowed) {
            // Every allowed variant was refused: what the server said about the oldest.
            Some(oldest) => refused
                .get(oldest.document)
                .cloned()
                .unwrap_or_else(|| format!("the server refused every form of {}", self.field)),
            None => {
                let oldest = variants
                    .iter()
                    .map(|v| v.since)
                    .min()
                    .unwrap_or(Release::ANY);
                format!("{} needs Houston {oldest} or later", self.field)
            }
        })
    }
}

impl HoustonClient {
    /// Run `operation`: version-first choice, fallback on schema mismatch (see the module docs).
    pub(crate) async fn fetch<In, Out>(
        &self,
        operation: &'static Operation<In, Out>,
        input: &In,
    ) -> Result<Out, ApiError> {
        loop {
            let (version, refused) = self.profile.snapshot();
            let variant = operation
                .choose(version.as_ref(), &refused)
                .map_err(|reason| self.unsupported(reason))?;
            match (variant.send)(self, input).await {
                Err(ApiError::Unsupported { message, .. }) => {
                    self.profile.refuse(variant.document, &message);
                    tracing::info!(
                        // The target it had inside the app (`ASTRODASH_LOG=astrodash=…`).
                        target: "astrodash::houston::variants",
                        operation = operation.field,
                        document = variant.document,
                        error = %message,
                        "Houston refused the document; trying an older form"
                    );
                    if let Err(reason) =
                        operation.choose(version.as_ref(), &self.profile.snapshot().1)
                    {
                        return Err(self.unsupported(reason));
                    }
                }
                // (`Unsupported` cannot come back here: the arm above takes it.)
                other => return other,
            }
        }
    }

    /// `Unsupported` naming this server's version, when known.
    fn unsupported(&self, message: String) -> ApiError {
        ApiError::Unsupported {
            message,
            houston_version: self.profile.version().map(|v| v.to_string()),
        }
    }
}

/// A read operation seen without its types: for diagnostics, which probe every variant and
/// show which one is in use.
pub trait ReadOperation: Sync {
    /// The root field, e.g. `workspaceDeployments`.
    fn field(&self) -> &'static str;
    /// The variants, newest first.
    fn variants(&self) -> Vec<VariantInfo>;
    /// The document a request would send to a Houston of this version that has refused
    /// nothing (`None`: version unknown); `None` when no variant qualifies.
    fn document_for(&self, version: Option<&HoustonVersion>) -> Option<&'static str>;
    /// The document a request would send now, given what the profile knows; `None` when none
    /// is left.
    fn document_in_use(&self, client: &HoustonClient) -> Option<&'static str>;
    /// Whether `probe` can send it (an operation needing a cluster's id cannot).
    fn probeable(&self) -> bool;
    /// Send variant `index` once with inputs built from `ids`, ignoring the profile (no choice,
    /// no fallback, nothing remembered). `None` for an index past the table.
    fn probe<'a>(
        &'a self,
        client: &'a HoustonClient,
        index: usize,
        ids: &ProbeIds,
    ) -> Option<BoxFuture<'a, Result<(), ApiError>>>;
}

impl<In: Send + Sync, Out> ReadOperation for Operation<In, Out> {
    fn field(&self) -> &'static str {
        self.field
    }

    fn variants(&self) -> Vec<VariantInfo> {
        self.variants
            .iter()
            .map(|v| VariantInfo {
                document: v.document,
                since: v.since,
                query: v.query,
            })
            .collect()
    }

    fn document_for(&self, version: Option<&HoustonVersion>) -> Option<&'static str> {
        self.choose(version, &BTreeMap::new())
            .ok()
            .map(|v| v.document)
    }

    fn document_in_use(&self, client: &HoustonClient) -> Option<&'static str> {
        let (version, refused) = client.profile.snapshot();
        self.choose(version.as_ref(), &refused)
            .ok()
            .map(|v| v.document)
    }

    fn probeable(&self) -> bool {
        self.probe_input.is_some()
    }

    fn probe<'a>(
        &'a self,
        client: &'a HoustonClient,
        index: usize,
        ids: &ProbeIds,
    ) -> Option<BoxFuture<'a, Result<(), ApiError>>> {
        let variant = self.variants.get(index)?;
        let input = (self.probe_input?)(ids);
        Some(Box::pin(async move {
            (variant.send)(client, &input).await.map(|_| ())
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops;

    /// Two forms of one document, the newer from 0.28 (as a mutation gained `triggerer`).
    static TWO_FORMS: Operation<WorkspaceId, Vec<crate::model::Deployment>> = Operation {
        field: "workspaceDeployments",
        variants: &[
            Variant::of::<ops::WorkspaceDeployments>(Release::new(0, 28, 0)),
            Variant::of::<ops::WorkspaceDeploymentsV023>(Release::ANY),
        ],
        probe_input: None,
    };

    /// An operation that only exists from 0.28 on.
    static GATED: Operation<WorkspaceId, Vec<crate::model::Deployment>> = Operation {
        field: "workspaceTeams",
        variants: &[Variant::of::<ops::WorkspaceDeployments>(Release::new(
            0, 28, 0,
        ))],
        probe_input: None,
    };

    fn chosen(
        operation: &Operation<WorkspaceId, Vec<crate::model::Deployment>>,
        version: Option<&str>,
        refused: &[&'static str],
    ) -> Result<&'static str, String> {
        let version = version.map(HoustonVersion::parse);
        let refused = refused
            .iter()
            .map(|d| (*d, format!("{d} refused")))
            .collect();
        operation
            .choose(version.as_ref(), &refused)
            .map(|v| v.document)
    }

    #[test]
    fn choice_by_version_then_refusals() {
        let newest = Ok("WorkspaceDeployments");
        let older = Ok("WorkspaceDeploymentsV023");
        assert_eq!(chosen(&TWO_FORMS, None, &[]), newest);
        assert_eq!(chosen(&TWO_FORMS, Some("0.28.0"), &[]), newest);
        assert_eq!(chosen(&TWO_FORMS, Some("1.0.5"), &[]), newest);
        assert_eq!(chosen(&TWO_FORMS, Some("garbage"), &[]), newest);
        assert_eq!(chosen(&TWO_FORMS, Some("0.27.9"), &[]), older);
        assert_eq!(chosen(&TWO_FORMS, Some("0.28.0-rc.1"), &[]), older);
        assert_eq!(chosen(&TWO_FORMS, None, &["WorkspaceDeployments"]), older);
        assert_eq!(
            chosen(
                &TWO_FORMS,
                None,
                &["WorkspaceDeployments", "WorkspaceDeploymentsV023"]
            ),
            Err("WorkspaceDeploymentsV023 refused".into()),
            "Houston's words about the oldest form"
        );
    }

    #[test]
    fn an_operation_newer_than_the_server_is_refused_by_version() {
        assert_eq!(
            chosen(&GATED, Some("0.30.0"), &[]),
            Ok("WorkspaceDeployments")
        );
        assert_eq!(chosen(&GATED, None, &[]), Ok("WorkspaceDeployments"));
        assert_eq!(
            chosen(&GATED, Some("0.23.0"), &[]),
            Err("workspaceTeams needs Houston 0.28.0 or later".into())
        );
    }

    #[tokio::test]
    async fn a_gated_operation_sends_nothing() {
        // Port 9 (discard) on localhost: nothing may be sent, so nothing must answer.
        let client = HoustonClient::new("http://127.0.0.1:9/v1", None).unwrap();
        client.profile.set_version(HoustonVersion::parse("0.23.0"));
        let error = client.fetch(&GATED, &"ws".into()).await.unwrap_err();
        assert_eq!(
            error,
            ApiError::Unsupported {
                message: "workspaceTeams needs Houston 0.28.0 or later".into(),
                houston_version: Some("0.23.0".into()),
            }
        );
        assert_eq!(
            error.to_string(),
            "not available on Houston 0.23.0 (workspaceTeams needs Houston 0.28.0 or later)"
        );
    }
}
