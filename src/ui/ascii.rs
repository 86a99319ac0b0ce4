//! Drawing for terminals that cannot show UTF-8 (the locale says so: `LANG=C`): after a frame
//! is laid out, every cell that is not ASCII becomes an ASCII look-alike, so borders, arrows,
//! bullets and names from the server never arrive as mojibake. Done on the finished buffer,
//! once, rather than in every screen's text.

use ratatui::buffer::Buffer;

/// Whether the locale's character set is UTF-8: the first of `LC_ALL`, `LC_CTYPE` and `LANG`
/// that is set and not empty decides (as the C library does); none set is the "C" locale,
/// which is ASCII.
pub(crate) fn utf8_locale(var: impl Fn(&str) -> Option<String>) -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()))
        .is_some_and(|locale| {
            let locale = locale.to_ascii_lowercase();
            locale.contains("utf-8") || locale.contains("utf8")
        })
}

/// [`utf8_locale`] of this process's environment.
pub(crate) fn utf8_locale_from_env() -> bool {
    utf8_locale(|name| std::env::var(name).ok())
}

/// Every non-ASCII cell of `buffer` as its ASCII stand-in (a wide character's second cell is
/// already blank, so the stand-in and a space fill its two columns).
pub(crate) fn to_ascii(buffer: &mut Buffer) {
    for cell in buffer.content.iter_mut() {
        if !cell.symbol().is_ascii() {
            let stand_in = ascii_of(cell.symbol());
            cell.set_symbol(stand_in);
        }
    }
}

/// The ASCII stand-in of one cell's text: a look-alike for the glyphs astrodash draws, `?`
/// for anything else (an accented or CJK name, as `ls` shows it in a C locale).
pub(crate) fn ascii_of(symbol: &str) -> &'static str {
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return "?";
    };
    match c {
        // Box drawing: lines and corners of borders, separators.
        '─' | '━' | '═' | '┄' | '┅' | '┈' | '┉' | '╌' | '╍' | '╴' | '╶' | '╸' | '╺' => {
            "-"
        }
        '│' | '┃' | '║' | '┆' | '┇' | '┊' | '┋' | '╎' | '╏' | '╵' | '╷' | '╹' | '╻' => {
            "|"
        }
        '\u{2500}'..='\u{257f}' => "+",
        // Punctuation.
        '—' | '–' | '‐' | '‑' | '−' => "-",
        '…' | '·' | '∙' => ".",
        '‘' | '’' | '‚' => "'",
        '“' | '”' | '„' => "\"",
        '‹' | '«' => "<",
        '›' | '»' => ">",
        '×' => "x",
        '§' => "#",
        // Arrows and pointers: sort order, upgrades, the cursor.
        '↑' | '▲' | '△' => "^",
        '↓' | '▼' | '▽' => "v",
        '→' | '▶' | '►' | '⇒' => ">",
        '←' | '◀' | '◄' | '⇐' => "<",
        '⟳' | '↻' => "@",
        // Bullets and marks: live, paused, failed, done.
        '•' | '●' | '◆' | '■' => "*",
        '◌' | '○' | '◯' | '□' => "o",
        '⏸' => "=",
        '✗' | '✘' => "x",
        '✓' | '✔' => "+",
        // Bars, sparklines and charts (metrics).
        '░' => ".",
        '▒' => ":",
        '▁' | '▂' | '▃' => "_",
        '▄' | '▅' | '▆' => "=",
        '▇' | '█' | '▓' | '\u{2580}'..='\u{259f}' => "#",
        '\u{2800}' => " ",
        '\u{2801}'..='\u{28ff}' => "*",
        // Control characters made visible (␉ …) and the replacement character.
        '\u{2400}'..='\u{2426}' | '\u{fffd}' => "?",
        '\u{a0}' => " ",
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_first_locale_variable_set_decides() {
        assert!(utf8_locale(env(&[("LANG", "en_US.UTF-8")])));
        assert!(utf8_locale(env(&[("LANG", "C.utf8")])));
        assert!(!utf8_locale(env(&[("LANG", "C")])));
        assert!(!utf8_locale(env(&[])), "no locale at all is the C locale");
        assert!(!utf8_locale(env(&[
            ("LC_ALL", "C"),
            ("LANG", "en_US.UTF-8")
        ])));
        assert!(utf8_locale(env(&[
            ("LC_CTYPE", "de_DE.UTF-8"),
            ("LANG", "C")
        ])));
        assert!(utf8_locale(env(&[("LC_ALL", ""), ("LANG", "fr_FR.UTF-8")])));
        assert!(!utf8_locale(env(&[("LANG", "de_DE.ISO-8859-1")])));
    }

    #[test]
    fn every_glyph_astrodash_draws_has_a_look_alike() {
        let glyphs = "╭─╮│╰╯├┤┼━—–…·‹›×↑↓→←⟳▶◀•●◌⏸✗✓░█▁▇⠋⠼␉␛�";
        let ascii: String = glyphs
            .chars()
            .map(|c| ascii_of(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(ascii, "+-+|+++++---..<>x^v><@><**o=x+.#_#**???");
        assert_eq!(ascii_of("日"), "?");
        assert_eq!(
            ascii_of("e\u{301}"),
            "?",
            "a grapheme of several characters"
        );
    }

    #[test]
    fn a_buffer_becomes_ascii_keeping_its_layout() {
        use ratatui::layout::Rect;
        use ratatui::style::Style;
        let mut buffer = Buffer::empty(Rect::new(0, 0, 12, 1));
        buffer.set_string(0, 0, "│日本 · ok↑", Style::default());
        to_ascii(&mut buffer);
        let line: String = (0..12)
            .map(|x| buffer[(x, 0)].symbol().to_string())
            .collect();
        assert_eq!(line, "|? ?  . ok^ ");
        assert!(buffer.content.iter().all(|c| c.symbol().is_ascii()));
    }
}
