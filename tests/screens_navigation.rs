//! Snapshots of the navigation overlays (palette, describe, copy menu, contexts), the mono theme
//! and the too-small notice, at 80×24 and 160×48, from fixture data and a fixed clock; and the
//! styles each theme gives.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use astrodash::app::state::*;
use astrodash::app::update::update;
use astrodash::config::{ContextEntry, ContextSource, Settings, ThemeName};
use common::*;
use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

fn snap(name: &str, state: &AppState) {
    for (w, h) in [(80, 24), (160, 48)] {
        let text = render(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

fn at_workspace(tab: WorkspaceTab) -> AppState {
    let mut s = loaded_state();
    s.nav.routes.push(Route::Workspace {
        id: "ws-data".into(),
        tab,
    });
    s
}

#[test]
fn palette_with_commands() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, ch(':'));
    let text = render(&s, 80, 24);
    assert!(text.contains("╭ Command"), "{text}");
    assert!(text.contains("ws (workspaces, workspace, w)"), "{text}");
    assert!(text.contains("Enter run"), "hints of the palette: {text}");
    snap("palette_commands", &s);
}

#[test]
fn palette_completing_names() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, ch(':'));
    type_text(&mut s, "dep re");
    update(&mut s, key(KeyCode::Tab));
    let text = render(&s, 80, 24);
    assert!(text.contains(":deploy reporting"), "{text}");
    assert!(text.contains("› deploy reporting"), "{text}");
    // The typed characters are highlighted in the suggestion.
    let buffer = render_buffer(&s, 80, 24);
    let row = text
        .lines()
        .position(|l| l.contains("› deploy reporting"))
        .unwrap() as u16;
    let line: String = text.lines().nth(row as usize).unwrap().to_string();
    let col = line.chars().position(|c| c == '›').unwrap() as u16;
    // "› deploy reporting": 'r' of reporting is at +9.
    assert!(
        buffer[(col + 9, row)]
            .modifier
            .contains(Modifier::UNDERLINED)
    );
    snap("palette_names", &s);
}

#[test]
fn palette_error() {
    let mut s = loaded_state();
    update(&mut s, ch(':'));
    type_text(&mut s, "vars");
    update(&mut s, key(KeyCode::Enter));
    let text = render(&s, 80, 24);
    // The palette closes; the message line says why, naming the command.
    assert!(s.ui.modals.is_empty());
    assert!(
        text.contains("✗ :vars — Open a deployment first (:deploy NAME)"),
        "{text}"
    );
    snap("palette_error", &s);
}

#[test]
fn describe_a_deployment_with_a_search() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, ch('d'));
    update(&mut s, ch('/'));
    type_text(&mut s, "au");
    let text = render(&s, 80, 24);
    assert!(
        text.contains("deployment prod-etl — YAML, secrets masked"),
        "{text}"
    );
    assert!(text.contains("releaseName: quantum-nebula-1234"), "{text}");
    assert!(text.contains("/au"), "the search line: {text}");
    assert!(
        text.contains("Enter search"),
        "hints of the search line: {text}"
    );
    snap("describe_search", &s);
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('n'));
    let text = render(&s, 80, 24);
    assert!(text.contains("match 2/"), "{text}");
    assert!(text.contains("›"), "the current match is marked: {text}");
    snap("describe_match", &s);
}

#[test]
fn copy_menu() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    update(&mut s, ch('y'));
    let text = render(&s, 80, 24);
    assert!(text.contains("Copy from deployment prod-etl"), "{text}");
    for entry in [
        "1 ",
        "release name",
        "quantum-nebula-1234",
        "Airflow URL",
        "Flower URL",
        "deployment as JSON",
    ] {
        assert!(text.contains(entry), "{entry}: {text}");
    }
    snap("copy_menu", &s);
}

