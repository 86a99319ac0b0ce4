//! Styles. The default theme keeps the terminal's own foreground/background and uses a few accent
//! colours; the mono theme (`NO_COLOR`) sets no colour at all and carries meaning with modifiers
//! and symbols — crossterm's own NO_COLOR handling would wipe modifiers (see tui-anchors §1.2).

use ratatui::style::{Color, Modifier, Style};

use crate::app::tables::Look;
use crate::houston::model::DeploymentStatus;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub mono: bool,
}

impl Theme {
    pub fn new(mono: bool) -> Self {
        Theme { mono }
    }

    fn color(&self, fg: Color) -> Style {
        if self.mono {
            Style::new()
        } else {
            Style::new().fg(fg)
        }
    }

    pub fn text(&self) -> Style {
        Style::new()
    }
    pub fn dim(&self) -> Style {
        self.color(Color::DarkGray)
    }
    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn accent(&self) -> Style {
        self.color(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn key(&self) -> Style {
        self.color(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn border(&self) -> Style {
        self.color(Color::DarkGray)
    }
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    pub fn table_header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn tab_active(&self) -> Style {
        self.color(Color::Cyan)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }
    pub fn error(&self) -> Style {
        self.color(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn info(&self) -> Style {
        self.color(Color::Green)
    }
    pub fn warning(&self) -> Style {
        self.color(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    /// STALE, READ-ONLY: must stand out even without colour.
    pub fn badge(&self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        }
    }
    /// A row whose status just changed: stands out for a while, with or without colour.
    pub fn changed(&self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        }
    }
    pub fn secret(&self) -> Style {
        self.color(Color::Magenta)
    }
    /// The style of a table cell's meaning.
    pub fn look(&self, look: Look) -> Style {
        match look {
            Look::Plain => self.text(),
            Look::Title => self.title(),
            Look::Dim => self.dim(),
            Look::Accent => self.accent(),
            Look::Warning => self.warning(),
            Look::Secret => self.secret(),
            Look::Status(s) => self.status(s),
        }
    }

    pub fn status(&self, status: DeploymentStatus) -> Style {
        match status {
            DeploymentStatus::Healthy => self.color(Color::Green),
            DeploymentStatus::Unhealthy => self.color(Color::Red).add_modifier(Modifier::BOLD),
            DeploymentStatus::Deploying => self.color(Color::Yellow),
            DeploymentStatus::Unknown => self.color(Color::DarkGray),
        }
    }
}

/// `● HEALTHY`: the symbol and the word, readable without colour.
pub use crate::app::tables::specs::status_text;
