//! Checks of a document before it runs: per operation the depth of fields, the number of
//! fields with fragments expanded, and aliases. (Absurd nesting in the text never gets this
//! far: the parser refuses it as a syntax error.) Counting
//! stops at the first limit exceeded, so a "fragment bomb" (fragments spreading fragments,
//! doubling at each level) costs no more to refuse than a plain document of the limit's size.

use async_graphql::parser::types::{
    ExecutableDocument, OperationDefinition, OperationType, Selection, SelectionSet,
};
use serde_json::{Value, json};

use super::Limits;

/// Why a document was refused: a GraphQL error naming the limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    /// `depth`, `introspectionDepth`, `fields`, `aliases`.
    pub limit: &'static str,
    pub max: usize,
}

impl Refusal {
    /// One entry of a response's `errors` (Apollo's code for documents refused before running).
    pub fn to_error(&self) -> Value {
        json!({
            "message": self.message,
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED", "limit": self.limit, "max": self.max},
        })
    }
}

/// What the checks learnt about the operation that will run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    pub subscription: bool,
}

struct Walk<'a> {
    doc: &'a ExecutableDocument,
    limits: &'a Limits,
    fields: usize,
    aliases: usize,
    /// Fragments being expanded (a cycle is left to validation to report).
    expanding: Vec<&'a str>,
}

impl<'a> Walk<'a> {
    /// `depth` is the depth of the fields in `set`; `introspection` whether they are under
    /// `__schema` / `__type`.
    fn selections(
        &mut self,
        set: &'a SelectionSet,
        depth: usize,
        introspection: bool,
    ) -> Result<(), Refusal> {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    self.fields += 1;
                    if self.fields > self.limits.max_fields {
                        return Err(Refusal {
                            message: format!(
                                "Query is too complex: more than {} fields (fragments expanded)",
                                self.limits.max_fields
                            ),
                            limit: "fields",
                            max: self.limits.max_fields,
                        });
                    }
                    if field.alias.is_some() {
                        self.aliases += 1;
                        if self.aliases > self.limits.max_aliases {
                            return Err(Refusal {
                                message: format!(
                                    "Query has too many aliases: more than {}",
                                    self.limits.max_aliases
                                ),
                                limit: "aliases",
                                max: self.limits.max_aliases,
                            });
                        }
                    }
                    let name = field.name.node.as_str();
                    let introspection = introspection || name == "__schema" || name == "__type";
                    let max = if introspection {
                        self.limits.max_introspection_depth
                    } else {
                        self.limits.max_depth
                    };
                    if depth > max {
                        let (what, limit) = if introspection {
                            ("Introspection query", "introspectionDepth")
                        } else {
                            ("Query", "depth")
                        };
                        return Err(Refusal {
                            message: format!(
                                "{what} is nested too deep: more than {max} levels of fields"
                            ),
                            limit,
                            max,
                        });
                    }
                    self.selections(&field.selection_set.node, depth + 1, introspection)?;
                }
                Selection::InlineFragment(fragment) => {
                    self.selections(&fragment.node.selection_set.node, depth, introspection)?;
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    let Some(fragment) = self.doc.fragments.get(name) else {
                        continue; // validation reports the unknown fragment
                    };
                    if self.expanding.contains(&name) {
                        continue;
                    }
                    self.expanding.push(name);
                    self.selections(&fragment.node.selection_set.node, depth, introspection)?;
                    self.expanding.pop();
                }
            }
        }
        Ok(())
    }
}

/// Check the operation that will run (`operation_name`, else every operation of the document).
pub fn check(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    limits: &Limits,
) -> Result<Shape, Refusal> {
    let ops: Vec<&OperationDefinition> = doc
        .operations
        .iter()
        .filter(|(name, _)| operation_name.is_none_or(|n| name.is_some_and(|x| x.as_str() == n)))
        .map(|(_, op)| &op.node)
        .collect();
    // One operation and no name given, or the named one: that is what runs.
    let subscription = ops.len() == 1 && ops[0].ty == OperationType::Subscription;
    for op in ops {
        Walk {
            doc,
            limits,
            fields: 0,
            aliases: 0,
            expanding: Vec::new(),
        }
        .selections(&op.selection_set.node, 1, false)?;
    }
    Ok(Shape { subscription })
}

