//! Checks of a document before it runs: per operation the depth of fields, the number of
//! fields with fragments expanded, and aliases. (Absurd nesting in the text never gets this
//! far: the parser refuses it as a syntax error.) Counting stops at the first limit exceeded,
//! so a "fragment bomb" (fragments spreading fragments, doubling at each level) costs no more
//! to refuse than a plain document of the limit's size. The same walk tells whether the
//! result could multiply, so only such documents pay for metering (`budget`).

use async_graphql::parser::types::{
    ExecutableDocument, Field, OperationDefinition, OperationType, Selection, SelectionSet,
};
use serde_json::{Value, json};

use super::Limits;
use super::types::TypeInfo;

/// Why a document was refused: a GraphQL error naming the limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub(crate) message: String,
    /// `depth`, `introspectionDepth`, `fields`, `aliases`.
    pub(crate) limit: &'static str,
    pub(crate) max: usize,
}

impl Refusal {
    /// One entry of a response's `errors` (Apollo's code for documents refused before running).
    pub(crate) fn to_error(&self) -> Value {
        json!({
            "message": self.message,
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED", "limit": self.limit, "max": self.max},
        })
    }
}

/// What the checks learnt about the operation that will run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    pub(crate) subscription: bool,
    /// Its result could multiply (a list under a list reached through an object, three
    /// lists deep, many fields under lists, or introspection): run it metered, value by
    /// value. Other documents are bounded by the size of the lists they read.
    pub metered: bool,
}

/// Fields below lists beyond which a document is metered.
const MAX_UNMETERED_LIST_FIELDS: usize = 200;

/// Where a selection set sits: its type, and the lists above it.
#[derive(Clone, Copy)]
struct Place<'a> {
    parent: Option<&'a str>,
    depth: usize,
    introspection: bool,
    /// List fields on the path.
    lists: usize,
    /// An object field since the last list: a further list there can repeat whole
    /// collections (`deployments { workspace { deployments } }`).
    object_since_list: bool,
}

struct Walk<'a> {
    doc: &'a ExecutableDocument,
    limits: &'a Limits,
    types: &'a TypeInfo,
    fields: usize,
    aliases: usize,
    fields_under_lists: usize,
    metered: bool,
    /// Fragments being expanded (a cycle is left to validation to report).
    expanding: Vec<&'a str>,
}

impl<'a> Walk<'a> {
    fn refuse(message: String, limit: &'static str, max: usize) -> Result<(), Refusal> {
        Err(Refusal {
            message,
            limit,
            max,
        })
    }

    fn selections(&mut self, set: &'a SelectionSet, at: Place<'a>) -> Result<(), Refusal> {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => self.field(&field.node, at)?,
                Selection::InlineFragment(fragment) => {
                    let fragment = &fragment.node;
                    let parent = fragment
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str())
                        .or(at.parent);
                    self.selections(&fragment.selection_set.node, Place { parent, ..at })?;
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
                    let parent = Some(fragment.node.type_condition.node.on.node.as_str());
                    self.selections(&fragment.node.selection_set.node, Place { parent, ..at })?;
                    self.expanding.pop();
                }
            }
        }
        Ok(())
    }

    fn field(&mut self, field: &'a Field, at: Place<'a>) -> Result<(), Refusal> {
        let limits = self.limits;
        self.fields += 1;
        if self.fields > limits.max_fields {
            return Self::refuse(
                format!(
                    "Query is too complex: more than {} fields (fragments expanded)",
                    limits.max_fields
                ),
                "fields",
                limits.max_fields,
            );
        }
        if field.alias.is_some() {
            self.aliases += 1;
            if self.aliases > limits.max_aliases {
                return Self::refuse(
                    format!(
                        "Query has too many aliases: more than {}",
                        limits.max_aliases
                    ),
                    "aliases",
                    limits.max_aliases,
                );
            }
        }
        let name = field.name.node.as_str();
        let introspection = at.introspection || name == "__schema" || name == "__type";
        let max = if introspection {
            limits.max_introspection_depth
        } else {
            limits.max_depth
        };
        if at.depth > max {
            let (what, limit) = if introspection {
                ("Introspection query", "introspectionDepth")
            } else {
                ("Query", "depth")
            };
            return Self::refuse(
                format!("{what} is nested too deep: more than {max} levels of fields"),
                limit,
                max,
            );
        }
        if at.lists > 0 {
            self.fields_under_lists += 1;
        }
        let shape = at.parent.and_then(|p| self.types.field(p, name));
        let mut next = Place {
            parent: shape.map(|s| s.type_name.as_str()),
            depth: at.depth + 1,
            introspection,
            ..at
        };
        match shape {
            Some(s) if s.list => {
                if at.lists >= 2 || (at.lists >= 1 && at.object_since_list) {
                    self.metered = true;
                }
                next.lists += 1;
                next.object_since_list = false;
            }
            Some(s) if self.types.is_composite(&s.type_name) && at.lists > 0 => {
                next.object_since_list = true;
            }
            _ => {}
        }
        if introspection
            || self.types.is_empty()
            || self.fields_under_lists > MAX_UNMETERED_LIST_FIELDS
        {
            self.metered = true;
        }
        self.selections(&field.selection_set.node, next)
    }
}

