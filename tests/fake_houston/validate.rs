//! A small GraphQL validator for the fake Houston: the schema-mismatch rules a real server
//! applies before running a document (unknown fields, arguments, types and input fields,
//! missing required arguments, variables in the wrong position, leaf/object selections),
//! answered in graphql-js's words as Apollo (Houston) sends them.

use std::collections::HashMap;

use graphql_parser::query::{self as q, Definition, OperationDefinition, Selection, SelectionSet};
use graphql_parser::schema::{self as s, TypeDefinition};

/// `[String!]!`-style text of a type.
fn type_text<'a, T: graphql_parser::query::Text<'a>>(ty: &s::Type<'a, T>) -> String {
    match ty {
        s::Type::NamedType(name) => name.as_ref().to_string(),
        s::Type::ListType(inner) => format!("[{}]", type_text(inner)),
        s::Type::NonNullType(inner) => format!("{}!", type_text(inner)),
    }
}

fn named<'a, T: graphql_parser::query::Text<'a>>(ty: &s::Type<'a, T>) -> String {
    match ty {
        s::Type::NamedType(name) => name.as_ref().to_string(),
        s::Type::ListType(inner) | s::Type::NonNullType(inner) => named(inner),
    }
}

#[derive(Debug, Clone)]
pub struct Arg {
    pub ty: String,
    pub has_default: bool,
}

#[derive(Debug, Clone)]
pub struct FieldDef {
    /// The named type (no list/non-null wrappers).
    pub ty: String,
    pub args: Vec<(String, Arg)>,
}

/// The parts of a schema validation needs.
pub struct Schema {
    objects: HashMap<String, HashMap<String, FieldDef>>,
    inputs: HashMap<String, HashMap<String, Arg>>,
    /// Scalars and enums.
    leaves: Vec<String>,
    roots: HashMap<&'static str, String>,
}

impl Schema {
    pub fn parse(sdl: &str) -> Schema {
        let doc = graphql_parser::parse_schema::<String>(sdl).expect("the SDL parses");
        let mut schema = Schema {
            objects: HashMap::new(),
            inputs: HashMap::new(),
            leaves: ["String", "Int", "Float", "Boolean", "ID"]
                .map(str::to_string)
                .to_vec(),
            roots: HashMap::from([
                ("query", "Query".to_string()),
                ("mutation", "Mutation".to_string()),
                ("subscription", "Subscription".to_string()),
            ]),
        };
        for definition in doc.definitions {
            match definition {
                s::Definition::SchemaDefinition(d) => {
                    for (kind, name) in [
                        ("query", d.query),
                        ("mutation", d.mutation),
                        ("subscription", d.subscription),
                    ] {
                        if let Some(name) = name {
                            schema.roots.insert(kind, name);
                        }
                    }
                }
                s::Definition::TypeDefinition(TypeDefinition::Object(o)) => {
                    let fields = o
                        .fields
                        .iter()
                        .map(|f| {
                            let args = f
                                .arguments
                                .iter()
                                .map(|a| {
                                    let arg = Arg {
                                        ty: type_text(&a.value_type),
                                        has_default: a.default_value.is_some(),
                                    };
                                    (a.name.clone(), arg)
                                })
                                .collect();
                            let def = FieldDef {
                                ty: named(&f.field_type),
                                args,
                            };
                            (f.name.clone(), def)
                        })
                        .collect();
                    schema.objects.insert(o.name, fields);
                }
                s::Definition::TypeDefinition(TypeDefinition::InputObject(i)) => {
                    let fields = i
                        .fields
                        .iter()
                        .map(|f| {
                            let arg = Arg {
                                ty: type_text(&f.value_type),
                                has_default: f.default_value.is_some(),
                            };
                            (f.name.clone(), arg)
                        })
                        .collect();
                    schema.inputs.insert(i.name, fields);
                }
                s::Definition::TypeDefinition(TypeDefinition::Scalar(x)) => {
                    schema.leaves.push(x.name)
                }
                s::Definition::TypeDefinition(TypeDefinition::Enum(e)) => {
                    schema.leaves.push(e.name)
                }
                _ => {}
            }
        }
        schema
    }

    fn knows_type(&self, name: &str) -> bool {
        self.leaves.iter().any(|l| l == name)
            || self.objects.contains_key(name)
            || self.inputs.contains_key(name)
    }

    /// The root object type for `kind` (`query`, `mutation`, `subscription`).
    pub fn root(&self, kind: &str) -> Option<&str> {
        self.roots.get(kind).map(String::as_str)
    }
}

/// One operation of a parsed document: its kind and root selection.
pub struct Operation<'d> {
    pub kind: &'static str,
    pub name: Option<String>,
    pub variables: Vec<(String, String, bool)>,
    pub selection: &'d SelectionSet<'static, String>,
}

