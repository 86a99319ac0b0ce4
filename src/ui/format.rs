//! Text formatting shared by the screens: ages, truncation, versions.

use ratatui::text::Span;

use crate::houston::model::{Deployment, Timestamp};

/// `42s`, `3m`, `5h`, `2d` — coarse, for tight columns.
pub(crate) fn short_duration(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86400 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86400),
    }
}

/// `3m ago` (or `just now`).
pub(crate) fn age(now: Timestamp, then: Timestamp) -> String {
    let secs = (now - then).num_seconds();
    if secs < 1 {
        "just now".into()
    } else {
        format!("{} ago", short_duration(secs))
    }
}

pub(crate) fn age_or(now: Timestamp, then: Option<Timestamp>, none: &str) -> String {
    then.map_or_else(|| none.to_string(), |t| age(now, t))
}

/// `2026-01-31 14:05 UTC (3d ago)`.
pub(crate) fn date_and_age(now: Timestamp, then: Option<Timestamp>) -> String {
    match then {
        Some(t) => format!("{} ({})", t.format("%Y-%m-%d %H:%M UTC"), age(now, t)),
        None => "—".into(),
    }
}

/// The display width of `s`.
pub(crate) fn width(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        Span::raw(s).width()
    }
}

fn char_width(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        let mut buf = [0u8; 4];
        Span::raw(&*c.encode_utf8(&mut buf)).width()
    }
}

/// Control characters made visible (`tab\there` → `tab␉here`): a name from the server never
/// moves the cursor or vanishes silently. Bidirectional controls are shown by name
/// (`‹RLO›`): drawn raw, they reorder what follows them on the line.
pub(crate) fn visible(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() || bidi_name(c).is_some()) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�')),
            '\u{7f}' => out.push('␡'),
            c if c.is_control() => out.push('�'),
            c => match bidi_name(c) {
                Some(name) => {
                    out.push('‹');
                    out.push_str(name);
                    out.push('›');
                }
                None => out.push(c),
            },
        }
    }
    out
}

/// The abbreviation of a bidirectional formatting character (Unicode's names for them).
fn bidi_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{61c}' => "ALM",
        '\u{200e}' => "LRM",
        '\u{200f}' => "RLM",
        '\u{202a}' => "LRE",
        '\u{202b}' => "RLE",
        '\u{202c}' => "PDF",
        '\u{202d}' => "LRO",
        '\u{202e}' => "RLO",
        '\u{2066}' => "LRI",
        '\u{2067}' => "RLI",
        '\u{2068}' => "FSI",
        '\u{2069}' => "PDI",
        _ => return None,
    })
}

/// `s` cut to `max` columns, ending in `…` when something was cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    let s = &visible(s);
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `2.8.1`, or `2.8.1 → 2.9.2` while an upgrade is pending.
pub fn airflow_version(d: &Deployment) -> String {
    // A Runtime deployment may come without `airflowVersion`: its Runtime names the Airflow.
    if d.airflow_version.is_none()
        && let Some(a) = &d.runtime_airflow_version
    {
        return a.clone();
    }
    match (&d.airflow_version, &d.desired_airflow_version) {
        (Some(a), Some(want)) if a != want => format!("{a} → {want}"),
        (Some(a), _) => a.clone(),
        (None, Some(want)) => format!("? → {want}"),
        (None, None) => "—".into(),
    }
}

pub(crate) fn or_dash(s: Option<&str>) -> &str {
    match s {
        Some(s) if !s.is_empty() => s,
        _ => "—",
    }
}

/// `s` in lines of at most `max` columns, broken between words (a word longer than a line is
/// broken where it must): all of it is shown, nothing is cut.
pub(crate) fn wrap(s: &str, max: usize) -> Vec<String> {
    let s = visible(s);
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in s.split(' ') {
        let w = width(word);
        if used > 0 && used + 1 + w > max {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        for c in word.chars() {
            let cw = char_width(c);
            if used + cw > max && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_with_ellipsis() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(short_duration(42), "42s");
        assert_eq!(short_duration(180), "3m");
    }

    #[test]
    fn wraps_between_words_and_keeps_everything() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), vec![""]);
        let long = "Workspace already has a deployment named a-very-long-name-indeed";
        let lines = wrap(long, 20);
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), long.replace(' ', ""));
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(visible("plain"), "plain");
        assert_eq!(visible("tab\there"), "tab␉here");
        assert_eq!(visible("a\nb\rc\u{0}"), "a␊b␍c␀");
        assert_eq!(visible("esc\u{1b}[31m"), "esc␛[31m");
        assert_eq!(visible("del\u{7f}"), "del␡");
        assert_eq!(visible("c1\u{85}\u{9b}"), "c1\u{fffd}\u{fffd}");
        assert_eq!(visible("日本\u{7}"), "日本␇");
        // Through truncate, with each symbol one column wide.
        assert_eq!(truncate("tab\there", 20), "tab␉here");
        assert_eq!(truncate("tab\there", 5), "tab␉…");
        assert_eq!(width(&truncate("\u{1b}\u{1b}\u{1b}", 10)), 3);
    }

    #[test]
    fn bidirectional_controls_are_named() {
        assert_eq!(visible("evil\u{202e}gpj.exe"), "evil‹RLO›gpj.exe");
        assert_eq!(
            visible(
                "\u{200e}\u{200f}\u{202a}\u{202b}\u{202c}\u{202d}\u{2066}\u{2067}\u{2068}\u{2069}\u{61c}"
            ),
            "‹LRM›‹RLM›‹LRE›‹RLE›‹PDF›‹LRO›‹LRI›‹RLI›‹FSI›‹PDI›‹ALM›"
        );
        // Right-to-left text itself is left alone.
        assert_eq!(visible("שלום"), "שלום");
        assert_eq!(truncate("a\u{202e}b", 4), "a‹R…");
    }
}
