//! Fuzzy matching for the command palette: the typed characters must appear in order in the
//! candidate (case-insensitive); runs of consecutive characters, the start of the text and the
//! start of words score higher, so `pe` ranks `prod-etl` above `pipeline`.

/// How well `pattern` matches `candidate`, and which characters (char indices) matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Match {
    pub(crate) score: u32,
    pub(crate) positions: Vec<usize>,
}

const EXACT: u32 = 1000;
const PREFIX: u32 = 200;
const CONSECUTIVE: u32 = 30;
const WORD_START: u32 = 20;
const PER_CHAR: u32 = 10;

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '_' | '.' | '/' | ':')
}

/// A typed pattern, prepared once for matching against many candidates.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    lower: Vec<char>,
}

fn lower(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

impl Pattern {
    pub(crate) fn new(pattern: &str) -> Pattern {
        Pattern {
            lower: pattern.chars().map(lower).collect(),
        }
    }

    /// Whether every character of the pattern appears in `candidate`, in order — cheap, with
    /// no allocation, so candidates that cannot match are dropped fast.
    fn is_subsequence_of(&self, candidate: &str) -> bool {
        let mut wanted = self.lower.iter().peekable();
        for c in candidate.chars() {
            match wanted.peek() {
                Some(&&w) if lower(c) == w => {
                    wanted.next();
                }
                Some(_) => {}
                None => break,
            }
        }
        wanted.peek().is_none()
    }

    /// `None` when the pattern is not a subsequence of `candidate`. An empty pattern matches
    /// everything with score 0.
    pub(crate) fn score(&self, candidate: &str) -> Option<Match> {
        if self.lower.is_empty() {
            return Some(Match {
                score: 0,
                positions: Vec::new(),
            });
        }
        if !self.is_subsequence_of(candidate) {
            return None;
        }
        score_with(&self.lower, candidate)
    }
}

/// `None` when `pattern` is not a subsequence of `candidate`. An empty pattern matches
/// everything with score 0.
pub(crate) fn score(pattern: &str, candidate: &str) -> Option<Match> {
    Pattern::new(pattern).score(candidate)
}

fn score_with(pattern: &[char], candidate: &str) -> Option<Match> {
    // Names are nearly always ASCII: then bytes are characters and nothing is copied.
    if candidate.is_ascii() && pattern.iter().all(char::is_ascii) {
        let bytes = candidate.as_bytes();
        return best_match(
            pattern,
            bytes.len(),
            |i| char::from(bytes[i].to_ascii_lowercase()),
            |i| char::from(bytes[i]),
        );
    }
    let original: Vec<char> = candidate.chars().collect();
    let folded: Vec<char> = original.iter().map(|&c| lower(c)).collect();
    best_match(pattern, original.len(), |i| folded[i], |i| original[i])
}

/// The best greedy match of `pattern` in a candidate of `len` characters, seen through
/// `lower_at` (folded) and `char_at` (as written, for word starts).
fn best_match(
    pattern: &[char],
    len: usize,
    lower_at: impl Fn(usize) -> char,
    char_at: impl Fn(usize) -> char,
) -> Option<Match> {
    if len < pattern.len() {
        return None;
    }
    let word_start = |i: usize| {
        i == 0
            || is_separator(char_at(i - 1))
            || (char_at(i).is_uppercase() && char_at(i - 1).is_lowercase())
    };
    // Try every place the first character occurs and keep the best greedy match from there:
    // cheap for names this short, and much better than only the first occurrence.
    let mut best: Option<Match> = None;
    for start in (0..len).filter(|&i| lower_at(i) == pattern[0]) {
        let mut positions = vec![start];
        let mut at = start + 1;
        for &p in &pattern[1..] {
            // Prefer the next character right here (a run), else its next occurrence.
            match (at..len).find(|&i| lower_at(i) == p) {
                Some(i) => {
                    positions.push(i);
                    at = i + 1;
                }
                None => break,
            }
        }
        if positions.len() < pattern.len() {
            break;
        }
        let mut s = PER_CHAR * pattern.len() as u32;
        for (k, &i) in positions.iter().enumerate() {
            if k > 0 && positions[k - 1] + 1 == i {
                s += CONSECUTIVE;
            }
            if word_start(i) {
                s += WORD_START;
            }
        }
        if start == 0 {
            s += PREFIX;
        }
        if len == pattern.len() {
            s += EXACT;
        }
        // Shorter candidates win ties: fewer characters the user did not type.
        s = s.saturating_sub((len - pattern.len()).min(50) as u32);
        if best.as_ref().is_none_or(|b| s > b.score) {
            best = Some(Match {
                score: s,
                positions,
            });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsequence_in_any_case() {
        assert!(score("pe", "prod-ETL").is_some());
        assert!(score("PE", "prod-etl").is_some());
        assert!(score("ep", "prod-etl").is_none());
        assert!(score("toolong", "tool").is_none());
        assert_eq!(score("", "x").map(|m| m.score), Some(0));
    }

    #[test]
    fn exact_prefix_and_word_starts_rank_first() {
        let s = |p, c| score(p, c).map_or(0, |m| m.score);
        assert!(s("ws", "ws") > s("ws", "workspaces"));
        assert!(s("dep", "deploy") > s("dep", "a-deployment"));
        assert!(s("pe", "prod-etl") > s("pe", "pipeline"));
        assert!(s("etl", "prod-etl") > s("etl", "metal-lab"));
    }

    #[test]
    fn positions_point_at_the_matched_characters() {
        let m = score("pe", "prod-etl").unwrap();
        assert_eq!(m.positions, vec![0, 5]);
        let m = score("é", "Été").unwrap();
        assert_eq!(m.positions, vec![0]);
    }
}
