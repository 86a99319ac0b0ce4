use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use color_eyre::eyre::eyre;

use clap::Parser;

use astrodash::cli::{Cli, Command, DemoArgs, ServeArgs};
use astrodash::config::{Settings, TokenSource};

/// The system admin that houston-local's demo seed creates.
const DEMO_ADMIN_EMAIL: &str = "admin@astrodash.local";

/// Exit status when astrodash cannot start: bad configuration, or no terminal for the dashboard.
const EXIT_CANNOT_START: i32 = 2;

fn main() -> color_eyre::Result<()> {
    // Parsing first: --help, --version and bad arguments exit before the terminal is touched.
    // No error hooks are installed here: `app::run` installs them once, and installing twice
    // builds an error report, which captures and symbolises a backtrace when RUST_BACKTRACE is
    // set (≈ 70 ms before the first frame).
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Serve(args)) => serve(args),
        Some(Command::Demo(args)) => {
            require_terminal(&[]);
            demo(&cli, args)
        }
        Some(Command::Doctor(connection)) => doctor(&Cli::for_connection(connection)),
        None => {
            let settings = match astrodash::config::resolve(&cli) {
                Ok(settings) => settings,
                Err(e) => {
                    eprintln!("astrodash: {e}");
                    std::process::exit(EXIT_CANNOT_START);
                }
            };
            require_terminal(&settings.warnings);
            run_tui(settings)
        }
    }
}

/// Exit with a clear message unless there is a terminal to draw on and read keys from
/// (crossterm reads keys from stdin when it is a terminal, else from /dev/tty) that can draw
/// a screen (not `TERM=dumb`). Warnings are printed first: without the dashboard they would
/// never be seen.
fn require_terminal(warnings: &[String]) {
    let has_keyboard = || {
        std::io::stdin().is_terminal() || (cfg!(unix) && std::fs::File::open("/dev/tty").is_ok())
    };
    let problem = if !(std::io::stdout().is_terminal() && has_keyboard()) {
        "the dashboard needs a terminal, but standard output is not one (a pipe, a file, or no \
         terminal at all, as under cron or systemd). Run it in a terminal; to run the server \
         alone, use `astrodash serve`."
    } else if std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        // No cursor addressing, no clearing: every frame would scroll past as garbage, and no
        // ASCII or mono fallback can change that.
        "TERM is \"dumb\": this terminal cannot move the cursor or clear the screen, which the \
         dashboard needs to draw. Run it in a terminal emulator (TERM=xterm-256color or \
         similar); `astrodash doctor` checks the connection without one."
    } else {
        return;
    };
    for warning in warnings {
        eprintln!("astrodash: warning: {warning}");
    }
    eprintln!("astrodash: {problem}");
    std::process::exit(EXIT_CANNOT_START);
}

fn runtime() -> color_eyre::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn run_tui(settings: Settings) -> color_eyre::Result<()> {
    let _log_file = astrodash::logging::init();
    for warning in &settings.warnings {
        tracing::warn!("{warning}");
    }
    let ended = runtime()?.block_on(astrodash::app::run(settings))?;
    exit_as(ended);
    Ok(())
}

/// Ended by a signal: exit 128 + its number, as shells report it (the terminal is already
/// restored).
fn exit_as(ended: astrodash::app::signals::Ended) {
    if let Some(code) = ended.exit_code() {
        std::process::exit(code);
    }
}

/// `astrodash doctor`: the connection check, on stdout; exit 0 when all is well, 1 when a
/// problem was found, 2 when the settings themselves are wrong.
fn doctor(cli: &Cli) -> color_eyre::Result<()> {
    let settings = match astrodash::config::resolve(cli) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("astrodash doctor: {e}");
            std::process::exit(EXIT_CANNOT_START);
        }
    };
    for warning in &settings.warnings {
        eprintln!("astrodash doctor: warning: {warning}");
    }
    let report = runtime()?.block_on(astrodash::doctor::diagnose(&settings));
    print!("{}", report.text);
    std::process::exit(if report.ok() { 0 } else { 1 });
}

