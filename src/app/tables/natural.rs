//! Natural text order for sorting: `deploy-3` before `deploy-11`.

use std::cmp::Ordering;

/// Runs of digits compared as numbers, everything else ignoring case; then case-sensitively,
/// so the order is total. ASCII text, the usual case, is compared without allocating: sorting
/// thousands of rows calls this a lot.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let folded = if a.is_ascii() && b.is_ascii() {
        compare(a.as_bytes(), b.as_bytes(), true)
    } else {
        // UTF-8 bytes sort as their characters do, and digits are single bytes.
        compare(
            a.to_lowercase().as_bytes(),
            b.to_lowercase().as_bytes(),
            false,
        )
    };
    folded.then_with(|| a.cmp(b))
}

fn compare(a: &[u8], b: &[u8], fold: bool) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let (end_a, end_b) = (digits_end(a, i), digits_end(b, j));
            let order = compare_numbers(&a[i..end_a], &b[j..end_b]);
            if order != Ordering::Equal {
                return order;
            }
            (i, j) = (end_a, end_b);
        } else {
            let (x, y) = if fold {
                (a[i].to_ascii_lowercase(), b[j].to_ascii_lowercase())
            } else {
                (a[i], b[j])
            };
            if x != y {
                return x.cmp(&y);
            }
            (i, j) = (i + 1, j + 1);
        }
    }
    // The one that ran out first is a prefix of the other.
    (a.len() - i).cmp(&(b.len() - j))
}

fn digits_end(s: &[u8], from: usize) -> usize {
    from + s[from..].iter().take_while(|c| c.is_ascii_digit()).count()
}

/// Two runs of digits by value, of any length (no overflow); `7` before `007`.
fn compare_numbers(x: &[u8], y: &[u8]) -> Ordering {
    let (sx, sy) = (significant(x), significant(y));
    sx.len()
        .cmp(&sy.len())
        .then_with(|| sx.cmp(sy))
        .then_with(|| x.len().cmp(&y.len()))
}

/// The digits without leading zeros.
fn significant(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[zeros..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(items: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn numbers_compare_as_numbers() {
        assert_eq!(
            sorted(&["deploy-11", "deploy-3", "deploy-100", "deploy-20"]),
            ["deploy-3", "deploy-11", "deploy-20", "deploy-100"]
        );
        assert_eq!(
            sorted(&["v1.10.0", "v1.9.2", "v1.9.10"]),
            ["v1.9.2", "v1.9.10", "v1.10.0"]
        );
        assert_eq!(natural_cmp("img7", "img007"), Ordering::Less);
        assert_eq!(natural_cmp("img007", "img8"), Ordering::Less);
        // Longer than any integer type.
        assert_eq!(
            natural_cmp("x99999999999999999999999", "x100000000000000000000000"),
            Ordering::Less
        );
    }

    #[test]
    fn text_ignores_case_then_breaks_ties_by_case() {
        assert_eq!(
            sorted(&["beta", "Alpha", "alpha"]),
            ["Alpha", "alpha", "beta"]
        );
        assert_eq!(natural_cmp("abc", "abcd"), Ordering::Less);
        assert_eq!(natural_cmp("", "a"), Ordering::Less);
        assert_eq!(natural_cmp("a", "a"), Ordering::Equal);
        assert_eq!(
            sorted(&["Été 10", "été 9", "Zeta"]),
            ["Zeta", "été 9", "Été 10"],
            "non-ASCII: lower-cased, numbers still numbers"
        );
    }
}
