//! What the document checks need to know about the schema: which fields return lists and
//! which return objects. Read once from the schema's own SDL.

use std::collections::HashMap;

use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};

/// What a field returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldShape {
    /// The named type inside any list and non-null wrappers.
    pub(crate) type_name: String,
    pub(crate) list: bool,
}

/// Fields of the object and interface types, by type and field name.
#[derive(Clone, Debug, Default)]
pub(crate) struct TypeInfo {
    types: HashMap<String, HashMap<String, FieldShape>>,
}

fn shape(ty: &Type) -> FieldShape {
    match &ty.base {
        BaseType::Named(name) => FieldShape {
            type_name: name.to_string(),
            list: false,
        },
        BaseType::List(inner) => FieldShape {
            list: true,
            ..shape(inner)
        },
    }
}

impl TypeInfo {
    /// From SDL text (`HoustonSchema::sdl`); an SDL that does not parse gives no types, and
    /// every document is then treated as one that may multiply.
    pub(crate) fn from_sdl(sdl: &str) -> Self {
        let Ok(doc) = async_graphql::parser::parse_schema(sdl) else {
            return TypeInfo::default();
        };
        let mut types = HashMap::new();
        for def in doc.definitions {
            let TypeSystemDefinition::Type(t) = def else {
                continue;
            };
            let fields = match &t.node.kind {
                TypeKind::Object(o) => &o.fields,
                TypeKind::Interface(i) => &i.fields,
                _ => continue,
            };
            let fields = fields
                .iter()
                .map(|f| (f.node.name.node.to_string(), shape(&f.node.ty.node)))
                .collect();
            types.insert(t.node.name.node.to_string(), fields);
        }
        TypeInfo { types }
    }

    pub(crate) fn field(&self, parent: &str, name: &str) -> Option<&FieldShape> {
        self.types.get(parent)?.get(name)
    }

    /// Whether a type has fields (an object or interface).
    pub(crate) fn is_composite(&self, type_name: &str) -> bool {
        self.types.contains_key(type_name)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.types.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_objects_from_the_schema() {
        let t = TypeInfo::from_sdl(&crate::schema_sdl());
        let deployments = t.field("Workspace", "deployments").unwrap();
        assert_eq!(deployments.type_name, "Deployment");
        assert!(deployments.list);
        let workspace = t.field("Deployment", "workspace").unwrap();
        assert!(!workspace.list && t.is_composite(&workspace.type_name));
        let label = t.field("Deployment", "label").unwrap();
        assert!(!label.list && !t.is_composite(&label.type_name));
        assert!(t.field("Query", "workspaces").unwrap().list);
        assert!(t.field("Subscription", "metrics").unwrap().list);
        assert!(TypeInfo::from_sdl("not sdl {").is_empty());
    }
}