/// The operations of a document, or the parse error.
pub fn operations<'d>(doc: &'d q::Document<'static, String>) -> Vec<Operation<'d>> {
    doc.definitions
        .iter()
        .filter_map(|d| match d {
            Definition::Operation(op) => Some(op),
            Definition::Fragment(_) => None,
        })
        .map(|op| {
            let (kind, name, vars, selection) = match op {
                OperationDefinition::SelectionSet(set) => ("query", None, &[][..], set),
                OperationDefinition::Query(x) => (
                    "query",
                    x.name.clone(),
                    &x.variable_definitions[..],
                    &x.selection_set,
                ),
                OperationDefinition::Mutation(x) => (
                    "mutation",
                    x.name.clone(),
                    &x.variable_definitions[..],
                    &x.selection_set,
                ),
                OperationDefinition::Subscription(x) => (
                    "subscription",
                    x.name.clone(),
                    &x.variable_definitions[..],
                    &x.selection_set,
                ),
            };
            Operation {
                kind,
                name,
                variables: vars
                    .iter()
                    .map(|v| {
                        (
                            v.name.clone(),
                            type_text(&v.var_type),
                            v.default_value.is_some(),
                        )
                    })
                    .collect(),
                selection,
            }
        })
        .collect()
}

pub fn parse(document: &str) -> Result<q::Document<'static, String>, String> {
    q::parse_query::<String>(document)
        .map(|d| d.into_static())
        .map_err(|e| format!("Syntax Error: {e}"))
}

/// The validation errors of `document` against `schema`, in graphql-js's words.
pub fn validate(schema: &Schema, document: &str) -> Vec<String> {
    let doc = match parse(document) {
        Ok(doc) => doc,
        Err(e) => return vec![e],
    };
    let mut errors = Vec::new();
    for op in operations(&doc) {
        let vars: HashMap<&str, (&str, bool)> = op
            .variables
            .iter()
            .map(|(n, t, d)| (n.as_str(), (t.as_str(), *d)))
            .collect();
        for (_, ty, _) in &op.variables {
            let base = ty.trim_matches(|c| c == '[' || c == ']' || c == '!');
            if !schema.knows_type(base) {
                errors.push(format!("Unknown type \"{base}\"."));
            }
        }
        let Some(root) = schema.root(op.kind) else {
            errors.push(format!("Schema is not configured for {}s.", op.kind));
            continue;
        };
        check_selection(schema, root, op.selection, &vars, &mut errors);
    }
    errors
}

fn check_selection(
    schema: &Schema,
    type_name: &str,
    set: &SelectionSet<'static, String>,
    vars: &HashMap<&str, (&str, bool)>,
    errors: &mut Vec<String>,
) {
    let Some(fields) = schema.objects.get(type_name) else {
        return;
    };
    for item in &set.items {
        let Selection::Field(field) = item else {
            continue; // fragments: not used by astrodash's documents
        };
        if field.name == "__typename" {
            continue;
        }
        let Some(def) = fields.get(&field.name) else {
            errors.push(format!(
                "Cannot query field \"{}\" on type \"{type_name}\".",
                field.name
            ));
            continue;
        };
        let path = format!("{type_name}.{}", field.name);
        for (arg_name, value) in &field.arguments {
            match def.args.iter().find(|(n, _)| n == arg_name) {
                None => errors.push(format!(
                    "Unknown argument \"{arg_name}\" on field \"{path}\"."
                )),
                Some((_, arg)) => check_value(schema, &arg.ty, value, vars, errors),
            }
        }
        for (arg_name, arg) in &def.args {
            let given = field.arguments.iter().any(|(n, _)| n == arg_name);
            if arg.ty.ends_with('!') && !arg.has_default && !given {
                errors.push(format!(
                    "Field \"{path}\" argument \"{arg_name}\" of type \"{}\" is required, but it was not provided.",
                    arg.ty
                ));
            }
        }
        let is_object = schema.objects.contains_key(&def.ty);
        match (is_object, field.selection_set.items.is_empty()) {
            (true, true) => errors.push(format!(
                "Field \"{}\" of type \"{}\" must have a selection of subfields. Did you mean \"{} {{ ... }}\"?",
                field.name, def.ty, field.name
            )),
            (false, false) => errors.push(format!(
                "Field \"{}\" must not have a selection since type \"{}\" has no subfields.",
                field.name, def.ty
            )),
            (true, false) => check_selection(schema, &def.ty, &field.selection_set, vars, errors),
            (false, true) => {}
        }
    }
}

/// A variable where `expected` is wanted, or an input object literal.
fn check_value(
    schema: &Schema,
    expected: &str,
    value: &q::Value<'static, String>,
    vars: &HashMap<&str, (&str, bool)>,
    errors: &mut Vec<String>,
) {
    match value {
        q::Value::Variable(name) => match vars.get(name.as_str()) {
            None => errors.push(format!("Variable \"${name}\" is not defined.")),
            Some((var_ty, has_default)) => {
                let fits = *var_ty == expected
                    || var_ty.strip_suffix('!') == Some(expected)
                    || (*has_default && expected.strip_suffix('!') == Some(var_ty));
                if !fits {
                    errors.push(format!(
                        "Variable \"${name}\" of type \"{var_ty}\" used in position expecting type \"{expected}\"."
                    ));
                }
            }
        },
        q::Value::Object(entries) => {
            let input_name = expected.trim_end_matches('!');
            let Some(input) = schema.inputs.get(input_name) else {
                return;
            };
            for (key, inner) in entries {
                match input.get(key) {
                    None => errors.push(format!(
                        "Field \"{key}\" is not defined by type \"{input_name}\"."
                    )),
                    Some(arg) => check_value(schema, &arg.ty, inner, vars, errors),
                }
            }
        }
        _ => {}
    }
}
