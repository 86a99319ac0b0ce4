//! Command-line arguments. Parsing happens before the terminal is touched, so `--help`,
//! `--version` and argument errors print normally and exit.
//!
//! The dashboard's options live on the top level (and the two that make sense there, on `demo`);
//! `serve` has only the server's, so `serve --help` lists nothing that does not apply to it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::ThemeName;

/// `--refresh`: whole seconds, within the range the config accepts.
fn refresh_secs(text: &str) -> Result<u64, String> {
    let secs: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a whole number of seconds"))?;
    crate::config::check_refresh_secs(secs)
}

#[derive(Debug, Parser)]
#[command(
    name = "astrodash",
    version,
    about = "A terminal dashboard for Astronomer Software (Houston)",
    // `astrodash --url X serve` would silently ignore --url: refuse it instead.
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Never offer actions that change anything
    #[arg(long)]
    pub read_only: bool,
    /// Background refresh interval of the visible view, in seconds (1–3600, default 5)
    #[arg(long, value_name = "SECONDS", value_parser = refresh_secs)]
    pub refresh: Option<u64>,
    #[command(flatten)]
    pub looks: LookArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How the dashboard looks and takes input: the dashboard's and `demo`'s options.
#[derive(Debug, Clone, Default, Args)]
pub struct LookArgs {
    /// Colour theme: default (the terminal's colours), dark, light or mono; beats NO_COLOR
    #[arg(long, value_name = "THEME", value_parser = ThemeName::parse)]
    pub theme: Option<ThemeName>,
    /// Capture the mouse: click selects a row or tab, the wheel scrolls (the terminal's own
    /// text selection then needs Shift)
    #[arg(long)]
    pub mouse: bool,
}

/// Where to connect and how: the dashboard's and `doctor`'s options.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectionArgs {
    /// Houston endpoint: https://houston.example.com/v1, a base URL, or a bare domain (example.com)
    #[arg(long, env = "ASTRODASH_URL")]
    pub url: Option<String>,
    /// Houston token (JWT or service-account API key). Prefer the env var: flags show up in `ps`.
    #[arg(long, env = "ASTRODASH_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// astrodash config file (TOML); default: astrodash.toml in the user config dir
    #[arg(long, env = "ASTRODASH_CONFIG")]
    pub config: Option<PathBuf>,
    /// Context to use (a name from the astrodash config, or an astro CLI context domain)
    #[arg(long)]
    pub context: Option<String>,
    /// Also trust the CA certificates in this PEM file (a private CA in front of Houston)
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
}

impl Cli {
    /// The dashboard's settings for `connection` alone (what `doctor` checks).
    pub fn for_connection(connection: &ConnectionArgs) -> Cli {
        Cli {
            connection: connection.clone(),
            read_only: false,
            refresh: None,
            looks: LookArgs::default(),
            command: None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start houston-local in-process with demo data and open the dashboard logged in as its admin
    Demo(DemoArgs),
    /// Run houston-local (a Houston-compatible server) in the foreground
    Serve(ServeArgs),
    /// Check the connection the dashboard would use (URL, Houston version, login, token, which
    /// documents the server accepts) and print a plain report; exit code 0 when all is well
    Doctor(ConnectionArgs),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the demo data in this SQLite file (default: in memory)
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Never offer actions that change anything
    #[arg(long)]
    pub read_only: bool,
    /// Background refresh interval of the visible view, in seconds (1–3600, default 5)
    #[arg(long, value_name = "SECONDS", value_parser = refresh_secs)]
    pub refresh: Option<u64>,
    #[command(flatten)]
    pub looks: LookArgs,
    /// Houston version the demo server reports and models (0.23.0 to 0.37.x, 1.0.x, 2.0.x, 2.1.x)
    #[arg(long, value_name = "X.Y.Z", default_value_t = houston_local::HoustonVersion::default())]
    pub houston_version: houston_local::HoustonVersion,
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
    /// Mark the cluster with this name INACTIVE, with REASON as its status reason (repeatable;
    /// Houston 1.0+)
    #[arg(long, value_name = "NAME[=REASON]", value_parser = inactive_cluster)]
    pub inactive_cluster: Vec<(String, Option<String>)>,
    /// Houston version to report and model (0.23.0 to 0.37.x, 1.0.x, 2.0.x, 2.1.x); older ones lack newer fields
    #[arg(long, value_name = "X.Y.Z", default_value_t = houston_local::HoustonVersion::default())]
    pub houston_version: houston_local::HoustonVersion,
    /// Proxy deployments' Airflow (`/<release>/airflow/*`) to a real Airflow webserver, after
    /// checking the Houston token as the platform's ingress does: `URL` for every deployment,
    /// `RELEASE=URL` for one (repeatable); `USER:PASS@` in the URL gives its basic auth
    #[arg(long, value_name = "[RELEASE=]URL")]
    pub airflow_upstream: Vec<String>,
    /// Basic-auth user towards the Airflow upstream (unless the URL has `USER:PASS@`)
    #[arg(long, value_name = "USER")]
    pub airflow_upstream_user: Option<String>,
    /// Basic-auth password towards the Airflow upstream
    #[arg(long, value_name = "PASSWORD")]
    pub airflow_upstream_password: Option<String>,
    /// Set a new random password for this user (default: the demo admin) and print it
    #[arg(
        long,
        value_name = "EMAIL",
        num_args = 0..=1,
        default_missing_value = "admin@astrodash.local"
    )]
    pub reset_admin_password: Option<String>,
    /// Print the GraphQL schema (SDL) a server of --houston-version has, from its own
    /// introspection, and exit
    #[arg(long)]
    pub print_schema: bool,
}

/// `NAME[=REASON]` of `serve --inactive-cluster`.
fn inactive_cluster(s: &str) -> Result<(String, Option<String>), String> {
    let (name, reason) = match s.split_once('=') {
        Some((n, r)) => (
            n.trim(),
            Some(r.trim().to_string()).filter(|r| !r.is_empty()),
        ),
        None => (s.trim(), None),
    };
    if name.is_empty() {
        return Err("expected NAME or NAME=REASON".into());
    }
    Ok((name.to_string(), reason))
}
