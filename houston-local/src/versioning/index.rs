//! A name-level index of the schema (types, fields, arguments), read from the server's own
//! SDL, and the set of types a version knows.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};

use super::HoustonVersion;
use super::table;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Scalar,
    Object,
    Interface,
    Union,
    Enum,
    InputObject,
}

impl Kind {
    /// The `__TypeKind` name introspection uses.
    pub(crate) fn introspection_name(self) -> &'static str {
        match self {
            Kind::Scalar => "SCALAR",
            Kind::Object => "OBJECT",
            Kind::Interface => "INTERFACE",
            Kind::Union => "UNION",
            Kind::Enum => "ENUM",
            Kind::InputObject => "INPUT_OBJECT",
        }
    }
}

#[derive(Debug)]
pub(crate) struct FieldDef {
    /// The named type at the bottom of the field's type (`[Invite!]!` → `Invite`).
    pub(crate) ty: String,
    /// Argument name → named type.
    pub(crate) args: HashMap<String, String>,
}

#[derive(Debug)]
pub(crate) struct TypeDef {
    pub(crate) kind: Kind,
    /// Object and interface fields.
    pub(crate) fields: HashMap<String, FieldDef>,
    /// Input object fields: name → named type.
    pub(crate) input_fields: HashMap<String, String>,
    /// Union members.
    pub(crate) members: Vec<String>,
}

#[derive(Debug)]
pub struct TypeIndex {
    pub(crate) query: String,
    pub(crate) mutation: Option<String>,
    pub(crate) subscription: Option<String>,
    types: HashMap<String, TypeDef>,
}

const BUILT_IN_SCALARS: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];

pub(crate) fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(n) => n.as_str(),
        BaseType::List(inner) => named(inner),
    }
}

