//! Styles, per theme. `default` keeps the terminal's own foreground/background and uses a few
//! accent colours; `dark` and `light` set their own background and text colours, so they read
//! the same in any terminal; `mono` (also what `NO_COLOR` gives) sets no colour at all and carries
//! meaning with modifiers and symbols — crossterm's own NO_COLOR handling would wipe modifiers
//! too, so astrodash reads `NO_COLOR` itself.

use ratatui::style::{Color, Modifier, Style};

use crate::app::state::Ui;
use crate::app::tables::Look;
use crate::config::ThemeName;
use crate::houston::model::DeploymentStatus;

/// The colours of a theme; `None` leaves the terminal's own.
#[derive(Debug, Clone, Copy)]
struct Palette {
    fg: Option<Color>,
    bg: Option<Color>,
    dim: Color,
    accent: Color,
    good: Color,
    bad: Color,
    warn: Color,
    secret: Color,
    /// Text on the yellow badges.
    badge_fg: Color,
}

const DEFAULT: Palette = Palette {
    fg: None,
    bg: None,
    dim: Color::DarkGray,
    accent: Color::Cyan,
    good: Color::Green,
    bad: Color::Red,
    warn: Color::Yellow,
    secret: Color::Magenta,
    badge_fg: Color::Black,
};

const DARK: Palette = Palette {
    fg: Some(Color::Rgb(0xd8, 0xde, 0xe9)),
    bg: Some(Color::Rgb(0x1c, 0x20, 0x26)),
    dim: Color::Rgb(0x7b, 0x85, 0x94),
    accent: Color::Rgb(0x5f, 0xd7, 0xff),
    good: Color::Rgb(0x8f, 0xd4, 0x7a),
    bad: Color::Rgb(0xff, 0x6b, 0x6b),
    warn: Color::Rgb(0xf5, 0xc2, 0x4b),
    secret: Color::Rgb(0xd6, 0x9e, 0xf0),
    badge_fg: Color::Rgb(0x1c, 0x20, 0x26),
};

const LIGHT: Palette = Palette {
    fg: Some(Color::Rgb(0x1f, 0x23, 0x28)),
    bg: Some(Color::Rgb(0xfa, 0xfa, 0xf7)),
    dim: Color::Rgb(0x6a, 0x70, 0x78),
    accent: Color::Rgb(0x00, 0x5f, 0xaf),
    good: Color::Rgb(0x1a, 0x7f, 0x37),
    bad: Color::Rgb(0xc0, 0x1c, 0x28),
    warn: Color::Rgb(0x9a, 0x67, 0x00),
    secret: Color::Rgb(0x8a, 0x2b, 0xa8),
    badge_fg: Color::Rgb(0xfa, 0xfa, 0xf7),
};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Theme {
    pub(crate) mono: bool,
    palette: Palette,
}

impl Theme {
    /// The default theme, or mono.
    pub(crate) fn new(mono: bool) -> Self {
        Theme::named(if mono {
            ThemeName::Mono
        } else {
            ThemeName::Default
        })
    }

    pub(crate) fn named(name: ThemeName) -> Self {
        let palette = match name {
            ThemeName::Dark => DARK,
            ThemeName::Light => LIGHT,
            ThemeName::Default | ThemeName::Mono => DEFAULT,
        };
        Theme {
            mono: name == ThemeName::Mono,
            palette,
        }
    }

    /// The theme the UI state asks for (`NO_COLOR` forces mono).
    pub(crate) fn of(ui: &Ui) -> Self {
        if ui.mono {
            Theme::named(ThemeName::Mono)
        } else {
            Theme::named(ui.theme)
        }
    }

    fn color(&self, fg: Color) -> Style {
        if self.mono {
            Style::new()
        } else {
            Style::new().fg(fg)
        }
    }

    /// The whole screen: the theme's background and text colour (none for default and mono).
    pub(crate) fn base(&self) -> Style {
        let mut style = Style::new();
        if let Some(fg) = self.palette.fg {
            style = style.fg(fg);
        }
        if let Some(bg) = self.palette.bg {
            style = style.bg(bg);
        }
        style
    }

    pub(crate) fn text(&self) -> Style {
        Style::new()
    }
    pub(crate) fn dim(&self) -> Style {
        self.color(self.palette.dim)
    }
    pub(crate) fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub(crate) fn accent(&self) -> Style {
        self.color(self.palette.accent).add_modifier(Modifier::BOLD)
    }
    pub(crate) fn key(&self) -> Style {
        self.color(self.palette.accent).add_modifier(Modifier::BOLD)
    }
    pub(crate) fn border(&self) -> Style {
        self.color(self.palette.dim)
    }
    pub(crate) fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    /// Matched characters (palette completions, describe search).
    pub(crate) fn matched(&self) -> Style {
        self.color(self.palette.warn)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub(crate) fn table_header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub(crate) fn tab_active(&self) -> Style {
        self.color(self.palette.accent)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }
    pub(crate) fn error(&self) -> Style {
        self.color(self.palette.bad).add_modifier(Modifier::BOLD)
    }
    pub(crate) fn info(&self) -> Style {
        self.color(self.palette.good)
    }
    pub(crate) fn warning(&self) -> Style {
        self.color(self.palette.warn).add_modifier(Modifier::BOLD)
    }
    /// STALE, READ-ONLY: must stand out even without colour.
    pub(crate) fn badge(&self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
                .fg(self.palette.badge_fg)
                .bg(self.palette.warn)
                .add_modifier(Modifier::BOLD)
        }
    }
    /// A row whose status just changed: stands out for a while, with or without colour.
    pub(crate) fn changed(&self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        }
    }
    pub(crate) fn secret(&self) -> Style {
        self.color(self.palette.secret)
    }
    /// The style of a table cell's meaning.
    pub(crate) fn look(&self, look: Look) -> Style {
        match look {
            Look::Plain => self.text(),
            Look::Title => self.title(),
            Look::Dim => self.dim(),
            Look::Accent => self.accent(),
            Look::Warning => self.warning(),
            Look::Secret => self.secret(),
            Look::Status(s) => self.status(s),
            Look::Marks => self.text(),
        }
    }

    /// One mark of a run or task state (`app::tables::dags::mark`); other characters plain.
    pub(crate) fn mark(&self, c: char) -> Style {
        match c {
            '●' => self.color(self.palette.good),
            '✗' => self.color(self.palette.bad).add_modifier(Modifier::BOLD),
            '▶' => self.color(self.palette.accent),
            '⟳' | '⏸' => self.color(self.palette.warn),
            '○' | '·' => self.color(self.palette.dim),
            _ => self.text(),
        }
    }

    pub(crate) fn status(&self, status: DeploymentStatus) -> Style {
        match status {
            DeploymentStatus::Healthy => self.color(self.palette.good),
            DeploymentStatus::Unhealthy => {
                self.color(self.palette.bad).add_modifier(Modifier::BOLD)
            }
            DeploymentStatus::Deploying => self.color(self.palette.warn),
            DeploymentStatus::Unknown => self.color(self.palette.dim),
        }
    }
}

/// `● HEALTHY`: the symbol and the word, readable without colour.
pub(crate) use crate::app::tables::specs::status_text;
