//! Query strings and JSON bodies of the simulated APIs: decoding, paging, filters.

use serde_json::Value;

/// The server's `maximum_page_limit` (Airflow's default), also the default `limit`.
pub(super) const MAX_PAGE: usize = 100;

/// A decoded query string, in order (keys may repeat: `state=a&state=b`).
pub(super) struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(q: &str) -> Self {
        Query(
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated key, also comma-separated ones (`tags=a,b`).
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(',').map(str::to_string).collect::<Vec<_>>())
            .filter(|v| !v.is_empty())
            .collect()
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.get(key)? {
            "true" | "True" | "1" => Some(true),
            "false" | "False" | "0" => Some(false),
            _ => None,
        }
    }

    /// (offset, limit): `limit` capped at the page limit as Airflow does, not refused.
    pub fn page(&self) -> Result<(usize, usize), String> {
        page_of(self.get("offset"), self.get("limit"))
    }
}

pub(super) fn page_of(offset: Option<&str>, limit: Option<&str>) -> Result<(usize, usize), String> {
    let offset = match offset {
        Some(o) => o
            .parse::<usize>()
            .map_err(|_| format!("'{o}' is not of type 'integer' - 'offset'"))?,
        None => 0,
    };
    let limit = match limit {
        Some(l) => l
            .parse::<usize>()
            .map_err(|_| format!("'{l}' is not of type 'integer' - 'limit'"))?,
        None => MAX_PAGE,
    };
    Ok((offset, limit.min(MAX_PAGE)))
}

/// The page of a JSON list body (`page_offset`, `page_limit`).
pub(super) fn body_page(body: &Value) -> Result<(usize, usize), String> {
    let num = |k: &str| {
        body.get(k).map(|v| {
            v.as_u64()
                .map(|n| n.to_string())
                .unwrap_or_else(|| v.to_string())
        })
    };
    page_of(num("page_offset").as_deref(), num("page_limit").as_deref())
}

/// A JSON body's list of strings (`dag_ids`, `states`, …); absent or null = no filter.
pub(super) fn strings(body: &Value, key: &str) -> Option<Vec<String>> {
    let list = body.get(key)?.as_array()?;
    Some(
        list.iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
    )
}

/// Percent-decoding, `+` as a space.
pub(super) fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// An RFC 3339 time in a filter (`start_date_gte`), in ms.
pub(super) fn time(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.timestamp_millis())
}

/// Airflow's `dag_id_pattern`: a SQL `LIKE '%pattern%'`, case-insensitive.
pub(super) fn matches_pattern(id: &str, pattern: &str) -> bool {
    id.to_lowercase().contains(&pattern.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_pages() {
        let q = Query::parse("dag_id_pattern=load%5Fx&limit=500&state=a&state=b,c&x=%zz");
        assert_eq!(q.get("dag_id_pattern"), Some("load_x"));
        assert_eq!(q.page(), Ok((0, MAX_PAGE)));
        assert_eq!(q.all("state"), vec!["a", "b", "c"]);
        assert_eq!(q.get("x"), Some("%zz"));
        assert!(Query::parse("limit=ten").page().is_err());
    }
}
