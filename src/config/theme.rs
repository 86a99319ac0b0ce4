//! Which theme the dashboard draws with: the name a user writes (`--theme`, `theme = "…"` in
//! `astrodash.toml`, globally or per context) and the rule that picks one of them.

use std::fmt;

/// A built-in theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ThemeName {
    /// The terminal's own foreground and background, a few accent colours.
    #[default]
    Default,
    /// Light text on a dark background, whatever the terminal's colours.
    Dark,
    /// Dark text on a light background.
    Light,
    /// No colour at all: meaning carried by bold, reverse and symbols.
    Mono,
}

impl ThemeName {
    pub(crate) const ALL: [ThemeName; 4] = [
        ThemeName::Default,
        ThemeName::Dark,
        ThemeName::Light,
        ThemeName::Mono,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ThemeName::Default => "default",
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::Mono => "mono",
        }
    }

    /// `dark`, `Light`, ` mono ` …; the error lists the names that exist.
    pub(crate) fn parse(text: &str) -> Result<ThemeName, String> {
        let wanted = text.trim().to_ascii_lowercase();
        ThemeName::ALL
            .into_iter()
            .find(|t| t.as_str() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = ThemeName::ALL.iter().map(|t| t.as_str()).collect();
                format!(
                    "unknown theme '{}' (themes: {})",
                    text.trim(),
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for ThemeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a theme may come from, in the order they win.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThemeChoice {
    /// `--theme` on the command line: the user's choice for this run, so it beats `NO_COLOR`
    /// (no-color.org: per-instance arguments override it).
    pub flag: Option<ThemeName>,
    /// `theme` at the top of `astrodash.toml`.
    pub global: Option<ThemeName>,
    /// `NO_COLOR` is set (non-empty).
    pub no_color: bool,
}

impl ThemeChoice {
    /// The theme for a context whose own `theme` (if any) is `context`: the flag, else
    /// `NO_COLOR` (mono), else the context's, else the file's, else the default.
    pub fn resolve(&self, context: Option<ThemeName>) -> ThemeName {
        if let Some(flag) = self.flag {
            return flag;
        }
        if self.no_color {
            return ThemeName::Mono;
        }
        context.or(self.global).unwrap_or_default()
    }

    /// Whether `NO_COLOR` decides (mono, no matter what the files say).
    pub(crate) fn forced_mono(&self) -> bool {
        self.flag.is_none() && self.no_color
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_any_case_and_errors_list_the_themes() {
        assert_eq!(ThemeName::parse(" Dark "), Ok(ThemeName::Dark));
        assert_eq!(ThemeName::parse("mono"), Ok(ThemeName::Mono));
        assert_eq!(
            ThemeName::parse("solarized"),
            Err("unknown theme 'solarized' (themes: default, dark, light, mono)".into())
        );
    }

    #[test]
    fn the_flag_beats_no_color_which_beats_the_files() {
        let mut choice = ThemeChoice {
            flag: None,
            global: Some(ThemeName::Light),
            no_color: false,
        };
        assert_eq!(choice.resolve(None), ThemeName::Light);
        assert_eq!(choice.resolve(Some(ThemeName::Dark)), ThemeName::Dark);
        choice.no_color = true;
        assert_eq!(choice.resolve(Some(ThemeName::Dark)), ThemeName::Mono);
        assert!(choice.forced_mono());
        choice.flag = Some(ThemeName::Dark);
        assert_eq!(choice.resolve(Some(ThemeName::Light)), ThemeName::Dark);
        assert!(!choice.forced_mono());
        assert_eq!(ThemeChoice::default().resolve(None), ThemeName::Default);
    }
}
