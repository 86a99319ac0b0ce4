//! 0.23's wire shapes. Where the introspected 0.23 schema types a field differently from
//! houston-local's (0.35) schema, responses and introspection at 0.23 are reshaped after
//! execution:
//!
//! - `Workspace.invites` is a single `Invite` (the first pending invite, or null) instead of a
//!   list: the only difference a client sees in data;
//! - introspection reports 0.23's types for the fields of [`TYPE_OVERRIDES`] (`Invite.role` a
//!   `String`, `DeploymentConfig.airflowVersions` `JSON`, ids `String!`, relaxed nullability),
//!   whose values are the same on the wire.

use std::collections::HashSet;

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, OperationDefinition, Selection, SelectionSet, Type,
};
use async_graphql::{Name, Value};

use super::index::TypeIndex;

/// `(type, field)` whose 0.23 value is one object where houston-local returns a list.
pub(crate) const SINGLE_OBJECT: &[(&str, &str)] = &[("Workspace", "invites")];

/// `(type, field, 0.23 type)` as a Houston 0.23 introspects them. Non-null tightenings
/// (`User.roleBindings: [RoleBinding!]!`) are left out: houston-local nulls those fields when
/// the caller may not read them.
pub(crate) const TYPE_OVERRIDES: &[(&str, &str, &str)] = &[
    ("Workspace", "invites", "Invite"),
    ("Invite", "role", "String"),
    ("DeploymentConfig", "airflowVersions", "JSON"),
    ("DeploymentConfig", "singleNamespace", "Boolean"),
    ("DeploymentConfig", "loggingEnabled", "Boolean"),
    ("DeploymentConfig", "airflowImages", "[AirflowImage]"),
    ("DeploymentConfig", "defaultAirflowImageTag", "String"),
    ("DeploymentConfig", "defaultAirflowChartVersion", "String"),
    ("AirflowImage", "version", "String"),
    ("AirflowImage", "channel", "String"),
    ("AirflowImage", "tag", "String"),
    ("AuthProvider", "name", "String"),
    ("AuthProvider", "url", "String"),
    (
        "Deployment",
        "environmentVariables",
        "[EnvironmentVariable]",
    ),
    ("Workspace", "roleBindings", "[RoleBinding]"),
    ("User", "emails", "[Email]"),
    ("User", "profile", "[UserProp]"),
    ("ServiceAccount", "entityType", "String"),
    ("Deployment", "id", "String!"),
    ("Workspace", "id", "String!"),
    ("User", "id", "String!"),
    ("Email", "id", "String!"),
    ("RoleBinding", "id", "String!"),
    ("ServiceAccount", "id", "String!"),
    ("Invite", "id", "String!"),
    ("DeploymentLog", "id", "String"),
];

fn response_key(field: &async_graphql::parser::types::Field) -> &str {
    field
        .alias
        .as_ref()
        .map(|a| a.node.as_str())
        .unwrap_or(field.name.node.as_str())
}

/// The operation `execute` runs (by name, or the only one).
pub(crate) fn operation<'a>(
    doc: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    let mut ops = doc.operations.iter();
    match name {
        Some(n) => ops
            .find(|(op_name, _)| op_name.is_some_and(|o| o.as_str() == n))
            .map(|(_, op)| &op.node),
        None => ops.next().map(|(_, op)| &op.node),
    }
}

/// Response-key paths to every selection of a [`SINGLE_OBJECT`] field in the operation.
pub(crate) fn single_object_paths(
    index: &TypeIndex,
    doc: &ExecutableDocument,
    op: &OperationDefinition,
    root: &str,
) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    let mut active = HashSet::new();
    collect(
        index,
        doc,
        root,
        &op.selection_set.node,
        &mut path,
        &mut active,
        &mut out,
    );
    out
}

fn collect(
    index: &TypeIndex,
    doc: &ExecutableDocument,
    parent: &str,
    set: &SelectionSet,
    path: &mut Vec<String>,
    active: &mut HashSet<String>,
    out: &mut Vec<Vec<String>>,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                let name = f.node.name.node.as_str();
                let Some(def) = index.field(parent, name) else {
                    continue;
                };
                path.push(response_key(&f.node).to_string());
                if SINGLE_OBJECT.contains(&(parent, name)) {
                    out.push(path.clone());
                }
                collect(
                    index,
                    doc,
                    &def.ty,
                    &f.node.selection_set.node,
                    path,
                    active,
                    out,
                );
                path.pop();
            }
            Selection::InlineFragment(i) => {
                let ty = i
                    .node
                    .type_condition
                    .as_ref()
                    .map(|t| t.node.on.node.as_str())
                    .unwrap_or(parent);
                collect(
                    index,
                    doc,
                    ty,
                    &i.node.selection_set.node,
                    path,
                    active,
                    out,
                );
            }
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.as_str();
                let Some(frag) = doc.fragments.get(name) else {
                    continue;
                };
                // Validation refuses cycles; this only guards the walk.
                if !active.insert(name.to_string()) {
                    continue;
                }
                let ty = frag.node.type_condition.node.on.node.as_str();
                collect(
                    index,
                    doc,
                    ty,
                    &frag.node.selection_set.node,
                    path,
                    active,
                    out,
                );
                active.remove(name);
            }
        }
    }
}