/// `astrodash serve`: houston-local in the foreground until Ctrl-C.
fn serve(args: &ServeArgs) -> color_eyre::Result<()> {
    if args.print_schema {
        let version = args.houston_version;
        match runtime()?.block_on(houston_local::schema_sdl_at(version)) {
            Ok(sdl) => print!("{sdl}"),
            Err(e) => {
                eprintln!(
                    "astrodash serve: the schema of Houston {version} could not be printed: {e}"
                );
                std::process::exit(1);
            }
        }
        return Ok(());
    }
    let mut airflow = houston_local::AirflowConfig {
        upstream_user: args.airflow_upstream_user.clone(),
        upstream_password: args.airflow_upstream_password.clone(),
        ..houston_local::AirflowConfig::default()
    };
    for spec in &args.airflow_upstream {
        if let Err(e) = airflow.add_upstream(spec) {
            eprintln!("astrodash serve: {e}");
            std::process::exit(EXIT_CANNOT_START);
        }
    }
    let config = houston_local::Config {
        host: args.host.clone(),
        port: args.port,
        db: args.db.clone(),
        seed: args.seed.as_ref().map(|_| houston_local::Seed::Demo),
        unhealthy: args.unhealthy.clone(),
        inactive_clusters: args.inactive_cluster.clone(),
        houston_version: args.houston_version,
        airflow,
        ..houston_local::Config::default()
    };
    runtime()?.block_on(async move {
        let handle = match houston_local::start(config).await {
            Ok(handle) => handle,
            Err(e) => {
                eprintln!("astrodash serve: {e}");
                std::process::exit(1);
            }
        };
        println!(
            "houston-local listening on {} (websocket {})",
            handle.url(),
            handle.ws_url()
        );
        if let Some(email) = &args.reset_admin_password {
            match handle.reset_password(email).await {
                Ok(password) => println!("new password: {email} / {password}"),
                Err(e) => {
                    eprintln!("astrodash serve: {e}");
                    handle.shutdown().await;
                    std::process::exit(1);
                }
            }
        } else if let Some((email, password)) = handle.seeded_admin() {
            println!("demo admin: {email} / {password}");
        } else if handle.database_was_empty() {
            println!("empty database: the first user created with createUser becomes SYSTEM_ADMIN");
        } else {
            let db = args
                .db
                .as_deref()
                .map_or("FILE".into(), |p| p.display().to_string());
            println!(
                "existing database: its admin password was printed when it was seeded; \
                 to set a new one: astrodash serve --db {db} --reset-admin-password [EMAIL]"
            );
        }
        println!("connect with: astrodash --url {}", handle.url());
        let _ = tokio::signal::ctrl_c().await;
        handle.shutdown().await;
        Ok(())
    })
}

/// `astrodash demo`: houston-local in-process with the demo seed, then the TUI logged in as its admin.
/// The TUI's first frame is drawn while houston-local is still starting.
fn demo(cli: &Cli, args: &DemoArgs) -> color_eyre::Result<()> {
    let _log_file = astrodash::logging::init();
    let config = houston_local::Config {
        db: args.db.clone(),
        seed: Some(houston_local::Seed::Demo),
        houston_version: args.houston_version,
        ..houston_local::Config::default()
    };
    let read_only = cli.read_only || args.read_only;
    // Both already checked by clap (1–3600 s).
    let refresh = Duration::from_secs(args.refresh.or(cli.refresh).unwrap_or(5));
    let theme_flag = args.looks.theme.or(cli.looks.theme);
    let mouse = args.looks.mouse || cli.looks.mouse;
    let ended = runtime()?.block_on(async move {
        let server: Arc<Mutex<Option<houston_local::Handle>>> = Arc::default();
        let started = server.clone();
        let startup = async move {
            let handle = houston_local::start(config)
                .await
                .map_err(|e| eyre!("cannot start houston-local: {e}"))?;
            let token = handle
                .issue_token(DEMO_ADMIN_EMAIL)
                .map_err(|e| eyre!("cannot log in to houston-local: {e}"))?;
            let settings = Settings {
                context_name: "demo".into(),
                url: handle.url(),
                token: Some(token.into()),
                token_source: TokenSource::Demo,
                app_url: None,
                read_only,
                refresh,
                theme: astrodash::config::ThemeChoice {
                    flag: theme_flag,
                    ..Default::default()
                },
                mouse,
                ..Settings::default()
            };
            *started.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle);
            Ok(settings)
        };
        let result =
            astrodash::app::run_after("Starting houston-local with demo data…", startup).await;
        let handle = server.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(handle) = handle {
            handle.shutdown().await;
        }
        result
    })?;
    exit_as(ended);
    Ok(())
}
