//! The event loop: one task owns the state; terminal events, effect results, the clock and
//! SIGTERM become messages; the screen is redrawn only after something changed. Ctrl-z hands
//! the terminal back until the process is continued.

use std::io::Write;
use std::time::Duration;

use chrono::Utc;
use color_eyre::eyre::eyre;
use crossterm::event::{
    DisableBracketedPaste, DisableFocusChange, DisableMouseCapture, EnableBracketedPaste,
    EnableFocusChange, EnableMouseCapture, Event, EventStream, KeyEventKind,
};
use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;
use tokio::time::{MissedTickBehavior, interval};

use super::effect::{Effect, Executor};
use super::modal::Modal;
use super::msg::Msg;
use super::signals::{Ended, is_suspend_key, listen_for_terminate, terminated};
use super::state::AppState;
use super::streams::Pacer;
use super::update::{init, update};
use crate::config::Settings;
use crate::houston::HoustonClient;

/// Run the TUI until the user quits or a signal ends it. Restores the terminal on every exit
/// path.
pub async fn run(settings: Settings) -> color_eyre::Result<Ended> {
    run_inner(None, async move { Ok(settings) }).await
}

/// Like [`run`], but the settings come from `startup` (e.g. houston-local coming up for the
/// demo): a first frame saying `starting` is drawn at once instead of waiting for it.
pub async fn run_after<F>(starting: &str, startup: F) -> color_eyre::Result<Ended>
where
    F: Future<Output = color_eyre::Result<Settings>>,
{
    run_inner(Some(starting), startup).await
}

async fn run_inner<F>(starting: Option<&str>, startup: F) -> color_eyre::Result<Ended>
where
    F: Future<Output = color_eyre::Result<Settings>>,
{
    // Error hooks first, so ratatui's panic hook (installed by init) restores the terminal
    // before the report is printed. A second install (e.g. by main) is harmless.
    let _ = color_eyre::install();
    let mono = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let ascii = !crate::ui::ascii::utf8_locale_from_env();

    let mut terminal = ratatui::try_init()?;
    // Pasted tokens arrive as one event instead of a key storm; focus changes let the refresh
    // slow down while nobody looks (terminals that do not report focus ignore the request).
    let _ = crossterm::execute!(std::io::stdout(), EnableBracketedPaste, EnableFocusChange);
    restore_modes_on_panic();
    let mut mouse = false;
    let result = async {
        if let Some(message) = starting {
            terminal.draw(|f| {
                crate::ui::starting::draw_starting(f, message, mono);
                if ascii {
                    crate::ui::ascii::to_ascii(f.buffer_mut());
                }
            })?;
        }
        let settings = startup.await?;
        if settings.mouse {
            capture_mouse();
            mouse = true;
        }
        let client = settings
            .client()
            .map_err(|e| eyre!("cannot create the Houston client: {e}"))?;
        event_loop(&mut terminal, &settings, client, mono, ascii).await
    }
    .await;
    if mouse {
        let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
    }
    let _ = crossterm::execute!(std::io::stdout(), DisableFocusChange, DisableBracketedPaste);
    ratatui::restore();
    result
}

/// Make sure a panic turns the terminal modes astrodash asked for off again (ratatui's hook
/// restores raw mode and the screen, not the mouse, focus reports or bracketed paste).
fn restore_modes_on_panic() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(
            std::io::stdout(),
            DisableMouseCapture,
            DisableFocusChange,
            DisableBracketedPaste
        );
        previous(info);
    }));
}

