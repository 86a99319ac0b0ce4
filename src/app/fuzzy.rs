//! Fuzzy matching for the command palette: the typed characters must appear in order in the
//! candidate (case-insensitive); runs of consecutive characters, the start of the text and the
//! start of words score higher, so `pe` ranks `prod-etl` above `pipeline`.

/// How well `pattern` matches `candidate`, and which characters (char indices) matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub score: u32,
    pub positions: Vec<usize>,
}

const EXACT: u32 = 1000;
const PREFIX: u32 = 200;
const CONSECUTIVE: u32 = 30;
const WORD_START: u32 = 20;
const PER_CHAR: u32 = 10;

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '_' | '.' | '/' | ':')
}

/// `None` when `pattern` is not a subsequence of `candidate`. An empty pattern matches
/// everything with score 0.
pub fn score(pattern: &str, candidate: &str) -> Option<Match> {
    let pattern: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
    if pattern.is_empty() {
        return Some(Match {
            score: 0,
            positions: Vec::new(),
        });
    }
    let original: Vec<char> = candidate.chars().collect();
    let lower: Vec<char> = original
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    if lower.len() < pattern.len() {
        return None;
    }
    let word_start = |i: usize| {
        i == 0
            || is_separator(original[i - 1])
            || (original[i].is_uppercase() && original[i - 1].is_lowercase())
    };
    // Try every place the first character occurs and keep the best greedy match from there:
    // cheap for names this short, and much better than only the first occurrence.
    let mut best: Option<Match> = None;
    for start in (0..lower.len()).filter(|&i| lower[i] == pattern[0]) {
        let mut positions = vec![start];
        let mut at = start + 1;
        for &p in &pattern[1..] {
            // Prefer the next character right here (a run), else its next occurrence.
            match (at..lower.len()).find(|&i| lower[i] == p) {
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
        if lower.len() == pattern.len() {
            s += EXACT;
        }
        // Shorter candidates win ties: fewer characters the user did not type.
        s = s.saturating_sub((lower.len() - pattern.len()).min(50) as u32);
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
