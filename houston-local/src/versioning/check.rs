//! The document gate: refuses a document that selects a field, passes an argument or names a
//! type its Houston version lacks, with the errors async-graphql gives an unknown field,
//! argument or type (so `server.rs` turns them into Apollo's HTTP 400
//! `GRAPHQL_VALIDATION_FAILED` with graphql-js wording).

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Pos, ServerError};

use super::index::{TypeIndex, named};
use super::{HoustonVersion, table};

pub(crate) struct Gate {
    version: HoustonVersion,
    index: Arc<TypeIndex>,
    known_types: HashSet<String>,
    /// Nothing to refuse: the version has every gated item.
    open: bool,
}

impl Gate {
    pub(crate) fn new(version: HoustonVersion, index: Arc<TypeIndex>) -> Gate {
        let known_types = index.known_types(version);
        let open = table::complete_at(version);
        Gate {
            version,
            index,
            known_types,
            open,
        }
    }

    pub(crate) fn version(&self) -> HoustonVersion {
        self.version
    }

    pub(crate) fn index(&self) -> &TypeIndex {
        &self.index
    }

    fn field_allowed(&self, ty: &str, field: &str) -> bool {
        table::has_field(ty, field, self.version)
    }

    fn arg_allowed(&self, ty: &str, field: &str, arg: &str) -> bool {
        table::has_arg(ty, field, arg, self.version)
    }

    /// A type this schema has but the version lacks (unknown names are left to validation).
    fn type_hidden(&self, ty: &str) -> bool {
        self.index.exists(ty) && !self.known_types.contains(ty)
    }

    /// Every refusal for the document, in document order (operations, then fragments).
    pub(crate) fn check(&self, doc: &ExecutableDocument) -> Vec<ServerError> {
        let mut errors = Vec::new();
        if self.open {
            return errors;
        }
        let mut ops: Vec<_> = doc.operations.iter().map(|(_, op)| op).collect();
        ops.sort_by_key(|op| (op.pos.line, op.pos.column));
        for op in ops {
            for v in &op.node.variable_definitions {
                self.check_type_name(
                    named(&v.node.var_type.node),
                    v.node.var_type.pos,
                    &mut errors,
                );
            }
            let root = match op.node.ty {
                async_graphql::parser::types::OperationType::Query => {
                    Some(self.index.query.as_str())
                }
                async_graphql::parser::types::OperationType::Mutation => {
                    self.index.mutation.as_deref()
                }
                async_graphql::parser::types::OperationType::Subscription => {
                    self.index.subscription.as_deref()
                }
            };
            if let Some(root) = root {
                self.check_set(root, &op.node.selection_set.node, &mut errors);
            }
        }
        let mut fragments: Vec<_> = doc.fragments.values().collect();
        fragments.sort_by_key(|f| (f.pos.line, f.pos.column));
        for f in fragments {
            let on = &f.node.type_condition.node.on;
            if self.check_type_name(on.node.as_str(), on.pos, &mut errors) {
                self.check_set(on.node.as_str(), &f.node.selection_set.node, &mut errors);
            }
        }
        errors
    }

    /// Reports a hidden type; true when the name may be walked further.
    fn check_type_name(&self, ty: &str, pos: Pos, errors: &mut Vec<ServerError>) -> bool {
        if self.type_hidden(ty) {
            errors.push(ServerError::new(
                format!(r#"Unknown type "{ty}""#),
                Some(pos),
            ));
            return false;
        }
        true
    }

    fn check_set(&self, parent: &str, set: &SelectionSet, errors: &mut Vec<ServerError>) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    // Introspection is filtered by the `visible` hooks; unknown names are
                    // validation's to report.
                    if name.starts_with("__") {
                        continue;
                    }
                    let Some(def) = self.index.field(parent, name) else {
                        continue;
                    };
                    if !self.field_allowed(parent, name) {
                        errors.push(ServerError::new(
                            format!(r#"Unknown field "{name}" on type "{parent}"."#),
                            Some(field.pos),
                        ));
                        continue;
                    }
                    for (arg, _) in &field.node.arguments {
                        if def.args.contains_key(arg.node.as_str())
                            && !self.arg_allowed(parent, name, arg.node.as_str())
                        {
                            errors.push(ServerError::new(
                                format!(
                                    r#"Unknown argument "{}" on field "{name}" of type "{parent}"."#,
                                    arg.node
                                ),
                                Some(arg.pos),
                            ));
                        }
                    }
                    self.check_set(&def.ty, &field.node.selection_set.node, errors);
                }
                // Each fragment definition is checked once, on its own.
                Selection::FragmentSpread(_) => {}
                Selection::InlineFragment(inline) => {
                    let ty = match &inline.node.type_condition {
                        Some(tc) => {
                            let on = &tc.node.on;
                            if !self.check_type_name(on.node.as_str(), on.pos, errors) {
                                continue;
                            }
                            on.node.as_str()
                        }
                        None => parent,
                    };
                    self.check_set(ty, &inline.node.selection_set.node, errors);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versioning::version::V0_23;
    use crate::versioning::{V0_29, V0_35};

    fn gate(v: HoustonVersion) -> Gate {
        let index = TypeIndex::from_sdl(&crate::schema_sdl()).unwrap();
        Gate::new(v, Arc::new(index))
    }

    fn messages(g: &Gate, doc: &str) -> Vec<String> {
        let doc = async_graphql::parser::parse_query(doc).unwrap();
        g.check(&doc).into_iter().map(|e| e.message).collect()
    }

    #[test]
    fn refuses_what_the_version_lacks() {
        let old = gate(V0_23);
        assert_eq!(
            messages(&old, "{ workspaces { id } paginatedWorkspaces { id } }"),
            [r#"Unknown field "paginatedWorkspaces" on type "Query"."#]
        );
        assert_eq!(
            messages(
                &old,
                "fragment F on Deployment { namespace } query { deployments { ...F ... on Deployment { runtimeVersion } } }"
            ),
            [
                r#"Unknown field "runtimeVersion" on type "Deployment"."#,
                r#"Unknown field "namespace" on type "Deployment"."#,
            ]
        );
        assert_eq!(
            messages(
                &old,
                "mutation($d: DagDeployment) { deleteDeployment(deploymentUuid: \"x\", deploymentHardDelete: true) { id } }"
            ),
            [
                r#"Unknown type "DagDeployment""#,
                r#"Unknown argument "deploymentHardDelete" on field "deleteDeployment" of type "Mutation"."#,
            ]
        );
        // Unknown names are validation's business, not the gate's.
        assert!(messages(&old, "{ nonsense { id } }").is_empty());
        let runtime = gate(V0_29);
        assert!(messages(&runtime, "{ runtimeReleases { version } }").is_empty());
        assert_eq!(
            messages(&runtime, "{ paginatedDeployments { id } }").len(),
            1
        );
        assert!(!gate(V0_35).open);
        let apc = gate(crate::versioning::V1_0_1);
        assert_eq!(
            messages(&apc, "{ deployments { id airflowVersion clusterId } }"),
            [r#"Unknown field "airflowVersion" on type "Deployment"."#]
        );
        assert!(!runtime.open);
    }
}
