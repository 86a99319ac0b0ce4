//! serde_json's errors in an operator's words: what was wrong with a reply, without Rust type
//! names or positions in a body nobody sees.

/// A serde_json error in an operator's words: no Rust type names, no line/column of a reply
/// the operator never sees.
pub fn plain_serde_error(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    match error.classify() {
        Category::Eof => "it ends in the middle (cut off)".into(),
        Category::Syntax => format!("broken JSON ({text})"),
        Category::Io => format!("it could not be read ({text})"),
        Category::Data => plain_data_error(text),
    }
}

/// serde's data errors ("invalid type: null, expected struct MeSelf", "missing field `id`").
fn plain_data_error(text: &str) -> String {
    if let Some(field) = text
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return format!("the field \"{field}\" is missing");
    }
    if let Some(rest) = text.strip_prefix("unknown variant `")
        && let Some((value, expected)) = rest.split_once('`')
    {
        let expected = expected.trim_start_matches(", ").replace('`', "");
        return format!("\"{value}\" is not a known value ({expected})");
    }
    if let Some(rest) = text.strip_prefix("invalid length ") {
        // serde accepts a list for a struct and then complains about its length.
        return if rest.contains("expected struct") {
            "found a list where an object was expected".into()
        } else {
            "a list has the wrong number of items".into()
        };
    }
    let (found, expected) = match text
        .strip_prefix("invalid type: ")
        .or_else(|| text.strip_prefix("invalid value: "))
        .and_then(|rest| rest.split_once(", expected "))
    {
        Some(parts) => parts,
        None => return words_for_types(text),
    };
    format!(
        "found {} where {} was expected",
        words_for_types(found),
        words_for_types(expected)
    )
}

/// Rust and serde type words → plain words (`struct MeSelf` → an object, `i64` → a whole number).
fn words_for_types(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.next() {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
        let plain = match bare {
            "struct" | "map" => {
                if bare == "struct" {
                    words.next(); // the struct's name
                }
                "an object".to_string()
            }
            "enum" | "variant" => {
                if words.peek().is_some() {
                    words.next();
                }
                "one of the known values".to_string()
            }
            "sequence" => "a list".to_string(),
            "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64"
            | "u128" | "usize" => "a whole number".to_string(),
            "f32" | "f64" => "a number".to_string(),
            "unit" => "nothing".to_string(),
            "str" | "String" => "text".to_string(),
            _ => word.to_string(),
        };
        out.push(plain);
    }
    let joined = out.join(" ").replace('`', "");
    // serde's own words ("a sequence" became "a a list", "string", "integer `5`").
    joined
        .replace("a a list", "a list")
        .replace("an an object", "an object")
        .replace("a an object", "an object")
        .replace("string", "text")
        .replace("a text", "text")
        .replace("floating point", "the number")
        .replace("integer", "the number")
        .replace("boolean", "the value")
}