/// Check a request before it runs (the parsed document is kept in the request for execution).
/// A document that does not parse passes: execution reports the syntax error.
pub fn check_request(
    request: &mut async_graphql::Request,
    limits: &Limits,
) -> Result<Shape, Refusal> {
    let operation_name = request.operation_name.clone();
    match request.parsed_query() {
        Ok(doc) => check(doc, operation_name.as_deref(), limits),
        Err(_) => Ok(Shape::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn run(query: &str) -> Result<Shape, Refusal> {
        let mut req = async_graphql::Request::new(query);
        check_request(&mut req, &Limits::default())
    }

    fn nested(levels: usize) -> String {
        // workspaces { deployments { workspace { deployments { ... id } } } }
        let mut q = String::from("id");
        for i in (0..levels - 1).rev() {
            let f = if i == 0 {
                "workspaces"
            } else if i % 2 == 1 {
                "deployments"
            } else {
                "workspace"
            };
            q = format!("{f} {{ {q} }}");
        }
        format!("{{ {q} }}")
    }

    #[test]
    fn depth_is_limited_outside_introspection() {
        assert!(run(&nested(10)).is_ok());
        let e = run(&nested(11)).unwrap_err();
        assert_eq!(e.limit, "depth");
        assert_eq!(
            e.message,
            "Query is nested too deep: more than 10 levels of fields"
        );
        assert_eq!(run(&nested(15)).unwrap_err().limit, "depth");
        // Inside __type the introspection limit applies.
        let mut t = String::from("name");
        for _ in 0..12 {
            t = format!("ofType {{ {t} }}");
        }
        assert!(run(&format!("{{ __type(name: \"Deployment\") {{ {t} }} }}")).is_ok());
        for _ in 0..8 {
            t = format!("ofType {{ {t} }}");
        }
        let e = run(&format!("{{ __type(name: \"Deployment\") {{ {t} }} }}")).unwrap_err();
        assert_eq!(e.limit, "introspectionDepth");
    }

    #[test]
    fn fields_and_aliases_are_counted() {
        let aliases: String = (0..31)
            .map(|i| format!("a{i}: workspaces {{ id }} "))
            .collect();
        assert_eq!(
            run(&format!("{{ {aliases} }}")).unwrap_err().limit,
            "aliases"
        );
        let many: String = (0..1001).map(|_| "__typename ").collect();
        assert_eq!(run(&format!("{{ {many} }}")).unwrap_err().limit, "fields");
        // The field count includes fragments at each use.
        let ok = "{ workspaces { ...W } deployments { workspace { ...W } } } fragment W on Workspace { id label }";
        assert!(run(ok).is_ok());
    }

    #[test]
    fn a_fragment_bomb_is_refused_quickly() {
        // Each fragment spreads the next one twice: 2^40 fields if expanded.
        let mut doc = String::from("query { workspaces { ...F0 } }\n");
        for i in 0..40 {
            doc.push_str(&format!(
                "fragment F{i} on Workspace {{ ...F{} ...F{} }}\n",
                i + 1,
                i + 1
            ));
        }
        doc.push_str("fragment F40 on Workspace { id }\n");
        let started = std::time::Instant::now();
        assert_eq!(run(&doc).unwrap_err().limit, "fields");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        // A cycle is not followed (validation reports it).
        let cycle = "{ workspaces { ...A } } fragment A on Workspace { id ...B } fragment B on Workspace { ...A }";
        assert!(run(cycle).is_ok());
    }

    #[test]
    fn the_operation_that_runs_is_checked() {
        let doc = parse_query(format!(
            "query Small {{ workspaces {{ id }} }} query Deep {}",
            nested(12)
        ))
        .unwrap();
        let limits = Limits::default();
        assert!(check(&doc, Some("Small"), &limits).is_ok());
        assert!(check(&doc, Some("Deep"), &limits).is_err());
        assert!(check(&doc, None, &limits).is_err());
        let sub = parse_query("subscription { log(deploymentUuid: \"x\") { id } }").unwrap();
        assert!(check(&sub, None, &limits).unwrap().subscription);
        // Unparseable documents pass: execution reports the syntax error.
        assert!(run("{ workspaces { id }").is_ok());
    }
}
