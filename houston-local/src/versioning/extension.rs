//! The async-graphql extension that applies a version to every request, HTTP and websocket
//! alike: the document gate after parsing, 0.23's wire shapes after execution.

use std::sync::{Arc, Mutex, OnceLock};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};

use super::check::Gate;
use super::index::TypeIndex;
use super::{HoustonVersion, V0_25, shape};

/// The schema index is the same for every version; build it once per process.
fn shared_index() -> Result<Arc<TypeIndex>, String> {
    static INDEX: OnceLock<Result<Arc<TypeIndex>, String>> = OnceLock::new();
    INDEX
        .get_or_init(|| TypeIndex::from_sdl(&crate::schema_sdl()).map(Arc::new))
        .clone()
}

pub(crate) struct VersionGate {
    gate: Arc<Gate>,
}

impl VersionGate {
    /// Fails when the schema cannot be indexed (a bug the tests catch): the server then refuses
    /// to start rather than serve an older version as 0.35.
    pub(crate) fn new(version: HoustonVersion) -> Result<VersionGate, String> {
        let index = shared_index()?;
        Ok(VersionGate {
            gate: Arc::new(Gate::new(version, index)),
        })
    }
}

impl ExtensionFactory for VersionGate {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PerRequest {
            gate: self.gate.clone(),
            document: Mutex::new(None),
        })
    }
}

struct PerRequest {
    gate: Arc<Gate>,
    /// The parsed document, kept for validation and response shaping.
    document: Mutex<Option<Arc<ExecutableDocument>>>,
}

impl PerRequest {
    fn document(&self) -> Option<Arc<ExecutableDocument>> {
        self.document
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for PerRequest {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        *self.document.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(doc.clone()));
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let mut refused = self
            .document()
            .map(|d| self.gate.check(&d))
            .unwrap_or_default();
        match next.run(ctx).await {
            Ok(result) if refused.is_empty() => Ok(result),
            Ok(_) => Err(refused),
            Err(mut other) => {
                refused.append(&mut other);
                Err(refused)
            }
        }
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        if self.gate.version() >= V0_25 {
            return response;
        }
        let Some(doc) = self.document() else {
            return response;
        };
        let Some(op) = shape::operation(&doc, operation_name) else {
            return response;
        };
        let index = self.gate.index();
        let root = match op.ty {
            OperationType::Query => index.query.as_str(),
            OperationType::Mutation => index.mutation.as_deref().unwrap_or("Mutation"),
            OperationType::Subscription => return response,
        };
        for path in shape::single_object_paths(index, &doc, op, root) {
            shape::to_single_object(&mut response.data, &path);
        }
        let introspects = op.selection_set.node.items.iter().any(|s| {
            matches!(&s.node, Selection::Field(f)
                if matches!(f.node.name.node.as_str(), "__schema" | "__type"))
        });
        if introspects {
            shape::override_introspection(index, &mut response.data);
        }
        response
    }
}
