use clap::Parser;

use astrodash::cli::{Cli, Command};

fn main() -> color_eyre::Result<()> {
    // Parsing first: --help, --version and bad arguments exit before the terminal is touched.
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::Serve(_)) | Some(Command::Demo(_)) => {
            eprintln!("not wired yet");
            Ok(())
        }
        None => {
            let settings = match astrodash::config::resolve(&cli) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("astrodash: {e}");
                    std::process::exit(2);
                }
            };
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(astrodash::app::run(settings))
        }
    }
}