/// Turn mouse capture on (the panic hook turns it off again).
fn capture_mouse() {
    let _ = crossterm::execute!(std::io::stdout(), EnableMouseCapture);
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        Event::FocusGained => Some(Msg::Focus(true)),
        Event::FocusLost => Some(Msg::Focus(false)),
        _ => None,
    }
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    settings: &Settings,
    client: HoustonClient,
    mono: bool,
    ascii: bool,
) -> color_eyre::Result<Ended> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    // Copy outcomes come back through the same channel as every other effect's result.
    let copy_tx = tx.clone();
    let mut executor = Executor::new(client, tx).with_context(&settings.context_name);
    // Live streams' events, in paced batches (see `app::streams`).
    let inbox = executor.inbox();
    let mut pacer = Pacer::default();
    let mut queued: Vec<Msg> = Vec::new();
    let mut state = AppState::new(settings, Utc::now(), mono);
    state.ui.ascii = ascii;
    state.ui.clipboard.in_tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
    let size = terminal.size()?;
    update(&mut state, Msg::Resize(size.width, size.height));

    // First frame before any network traffic.
    draw(terminal, &state)?;
    let mut effects = init(&mut state);

    let mut events = EventStream::new();
    // Ages on screen ("updated 3s ago") and due refreshes move once a second.
    let mut ticker = interval(Duration::from_secs(1));
    ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut sigterm = listen_for_terminate();

    loop {
        for effect in effects.drain(..) {
            match effect {
                Effect::Quit => return Ok(Ended::Quit),
                Effect::Copy { text, label } => {
                    let outcome =
                        crate::platform::copy_to_clipboard(terminal.backend_mut(), text.expose());
                    let _ = copy_tx.send(Msg::CopyResult {
                        text,
                        label,
                        outcome,
                    });
                }
                other => executor.execute(other),
            }
        }
        if state.quit {
            return Ok(Ended::Quit);
        }

        let msg = tokio::select! {
            // Keys first: the UI stays responsive while replies pour in.
            biased;
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if is_suspend_key(&key) => {
                    suspend(terminal, settings.mouse)?;
                    // The window may have changed while stopped: lay out for its size now.
                    let size = terminal.size()?;
                    Msg::Resize(size.width, size.height)
                }
                Some(Ok(event)) => match to_msg(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(Ended::Quit),
            },
            Some(msg) = rx.recv() => msg,
            batch = inbox.next_batch(&mut pacer) => {
                let at = Utc::now();
                let mut msgs = batch
                    .into_iter()
                    .map(|(id, event)| Msg::Stream { id, at, event });
                let Some(first) = msgs.next() else { continue };
                queued.extend(msgs);
                first
            }
            _ = ticker.tick() => Msg::Tick(Utc::now()),
            signal = terminated(&mut sigterm) => return Ok(Ended::Signal(signal)),
        };
        effects = update(&mut state, msg);
        for msg in queued.drain(..) {
            effects.extend(update(&mut state, msg));
        }
        // Apply whatever else is already queued before paying for a frame.
        while let Ok(msg) = rx.try_recv() {
            effects.extend(update(&mut state, msg));
        }
        executor.reap();
        if !state.quit {
            draw(terminal, &state)?;
        }
    }
}

/// Ctrl-z: the terminal as it was before astrodash (modes off, main screen, cursor shown),
/// stopped until continued, then the dashboard's terminal again, blank, for a whole frame.
fn suspend(terminal: &mut DefaultTerminal, mouse: bool) -> color_eyre::Result<()> {
    if mouse {
        let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
    }
    let _ = crossterm::execute!(std::io::stdout(), DisableFocusChange, DisableBracketedPaste);
    let _ = terminal.show_cursor();
    ratatui::restore();
    super::signals::stop_until_continued();
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All),
        EnableBracketedPaste,
        EnableFocusChange
    )?;
    if mouse {
        capture_mouse();
    }
    // The screen is blank: forget the last frame so the next one is drawn whole
    // (`Terminal::clear` would ask the terminal where its cursor is, which not all answer).
    terminal.swap_buffers();
    Ok(())
}

fn draw(terminal: &mut DefaultTerminal, state: &AppState) -> color_eyre::Result<()> {
    let frame = terminal.draw(|f| crate::ui::draw(f, state))?;
    let area = frame.area;
    // Make the popup's URL clickable (OSC 8) by rewriting it in place after the frame: ratatui
    // cannot carry escape sequences in cells.
    // Only an http(s) URL becomes a link; anything else stays plain text.
    if let Some(Modal::Url(popup)) = state.ui.modals.last()
        && crate::platform::is_web_url(&popup.url)
        && let Some((x, y)) = crate::ui::popup::url_single_line_position(area, popup)
    {
        use crossterm::style::{
            Attribute, Color, Print, SetAttribute, SetBackgroundColor, SetForegroundColor,
        };
        let link = crate::platform::osc8_hyperlink(&popup.url, &popup.url);
        let backend = terminal.backend_mut();
        // Same look as the cell text (accent), so the rewrite is invisible apart from the link.
        let theme = crate::ui::theme::Theme::of(&state.ui);
        let rgb = |c: Option<ratatui::style::Color>, other: Color| match c {
            Some(ratatui::style::Color::Rgb(r, g, b)) => Color::Rgb { r, g, b },
            Some(_) => other,
            None => Color::Reset,
        };
        let color = rgb(theme.accent().fg, Color::Cyan);
        let background = rgb(theme.base().bg, Color::Reset);
        let _ = crossterm::queue!(
            backend,
            crossterm::cursor::MoveTo(x, y),
            SetAttribute(Attribute::Bold),
            SetForegroundColor(color),
            SetBackgroundColor(background),
            Print(link),
            SetAttribute(Attribute::Reset),
            SetForegroundColor(Color::Reset),
            SetBackgroundColor(Color::Reset),
        );
        let _ = backend.flush();
    }
    Ok(())
}