#[test]
fn contexts_list() {
    let entry = |name: &str, source, url: &str, token: Option<&str>| ContextEntry {
        name: name.into(),
        source,
        url: url.into(),
        app_url: None,
        token: token.map(Into::into),
        read_only: false,
        theme: None,
        trust: Default::default(),
        problem: None,
    };
    let settings = Settings {
        contexts: vec![
            entry(
                "demo",
                ContextSource::Config,
                "http://127.0.0.1:8871/v1",
                Some("t"),
            ),
            entry(
                "prod.example.com",
                ContextSource::AstroCli,
                "https://houston.prod.example.com/v1",
                Some("t"),
            ),
            entry(
                "staging",
                ContextSource::Config,
                "https://houston.staging.example.com/v1",
                None,
            ),
        ],
        ..settings(Some("token"))
    };
    let mut s = AppState::new(&settings, now(), false);
    s.cache = loaded_state().cache;
    update(&mut s, ch(':'));
    type_text(&mut s, "ctx");
    update(&mut s, key(KeyCode::Enter));
    let text = render(&s, 160, 48);
    assert!(text.contains("● demo"), "the current one is marked: {text}");
    assert!(text.contains("astro CLI · https://houston.prod.example.com/v1 · token"));
    assert!(text.contains("astrodash config · https://houston.staging.example.com/v1 · log in"));
    snap("contexts", &s);
}

#[test]
fn mono_theme_from_the_config_carries_meaning_without_colour() {
    let mut s = at_workspace(WorkspaceTab::Deployments);
    s.ui.theme = ThemeName::Mono;
    let text = render(&s, 80, 24);
    assert!(
        text.contains("● HEALTHY") && text.contains("✗ UNHEALTHY"),
        "{text}"
    );
    let buffer = render_buffer(&s, 80, 24);
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset, "no colour at all");
        assert_eq!(cell.bg, Color::Reset, "no colour at all");
    }
    // The selection is reversed and bold.
    let row = text.lines().position(|l| l.contains("prod-etl")).unwrap() as u16;
    assert!(
        buffer[(2, row)]
            .modifier
            .contains(Modifier::REVERSED | Modifier::BOLD)
    );
    snap("theme_mono", &s);
}

#[test]
fn dark_and_light_themes_paint_their_own_background() {
    for (theme, bg) in [
        (ThemeName::Dark, Color::Rgb(0x1c, 0x20, 0x26)),
        (ThemeName::Light, Color::Rgb(0xfa, 0xfa, 0xf7)),
    ] {
        let mut s = at_workspace(WorkspaceTab::Deployments);
        s.ui.theme = theme;
        let buffer = render_buffer(&s, 80, 24);
        // Every cell outside the reversed selection has the theme's background.
        let plain = buffer
            .content()
            .iter()
            .filter(|c| !c.modifier.contains(Modifier::REVERSED));
        for cell in plain {
            assert_eq!(cell.bg, bg, "{theme:?}");
        }
        // Status colours differ from the default theme's.
        let text = render(&s, 80, 24);
        let row = text.lines().position(|l| l.contains("UNHEALTHY")).unwrap() as u16;
        let col = text.lines().nth(row as usize).unwrap().find("✗").unwrap();
        let x = text.lines().nth(row as usize).unwrap()[..col]
            .chars()
            .count() as u16;
        assert!(matches!(buffer[(x, row)].fg, Color::Rgb(..)), "{theme:?}");
    }
    // NO_COLOR still wins over a configured theme.
    let mut s = at_workspace(WorkspaceTab::Deployments);
    s.ui.theme = ThemeName::Dark;
    s.ui.mono = true;
    let buffer = render_buffer(&s, 80, 24);
    assert!(buffer.content().iter().all(|c| c.bg == Color::Reset));
}

#[test]
fn too_small() {
    let s = at_workspace(WorkspaceTab::Deployments);
    for (w, h) in [(79, 24), (80, 23), (60, 15), (30, 8)] {
        let text = render(&s, w, h);
        assert!(text.contains("Terminal too small"), "{w}×{h}: {text}");
        assert!(text.contains(&format!("{w}×{h}")), "{w}×{h}: {text}");
        assert!(!text.contains("Deployments"), "{w}×{h}: {text}");
    }
    insta::assert_snapshot!("too_small_60x15", render(&s, 60, 15));
    insta::assert_snapshot!("too_small_79x24", render(&s, 79, 24));
    // 80×24 itself is the full layout.
    assert!(render(&s, 80, 24).contains("Deployments"));
}
