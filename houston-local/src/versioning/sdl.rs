//! A version's schema as SDL, printed from its own introspection: what the `visible` hooks show
//! at that version, so the SDL is exactly what a client introspecting a server posing as that
//! version sees (`schema_sdl` is every version's fields at once). Descriptions are left out.

use async_graphql::Value as GqlValue;
use serde_json::Value;

use super::HoustonVersion;

const INTROSPECTION: &str = r#"
query {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types {
      kind
      name
      fields(includeDeprecated: true) {
        name
        args { name defaultValue type { ...T } }
        type { ...T }
      }
      inputFields { name defaultValue type { ...T } }
      interfaces { name }
      enumValues(includeDeprecated: true) { name }
      possibleTypes { name }
    }
  }
}
fragment T on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
}"#;

/// The schema of a server posing as `version`, as SDL.
pub async fn sdl_at(version: HoustonVersion) -> Result<String, String> {
    let schema = crate::schema::builder(None).finish();
    let reply = schema
        .execute(async_graphql::Request::new(INTROSPECTION).data(version))
        .await;
    if let Some(e) = reply.errors.first() {
        return Err(e.message.clone());
    }
    let data = match reply.data {
        GqlValue::Null => return Err("introspection returned no data".into()),
        data => data.into_json().map_err(|e| e.to_string())?,
    };
    Ok(render(&data["__schema"]))
}

fn name(v: &Value) -> &str {
    v["name"].as_str().unwrap_or_default()
}

/// `[String!]!` from an introspected type reference.
fn type_ref(t: &Value) -> String {
    match t["kind"].as_str() {
        Some("NON_NULL") => format!("{}!", type_ref(&t["ofType"])),
        Some("LIST") => format!("[{}]", type_ref(&t["ofType"])),
        _ => name(t).to_string(),
    }
}

fn items(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_array().into_iter().flatten()
}

/// `name: Type = default`.
fn input_value(v: &Value) -> String {
    let mut out = format!("{}: {}", name(v), type_ref(&v["type"]));
    if let Some(default) = v["defaultValue"].as_str() {
        out.push_str(&format!(" = {default}"));
    }
    out
}

fn render(schema: &Value) -> String {
    let mut out = String::from("schema {\n");
    for (root, key) in [
        ("query", "queryType"),
        ("mutation", "mutationType"),
        ("subscription", "subscriptionType"),
    ] {
        if let Some(n) = schema[key]["name"].as_str() {
            out.push_str(&format!("\t{root}: {n}\n"));
        }
    }
    out.push_str("}\n");
    let mut types: Vec<&Value> = items(&schema["types"])
        .filter(|t| !name(t).starts_with("__"))
        .collect();
    types.sort_by_key(|t| name(t).to_string());
    for t in types {
        let n = name(t);
        let block = |keyword: &str, lines: Vec<String>, head: String| {
            format!("\n{keyword} {n}{head} {{\n\t{}\n}}\n", lines.join("\n\t"))
        };
        let text = match t["kind"].as_str().unwrap_or_default() {
            "SCALAR" if ["String", "Int", "Float", "Boolean", "ID"].contains(&n) => continue,
            "SCALAR" => format!("\nscalar {n}\n"),
            kind @ ("OBJECT" | "INTERFACE") => {
                let fields: Vec<String> = items(&t["fields"])
                    .map(|f| {
                        let args: Vec<String> = items(&f["args"]).map(input_value).collect();
                        let args = if args.is_empty() {
                            String::new()
                        } else {
                            format!("({})", args.join(", "))
                        };
                        format!("{}{args}: {}", name(f), type_ref(&f["type"]))
                    })
                    .collect();
                // A type whose every field is hidden at this version is not there.
                if fields.is_empty() {
                    continue;
                }
                let interfaces: Vec<&str> = items(&t["interfaces"]).map(name).collect();
                let head = if interfaces.is_empty() {
                    String::new()
                } else {
                    format!(" implements {}", interfaces.join(" & "))
                };
                let keyword = if kind == "OBJECT" {
                    "type"
                } else {
                    "interface"
                };
                block(keyword, fields, head)
            }
            "INPUT_OBJECT" => {
                let fields: Vec<String> = items(&t["inputFields"]).map(input_value).collect();
                if fields.is_empty() {
                    continue;
                }
                block("input", fields, String::new())
            }
            "ENUM" => block(
                "enum",
                items(&t["enumValues"])
                    .map(|v| name(v).to_string())
                    .collect(),
                String::new(),
            ),
            "UNION" => {
                let members: Vec<&str> = items(&t["possibleTypes"]).map(name).collect();
                format!("\nunion {n} = {}\n", members.join(" | "))
            }
            _ => continue,
        };
        out.push_str(&text);
    }
    out
}
