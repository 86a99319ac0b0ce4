//! Case-insensitive substring filtering of table rows, shared by the reducer (selection) and the
//! UI (which rows to draw).

use crate::houston::model::*;

/// Text a row can be found by.
pub trait Searchable {
    /// Calls `f` with each searchable field until it returns true.
    fn any_field(&self, f: &mut dyn FnMut(&str) -> bool) -> bool;
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

impl Searchable for Workspace {
    fn any_field(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        f(&self.label) || f(opt(&self.description)) || f(self.id.as_str())
    }
}

impl Searchable for Deployment {
    fn any_field(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        f(&self.label)
            || f(&self.release_name)
            || f(self.executor.label())
            || f(self.status.label())
            || f(opt(&self.airflow_version))
            || f(opt(&self.image_tag))
    }
}

impl Searchable for WorkspaceUser {
    fn any_field(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        f(&self.username)
            || f(opt(&self.full_name))
            || f(opt(&self.email))
            || f(self.role.as_ref().map_or("", |r| r.as_str()))
    }
}

impl Searchable for ServiceAccount {
    fn any_field(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        f(&self.label) || f(opt(&self.category)) || f(self.id.as_str())
    }
}

impl Searchable for EnvVar {
    fn any_field(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        // Secret values are never searched (they are empty anyway).
        f(&self.key) || (!self.is_secret && f(&self.value))
    }
}

impl Searchable for DeploymentUser {
    fn any_field(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        f(&self.username)
            || f(opt(&self.full_name))
            || f(opt(&self.email))
            || f(self.role.as_ref().map_or("", |r| r.as_str()))
    }
}

/// Whether `haystack` contains `needle_lower` (already lower-cased), ignoring case, without
/// allocating for ASCII text.
pub fn contains_ignore_case(haystack: &str, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if haystack.is_ascii() && needle_lower.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
        return h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(needle_lower)
}

/// Indices of the rows matching `filter`, in order.
pub fn filtered_indices<T: Searchable>(rows: &[T], filter: &str) -> Vec<usize> {
    if filter.is_empty() {
        return (0..rows.len()).collect();
    }
    let needle = filter.to_lowercase();
    rows.iter()
        .enumerate()
        .filter(|(_, row)| row.any_field(&mut |field| contains_ignore_case(field, &needle)))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_ignoring_case() {
        assert!(contains_ignore_case("Prod-ETL", "etl"));
        assert!(contains_ignore_case("Ünïcode Team", "ünï"));
        assert!(!contains_ignore_case("abc", "abcd"));
        assert!(contains_ignore_case("abc", ""));
    }
}