/// Replace the list at `path` (through any lists on the way) with its first element or null.
pub(crate) fn to_single_object(value: &mut Value, path: &[String]) {
    match value {
        Value::List(items) => {
            for item in items {
                to_single_object(item, path);
            }
        }
        Value::Object(map) => {
            let Some((key, rest)) = path.split_first() else {
                return;
            };
            let Some(child) = map.get_mut(key.as_str()) else {
                return;
            };
            if rest.is_empty() {
                if let Value::List(items) = child {
                    let first = std::mem::take(items).into_iter().next();
                    *child = first.unwrap_or(Value::Null);
                }
            } else {
                to_single_object(child, rest);
            }
        }
        _ => {}
    }
}

/// Rewrite the `type` of overridden fields wherever the response holds a `__Type` with
/// `name` and `fields` (as every introspection client selects them, without aliases).
pub(crate) fn override_introspection(index: &TypeIndex, value: &mut Value) {
    match value {
        Value::List(items) => {
            for item in items {
                override_introspection(index, item);
            }
        }
        Value::Object(map) => {
            let type_name = match map.get("name") {
                Some(Value::String(s)) => Some(s.clone()),
                _ => None,
            };
            if let (Some(type_name), Some(Value::List(fields))) = (type_name, map.get_mut("fields"))
            {
                for field in fields.iter_mut() {
                    let Value::Object(f) = field else { continue };
                    let Some(Value::String(fname)) = f.get("name") else {
                        continue;
                    };
                    let Some((_, _, ty)) = TYPE_OVERRIDES
                        .iter()
                        .find(|(t, n, _)| *t == type_name && n == fname)
                    else {
                        continue;
                    };
                    let (Some(template), Some(parsed)) = (f.get("type"), Type::new(ty)) else {
                        continue;
                    };
                    let rendered = render(index, &parsed, template);
                    f.insert(Name::new("type"), rendered);
                }
            }
            for (_, child) in map.iter_mut() {
                override_introspection(index, child);
            }
        }
        _ => {}
    }
}

/// A `__Type` reference for `ty` with the keys the client selected in `template`.
fn render(index: &TypeIndex, ty: &Type, template: &Value) -> Value {
    let Value::Object(keys) = template else {
        return Value::Null;
    };
    let (kind, name, inner) = if !ty.nullable {
        let nullable = Type {
            base: ty.base.clone(),
            nullable: true,
        };
        ("NON_NULL", None, Some(nullable))
    } else {
        match &ty.base {
            BaseType::Named(n) => (
                index
                    .kind(n.as_str())
                    .map(|k| k.introspection_name())
                    .unwrap_or("SCALAR"),
                Some(n.to_string()),
                None,
            ),
            BaseType::List(inner) => ("LIST", None, Some((**inner).clone())),
        }
    };
    let mut out = async_graphql::indexmap::IndexMap::new();
    for (key, original) in keys {
        let v = match key.as_str() {
            "kind" => Value::Enum(Name::new(kind)),
            "name" => name.clone().map(Value::String).unwrap_or(Value::Null),
            "ofType" => match &inner {
                Some(t) => {
                    let nested = match original {
                        Value::Object(_) => original,
                        _ => template,
                    };
                    render(index, t, nested)
                }
                None => Value::Null,
            },
            _ => original.clone(),
        };
        out.insert(key.clone(), v);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TypeIndex {
        TypeIndex::from_sdl(&crate::schema_sdl()).unwrap()
    }

    #[test]
    fn finds_invites_through_aliases_lists_and_fragments() {
        let index = index();
        let doc = async_graphql::parser::parse_query(
            "query Q { ws: workspaces { ...W } workspace(workspaceUuid: \"x\") { ... on Workspace { pending: invites { id } } } } fragment W on Workspace { invites { id } }",
        )
        .unwrap();
        let op = operation(&doc, Some("Q")).unwrap();
        let mut paths = single_object_paths(&index, &doc, op, "Query");
        paths.sort();
        assert_eq!(
            paths,
            vec![
                vec!["workspace".to_string(), "pending".into()],
                vec!["ws".to_string(), "invites".into()],
            ]
        );
        let mut data = Value::from_json(serde_json::json!({
            "ws": [{"invites": [{"id": "a"}, {"id": "b"}]}, {"invites": []}],
        }))
        .unwrap();
        to_single_object(&mut data, &["ws".to_string(), "invites".to_string()]);
        assert_eq!(
            data.into_json().unwrap(),
            serde_json::json!({"ws": [{"invites": {"id": "a"}}, {"invites": null}]})
        );
    }

    #[test]
    fn rewrites_introspected_field_types() {
        let index = index();
        let mut v = Value::from_json(serde_json::json!({"__type": {"name": "Invite", "fields": [
            {"name": "role", "type": {"kind": "NON_NULL", "name": null, "ofType": {"kind": "ENUM", "name": "Role", "ofType": null}}},
            {"name": "id", "type": {"kind": "NON_NULL", "name": null, "ofType": {"kind": "SCALAR", "name": "ID", "ofType": null}}},
            {"name": "email", "type": {"kind": "SCALAR", "name": "String"}}
        ]}}))
        .unwrap();
        override_introspection(&index, &mut v);
        assert_eq!(
            v.into_json().unwrap(),
            serde_json::json!({"__type": {"name": "Invite", "fields": [
                {"name": "role", "type": {"kind": "SCALAR", "name": "String", "ofType": null}},
                {"name": "id", "type": {"kind": "NON_NULL", "name": null, "ofType": {"kind": "SCALAR", "name": "String", "ofType": null}}},
                {"name": "email", "type": {"kind": "SCALAR", "name": "String"}}
            ]}})
        );
    }
}
