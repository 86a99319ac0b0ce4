//! Command-line arguments. Parsing happens before the terminal is touched, so `--help`,
//! `--version` and argument errors print normally and exit.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "astrodash",
    version,
    about = "A terminal dashboard for Astronomer Software (Houston)"
)]
pub struct Cli {
    /// Houston GraphQL endpoint, e.g. https://houston.example.com/v1
    #[arg(long, env = "ASTRODASH_URL", global = true)]
    pub url: Option<String>,
    /// Houston token (JWT or service-account API key). Prefer the env var: flags show up in `ps`.
    #[arg(long, env = "ASTRODASH_TOKEN", hide_env_values = true, global = true)]
    pub token: Option<String>,
    /// astrodash config file (TOML); default: astrodash.toml in the user config dir
    #[arg(long, env = "ASTRODASH_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Context to use (a name from the astrodash config, or an astro CLI context domain)
    #[arg(long, global = true)]
    pub context: Option<String>,
    /// Never offer actions that change anything
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Background refresh interval of the visible view, in seconds (default 5)
    #[arg(long, value_name = "SECONDS", global = true)]
    pub refresh: Option<u64>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start houston-local in-process with demo data and open the dashboard logged in as its admin
    Demo(DemoArgs),
    /// Run houston-local (a Houston-compatible server) in the foreground
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the demo data in this SQLite file (default: in memory)
    #[arg(long)]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on
    #[arg(long, default_value_t = 8871)]
    pub port: u16,
    /// Address to listen on (0.0.0.0: every interface)
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// SQLite database file (default: in memory)
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Seed data set to load into an empty database
    #[arg(long, value_parser = ["demo"])]
    pub seed: Option<String>,
    /// Mark the deployment with this release name UNHEALTHY (repeatable)
    #[arg(long, value_name = "RELEASE")]
    pub unhealthy: Vec<String>,
    /// Set a new random password for this user (default: the demo admin) and print it
    #[arg(
        long,
        value_name = "EMAIL",
        num_args = 0..=1,
        default_missing_value = "admin@astrodash.local"
    )]
    pub reset_admin_password: Option<String>,
}
