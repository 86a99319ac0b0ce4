//! The documents in `queries/` against `schema.graphql`, for what graphql_client's codegen does
//! not check: argument names, required arguments, variable types, input-object fields and unused
//! variables. (Field names are checked at compile time by the derive.) A deliberately small
//! reader: our documents have arguments only on the root field.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::Path;

/// `name -> (type, has_default)`.
type Args = HashMap<String, (String, bool)>;

struct Schema {
    /// Root fields of Query and Mutation with their arguments.
    roots: HashMap<String, Args>,
    /// Input object types with their fields.
    inputs: HashMap<String, Args>,
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// Remove `# comments`.
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text between the `{` after `header` and its matching `}`.
fn block<'a>(text: &'a str, header: &str) -> Option<&'a str> {
    let start = text.find(header)? + header.len();
    let open = start + text[start..].find('{')?;
    let close = open + matching(&text[open..], '{', '}')?;
    Some(&text[open + 1..close])
}

/// Offset of the bracket closing the one at the start of `text`.
fn matching(text: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// `a: T, b: U! = X` (commas or newlines) → Args.
fn parse_defs(text: &str) -> Args {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (name, rest) = p.split_once(':')?;
            let (ty, default) = match rest.split_once('=') {
                Some((ty, _)) => (ty, true),
                None => (rest, false),
            };
            Some((
                name.trim().trim_start_matches('$').to_string(),
                (ty.trim().to_string(), default),
            ))
        })
        .collect()
}

fn parse_schema(text: &str) -> Schema {
    let text = strip_comments(text);
    let mut roots = HashMap::new();
    for root in ["type Query", "type Mutation"] {
        let body = block(&text, root).unwrap();
        let mut rest = body;
        while let Some(start) = rest.find(|c: char| c.is_ascii_alphabetic()) {
            rest = &rest[start..];
            let name_end = rest
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .unwrap();
            let name = rest[..name_end].to_string();
            rest = rest[name_end..].trim_start();
            let mut args = Args::new();
            if rest.starts_with('(') {
                let close = matching(rest, '(', ')').unwrap();
                args = parse_defs(&rest[1..close]);
                rest = &rest[close + 1..];
            }
            // Skip `: Type` to the end of the line.
            rest = rest.split_once('\n').map_or("", |(_, r)| r);
            roots.insert(name, args);
        }
    }
    let mut inputs = HashMap::new();
    let mut rest = text.as_str();
    while let Some(pos) = rest.find("\ninput ") {
        rest = &rest[pos + 7..];
        let name = rest.split_whitespace().next().unwrap().to_string();
        let body = block(rest, &name).unwrap();
        inputs.insert(name, parse_defs(body));
    }
    Schema { roots, inputs }
}

/// A variable of type `var` may be passed where `arg` is expected.
fn compatible(var: &str, arg: &str) -> bool {
    let base = |t: &str| t.trim_end_matches('!').to_string();
    base(var) == base(arg) && (!arg.ends_with('!') || var.ends_with('!'))
}

fn check_document(schema: &Schema, file: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let text = strip_comments(text);
    let body_start = text.find('{').unwrap();
    let header = &text[..body_start];
    assert_eq!(
        text.matches("query ").count() + text.matches("mutation ").count(),
        1,
        "{file}: exactly one operation per file"
    );
    let vars = header
        .find('(')
        .map(|open| parse_defs(&header[open + 1..header.rfind(')').unwrap()]))
        .unwrap_or_default();
    let body = &text[body_start + 1..];
    let field_start = body.find(|c: char| c.is_ascii_alphabetic()).unwrap();
    let body = &body[field_start..];
    let name_end = body
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap();
    let field = &body[..name_end];
    let Some(field_args) = schema.roots.get(field) else {
        return vec![format!("{file}: no root field {field}")];
    };
    let after = body[name_end..].trim_start();
    let mut used = Vec::new();
    let mut given = Vec::new();
    if after.starts_with('(') {
        let close = matching(after, '(', ')').unwrap();
        let args_text = &after[1..close];
        // Values are `$var` or `{ key: $var, ... }`.
        let mut rest = args_text.trim();
        while !rest.is_empty() {
            let (name, value_rest) = rest.split_once(':').unwrap();
            let name = name.trim().trim_start_matches(',').trim();
            let value_rest = value_rest.trim_start();
            given.push(name.to_string());
            let Some((arg_ty, _)) = field_args.get(name) else {
                problems.push(format!("{file}: {field} has no argument {name}"));
                break;
            };
            if value_rest.starts_with('{') {
                let close = matching(value_rest, '{', '}').unwrap();
                let input_name = arg_ty.trim_end_matches('!');
                let input = &schema.inputs[input_name];
                for (key, (var, _)) in parse_defs(&value_rest[1..close]) {
                    let var = var.trim_start_matches('$').to_string();
                    match (input.get(&key), vars.get(&var)) {
                        (None, _) => problems.push(format!("{file}: {input_name} has no {key}")),
                        (_, None) => problems.push(format!("{file}: ${var} not declared")),
                        (Some((field_ty, _)), Some((var_ty, _))) => {
                            if !compatible(var_ty, field_ty) {
                                problems.push(format!(
                                    "{file}: ${var}: {var_ty} cannot go to {input_name}.{key}: {field_ty}"
                                ));
                            }
                        }
                    }
                    used.push(var);
                }
                rest = value_rest[close + 1..].trim_start().trim_start_matches(',');
            } else if !value_rest.starts_with('$') {
                // A literal (`take: -1`): nothing to declare.
                let end = value_rest
                    .find([',', '\n', ' '])
                    .unwrap_or(value_rest.len());
                rest = value_rest[end..].trim_start().trim_start_matches(',');
            } else {
                let end = value_rest
                    .find([',', '\n', ' '])
                    .unwrap_or(value_rest.len());
                let var = value_rest[..end].trim().trim_start_matches('$').to_string();
                match vars.get(&var) {
                    None => problems.push(format!("{file}: ${var} not declared")),
                    Some((var_ty, _)) if !compatible(var_ty, arg_ty) => problems.push(format!(
                        "{file}: ${var}: {var_ty} cannot go to {field}({name}: {arg_ty})"
                    )),
                    Some(_) => {}
                }
                used.push(var);
                rest = value_rest[end..].trim_start().trim_start_matches(',');
            }
            rest = rest.trim();
        }
    }
    for (name, (ty, default)) in field_args {
        if ty.ends_with('!') && !default && !given.contains(name) {
            problems.push(format!("{file}: {field} needs argument {name}: {ty}"));
        }
    }
    for var in vars.keys() {
        if !used.contains(var) {
            problems.push(format!("{file}: ${var} is declared but not used"));
        }
    }
    problems
}