impl TypeIndex {
    pub fn from_sdl(sdl: &str) -> Result<TypeIndex, String> {
        let doc = async_graphql::parser::parse_schema(sdl).map_err(|e| e.to_string())?;
        let mut index = TypeIndex {
            query: "Query".into(),
            mutation: None,
            subscription: None,
            types: HashMap::new(),
        };
        let mut explicit_roots = false;
        for def in doc.definitions {
            match def {
                TypeSystemDefinition::Schema(s) => {
                    explicit_roots = true;
                    if let Some(q) = &s.node.query {
                        index.query = q.node.to_string();
                    }
                    index.mutation = s.node.mutation.as_ref().map(|m| m.node.to_string());
                    index.subscription = s.node.subscription.as_ref().map(|m| m.node.to_string());
                }
                TypeSystemDefinition::Type(t) => {
                    let t = t.node;
                    let mut def = TypeDef {
                        kind: Kind::Scalar,
                        fields: HashMap::new(),
                        input_fields: HashMap::new(),
                        members: Vec::new(),
                    };
                    let fields = match t.kind {
                        TypeKind::Scalar => None,
                        TypeKind::Object(o) => {
                            def.kind = Kind::Object;
                            Some(o.fields)
                        }
                        TypeKind::Interface(i) => {
                            def.kind = Kind::Interface;
                            Some(i.fields)
                        }
                        TypeKind::Union(u) => {
                            def.kind = Kind::Union;
                            def.members = u.members.iter().map(|m| m.node.to_string()).collect();
                            None
                        }
                        TypeKind::Enum(_) => {
                            def.kind = Kind::Enum;
                            None
                        }
                        TypeKind::InputObject(i) => {
                            def.kind = Kind::InputObject;
                            for f in i.fields {
                                def.input_fields.insert(
                                    f.node.name.node.to_string(),
                                    named(&f.node.ty.node).into(),
                                );
                            }
                            None
                        }
                    };
                    for f in fields.into_iter().flatten() {
                        let f = f.node;
                        let args = f
                            .arguments
                            .iter()
                            .map(|a| {
                                (
                                    a.node.name.node.to_string(),
                                    named(&a.node.ty.node).to_string(),
                                )
                            })
                            .collect();
                        def.fields.insert(
                            f.name.node.to_string(),
                            FieldDef {
                                ty: named(&f.ty.node).to_string(),
                                args,
                            },
                        );
                    }
                    index.types.insert(t.name.node.to_string(), def);
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        if !explicit_roots {
            index.mutation = index
                .types
                .contains_key("Mutation")
                .then(|| "Mutation".into());
            index.subscription = index
                .types
                .contains_key("Subscription")
                .then(|| "Subscription".into());
        }
        Ok(index)
    }

    pub(crate) fn field(&self, ty: &str, field: &str) -> Option<&FieldDef> {
        self.types.get(ty)?.fields.get(field)
    }

    /// Kind of a named type, built-in scalars included.
    pub(crate) fn kind(&self, ty: &str) -> Option<Kind> {
        if BUILT_IN_SCALARS.contains(&ty) {
            return Some(Kind::Scalar);
        }
        self.types.get(ty).map(|t| t.kind)
    }

    /// Whether `ty` names a type of this schema (built-in scalars included).
    pub(crate) fn exists(&self, ty: &str) -> bool {
        self.kind(ty).is_some()
    }

    /// Every `(type, field)` of the schema.
    pub fn all_fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.types
            .iter()
            .flat_map(|(t, d)| d.fields.keys().map(move |f| (t.as_str(), f.as_str())))
    }

    /// Every `(type, field, argument)` of the schema.
    pub fn all_args(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.types.iter().flat_map(|(t, d)| {
            d.fields.iter().flat_map(move |(f, def)| {
                def.args
                    .keys()
                    .map(move |a| (t.as_str(), f.as_str(), a.as_str()))
            })
        })
    }

    /// Types a version knows: those reachable from the roots through the fields and arguments
    /// it has, the built-in scalars, and the registered types of `table` it has.
    pub fn known_types(&self, version: HoustonVersion) -> HashSet<String> {
        let mut seen: HashSet<String> = BUILT_IN_SCALARS.iter().map(|s| s.to_string()).collect();
        let mut todo: Vec<String> = std::iter::once(self.query.clone())
            .chain(self.mutation.clone())
            .chain(self.subscription.clone())
            .chain(
                table::registered_types()
                    .filter(|(_, since)| *since <= version)
                    .map(|(t, _)| t.to_string()),
            )
            .collect();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let Some(def) = self.types.get(&name) else {
                continue;
            };
            for (fname, f) in &def.fields {
                if !table::has_field(&name, fname, version) {
                    continue;
                }
                todo.push(f.ty.clone());
                for (aname, aty) in &f.args {
                    if table::has_arg(&name, fname, aname, version) {
                        todo.push(aty.clone());
                    }
                }
            }
            todo.extend(def.input_fields.values().cloned());
            todo.extend(def.members.iter().cloned());
        }
        seen.retain(|t| self.exists(t));
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versioning::V0_35;
    use crate::versioning::version::V0_23;

    #[test]
    fn indexes_the_server_schema() {
        let index = TypeIndex::from_sdl(&crate::schema_sdl()).unwrap();
        assert_eq!(index.query, "Query");
        assert_eq!(index.mutation.as_deref(), Some("Mutation"));
        assert_eq!(index.subscription.as_deref(), Some("Subscription"));
        let f = index.field("Query", "workspaceDeployments").unwrap();
        assert_eq!(f.ty, "Deployment");
        assert_eq!(f.args["workspaceUuid"], "Uuid");
        assert_eq!(index.kind("Role"), Some(Kind::Enum));
        assert_eq!(index.kind("String"), Some(Kind::Scalar));
        let old = index.known_types(V0_23);
        let new = index.known_types(V0_35);
        for t in [
            "Team",
            "RuntimeRelease",
            "Namespace",
            "Triggerer",
            "DagDeployment",
        ] {
            assert!(!old.contains(t) && new.contains(t), "{t}");
        }
        assert!(!old.contains("AllowedDeploymentModeValues"));
        assert!(new.contains("AllowedDeploymentModeValues"));
        for t in [
            "Workspace",
            "Invite",
            "EntityType",
            "Card",
            "AirflowRelease",
            "Uuid",
        ] {
            assert!(old.contains(t), "{t}");
        }
    }
}
