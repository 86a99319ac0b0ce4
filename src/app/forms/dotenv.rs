//! `.env` files: `KEY=value` lines, `export` prefixes, `#` comments, single- and double-quoted
//! values (with `\n`, `\"`, `\\` escapes in double quotes), and `# comments` after unquoted values.

/// The variables of a `.env` text, in order (a later line wins), or the first problem with its
/// line number.
pub(crate) fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map_or(line, str::trim_start);
        let Some((key, rest)) = line.split_once('=') else {
            return Err(format!("line {}: expected KEY=value", n + 1));
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err(format!("line {}: '{key}' is not a variable name", n + 1));
        }
        let value = value_of(rest.trim()).map_err(|e| format!("line {}: {e}", n + 1))?;
        out.retain(|(k, _)| k != key);
        out.push((key.to_string(), value));
    }
    Ok(out)
}

fn value_of(rest: &str) -> Result<String, String> {
    if let Some(body) = rest.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Ok(value),
                '\\' => match chars.next() {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some(other) => value.push(other),
                    None => break,
                },
                c => value.push(c),
            }
        }
        return Err("a double-quoted value is not closed".into());
    }
    if let Some(body) = rest.strip_prefix('\'') {
        return match body.find('\'') {
            Some(end) => Ok(body[..end].to_string()),
            None => Err("a single-quoted value is not closed".into()),
        };
    }
    // Unquoted: a ` #` starts a comment.
    let value = match rest.find(" #") {
        Some(i) => &rest[..i],
        None => rest,
    };
    Ok(value.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_dotenv_files_contain() {
        let text = "# settings\n\
                    export API_URL=https://x.example.com # prod\n\
                    QUOTED=\"a \\\"b\\\"\\nc\"\n\
                    SINGLE='x#y $z'\n\
                    \n\
                    EMPTY=\n\
                    API_URL=override\n";
        let vars = parse(text).unwrap();
        assert_eq!(
            vars,
            vec![
                ("QUOTED".to_string(), "a \"b\"\nc".to_string()),
                ("SINGLE".to_string(), "x#y $z".to_string()),
                ("EMPTY".to_string(), String::new()),
                ("API_URL".to_string(), "override".to_string()),
            ]
        );
        assert_eq!(
            parse("JUST_A_NAME").unwrap_err(),
            "line 1: expected KEY=value"
        );
        assert!(parse("A=\"open").unwrap_err().contains("not closed"));
    }
}