/// Checks documents against the limits, knowing the schema's types.
pub struct Checker {
    limits: Limits,
    types: TypeInfo,
}

impl Checker {
    /// `sdl`: the schema the documents run against (`HoustonSchema::sdl`).
    pub fn new(limits: Limits, sdl: &str) -> Self {
        Checker {
            limits,
            types: TypeInfo::from_sdl(sdl),
        }
    }

    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Check the operation that will run (`operation_name`, else every operation).
    pub fn check(
        &self,
        doc: &ExecutableDocument,
        operation_name: Option<&str>,
    ) -> Result<Shape, Refusal> {
        let ops: Vec<&OperationDefinition> = doc
            .operations
            .iter()
            .filter(|(name, _)| {
                operation_name.is_none_or(|n| name.is_some_and(|x| x.as_str() == n))
            })
            .map(|(_, op)| &op.node)
            .collect();
        // One operation and no name given, or the named one: that is what runs.
        let subscription = ops.len() == 1 && ops[0].ty == OperationType::Subscription;
        let mut metered = false;
        for op in ops {
            let root = match op.ty {
                OperationType::Query => "Query",
                OperationType::Mutation => "Mutation",
                OperationType::Subscription => "Subscription",
            };
            let mut walk = Walk {
                doc,
                limits: &self.limits,
                types: &self.types,
                fields: 0,
                aliases: 0,
                fields_under_lists: 0,
                metered: false,
                expanding: Vec::new(),
            };
            let top = Place {
                parent: Some(root),
                depth: 1,
                introspection: false,
                lists: 0,
                object_since_list: false,
            };
            walk.selections(&op.selection_set.node, top)?;
            metered |= walk.metered;
        }
        Ok(Shape {
            subscription,
            metered,
        })
    }

    /// Check a request before it runs (the parsed document is kept in the request for
    /// execution). A document that does not parse passes: execution reports the syntax error.
    pub(crate) fn check_request(
        &self,
        request: &mut async_graphql::Request,
    ) -> Result<Shape, Refusal> {
        let operation_name = request.operation_name.clone();
        match request.parsed_query() {
            Ok(doc) => self.check(doc, operation_name.as_deref()),
            Err(_) => Ok(Shape::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn checker() -> Checker {
        Checker::new(Limits::default(), &crate::schema_sdl())
    }

    fn run(query: &str) -> Result<Shape, Refusal> {
        let mut req = async_graphql::Request::new(query);
        checker().check_request(&mut req)
    }

    fn metered(query: &str) -> bool {
        run(query).unwrap().metered
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
        let c = checker();
        assert!(c.check(&doc, Some("Small")).is_ok());
        assert!(c.check(&doc, Some("Deep")).is_err());
        assert!(c.check(&doc, None).is_err());
        let sub = parse_query("subscription { log(deploymentUuid: \"x\") { id } }").unwrap();
        assert!(c.check(&sub, None).unwrap().subscription);
        // Unparseable documents pass: execution reports the syntax error.
        assert!(run("{ workspaces { id }").is_ok());
    }

    #[test]
    fn only_documents_that_could_multiply_are_metered() {
        // Lists within lists of their own children are bounded by the data.
        assert!(!metered(
            "{ workspaces { id label deployments { id label status } } }"
        ));
        assert!(!metered(
            "query($w: Uuid!) { workspaceDeployments(workspaceUuid: $w) { id urls { url } deployInfo { current } workspace { id } } }"
        ));
        assert!(!metered(
            "{ self { user { roleBindings { role workspace { id label } deployment { id } } } } }"
        ));
        // A list reached again through an object repeats whole collections.
        assert!(metered(
            "{ deployments { workspace { deployments { id } } } }"
        ));
        assert!(metered(
            "{ workspaces { deployments { workspace { label } roleBindings { role } } users { roleBindings { workspace { deployments { id } } } } } }"
        ));
        // Three lists deep, fragments included.
        assert!(metered("{ workspaces { deployments { urls { url } } } }"));
        assert!(metered(
            "{ workspaces { ...W } } fragment W on Workspace { users { roleBindings { role } } }"
        ));
        // Introspection, and many fields under a list.
        assert!(metered("{ __schema { types { name } } }"));
        let wide: String = (0..7).map(|i| format!("l{i}: deployments {{ id label releaseName executor status version airflowVersion desiredAirflowVersion createdAt updatedAt description type namespace config properties deployInfo {{ current nextCli next desired latest }} urls {{ type url }} workspace {{ id label description createdAt updatedAt }} }} ")).collect();
        assert!(metered(&format!("{{ {wide} }}")));
        assert!(!metered(
            "{ appConfig { version } deployments { id label } }"
        ));
    }
}
