use std::sync::{Arc, Mutex};
use std::time::Duration;

use color_eyre::eyre::eyre;

use clap::Parser;

use astrodash::cli::{Cli, Command, DemoArgs, ServeArgs};
use astrodash::config::{Settings, TokenSource};

/// The system admin that houston-local's demo seed creates.
const DEMO_ADMIN_EMAIL: &str = "admin@astrodash.local";

fn main() -> color_eyre::Result<()> {
    // Parsing first: --help, --version and bad arguments exit before the terminal is touched.
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Serve(args)) => serve(args),
        Some(Command::Demo(args)) => demo(&cli, args),
        None => {
            let settings = match astrodash::config::resolve(&cli) {
                Ok(settings) => settings,
                Err(e) => {
                    eprintln!("astrodash: {e}");
                    std::process::exit(2);
                }
            };
            run_tui(settings)
        }
    }
}

fn runtime() -> color_eyre::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn run_tui(settings: Settings) -> color_eyre::Result<()> {
    color_eyre::install()?;
    let _log_file = astrodash::logging::init();
    runtime()?.block_on(astrodash::app::run(settings))
}

/// `astrodash serve`: houston-local in the foreground until Ctrl-C.
fn serve(args: &ServeArgs) -> color_eyre::Result<()> {
    let config = houston_local::Config {
        host: args.host.clone(),
        port: args.port,
        db: args.db.clone(),
        seed: args.seed.as_ref().map(|_| houston_local::Seed::Demo),
        unhealthy: args.unhealthy.clone(),
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
    color_eyre::install()?;
    let _log_file = astrodash::logging::init();
    let config = houston_local::Config {
        db: args.db.clone(),
        seed: Some(houston_local::Seed::Demo),
        ..houston_local::Config::default()
    };
    let read_only = cli.read_only;
    let refresh = Duration::from_secs(cli.refresh.unwrap_or(5).max(1));
    runtime()?.block_on(async move {
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
                token: Some(token),
                token_source: TokenSource::Demo,
                app_url: None,
                read_only,
                refresh,
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
    })
}