/// Every document in `queries/` and `queries/mutations/`.
fn documents() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut docs: Vec<(String, String)> = Vec::new();
    for (dir, prefix) in [(root.clone(), ""), (root.join("mutations"), "mutations/")] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|e| e == "graphql") {
                docs.push((
                    format!("{prefix}{}", p.file_name().unwrap().to_string_lossy()),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }
    docs.sort();
    docs
}

#[test]
fn every_document_fits_the_schema() {
    let schema = parse_schema(&read("schema.graphql"));
    let docs = documents();
    assert_eq!(
        docs.len(),
        96,
        "{:?}",
        docs.iter().map(|d| &d.0).collect::<Vec<_>>()
    );
    let problems: Vec<String> = docs
        .iter()
        .flat_map(|(file, text)| check_document(&schema, file, text))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_checker_catches_mistakes() {
    let schema = parse_schema(&read("schema.graphql"));
    let bad = [
        "query A($workspaceUuid: Uuid!) { workspace(workspaceUid: $workspaceUuid) { id } }",
        "query A($workspaceUuid: Uuid) { workspace(workspaceUuid: $workspaceUuid) { id } }",
        "query A { workspace { id } }",
        "query A($id: Uuid!) { deployment(where: { id: $id }) { id } }",
        "query A($id: String!) { deployment(where: { uuid: $id }) { id } }",
        "query A($x: String, $deploymentId: Id!) { deploymentUsers(deploymentId: $deploymentId) { id } }",
    ];
    for doc in bad {
        assert!(
            !check_document(&schema, "bad", doc).is_empty(),
            "not caught: {doc}"
        );
    }
    let good = "mutation A($identity: String, $password: String!) { createToken(identity: $identity, password: $password) { token { value } } }";
    assert_eq!(check_document(&schema, "good", good), Vec::<String>::new());
}

#[test]
fn variable_names_follow_the_shared_convention() {
    // houston-local's test supplies variables by these names.
    let allowed = [
        "$workspaceUuid: Uuid!",
        "$deploymentUuid: Uuid!",
        "$releaseName: String",
        "$releaseName: String!",
        "$id: String!",
        "$deploymentId: Id!",
        // Clusters (Houston 1.0+); `runtimeReleases` takes one optionally.
        "$clusterId: Uuid!",
        "$clusterId: Uuid",
        "$identity: String",
        "$password: String!",
        // `logs`: optional, so houston-local's test leaves them out.
        "$component: String",
        "$timestamp: DateTime",
        "$search: String",
        // `deploymentTaskUsage`: optional (the server's default range ends now).
        "$startDate: DateTime",
    ];
    // Mutations are not run by that test (they would change its data).
    for (file, text) in documents()
        .into_iter()
        .filter(|(f, _)| !f.starts_with("mutations/"))
    {
        let text = strip_comments(&text);
        let header = text.split('{').next().unwrap();
        if let Some(open) = header.find('(') {
            let defs = &header[open + 1..header.rfind(')').unwrap()];
            for def in defs.split(',').map(str::trim) {
                assert!(allowed.contains(&def), "{file}: {def}");
            }
        }
    }
}

#[test]
fn no_document_asks_for_secrets_we_never_display() {
    // Service-account keys are shown once, by the web UI, right after creation; astrodash lists
    // service accounts without ever fetching (and keeping) their keys.
    for (file, text) in documents() {
        let text = strip_comments(&text);
        for secret in ["apiKey", "password"] {
            let asked = text
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .any(|word| word == secret);
            // `createToken(password: $password)` is the login itself, not a selection; a new
            // service account's key is read once, shown once and never stored.
            let allowed = (secret == "password" && file.contains("create_token"))
                || (secret == "apiKey"
                    && file.starts_with("mutations/create_")
                    && file.ends_with("_service_account.graphql"));
            assert!(!asked || allowed, "{file} selects {secret}");
        }
    }
}
